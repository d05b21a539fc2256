"""The vectorised counter against a brute-force oracle on generated annotated documents."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import graphbuild as gb
from graphbuild.read import read_text

# distinct names whose case-folded forms differ, so the oracle can key on them directly
NAMES = ["Uribe", "Chavez", "Caracas", "Bogota", "FARC", "EU", "Sweden", "Spain", "Russia",
         "Saab Bofors", "Latin America", "Lavrov"]
TYPES = ["PER", "PER", "LOC", "LOC", "ORG", "ORG", "LOC", "LOC", "LOC", "ORG", "LOC", "PER"]
FILLER = ["the", "said", "(C)", "talks", "[sic]", "in 1988", "¶1988", "--", "arms", "U.S.-made"]

paragraph = st.lists(st.tuples(st.integers(0, len(NAMES) - 1), st.sampled_from(FILLER)),
                     max_size=7)
document = st.lists(paragraph, min_size=1, max_size=6)
corpus = st.lists(document, min_size=1, max_size=4)


def render(doc: list[list[tuple[int, str]]]) -> str:
    lines = ["SUBJECT: GENERATED CABLE", ""]
    for number, par in enumerate(doc, start=1):
        words = [f"¶{number} ."]
        for name_index, filler in par:
            words += [filler, f"[{TYPES[name_index]} {NAMES[name_index]}  ]"]
        lines.append(" ".join(words))
    return "\n".join(lines)


def oracle(docs: list[list[list[tuple[int, str]]]]) -> dict[tuple[str, str], tuple[int, int]]:
    """Plain Python: for every paragraph, every pair of distinct names; count paragraphs/docs."""
    units: dict[tuple[str, str], set] = defaultdict(set)
    documents: dict[tuple[str, str], set] = defaultdict(set)
    for d, doc in enumerate(docs):
        for p, par in enumerate(doc):
            present = sorted({NAMES[i].casefold() for i, _ in par})
            for a, b in combinations(present, 2):
                units[(a, b)].add((d, p))
                documents[(a, b)].add(d)
    return {k: (len(v), len(documents[k])) for k, v in units.items()}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpus)
def test_counter_equals_brute_force(docs):
    documents = [read_text(render(doc), f"D{i}")[0] for i, doc in enumerate(docs)]
    tables = gb.parse_corpus(documents)
    res = gb.resolve(tables.mentions)
    co = gb.cooccurrence(res.mentions)
    label = dict(zip(res.entities["entity_id"], res.entities["label"].str.casefold(),
                     strict=True))
    got = {}
    for row in co.edges.itertuples():
        a, b = sorted((label[row.source], label[row.target]))
        got[(a, b)] = (row.weight, row.documents)
    assert got == oracle(docs)
    # every edge's evidence rows = its weight
    assert co.evidence.groupby(["source", "target"]).size().sum() == co.edges["weight"].sum()
