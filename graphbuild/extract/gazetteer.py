"""The corpus gazetteer: a one-word name the model recognised often enough across the
corpus is a name wherever it stands, also where the model missed it.

A statistical model misses acronyms and lone surnames it recognises elsewhere (``GOC``,
``ELN``, ``NATO``, ``Gaviria`` in one sentence but not the next). :func:`corpus_spans`
counts, over the subject lines and body paragraphs of the recognised documents, how often
each one-word name the model found occurs at all and how often the model took it; a word
taken at least :data:`MIN_TAKEN` times and in :data:`MIN_SHARE` of its occurrences is added
at its other occurrences, with the type the model gave it most. In an all-caps cable a
word that is also an English word (``US``, ``PARA``) is not added: case says nothing there.

"One sense per discourse" (Gale, Church and Yarowsky 1992), applied to the corpus.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict

from graphbuild.core import lexicon
from graphbuild.core.nonentities import not_entity_reason
from graphbuild.segment import segment_text

__all__ = ["corpus_spans", "MIN_TAKEN", "MIN_SHARE"]

Span = tuple[int, int, str]

#: how often the model must have taken a word, and the share of its occurrences
MIN_TAKEN = 3
MIN_SHARE = 0.5
#: the sections the model reads
SECTIONS = ("subject", "body")
_WORD = re.compile(r"(?<![\w\-/.&])[A-Z][A-Za-z0-9&]*(?:-[A-Z0-9][A-Za-z0-9]*)*(?![\w\-/&])")


def _words(text: str, units) -> list[tuple[int, int, str]]:
    out = []
    for u in units:
        if u.section in SECTIONS:
            out.extend((m.start(), m.end(), m.group()) for m in _WORD.finditer(text, u.start,
                                                                              u.end))
    return out


def corpus_spans(texts: list[str], spans: list[list[Span]],
                 all_caps: list[bool]) -> list[list[Span]]:
    """The spans to add to each document (sorted), from the corpus's own recognitions.

    Parameters
    ----------
    texts : list of str
        The documents' clean texts.
    spans : list of list of (int, int, str)
        The spans the model (and span repair) found in each.
    all_caps : list of bool
        Whether each document is written in capitals
        (:func:`graphbuild.extract.ner.is_all_caps`).

    Returns
    -------
    list of list of (int, int, str)
        New spans per document, none overlapping a found one.

    Examples
    --------
    >>> texts = ["The ELN attacked. ELN said.", "ELN left.", "The ELN and the GOC met."]
    >>> found = [[(4, 7, "ORG")], [(0, 3, "ORG")], [(4, 7, "ORG")]]
    >>> corpus_spans(texts, found, [False] * 3)
    [[(18, 21, 'ORG')], [], []]
    """
    units = [segment_text(t) for t in texts]
    words = [_words(t, u) for t, u in zip(texts, units, strict=True)]
    taken: dict[str, Counter] = defaultdict(Counter)
    for text, found in zip(texts, spans, strict=True):
        for s, e, etype in found:
            w = text[s:e]
            if _WORD.fullmatch(w):
                taken[w][etype] += 1
    if not taken:
        return [[] for _ in texts]
    seen = Counter(w for ws in words for _, _, w in ws if w in taken)
    english = lexicon.english_words()
    names = {w: counts.most_common(1)[0][0] for w, counts in taken.items()
             if sum(counts.values()) >= MIN_TAKEN
             and sum(counts.values()) >= MIN_SHARE * seen[w]
             and not_entity_reason(w) is None}
    out = []
    for ws, found, caps in zip(words, spans, all_caps, strict=True):
        covered = sorted((s, e) for s, e, _ in found)
        starts = [s for s, _ in covered]
        # the longest found span reaching back: a span overlapping [s, e) starts before e
        # and ends after s
        reach = max((e - s for s, e in covered), default=0)
        new = []
        for s, e, w in ws:
            etype = names.get(w)
            if etype is None or (caps and w.casefold() in english):
                continue
            i = bisect.bisect_left(starts, s - reach)
            j = bisect.bisect_left(starts, e)
            if any(covered[k][1] > s for k in range(i, j)):
                continue
            new.append((s, e, etype))
        out.append(new)
    return out
