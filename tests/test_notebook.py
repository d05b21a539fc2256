"""notebooks/explore.ipynb runs top to bottom (nbclient, a real ipykernel from the Python
running the tests) in a temporary working folder, with the repository on PYTHONPATH."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import igraph
import nbformat
import pandas as pd
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "notebooks" / "explore.ipynb"


def _kernelspec(folder: Path) -> str:
    """A kernelspec for ``sys.executable`` in ``folder`` (found through JUPYTER_PATH), so the
    notebook runs in the test's own interpreter whatever kernels the machine has."""
    name = "graphbuild-test"
    spec = folder / "kernels" / name
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "graphbuild test", "language": "python",
        "env": {"PYTHONPATH": str(REPO)}}))
    return name


def test_notebook_runs_top_to_bottom(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    kernel = _kernelspec(tmp_path / "jupyter")
    work = tmp_path / "work"
    work.mkdir()
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, kernel_name=kernel, timeout=180,
                   resources={"metadata": {"path": str(work)}}).execute()
    # no cell raised (execute would have), and every code cell ran
    codes = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in codes)
    assert not [o for c in codes for o in c.outputs if o.output_type == "error"]
    # nor printed a warning (stderr streams)
    assert not [o.text for c in codes for o in c.outputs
                if o.output_type == "stream" and o.name == "stderr"]
    # the EntityGraph summary: 2 seed cables; 180 annotations, all in the annotated one, of
    # which 10 are not entities (markings, a header field, references: test_resolve_seed)
    # -> 170 kept mentions, 10 dropped, 37 entities, of which Nate Young shares no paragraph
    # with another: 36 in the graph
    summary = next(c for c in codes if c.source.strip().endswith("\neg"))
    html = summary.outputs[0]["data"]["text/html"]
    assert "<strong>EntityGraph</strong>" in html
    for what, n in [("documents", 2), ("mentions", 170), ("mentions dropped", 10),
                    ("entities", 36)]:
        assert re.search(rf">{what}</th><td[^>]*>{n}</td>", html), what
    # the inline interactive graph is an iframe with the vis-network page, no CDN
    brief = next(c for c in codes if c.source.strip() == "eg.brief()")
    page = brief.outputs[0]["data"]["text/html"]
    assert re.match(r"<div[^>]*><iframe srcdoc=", page) and "Key relationships" in page
    assert brief.outputs[0]["data"]["text/markdown"].startswith("# Brief")
    show = next(c for c in codes if "eg.show(" in c.source)
    html = show.outputs[0]["data"]["text/html"]
    # (a div around the iframe: IPython warns about HTML that starts with <iframe)
    assert re.match(r"<div[^>]*><iframe srcdoc=", html) and "vis-network" in html
    assert "cdnjs" not in html and "unpkg" not in html
    # the path query, counted on the annotated seed: Kislyak is only in ¶4, Chavez only in
    # ¶3, so no edge between them; ¶4 and ¶3 share Colombian, FARC, Uribe and Venezuela ->
    # Kislyak - X - Chavez: 2 hops, the first with ¶4 as evidence, the second with ¶3
    path = next(c for c in codes if 'eg.path("Kislyak", "Chavez")' in c.source)
    table = path.outputs[0]["data"]["text/html"]
    assert "<th>2</th>" in table and "<th>3</th>" not in table
    assert "kislyak" in table and "chavez" in table
    assert "09STATE83014:¶4" in table and "09STATE83014:¶3" in table
    # the communities cell shows the build's per-community summary (brokers, paragraphs)
    comm = next(c for c in codes if "eg.communities" in c.source)
    table = comm.outputs[0]["data"]["text/html"]
    assert "<th>brokers</th>" in table and "<th>paragraphs</th>" in table
    assert "09STATE83014:¶" in table
    # the GraphML it wrote, read by an independent reader
    g = igraph.Graph.Read_GraphML(str(work / "explore.graphml"))
    assert g.vcount() == 36            # the annotated seed's, less Nate Young (no edge)
    assert "label" in g.vs.attributes() and "weight" in g.es.attributes()
    assert (work / "explore-output" / "report.html").is_file()
    # other tools: GraphRAG tables with one row per entity and tie, an offline pyvis page
    rag = pd.read_parquet(work / "explore-graphrag" / "entities.parquet")
    assert len(rag) == 36 and "text_unit_ids" in rag.columns
    pyvis_page = (work / "explore-pyvis.html").read_text(encoding="utf-8")
    assert "cdn.jsdelivr" not in pyvis_page and "vis-network" in pyvis_page
    # the review and a replayed judgement: M-136 AT4 is gone from the rebuilt graph
    judged = next(c for c in codes if "explore-judgements.toml" in c.source)
    assert "36 entities -> 35 after ['exclude M-136 AT4" in judged.outputs[0]["text"]


def test_notebook_uses_the_pipeline_communities():
    # the communities section shows graphbuild's own detection and summary (no separate
    # networkx run that could disagree with the report), and the notebook ships clean
    nb = nbformat.read(NOTEBOOK, as_version=4)
    sources = "\n".join(c.source for c in nb.cells)
    assert "eg.communities" in sources and "louvain_communities" not in sources
    assert "LEAD" not in sources
    assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), \
        "commit the notebook without outputs"
    assert os.path.getsize(NOTEBOOK) < 50_000
