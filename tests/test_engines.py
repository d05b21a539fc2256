"""The local engine, the integer-code counter, the vectorised resolver and igraph measures
give the same tables/numbers as the foundation's serial code and independent oracles."""

from __future__ import annotations

import itertools
import random
from collections import defaultdict

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.generate import generate
from conftest import FIXTURES, SEEDS
from graphbuild.core.diagnostics import Diagnostics
from graphbuild.core.fork import fork_map
from graphbuild.count import cooccurrence
from graphbuild.count.pairs import count_sorted_pairs
from graphbuild.engines import EngineStats
from graphbuild.engines.local import parse_files
from graphbuild.extract import parse_corpus, recognize
from graphbuild.measures import centrality as analysis
from graphbuild.measures.arrays import ArrayGraph
from graphbuild.measures.centrality import centralities, centralities_from_tables
from graphbuild.measures.communities import (
    BackgroundCommunities,
    communities,
    communities_from_tables,
)
from graphbuild.pipeline import build
from graphbuild.read import read_documents
from oracles import nx_centralities


def process_mapper(workers):
    """An engine's ``map`` on ``workers`` forked processes."""
    return lambda fn, items: fork_map(fn, items, workers)


@pytest.fixture(scope="module")
def gen60(tmp_path_factory):
    return generate(60, seed=5, out=tmp_path_factory.mktemp("gen60"), per_dir=20)


def _serial(inputs):
    diag = Diagnostics()
    return parse_corpus(read_documents(inputs, diag), diag), diag


def test_local_engine_two_processes_equals_serial_parse(gen60):
    inputs = [str(SEEDS), str(FIXTURES), str(gen60)]
    expected, d1 = _serial(inputs)
    d2, stats = Diagnostics(), EngineStats()
    # 8 files per batch: 10 batches over 2 worker processes
    got = recognize(parse_files(inputs, d2, mapper=process_mapper(2), batch_files=8,
                                stats=stats), None, d2)
    n_files = len(set(expected.documents["source_path"]))
    assert stats.files_read == n_files and stats.chunks == -(-n_files // 8)
    for name in ("documents", "paragraphs", "mentions"):
        pd.testing.assert_frame_equal(getattr(expected, name), getattr(got, name))
    assert sorted(map(str, d1.problems)) == sorted(map(str, d2.problems))


def test_duplicate_doc_ids_renamed_as_serial(tmp_path):
    text = (SEEDS / "cable_09STATE83014_annotated.txt").read_text(encoding="utf-8")
    for sub in ("a", "b", "c"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "cable_09STATE83014.txt").write_text(text, encoding="utf-8")
    expected, d1 = _serial([str(tmp_path)])
    d2 = Diagnostics()
    got = recognize(parse_files([str(tmp_path)], d2, mapper=process_mapper(2), batch_files=1),
                    None, d2)
    # three files, one id: 09STATE83014, 09STATE83014~2, 09STATE83014~3
    assert got.documents["doc_id"].tolist() == ["09STATE83014", "09STATE83014~2",
                                                "09STATE83014~3"]
    for name in ("documents", "paragraphs", "mentions"):
        pd.testing.assert_frame_equal(getattr(expected, name), getattr(got, name))
    assert sorted(map(str, d1.problems)) == sorted(map(str, d2.problems))


def test_whole_build_local_engine_equals_foundation_build():
    inputs = [str(SEEDS), str(FIXTURES)]
    a = build(inputs)
    b = build(inputs, engine="local", workers=2)
    for name in ("documents", "paragraphs", "mentions", "entities", "edges", "evidence",
                 "resolution"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    pd.testing.assert_frame_equal(a.centrality, b.centrality)



def _oracle(rows):
    """Brute force: per unit the set of entities, every pair of the set counted once."""
    units = defaultdict(set)
    for doc, para, ent in rows:
        units[(doc, para)].add(ent)
    weight, docs, evidence = defaultdict(int), defaultdict(set), defaultdict(list)
    for (doc, para), ents in units.items():
        for a, b in itertools.combinations(sorted(ents), 2):
            weight[(a, b)] += 1
            docs[(a, b)].add(doc)
            evidence[(a, b)].append((doc, para))
    return weight, docs, evidence


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["d1", "d2", "d10"]), st.integers(0, 4),
                          st.sampled_from(list("abcdefg"))), max_size=60))
def test_fast_counter_matches_brute_force(rows):
    m = pd.DataFrame(rows, columns=["doc_id", "paragraph", "entity_id"])
    m = m.assign(section="body", status="kept")
    co = cooccurrence(m)
    weight, docs, evidence = _oracle(rows)
    got = {(r.source, r.target): (r.weight, r.documents) for r in co.edges.itertuples()}
    assert got == {k: (w, len(docs[k])) for k, w in weight.items()}
    ev = defaultdict(list)
    for r in co.evidence.itertuples():
        ev[(r.source, r.target)].append((r.doc_id, r.paragraph))
    assert {k: sorted(v) for k, v in ev.items()} == {k: sorted(v) for k, v in evidence.items()}


def test_count_pairs_on_a_hand_counted_example():
    # unit 0 {0,1,2}, unit 1 {0,1} (same doc 0), unit 2 {1,2} (doc 1):
    # (0,1): units 0,1 -> weight 2, docs 1; (0,2): unit 0 -> 1, 1; (1,2): units 0,2 -> 2, 2
    # incidences sorted by (unit, entity); unit_doc[u] = the document of unit u
    pc = count_sorted_pairs(np.array([0, 0, 0, 1, 1, 2, 2]), np.array([0, 1, 2, 0, 1, 1, 2]),
                            np.array([0, 0, 1]), 3)
    assert list(zip(pc.a.tolist(), pc.b.tolist(), pc.weight.tolist(),
                    pc.documents.tolist(), strict=True)) == [
        (0, 1, 2, 1), (0, 2, 1, 1), (1, 2, 2, 2)]


def _random_weighted(n, m, seed):
    rnd = random.Random(seed)
    G = nx.gnm_random_graph(n, m, seed=seed)
    G.add_nodes_from([n, n + 1])                 # an isolated pair, another component
    G.add_edge(n, n + 1)
    for u, v in G.edges:
        G[u][v]["weight"] = rnd.choice([1, 2, 3, 5, 8])
    return G


def _tables(G):
    ents = pd.DataFrame({"entity_id": [f"n{v:03d}" for v in G.nodes]})
    eds = pd.DataFrame([(f"n{u:03d}", f"n{v:03d}", d["weight"]) for u, v, d in
                        G.edges(data=True)], columns=["source", "target", "weight"])
    return ents, eds


def test_measures_equal_networkx_algorithms():
    """The array engine against networkx's own algorithms (the oracle) on a weighted graph
    with two components."""
    G = _random_weighted(70, 260, 3)
    ents, eds = _tables(G)
    expected = nx_centralities(nx.relabel_nodes(G, {v: f"n{v:03d}" for v in G.nodes}))
    got = centralities_from_tables(ents, eds).reindex(expected.index)
    for m in ("degree", "strength", "eigenvector", "pagerank", "closeness", "harmonic"):
        np.testing.assert_allclose(got[m], expected[m], atol=1e-9, err_msg=m)
    # betweenness: shortest-path ties on float distances may be broken differently
    assert np.corrcoef(got["betweenness"], expected["betweenness"])[0, 1] > 0.99
    np.testing.assert_allclose(got["betweenness"], expected["betweenness"], atol=0.01)
    # the networkx graph a user holds goes through the same engine
    pd.testing.assert_frame_equal(centralities(nx.relabel_nodes(
        G, {v: f"n{v:03d}" for v in G.nodes})).reindex(got.index), got)


@pytest.mark.parametrize("weight", ["weight", "npmi"])
def test_sampled_measures_equal_networkx_sampling(monkeypatch, weight):
    """Above the exact sizes the estimates use networkx's own seeded source sample: they
    agree with networkx's ``betweenness_centrality(k=...)`` and with closeness/harmonic
    averaged over the same sources (and differ from the exact values, so the sampling
    really ran)."""
    G = _random_weighted(300, 1500, 9)
    ents, eds = _tables(G)
    eds["npmi"] = (eds["weight"] - 4) / 5            # in [-0.6, 0.8], exercises the shift
    monkeypatch.setattr(analysis, "BETWEENNESS_EXACT_MAX_NODES", 100)
    monkeypatch.setattr(analysis, "CLOSENESS_EXACT_MAX_NODES", 100)
    monkeypatch.setattr(analysis, "BETWEENNESS_SAMPLES", 60)
    monkeypatch.setattr(analysis, "CLOSENESS_SAMPLES", 40)
    H = nx.Graph()
    H.add_nodes_from(ents["entity_id"])
    H.add_edges_from((s, t, {weight: w}) for s, t, w in zip(eds["source"], eds["target"],
                                                           eds[weight], strict=True))
    expected = nx_centralities(H, weight=weight, seed=5, k=60, sources=40)
    got = centralities_from_tables(ents, eds, seed=5, weight=weight).reindex(expected.index)
    for m in analysis.MEASURES:
        atol = 2e-3 if m == "betweenness" else 1e-9      # ties on float path lengths
        np.testing.assert_allclose(got[m], expected[m], atol=atol, err_msg=m)
    monkeypatch.setattr(analysis, "BETWEENNESS_EXACT_MAX_NODES", 1000)
    exact = centralities_from_tables(ents, eds, seed=5, weight=weight)
    assert not np.allclose(exact["betweenness"], got["betweenness"])
    assert np.corrcoef(exact["betweenness"], got["betweenness"])[0, 1] > 0.8


def test_sample_budget_shrinks_with_edges():
    from graphbuild.measures.centrality import betweenness_note, sample_size

    # 5e7 / edges sources, between 8 and 500: hand-computed
    assert sample_size(10_000, 50_000, 500) == 500
    assert sample_size(10_000, 1_000_000, 500) == 50
    assert sample_size(300_000, 12_000_000, 500) == 8
    assert sample_size(5, 10, 500) == 5
    # 8 sources bound nothing: sqrt(ln(2 * 300,000 / 0.05) / 16) > 1, stated as ±1.00
    assert betweenness_note(300_000, 1, 12_000_000, 0.9) == (
        "sampled from k=8 sources (seed 1; Brandes and Pich 2007): every value within ±1.00 "
        "of exact with probability 0.95 (Hoeffding); top-20 agreement of the two "
        "half-samples 0.90; closeness/harmonic estimated from 8 sources")


def test_sampled_betweenness_is_seeded(monkeypatch):
    from graphbuild.measures import centrality as analysis

    G = _random_weighted(300, 1500, 9)
    ents, eds = _tables(G)
    monkeypatch.setattr(analysis, "BETWEENNESS_EXACT_MAX_NODES", 100)
    s1 = centralities_from_tables(ents, eds, seed=2)
    s2 = centralities_from_tables(ents, eds, seed=2)
    s3 = centralities_from_tables(ents, eds, seed=3)
    pd.testing.assert_frame_equal(s1, s2)
    assert not s1["betweenness"].equals(s3["betweenness"])


def test_communities_of_two_triangles():
    # two triangles joined by one weak edge: two communities of three
    ents = pd.DataFrame({"entity_id": list("abcdef")})
    eds = pd.DataFrame({"source": list("aabddec"), "target": list("bccefed"),
                        "weight": [5, 5, 5, 5, 5, 5, 1]})
    eds = eds[eds["source"] < eds["target"]]
    comm = communities_from_tables(ents, eds)
    assert comm["a"] == comm["b"] == comm["c"] != comm["d"] == comm["e"] == comm["f"]


def test_background_communities_equal_in_process():
    G = _random_weighted(400, 2400, 4)
    ents, eds = _tables(G)
    ag = ArrayGraph.from_tables(ents, eds)
    here = communities(ag, "louvain", seed=7)
    there = BackgroundCommunities(ag, "louvain", 7).result()
    pd.testing.assert_series_equal(here, there)
    # the isolated pair added by _random_weighted is a community of its own
    pair = here[["n400", "n401"]]
    assert pair.iloc[0] == pair.iloc[1] and (here == pair.iloc[0]).sum() == 2


def test_pipeline_measures_equal_networkx_algorithms():
    """A whole build's measures against networkx's algorithms on its own edges table."""
    eg = build(SEEDS / "cable_09STATE83014_annotated.txt")
    assert eg.settings["measures_engine"] == "igraph+scipy"
    G = nx.Graph()
    G.add_nodes_from(eg.entities["entity_id"])
    G.add_weighted_edges_from(zip(eg.edges["source"], eg.edges["target"], eg.edges["weight"],
                                  strict=True))
    expected = nx_centralities(G)
    got = eg.centrality.reindex(expected.index)
    for m in analysis.MEASURES:
        atol = 0.01 if m == "betweenness" else 1e-9
        np.testing.assert_allclose(got[m], expected[m], atol=atol, err_msg=m)
    # every entity in exactly one community, numbered 0..k-1 by decreasing size
    part = eg.community.reindex(eg.entities["entity_id"])
    assert part.notna().all()
    sizes = part.value_counts().sort_index()
    assert list(sizes.index) == list(range(len(sizes)))
    assert sizes.is_monotonic_decreasing
