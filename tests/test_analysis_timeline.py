"""Per-period graphs from cable dates: hand-counted trends, spells, centrality over time."""

from __future__ import annotations

import pandas as pd
import pytest

from graphbuild.extract import parse_corpus
from graphbuild.measures.timeline import document_periods, period_bounds
from graphbuild.pipeline import build_from_tables
from graphbuild.read import read_text
from test_gexf import DATED, cable, dated_graph


def test_yearly_edges_and_trends_hand_count():
    # 2008: 08CARACAS1 ¶1 {chavez, farc}, 08CARACAS2 ¶1 {chavez, farc} -> chavez-farc w 2
    # 2009: 09CARACAS3 ¶1 {chavez, uribe}                                -> chavez-uribe w 1
    # 2010: ¶1 {uribe, farc}, ¶2 {chavez, uribe}                         -> each w 1
    tl = dated_graph("year").timeline
    got = {(p, s, t): w for p, s, t, w in
           tl.edges[["period", "source", "target", "weight"]].itertuples(index=False)}
    assert got == {("2008", "chavez", "farc"): 2, ("2009", "chavez", "uribe"): 1,
                   ("2010", "farc", "uribe"): 1, ("2010", "chavez", "uribe"): 1}
    # shares of each year's total weight, periods x = 0, 1, 2 (centred -1, 0, 1):
    #   chavez-farc  [1, 0, 0]    slope = ((2/3)(-1) + (-1/3)(1)) / 2 = -0.5  fading
    #   chavez-uribe [0, 1, .5]   slope = ((-.5)(-1) + 0) / 2          = 0.25 rising
    #   farc-uribe   [0, 0, .5]   slope = ((-1/6)(-1) + (1/3)(1)) / 2  = 0.25 rising
    trends = tl.trends.set_index(["source", "target"])
    assert trends.loc[("chavez", "farc"), "slope"] == pytest.approx(-0.5)
    assert trends.loc[("chavez", "farc"), "trend"] == "fading"
    assert trends.loc[("chavez", "uribe"), "slope"] == pytest.approx(0.25)
    assert trends.loc[("farc", "uribe"), "slope"] == pytest.approx(0.25)
    assert tuple(trends.loc[("chavez", "uribe"), ["first", "last", "peak", "periods"]]) == (
        "2009", "2010", "2009", 2)


def test_centrality_over_time_hand_count():
    # degree per year: 2008 chavez 1, farc 1; 2009 chavez 1, uribe 1; 2010 uribe 2, others 1
    c = dated_graph("year").timeline.centrality
    deg = {(p, e): d for p, e, d in c[["period", "entity_id", "degree"]].itertuples(index=False)}
    assert deg == {("2008", "chavez"): 1, ("2008", "farc"): 1, ("2009", "chavez"): 1,
                   ("2009", "uribe"): 1, ("2010", "uribe"): 2, ("2010", "chavez"): 1,
                   ("2010", "farc"): 1}
    # 2010: uribe is the only broker of the path farc - uribe - chavez
    b = c[c["period"] == "2010"].set_index("entity_id")["betweenness"]
    assert b.to_dict() == {"chavez": 0.0, "farc": 0.0, "uribe": 1.0}


def test_monthly_periods_include_empty_months():
    tl = dated_graph("month").timeline
    # 2008-03 .. 2010-06 inclusive: 10 + 12 + 6 = 28 months
    assert len(tl.periods) == 28 and tl.periods[0] == "2008-03" and tl.periods[-1] == "2010-06"
    assert sorted(set(tl.edges["period"])) == ["2008-03", "2008-11", "2009-02", "2010-06"]
    assert tl.node_spells["uribe"] == [("2009-02-01", "2009-02-28"),
                                       ("2010-06-01", "2010-06-30")]


def test_undated_documents_are_reported_not_dropped_silently():
    docs = [d for ref, created, body in DATED for d in read_text(cable(ref, created, body), ref)]
    docs += read_text("¶1. [PER Chavez  ] met [ORG FARC  ].", "undated")
    eg = build_from_tables(parse_corpus(docs), period="year")
    assert eg.timeline.undated == ["undated"]
    notes = eg.problems
    assert (notes["code"] == "undated").sum() == 1
    # the whole graph still counts the undated document: chavez-farc weight 3
    e = eg.edges.set_index(["source", "target"])
    assert e.loc[("chavez", "farc"), "weight"] == 3


def test_period_helpers():
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "created": ["2009-08-10 21:09", "bad", ""]})
    assert document_periods(docs, "year").tolist()[0] == "2009"
    assert document_periods(docs, "year").isna().tolist() == [False, True, True]
    assert period_bounds("2000-02") == ("2000-02-01", "2000-02-29")   # leap year
    assert period_bounds("1900-02") == ("1900-02-01", "1900-02-28")   # not a leap year


def test_no_dated_documents():
    docs = read_text("¶1. [PER Chavez  ] met [ORG FARC  ].", "undated")
    eg = build_from_tables(parse_corpus(docs), period="month")
    assert eg.timeline.periods == [] and eg.timeline.edges.empty and eg.timeline.trends.empty


def test_real_cable_pages_give_periods():
    # created dates of two fixture cables, read off their metadata rows:
    # 02BOGOTA3281 -> 2002-04-11 20:08, 66BUENOSAIRES2481 -> 1966-12-28 18:06
    from conftest import FIXTURES
    from graphbuild.core.diagnostics import Diagnostics
    from graphbuild.read import read_documents

    paths = [FIXTURES / "02BOGOTA3281.html", FIXTURES / "66BUENOSAIRES2481.html"]
    docs = parse_corpus(read_documents(paths, Diagnostics())).documents
    months = document_periods(docs, "month")
    assert months.to_dict() == {"02BOGOTA3281": "2002-04", "66BUENOSAIRES2481": "1966-12"}


def test_period_graph_view():
    from graphbuild.measures.timeline import period_graph

    eg = dated_graph("year")
    G = period_graph(eg.timeline, "2010", eg.entities)
    # 2010: edges uribe-farc and chavez-uribe (hand count above)
    assert sorted(map(sorted, G.edges)) == [["chavez", "uribe"], ["farc", "uribe"]]
    assert G.nodes["uribe"]["label"] == "Uribe" and G.nodes["uribe"]["degree"] == 2
    with pytest.raises(ValueError, match="no period '2011'"):
        period_graph(eg.timeline, "2011")
