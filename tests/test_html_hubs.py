"""graph.html, continued: hiding the biggest hubs (counts and sizes recomputed, checked
against edges.csv), tooltips that describe exactly the edge under the pointer (real mouse
moves and clicks), and the 2x PNG of the WebGL (sigma) view."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

import graphbuild as gb
from html_support import (
    COLOURED_PIXELS,
    FREE_POINT_ON_EDGE,
    offsite,
    open_page,
    wait_ready,
)

pytestmark = pytest.mark.browser

ONLY_EDGE_AT = """([p, k]) => { const n = graphbuild.network;
    const box = document.getElementById('graph').getBoundingClientRect();
    const c = {x: p.x - box.left, y: p.y - box.top};
    return n.getNodeAt(c) === undefined && n.getEdgeAt(c) === k; }"""


def _clean(page, log):
    assert log.errors == [] and offsite(log) == [] and log.dialogs == []
    page.context.close()


@pytest.mark.parametrize("k", [1, 3])
def test_hiding_the_biggest_hubs(browser, seeds_out, k):
    _, out = seeds_out
    nodes = pd.read_csv(out / "nodes.csv", keep_default_na=False)
    edges = pd.read_csv(out / "edges.csv", keep_default_na=False)
    # the oracle, from edges.csv: hubs = most ties (then the size measure, then order)
    degree = pd.concat([edges["source"], edges["target"]]).value_counts()
    order = nodes.assign(deg=nodes["id"].map(degree).fillna(0))
    order = order.sort_values(["deg", "pagerank"], ascending=False, kind="stable")
    hubs = list(order["id"].head(k))
    rest = edges[~edges["source"].isin(hubs) & ~edges["target"].isin(hubs)]
    shown = set(rest["source"]) | set(rest["target"])
    strength = pd.concat([rest.set_index("source")["weight"],
                          rest.set_index("target")["weight"]]).groupby(level=0).sum()

    page, log = open_page(browser, (out / "graph.html").as_uri())
    wait_ready(page)
    page.fill("#hub-k", str(k))
    page.check("#hide-hubs")
    ids = page.evaluate("graphbuild.data.nodes.map(n => n.id)")
    hidden = page.evaluate("graphbuild.nodeHidden()")
    assert {i for i, h in zip(ids, hidden, strict=True) if h} == set(ids) - shown
    assert page.evaluate("graphbuild.visibleCounts()") == {"nodes": len(shown),
                                                           "edges": len(rest)}
    assert page.text_content("#status") == f"{len(shown)} entities · {len(rest)} links shown"
    labels = dict(zip(nodes["id"], nodes["label"], strict=True))
    assert page.text_content("#hub-names") == ", ".join(labels[h] for h in hubs)
    # what remains is sized by its strength among what is shown
    values = page.evaluate("graphbuild.values()")
    for i, v in zip(ids, values, strict=True):
        if i in shown:
            assert v == pytest.approx(float(strength[i]))
    assert "hubs hidden: " + ", ".join(labels[h] for h in hubs) in page.evaluate(
        "graphbuild.svg()")
    page.uncheck("#hide-hubs")
    assert page.evaluate("graphbuild.visibleCounts()") == {"nodes": len(nodes),
                                                           "edges": len(edges)}
    _clean(page, log)


def test_tooltips_name_the_edge_under_the_pointer(browser, seeds_out):
    _, out = seeds_out
    nodes = pd.read_csv(out / "nodes.csv", keep_default_na=False)
    edges = pd.read_csv(out / "edges.csv", keep_default_na=False)
    label = dict(zip(nodes["id"], nodes["label"], strict=True))
    page, log = open_page(browser, (out / "graph.html").as_uri())
    wait_ready(page)
    ids = page.evaluate("graphbuild.data.nodes.map(n => n.id)")
    page_edges = page.evaluate("graphbuild.data.edges.map(e => [e.s, e.t])")
    weight = {frozenset((s, t)): (w, d) for s, t, w, d in
              zip(edges["source"], edges["target"], edges["weight"], edges["documents"],
                  strict=True)}
    checked = 0
    for k, (s, t) in enumerate(page_edges):
        point = page.evaluate(FREE_POINT_ON_EDGE, k)
        if point is None:
            continue
        # the mouse events carry whole pixels: keep the points where the whole pixel is on
        # that edge alone too
        point = {"x": round(point["x"]), "y": round(point["y"])}
        if not page.evaluate(ONLY_EDGE_AT, [point, k]):
            continue
        page.mouse.move(1, 1)
        page.wait_for_timeout(100)
        page.mouse.move(point["x"], point["y"])
        tip = page.locator(".vis-tooltip")
        tip.wait_for(state="visible", timeout=3000)
        w, d = weight[frozenset((ids[s], ids[t]))]
        expected = (f"{label[ids[s]]} — {label[ids[t]]}\nweight {w} (paragraphs), "
                    f"documents {d}")
        assert page.evaluate("document.querySelector('.vis-tooltip').innerText") == expected
        page.mouse.click(point["x"], point["y"])        # and a click opens that same edge
        assert page.get_attribute("#panel-body", "data-edge") == str(k)
        checked += 1
        if checked == 8:
            break
    assert checked >= 5
    _clean(page, log)


def test_sigma_png_is_drawn_at_twice_the_resolution(browser, seeds_out, tmp_path):
    eg, _ = seeds_out
    path = tmp_path / "sigma.html"
    path.write_text(eg.to_html(renderer="sigma"), encoding="utf-8")
    page, log = open_page(browser, path.as_uri())
    wait_ready(page)
    assert page.evaluate("graphbuild.renderer") == "sigma"
    with page.expect_download() as dl:
        page.click("#export-png")
    from PIL import Image

    img = Image.open(io.BytesIO(Path(dl.value.path()).read_bytes()))
    img.load()
    box = page.evaluate("[document.getElementById('graph').clientWidth,"
                        " document.getElementById('graph').clientHeight]")
    assert img.size[0] == 2 * box[0] and img.size[1] > 2 * box[1]
    # drawn at 2x, not a 1x frame stretched: while the PNG is composed every WebGL layer
    # holds twice the pixels of the box
    widths = page.evaluate("graphbuild.view.hiRes(2, () => Array.from(document.querySelectorAll("
                           "'#graph canvas')).map(c => c.width))")
    assert widths and set(widths) == {2 * box[0]}
    assert page.evaluate(COLOURED_PIXELS) > 0
    # the screen is drawn at its own density again afterwards
    assert page.evaluate("Array.from(document.querySelectorAll('#graph canvas'))"
                         ".map(c => c.width)") == [box[0]] * len(widths)
    _clean(page, log)


def test_first_picture_leaves_dominant_countries_out(browser, seeds_out, tmp_path):
    # 12 documents whose strongest ties are Colombia–Colombian: the page opens without them
    src = tmp_path / "in"
    src.mkdir()
    for i in range(12):
        (src / f"d{i}.txt").write_text(
            f"¶1. [LOC Colombia  ] and [MISC Colombian  ] officials met [PER Ana Diaz  ] .\n"
            f"¶2. [LOC Colombia  ] , [MISC Colombian  ] , [ORG Ecopetrol  ] and "
            f"[PER Luis Gomez{'' if i % 2 else 'a'}  ] .\n", encoding="utf-8")
    out = tmp_path / "out"
    gb.build(str(src)).export(out)
    edges = pd.read_csv(out / "edges.csv", keep_default_na=False)
    nodes = pd.read_csv(out / "nodes.csv", keep_default_na=False)
    cp = set(nodes.loc[nodes["label"].isin(["Colombia", "Colombian"]), "id"])
    rest = edges[~edges["source"].isin(cp) & ~edges["target"].isin(cp)]
    page, log = open_page(browser, (out / "graph.html").as_uri())
    wait_ready(page)
    assert page.is_checked("#hide-cp")
    assert page.evaluate("graphbuild.visibleCounts()")["edges"] == len(rest)
    page.uncheck("#hide-cp")
    assert page.evaluate("graphbuild.visibleCounts()")["edges"] == len(edges)
    _clean(page, log)
    # two documents (the seeds): everything is shown first
    page, log = open_page(browser, (seeds_out[1] / "graph.html").as_uri())
    wait_ready(page)
    assert not page.is_checked("#hide-cp")
    _clean(page, log)


def test_hostile_metadata_stays_inert_in_every_panel(browser, tmp_path):
    import json

    evil = ['<img src=x onerror="window.__xss=1;alert(1)">',
            "</script><script>window.__xss=2</script>", '"><svg onload="window.__xss=3">']
    text = f"¶1. Chavez met {evil[0]} and Uribe."
    a = text.index(evil[0])
    rows = [{"id": "09CARACAS1", "text": text,
             "spans": [{"start": 4, "end": 10, "label": "PER"},
                       {"start": a, "end": a + len(evil[0]), "label": "ORG"},
                       {"start": len(text) - 6, "end": len(text) - 1, "label": "PER"}],
             "meta": {"created": "2009-03-04 12:00", "classification": evil[1],
                      "origin": evil[2], "subject": "ARMS " + evil[0], "tags": evil[1]}}]
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n",
                                      encoding="utf-8")
    gb.build(tmp_path / "c.jsonl").export(tmp_path / "out")
    page, log = open_page(browser, (tmp_path / "out" / "graph.html").as_uri())
    wait_ready(page)
    page.evaluate("graphbuild.selectNode(graphbuild.findNode('Chavez'))")
    page.click("#panel-body details.wrong summary")
    page.click("#panel-body .judge-exclude")                 # the "this is wrong" panel
    page.locator("#panel-body button.docid").first.click()   # the reader
    assert evil[2] in page.locator("#panel-body").inner_text()
    page.check("#hide-hubs")                                  # hub names
    svg = page.evaluate("graphbuild.svg()")
    assert "<img" not in svg and "<script" not in svg.split("<svg", 1)[1]
    page.evaluate("graphbuild.selectNode(graphbuild.findNode(" + json.dumps(evil[0]) + "))")
    assert page.locator("#panel-body h2").inner_text() == evil[0]
    assert page.locator("#panel-body img, #panel-body svg, #legend img").count() == 0
    assert page.evaluate("window.__xss") is None
    _clean(page, log)
