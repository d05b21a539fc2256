"""Oracle: brute-force pair counting in plain Python vs :func:`cooccurrence`.

Hypothesis builds random annotated documents from a structure (documents -> paragraphs ->
sentences -> tokens, a token being a plain word or a mention). The oracle counts pairs from
that structure directly, unit by unit, for the sentence, window:K and document units; the
code under test parses the generated text.
"""

from __future__ import annotations

import math
from collections import Counter
from itertools import combinations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphbuild.count.cooccur import cooccurrence
from graphbuild.extract import parse_corpus
from graphbuild.read import read_text
from graphbuild.resolve import resolve

NAMES = {"Ana": "PER", "Boris": "PER", "Carla": "PER", "Lima": "LOC", "Quito": "LOC",
         "Interpol": "ORG"}
WORDS = ("met", "in", "talks", "today", "with")

token = st.one_of(st.sampled_from(WORDS), st.sampled_from(sorted(NAMES)).map(lambda n: ("M", n)))
sentence = st.lists(token, min_size=0, max_size=6)
paragraph = st.lists(sentence, min_size=1, max_size=3)
document = st.lists(paragraph, min_size=1, max_size=3)
corpus_strategy = st.lists(document, min_size=1, max_size=3)


def render(doc) -> str:
    """Annotated text; every sentence starts with "Then" (capital: a sentence break)."""
    paras = []
    for i, para in enumerate(doc, 1):
        sents = []
        for sent in para:
            toks = ["Then"] + [f"[{NAMES[t[1]]} {t[1]}  ]" if isinstance(t, tuple) else t
                               for t in sent]
            sents.append(" ".join(toks) + " .")
        paras.append(f"¶{i} . " + " ".join(sents))
    return "\n".join(paras)


def names_in(tokens) -> set[str]:
    return {t[1] for t in tokens if isinstance(t, tuple)}


def oracle(corpus, kind: str, k: int = 0):
    """Return (pair weights, unit counts, N) counted from the structure."""
    units: list[set[str]] = []
    for doc in corpus:
        if kind == "document":
            units.append(set().union(*(names_in(s) for p in doc for s in p)))
            continue
        for i, para in enumerate(doc, 1):
            if kind == "sentence":
                # "¶i ." has no letter, so it joins the first sentence
                units.extend(names_in(s) for s in para)
            else:
                # the paragraph's tokens: "i" (from ¶i), then per sentence "Then" + tokens
                toks: list = [str(i)]
                for s in para:
                    toks += ["Then", *s]
                n_windows = max(1, len(toks) - k + 1)
                units.extend(names_in(toks[w:w + k]) for w in range(n_windows))
    weights: Counter = Counter()
    counts: Counter = Counter()
    for u in units:
        counts.update(u)
        weights.update(combinations(sorted(u), 2))
    return weights, counts, len(units)


def run(corpus, unit):
    docs = [d for j, doc in enumerate(corpus, 1) for d in read_text(render(doc), f"d{j}")]
    c = parse_corpus(docs)
    mentions = resolve(c.mentions).mentions
    # entity ids come from the resolver; map them back to the generated names
    name_of = dict(zip(mentions["entity_id"], mentions["surface"], strict=True))
    co = cooccurrence(mentions, unit=unit, paragraphs=c.paragraphs)
    got = {tuple(sorted((name_of[s], name_of[t]))): row
           for s, t, row in zip(co.edges["source"], co.edges["target"],
                                co.edges.to_dict("records"), strict=True)}
    counts = {name_of[e]: n for e, n in co.unit_counts.items()}
    return co, got, counts


def check(corpus, unit, kind, k=0):
    weights, counts, n = oracle(corpus, kind, k)
    co, got, got_counts = run(corpus, unit)
    assert co.n_units == n
    assert got_counts == dict(counts)
    assert {p: r["weight"] for p, r in got.items()} == dict(weights)
    for (a, b), w in weights.items():
        r = got[(a, b)]
        pa, pb = counts[a], counts[b]
        assert math.isclose(r["jaccard"], w / (pa + pb - w))
        assert math.isclose(r["dice"], 2 * w / (pa + pb))
        expected = 1.0 if w == n else math.log(w * n / (pa * pb)) / -math.log(w / n)
        assert math.isclose(r["npmi"], expected, abs_tol=1e-12)


SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(corpus_strategy)
def test_sentence_unit_matches_oracle(corpus):
    check(corpus, "sentence", "sentence")


@SETTINGS
@given(corpus_strategy, st.integers(min_value=1, max_value=6))
def test_window_unit_matches_oracle(corpus, k):
    check(corpus, f"window:{k}", "window", k)


@SETTINGS
@given(corpus_strategy)
def test_document_unit_matches_oracle(corpus):
    check(corpus, "document", "document")
