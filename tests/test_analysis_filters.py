"""Graph filters and the disparity backbone, against hand computations."""

from __future__ import annotations

import pandas as pd
import pytest

from graphbuild.core.names import match_entity
from graphbuild.graph import disparity_alpha, filter_tables, keep_top
from graphbuild.measures.centrality import centralities_from_tables


def tables():
    # entities a..f; star a-{b,c,d} with weights 8,1,1; triangle d-e-f weights 2,2,2
    ents = pd.DataFrame({"entity_id": list("abcdef"), "label": list("ABCDEF"),
                         "type": ["PER", "PER", "LOC", "ORG", "ORG", "LOC"],
                         "mentions": [9, 3, 1, 4, 2, 2], "aliases": ["", "", "", "Dee", "", ""]})
    eds = pd.DataFrame({"source": ["a", "a", "a", "d", "d", "e"],
                        "target": ["b", "c", "d", "e", "f", "f"],
                        "weight": [8, 1, 1, 2, 2, 2]})
    return ents, eds


def test_disparity_alpha_hand_count():
    # a: k=3, s=10.  b: k=1.  c: k=1.  d: k=3, s=5.  e, f: k=2, s=4.
    # a-b: from a (1-8/10)^2 = 0.04; from b (k=1) 1            -> 0.04
    # a-c: from a (1-1/10)^2 = 0.81                              -> 0.81
    # a-d: from a 0.81; from d (1-1/5)^2 = 0.64                  -> 0.64
    # d-e: from d (1-2/5)^2 = 0.36; from e (1-2/4)^1 = 0.5       -> 0.36
    # e-f: (1-2/4)^1 = 0.5 both sides                            -> 0.5
    _, eds = tables()
    assert disparity_alpha(eds).round(10).tolist() == [0.04, 0.81, 0.64, 0.36, 0.36, 0.5]


def test_backbone_keeps_alpha_and_reports_removed():
    ents, eds = tables()
    e, d, removed = filter_tables(ents, eds, backbone="disparity", alpha=0.4)
    # alpha < 0.4: a-b (0.04), d-e (0.36), d-f (0.36)
    assert d[["source", "target"]].values.tolist() == [["a", "b"], ["d", "e"], ["d", "f"]]
    assert d["alpha"].round(10).tolist() == [0.04, 0.36, 0.36]
    assert removed == {"edges not significant at alpha 0.4 (disparity backbone)": 3}
    assert len(e) == 6                     # entities are never dropped by an edge filter
    with pytest.raises(ValueError, match="unknown backbone"):
        filter_tables(ents, eds, backbone="polya")


def test_backbone_on_jaccard_weight():
    ents, eds = tables()
    eds = eds.assign(jaccard=[0.5, 0.5, 0.5, 0.5, 0.5, 0.5])
    # equal weights everywhere: a (k=3) gives (1-1/3)^2 = 4/9 to each edge, nothing < 0.3
    _, d, _ = filter_tables(ents, eds, backbone="disparity", alpha=0.3, weight="jaccard")
    assert d.empty


def test_k_core_hand_count():
    # core numbers: b, c = 1 (degree 1); a = 1; d, e, f = 2 (triangle)
    ents, eds = tables()
    e, d, removed = filter_tables(ents, eds, k_core=2)
    assert sorted(e["entity_id"]) == ["d", "e", "f"]
    assert len(d) == 3
    # removed a, b, c and their edges a-b, a-c, a-d
    assert removed == {"entities outside the 2-core": 3, "edges of removed entities": 3}


def test_ego_radius_and_alias_match():
    ents, eds = tables()
    # ego of d ("Dee" is its alias), radius 1: d, a, e, f
    e, d, removed = filter_tables(ents, eds, ego="dee", radius=1)
    assert sorted(e["entity_id"]) == ["a", "d", "e", "f"]
    assert removed["entities beyond 1 hop(s) of dee"] == 2
    e2, _, _ = filter_tables(ents, eds, ego="D", radius=2)
    assert len(e2) == 6
    with pytest.raises(LookupError, match="did you mean A"):
        filter_tables(ents, eds, ego="Aa")


def test_top_n_by_degree():
    # degrees: a 3, d 3, e 2, f 2, b 1, c 1 -> top 2 = a, d (ties broken by label)
    ents, eds = tables()
    removed = {}
    degree = centralities_from_tables(ents, eds, measures=["degree"])["degree"]
    e, d = keep_top(ents, eds, degree, 2, "degree", removed)
    assert sorted(e["entity_id"]) == ["a", "d"]
    assert d[["source", "target"]].values.tolist() == [["a", "d"]]
    assert removed["entities outside the top 2 by degree"] == 4
    assert removed["edges of removed entities"] == 5


def test_entity_and_weight_filters_in_order():
    ents, eds = tables()
    # types PER,ORG drop c, f (LOC) and edges a-c, d-f, e-f; min_mentions 3 drops e (2);
    # then d-e goes too; min_weight 2 drops a-d (1); a-b (8) stays
    e, d, removed = filter_tables(ents, eds, types=["per", "org"], min_mentions=3,
                                  min_weight=2)
    assert sorted(e["entity_id"]) == ["a", "b", "d"]
    assert d[["source", "target"]].values.tolist() == [["a", "b"]]
    assert removed == {"entities of other types": 2, "entities below min_mentions": 1,
                       "edges of removed entities": 4, "edges below min_weight": 1}


def test_filters_on_empty_tables():
    ents, eds = tables()
    e, d, removed = filter_tables(ents.iloc[:0], eds.iloc[:0], k_core=2,
                                  backbone="disparity")
    assert e.empty and d.empty
    e, d = keep_top(e, d, pd.Series(dtype="float64"), 3)
    assert e.empty and d.empty


def test_match_entity_forgiving():
    ents, _ = tables()
    assert match_entity(ents, "  a ") == "a"
    assert match_entity(ents, "DEE") == "d"
    with pytest.raises(LookupError, match="no entity matches 'zzz'"):
        match_entity(ents, "zzz")


def test_ego_removed_by_earlier_filter_says_so():
    ents, eds = tables()
    with pytest.raises(LookupError, match="removed by an earlier filter"):
        filter_tables(ents, eds, types=["LOC"], ego="A")
