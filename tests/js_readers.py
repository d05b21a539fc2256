"""Run the graphology readers (tests/js/read_export.js) from Python tests."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

JS = Path(__file__).resolve().parent / "js"


def graphology_read(kind: str, path: Path) -> dict:
    """The graph graphology-gexf / graphology-graphml reads from ``path``, as JSON."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed (scripts/install-system-deps.sh installs it)")
    if not (JS / "node_modules" / "graphology").is_dir():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("tests/js/node_modules missing and npm not found")
        subprocess.run([npm, "ci", "--prefix", str(JS), "--no-audit", "--no-fund",
                        "--loglevel=error"], check=True, timeout=300)
    run = subprocess.run([node, str(JS / "read_export.js"), kind, str(path)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)
