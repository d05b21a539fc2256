"""Abbreviation definitions found in the text: ``Long Form ( ABBR )`` and ``ABBR ( Long Form )``.

Reference: A. S. Schwartz and M. A. Hearst, "A simple algorithm for identifying abbreviation
definitions in biomedical text", Pacific Symposium on Biocomputing 8:451-462 (2003). We use
their candidate shapes and their right-to-left character match, plus one extension that cables
need: an acronym of a translated name (``FARC`` for ``Revolutionary Armed Force of Colombia``,
from the Spanish *Fuerzas Armadas Revolucionarias de Colombia*) is accepted when its letters
are exactly the initials of the long form's words, in any order.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass

import pandas as pd

from .rules import clean_surface

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
                   ) -> dict[str, str]:
    """Rebuild each document's clean text (offsets as in the mentions table) from the
    ``paragraphs`` table; gaps between paragraphs become spaces.

    ``text`` is the stripped slice ``clean[start:end]``; the mentions tell how much leading
    space was stripped, so offsets line up.

    >>> p = pd.DataFrame({"doc_id": ["d"], "start": [0], "end": [12], "text": ["GOV ( X )"]})
    >>> document_texts(p)["d"][:9]
    'GOV ( X )'
    """
    by_doc: dict[str, list] = {}
    if mentions is not None and len(mentions):
        for doc_id, g in mentions.sort_values("start").groupby("doc_id", sort=False):
            by_doc[doc_id] = list(zip(g["start"].tolist(), g["end"].tolist(),
                                      g["surface"].tolist(), strict=True))
    out: dict[str, str] = {}
    for doc_id, group in paragraphs.sort_values("start").groupby("doc_id", sort=False):
        spans = by_doc.get(doc_id, [])
        starts = [s for s, _, _ in spans]
        parts: list[str] = []
        pos = 0
        for start, end, text in zip(group["start"], group["end"], group["text"], strict=True):
            start, end, text = int(start), int(end), str(text)
            off = start + _lead(start, end, text, spans, starts)
            if off + len(text) <= pos:
                continue
            if off >= pos:
                parts.append(" " * (off - pos))
                parts.append(text)
            else:
                parts.append(text[pos - off:])
            pos = off + len(text)
        out[doc_id] = "".join(parts)
    return out


def _lead(start: int, end: int, text: str, spans: list, starts: list[int]) -> int:
    slack = max(0, (end - start) - len(text))
    i = bisect.bisect_left(starts, start)
    if slack == 0 or i >= len(spans) or spans[i][0] >= end:
        return 0
    ms, me, surface = spans[i]
    for k in range(slack + 1):
        if text[ms - start - k: me - start - k] == surface:
            return k
    return 0


def find_definitions(mentions: pd.DataFrame, texts: dict[str, str]) -> list[Definition]:
    """Definitions around kept mentions (columns ``doc_id, start, end, name``; ``name`` is the
    mention's normalised form), in three shapes:

    - two adjacent mentions with a parenthesis between them: ``[Long] ( [ABBR] )`` or
      ``[ABBR] ( [Long] )`` (``annotated-pair``);
    - a mention followed by an unannotated ``( ABBR )`` (``annotated-long``);
    - an annotated ``( [ABBR] )`` after unannotated words (``annotated-short``, long form by
      :func:`long_form_in_text`).

    >>> t = {"d": "the Government of Venezuela ( GOV ) and GOV"}
    >>> m = pd.DataFrame({"doc_id": ["d", "d"], "start": [4, 30], "end": [27, 33],
    ...                   "name": ["Government of Venezuela", "GOV"]})
    >>> [(d.short, d.long, d.how) for d in find_definitions(m, t)]
    [('GOV', 'Government of Venezuela', 'annotated-pair')]
    """
    found: list[Definition] = []
    for doc_id, g in mentions.sort_values(["doc_id", "start"]).groupby("doc_id", sort=False):
        text = texts.get(doc_id)
        if not text:
            continue
        rows = list(zip(g["start"].tolist(), g["end"].tolist(), g["name"].tolist(),
                        strict=True))
        paired: set[int] = set()
        for i, (s, e, name) in enumerate(rows):
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
