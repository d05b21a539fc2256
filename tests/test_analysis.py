"""Centrality, rank correlation, brokers and communities: hand counts and networkx/scipy
oracles, on connected, disconnected and empty graphs."""

from __future__ import annotations

import math
import random

import networkx as nx
import pandas as pd
import pytest
from scipy.stats import spearmanr

from graphbuild.measures import centrality as analysis
from graphbuild.measures.centrality import (
    MEASURES,
    brokers,
    centralities,
    rank_correlation,
)
from graphbuild.measures.communities import communities
from graphbuild.measures.summary import community_summary


def weighted(edges) -> nx.Graph:
    G = nx.Graph()
    G.add_weighted_edges_from(edges)
    return G


def random_graph(seed: int, n: int = 30, p: float = 0.12) -> nx.Graph:
    # weights are powers of two: 1/weight sums are exact in floating point, so networkx
    # (exact comparison) and igraph (tolerant comparison) see the same ties
    rnd = random.Random(seed)
    G = nx.gnp_random_graph(n, p, seed=seed)
    for u, v in G.edges:
        G.edges[u, v]["weight"] = rnd.choice([1, 2, 4, 8])
    G.add_node(n)  # an isolate: the graph is never connected
    return G


def test_distance_is_inverse_weight_hand_count():
    # triangle a-b (w 1), b-c (w 1), a-c (w 0.25): direct a-c has length 1/0.25 = 4, the path
    # through b has 1 + 1 = 2, so b lies on the only shortest a-c path -> betweenness 1
    # (normalised by (n-1)(n-2)/2 = 1); a and c lie on none.
    G = weighted([("a", "b", 1), ("b", "c", 1), ("a", "c", 0.25)])
    c = centralities(G)
    assert c.loc["b", "betweenness"] == pytest.approx(1.0)
    assert c.loc["a", "betweenness"] == 0 and c.loc["c", "betweenness"] == 0
    # strength = sum of weights; degree = neighbours
    assert c.loc["a", "strength"] == pytest.approx(1.25) and c.loc["a", "degree"] == 2
    # closeness of a: distances b 1, c 2 -> (n-1)/sum = 2/3
    assert c.loc["a", "closeness"] == pytest.approx(2 / 3)
    # harmonic of a: (1/1 + 1/2) / (n-1) = 0.75
    assert c.loc["a", "harmonic"] == pytest.approx(0.75)
    # with a strong a-c tie (w 4, length 0.25) nobody is in between
    G["a"]["c"]["weight"] = 4
    assert centralities(G)["betweenness"].max() == 0


def test_rounding_ties_are_ties():
    # path a-b-c-d with weights 10 (length 0.1 each) and a direct a-d of weight 10/3
    # (length 0.3): a-d has two shortest paths (0.1+0.1+0.1 is 0.30000000000000004 in
    # floating point, but it is the same length). Pairs through b: (a,c) fully, (a,d) half
    # -> 1.5; same for c with (b,d). Normalised by (n-1)(n-2)/2 = 3 -> 0.5 each.
    G = weighted([("a", "b", 10), ("b", "c", 10), ("c", "d", 10), ("a", "d", 10 / 3)])
    c = centralities(G)
    assert c.loc["b", "betweenness"] == pytest.approx(0.5)
    assert c.loc["c", "betweenness"] == pytest.approx(0.5)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_path_measures_match_networkx_on_disconnected_graphs(seed):
    G = random_graph(seed)
    assert not nx.is_connected(G)
    H = G.copy()
    for _, _, d in H.edges(data=True):
        d["distance"] = 1 / d["weight"]
    n = H.number_of_nodes()
    c = centralities(G)
    close = nx.closeness_centrality(H, distance="distance")   # Wasserman-Faust by default
    harm = nx.harmonic_centrality(H, distance="distance")
    betw = nx.betweenness_centrality(H, weight="distance")
    # converged far below the default tolerance: the exact stationary vector, as PRPACK
    pr = nx.pagerank(H, weight="weight", tol=1e-13, max_iter=10_000)
    for v in H:
        assert c.loc[v, "closeness"] == pytest.approx(close[v], abs=1e-12)
        assert c.loc[v, "harmonic"] == pytest.approx(harm[v] / (n - 1), abs=1e-12)
        assert c.loc[v, "betweenness"] == pytest.approx(betw[v], abs=1e-12)
        assert c.loc[v, "pagerank"] == pytest.approx(pr[v], abs=1e-9)
        assert c.loc[v, "degree"] == H.degree(v)
    isolate = n - 1
    assert c.loc[isolate, ["degree", "closeness", "harmonic", "eigenvector"]].sum() == 0
    assert list(c.columns) == list(MEASURES)


def test_eigenvector_on_every_component():
    # two disjoint triangles, one of 3 nodes and one path of 2: both components ranked
    G = weighted([("a", "b", 1), ("b", "c", 1), ("a", "c", 1), ("x", "y", 1)])
    ev = centralities(G)["eigenvector"]
    assert (ev > 0).all()
    # symmetric triangle: equal scores; component share 3/5 vs 2/5 scales them
    assert ev["a"] == pytest.approx(ev["b"]) == pytest.approx(ev["c"])
    assert ev["a"] == pytest.approx((1 / math.sqrt(3)) * 3 / 5)
    assert ev["x"] == pytest.approx((1 / math.sqrt(2)) * 2 / 5)


def test_sampled_betweenness_above_threshold(monkeypatch):
    G = random_graph(7, n=60, p=0.1)
    monkeypatch.setattr(analysis, "BETWEENNESS_EXACT_MAX_NODES", 20)
    monkeypatch.setattr(analysis, "BETWEENNESS_SAMPLES", 25)
    a = centralities(G, seed=3)["betweenness"]
    b = centralities(G, seed=3)["betweenness"]
    pd.testing.assert_series_equal(a, b)                 # seeded: reproducible
    H = G.copy()
    for _, _, d in H.edges(data=True):
        d["distance"] = 1 / d["weight"]
    sampled = nx.betweenness_centrality(H, k=25, seed=3, weight="distance")
    assert a.to_dict() == pytest.approx(sampled)
    # Hoeffding with k=25 over 61 nodes: sqrt(ln(2 * 61 / 0.05) / 50) = 0.395 (by hand)
    assert analysis.betweenness_note(61, 3) == (
        "sampled from k=25 sources (seed 3; Brandes and Pich 2007): every value within ±0.39 "
        "of exact with probability 0.95 (Hoeffding)")


def test_npmi_weight_is_shifted_positive():
    # npmi -0.5 -> tie 0.25, npmi 1 -> tie 1: strength of b = 1.25
    G = nx.Graph()
    G.add_edge("a", "b", npmi=-0.5)
    G.add_edge("b", "c", npmi=1.0)
    c = centralities(G, weight="npmi")
    assert c.loc["b", "strength"] == pytest.approx(1.25)


def test_empty_graph_everywhere():
    G = nx.Graph()
    c = centralities(G)
    assert c.empty and list(c.columns) == list(MEASURES)
    assert rank_correlation(c).isna().all().all()
    assert brokers(c).empty
    comm = communities(G)
    assert comm.empty
    assert community_summary(comm, c, pd.DataFrame(columns=["source", "target", "weight"])
                             ).empty


def test_graph_without_edges():
    G = nx.Graph()
    G.add_nodes_from(["a", "b"])
    c = centralities(G)
    assert c["pagerank"].tolist() == [0.5, 0.5] and c["betweenness"].sum() == 0
    assert sorted(communities(G).tolist()) == [0, 1]
    assert sorted(communities(G, "leiden").tolist()) == [0, 1]


def test_rank_correlation_matches_scipy():
    c = centralities(random_graph(4))
    table = rank_correlation(c)
    rho = spearmanr(c["degree"], c["pagerank"]).statistic
    assert table.loc["degree", "pagerank"] == pytest.approx(rho)
    assert table.loc["pagerank", "degree"] == pytest.approx(rho)
    assert (table.to_numpy().diagonal() == 1).all()


def two_cliques_and_bridge() -> nx.Graph:
    # clique {a1..a4}, clique {b1..b4}; "m" links a1 and b1 (a broker of degree 2)
    G = nx.Graph()
    for side in "ab":
        nodes = [f"{side}{i}" for i in range(1, 5)]
        G.add_weighted_edges_from((u, v, 3) for i, u in enumerate(nodes) for v in nodes[i + 1:])
    G.add_weighted_edges_from([("a1", "m", 1), ("m", "b1", 1)])
    return G


def test_brokers_hand_example():
    c = centralities(two_cliques_and_bridge())
    top = brokers(c, n=3)
    # m has the lowest degree (2) among nodes on paths between the cliques but sits on
    # every a-b path: highest betweenness rank, lowest degree rank -> first broker
    assert top.index[0] == "m"
    assert set(top.index) == {"m", "a1", "b1"}   # only these have betweenness > 0
    assert top.loc["m", "broker_score"] > 0 > top.loc["a1", "broker_score"]


@pytest.mark.parametrize("method", ["louvain", "leiden"])
def test_communities_two_cliques(method):
    comm = communities(two_cliques_and_bridge(), method=method, seed=1)
    a = {comm[f"a{i}"] for i in range(1, 5)}
    b = {comm[f"b{i}"] for i in range(1, 5)}
    assert len(a) == 1 and len(b) == 1 and a != b
    # ids: 0 is the largest community
    sizes = comm.value_counts()
    assert sizes.index[0] == 0 and sizes.iloc[0] == sizes.max()
    pd.testing.assert_series_equal(comm, communities(two_cliques_and_bridge(), method=method,
                                                     seed=1))


def test_unknown_method_and_measure():
    with pytest.raises(ValueError, match="unknown community method"):
        communities(nx.Graph(), method="walktrap")
    with pytest.raises(ValueError, match="unknown measure"):
        centralities(nx.path_graph(2), measures=["katz"])


def test_community_summary_hand_example():
    # communities: 0 = {a, b, c}, 1 = {x, y}; edges a-b 5, b-c 1, a-c 1, x-y 2, c-x 1
    comm = pd.Series({"a": 0, "b": 0, "c": 0, "x": 1, "y": 1})
    cent = pd.DataFrame({"pagerank": [0.3, 0.25, 0.2, 0.15, 0.1]}, index=list("abcxy"))
    edges = pd.DataFrame({"source": ["a", "b", "a", "x", "c"], "target": ["b", "c", "c", "y", "x"],
                          "weight": [5, 1, 1, 2, 1]})
    entities = pd.DataFrame({"entity_id": list("abcxy"), "label": ["A", "B", "C", "X", "Y"]})
    # paragraphs: d:¶1 {a, b}, d:¶2 {a, b, c}, d:¶3 {x, y}, d:¶4 {a} (one top entity: no)
    mentions = pd.DataFrame({
        "doc_id": ["d"] * 8, "paragraph": [1, 1, 2, 2, 2, 3, 3, 4],
        "entity_id": ["a", "b", "a", "b", "c", "x", "y", "a"], "status": ["kept"] * 8,
        "section": ["body"] * 8})
    s = community_summary(comm, cent, edges, entities, mentions, top=2).set_index("community")
    assert s.loc[0, "size"] == 3 and s.loc[1, "size"] == 2
    assert s.loc[0, "internal_edges"] == 3 and s.loc[0, "external_edges"] == 1
    assert s.loc[0, "top_entities"] == "A; B"
    assert s.loc[0, "brokers"] == "C → 1" and s.loc[1, "brokers"] == "X → 0"
    # top entities A, B both in ¶1 and ¶2; ¶2 mentions 3 members -> first
    assert s.loc[0, "paragraph_refs"] == ["d:¶2", "d:¶1"]
    assert s.loc[1, "paragraph_refs"] == ["d:¶3"]


@pytest.mark.parametrize("seed", range(6))
def test_representative_paragraphs_equal_a_plain_loop(seed):
    # oracle: per community, every (document, paragraph) counted by hand with sets: the
    # community's top entities in it (at least two) and its members in it; most top
    # entities first, then most members, then doc_id, then paragraph; the first three
    rng = random.Random(seed)
    ents = [f"e{i}" for i in range(14)]
    comm = pd.Series({e: rng.randrange(3) for e in ents})
    cent = pd.DataFrame({"pagerank": [rng.random() for _ in ents]}, index=ents)
    rows = [(rng.choice(["d2", "d10", "d1", "x"]), rng.randrange(-2, 6), rng.choice(ents),
             rng.choice(["kept", "kept", "kept", "dropped"]),
             rng.choice(["body", "body", "subject", "header"])) for _ in range(160)]
    mentions = pd.DataFrame(rows, columns=["doc_id", "paragraph", "entity_id", "status",
                                           "section"])
    edges = pd.DataFrame({"source": ents[:-1], "target": ents[1:], "weight": 1})
    got = community_summary(comm, cent, edges, mentions=mentions, top=3)
    got = dict(zip(got["community"], got["paragraph_refs"], strict=True))
    for c in set(comm):
        members = {e for e in ents if comm[e] == c}
        top = sorted(members, key=lambda e: (-cent.loc[e, "pagerank"], e))[:3]
        units: dict[tuple[str, int], set] = {}
        for d, p, e, status, section in rows:
            if status == "kept" and section in ("subject", "body") and e in members:
                units.setdefault((d, p), set()).add(e)
        ranked = sorted(((-len(es & set(top)), -len(es), d, p) for (d, p), es in units.items()
                         if len(es & set(top)) >= 2))
        assert got[c] == [f"{d}:¶{p}" for _, _, d, p in ranked[:3]], c


def test_sampled_closeness_and_harmonic_match_plain_estimator(monkeypatch):
    # oracle: Dijkstra from the same seeded sources with networkx, then the estimator
    # written out: closeness = share of other sources reached / mean distance to them,
    # harmonic = mean of 1/d over the other sources
    G = random_graph(11, n=50, p=0.08)
    monkeypatch.setattr(analysis, "CLOSENESS_EXACT_MAX_NODES", 10)
    monkeypatch.setattr(analysis, "CLOSENESS_SAMPLES", 12)
    c = centralities(G, seed=5, measures=["closeness", "harmonic"])
    H = G.copy()
    for _, _, d in H.edges(data=True):
        d["distance"] = 1 / d["weight"]
    sources = random.Random(5).sample(list(H.nodes), 12)
    dist = {s: nx.single_source_dijkstra_path_length(H, s, weight="distance") for s in sources}
    for v in H:
        others = [s for s in sources if s != v]
        reached = [dist[s][v] for s in others if v in dist[s]]
        close = (len(reached) / len(others)) / (sum(reached) / len(reached)) if reached else 0
        harm = sum(1 / d for d in reached) / len(others)
        assert c.loc[v, "closeness"] == pytest.approx(close, abs=1e-12)
        assert c.loc[v, "harmonic"] == pytest.approx(harm, abs=1e-12)
    # every node a source: the estimator is the exact value
    monkeypatch.setattr(analysis, "CLOSENESS_SAMPLES", 10_000)
    exact = nx.closeness_centrality(H, distance="distance")
    full = centralities(G, measures=["closeness"])["closeness"]
    assert full.to_dict() == pytest.approx(exact)
