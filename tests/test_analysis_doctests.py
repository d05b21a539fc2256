"""The docstring examples of the analysis modules run (so they cannot rot)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["graphbuild.count.cooccur", "graphbuild.graph.views", "graphbuild.measures.centrality",
           "graphbuild.measures.timeline", "graphbuild.export.gexf_nx"]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
