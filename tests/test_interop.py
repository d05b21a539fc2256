"""graphbuild export for other tools: pyvis (in headless Chromium), GraphRAG (against
GraphRAG 3.3.0's own data model, vendored in tests/data/graphrag-3.3.0), FollowTheMoney
(validated by the followthemoney package) and ipysigma; the one ``graphbuild export``
command over a built folder."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import graphbuild as gb
from graphbuild.cli import app
from graphbuild.export.formats import export_as
from graphbuild.export.selection import select_view
from html_support import offsite, open_page

SEED = Path(__file__).resolve().parents[1] / "seeds" / "cable_09STATE83014_annotated.txt"
GRAPHRAG_MODEL = Path(__file__).resolve().parent / "data" / "graphrag-3.3.0"

PAYLOADS = ['<img src=x onerror="window.__xss=1">', "</script><script>window.__xss=2</script>",
            '"><svg onload="window.__xss=3">', "<a href=javascript:window.__xss=4>x</a>"]
HOSTILE = ("¶1. [PER " + PAYLOADS[0] + "  ] met [ORG " + PAYLOADS[1] + "  ] in [LOC "
           + PAYLOADS[2] + "  ] with [PER Maria Lopez  ] .\n"
           "¶2. [PER " + PAYLOADS[3] + "  ] and [PER Maria Lopez  ] met [ORG "
           + PAYLOADS[1] + "  ] .\n")


@pytest.fixture(scope="module")
def seed():
    return gb.build(str(SEED))


@pytest.fixture(scope="module")
def built(tmp_path_factory, seed):
    out = tmp_path_factory.mktemp("built") / "out"
    r = CliRunner().invoke(app, ["build", str(SEED), "-o", str(out)])
    assert r.exit_code == 0, r.output
    return out


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    src = tmp_path_factory.mktemp("hostile") / "hostile.txt"
    src.write_text(HOSTILE, encoding="utf-8")
    return gb.build(str(src))


# --- selection --------------------------------------------------------------------------
def test_view_filters_by_hand(seed):
    view = select_view(seed, min_weight=2)
    assert len(view.edges) and (view.edges["weight"] >= 2).all()
    assert len(view.edges) == int((seed.edges["weight"] >= 2).sum())
    # evidence keeps exactly the paragraphs of the kept ties
    kept = set(zip(view.edges["source"], view.edges["target"], strict=True))
    assert set(zip(view.evidence["source"], view.evidence["target"], strict=True)) == kept
    assert len(view.evidence) == int(view.edges["weight"].sum())
    per = select_view(seed, types="PER")
    assert set(per.entities["type"]) == {"PER"}
    assert per.edges["source"].isin(per.entities["entity_id"]).all()
    ego = select_view(seed, ego="Lavrov")
    assert "sergey-lavrov" in set(ego.entities["entity_id"])
    with pytest.raises(gb.EntityNotFound):
        select_view(seed, ego="Nobody At All")


# --- pyvis --------------------------------------------------------------------------------
def test_pyvis_network_is_the_view(seed):
    view = select_view(seed, min_weight=2)
    net = gb.EntityGraph.of(view).to_pyvis(max_nodes=None)
    nodes = {n["id"] for n in net.nodes}
    assert nodes == set(view.entities["entity_id"])
    assert {(e["from"], e["to"]) for e in net.edges} == set(
        zip(view.edges["source"], view.edges["target"], strict=True))
    assert not net.options.physics.enabled
    assert all("x" in n and "y" in n for n in net.nodes)
    lavrov = next(n for n in net.nodes if n["id"] == "sergey-lavrov")
    assert lavrov["color"] == "#E69F00" and lavrov["label"] == "Sergey Lavrov"
    assert seed.to_pyvis(physics=True).options.physics.enabled


def _hover_all(page) -> list[str]:
    """Move the mouse over every node; return the tooltips vis-network showed."""
    tips = []
    points = page.evaluate("""() => { const p = network.getPositions(); const box =
        document.getElementById('mynetwork').getBoundingClientRect();
        return Object.keys(p).map(k => { const d = network.canvasToDOM(p[k]);
        return [box.left + d.x, box.top + d.y]; }); }""")
    for x, y in points:
        page.mouse.move(x, y)
        page.wait_for_timeout(350)
        tips.append(page.evaluate("""() => { const t = document.querySelector(
            '.vis-tooltip, div.popup'); return t && t.style.visibility !== 'hidden'
            && t.style.display !== 'none' ? t.innerText : null; }"""))
    return tips


@pytest.mark.browser
@pytest.mark.parametrize("link_mode", [False, True])
def test_pyvis_page_offline_and_inert(browser, tmp_path, hostile, link_mode):
    net = hostile.to_pyvis(max_nodes=None, title=PAYLOADS[0])
    if not link_mode:
        # without a title containing "href" pyvis leaves tooltips to vis-network (text)
        net.nodes = [n for n in net.nodes if "href" not in n["title"]]
        net.edges = [e for e in net.edges if {e["from"], e["to"]} <= {n["id"]
                                                                      for n in net.nodes}]
    path = gb.write_pyvis_html(net, tmp_path / "pyvis.html")
    page, log = open_page(browser, url=path.as_uri())
    page.wait_for_function("typeof network !== 'undefined'")
    counts = page.evaluate("[nodes.length, edges.length]")
    assert counts == [len(net.nodes), len(net.edges)]
    assert len(net.nodes) == (len(hostile.entities) if link_mode else
                              len(hostile.entities) - 1)
    if link_mode:      # pyvis' own popup (innerHTML): every node's, through its function
        tips = [page.evaluate("id => { network.emit('showPopup', id); return "
                              "document.querySelector("
                              "'div.popup').innerText; }", n["id"]) for n in net.nodes]
    else:
        tips = _hover_all(page)
    titles = [n["title"] for n in net.nodes]
    assert sorted(t for t in tips if t) == sorted(titles)   # the text, exactly, as text
    heading = page.evaluate("Array.from(document.querySelectorAll('h1'))"
                            ".map(h => h.textContent)")
    assert heading == [PAYLOADS[0]]
    assert page.evaluate("window.__xss") is None
    assert log.dialogs == [] and log.errors == [] and offsite(log) == []
    page.context.close()


def test_pyvis_page_has_no_remote_resource(seed):
    page = gb.write_pyvis_html(seed.to_pyvis(), Path(pytest.importorskip("tempfile")
                                                     .mkdtemp()) / "p.html").read_text()
    head = page.split("<body")[0]
    assert "cdn.jsdelivr" not in page and "cdnjs" not in page
    assert "<style>" in head and "vis-network" in head


# --- GraphRAG -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def graphrag_model():
    sys.path.insert(0, str(GRAPHRAG_MODEL))
    try:
        from graphrag.data_model import (
            dfs,
            document,
            entity,
            relationship,
            schemas,
            text_unit,
        )
        yield schemas, dfs, entity, relationship, text_unit, document
    finally:
        sys.path.remove(str(GRAPHRAG_MODEL))
        for name in [m for m in sys.modules if m == "graphrag" or m.startswith("graphrag.")]:
            del sys.modules[name]


def test_graphrag_tables_follow_graphrags_model(tmp_path, seed, graphrag_model):
    schemas, dfs, entity, relationship, text_unit, document = graphrag_model
    paths = export_as(seed, "graphrag", tmp_path)
    t = {name.removesuffix(".parquet"): pd.read_parquet(p) for name, p in paths.items()}
    assert list(t["entities"].columns) == schemas.ENTITIES_FINAL_COLUMNS
    assert list(t["relationships"].columns) == schemas.RELATIONSHIPS_FINAL_COLUMNS
    assert list(t["text_units"].columns) == schemas.TEXT_UNITS_FINAL_COLUMNS
    assert list(t["documents"].columns) == schemas.DOCUMENTS_FINAL_COLUMNS
    # GraphRAG's own typing leaves our values as they are (ints are ints, lists are lists)
    for name, typed in [("entities", dfs.entities_typed),
                        ("relationships", dfs.relationships_typed),
                        ("text_units", dfs.text_units_typed),
                        ("documents", dfs.documents_typed)]:
        frame = t[name]
        again = typed(frame.copy())
        for col in frame.columns:
            assert [_plain(v) for v in again[col]] == [_plain(v) for v in frame[col]], col
    # and its row classes load every row
    for row in t["entities"].to_dict("records"):
        e = entity.Entity.from_dict(row)
        assert e.title and e.text_unit_ids is not None
    for row in t["relationships"].to_dict("records"):
        assert relationship.Relationship.from_dict(row).weight >= 1
    for row in t["text_units"].to_dict("records"):
        assert text_unit.TextUnit.from_dict(row).document_id == row["document_id"]
    for row in t["documents"].to_dict("records"):
        document.Document.from_dict(row)


def test_graphrag_ids_consistent_and_counts_equal(tmp_path, seed):
    t = {n.removesuffix(".parquet"): pd.read_parquet(p)
         for n, p in export_as(seed, "graphrag", tmp_path).items()}
    ents, rels, units, docs = t["entities"], t["relationships"], t["text_units"], t["documents"]
    assert len(ents) == len(seed.entities) and len(rels) == len(seed.edges)
    assert len(units) == len(seed.paragraphs) and len(docs) == len(seed.documents)
    unit_ids = set(units["id"])
    assert ents["id"].is_unique and ents["title"].is_unique and rels["id"].is_unique
    for column in (ents["text_unit_ids"], rels["text_unit_ids"], docs["text_unit_ids"]):
        assert all(set(u) <= unit_ids for u in column)
    assert set(rels["source"]) | set(rels["target"]) <= set(ents["title"])
    assert set(units["document_id"]) <= set(docs["id"])
    assert all(set(e) <= set(ents["id"]) for e in units["entity_ids"])
    assert all(set(r) <= set(rels["id"]) for r in units["relationship_ids"])
    # weights are the paragraph counts, and each tie lists exactly that many paragraphs
    w = dict(zip(zip(seed.edges["source"], seed.edges["target"], strict=True),
                 seed.edges["weight"], strict=True))
    title_to_id = dict(zip(ents["title"], ents["id"], strict=True))
    for r in rels.itertuples():
        key = (title_to_id[r.source], title_to_id[r.target])
        assert r.weight == w[key] == len(r.text_unit_ids)
    # an entity's text units are the paragraphs whose annotations name it (hand count
    # from the mentions table: Lavrov is annotated in paragraphs 1, 2 and 5 of the seed)
    lav = ents.set_index("id").loc["sergey-lavrov"]
    m = seed.mentions[seed.mentions["entity_id"] == "sergey-lavrov"]
    assert sorted(lav["text_unit_ids"]) == sorted({f"{d}:{p}" for d, p in
                                                   zip(m["doc_id"], m["paragraph"],
                                                       strict=True)})
    assert lav["frequency"] == len(lav["text_unit_ids"])
    assert "Sergey Lavrov (PERSON)" in lav["description"]
    # other spellings are whole names (the entities table holds them |-joined)
    farc = ents.set_index("id").loc["revolutionary-armed-force-of-colombia", "description"]
    assert "also written FARC." in farc


def _plain(v):
    return list(v) if hasattr(v, "__len__") and not isinstance(v, (str, dict)) else v


# --- FollowTheMoney --------------------------------------------------------------------------
def _read_ftm(path: Path):
    from followthemoney import model

    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for data in rows:
        schema = model.get(data["schema"])
        assert schema is not None and not schema.abstract
        assert schema.validate(data) is None, data
        model.get_proxy(data, cleaned=False)
    return rows


def test_ftm_every_entity_validates_and_counts_equal(tmp_path, seed):
    pytest.importorskip("followthemoney")
    counts: dict[str, int] = {}
    paths = export_as(seed, "ftm", tmp_path, counts=counts)
    rows = _read_ftm(paths["entities.ftm.json"])
    by = pd.Series([r["schema"] for r in rows]).value_counts().to_dict()
    types = seed.entities["type"].value_counts().to_dict()
    assert by["Person"] == types["PER"] and by["Organization"] == types["ORG"]
    assert by.get("Territory", 0) + by.get("Address", 0) == types["LOC"]
    assert by["Document"] == len(seed.documents)
    misc = set(seed.entities.loc[seed.entities["type"] == "MISC", "entity_id"])
    assert counts["misc entities"] == len(misc)
    named = seed.edges[~seed.edges["source"].isin(misc) & ~seed.edges["target"].isin(misc)]
    assert by["UnknownLink"] == len(named)
    m = seed.mentions
    kept = m[m["entity_id"].isin(seed.entities["entity_id"]) & ~m["entity_id"].isin(misc)
             & (m["status"] == "kept")]
    assert by["Mention"] == len(kept.drop_duplicates(["doc_id", "entity_id"]))
    venezuela = next(r for r in rows if r["properties"].get("name") == ["Venezuela"])
    assert venezuela["schema"] == "Territory" and venezuela["properties"]["country"] == ["ve"]
    farc = next(r for r in rows if r["id"] == "gb-entity-revolutionary-armed-force-of-colombia")
    assert farc["properties"]["alias"] == ["FARC"]
    doc = next(r for r in rows if r["schema"] == "Document")
    assert "Sergey Lavrov" in doc["properties"]["peopleMentioned"]
    assert "Swedish" in doc["properties"]["namesMentioned"]          # MISC: a name only


def test_ftm_round_trip_rebuilds_the_weights(tmp_path, seed):
    pytest.importorskip("followthemoney")
    from graphbuild.export.ftm import LINK_SUMMARY

    rows = _read_ftm(export_as(seed, "ftm", tmp_path)["entities.ftm.json"])
    name = {r["id"]: r["properties"]["name"][0] for r in rows
            if r["schema"] in ("Person", "Organization", "Territory", "Address")}
    rebuilt = {}
    for r in rows:
        if r["schema"] == "UnknownLink":
            p = r["properties"]
            weight = int(LINK_SUMMARY.match(p["summary"][0]).group(1).replace(",", ""))
            rebuilt[frozenset((name[p["subject"][0]], name[p["object"][0]]))] = weight
    label = seed.entities.set_index("entity_id")["label"]
    misc = set(seed.entities.loc[seed.entities["type"] == "MISC", "entity_id"])
    expected = {frozenset((label[s], label[t])): int(w) for s, t, w in
                zip(seed.edges["source"], seed.edges["target"], seed.edges["weight"],
                    strict=True) if s not in misc and t not in misc}
    assert rebuilt == expected


# --- ipysigma -------------------------------------------------------------------------------
def test_ipysigma_widget(seed):
    pytest.importorskip("ipysigma")
    w = seed.to_ipysigma(max_nodes=8)
    nodes = w.data["nodes"]
    assert len(nodes) == 8 == len(w.layout)
    colour = w.visual_variables["nodeColor"]
    assert colour["attribute"] == "type" and ("PER", "#E69F00") in colour["palette"]
    ids = {n["key"] for n in nodes}
    assert ids == set(seed.top("pagerank", 8).index)


# --- the command ------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt,files", [
    ("graphml", ["graph.graphml"]), ("gexf", ["graph.gexf"]),
    ("graphrag", ["documents.parquet", "entities.parquet", "relationships.parquet",
                  "text_units.parquet"]),
    ("ftm", ["entities.ftm.json"]), ("pyvis", ["pyvis.html"])])
def test_export_command_every_format(tmp_path, built, fmt, files):
    if fmt == "ftm":
        pytest.importorskip("followthemoney")
    out = tmp_path / fmt
    r = CliRunner().invoke(app, ["export", "--format", fmt, "--in", str(built), "-o", str(out),
                                 "--ego", "Lavrov"], env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == files
    assert all(len(line) <= 80 for line in r.output.splitlines())
    assert "wrote" in r.output


def test_export_ego_graphml_read_by_igraph(tmp_path, built, seed):
    import igraph

    CliRunner().invoke(app, ["export", "-f", "graphml", "--in", str(built), "-o",
                             str(tmp_path), "--ego", "Lavrov", "--min-weight", "1"])
    g = igraph.Graph.Read_GraphML(str(tmp_path / "graph.graphml"))
    view = select_view(seed, ego="Lavrov")
    assert g.vcount() == len(view.entities) and g.ecount() == len(view.edges)


@pytest.mark.parametrize("args,message", [
    (["--format", "dot"], "unknown format 'dot'"),
    (["--format", "graphml", "--ego", "Nobody At All"], "Nobody At All"),
    (["--format", "graphml", "--top", "3", "--top-by", "shoe-size"], "shoe-size"),
])
def test_export_command_errors(tmp_path, built, args, message):
    r = CliRunner().invoke(app, ["export", *args, "--in", str(built), "-o",
                                 str(tmp_path / "x")])
    assert r.exit_code == 2 and message in r.output and "Traceback" not in r.output


def test_export_refuses_to_overwrite_the_build(built):
    r = CliRunner().invoke(app, ["export", "-f", "gexf", "--in", str(built), "-o", str(built)])
    assert r.exit_code == 2 and "--in folder" in r.output
