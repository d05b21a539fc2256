"""Every name of the public API has a numpy-style docstring: Parameters (when it takes
any), Returns (functions and methods that return something) and Examples. The examples
themselves run as doctests (``--doctest-modules``)."""

from __future__ import annotations

import inspect

import pytest

import graphbuild as gb
from graphbuild.entity_graph import EntityGraph

SECTION = "\n{name}\n{rule}"


def sections(doc: str) -> set[str]:
    lines = inspect.cleandoc(doc or "").splitlines()
    return {lines[i].strip() for i in range(len(lines) - 1)
            if lines[i + 1].strip() and set(lines[i + 1].strip()) == {"-"}}


def has_parameters(obj) -> bool:
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return False
    return any(p.name not in ("self", "cls") for p in sig.parameters.values())


def public_names():
    for name in gb.__all__:
        obj = getattr(gb, name)
        if name.startswith("__") or not callable(obj):
            continue
        yield name, obj


def entity_graph_methods():
    for name, obj in vars(EntityGraph).items():
        if name.startswith("_") or not callable(obj) or isinstance(obj, staticmethod):
            continue
        yield f"EntityGraph.{name}", obj


@pytest.mark.parametrize("name,obj", [*public_names(), *entity_graph_methods()],
                         ids=lambda v: v if isinstance(v, str) else "")
def test_numpy_docstring(name, obj):
    found = sections(obj.__doc__)
    assert "Examples" in found, f"{name}: no Examples section"
    if inspect.isclass(obj):
        return
    if has_parameters(obj):
        assert "Parameters" in found, f"{name}: no Parameters section"
    ret = inspect.signature(obj).return_annotation
    if ret not in (None, "None", inspect.Signature.empty):
        assert "Returns" in found, f"{name}: no Returns section"
