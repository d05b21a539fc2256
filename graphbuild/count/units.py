"""Units smaller than a paragraph: sentences and sliding windows of tokens, and the
incidences (which entity is mentioned in which unit) they give.

Windows and sentences never cross a paragraph boundary; a mention counts as one token
whatever its length.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["split_sentences", "token_positions", "sub_unit_incidences", "ABBREVIATIONS"]


#: a word token (letters/digits, inner hyphens and apostrophes kept)
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
#: a candidate sentence end: . ! ? (and closing quotes/brackets), then space, then no lowercase
_SENT_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[^\sa-z])")
#: words after which a period does not end a sentence
ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "maj", "capt", "sgt", "adm", "amb",
    "sen", "rep", "gov", "pres", "st", "no", "nos", "vol", "art", "para", "paras", "ref",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "inc", "corp", "co", "ltd", "jr", "sr", "etc", "vs", "e.g", "i.e", "u.s", "u.n", "u.k",
})


def split_sentences(text: str, protected: Sequence[tuple[int, int]] = ()) -> list[int]:
    """Start offsets of the sentences of ``text`` (the first is always 0).

    A sentence ends at ``.``, ``!`` or ``?`` (with any closing quotes or brackets) followed
    by white space and a character that is not a lowercase letter, unless the word before
    the period is a single letter (an initial, ``A.``), a known abbreviation
    (:data:`ABBREVIATIONS`), or the break falls inside a ``protected`` span (a mention such
    as ``[PER A. BOGOTA  ]``). A piece without any letter (``¶1 .``) joins the next sentence.

    >>> split_sentences("Uribe met Chavez. Then he left. Gen. Padilla stayed.")
    [0, 18, 32]
    """
    starts = [0]
    for m in _SENT_END.finditer(text):
        end = m.end()
        if any(s < end <= e for s, e in protected):
            continue
        word = re.search(r"([^\s(\[]+)$", text[starts[-1]:m.start()])
        if m.group(0)[0] == "." and word:
            w = word.group(1).lower().rstrip(".")
            if (len(w) == 1 and w.isalpha()) or w in ABBREVIATIONS:
                continue
        nxt = len(text) - len(text[end:].lstrip())
        if not any(c.isalpha() for c in text[starts[-1]:end]):
            continue
        if nxt < len(text):
            starts.append(nxt)
    return starts


def token_positions(text: str, spans: Sequence[tuple[int, int]]) -> tuple[list[int], int]:
    """Token index of each mention span in ``text`` and the paragraph's token count.

    Words are :data:`_WORD` matches; every mention span is one token and swallows the words
    it overlaps. Spans are ``(start, end)`` offsets into ``text``, in any order.

    >>> token_positions("Yesterday Alvaro Uribe met Hugo Chavez in Caracas", [(10, 22), (27, 38)])
    ([1, 3], 6)
    """
    words = np.array([(w.start(), w.end()) for w in _WORD.finditer(text)],
                     dtype=np.int64).reshape(-1, 2)
    if not len(spans):
        return [], len(words)
    order = sorted(range(len(spans)), key=lambda i: spans[i])
    starts = np.array([spans[i][0] for i in order], dtype=np.int64)
    ends = np.array([spans[i][1] for i in order], dtype=np.int64)
    reach = np.maximum.accumulate(ends)         # furthest end of spans starting so far
    ws, we = words[:, 0], words[:, 1]
    i = np.searchsorted(starts, ws, side="right") - 1
    inside_prev = (i >= 0) & (reach[np.maximum(i, 0)] > ws)
    j = np.searchsorted(starts, ws, side="left")
    overlaps_next = (j < len(starts)) & (starts[np.minimum(j, len(starts) - 1)] < we)
    kept = ws[~(inside_prev | overlaps_next)]
    # position = kept words before the span + spans before it (each one token)
    pos_sorted = np.searchsorted(kept, starts, side="left") + np.arange(len(starts))
    out = [0] * len(spans)
    for k, idx in enumerate(order):
        out[idx] = int(pos_sorted[k])
    return out, int(len(kept) + len(spans))


def _text_offset(row_start: int, text: str, slack: int, starts, ends, surfaces) -> int:
    """Offset of ``text`` in the document: ``paragraphs.text`` is the unit stripped of
    surrounding blanks, so the leading blank count is found by matching mention surfaces."""
    for lead in range(slack + 1):
        base = row_start + lead
        if all(text[s - base:e - base] == sf for s, e, sf in zip(starts, ends, surfaces,
                                                                 strict=True)):
            return base
    return row_start


def sub_unit_incidences(mentions: pd.DataFrame, paragraphs: pd.DataFrame, kind: str, k: int,
                         ) -> tuple[pd.DataFrame, int]:
    """Incidences ``(doc_id, paragraph, sub, entity_id)`` for sentences or windows, and N."""
    by_unit: dict[tuple, list] = {}
    for key in zip(mentions["doc_id"], mentions["paragraph"], mentions["start"],
                   mentions["end"], mentions["surface"].astype(str), mentions["entity_id"],
                   strict=True):
        by_unit.setdefault(key[:2], []).append(key[2:])
    docs, paras, subs, ents = [], [], [], []   # one row per mention (windows: first window)
    last: list[int] = []                       # windows: last window of each mention
    n_units = 0
    for doc_id, para, start, end, text in paragraphs[
            ["doc_id", "paragraph", "start", "end", "text"]].itertuples(index=False, name=None):
        text = "" if pd.isna(text) else str(text)
        rows = by_unit.get((doc_id, para), [])
        base = _text_offset(int(start), text, max(0, int(end) - int(start) - len(text)),
                            [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])
        spans = [(r[0] - base, r[1] - base) for r in rows]
        if kind == "sentence":
            sent_starts = split_sentences(text, spans)
            n_units += len(sent_starts) if text.strip() else 0
            subs += [bisect.bisect_right(sent_starts, s0) - 1 for s0, _ in spans]
        else:
            positions, n_tokens = token_positions(text, spans)
            n_windows = max(1, n_tokens - k + 1) if n_tokens else 0
            n_units += n_windows
            # windows starting at w hold tokens w..w+k-1; clip to the paragraph's windows
            subs += [max(0, p - k + 1) for p in positions]
            last += [min(p, n_windows - 1) for p in positions]
        docs += [doc_id] * len(rows)
        paras += [para] * len(rows)
        ents += [r[3] for r in rows]
    first = np.asarray(subs, dtype=np.int64)
    if kind == "window" and len(first):
        count = np.asarray(last, dtype=np.int64) - first + 1
        row = np.repeat(np.arange(len(first)), count)
        offset = np.arange(len(row)) - np.repeat(np.cumsum(count) - count, count)
        first = first[row] + offset
    else:
        row = np.arange(len(first))
    inc = pd.DataFrame({"doc_id": np.asarray(docs, dtype=object)[row] if len(row) else [],
                        "paragraph": np.asarray(paras, dtype=np.int64)[row] if len(row) else [],
                        "sub": first,
                        "entity_id": np.asarray(ents, dtype=object)[row] if len(row) else []})
    return inc.drop_duplicates().reset_index(drop=True), n_units
