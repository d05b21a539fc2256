"""The memory-saving (and sort-saving) forms give what the plain forms give.

At Cablegate scale the tables are tens of millions of rows, so several steps avoid whole-table
copies: the columns resolution adds are dictionary-coded, ids are looked up without casting
millions of strings, brokers are counted per member instead of per crossing edge. Each is
checked here against the plain pandas/networkx way on random inputs (the oracle), never
against itself.
"""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from graphbuild.core import tables
from graphbuild.count.cooccur import cooccurrence
from graphbuild.measures.summary import community_summary


def _words(rng: random.Random, n: int, k: int) -> list[str]:
    alphabet = "abcÉé ñ-"
    pool = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6))) for _ in range(k)]
    return [rng.choice(pool) for _ in range(n)]


@pytest.mark.parametrize("seed", range(5))
def test_category_of_equals_pandas_categorical(seed):
    rng = random.Random(seed)
    values = _words(rng, rng.randint(0, 30), 12)
    codes = np.array([rng.randint(-1, len(values) - 1) for _ in range(rng.randint(0, 60))]
                     if values else [], dtype=np.int64)
    got = tables.category_of(values, codes)
    rows = [values[c] if c >= 0 else None for c in codes.tolist()]
    used = sorted({v for v in rows if v is not None})
    want = pd.Categorical(rows, categories=pd.Index(pd.array(used, dtype="string")))
    pd.testing.assert_extension_array_equal(got, want)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("kinds", [("string", "large"), ("large", "string"),
                                   ("string", "string"), ("category", "large"),
                                   ("object", "string")])
def test_positions_equal_index_lookup(seed, kinds):
    rng = random.Random(seed)
    universe = sorted(set(_words(rng, 40, 25)))
    values = _words(rng, 200, 40)

    def column(words: list[str], kind: str) -> pd.Series:
        if kind == "category":
            return pd.Series(pd.Categorical(words))
        if kind == "object":
            return pd.Series(words, dtype=object)
        arrow = pa.array(words, type=pa.large_string() if kind == "large" else pa.string())
        return pd.Series(pd.arrays.ArrowStringArray(arrow))

    got = tables.positions(column(values, kinds[0]), column(universe, kinds[1]))
    want = pd.Index(universe).get_indexer(values)
    assert got.tolist() == want.tolist()


def _oracle_brokers(comm: dict, edges: pd.DataFrame, n: int) -> dict[int, str]:
    """Per community, its members ranked by weight to other communities (ties: smaller id),
    top ``n``, each with the communities it reaches: by networkx, one node at a time."""
    G = nx.Graph()
    G.add_weighted_edges_from(edges[["source", "target", "weight"]].itertuples(index=False))
    out: dict[int, str] = {}
    for c in sorted(set(comm.values())):
        rows = []
        for v in sorted(u for u, k in comm.items() if k == c):
            if v not in G:
                continue
            away = [(comm[u], d["weight"]) for u, d in G[v].items() if comm[u] != c]
            if away:
                rows.append((-sum(w for _, w in away), v, sorted({k for k, _ in away})))
        rows.sort()
        out[c] = "; ".join(f"{v} → {', '.join(map(str, reach))}"
                           for _, v, reach in rows[:n])
    return out


@pytest.mark.parametrize("seed", range(6))
def test_community_brokers_equal_networkx_oracle(seed):
    rng = random.Random(seed)
    nodes = [f"e{i:02d}" for i in range(rng.randint(3, 30))]
    comm = {v: rng.randrange(4) for v in nodes}
    # the community ids must be 0..k-1 without gaps, as the community detection gives
    remap = {c: i for i, c in enumerate(sorted(set(comm.values())))}
    comm = {v: remap[c] for v, c in comm.items()}
    pairs = {tuple(sorted(rng.sample(nodes, 2))) for _ in range(rng.randint(1, 80))}
    edges = pd.DataFrame(sorted(pairs), columns=["source", "target"])
    edges["weight"] = [rng.randint(1, 4) for _ in range(len(edges))]
    cent = pd.DataFrame({"pagerank": [rng.random() for _ in nodes]}, index=nodes)
    got = community_summary(pd.Series(comm), cent, edges, n_brokers=2)
    want = _oracle_brokers(comm, edges, 2)
    assert dict(zip(got["community"], got["brokers"], strict=True)) == want


def test_count_stage_in_place_buffers_equal_pair_counter():
    """The count stage reuses its pair buffers; the weights and evidence still equal a
    plain ``Counter`` over the pairs of every paragraph."""
    from collections import Counter
    from itertools import combinations

    rng = random.Random(3)
    rows = [{"doc_id": f"d{rng.randrange(20)}", "paragraph": rng.randrange(5),
             "entity_id": f"x{rng.randrange(30)}", "section": "body", "status": "kept"}
            for _ in range(600)]
    m = pd.DataFrame(rows)
    co = cooccurrence(m)
    units: dict = {}
    for r in rows:
        units.setdefault((r["doc_id"], r["paragraph"]), set()).add(r["entity_id"])
    want = Counter(p for ents in units.values() for p in combinations(sorted(ents), 2))
    got = dict(zip(zip(co.edges["source"], co.edges["target"], strict=True),
                   co.edges["weight"].tolist(), strict=True))
    assert got == dict(want)
    evidence = {(str(s), str(t), str(d), int(p)) for s, t, d, p in
                co.evidence.itertuples(index=False)}
    assert evidence == {(a, b, d, p) for (d, p), ents in units.items()
                        for a, b in combinations(sorted(ents), 2)}


@pytest.mark.parametrize("seed", range(4))
def test_page_evidence_row_order_equals_lexsort(seed):
    """The page orders the evidence of its edges by one packed key: the same order as
    numpy's three-key lexsort (ties in row order), negative paragraphs included."""
    from graphbuild.export.html import _row_order

    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 5000))
    a, b = rng.integers(0, 60, n), rng.integers(0, 900, n)
    c = rng.integers(-2, 40, n)
    assert _row_order(a, b, c).tolist() == np.lexsort((c, b, a)).tolist()


@pytest.mark.parametrize("m", [0, 1, 6, 7, 8, 300])
def test_igraph_built_in_slices_equals_one_edge_list(monkeypatch, m):
    """The big-graph engine hands igraph its edges a slice at a time: the same graph (edge
    order included) as one list of pairs, whatever the slice boundaries."""
    import igraph as ig

    from graphbuild.measures import arrays

    monkeypatch.setattr(arrays, "IGRAPH_EDGE_SLICE", 7)
    rng = np.random.default_rng(m)
    src, dst = rng.integers(0, 30, m), rng.integers(0, 30, m)
    got = arrays.igraph_graph(30, src, dst)
    want = ig.Graph(n=30, edges=list(zip(src.tolist(), dst.tolist(), strict=True)))
    assert got.vcount() == 30 and not got.is_directed()
    assert got.get_edgelist() == want.get_edgelist()


@pytest.mark.parametrize("seed", range(5))
def test_seen_dates_equal_plain_python(seed):
    """First/last dates per entity (whole columns coded by Arrow) against a dict walk over
    the rows: missing entity ids, documents not in the table and undated ones included."""
    from graphbuild.resolve.dates import seen_dates

    rng = random.Random(seed)
    docs = [f"d{i}" for i in range(12)]
    created = {d: (None if rng.random() < 0.3 else
                   f"20{rng.randint(0, 9):02d}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)} 10:00")
               for d in docs}
    documents = pd.DataFrame({"doc_id": docs, "created": [created[d] for d in docs]})
    rows = [(rng.choice([None, "x", "y", "zé", "a b"]), rng.choice(docs + ["ghost"]))
            for _ in range(rng.randint(1, 80))]
    mentions = pd.DataFrame(rows, columns=["entity_id", "doc_id"]).astype("string")
    got = seen_dates(mentions, documents)
    want: dict[str, list[str]] = {}
    for ent, doc in rows:
        if ent is None:
            continue
        dates = want.setdefault(ent, [])
        if created.get(doc):
            dates.append(created[doc])
    assert sorted(got.index) == sorted(want)
    for ent, dates in want.items():
        assert (got.loc[ent, "first_seen"], got.loc[ent, "last_seen"]) == (
            (min(dates), max(dates)) if dates else ("", ""))
