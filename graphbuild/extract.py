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

import re
from dataclasses import dataclass

#: the entity types of the CoNLL-2003 scheme used by the annotations
ENTITY_TYPES = ("PER", "LOC", "ORG", "MISC")

# An opener is '[' + an upper-case label + one space. '[sic]', '[1]' and '[Note: x]' are
# ordinary text: no upper-case label followed by a space, or (below) no annotator's padding.
# A known label in the wrong case ('[per Foo  ]', with the padding) is read, with a warning.
_OPENER = re.compile(r"\[([A-Za-z][A-Za-z0-9_]{0,15})( |(?=\n)|$)")
#: longest annotation body considered before the bracket is called unclosed
MAX_BODY = 300


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


def strip_annotations(text: str) -> tuple[str, list[Annotation], list[Finding]]:
    """Remove inline annotations from ``text``.

    Returns ``(clean_text, annotations, findings)``.

    >>> clean, anns, _ = strip_annotations("In [LOC Caracas  ] , [PER Chavez  ] said [sic] .")
    >>> clean
    'In Caracas , Chavez said [sic] .'
    >>> [(a.surface, a.type, clean[a.start:a.end]) for a in anns]
    [('Caracas', 'LOC', 'Caracas'), ('Chavez', 'PER', 'Chavez')]
    """
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
        if not known:
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
    """True when the text contains at least one known inline annotation."""
    return any((m.group(1) in ENTITY_TYPES and m.group(2) == " ")
               or (m.group(1) != m.group(1).upper() and _is_miscased_annotation(text, m))
               for m in _OPENER.finditer(text))
