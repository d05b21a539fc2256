"""Extract stage: inline annotations ``[TYPE text  ]`` -> clean text + mentions.

The annotated corpus marks entities inline with CoNLL types: ``[PER Uribe  ]``,
``[LOC Venezuela  ]``, ``[ORG FARC  ]``, ``[MISC Swedish  ]``. :func:`strip_annotations`
removes the markup and records each mention's offsets in the *clean* text, so the evidence
shown to users reads like the document.

Nothing is dropped silently: an unknown label, an empty annotation, an unclosed or nested
bracket each becomes a warning with file:line:column *and* a mention row with
``status="dropped"`` and the reason.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from itertools import accumulate
from operator import add

from graphbuild.core.types import ENTITY_TYPES

# An opener is '[' + an upper-case label + one space. '[sic]', '[1]' and '[Note: x]' are
# ordinary text: no upper-case label followed by a space, or (below) no annotator's padding.
# A known label in the wrong case ('[per Foo  ]', with the padding) is read, with a warning.
_OPENER = re.compile(r"\[([A-Za-z][A-Za-z0-9_]{0,15})( |(?=\n)|$)")
#: longest annotation body kept as a mention
MAX_BODY = 300
#: a closing bracket this far away still closes the annotation (reported as too long);
#: farther, the opener is called unclosed
LONG_BODY = 4000
# A well-formed annotation as the careful loop reads it: a known upper-case label, one space,
# a body of at most MAX_BODY characters without brackets, the closing bracket. When every '['
# of a text opens one of these, the careful loop takes the same decision at every opener,
# so one compiled split gives the same result (see _strip_fast).
_WELL_FORMED = re.compile(rf"\[({'|'.join(ENTITY_TYPES)}) ([^\[\]]{{0,{MAX_BODY}}})\]")
# ``\[`` is a literal bracket (annotate writes it for brackets of the text); inside the
# stripper it is a noncharacter, which sanitised text never holds
_ESCAPED = re.compile(r"\\\[")
_LITERAL = "\ufdd0"
# a '[' the reader could take for an opener (what _OPENER matches), or after a backslash
_NEEDS_ESCAPE = re.compile(r"\[(?=[A-Za-z][A-Za-z0-9_]{0,15}(?: |\n|$))|(?<=\\)\[")


@dataclass
class Annotation:
    """A mention found in the markup. Offsets index the clean text; ``marked_start`` the input."""

    start: int
    end: int
    surface: str
    type: str
    marked_start: int
    status: str = "kept"
    reason: str = ""


@dataclass
class Finding:
    """A problem with the markup at ``marked_start`` of the input text."""

    code: str
    message: str
    marked_start: int


@dataclass(frozen=True)
class Stripped:
    """The result of stripping one text, one tuple per column of the mentions it found.

    ``starts[i]``, ``ends[i]``, ``surfaces[i]``... describe annotation ``i`` (the fields of
    :class:`Annotation`); columns rather than objects because the engines turn them into table
    columns, and tuples because results are cached and shared (see :func:`strip_columns`).
    """

    clean: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    surfaces: tuple[str, ...]
    types: tuple[str, ...]
    marked: tuple[int, ...]
    statuses: tuple[str, ...]
    reasons: tuple[str, ...]
    findings: tuple[tuple[str, str, int], ...]
    #: whether the text holds a known annotation (else the document may need NER)
    has_annotations: bool

    def annotations(self) -> list[Annotation]:
        """The annotations as (new, mutable) :class:`Annotation` objects."""
        return [Annotation(*row) for row in zip(self.starts, self.ends, self.surfaces,
                                                self.types, self.marked, self.statuses,
                                                self.reasons, strict=True)]


def strip_annotations(text: str) -> tuple[str, list[Annotation], list[Finding]]:
    """Remove inline annotations from ``text``.

    Returns ``(clean_text, annotations, findings)``.

    >>> clean, anns, _ = strip_annotations("In [LOC Caracas  ] , [PER Chavez  ] said [sic] .")
    >>> clean
    'In Caracas , Chavez said [sic] .'
    >>> [(a.surface, a.type, clean[a.start:a.end]) for a in anns]
    [('Caracas', 'LOC', 'Caracas'), ('Chavez', 'PER', 'Chavez')]
    """
    s = strip_columns(text)
    return s.clean, s.annotations(), [Finding(*f) for f in s.findings]


@functools.lru_cache(maxsize=4)
def strip_columns(text: str) -> Stripped:
    """:func:`strip_annotations` as columns: the fast path when it applies, else the careful
    loop. Cached for the last few texts: a reader strips a document to read its preamble,
    then the extract stage strips the same text again.

    >>> s = strip_columns("[PER Ana  ] met [LOC Lima  ] [sic]")
    >>> s.clean, s.starts, s.ends, s.marked, s.has_annotations
    ('Ana met Lima [sic]', (0, 8), (3, 12), (0, 16), True)
    """
    if "\\[" in text:
        return _strip_escaped(text, strip_columns)
    fast = _strip_fast(text)
    if fast is not None:
        return fast
    return _careful_columns(text)


def _careful_columns(text: str) -> Stripped:
    """The careful loop's result as columns (no escapes in ``text``)."""
    clean, anns, findings = _careful_loop(text)
    cols = tuple(zip(*((a.start, a.end, a.surface, a.type, a.marked_start, a.status,
                        a.reason) for a in anns), strict=True)) or ((),) * 7
    return Stripped(clean, *cols, tuple((f.code, f.message, f.marked_start) for f in findings),
                    _has_annotations_scan(text))


def _strip_escaped(text: str, strip) -> Stripped:
    """:func:`strip_columns` of a text with escaped brackets: ``\\[`` is a literal ``[``
    that opens nothing (the backslash is not part of the text; ``\\\\[`` is ``\\[``).

    Each escaped bracket becomes a placeholder the sanitiser never lets through
    (U+FDD0, a noncharacter), the text is stripped, and the placeholder turns back into
    ``[``: clean offsets are unchanged, input offsets move back by the removed backslashes.

    >>> s = strip_columns("\\\\[ORG X  ] \\\\[b [PER Ana  ]")
    >>> s.clean, s.surfaces, s.marked
    ('[ORG X  ] [b Ana', ('Ana',), (15,))
    """
    # escape i (its backslash at w_i in the input) sits at w_i - i in the stripped input:
    # a position p there is p + (escapes at or before p) in the input
    at = [m.start() - i for i, m in enumerate(_ESCAPED.finditer(text))]
    inner = strip(_ESCAPED.sub(_LITERAL, text))

    def back(pos: int) -> int:
        return pos + bisect.bisect_right(at, pos)

    return Stripped(inner.clean.replace(_LITERAL, "["), inner.starts, inner.ends,
                    tuple(x.replace(_LITERAL, "[") for x in inner.surfaces), inner.types,
                    tuple(map(back, inner.marked)), inner.statuses, inner.reasons,
                    tuple((c, m.replace(_LITERAL, "["), back(at))
                          for c, m, at in inner.findings), inner.has_annotations)


def escape_brackets(text: str) -> str:
    """``text`` with every ``[`` that could open an annotation (a label and a space
    follow) or follows a backslash written as ``\\[``: what ``graphbuild annotate`` writes
    for the text between mentions, so the reader takes it back as text.

    >>> print(escape_brackets("[ORG X  ] met [sic] [Note x] [1] a\\\\[b"))
    \\[ORG X  ] met [sic] \\[Note x] [1] a\\\\[b
    >>> print(strip_columns(escape_brackets("[ORG X  ] met [sic] [1] a\\\\[b")).clean)
    [ORG X  ] met [sic] [1] a\\[b
    """
    return _NEEDS_ESCAPE.sub(r"\\[", text)


def _strip_fast(text: str) -> Stripped | None:
    """The common case in one compiled pass, or ``None`` when the careful loop must decide.

    It applies when every ``[`` of the text opens a well-formed annotation of a known type
    with a non-empty surface (counted: as many ``[`` as matches). Then the careful loop would
    keep every one of them with no finding, so both give the same result; anything unusual
    (``[sic]``, an unclosed, nested, empty or unknown annotation) falls back to it.

    >>> _strip_fast("a [ORG UN  ] b").clean, _strip_fast("a [sic] b") is None
    ('a UN b', True)
    """
    if "\\[" in text:
        return None                     # an escaped bracket: see _strip_escaped
    parts = _WELL_FORMED.split(text)   # [text, label, body, text, label, body, ..., text]
    n = len(parts) // 3
    if text.count("[") != n:
        return None
    surfaces = list(map(str.strip, parts[2::3]))
    if not all(surfaces):
        return None                     # an empty annotation: the careful loop warns
    labels = parts[1::3]
    # offsets are running sums of the piece lengths (C-level maps: this is the hot loop).
    # In the input, annotation i starts after the pieces before its label, plus the '[',
    # ' ' and ']' of the i annotations before it (3 characters each, not in the pieces)
    src = list(accumulate(map(len, parts), initial=0))
    marked = tuple(map(add, src[1::3], range(0, 3 * n, 3)))
    # the clean text is the pieces between annotations and the surfaces, alternately:
    # the parts list with each body replaced by its surface and the labels deleted
    parts[2::3] = surfaces
    del parts[1::3]
    out = list(accumulate(map(len, parts), initial=0))
    return Stripped("".join(parts), tuple(out[1::2][:n]), tuple(out[2::2]),
                    tuple(surfaces), tuple(labels), marked, ("kept",) * n, ("",) * n, (),
                    n > 0)


def strip_annotations_careful(text: str) -> tuple[str, list[Annotation], list[Finding]]:
    """The careful loop: every opener decided on its own, every problem a finding (an
    escaped ``\\[`` is a literal bracket, as in :func:`strip_columns`).

    This is the reference :func:`strip_annotations` follows (a test checks that the fast
    path gives the same results).

    >>> clean, anns, found = strip_annotations_careful("[PER  ] and [PER Bo")
    >>> clean, [a.reason for a in anns] == [f.code for f in found]
    (' and [PER Bo', True)
    >>> [f.code for f in found]
    ['empty-annotation', 'unclosed-annotation']
    """
    if "\\[" in text:
        s = _strip_escaped(text, _careful_columns)
        return s.clean, s.annotations(), [Finding(*f) for f in s.findings]
    return _careful_loop(text)


def _careful_loop(text: str) -> tuple[str, list[Annotation], list[Finding]]:
    """:func:`strip_annotations_careful` of a text without escapes."""
    pieces: list[str] = []
    annotations: list[Annotation] = []
    findings: list[Finding] = []
    out = 0
    pos = 0
    search_from = 0
    while True:
        m = _OPENER.search(text, search_from)
        if m is None:
            break
        label = written = m.group(1)
        body_start = m.end()
        if label != label.upper():
            if not _is_miscased_annotation(text, m):
                search_from = m.start() + 1   # '[see above]', '[Note x  ]': prose
                continue
            label = label.upper()
        known = label in ENTITY_TYPES
        if m.group(2) != " ":
            # '[PER' at the end of a line or of the file: an annotation cut short
            if known:
                _drop(annotations, findings, "unclosed-annotation",
                      f"unclosed annotation [{label} at the end of a line; kept as text, "
                      "mention dropped", "", label, out + (m.start() - pos), m.start())
            search_from = m.start() + 1
            continue
        close = text.find("]", body_start, body_start + MAX_BODY + 1)
        too_long = False
        if close == -1 and known:
            # a closed annotation longer than MAX_BODY is not an unclosed one: its markup
            # is removed and the mention dropped as too long (no real name is that long)
            far = text.find("]", body_start, body_start + LONG_BODY + 1)
            if far != -1 and text.find("[", body_start, far) == -1:
                close, too_long = far, True
        nested = text.find("[", body_start, close if close != -1 else body_start + MAX_BODY)
        if close == -1 or nested != -1:
            # Only a known label makes an unmatched bracket a broken annotation; anything else
            # ('[ABC def' in prose) is ordinary text.
            if known:
                kind = "unclosed"
                if nested != -1 and close != -1:
                    # '[PER a [LOC b  ] c  ]': a second ']' closes the outer one -> nested;
                    # '[PER a [LOC b  ] c' (no second ']') -> the outer one is unclosed
                    after = text.find("]", close + 1, body_start + MAX_BODY + 1)
                    reopen = text.find("[", close + 1, after if after != -1 else close + 1)
                    if after != -1 and reopen == -1:
                        kind = "nested"
                stop = min(x for x in (nested, _line_end(text, body_start)) if x != -1)
                surface = " ".join(text[body_start:stop].split())
                _drop(annotations, findings, f"{kind}-annotation",
                      f"{kind} annotation [{label} {_short(surface)}; kept as text, "
                      "mention dropped", surface, label, out + (m.start() - pos), m.start())
            search_from = m.start() + 1
            continue
        body = text[body_start:close]
        if not known and not body.endswith((" ", "\t")):
            search_from = m.start() + 1   # '[NOTE this]' style prose, not annotator markup
            continue
        surface = body.strip()
        # copy the text before the annotation, then the surface form in place of the markup
        pieces.append(text[pos:m.start()])
        out += m.start() - pos
        start = out
        pieces.append(surface)
        out += len(surface)
        status, reason = "kept", ""
        if too_long:
            status, reason = "dropped", "long-annotation"
            findings.append(Finding("long-annotation", f"annotation [{label} "
                                    f"{_short(surface)}] is {len(surface):,} characters long, "
                                    f"over the {MAX_BODY} a name may have; markup removed, "
                                    "mention dropped", m.start()))
        elif not known:
            status, reason = "dropped", "unknown-type"
            findings.append(Finding("unknown-type", f"unknown entity type {label!r} in "
                                    f"[{label} {_short(surface)}]; known: "
                                    f"{', '.join(ENTITY_TYPES)}; mention dropped", m.start()))
        elif not surface:
            status, reason = "dropped", "empty-annotation"
            findings.append(Finding("empty-annotation", f"empty annotation [{label} ]; "
                                    "mention dropped", m.start()))
        elif written != label:
            findings.append(Finding("label-case", f"label {written!r} in [{written} "
                                    f"{_short(surface)}] is not upper case; read as {label}",
                                    m.start()))
        annotations.append(Annotation(start, out, surface, label, m.start(), status, reason))
        pos = close + 1
        search_from = pos
    pieces.append(text[pos:])
    # Dropped openers recorded before later text was copied have offsets relative to a
    # partially built output; they point at where the bracket sits, which is what we want.
    annotations.sort(key=lambda a: (a.start, a.marked_start))
    return "".join(pieces), annotations, findings


def _is_miscased_annotation(text: str, m: re.Match) -> bool:
    """``[per Foo  ]``: a known label in another case, closed, unnested, with the padding."""
    if m.group(1).upper() not in ENTITY_TYPES or m.group(2) != " ":
        return False
    close = m.string.find("]", m.end(), m.end() + MAX_BODY + 1)
    if close == -1 or "[" in text[m.end():close]:
        return False
    return text[m.end():close].endswith((" ", "\t"))


def _drop(annotations: list[Annotation], findings: list[Finding], code: str, message: str,
          surface: str, label: str, clean_at: int, marked_at: int) -> None:
    """Record a broken annotation: a warning and a dropped (zero-width) mention."""
    findings.append(Finding(code, message, marked_at))
    annotations.append(Annotation(clean_at, clean_at, surface, label, marked_at, "dropped",
                                  code))


def _short(surface: str, limit: int = 40) -> str:
    """One line, at most ``limit`` characters, for a warning message."""
    one_line = " ".join(surface.split())
    return one_line if len(one_line) <= limit else one_line[:limit - 1] + "…"


def _line_end(text: str, start: int) -> int:
    end = text.find("\n", start, start + MAX_BODY)
    return end if end != -1 else min(len(text), start + 60)


def has_annotations(text: str) -> bool:
    """True when the text contains at least one known inline annotation.

    >>> has_annotations("[PER Ana  ]"), has_annotations("[sic] [XYZ x  ]")
    (True, False)
    """
    return strip_columns(text).has_annotations


def _has_annotations_scan(text: str) -> bool:
    """:func:`has_annotations` by a scan of every opener (the careful definition)."""
    return any((m.group(1) in ENTITY_TYPES and m.group(2) == " ")
               or (m.group(1) != m.group(1).upper() and _is_miscased_annotation(text, m))
               for m in _OPENER.finditer(text))
