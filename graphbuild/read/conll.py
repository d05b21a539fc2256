"""CoNLL / BIO files: ``token ... TAG`` per line, blank line between sentences,
``-DOCSTART-`` between documents; IOB1 (``I-`` starts an entity unless it continues one of
the same type), IOB2 (``B-`` starts every entity) and IOBES are all read by the same rule.

Tokens are joined by single spaces, sentences by newlines; each sentence is a unit of
co-occurrence (the reader's own segmentation), and the gold entities become the document's
mentions. A tag that is not IOB (``0`` for ``O`` in wikigold line 7461) is read as ``O``
with a warning naming the line; labels that are not PER/LOC/ORG/MISC after
:func:`~graphbuild.core.types.map_label` (dates, money...) are ignored with one notice
per label.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from graphbuild.core.diagnostics import Diagnostics, LineIndex
from graphbuild.core.types import map_label
from graphbuild.read.document import Document, SourceMap

_TAG = re.compile(r"^(?:O|[BIES]-\S+)$")
#: the characters str.splitlines() breaks lines at (all of them are whitespace)
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# a line whose last token is an IOB tag, anywhere (\s and \S are str.split's whitespace)
# (written tag-first, with the "token start" lookbehind after its first character, so the
# regex engine only tries at O, B, I, E and S: 4x faster than a leading lookbehind)
_ANY_TAG = re.compile(r"[OBIES](?<!\S.)(?:(?<=O)|-\S+)[^\S" + LINE_BREAKS + r"]*(?:["
                      + LINE_BREAKS + r"]|\Z)")
_SUFFIXES = {".conll", ".bio", ".iob", ".iob2", ".conllu"}


def looks_like_conll(text: str, path: str = "") -> bool:
    """True when most of the first non-blank lines end in an IOB tag.

    >>> looks_like_conll("-DOCSTART- O\\n\\nThe B-ORG\\nUN I-ORG\\nmet O\\n")
    True
    >>> looks_like_conll("SUBJECT: a plain text\\nwith words O\\n")
    False
    """
    head = text[:20000]
    # quick exact reject: a tagged line needs a token that is an IOB tag (or -DOCSTART-)
    if _ANY_TAG.search(head) is None and "-DOCSTART-" not in head:
        return False
    lines = [ln.split() for ln in head.splitlines() if ln.strip()][:200]
    if not lines:
        return False
    tagged = sum(1 for cols in lines
                 if len(cols) >= 2 and (_TAG.match(cols[-1]) or cols[0] == "-DOCSTART-"))
    need = 0.6 if Path(path).suffix.lower() in _SUFFIXES else 0.9
    return len(lines) >= 2 and tagged / len(lines) >= need


def read_conll(text: str, path: str, encoding: str, diagnostics: Diagnostics) -> list:
    """Documents of a CoNLL/BIO file, with gold ``spans`` and sentence ``units``.

    >>> from graphbuild.core.diagnostics import Diagnostics
    >>> d = read_conll("The B-ORG\\nUN I-ORG\\nmet O\\nAnn I-PER\\n", "x.conll", "utf-8",
    ...                Diagnostics())[0]
    >>> [(d.text[s:e], t) for s, e, t in d.spans]
    [('The UN', 'ORG'), ('Ann', 'PER')]
    """

    stem = Path(path).stem
    lines = LineIndex(text)
    docs: list[Document] = []
    ignored: Counter[str] = Counter()
    first_ignored: dict[str, int] = {}
    state = _DocBuilder()

    def flush() -> None:
        nonlocal state
        if state.tokens_seen:
            n = len(docs) + 1
            doc = Document(f"{stem}-{n:03d}" if multi else stem, "".join(state.parts), path,
                           "conll", encoding, {}, state.smap, text, state.spans, state.units)
            doc._lines = lines  # one line index for the whole file, shared by its documents
            docs.append(doc)
        state = _DocBuilder()

    multi = text.count("-DOCSTART-") > 1
    offset = 0
    for lineno, raw in enumerate(text.split("\n"), start=1):
        line_start = offset
        offset += len(raw) + 1
        stripped = raw.strip()
        if not stripped:
            state.end_sentence()
            continue
        cols = stripped.split()
        if cols[0] == "-DOCSTART-":
            state.end_sentence()
            flush()
            continue
        token_col = raw.find(cols[0])
        if len(cols) < 2:
            diagnostics.warn("conll-no-tag", f"line has no tag column: {stripped[:40]!r}; "
                             "read as O", path, lineno)
            tag = "O"
        else:
            tag = cols[-1]
            if not _TAG.match(tag):
                diagnostics.warn("conll-bad-tag", f"tag {tag!r} is not IOB (O, B-X, I-X); "
                                 "read as O", path, lineno, raw.rfind(tag) + 1)
                tag = "O"
        label = None
        if tag != "O":
            name = tag[2:]
            label = map_label(name)
            if label is None:
                ignored[name] += 1
                first_ignored.setdefault(name, lineno)
                tag = "O"
        state.add(cols[0], line_start + token_col, tag, label, tag[2:])
    state.end_sentence()
    flush()
    for name, count in sorted(ignored.items()):
        diagnostics.notice("conll-label-ignored", f"{count} token(s) tagged {name!r} ignored: "
                           "not a PER/LOC/ORG/MISC label", path, first_ignored[name])
    return docs


class _DocBuilder:
    """Accumulates one document: text pieces, source map, spans, sentence units."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.smap = SourceMap()
        self.spans: list[tuple[int, int, str]] = []
        self.units: list[tuple[int, int]] = []
        self.out = 0
        self.sentence_start: int | None = None
        self.open: list | None = None   # [start, end, type, raw label] being read
        self.tokens_seen = False

    def add(self, token: str, src: int, tag: str, label: str | None, name: str) -> None:
        if self.sentence_start is None:
            if self.parts:
                self.parts.append("\n")
                self.out += 1
            self.sentence_start = self.out
        else:
            self.parts.append(" ")
            self.out += 1
        start = self.out
        self.smap.add(start, src, True)
        self.parts.append(token)
        self.out += len(token)
        self.tokens_seen = True
        if tag == "O":
            self._close()
            return
        prefix = tag[0]
        # IOB1 and IOB2 alike: I-X continues only an entity of the same raw label X
        continues = (self.open is not None and self.open[3] == name and prefix in "IE")
        if continues:
            self.open[1] = self.out
        else:
            self._close()
            self.open = [start, self.out, label, name]
        if prefix in "ES":
            self._close()

    def _close(self) -> None:
        if self.open is not None:
            self.spans.append((self.open[0], self.open[1], self.open[2]))
            self.open = None

    def end_sentence(self) -> None:
        self._close()
        if self.sentence_start is not None:
            self.units.append((self.sentence_start, self.out))
            self.sentence_start = None
