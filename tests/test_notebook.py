"""notebooks/explore.ipynb runs top to bottom (nbclient, a real ipykernel from the Python
running the tests) in a temporary working folder, with the repository on PYTHONPATH."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import igraph
import nbformat
import pytest
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


def _text(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        parts.append(out.get("text", ""))
        data = out.get("data", {})
        parts.append(data.get("text/plain", ""))
        parts.append(data.get("text/html", ""))
    return "\n".join(parts)


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
    text = "\n".join(_text(c) for c in codes)
    # the EntityGraph summary: 2 seed cables, 180 kept mentions (all in the annotated one)
    assert "<strong>EntityGraph</strong>" in text and ">180<" in text
    # the inline interactive graph is an iframe with the vis-network page, no CDN
    show = next(c for c in codes if "eg.show(" in c.source)
    html = show.outputs[0]["data"]["text/html"]
    assert html.startswith("<div><iframe srcdoc=") and "vis-network" in html
    assert "cdnjs" not in html and "unpkg" not in html
    # the path query, counted on the annotated seed: Nate Young is only in ¶7 (with SBU
    # alone), SBU only in ¶6 and ¶7, Chavez only in ¶3, and ¶6 and ¶3 share entities (FARC,
    # Sweden...) -> Nate Young - SBU - X - Chavez: 3 hops, every hop of weight 1
    path = next(c for c in codes if 'eg.path("Nate Young", "Chavez")' in c.source)
    table = path.outputs[0]["data"]["text/html"]
    assert "<th>3</th>" in table and "<th>4</th>" not in table
    assert "nate-young" in table and "chavez" in table and "09STATE83014:¶7" in table
    # the GraphML it wrote, read by an independent reader
    g = igraph.Graph.Read_GraphML(str(work / "explore.graphml"))
    assert g.vcount() == 52            # entities of the annotated seed (nodes.csv rows)
    assert "label" in g.vs.attributes() and "weight" in g.es.attributes()
    assert (work / "explore-output" / "report.html").is_file()


@pytest.mark.parametrize("cell_marker", ["LEAD: adjust"])
def test_community_cell_is_marked_for_the_lead(cell_marker):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert any(cell_marker in c.source for c in nb.cells)
    assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), \
        "commit the notebook without outputs"
    assert os.path.getsize(NOTEBOOK) < 50_000
