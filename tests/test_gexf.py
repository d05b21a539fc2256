"""GEXF 1.3: schema-level checks, graphology-gexf read-back, time spells from dated cables."""

from __future__ import annotations

import datetime as dt
import math
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

import graphbuild as gb
from conftest import farc_id, farc_label
from graphbuild.extract import parse_corpus
from graphbuild.measures.layout import layout_positions
from graphbuild.pipeline import build_from_tables
from graphbuild.read import read_text
from js_readers import graphology_read
from oracles import write_gexf_of as write_gexf

NS = "http://gexf.net/1.3"
VIZ = "http://gexf.net/1.3/viz"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
# enumerations and attribute sets of the GEXF 1.3 schema (gexf.xsd, data.xsd, dynamics.xsd,
# viz.xsd of http://gexf.net/1.3)
ATTR_TYPES = {"integer", "long", "double", "float", "boolean", "liststring", "listinteger",
              "listlong", "listdouble", "listfloat", "listboolean", "string", "anyURI",
              "date", "byte", "short", "char", "bigdecimal", "biginteger", "listbyte",
              "listshort", "listchar", "listbigdecimal", "listbiginteger"}
GRAPH_ATTRS = {"defaultedgetype", "mode", "timeformat", "timerepresentation", "timezone",
               "idtype", "start", "end"}
NODE_CHILDREN = {f"{{{NS}}}attvalues", f"{{{NS}}}spells", f"{{{NS}}}nodes", f"{{{NS}}}edges",
                 f"{{{NS}}}parents", f"{{{VIZ}}}color", f"{{{VIZ}}}position",
                 f"{{{VIZ}}}size", f"{{{VIZ}}}shape"}
EDGE_CHILDREN = {f"{{{NS}}}attvalues", f"{{{NS}}}spells", f"{{{VIZ}}}color",
                 f"{{{VIZ}}}thickness", f"{{{VIZ}}}shape"}


def _check_value(kind: str, value: str) -> None:
    if kind in ("integer", "long"):
        n = int(value)
        assert kind == "long" or -2**31 <= n < 2**31
    elif kind in ("double", "float"):
        assert math.isfinite(float(value))
    elif kind == "boolean":
        assert value in ("true", "false")
    elif kind == "date":
        dt.date.fromisoformat(value)


def schema_check(text: str) -> ET.Element:
    """Check a GEXF document against the rules of the 1.3 schema that readers rely on."""
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{{{NS}}}gexf" and root.get("version") == "1.3"
    assert root.get(f"{{{XSI}}}schemaLocation") == f"{NS} {NS}/gexf.xsd"
    children = [c.tag for c in root]
    assert children == [f"{{{NS}}}meta", f"{{{NS}}}graph"]
    graph = root.find(f"{{{NS}}}graph")
    assert set(graph.attrib) <= GRAPH_ATTRS, set(graph.attrib) - GRAPH_ATTRS  # no name=""
    assert graph.get("defaultedgetype") in ("directed", "undirected", "mutual")
    assert graph.get("mode") in ("static", "dynamic")
    dynamic = graph.get("mode") == "dynamic"
    if dynamic:
        assert graph.get("timeformat") == "date"          # never "long": Gephi ignores it
        assert graph.get("timerepresentation") in ("interval", None)
    declared: dict[str, dict[str, str]] = {"node": {}, "edge": {}}
    for attrs in graph.findall(f"{{{NS}}}attributes"):
        cls = attrs.get("class")
        assert cls in declared and attrs.get("mode") in ("static", "dynamic", None)
        for a in attrs:
            assert a.tag == f"{{{NS}}}attribute"
            assert a.get("id") and a.get("title") and a.get("type") in ATTR_TYPES
            assert a.get("id") not in declared[cls], "attribute declared twice"
            declared[cls][a.get("id")] = a.get("type")
    ids = set()
    for node in graph.iter(f"{{{NS}}}node"):
        assert node.get("id") not in ids
        ids.add(node.get("id"))
        _check_element(node, declared["node"], NODE_CHILDREN, dynamic)
        for c in node.findall(f"{{{VIZ}}}color"):
            assert all(0 <= int(c.get(k)) <= 255 for k in "rgb")
        for p in node.findall(f"{{{VIZ}}}position"):
            assert all(math.isfinite(float(p.get(k))) for k in "xyz")
        for s in node.findall(f"{{{VIZ}}}size"):
            assert float(s.get("value")) >= 0
    edge_ids = set()
    for edge in graph.iter(f"{{{NS}}}edge"):
        assert edge.get("id") not in edge_ids
        edge_ids.add(edge.get("id"))
        assert edge.get("source") in ids and edge.get("target") in ids
        if edge.get("weight") is not None:
            assert math.isfinite(float(edge.get("weight")))
        _check_element(edge, declared["edge"], EDGE_CHILDREN, dynamic)
    return root


def _check_element(el: ET.Element, declared: dict, allowed: set, dynamic: bool) -> None:
    assert {c.tag for c in el} <= allowed, {c.tag for c in el} - allowed
    for av in el.iter(f"{{{NS}}}attvalue"):
        assert av.get("for") in declared, f"undeclared attribute {av.get('for')}"
        _check_value(declared[av.get("for")], av.get("value"))
        assert av.get("start") is None and av.get("end") is None   # no per-period values
    for spell in el.iter(f"{{{NS}}}spell"):
        assert dynamic
        start, end = (dt.date.fromisoformat(spell.get(k)) for k in ("start", "end"))
        assert start <= end


def tricky_graph() -> nx.Graph:
    G = nx.Graph()
    G.add_node("a&b", label='AT&T <"Corp">', type="ORG", mentions=3, pagerank=0.5,
               community=0, flag=True)
    G.add_node("c\x0c", label="Ctrl\x0cchar", type="PER", mentions=1, pagerank=0.25,
               community=1, flag=False)
    G.add_node("iso", label="Isolated", type="LOC", mentions=2, pagerank=0.25, community=2,
               flag=False)
    G.add_edge("a&b", "c\x0c", weight=3, documents=2, npmi=-0.25, jaccard=0.5, dice=2 / 3)
    return G


def test_schema_and_graphology_read_back(tmp_path):
    G = tricky_graph()
    path = write_gexf(G, tmp_path / "g.gexf", color_by="community",
                      positions=layout_positions(G))
    text = path.read_text(encoding="utf-8")
    schema_check(text)
    assert "<graph name" not in text and 'timeformat="long"' not in text
    g = graphology_read("gexf", path)
    assert (g["type"], g["order"], g["size"]) == ("undirected", 3, 1)
    nodes = {n["key"]: n for n in g["nodes"]}
    a = nodes["a&b"]
    assert a["attributes"]["label"] == 'AT&T <"Corp">'
    # names and types survive: integers/doubles as numbers, strings, booleans
    assert a["attributes"]["mentions"] == 3 and a["types"]["mentions"] == "number"
    assert a["attributes"]["pagerank"] == 0.5 and a["attributes"]["community"] == 0
    assert a["attributes"]["type"] == "ORG" and a["attributes"]["flag"] is True
    assert nodes["iso"]["attributes"]["flag"] is False
    # control character replaced (XML 1.0 forbids it), the rest kept
    assert "c\ufffd" in nodes and nodes["c\ufffd"]["attributes"]["label"] == "Ctrl\ufffdchar"
    # colour by community: community 0 is the first palette colour (#E69F00)
    assert a["attributes"]["color"] == "rgb(230,159,0)"
    assert {"x", "y", "size"} <= set(a["attributes"])
    (edge,) = g["edges"]
    assert edge["attributes"]["weight"] == 3 and edge["types"]["weight"] == "number"
    assert edge["attributes"]["npmi"] == -0.25 and edge["attributes"]["documents"] == 2
    assert edge["attributes"]["dice"] == pytest.approx(2 / 3)


def test_networkx_writer_has_the_traps_we_avoid(tmp_path):
    # the reason this exporter exists: networkx's GEXF 1.3 output fails the schema check
    nx.write_gexf(nx.path_graph(2), tmp_path / "nx.gexf", version="1.3")
    text = (tmp_path / "nx.gexf").read_text(encoding="utf-8")
    assert 'name=""' in text                            # <graph name="">
    assert f'xmlns:xsi="{XSI}"' not in text             # a wrong XSI namespace
    with pytest.raises(AssertionError):
        schema_check(text)


def test_empty_graph_is_valid(tmp_path):
    path = write_gexf(nx.Graph(), tmp_path / "e.gexf")
    schema_check(path.read_text(encoding="utf-8"))
    assert graphology_read("gexf", path)["order"] == 0


def cable(ref: str, created: str, body: str) -> str:
    """A minimal WikiLeaks cable page: metadata row + <pre> body."""
    return (f"<html><body><table class='cable'><tr><td>{ref}</td><td>{created}</td>"
            f"<td>2011-08-30</td><td>SECRET</td><td>Embassy Caracas</td></tr></table>"
            f"<pre>{body}</pre></body></html>")


DATED = [
    ("08CARACAS1", "2008-03-05 10:00", "¶1. [PER Chavez  ] met [ORG FARC  ] leaders."),
    ("08CARACAS2", "2008-11-20 12:00", "¶1. [PER Chavez  ] praised [ORG FARC  ]."),
    ("09CARACAS3", "2009-02-01 09:00", "¶1. [PER Chavez  ] met [PER Uribe  ]."),
    ("10CARACAS4", "2010-06-30 18:00", "¶1. [PER Uribe  ] and [ORG FARC  ] talks.\n"
                                       "¶2. [PER Chavez  ] met [PER Uribe  ] again."),
]


def dated_graph(period: str = "year", **options):
    docs = [d for ref, created, body in DATED
            for d in read_text(cable(ref, created, body), ref)]
    return build_from_tables(parse_corpus(docs), period=period, **options)


def test_dynamic_gexf_spells_from_cable_dates(tmp_path):
    eg = dated_graph("year")
    assert eg.timeline.periods == ["2008", "2009", "2010"]
    paths = eg.export(tmp_path, color_by="community")
    text = paths["graph.gexf"].read_text(encoding="utf-8")
    root = schema_check(text)
    graph = root.find(f"{{{NS}}}graph")
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"

    def spells_of(el):
        return [(s.get("start"), s.get("end")) for s in el.iter(f"{{{NS}}}spell")]

    nodes = {n.get("id"): n for n in graph.iter(f"{{{NS}}}node")}
    # Chavez is mentioned every year; FARC in 2008 and 2010 (two spells); Uribe 2009-2010
    assert spells_of(nodes["chavez"]) == [("2008-01-01", "2010-12-31")]
    assert spells_of(nodes["farc"]) == [("2008-01-01", "2008-12-31"),
                                        ("2010-01-01", "2010-12-31")]
    assert spells_of(nodes["uribe"]) == [("2009-01-01", "2010-12-31")]
    edges = {(e.get("source"), e.get("target")): e for e in graph.iter(f"{{{NS}}}edge")}
    chavez_farc = edges.get(("chavez", "farc")) or edges[("farc", "chavez")]
    assert spells_of(chavez_farc) == [("2008-01-01", "2008-12-31")]
    g = graphology_read("gexf", paths["graph.gexf"])
    assert g["order"] == 3 and g["size"] == 3


def test_export_writes_gexf_for_seeds(tmp_path, seeds_dir):
    eg = gb.build(seeds_dir)
    path = eg.export(tmp_path)["graph.gexf"]
    schema_check(path.read_text(encoding="utf-8"))
    g = graphology_read("gexf", path)
    assert g["order"] == len(eg.entities) and g["size"] == len(eg.edges)
    node = next(n for n in g["nodes"] if n["key"] == farc_id(eg))
    assert node["attributes"]["label"] == farc_label(eg) and node["attributes"]["type"] == "ORG"
    for col in ("degree", "harmonic", "pagerank", "community", "mentions"):
        assert node["types"][col] == "number"
    edge = g["edges"][0]
    assert {"weight", "documents", "npmi", "jaccard", "dice"} <= set(edge["attributes"])


def _page_positions(html_path) -> dict[str, tuple[float, float]]:
    """The x, y of every node the page draws, from the JSON data it embeds."""
    import json
    import re

    text = html_path.read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="graph-data">(.*?)'
                                r"</script>", text, re.S).group(1))
    return {n["id"]: (n["x"], n["y"]) for n in data["nodes"]}


def _gexf_positions(gexf_path) -> dict[str, tuple[float, float]]:
    root = ET.parse(gexf_path).getroot()
    out = {}
    for node in root.iter(f"{{{NS}}}node"):
        pos = node.find(f"{{{VIZ}}}position")
        out[node.get("id")] = (float(pos.get("x")), float(pos.get("y")))
    return out


def test_gexf_shows_the_page_picture(tmp_path, seeds_dir):
    """One layout: the entities the page draws sit at the same place in graph.gexf, and
    the other entities of the file are placed around them."""
    eg = gb.build(seeds_dir)
    paths = eg.export(tmp_path, max_nodes=15)
    page = _page_positions(paths["graph.html"])
    gexf = _gexf_positions(paths["graph.gexf"])
    assert len(page) == 15 and len(gexf) == len(eg.entities)
    assert all(gexf[n] == pytest.approx(xy, abs=0.05) for n, xy in page.items())
    others = [xy for n, xy in gexf.items() if n not in page]
    assert len(set(others)) > len(others) // 2          # spread out, not all at one spot


def test_layout_is_seeded(tmp_path, seeds_dir):
    eg = gb.build(seeds_dir)
    a = eg.export(tmp_path / "a")["graph.gexf"].read_text(encoding="utf-8")
    b = eg.export(tmp_path / "b")["graph.gexf"].read_text(encoding="utf-8")
    assert a == b
    eg.settings["seed"] = 2
    c = eg.export(tmp_path / "c")["graph.gexf"].read_text(encoding="utf-8")
    assert _gexf_positions(tmp_path / "a" / "graph.gexf") != \
        _gexf_positions(tmp_path / "c" / "graph.gexf")
    assert a.replace(" ", "") != c.replace(" ", "")


def test_spells_fail_fast_on_bad_period():
    from graphbuild.core.diagnostics import InputError

    with pytest.raises(InputError, match="unknown period"):
        dated_graph("week")
