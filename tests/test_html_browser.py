"""The explorer page in a real browser (headless Debian Chromium via playwright).

One browser for the whole module; each test gets a fresh context in which every request
that is not ``file:``/``data:`` is aborted and recorded, so "no request left the page" is
checked, not assumed.
"""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from playwright.sync_api import expect

import graphbuild as gb
from graphbuild.export.html import render_html
from html_support import (
    ARTIFACTS,
    COLOURED_PIXELS,
    FREE_POINT_ON_EDGE,
    have_chromium,
    offsite,
    open_page,
    tables_with_payload,
    wait_ready,
)

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not have_chromium(), reason="needs Debian chromium")]


def _clean(page, log):
    assert log.errors == [], log.errors
    assert offsite(log) == [], offsite(log)
    assert log.dialogs == []


def test_seeds_page_renders_every_node_and_edge_offline(browser, seeds_out):
    eg, out = seeds_out
    # oracle: the CSV tables the same build wrote, read back with pandas
    n_nodes = len(pd.read_csv(out / "nodes.csv"))
    n_edges = len(pd.read_csv(out / "edges.csv"))
    page, log = open_page(browser, (out / "graph.html").as_uri())
    wait_ready(page)
    assert page.evaluate("graphbuild.rendered()") == {"nodes": n_nodes, "edges": n_edges}
    assert page.locator("#notice").is_hidden()  # 37 entities < 400: nothing left out
    # the precomputed layout is drawn as is: physics off, every node where Python put it
    # (getPositions reports whole pixels)
    assert page.evaluate("graphbuild.network.physics.options.enabled") is False
    moved = page.evaluate("""() => { const g = graphbuild, p = g.network.getPositions();
        return g.data.nodes.filter((n, i) => Math.abs(p[i].x - n.x) >= 1
                                          || Math.abs(p[i].y - n.y) >= 1).length; }""")
    assert moved == 0
    # legend: one checkbox per type, with the type counts of nodes.csv
    types = pd.read_csv(out / "nodes.csv")["type"].value_counts()
    legend = page.inner_text("#types")
    for t, n in types.items():
        assert f"{t} ({n})" in legend
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "seeds-graph.png"))
    _clean(page, log)
    # every request the page made was the file itself
    assert {u.split(":")[0] for u in log.requests} <= {"file", "data"}


def test_search_selects_and_centres_the_entity(browser, seeds_out):
    _, out = seeds_out
    page, log = open_page(browser, (out / "graph.html").as_uri())
    wait_ready(page)
    # case-insensitive, and by the entity's other names: resolution joined "Lavrov" to
    # "Sergey Lavrov" (same document, test_resolve_seed), so "lavrov" is an exact name of it
    page.fill("#search", "lavrov")
    page.press("#search", "Enter")
    selected = page.evaluate(
        "graphbuild.network.getSelectedNodes().map(i => graphbuild.data.nodes[i].id)")
    assert selected == ["sergey-lavrov"]
    # centred: after the short animation the view's centre is the node's position
    page.wait_for_function("""() => { const n = graphbuild.network;
        const i = n.getSelectedNodes()[0], c = n.getViewPosition(), p = n.getPositions([i])[i];
        return Math.abs(c.x - p.x) < 1 && Math.abs(c.y - p.y) < 1; }""", timeout=5000)
    assert page.inner_text("#panel-body h2") == "Sergey Lavrov"
    assert "also: Lavrov" in page.inner_text("#panel-body")
    # focus: Lavrov's neighbours keep their colour, everyone else is veiled. Read the canvas
    # pixel at each node's centre: kept nodes show their type colour, others a pale blend.
    focus = page.evaluate("graphbuild.focused().map(i => graphbuild.data.nodes[i].id)")
    edges = pd.read_csv(out / "edges.csv")
    neighbours = set(edges.loc[edges["source"] == "sergey-lavrov", "target"]) | set(
        edges.loc[edges["target"] == "sergey-lavrov", "source"])
    assert sorted(focus) == sorted([*neighbours, "sergey-lavrov"])
    assert len(focus) < 37 / 2  # a real test of dimming: most nodes must be veiled
    page.evaluate("graphbuild.network.moveTo({scale: 0.6})")
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    pixels = page.evaluate("""() => { const g = graphbuild, n = g.network, out = {};
        const cv = document.querySelector('#graph canvas'), ctx = cv.getContext('2d');
        const r = window.devicePixelRatio || 1, w = cv.clientWidth, h = cv.clientHeight;
        g.data.nodes.forEach((d, i) => { const c = n.canvasToDOM(n.getPositions([i])[i]);
          if (c.x < 0 || c.y < 0 || c.x >= w || c.y >= h) return;
          const px = ctx.getImageData(Math.round(c.x * r), Math.round(c.y * r), 1, 1);
          out[d.id] = Array.from(px.data); });
        return out; }""")
    colours = {t["name"]: t["color"] for t in page.evaluate("graphbuild.data.types")}
    types = {d["id"]: d["type"] for d in page.evaluate("graphbuild.data.nodes")}
    type_names = [t["name"] for t in page.evaluate("graphbuild.data.types")]

    def rgb(hexcol):
        return [int(hexcol[i:i + 2], 16) for i in (1, 3, 5)]

    kept = dimmed = 0
    for node, px in pixels.items():
        colour = rgb(colours[type_names[types[node]]])
        full = all(abs(a - b) <= 8 for a, b in zip(px[:3], colour, strict=True))
        if node in focus:
            kept += full
        else:
            dimmed += not full and min(px[:3]) > 150  # veiled: pale, not the type colour
    # a few centres may sit under another node's label or dot; allow two misses each
    n_focus_seen = len([n for n in pixels if n in focus])
    assert kept >= n_focus_seen - 2 and dimmed >= len(pixels) - n_focus_seen - 2, (kept, dimmed)
    assert len(pixels) > 0.75 * 37  # most of the 37 nodes were on screen
    _clean(page, log)


def _seed_paragraph_counts(seeds_dir, a: str, b: str) -> dict[int, tuple[int, int]]:
    """Independent oracle: per ¶N of the annotated seed, how many annotations of ``a`` and
    of ``b`` it holds (regex over the raw file; ``¶1988`` is not a break, as in ¶2)."""
    raw = (seeds_dir / "cable_09STATE83014_annotated.txt").read_text(encoding="utf-8")
    parts = re.split(r"<a id='par(\d+)'[^>]*>¶</a>\d", raw)
    counts: dict[int, list[int]] = {}
    current = None
    for i in range(1, len(parts), 2):
        num = int(parts[i])
        if current is None or num == current + 1:
            current = num
        counts.setdefault(current, [0, 0])
        counts[current][0] += len(re.findall(rf"\[\w+ {a}[:.]?\s*\]", parts[i + 1]))
        counts[current][1] += len(re.findall(rf"\[\w+ {b}[:.]?\s*\]", parts[i + 1]))
    return {p: (x, y) for p, (x, y) in counts.items() if x and y}


def test_clicking_an_edge_shows_its_evidence(browser, seeds_out):
    _, out = seeds_out
    edges = pd.read_csv(out / "edges.csv", keep_default_na=False)
    page, log = open_page(browser, (out / "graph.html").as_uri())
    wait_ready(page)
    # a real mouse click on the canvas: the first edge (strongest first) with a point on it
    # that no node and no other edge covers at zoom 2
    n_edges = page.evaluate("graphbuild.data.edges.length")
    for k in range(n_edges):
        point = page.evaluate(FREE_POINT_ON_EDGE, k)
        if point:
            break
    assert point is not None, "no clickable point on any edge"
    page.mouse.click(point["x"], point["y"])
    assert page.locator("#panel-body").get_attribute("data-edge") == str(k)
    ids = page.evaluate(f"[graphbuild.data.nodes[graphbuild.data.edges[{k}].s].id, "
                        f"graphbuild.data.nodes[graphbuild.data.edges[{k}].t].id]")
    row = edges[(edges["source"] == min(ids)) & (edges["target"] == max(ids))].iloc[0]
    # edges.csv lists the same evidence as "doc:¶N; doc:¶M"
    want = [r.replace(":", " ") for r in row["evidence"].split("; ")]
    refs = page.locator("#panel-body .para .ref").all_inner_texts()
    assert refs == want
    assert page.locator("#panel-body .para mark").count() >= 2 * len(want)
    _clean(page, log)


def test_node_panel_links_to_edge_evidence_with_both_entities_highlighted(browser, seeds_out,
                                                                          seeds_dir):
    _, out = seeds_out
    # FARC is one entity with the long form its abbreviation is defined by in ¶2
    # ("Revolutionary Armed Force of Colombia ( FARC )"), which labels it
    long_form = "Revolutionary Armed Force of Colombia"
    expected = _seed_paragraph_counts(seeds_dir, f"(?:FARC|{long_form})", "Venezuela")
    # counted by hand as well: FARC and Venezuela share ¶2 (with ¶1988), ¶3, ¶4, ¶6; ¶2 names
    # FARC 5 times and the long form once, and Venezuela 3 times: (6, 3)
    assert sorted(expected) == [2, 3, 4, 6] and expected[2] == (6, 3)
    page, log = open_page(browser, (out / "graph.html").as_uri())
    wait_ready(page)
    # "FARC" is an exact other name of that entity: it beats "Venezuelan-FARC", whose label
    # merely contains it
    page.fill("#search", "FARC")
    page.press("#search", "Enter")
    assert page.inner_text("#panel-body h2") == long_form
    # FARC's strongest links list Venezuela (weight 4 = the 4 paragraphs above)
    link = page.locator("#panel-body ol li", has_text=re.compile(r"^Venezuela — weight 4$"))
    link.locator("button").click()
    assert page.inner_text("#panel-body h2").replace("\n", "") == f"{long_form} — Venezuela"
    refs = page.locator("#panel-body .para .ref").all_inner_texts()
    assert refs == [f"09STATE83014 ¶{p}" for p in sorted(expected)]
    for i, p in enumerate(sorted(expected)):
        para = page.locator("#panel-body .para").nth(i)
        farc = para.locator("mark.a").all_inner_texts()
        ven = para.locator("mark.b").all_inner_texts()
        assert (len(farc), len(ven)) == expected[p], (p, farc, ven)
        assert set(farc) == ({"FARC", long_form} if p == 2 else {"FARC"})
        assert {v.rstrip(":") for v in ven} == {"Venezuela"}
    assert "Summary: In an August 3 telcon" in page.inner_text("#panel-body")
    _clean(page, log)


def test_filters_hide_types_and_light_edges_without_reload(browser, seeds_out):
    _, out = seeds_out
    nodes = pd.read_csv(out / "nodes.csv")
    edges = pd.read_csv(out / "edges.csv")
    page, log = open_page(browser, (out / "graph.html").as_uri())
    wait_ready(page)
    page.evaluate("window.__sameDocument = true")
    page.uncheck("#types input[data-type='PER']")
    keep = set(nodes.loc[nodes["type"] != "PER", "id"])
    oracle_edges = edges[edges["source"].isin(keep) & edges["target"].isin(keep)]
    assert page.evaluate("graphbuild.rendered()") == {"nodes": len(keep),
                                                      "edges": len(oracle_edges)}
    page.locator("#min-weight-number").fill("2")   # fires "input" as typing does
    heavy = oracle_edges[oracle_edges["weight"] >= 2]
    # entities left without an edge are hidden too (every node of this build has an edge)
    ends = set(heavy["source"]) | set(heavy["target"])
    assert page.evaluate("graphbuild.rendered()") == {"nodes": len(ends), "edges": len(heavy)}
    assert page.locator("#status").inner_text() == (
        f"{len(ends)} entities · {len(heavy)} links shown")
    page.check("#types input[data-type='PER']")
    page.locator("#min-weight-number").fill("1")
    assert page.evaluate("graphbuild.rendered()") == {"nodes": len(nodes), "edges": len(edges)}
    assert page.evaluate("window.__sameDocument") is True  # no reload happened
    _clean(page, log)


def test_max_nodes_keeps_the_most_central_and_says_what_was_left_out(browser, seeds_out,
                                                                    tmp_path):
    eg, out = seeds_out
    nodes = pd.read_csv(out / "nodes.csv")
    edges = pd.read_csv(out / "edges.csv")
    # oracle: the 20 highest-PageRank rows of nodes.csv (ties by label) and their edges
    top = set(nodes.sort_values(["pagerank", "label"], ascending=[False, True])
              .head(20)["id"])
    induced = edges[edges["source"].isin(top) & edges["target"].isin(top)]
    path = tmp_path / "top20.html"
    path.write_text(eg.to_html(max_nodes=20), encoding="utf-8")
    page, log = open_page(browser, path.as_uri())
    wait_ready(page)
    assert page.evaluate("graphbuild.rendered()") == {"nodes": 20, "edges": len(induced)}
    assert set(page.evaluate("graphbuild.data.nodes.map(n => n.id)")) == top
    notice = page.inner_text("#notice")
    assert f"Left out: {len(nodes) - 20} entities and {len(edges) - len(induced)} edges" \
        in notice
    _clean(page, log)


def test_png_export_downloads_the_view(browser, seeds_out):
    _, out = seeds_out
    page, log = open_page(browser, (out / "graph.html").as_uri())
    wait_ready(page)
    with page.expect_download() as dl:
        page.click("#export-png")
    data = Path(dl.value.path()).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    import io

    from PIL import Image
    img = Image.open(io.BytesIO(data))
    img.load()
    # twice the graph box, plus the title above and the legend, filters and source below
    box = page.evaluate("[document.getElementById('graph').clientWidth,"
                        " document.getElementById('graph').clientHeight]")
    assert img.size[0] == 2 * box[0] and img.size[1] > 2 * box[1]
    # the PNG says what it shows (text chunks), and so does the image itself
    assert img.text["Title"] == "graphbuild"
    assert img.text["Description"].startswith("Entity types: ")
    for t in ("LOC", "PER", "ORG"):
        assert t in img.text["Description"]
    assert "min weight 1" in img.text["Description"]
    assert img.text["Source"].startswith("graphbuild ") and "2 documents" in img.text["Source"]
    # the image holds the drawing: many coloured (type-coloured node) pixels, not just white
    assert page.evaluate(COLOURED_PIXELS) > 2000
    _clean(page, log)


def test_svg_export_carries_legend_filters_and_source(browser, seeds_out):
    import xml.etree.ElementTree as ET

    eg, out = seeds_out
    page, log = open_page(browser, (out / "graph.html").as_uri())
    wait_ready(page)
    page.uncheck("#types input[data-type='MISC']")
    with page.expect_download() as dl:
        page.click("#export-svg")
    root = ET.fromstring(Path(dl.value.path()).read_text(encoding="utf-8"))
    ns = "{http://www.w3.org/2000/svg}"
    texts = [t.text for t in root.iter(f"{ns}text")]
    assert "graphbuild" in texts and {"LOC", "PER", "ORG"} <= set(texts)
    assert "MISC" not in texts                     # a hidden type is not in the legend
    assert any(t and t.startswith("min weight 1 · hidden: MISC") for t in texts)
    assert any(t and t.startswith("graphbuild ") and "documents" in t for t in texts)
    counts = page.evaluate("graphbuild.visibleCounts()")
    assert len(list(root.iter(f"{ns}line"))) == counts["edges"]
    assert len(list(root.iter(f"{ns}circle"))) >= counts["nodes"] * 0.9   # on screen
    # the labels drawn on screen are in the drawing
    shown = {label["text"] for label in page.evaluate("graphbuild.labels()")}
    assert shown and shown <= set(texts)
    _clean(page, log)


def test_type_ahead_lists_matches_and_picks_one(browser, seeds_out):
    _, out = seeds_out
    nodes = pd.read_csv(out / "nodes.csv", keep_default_na=False)
    mentions = pd.read_csv(out / "mentions.csv", keep_default_na=False)
    names = mentions[mentions["status"] == "kept"].groupby("entity_id")["surface"].agg(set)

    def oracle(q):
        """Labels (nodes.csv) of the entities whose label or a mention's surface
        (mentions.csv) contains ``q``."""
        return sorted(label for eid, label in zip(nodes["id"], nodes["label"], strict=True)
                      if any(q in x.lower() for x in {label, *names.get(eid, ())}))

    page, log = open_page(browser, (out / "graph.html").as_uri())
    wait_ready(page)

    def suggestions(q):
        page.fill("#search", "")
        page.locator("#search").press_sequentially(q)
        return page.locator("#suggestions li").all_inner_texts()

    shown = suggestions("swed")
    # labels starting with the text first (Sweden, Swedish), then those containing it
    assert sorted(shown) == oracle("swed") == [
        "Saab Bofors Dynamics of Sweden", "Sweden", "Swedish"]
    assert sorted(shown[:2]) == ["Sweden", "Swedish"]
    # an entity found by another name shows that name: "FARC" is exactly a name of the
    # entity labelled by its long form, and comes before a label that merely contains it
    shown = suggestions("farc")
    assert shown == ["Revolutionary Armed Force of Colombia (FARC)", "Venezuelan-FARC"]
    assert oracle("farc") == ["Revolutionary Armed Force of Colombia", "Venezuelan-FARC"]
    # prefixes of other names rank with prefixes of labels, before mere substrings
    shown = suggestions("lav")
    assert oracle("lav") == ["Sergey Lavrov"]
    assert shown == ["Sergey Lavrov (Lavrov)"]
    page.locator("#suggestions li", has_text="Sergey Lavrov").click()
    assert page.locator("#suggestions").is_hidden()
    assert page.evaluate("graphbuild.view.network.getSelectedNodes()"
                         ".map(i => graphbuild.data.nodes[i].id)") == ["sergey-lavrov"]
    assert page.inner_text("#panel-body h2") == "Sergey Lavrov"
    _clean(page, log)


def test_sigma_view_for_big_graphs(browser, seeds_out, tmp_path):
    """The WebGL (sigma.js) page that --full-graph gets on big corpora, forced on the seeds."""
    eg, out = seeds_out
    nodes = pd.read_csv(out / "nodes.csv")
    edges = pd.read_csv(out / "edges.csv")
    path = tmp_path / "sigma.html"
    path.write_text(eg.to_html(renderer="sigma"), encoding="utf-8")
    page, log = open_page(browser, path.as_uri())
    wait_ready(page)
    assert page.evaluate("graphbuild.renderer") == "sigma"
    assert page.evaluate("graphbuild.rendered()") == {"nodes": len(nodes), "edges": len(edges)}
    # a real click on a node's disc selects it and opens its panel
    xy = page.evaluate("""() => { const s = graphbuild.sigma, i = graphbuild.findNode('Uribe');
        const p = s.framedGraphToViewport(s.getNodeDisplayData(String(i)));
        const box = document.getElementById('graph').getBoundingClientRect();
        return {x: p.x + box.left, y: p.y + box.top}; }""")
    page.mouse.click(xy["x"], xy["y"])
    assert page.inner_text("#panel-body h2") == "Uribe"
    # its strongest link opens the edge evidence, as in the vis page
    page.locator("#panel-body ol li button").first.click()
    assert page.locator("#panel-body .para").count() >= 1
    page.uncheck("#types input[data-type='PER']")
    keep = set(nodes.loc[nodes["type"] != "PER", "id"])
    n_edges = int((edges["source"].isin(keep) & edges["target"].isin(keep)).sum())
    assert page.evaluate("graphbuild.rendered()") == {"nodes": len(keep), "edges": n_edges}
    assert page.evaluate(COLOURED_PIXELS) > 2000
    _clean(page, log)


XSS = ["<img src=x onerror=alert(1)>",
       "</script><script>window.__xss=1;alert(2)</script>",
       "\u2028\"');alert(3);//<!--"]


NODE_ON_SCREEN = """(name) => { const g = graphbuild;
    const i = g.data.nodes.findIndex(d => d.label === name);
    let c;
    if (g.renderer === 'vis') {
      g.network.moveTo({position: g.network.getPositions([i])[i], scale: 1});
      c = g.network.canvasToDOM(g.network.getPositions([i])[i]);
    } else {
      c = g.sigma.framedGraphToViewport(g.sigma.getNodeDisplayData(String(i)));
    }
    const box = document.getElementById('graph').getBoundingClientRect();
    return {x: c.x + box.left, y: c.y + box.top}; }"""


@pytest.mark.parametrize("renderer", ["vis", "sigma"])
def test_document_strings_never_run(browser, tmp_path, renderer):
    G, evidence, paragraphs, mentions = tables_with_payload(XSS)
    page_html = render_html(G, title="</title><script>alert(4)</script>", evidence=evidence,
                            paragraphs=paragraphs, mentions=mentions, renderer=renderer)
    path = tmp_path / "xss.html"
    path.write_text(page_html, encoding="utf-8")
    page, log = open_page(browser, path.as_uri())
    wait_ready(page)
    assert page.evaluate("graphbuild.rendered()") == {"nodes": 4, "edges": 3}
    for name in XSS:
        page.fill("#search", name)
        page.press("#search", "Enter")
        assert page.locator("#panel-body h2").text_content() == name  # shown as text
        # the payload's edge: its evidence paragraph is shown as text, names highlighted
        page.locator("#panel-body ol li button").first.click()
        para = page.locator("#panel-body .para").first
        assert para.locator("mark.a, mark.b").all_text_contents() == [name, "Safe"]
        assert para.text_content().endswith(name + " met Safe.")
        # hovering shows the tooltip, filled with innerText / textContent: text again.
        # Selecting the node started a 300 ms camera glide to it, and sigma finds the node
        # under the mouse in its last drawn frame: hover only once the camera has stopped
        # and the frame of its final position is drawn (two animation frames later)
        page.wait_for_function("graphbuild.renderer !== 'sigma'"
                               " || !graphbuild.sigma.getCamera().isAnimated()")
        page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        xy = page.evaluate(NODE_ON_SCREEN, name)
        page.mouse.move(xy["x"] + 1, xy["y"] + 1)
        tip = page.locator(".vis-tooltip")
        expect(tip).to_contain_text(name + " (PER)", timeout=5000)
        page.mouse.move(1, 1)
    assert page.title() == "</title><script>alert(4)</script>"
    assert page.evaluate("window.__xss") is None
    assert page.locator("img").count() == 0
    # library, data, view, page, exports: none injected
    assert page.locator("script").count() == 5
    # the SVG export holds the names as text, escaped by the serializer: no element of theirs
    import xml.etree.ElementTree as ET
    svg = ET.fromstring(page.evaluate("graphbuild.svg()"))
    tags = {el.tag.split("}")[-1] for el in svg.iter()}
    assert tags <= {"svg", "rect", "title", "text", "g", "line", "circle"}
    texts = {t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    assert "</title><script>alert(4)</script>" in texts
    _clean(page, log)


def test_weight_steps_reach_every_small_weight(browser, tmp_path):
    """Weights 1..190 (a heavy tail, as on 250 real cables): every weight up to 10 is one
    slider notch, the rest about 12 notches per power of ten; the number field takes any
    value and moves the slider to the step at or below it."""
    G = nx.Graph()
    for w in range(1, 191):
        G.add_edge(f"a{w}", f"b{w}", weight=w, documents=1)
    for v in G:
        G.nodes[v].update(label=v, type="PER", mentions=1, documents=1)
    path = tmp_path / "w.html"
    path.write_text(render_html(G, size_by="degree", max_nodes=None), encoding="utf-8")
    page, log = open_page(browser, path.as_uri())
    wait_ready(page)
    slider = page.locator("#min-weight")
    top = int(slider.get_attribute("max"))
    assert 20 <= top + 1 <= 30
    seen = []
    for k in range(top + 1):
        slider.fill(str(k))
        seen.append(int(page.locator("#min-weight-number").input_value()))
    assert seen[:10] == list(range(1, 11)) and seen[-1] == 190 and seen == sorted(set(seen))
    # weight >= 57: edges 57..190 stay (134), with their 268 ends; the rest are hidden
    page.locator("#min-weight-number").fill("57")
    assert page.evaluate("graphbuild.rendered()") == {"nodes": 268, "edges": 134}
    assert seen[int(slider.input_value())] <= 57 < (seen + [10**9])[int(slider.input_value()) + 1]
    _clean(page, log)


def test_node_panel_lists_documents_with_their_metadata(browser, tmp_path):
    """A node's documents show date, classification, origin and subject (hostile
    metadata stays text)."""
    import json

    evil = "<img src=x onerror=alert(1)>"
    rows = [{"id": "09CARACAS1", "text": "¶1. Chavez met Uribe.",
             "spans": [{"start": 4, "end": 10, "label": "PER"},
                       {"start": 15, "end": 20, "label": "PER"}],
             "meta": {"created": "2009-03-04 12:00", "classification": "CONFIDENTIAL",
                      "origin": "Embassy Caracas", "subject": "ARMS " + evil}}]
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n",
                                      encoding="utf-8")
    gb.build(tmp_path / "c.jsonl").export(tmp_path / "out")
    page, log = open_page(browser, (tmp_path / "out" / "graph.html").as_uri())
    wait_ready(page)
    page.evaluate("graphbuild.selectNode(graphbuild.findNode('Chavez'))")
    doc = page.locator("#panel-body li.doc").first
    assert doc.locator("button.docid").inner_text() == "09CARACAS1"
    assert doc.locator(".docmeta").inner_text() == "2009-03-04 · CONFIDENTIAL · Embassy Caracas"
    assert doc.locator(".subject").inner_text() == "ARMS " + evil
    assert page.locator("#panel-body img").count() == 0
    # the reader shows the same metadata, as text
    doc.locator("button.docid").click()
    assert page.locator("#panel-body .subject").inner_text() == "ARMS " + evil
    assert page.locator("#panel-body .para mark").all_inner_texts() == ["Chavez", "Uribe"]
    assert page.locator("#panel-body img").count() == 0
    _clean(page, log)


def test_edge_panel_says_how_to_read_every_paragraph(browser, tmp_path):
    """An edge with more paragraphs than the page embeds names the command that prints
    them all with their text (edges.csv holds references only)."""
    from explore_corpus import write_corpus
    from graphbuild.export.folder import page as explorer_page

    eg = gb.build(write_corpus(tmp_path / "corpus"))
    path = tmp_path / "p.html"
    path.write_text(explorer_page(eg, evidence_limit=1), encoding="utf-8")
    p, log = open_page(browser, path.as_uri())
    wait_ready(p)
    # Bo-Cy: 3 paragraphs (d1¶3, d1¶4, d2¶1), one embedded
    p.evaluate("location.hash = '#edge=bo|cy'")
    p.wait_for_function("document.querySelector('#panel-body').dataset.edge !== undefined")
    assert p.locator("#panel-body .para").count() == 1
    hint = p.locator("#panel-body p.hint").inner_text()
    assert hint.startswith('This page holds 1 of 3 paragraphs. All of them, with their text: '
                           'graphbuild evidence "Bo" "Cy"')
    _clean(p, log)


def _labels_graph() -> nx.Graph:
    """400 entities: a hub tied to 80 of them, the rest in a random geometric graph."""
    G = nx.random_geometric_graph(320, 0.09, seed=3)
    G = nx.relabel_nodes(G, {v: f"e{v:03d}" for v in G})
    for k in range(80):
        G.add_edge("hub", f"spoke{k:02d}", weight=1 + k % 7)
        G.add_edge(f"spoke{k:02d}", f"e{k * 4:03d}", weight=1)
    for _, _, d in G.edges(data=True):
        d.setdefault("weight", 1)
        d["documents"] = 1
    for v in G:
        G.nodes[v].update(label=f"Entity {v}", type="PER" if v.startswith("e") else "ORG",
                          mentions=1, documents=1)
        G.nodes[v].pop("pos", None)
    return G


ON_SCREEN = """(() => {
  var n = graphbuild.network, c = document.getElementById('graph');
  return n.body.nodeIndices.filter(function (i) {
    var p = n.canvasToDOM(n.getPosition(i));
    return p.x >= 0 && p.y >= 0 && p.x <= c.clientWidth && p.y <= c.clientHeight;
  }).length;
})()"""


def _on_screen(page) -> int:
    return page.evaluate(ON_SCREEN)


def test_labels_stay_readable_at_every_zoom(browser, tmp_path):
    path = tmp_path / "labels.html"
    path.write_text(render_html(_labels_graph(), size_by="degree", max_nodes=None),
                    encoding="utf-8")
    page, log = open_page(browser, path.as_uri())
    wait_ready(page)
    base = page.evaluate("graphbuild.network.getScale()")
    for factor in (1, 0.5, 3, 8):
        page.evaluate(f"graphbuild.network.moveTo({{scale: {base * factor}}});"
                      "graphbuild.network.redraw()")
        page.wait_for_timeout(100)
        labels, shown = page.evaluate("graphbuild.labels()"), _on_screen(page)
        assert shown == 0 or labels, factor                  # never no label at all
        if shown >= 50:
            assert len(labels) >= 15, (factor, len(labels), shown)
        boxes = [(b["x0"], b["y0"], b["x1"], b["y1"]) for b in labels]
        for i, a in enumerate(boxes):                        # no two labels overlap
            for b in boxes[i + 1:]:
                assert not (a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5
                            and b[1] < a[3] - 0.5), (factor, a, b)
    _clean(page, log)


def test_a_focused_hub_labels_its_neighbours(browser, tmp_path):
    path = tmp_path / "hub.html"
    G = _labels_graph()
    path.write_text(render_html(G, size_by="degree", max_nodes=None), encoding="utf-8")
    page, log = open_page(browser, path.as_uri())
    wait_ready(page)
    page.evaluate("graphbuild.selectNode(graphbuild.findNode('Entity hub'))")
    page.wait_for_timeout(700)                               # the glide to the hub
    names = {b["text"] for b in page.evaluate("graphbuild.labels()")}
    neighbours = {G.nodes[v]["label"] for v in G["hub"]}
    assert len(neighbours) == 80 and len(names & neighbours) >= 30
    # only the neighbourhood is labelled while it is in focus
    assert names <= neighbours | {"Entity hub"}
    _clean(page, log)


def test_hiding_countries_and_nationalities(browser, seeds_out):
    """One click takes away the countries and the names of their peoples; the counts are
    those of edges.csv without them (read here from the lexicon file itself), and the rest
    is sized by strength among what is shown."""
    import csv

    from graphbuild.core.lexicon import _read

    _, out = seeds_out
    nodes = pd.read_csv(out / "nodes.csv")
    edges = pd.read_csv(out / "edges.csv")
    rows = list(csv.DictReader(_read("demonyms.csv").splitlines()))
    names = {r["place"].casefold() for r in rows} | {r["demonym"].casefold() for r in rows}
    names |= {r["demonym"].casefold() + "s" for r in rows} | {"u.s.", "us", "u.s.a."}
    cp = set(nodes.loc[nodes["type"].isin(["LOC", "MISC"])
                       & nodes["label"].str.casefold().isin(names), "id"])
    assert {"venezuela", "colombia", "sweden"} <= cp
    page, log = open_page(browser, (out / "graph.html").as_uri())
    wait_ready(page)
    assert page.locator("#cp-count").inner_text() == f"({len(cp)})"
    page.check("#hide-cp")
    kept = edges[~edges["source"].isin(cp) & ~edges["target"].isin(cp)]
    ends = set(kept["source"]) | set(kept["target"])
    assert page.evaluate("graphbuild.rendered()") == {"nodes": len(ends), "edges": len(kept)}
    strength = pd.concat([kept[["source", "weight"]].rename(columns={"source": "id"}),
                          kept[["target", "weight"]].rename(columns={"target": "id"})]
                         ).groupby("id")["weight"].sum()
    values = page.evaluate("graphbuild.values()")
    ids = page.evaluate("graphbuild.data.nodes.map(n => n.id)")
    for i, v in zip(ids, values, strict=True):
        if i in ends:
            assert v == strength[i], i
    assert "strength among what is shown" in page.locator("#size-note").inner_text()
    page.uncheck("#hide-cp")
    assert page.evaluate("graphbuild.rendered()") == {"nodes": len(nodes), "edges": len(edges)}
    _clean(page, log)


def test_date_range_weighs_edges_by_the_evidence_of_the_period(browser, tmp_path):
    """The month range gives each edge the paragraphs of its evidence in that range:
    checked against a count from evidence.parquet and documents.parquet."""
    import json

    names = [["Uribe", "FARC"], ["Uribe", "FARC", "Santos"], ["Uribe", "Santos"],
             ["Chavez", "Santos"], ["Chavez", "Correa"], ["Chavez", "Correa", "Uribe"]]
    types = {"Uribe": "PER", "Santos": "PER", "Chavez": "PER", "Correa": "PER", "FARC": "ORG"}
    lines = []
    for k, group in enumerate(names, start=1):
        text, spans = "¶1. ", []
        for j, name in enumerate(group):
            text += " and " if j else ""
            spans.append({"start": len(text), "end": len(text) + len(name),
                          "label": types[name]})
            text += name
        lines.append(json.dumps({"id": f"d{k}", "text": text + ".", "spans": spans,
                                 "meta": {"created": f"2008-{2 * k - 1:02d}-10"}}))
    (tmp_path / "c.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    gb.build(tmp_path / "c.jsonl").export(out)
    page, log = open_page(browser, (out / "graph.html").as_uri())
    wait_ready(page)
    months = page.evaluate("graphbuild.data.time.months")
    assert months[0] == "2008-01" and months[-1] == "2008-11" and len(months) == 11
    assert page.evaluate("graphbuild.data.time.docMonths") == [1, 0] * 5 + [1]
    # March to July: documents d2 (03), d3 (05), d4 (07)
    page.evaluate("graphbuild.setDateRange(2, 6)")
    ev = pd.read_parquet(out / "evidence.parquet").astype(str)
    docs = pd.read_parquet(out / "documents.parquet")
    month = docs.set_index("doc_id")["created"].astype(str).str.slice(0, 7)
    ev = ev.assign(month=ev["doc_id"].map(month))
    want = (ev[ev["month"].between("2008-03", "2008-07")]
            .groupby(["source", "target"]).size().to_dict())
    ids = page.evaluate("graphbuild.data.nodes.map(n => n.id)")
    pairs = page.evaluate("graphbuild.data.edges.map(e => [e.s, e.t])")
    got = {tuple(sorted((ids[s], ids[t]))): w
           for (s, t), w in zip(pairs, page.evaluate("graphbuild.edgeWeights()"), strict=True)
           if w > 0}
    assert got == want and len(want) == 4     # Uribe-FARC, Uribe-Santos, FARC-Santos, Chavez-Santos
    ends = {x for pair in want for x in pair}
    assert page.evaluate("graphbuild.rendered()") == {"nodes": len(ends), "edges": len(want)}
    assert page.locator("#t-label").inner_text() == "2008-03 – 2008-07"
    # the tooltips say the weight of the range, as the widths show it
    weights = page.evaluate("graphbuild.edgeWeights()")
    k = next(i for i, w in enumerate(weights) if w > 0)
    title = page.evaluate(f"graphbuild.edges.get({k}).tip")
    assert f"weight {weights[k]} in the dates chosen" in title
    # the whole range again: every edge back with its built weight
    page.evaluate(f"graphbuild.setDateRange(0, {len(months) - 1})")
    assert page.evaluate("graphbuild.rendered()")["edges"] == len(pairs)
    # an entity's panel shows its mentions by month
    page.evaluate("graphbuild.selectNode(graphbuild.findNode('Uribe'))")
    assert page.locator("#panel-body h3", has_text="Mentions by month").count() == 1
    _clean(page, log)


def test_search_finds_entities_the_page_does_not_draw(browser, tmp_path):
    """With 5 of 10 entities drawn, searching a sixth says it is not drawn, names its
    strongest ties among the drawn ones (from edges.csv) and how to see it."""
    from explore_corpus import write_corpus
    from graphbuild.export.folder import page as explorer_page

    eg = gb.build(write_corpus(tmp_path / "corpus"))
    path = tmp_path / "five.html"
    path.write_text(explorer_page(eg, max_nodes=5), encoding="utf-8")
    p, log = open_page(browser, path.as_uri())
    wait_ready(p)
    order = p.evaluate("graphbuild.data.nodes.map(n => n.id)")   # drawn, by rank
    drawn = set(order)
    assert len(drawn) == 5
    edges = eg.edges
    labels = eg.entities.set_index("entity_id")["label"]
    hidden = [e for e in eg.entities["entity_id"] if e not in drawn]
    # an entity not drawn that has ties to drawn ones: they are its strongest ties here
    target = next(e for e in hidden
                  if ((edges["source"] == e) & edges["target"].isin(drawn)).any()
                  or ((edges["target"] == e) & edges["source"].isin(drawn)).any())
    ties = pd.concat([edges[(edges["source"] == target) & edges["target"].isin(drawn)]
                      .rename(columns={"target": "other"}),
                      edges[(edges["target"] == target) & edges["source"].isin(drawn)]
                      .rename(columns={"source": "other"})])
    # strongest first; equal weights: the more central drawn entity first
    ties = ties.assign(label=ties["other"].map(labels),
                       rank=ties["other"].map(order.index)).sort_values(
        ["weight", "rank"], ascending=[False, True]).head(3)
    p.fill("#search", labels[target])
    expect(p.locator("#suggestions li").first).to_contain_text("(not drawn)")
    p.press("#search", "Enter")
    panel = p.locator("#panel-body")
    assert panel.locator("h2").inner_text() == labels[target]
    assert "Not drawn in this page" in panel.inner_text()
    got = panel.locator("ol li").all_inner_texts()
    assert got == [f"{row.label} — weight {row.weight}" for row in ties.itertuples()]
    assert f'graphbuild ego "{labels[target]}"' in panel.inner_text()
    # a tie's button selects the drawn entity
    panel.locator("ol li button").first.click()
    assert p.locator("#panel-body h2").inner_text() == ties["label"].iloc[0]
    _clean(p, log)


def test_reader_opens_a_document_with_its_mentions_marked(browser, seeds_out):
    """A document in the node panel opens the reader: every paragraph of the cable, the
    node's mentions marked (counted from mentions.csv), each paragraph's citation ready."""
    eg, out = seeds_out
    page, log = open_page(browser, (out / "graph.html").as_uri())
    wait_ready(page)
    page.evaluate("graphbuild.selectNode(graphbuild.findNode('Uribe'))")
    first = page.locator("#panel-body li.doc button.docid").first
    doc = first.inner_text()
    first.click()
    assert page.locator("#panel-body h2").inner_text() == doc
    paras = eg.paragraphs[eg.paragraphs["doc_id"].astype(str) == doc].sort_values("start")
    assert page.locator("#panel-body .para").count() == len(paras)
    m = eg.mentions
    uribe = m[(m["entity_id"] == "uribe") & (m["doc_id"].astype(str) == doc)
              & m["status"].eq("kept") & m["paragraph"].isin(paras["paragraph"])]
    assert page.locator("#panel-body mark.a").count() == len(uribe) > 0
    assert set(page.locator("#panel-body mark.a").all_inner_texts()) <= set(uribe["surface"])
    refs = page.locator("#panel-body .para .ref button.copy")
    assert refs.count() == len(paras)
    body = paras[paras["paragraph"] > 0]["paragraph"].iloc[0]
    assert f"{doc} ¶{body}" in page.locator("#panel-body .para .ref").all_inner_texts()[
        list(paras["paragraph"]).index(body)]
    # back to the entity
    page.locator("#panel-body button", has_text="← Uribe").click()
    assert page.locator("#panel-body h2").inner_text() == "Uribe"
    _clean(page, log)


def test_edge_panel_pages_through_its_paragraphs(browser, tmp_path):
    """An edge with 25 paragraphs: the panel shows 10, then 10, then 5, in document
    order, with previous/next."""
    lines = [f"¶{k}. [PER Ana  ] met [PER Bo  ] (meeting {k})." for k in range(1, 26)]
    (tmp_path / "a.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    gb.build(tmp_path / "a.txt").export(out)
    p, log = open_page(browser, (out / "graph.html").as_uri())
    wait_ready(p)
    p.evaluate("location.hash = '#edge=ana|bo'")
    p.wait_for_function("document.querySelector('#panel-body').dataset.edge !== undefined")
    seen = []
    for page_no, count in ((0, 10), (1, 10), (2, 5)):
        paras = p.locator("#panel-body .para")
        assert paras.count() == count
        seen += [int(re.search(r"¶(\d+)", t).group(1)) for t in
                 p.locator("#panel-body .para .ref").all_inner_texts()]
        assert p.locator("#panel-body .pager").first.inner_text().endswith(
            f"paragraphs {page_no * 10 + 1}–{page_no * 10 + count} of 25")
        if page_no < 2:
            p.locator("#panel-body .pager").first.get_by_text("next ▶").click()
    assert seen == list(range(1, 26))
    p.locator("#panel-body .pager").first.get_by_text("◀ previous").click()
    assert p.locator("#panel-body").get_attribute("data-page") == "1"
    assert p.locator("#panel-body p.hint").count() == 0      # all 25 are in the page
    _clean(p, log)
