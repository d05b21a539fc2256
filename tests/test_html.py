"""The explorer page without a browser: escaping, node selection, evidence data, layout, CLI.

What the page *does* is tested in Chromium (test_html_browser.py); here the data it is given.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

import graphbuild as gb
import graphbuild.export
from graphbuild.cli import app
from graphbuild.export.html import json_for_script, render_html, select_nodes
from graphbuild.measures.layout import layout_positions
from html_support import tables_with_payload

DATA_RE = re.compile(r'<script type="application/json" id="graph-data">(.*?)</script>', re.S)


def page_data(page: str) -> dict:
    (raw,) = DATA_RE.findall(page)
    return json.loads(raw)


@pytest.fixture(scope="module")
def seeds_eg(seeds_dir):
    return gb.build(seeds_dir)


@given(st.text())
def test_json_for_script_is_inert_and_lossless(text):
    out = json_for_script({"t": text})
    assert not set(out) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(out) == {"t": text}


VENDOR = Path(graphbuild.export.__file__).parent / "vendor"
LIBS = {"vis": ["vis-network.min.js"], "sigma": ["graphology.umd.min.js", "sigma.min.js"]}


@pytest.mark.parametrize("renderer", ["vis", "sigma"])
def test_payloads_cannot_close_the_script_element(renderer):
    payloads = ["</script><script>alert(1)</script>", "<!--<script>", "<img src=x onerror=1>"]
    G, ev, pa, me = tables_with_payload(payloads)
    page = render_html(G, title="</title><script>alert(2)</script>", evidence=ev,
                       paragraphs=pa, mentions=me, renderer=renderer)
    # five script elements (library, data, view, page, exports), whatever names and
    # paragraphs say; the vis-network bundle itself holds one "<script" inside a JS string
    libs = "".join((VENDOR / f).read_text(encoding="utf-8") for f in LIBS[renderer])
    assert libs.count("</script") == 0 and libs.count("<!--") == 0
    assert page.count("<script") == 5 + libs.count("<script")
    assert page.count("</script") == 5
    assert "<img" not in page and "<!--<script>" not in page
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(2)&lt;/script&gt;</title>" in page
    data = page_data(page)
    assert sorted(n["label"] for n in data["nodes"]) == sorted([*payloads, "Safe"])
    assert {p["text"] for p in data["paras"]} == {f"{x} met Safe." for x in payloads}


def test_page_needs_no_network():
    page = render_html(nx.Graph([("a", "b")]), size_by="degree")
    assert re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page) is None
    assert "<link" not in page


def test_select_nodes_ranks_by_measure_then_label():
    G = nx.Graph()
    G.add_nodes_from([("x", {"label": "Zed", "pagerank": 0.2}),
                      ("y", {"label": "Abe", "pagerank": 0.2}),
                      ("z", {"label": "Mid", "pagerank": 0.5}),
                      ("w", {"label": "Low", "pagerank": None})])
    assert select_nodes(G, "pagerank", 3) == ["z", "y", "x"]
    assert select_nodes(G, "pagerank", None) == ["z", "y", "x", "w"]


def test_rejects_unknown_size_measure():
    with pytest.raises(ValueError, match="size_by must be one of"):
        render_html(nx.Graph([("a", "b")]), size_by="bogus")


def test_evidence_spans_point_at_the_mentions(seeds_eg):
    data = page_data(seeds_eg.to_html(max_nodes=None))
    labels = [n["id"] for n in data["nodes"]]
    # the mentions table also lists the mentions resolution dropped (markings, reference
    # labels...: status "dropped", no entity); only the kept ones are entities' mentions
    m = seeds_eg.mentions[seeds_eg.mentions["status"] == "kept"]
    surfaces = m.groupby("entity_id")["surface"].agg(set).to_dict()
    n_spans = 0
    for para in data["paras"]:
        for s, e, node in para["spans"]:
            assert para["text"][s:e] in surfaces[labels[node]]
            n_spans += 1
    # every mention in an embedded paragraph became a span: count them from the table
    embedded = {(p["doc"], p["p"]) for p in data["paras"]}
    assert n_spans == sum((d, p) in embedded for d, p in zip(m["doc_id"], m["paragraph"],
                                                             strict=True))
    # the FARC-Venezuela edge carries the four paragraphs counted by hand in the browser test
    # (FARC is one entity with its defined long form, which names it: see test_resolve_seed)
    idx = {nid: i for i, nid in enumerate(labels)}
    a, b = sorted((idx["revolutionary-armed-force-of-colombia"], idx["venezuela"]))
    (edge,) = [e for e in data["edges"] if (e["s"], e["t"]) == (a, b)]
    assert [data["paras"][i]["p"] for i in edge["ev"]] == [2, 3, 4, 6]


def test_nodes_carry_their_other_names_for_the_search(seeds_eg):
    data = page_data(seeds_eg.to_html(max_nodes=None))
    aliases = {n["id"]: n["alias"] for n in data["nodes"] if "alias" in n}
    # by hand, from the 14 joins listed in test_resolve_seed: RUSSIA, VENEZUELAN (case only),
    # Venezuela: and Madrid: (punctuation only) add no name; the other 10 do. Three more
    # forms were relabelled by their name (WHA A/S Shannon, WHA PDAS Kelly, Kislyak May).
    # Most frequent first, ties alphabetical: GOC 5 x, the run-on once; Russian-origin and
    # Russian-produced once each.
    assert aliases == {
        "revolutionary-armed-force-of-colombia": ["FARC"],
        "government-of-venezuela": ["GOV"],
        "government-of-colombia": ["GOC", "Government of Colombia: Talking Points"],
        "sergey-lavrov": ["Lavrov"], "darchiyev": ["DCM Darchiyev"],
        "u-s": ["United States"], "swedish": ["Swedish-origin"],
        "russian": ["Russian-origin", "Russian-produced"],
        "shannon": ["WHA A/S Shannon"], "kelly": ["WHA PDAS Kelly"],
        "kislyak": ["Kislyak May"],
    }


def test_evidence_limit_caps_embedded_paragraphs_but_counts_all():
    G = nx.Graph()
    G.add_edge("a", "b", weight=5, documents=1)
    paragraphs = pd.DataFrame({"doc_id": "D", "paragraph": range(1, 6), "section": "body",
                               "start": [i * 10 for i in range(5)],
                               "end": [i * 10 + 5 for i in range(5)], "text": "a b c"})
    evidence = pd.DataFrame({"source": "a", "target": "b", "doc_id": "D",
                             "paragraph": range(1, 6)})
    data = page_data(render_html(G, size_by="degree", evidence=evidence,
                                 paragraphs=paragraphs, evidence_limit=2))
    (edge,) = data["edges"]
    assert len(edge["ev"]) == 2 and edge["evn"] == 5 and len(data["paras"]) == 2


def test_layout_is_seeded_and_keeps_components_apart():
    G = nx.disjoint_union(nx.complete_graph(6), nx.cycle_graph(5))
    G.add_nodes_from([100, 101])  # isolates
    p1, p2 = layout_positions(G, seed=3), layout_positions(G, seed=3)
    assert p1 == p2 and set(p1) == set(G)
    assert layout_positions(G, seed=4) != p1

    def box(nodes):
        xs, ys = zip(*(p1[n] for n in nodes), strict=True)
        return min(xs), max(xs), min(ys), max(ys)

    comps = [box(c) for c in nx.connected_components(G)]
    for i, a in enumerate(comps):
        for b in comps[i + 1:]:
            assert a[1] < b[0] or b[1] < a[0] or a[3] < b[2] or b[3] < a[2]  # disjoint


def test_layout_leaves_the_global_random_state_alone():
    import random

    random.seed(7)
    expected = random.random()
    random.seed(7)
    layout_positions(nx.path_graph(5))
    assert random.random() == expected


def test_cli_max_nodes_full_graph_and_bad_measure(seeds_dir, tmp_path):
    runner = CliRunner()
    # --no-ner: the raw seed gives no mentions, so the graph is the annotated seed's 37
    # entities, counted by hand in test_resolve_seed (56 forms - 5 dropped - 14 joined),
    # less Nate Young, who shares no paragraph with anyone: 36
    r = runner.invoke(app, ["build", str(seeds_dir), "-o", str(tmp_path / "a"), "--no-ner",
                            "--max-nodes", "10", "--size-by", "degree"])
    assert r.exit_code == 0, r.output
    data = page_data((tmp_path / "a" / "graph.html").read_text(encoding="utf-8"))
    # 10 shown, 26 left out
    assert data["shown"]["nodes"] == 10 and data["total"]["nodes"] == 36
    assert data["sizeBy"] == "degree"
    r = runner.invoke(app, ["build", str(seeds_dir), "-o", str(tmp_path / "b"), "--no-ner",
                            "--max-nodes", "10", "--full-graph"])
    assert r.exit_code == 0, r.output
    data = page_data((tmp_path / "b" / "graph.html").read_text(encoding="utf-8"))
    assert data["shown"]["nodes"] == 36
    r = runner.invoke(app, ["build", str(seeds_dir), "-o", str(tmp_path / "c"),
                            "--size-by", "bogus"])
    assert r.exit_code == 2
    assert "--size-by: unknown measure 'bogus'" in r.output
    assert "Traceback" not in r.output


def test_layout_is_the_same_in_every_process():
    """String hashing is randomised per process; the picture and the page must not
    depend on it."""
    import os
    import subprocess
    import sys

    from conftest import REPO

    code = ("import networkx as nx; from graphbuild.measures.layout import layout_positions\n"
            "G = nx.Graph([('alpha', 'beta'), ('beta', 'gamma'), ('gamma', 'alpha'),"
            " ('delta', 'eps'), ('zeta', 'eta'), ('eta', 'theta')]); G.add_node('iota')\n"
            "print(sorted(layout_positions(G).items()))\n"
            "from graphbuild.export.html import render_html\n"
            "nx.set_node_attributes(G, 1.0, 'degree')\n"
            # 4 of 9 nodes: a subgraph view of them would iterate in set order
            "print(render_html(G, size_by='degree', max_nodes=4))")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, cwd=REPO,
                           env={**os.environ, "PYTHONHASHSEED": h, "PYTHONPATH": str(REPO)}
                           ).stdout for h in ("1", "2", "3")}
    assert len(outs) == 1
