"""The docstring examples of the analysis modules run (so they cannot rot)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["graphbuild.cooccur", "graphbuild.graph", "graphbuild.analysis",
           "graphbuild.timeline", "graphbuild.exporters.gexf"]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
