"""report.md and report.html: content hand-checked on the handmade corpus of
``explore_corpus.py``, escaping of hostile labels, and the HTML page opened in real chromium
with the network cut (self-contained, charts decode, no script runs)."""

from __future__ import annotations

import base64
import io
import re

import pandas as pd
import pytest
from PIL import Image

import graphbuild as gb
from explore_corpus import write_corpus
from graphbuild.export.report import render_report, report_blocks
from graphbuild.export.report.render import md_escape, render_html_report, render_markdown

HOSTILE = """¶1. [PER <script>alert(1)</script>  ] met [ORG A|B *Co* $5$  ] and [PER Bo  ].

¶2. [PER <script>alert(1)</script>  ] and [ORG A|B *Co* $5$  ] again & [PER Bo  ].
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    root = tmp_path_factory.mktemp("report")
    eg = gb.build(write_corpus(root / "corpus"), keep_isolated=True)
    eg.export(root / "out")
    return (eg, (root / "out" / "report.md").read_text(encoding="utf-8"),
            (root / "out" / "report.html").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    (root / "evil.txt").write_text(HOSTILE, encoding="utf-8")
    gb.build(root / "evil.txt").export(root / "out")
    return root / "out"


def _section(text: str, title: str) -> str:
    # the heading line itself (the brief's "### Top entities" is not the report's)
    start = re.search(rf"^## {re.escape(title)}$", text, re.M).start()
    end = text.find("\n## ", start + 3)
    return text[start:end if end > 0 else None]


# the brief first, the Spearman table last (issue 19)
SECTIONS = ["Brief", "Corpus", "Resolution", "Reconciliation", "Filters", "Analysis settings",
            "Top entities", "Brokers", "Degree distribution", "Communities", "Strongest edges",
            "Rank correlation between measures (Spearman)"]


def test_markdown_sections(report):
    _, md, _ = report
    # every section once, in this order (no warnings on this corpus -> no Warnings section;
    # no --period -> no timeline section)
    assert re.findall(r"^## (.+)$", md, re.M) == SECTIONS
    corpus = _section(md, "Corpus")
    # 2 documents, 13 paragraphs (d1 ¶1-¶9, d2 ¶1-¶4), 26 mentions (d1: 3 + 8 x 2 = 19,
    # d2: 3 + 1 + 2 + 1 = 7),
    # 12 entities, 12 edges (explore_corpus docstring)
    for what, n in [("documents", 2), ("paragraphs", 13), ("mentions", 26), ("entities", 12),
                    ("edges", 12)]:
        assert f"| {what} | {n} |" in corpus
    # Ana merges "Ana" and "ANA": the only entity with several spellings (Saint-Étienne
    # and Saint Étienne stay two entities)
    resolution = _section(md, "Resolution")
    assert "| entities merging several spellings | 1 |" in resolution
    # 13 surface forms: Ana, ANA, Bo, Paris, Cy, Rome, Dee, Abe (d1), Acme, Zed Corp,
    # Saint-Étienne, Lima, Saint Étienne (d2) -> 12 entities
    assert "13 surface forms" in resolution and "became 12 entities" in resolution
    assert "| Ana | PER | 2 | 4 | Ana \\| ANA |" in resolution
    # nothing lost: 26 annotations, 2 files
    assert "annotations: 26 found = 26 kept + 0 dropped" in _section(md, "Reconciliation")
    assert "No filter removed anything" in _section(md, "Filters")
    settings = _section(md, "Analysis settings")
    assert "| unit | paragraph |" in settings and "| units (N) | 13 |" in settings
    assert "| communities | louvain |" in settings


def test_no_partition_no_community_section(tmp_path):
    eg = gb.build(write_corpus(tmp_path / "corpus"), keep_isolated=True, community_method=None)
    md = render_report(eg)
    assert "## Communities" not in md and "community-sizes" not in md


def test_degree_distribution_numbers(report):
    _, md, _ = report
    # degrees: Ana, Bo, Cy 4; Abe, Acme, Dee, Paris, Rome 2; Lima, Saint-Étienne 1;
    # Saint Étienne, Zed Corp 0 -> max 4, median of the 12 = (2 + 2) / 2 = 2, 2 without edge
    assert "Max 4, median 2; 2 entities have no edge" in _section(md, "Degree distribution")


def test_strongest_edges_with_evidence(report):
    _, md, _ = report
    edges = _section(md, "Strongest edges")
    rows = [ln for ln in edges.splitlines() if ln.startswith("| ") and "---" not in ln]
    assert rows[0] == ("| source | target | weight | documents | npmi | jaccard | dice "
                       "| evidence |")
    # strongest first: Bo-Cy (3 paragraphs, 2 documents), then Ana-Bo (2, 1).
    # N = 13 paragraphs; Bo is in 5 (d1¶1-¶4, d2¶1), Cy in 5 (d1¶3-¶5, ¶9, d2¶1), Ana in 4
    # (d1¶1, ¶2, ¶6, ¶8). Bo-Cy, w = 3: npmi = ln(13*3/25) / -ln(3/13) = 0.4447 / 1.4663
    # = 0.3033, jaccard = 3 / (5 + 5 - 3) = 0.4286, dice = 6 / 10 = 0.6.
    # Ana-Bo, w = 2: npmi = ln(13*2/20) / -ln(2/13) = 0.2624 / 1.8718 = 0.1402,
    # jaccard = 2 / (4 + 5 - 2) = 0.2857, dice = 4 / 9 = 0.4444
    assert rows[1] == "| Bo | Cy | 3 | 2 | 0.3033 | 0.4286 | 0.6 | d1:¶3; d1:¶4; d2:¶1 |"
    assert rows[2] == "| Ana | Bo | 2 | 1 | 0.1402 | 0.2857 | 0.4444 | d1:¶1; d1:¶2 |"
    # quoted evidence paragraphs of the strongest edge
    assert "> **d1:¶3** ¶3. Bo wrote to Cy." in edges


def test_top_entities_rank_table(report):
    _, md, _ = report
    top = _section(md, "Top entities")
    header = next(ln for ln in top.splitlines() if ln.startswith("| rank"))
    # closeness is ranked as harmonic centrality (said in the section), not twice
    assert header == ("| rank | degree | strength | betweenness | harmonic "
                      "| eigenvector | pagerank |")
    assert "Closeness is ranked as harmonic centrality" in top
    assert "Betweenness: exact." in top
    first = next(ln for ln in top.splitlines() if ln.startswith("| 1 |"))
    # strength = sum of weights: Bo = Ana 2 + Paris 1 + Cy 3 + Acme 1 = 7, the maximum
    assert "| Bo (7) |" in first
    # degree 4 ties (Ana, Bo, Cy) go to label order -> Ana first
    assert first.startswith("| 1 | Ana (4) | Bo (7) |")


def test_filters_are_reported(tmp_path):
    eg = gb.build(write_corpus(tmp_path / "corpus"), keep_isolated=True, min_weight=2)
    md = render_report(eg)
    # only Bo-Cy (3) and Ana-Bo (2) have weight >= 2: 10 of the 12 edges removed
    assert "| edges below min\\_weight | 10 |" in _section(md, "Filters")


# hand-made partition: 0 = Ana, Bo, Cy, Abe; 1 = Lima, Saint-Étienne; the rest 2 (Acme, Dee,
# Paris, Rome, Saint Étienne, Zed Corp)
HAND = {"ana": 0, "bo": 0, "cy": 0, "abe": 0, "lima": 1, "saint-etienne-2": 1}


MEMBERS = {0: {"Ana", "Bo", "Cy", "Abe"}, 1: {"Lima", "Saint-Étienne"},
           2: {"Acme", "Dee", "Paris", "Rome", "Saint Étienne", "Zed Corp"}}


def _hand_partition_rows(md: str) -> dict[int, list[str]]:
    """The community table's cells by hand community (told apart by their sizes)."""
    section = _section(md, "Communities")
    assert "3 communities, 3 of them with 2 or more entities" in section
    assert "![community sizes][community-sizes]" in section
    header = "| community | size | types | internal edges | external edges |"
    start = section.index(header)
    rows = [ln.strip("| ").split(" | ") for ln in section[start:].splitlines()[2:]
            if ln.startswith("| ")]
    # sizes: community 2 = 6, 0 = 4, 1 = 2 (largest first)
    assert [r[1] for r in rows] == ["6", "4", "2"]
    cells = {2: rows[0], 0: rows[1], 1: rows[2]}
    # each community is named by its top members (at most 3), never by a number
    for c, row in cells.items():
        names = row[0].split(" · ")
        assert 1 <= len(names) <= 3 and set(names) <= MEMBERS[c], (c, row[0])
        assert len(names) == min(3, len(MEMBERS[c]))
    return cells


def test_community_section_when_the_column_exists(tmp_path):
    # a build without community detection, and a community column added by hand
    eg = gb.build(write_corpus(tmp_path / "corpus"), keep_isolated=True, community_method=None)
    eg.centrality["community"] = [HAND.get(i, 2) for i in eg.centrality.index]
    blocks = report_blocks(eg)
    cells = _hand_partition_rows(render_markdown(blocks))
    # columns: community, size, types, internal edges, external edges, top entities,
    # brokers, paragraphs. Community 0: 4 PER; inside: Ana-Bo, Bo-Cy, Abe-Ana, Abe-Cy = 4;
    # to others: Ana-Paris, Bo-Paris, Cy-Rome, Ana-Dee, Acme-Bo, Acme-Cy = 6. Brokers (weight
    # to other communities, at most 3, ties by id): Ana 2 (Paris, Dee), Bo 2 (Paris, Acme),
    # Cy 2 (Rome, Acme), Abe 0; each reaches one other community (2). Paragraphs mentioning
    # 2 or more of its top entities: all hold exactly 2 members (d1¶1-¶4, ¶8, ¶9, d2¶1),
    # ties by document and paragraph.
    one = "1 other community"
    assert cells[0][2:5] == ["PER 4", "4", "6"]
    assert cells[0][6:] == [f"Ana → {one}; Bo → {one}; Cy → {one}", "d1:¶1; d1:¶2; d1:¶3"]
    # community 2: inside Dee-Rome = 1, the same 6 edges out; brokers Acme 2 (Bo, Cy),
    # Paris 2 (Ana, Bo), then Dee 1 and Rome 1 -> Dee (id order); no paragraph holds two
    # of its members but d1¶7 (Dee, Rome)
    assert cells[2][3:5] == ["1", "6"]
    assert cells[2][6:] == [f"Acme → {one}; Paris → {one}; Dee → {one}", "d1:¶7"]
    # community 1: Lima-Saint-Étienne inside, nothing out, no broker
    assert cells[1][2:5] == ["LOC 2", "1", "0"] and cells[1][6] == ""
    html = render_html_report(blocks)
    assert 'id="s-communities"' in html and 'alt="community sizes"' in html


def test_community_section_follows_a_partition_set_by_hand(tmp_path):
    # the build's Louvain partition (6 communities on this corpus) replaced by hand: the
    # report describes the new partition, never the summary of the old one
    eg = gb.build(write_corpus(tmp_path / "corpus"), keep_isolated=True)
    louvain = render_report(eg)
    assert "## Communities" in louvain and "3 communities," not in louvain
    eg.community = pd.Series({e: HAND.get(e, 2) for e in eg.entities["entity_id"]},
                             dtype="int64")
    md = render_report(eg)
    assert md.count("## Communities") == 1
    cells = _hand_partition_rows(md)
    assert "Ana → 1 other community; Bo → 1 other community" in cells[0][6]
    assert eg.nodes_table().set_index("id")["community"].to_dict() == {
        e: HAND.get(e, 2) for e in eg.entities["entity_id"]}


def test_markdown_escapes_document_text(hostile):
    md = (hostile / "report.md").read_text(encoding="utf-8")
    assert "<script>" not in md
    assert "\\<script\\>alert(1)\\</script\\>" in md
    assert "A\\|B \\*Co\\* \\$5\\$" in md
    # every table row keeps its column count: unescaped pipes per row == header's
    for block in re.split(r"\n\n", md):
        lines = [ln for ln in block.splitlines() if ln.startswith("|")]
        if lines:
            widths = {len(re.findall(r"(?<!\\)\|", ln)) for ln in lines}
            assert len(widths) == 1, lines


def test_md_escape():
    assert md_escape("a_b *c* [d](e) `f` #g $h$ <i> & j\nk") == (
        "a\\_b \\*c\\* \\[d\\](e) \\`f\\` \\#g \\$h\\$ \\<i\\> &amp; j k")


def test_html_escapes_document_text(hostile):
    html = (hostile / "report.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # the page has no script at all
    assert "<script" not in html.lower()


def _images(html: str) -> list[bytes]:
    return [base64.b64decode(m) for m in
            re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)]


def test_charts_are_embedded_pngs(report):
    _, md, html = report
    images = _images(html)
    # degree distribution + community sizes (the top entities are one ranking table with a
    # measure selector, not a chart per measure)
    assert len(images) == 2
    for data in images:
        img = Image.open(io.BytesIO(data))
        img.verify()
        assert img.format == "PNG" and img.size[0] > 200
    # Markdown: reference-style images, each reference defined once at the end
    refs = re.findall(r"!\[[^\]]*\]\[([a-z-]+)\]", md)
    assert refs == ["degree-distribution", "community-sizes"]
    for ref in refs:
        assert len(re.findall(rf"^\[{ref}\]: data:image/png;base64,", md, re.M)) == 1


@pytest.mark.browser
def test_html_report_in_chromium_offline(hostile):
    from playwright.sync_api import sync_playwright

    requests, dialogs, errors = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            page = browser.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto((hostile / "report.html").as_uri())
            page.wait_for_load_state("load")
            sizes = page.eval_on_selector_all(
                "img", "imgs => imgs.map(i => [i.complete, i.naturalWidth])")
            title = page.title()
            text = page.inner_text("body")
        finally:
            browser.close()
    # only the file itself and data: URIs were requested: the page is self-contained
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    assert dialogs == [] and errors == []
    assert sizes and all(done and width > 0 for done, width in sizes)
    assert title == "graphbuild report"
    # the hostile label shows as text
    assert "<script>alert(1)</script>" in text and "A|B *Co* $5$" in text


def test_jupyter_repr_escapes_and_summarises(tmp_path):
    (tmp_path / "evil.txt").write_text(HOSTILE, encoding="utf-8")
    eg = gb.build(tmp_path / "evil.txt")
    html = eg._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # 1 document; 6 mentions (3 per paragraph); 3 entities; 3 edges (all in ¶1 and ¶2)
    for what, n in [("documents", 1), ("mentions", 6), ("entities", 3), ("edges", 3)]:
        assert re.search(rf">{what}</th><td[^>]*>{n}</td>", html), what
    assert "Entity types: PER 2, ORG 1" in html


@pytest.mark.browser
def test_ranking_measure_selector_in_chromium(report, tmp_path):
    """One ranking table on screen at a time; choosing a measure shows its ranking (CSS
    only, no script), and the brief's quotes are inside the report too."""
    from playwright.sync_api import sync_playwright

    _, _, html = report
    page_file = tmp_path / "report.html"
    page_file.write_text(html, encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--no-first-run"])
        try:
            page = browser.new_page()
            page.goto(page_file.as_uri())

            def visible() -> list[str]:
                return page.eval_on_selector_all(
                    "#c-ranking .opt", "ps => ps.filter(p => p.offsetParent !== null)"
                    ".map(p => p.querySelector('thead').innerText)")
            first = visible()
            page.click("label:text-is('strength')")
            second = visible()
            rows = page.eval_on_selector_all(
                "#c-ranking .opt", "ps => ps.filter(p => p.offsetParent !== null)"
                ".map(p => p.querySelector('tbody tr').innerText)")
        finally:
            browser.close()
    assert len(first) == 1 and "degree" in first[0]
    assert len(second) == 1 and "strength" in second[0]
    # strength = sum of weights: Bo = Ana 2 + Paris 1 + Cy 3 + Acme 1 = 7, the maximum
    assert rows[0].split("\t")[:2] == ["1", "Bo"] and "7" in rows[0]
