"""Abbreviation definitions found in the text: ``Long Form ( ABBR )`` and ``ABBR ( Long Form )``.

Reference: A. S. Schwartz and M. A. Hearst, "A simple algorithm for identifying abbreviation
definitions in biomedical text", Pacific Symposium on Biocomputing 8:451-462 (2003). We use
their candidate shapes and their right-to-left character match, plus one extension that cables
need: an acronym of a translated name (``FARC`` for ``Revolutionary Armed Force of Colombia``,
from the Spanish *Fuerzas Armadas Revolucionarias de Colombia*) is accepted when its letters
are exactly the initials of the long form's words, in any order.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from graphbuild.resolve.rules import clean_surface

_STOPWORDS = frozenset(["of", "the", "and", "for", "de", "del", "la", "las", "los", "el", "y",
                       "e", "des", "du", "et", "in", "on", "to", "a", "an", "at", "da", "do",
                       "dos", "das", "di"])
_OPEN = re.compile(r"^\s*\(\s*$")
_CLOSE = re.compile(r"^\s*\)")
_TEXT_SHORT = re.compile(r"^\s*\(\s*([^()\s][^()]{0,14}?)\s*\)")
_BEFORE_OPEN = re.compile(r"\(\s*$")


def is_short_form(text: str) -> bool:
    """Could ``text`` be an abbreviation: 2-10 characters, at most two words, starting with a
    letter or digit, with a capital letter and a letter.

    >>> [is_short_form(s) for s in ["GOV", "FARC", "M-136", "U.S.", "Government", "a"]]
    [True, True, True, True, False, False]
    """
    t = text.strip()
    return (2 <= len(t) <= 10 and len(t.split()) <= 2 and t[0].isalnum()
            and any(c.isupper() for c in t) and any(c.isalpha() for c in t)
            and sum(c.isupper() for c in t) * 2 >= sum(c.isalpha() for c in t))


def schwartz_hearst_start(short: str, long: str) -> int:
    """Schwartz–Hearst right-to-left match of ``short`` in ``long``: the index where the long
    form starts (the word holding the short form's first character), or -1 when no match.

    >>> schwartz_hearst_start("GOV", "the Government of Venezuela")
    4
    >>> schwartz_hearst_start("FARC", "Revolutionary Armed Force of Colombia")
    -1
    """
    s, lf = short.lower(), long.lower()
    si, li = len(s) - 1, len(lf) - 1
    while si >= 0:
        c = s[si]
        if not c.isalnum():
            si -= 1
            continue
        while li >= 0 and (lf[li] != c or (si == 0 and li > 0 and lf[li - 1].isalnum())):
            li -= 1
        if li < 0:
            return -1
        li -= 1
        si -= 1
    return li + 1


def initials_match(short: str, long: str) -> bool:
    """The short form's letters are exactly the initials of the long form's content words,
    in any order (acronyms of names translated from another language).

    >>> initials_match("FARC", "Revolutionary Armed Force of Colombia")
    True
    >>> initials_match("GOC", "Government of Venezuela")
    False
    """
    letters = [c.upper() for c in short if c.isalnum()]
    words = [w for w in re.split(r"[\s\-/]+", long) if w and w.casefold() not in _STOPWORDS]
    initials = [w[0].upper() for w in words if w[0].isalnum()]
    return len(letters) >= 2 and Counter(letters) == Counter(initials)


def is_definition(short: str, long: str) -> bool:
    """Does ``long`` define ``short``: shapes as in Schwartz–Hearst (the long form has at most
    ``min(|A| + 5, 2|A|)`` words and is longer than the short form), and the characters match
    (right to left, first letter at a word start, the whole long form used) or the initials do.

    >>> is_definition("GOV", "Government of Venezuela")
    True
    >>> is_definition("FARC", "Revolutionary Armed Force of Colombia")
    True
    >>> is_definition("EUR/PRA", "Nate Young"), is_definition("GOV", "Venezuela")
    (False, False)
    """
    if not is_short_form(short) or len(long) <= len(short):
        return False
    n = len([c for c in short if c.isalnum()])
    words = long.split()
    if len(words) < 2 or len(words) > min(n + 5, 2 * n):
        return False
    return schwartz_hearst_start(short, long) == 0 or initials_match(short, long)


def long_form_in_text(short: str, before: str) -> str | None:
    """Schwartz–Hearst long form for ``short`` in the text ``before`` the parenthesis:
    the shortest tail of the preceding words that matches, or ``None``.

    >>> long_form_in_text("GOV", "sold to the Government of Venezuela")
    'Government of Venezuela'
    """
    n = len([c for c in short if c.isalnum()])
    words = before.split()[-min(n + 5, 2 * n):]
    window = " ".join(words)
    start = schwartz_hearst_start(short, window)
    if start < 0:
        return None
    long = window[start:].strip(" ,;:")
    return long if is_definition(short, long) else None


@dataclass(frozen=True)
class Definition:
    """One definition seen in one document."""

    doc_id: str
    short: str
    long: str
    how: str  # "annotated-pair" | "annotated-long" | "annotated-short"


def document_texts(paragraphs: pd.DataFrame, mentions: pd.DataFrame | None = None,
                   ) -> DocumentTexts:
    """The documents' clean texts, rebuilt from ``paragraphs`` as they are read (see
    :class:`DocumentTexts`); ``mentions`` line up the stripped paragraph texts."""
    return DocumentTexts(paragraphs, mentions)


class DocumentTexts(Mapping[str, str]):
    """Each document's clean text (offsets as in the mentions table), rebuilt from the
    ``paragraphs`` table when it is first read and then kept; gaps between paragraphs become
    spaces.

    ``text`` is the stripped slice ``clean[start:end]``; the mentions tell how much leading
    space was stripped, so offsets line up. Nothing is rebuilt up front: the corpus-wide
    rules only read the few documents where a mention sits next to a parenthesis or could
    be a dated name or a reference, and :meth:`next_to_parenthesis` finds those from the
    paragraphs holding a ``(`` without rebuilding the documents.

    >>> p = pd.DataFrame({"doc_id": ["d"], "start": [0], "end": [12], "text": ["GOV ( X )"]})
    >>> t = document_texts(p); len(t), t["d"][:9]
    (1, 'GOV ( X )')
    """

    def __init__(self, paragraphs: pd.DataFrame, mentions: pd.DataFrame | None = None):
        # paragraphs in start order within each document (the order a groupby over a frame
        # sorted by start gives: sort by start, then a stable sort by document)
        p = paragraphs.reset_index(drop=True)
        by_start = p["start"].sort_values().index.to_numpy()
        p_code, uniques = pd.factorize(p["doc_id"].astype(str))
        self.docs: list[str] = [str(u) for u in uniques]
        self._code = {d: i for i, d in enumerate(self.docs)}
        self._index = pd.Index(self.docs, dtype=object)
        p_doc = p_code[by_start].astype(np.int64)
        self._order = by_start[np.argsort(p_doc, kind="stable")]   # row of each paragraph
        self._p_doc = np.sort(p_doc, kind="stable")
        self._starts = p["start"].to_numpy(np.int64)[self._order]
        self._ends = p["end"].to_numpy(np.int64)[self._order]
        self._text_column = p["text"]
        self._text_rows = _Strings(p["text"])   # read in the order above, where needed
        bounds = np.searchsorted(self._p_doc, np.arange(len(self.docs) + 1))
        self._lo, self._hi = bounds[:-1], bounds[1:]
        m_code = (self.codes_of(mentions["doc_id"]) if mentions is not None
                  else np.zeros(0, np.int64))
        self._first = _first_mention_at_or_after(mentions, m_code, self._p_doc, self._starts)
        self._built: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self.docs)

    def codes_of(self, doc_ids: pd.Series) -> np.ndarray:
        """Each document's number in :attr:`docs` (-1: not a document of the paragraphs),
        hashing the long column once and looking up only its distinct values."""
        codes, uniques = pd.factorize(doc_ids.astype(str))
        lookup = np.r_[self._index.get_indexer(pd.Index(uniques, dtype=object)), -1]
        return lookup[codes].astype(np.int64)

    def _texts(self, at: np.ndarray) -> list[str]:
        """The texts of the paragraphs at positions ``at`` (in document, start order)."""
        return self._text_rows.take(self._order[at])

    def __iter__(self) -> Iterator[str]:
        return iter(self.docs)

    def __getitem__(self, doc_id: str) -> str:
        text = self._built.get(doc_id)
        if text is None:
            code = self._code[doc_id]    # KeyError: not a document of the table
            text = self._built[doc_id] = self._build(int(self._lo[code]), int(self._hi[code]))
        return text

    def _offset(self, j: int, text: str, surface: str | None = None) -> int:
        """Where paragraph ``j``'s (stripped) text starts in its document (``surface``: its
        first mention's, when already at hand)."""
        found, m_start, m_end, row, surfaces = self._first
        if surface is None and found[j]:
            surface = surfaces.take(row[j:j + 1])[0]
        start = int(self._starts[j])
        return start + _lead(start, int(self._ends[j]), text, bool(found[j]),
                             int(m_start[j]), int(m_end[j]), surface)

    def _build(self, lo: int, hi: int) -> str:
        parts: list[str] = []
        pos = 0
        rows, surfaces = self._first[3][lo:hi], self._first[4]
        for j, text, surface in zip(range(lo, hi), self._texts(np.arange(lo, hi)),
                                    surfaces.take(rows), strict=True):
            off = self._offset(j, text, surface)
            if off + len(text) <= pos:
                continue
            if off >= pos:
                parts.append(" " * (off - pos))
                parts.append(text)
            else:
                parts.append(text[pos - off:])
            pos = off + len(text)
        return "".join(parts)

    def next_to_parenthesis(self, doc_ids: pd.Series, starts: np.ndarray,
                            ends: np.ndarray) -> np.ndarray:
        """:func:`_next_to_parenthesis` for mentions (``doc_id``, ``start``, ``end``) read
        from the paragraphs that hold a ``(``: a parenthesis whose surrounding whitespace
        stays inside its paragraph is placed without rebuilding the document; the rare
        documents where it reaches a paragraph's edge, or where paragraphs overlap, are
        rebuilt and scanned whole."""
        m_code = self.codes_of(doc_ids)
        width = int(max(starts.max(initial=0), ends.max(initial=0))) + 1
        # a paragraph is laid out whole when it starts after everything before it can end
        lengths = self._text_column.str.len().fillna(len(str(pd.NA))).to_numpy(np.int64)
        reach = np.maximum(self._ends, self._starts + lengths[self._order])
        clean = self._starts >= _running_max_before(reach, self._p_doc)
        has_paren = self._text_column.str.contains("(", regex=False).fillna(False)
        with_paren = np.flatnonzero(has_paren.to_numpy(bool)[self._order])
        texts = self._texts(with_paren)
        surfaces = self._first[4].take(self._first[3][with_paren])
        offsets = np.array([self._offset(j, t, s) for j, t, s in
                            zip(with_paren.tolist(), texts, surfaces, strict=True)], np.int64)
        para, a, q, b, edge = _parenthesis_runs_in(texts)
        # whitespace reaching a paragraph's edge goes on in the document: rebuild those
        whole = np.unique(np.r_[self._p_doc[with_paren[para[edge]]],
                                self._p_doc[with_paren[~clean[with_paren]]]])
        inside = ~np.isin(self._p_doc[with_paren[para]], whole)
        shift = (offsets[para] + self._p_doc[with_paren[para]] * width)[inside]
        para_width = (self._p_doc[with_paren[para]] * width + width)[inside]
        a, q, b = a[inside] + shift, q[inside] + shift, b[inside] + shift
        after = [_ranges(a, np.minimum(q + 1, para_width))]
        before = [_ranges(q + 1, np.minimum(b + 1, para_width))]
        # the rebuilt documents: the same scan over their whole texts, whose edges are real
        d, a, q, b, _ = _parenthesis_runs_in([self[self.docs[c]] for c in whole.tolist()])
        base = whole[d] * width
        after.append(_ranges(base + a, base + np.minimum(q + 1, width)))
        before.append(_ranges(base + q + 1, base + np.minimum(b + 1, width)))
        key = np.where(m_code >= 0, m_code * width, -width - 1)
        # hash lookups: the position lists are large and unsorted
        return (pd.Series(key + ends).isin(pd.unique(np.concatenate(after))).to_numpy()
                | pd.Series(key + starts).isin(pd.unique(np.concatenate(before))).to_numpy())


#: a parenthesis and the whitespace after it (looked at, not consumed: the next parenthesis
#: may start in it); starting with a literal ``(`` lets the scan skip ahead quickly
_PAREN_RUN = re.compile(r"\((?=(\s*))")


def _parenthesis_runs_in(texts: list[str]) -> tuple[np.ndarray, ...]:
    """Every ``(`` of the paragraphs ``texts`` with the whitespace around it, two regular
    expression passes over them all: ``(paragraph, a, q, b, edge)`` per parenthesis, where
    ``text[a:q]`` and ``text[q + 1:b]`` are whitespace, ``text[q] == "("`` and ``edge``
    says the whitespace reaches the paragraph's start or end.

    >>> [x.tolist() for x in _parenthesis_runs_in(["GOV ( X )", "( A", "a ((", ""])]
    [[0, 1, 2, 2], [3, 0, 1, 3], [4, 0, 2, 3], [6, 2, 3, 4], [False, True, False, True]]
    """
    lengths = np.fromiter(map(len, texts), np.int64, len(texts))
    starts = np.r_[0, np.cumsum(lengths + 1)[:-1]].astype(np.int64)
    # "\0" (not whitespace) between paragraphs stops the runs at their edges
    joined = "\0".join(texts)
    after = np.array([(m.start(), m.end(1)) for m in _PAREN_RUN.finditer(joined)],
                     np.int64).reshape(-1, 2)
    # the whitespace before each "(": the whitespace after it in the reversed text
    back = np.array([m.end(1) - m.start() - 1 for m in _PAREN_RUN.finditer(joined[::-1])],
                    np.int64)[::-1]
    q = after[:, 0]
    para = np.searchsorted(starts, q, side="right") - 1
    base = starts[para]
    a, q, b = q - back - base, q - base, after[:, 1] - base
    return para, a, q, b, (a == 0) | (b == lengths[para])


def _ranges(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """All of ``range(lo[i], hi[i])``, one after the other.

    >>> _ranges(np.array([3, 10, 7]), np.array([5, 10, 8])).tolist()
    [3, 4, 7]
    """
    n = np.maximum(hi - lo, 0)
    run_start = np.cumsum(n) - n
    return np.repeat(lo - run_start, n) + np.arange(int(n.sum()), dtype=np.int64)


class _Strings:
    """A text column as its Arrow chunks (no copy): a few rows are read in microseconds,
    where ``Series.take`` costs milliseconds a call on millions of rows.

    >>> _Strings(pd.Series(["a", None, "b"])).take(np.array([2, 1]))
    ['b', '<NA>']
    """

    def __init__(self, column: pd.Series) -> None:
        arr = pa.array(column)
        self._chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
        self._bounds = np.cumsum([0, *map(len, self._chunks)])

    def take(self, at: np.ndarray) -> list[str]:
        """The rows ``at`` as Python strings, a missing value spelt ``str(pd.NA)`` (as the
        reference implementation's ``str(value)`` spells it)."""
        at = np.asarray(at, dtype=np.int64)
        if len(self._chunks) == 1:
            return self._strings(self._chunks[0].take(pa.array(at)))
        chunk = np.searchsorted(self._bounds, at, side="right") - 1
        if len(at) and chunk.min() == chunk.max():   # one chunk, as a rule
            c = int(chunk[0])
            return self._strings(self._chunks[c].take(pa.array(at - self._bounds[c])))
        out: list[str] = [""] * len(at)
        for c in np.unique(chunk).tolist():
            where = np.flatnonzero(chunk == c)
            values = self._chunks[c].take(pa.array(at[where] - self._bounds[c])).to_pylist()
            for i, t in zip(where.tolist(), values, strict=True):
                out[i] = str(pd.NA) if t is None else str(t)
        return out

    @staticmethod
    def _strings(values: pa.Array) -> list[str]:
        return [str(pd.NA) if t is None else str(t) for t in values.to_pylist()]


def _running_max_before(values: np.ndarray, group: np.ndarray) -> np.ndarray:
    """The largest of the earlier ``values`` of the same (contiguous, ascending) ``group``,
    0 for a group's first; values are non-negative.

    >>> _running_max_before(np.array([5, 2, 7, 1, 3]), np.array([0, 0, 0, 1, 1]))
    array([0, 5, 5, 0, 1])
    """
    if not len(values):
        return values.copy()
    big = int(values.max()) + 1
    lifted = values + group * big   # the groups' ranges do not overlap: one global cummax
    out = np.empty_like(lifted)
    out[0] = 0
    out[1:] = np.maximum.accumulate(lifted)[:-1]
    first = np.r_[True, group[1:] != group[:-1]]
    out[first] = group[first] * big
    return out - group * big


def _by_document_and_start(start: pd.Series, code: np.ndarray, last: int) -> np.ndarray:
    """Positions of the mentions of documents ``0..last`` (-1: none) sorted by document, then start;
    mentions with the same document and start come in the order a sort of the whole
    column by start leaves them (the order the reference implementation reads them in).

    >>> _by_document_and_start(pd.Series([5, 1, 3, 1]), np.array([0, 0, 1, 0]), 0).tolist()
    [1, 3, 0]
    """
    starts = start.to_numpy(np.int64)
    width = int(starts.max(initial=0)) + 1
    keep = np.flatnonzero((code >= 0) & (code <= last))
    # mentions usually come in document order: a stable sort of the combined key is fast
    key = code[keep] * width + starts[keep]
    inner = np.argsort(key, kind="stable")
    order, key = keep[inner], key[inner]
    tied = np.flatnonzero(key[1:] == key[:-1])
    if len(tied):   # rare: rank the tied mentions as the whole-column sort by start does
        rank = np.empty(len(starts), np.int64)
        rank[start.sort_values().index.to_numpy()] = np.arange(len(starts))
        at = np.unique(np.r_[tied, tied + 1])
        order[at] = order[at][np.lexsort((rank[order[at]], key[at]))]
    return order


def _first_mention_at_or_after(mentions: pd.DataFrame | None, m_code: np.ndarray,
                               p_doc: np.ndarray, p_start: np.ndarray,
                               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray,
                                          _Strings]:
    """For each paragraph, the first mention of its document (in start order) that starts
    at or after the paragraph: ``(found, m_start, m_end, row, surfaces)`` (``row`` into
    ``surfaces``, read only for the documents that are rebuilt). ``m_code``: each mention's
    document code (-1: the document has no paragraph)."""
    n = len(p_doc)
    zeros = np.zeros(n, np.int64)
    if mentions is None or not len(mentions) or not n:
        return np.zeros(n, bool), zeros, zeros, zeros, _Strings(pd.Series([""]))
    mm = mentions.reset_index(drop=True)
    order = _by_document_and_start(mm["start"], m_code.astype(np.int64),
                                   int(p_doc.max(initial=-1)))
    if not len(order):
        return np.zeros(n, bool), zeros, zeros, zeros, _Strings(pd.Series([""]))
    code = m_code[order].astype(np.int64)
    m_start = mm["start"].to_numpy(np.int64)[order]
    width = int(max(m_start.max(initial=0), p_start.max(initial=0))) + 1
    at = np.searchsorted(code * width + m_start, p_doc * width + p_start, side="left")
    found = at < len(order)
    at = np.minimum(at, len(order) - 1)
    found &= code[at] == p_doc
    return (found, m_start[at], mm["end"].to_numpy(np.int64)[order[at]], order[at],
            _Strings(mm["surface"]))


def _lead(start: int, end: int, text: str, found: bool, ms: int, me: int,
          surface: str | None) -> int:
    """How many leading spaces were stripped from a paragraph's text: the shift that puts
    its first mention (``found``: there is one; at ``ms:me``, spelt ``surface``) back at
    the mention's offsets."""
    slack = max(0, (end - start) - len(text))
    if slack == 0 or not found or ms >= end:
        return 0
    for k in range(slack + 1):
        if text[ms - start - k: me - start - k] == surface:
            return k
    return 0


def find_definitions(mentions: pd.DataFrame, texts: Mapping[str, str]) -> list[Definition]:
    """Definitions around kept mentions (columns ``doc_id, start, end, name``; ``name`` is the
    mention's normalised form), in three shapes:

    - two adjacent mentions with a parenthesis between them: ``[Long] ( [ABBR] )`` or
      ``[ABBR] ( [Long] )`` (``annotated-pair``);
    - a mention followed by an unannotated ``( ABBR )`` (``annotated-long``);
    - an annotated ``( [ABBR] )`` after unannotated words (``annotated-short``, long form by
      :func:`long_form_in_text`).

    Every shape needs an opening parenthesis right after the mention or right before it
    (whitespace aside), so only those mentions are looked at.

    >>> t = {"d": "the Government of Venezuela ( GOV ) and GOV"}
    >>> m = pd.DataFrame({"doc_id": ["d", "d"], "start": [4, 30], "end": [27, 33],
    ...                   "name": ["Government of Venezuela", "GOV"]})
    >>> [(d.short, d.long, d.how) for d in find_definitions(m, t)]
    [('GOV', 'Government of Venezuela', 'annotated-pair')]
    """
    if not len(mentions) or not texts:
        return []
    frame = mentions.reset_index(drop=True)
    starts = frame["start"].to_numpy(np.int64)
    ends = frame["end"].to_numpy(np.int64)
    if isinstance(texts, DocumentTexts):
        near = texts.next_to_parenthesis(frame["doc_id"], starts, ends)
    else:
        codes, docs = pd.factorize(frame["doc_id"].to_numpy(object))
        near = _next_to_parenthesis(list(docs), texts, codes, starts, ends)
    # only the documents with a mention next to a parenthesis can hold a definition
    with_near = frame["doc_id"].isin(frame["doc_id"][near].unique()).to_numpy(bool)
    frame = frame[with_near].assign(_near=near[with_near]).sort_values(["doc_id", "start"])
    codes, docs = pd.factorize(frame["doc_id"].to_numpy(object))   # sorted: contiguous
    starts = frame["start"].to_numpy(np.int64)
    ends = frame["end"].to_numpy(np.int64)
    near = frame["_near"].to_numpy(bool)
    names = frame["name"].to_numpy(object)
    bounds = np.flatnonzero(np.diff(codes, prepend=-1, append=-1)).tolist()
    found: list[Definition] = []
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        doc_id = docs[codes[lo]]
        found += _definitions_in(doc_id, texts[doc_id], list(zip(
            starts[lo:hi].tolist(), ends[lo:hi].tolist(), names[lo:hi].tolist(),
            strict=True)), near[lo:hi].tolist())
    return found


def _next_to_parenthesis(docs: list[str], texts: dict[str, str], codes: np.ndarray,
                         starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Per mention: does ``(`` follow its end or precede its start, with only whitespace
    between (the precondition of every definition shape)."""
    width = int(max(starts.max(initial=0), ends.max(initial=0))) + 1
    after: list[int] = []    # ends e with text[e:] matching r"\s*\("
    before: list[int] = []   # starts s with text[:s] matching r"\(\s*$"
    for code, doc in enumerate(docs):
        text = texts.get(doc)
        if not text:
            continue
        base = code * width
        q = text.find("(")
        while q >= 0:
            a = q
            while a > 0 and text[a - 1].isspace():
                a -= 1
            after.extend(base + x for x in range(a, min(q + 1, width)))
            b = q + 1
            while b < len(text) and text[b].isspace():
                b += 1
            before.extend(base + x for x in range(q + 1, min(b + 1, width)))
            q = text.find("(", q + 1)
    key = codes.astype(np.int64) * width
    return np.isin(key + ends, after) | np.isin(key + starts, before)


def _definitions_in(doc_id: str, text: str, rows: list[tuple[int, int, str]],
                    near: list[bool]) -> list[Definition]:
    """The definitions of one document (``rows``: its mentions in start order)."""
    found: list[Definition] = []
    paired: set[int] = set()
    for i, (s, e, name) in enumerate(rows):
        if not near[i]:
            continue
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        if nxt is not None and _OPEN.match(text[e:nxt[0]]) and _CLOSE.match(text[nxt[1]:]):
            a, b = name, nxt[2]
            short, long = (b, a) if len(b) <= len(a) else (a, b)
            if is_definition(short, long):
                found.append(Definition(doc_id, short, long, "annotated-pair"))
                paired.update((i, i + 1))
                continue
        if i in paired:
            continue
        after = _TEXT_SHORT.match(text[e:e + 40])
        if after and (nxt is None or nxt[0] >= e + after.end()):
            short = after.group(1).strip()
            if is_definition(short, name):
                found.append(Definition(doc_id, short, name, "annotated-long"))
                continue
        prev_end = rows[i - 1][1] if i else 0
        before = text[max(prev_end, s - 200):s]
        if _BEFORE_OPEN.search(before) and _CLOSE.match(text[e:]) and is_short_form(name):
            head = _BEFORE_OPEN.sub("", before)
            long = clean_surface(long_form_in_text(name, head) or "")
            if long:
                found.append(Definition(doc_id, name, long, "annotated-short"))
    return found
