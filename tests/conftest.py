"""Shared fixtures: where the seeds and the shared corpora are, the seeds built once, and
headless Chromium."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the property tests on a fixed example sequence (the same on every run, so a red
# CI always reproduces); a developer's run explores new examples each time
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"


def _shared_dir() -> Path:
    """``$GRAPHBUILD_SHARED``, else ``../shared`` beside the checkout (as in CI)."""
    env = os.environ.get("GRAPHBUILD_SHARED")
    candidates = [Path(env)] if env else []
    candidates += [REPO.parent / "shared", Path("/work/shared")]
    for c in candidates:
        if (c / "corpora").is_dir():
            return c
    return REPO.parent / "shared"


SHARED = _shared_dir()
CORPORA = SHARED / "corpora"
FIXTURES = CORPORA / "fixtures"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def corpora_dir() -> Path:
    if not CORPORA.is_dir():
        pytest.fail(f"shared corpora not found at {CORPORA} (set GRAPHBUILD_SHARED)")
    return CORPORA


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium driven by playwright (scripts/install-system-deps.sh
    installs it); a missing browser fails the test, never skips it."""
    from html_support import CHROMIUM, CHROMIUM_ARGS, have_chromium

    if not have_chromium():
        pytest.fail(f"{CHROMIUM} missing (scripts/install-system-deps.sh installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def seeds_out(seeds_dir, tmp_path_factory):
    """The seeds built once and exported like the CLI does: ``(EntityGraph, folder)``."""
    import graphbuild as gb

    out = tmp_path_factory.mktemp("seeds-out")
    eg = gb.build(seeds_dir)
    eg.export(out)
    return eg, out


@pytest.fixture(scope="session")
def ner_recognizer(tmp_path_factory):
    """One spaCy recognizer for the whole session (loading the model takes a second or
    two), caching into a temporary folder; skipped where spaCy or a model is missing."""
    pytest.importorskip("spacy")
    from graphbuild.extract.ner import NerUnavailable, SpacyRecognizer, find_model

    try:
        find_model()
    except NerUnavailable as err:
        pytest.skip(str(err))
    return SpacyRecognizer(cache_dir=tmp_path_factory.mktemp("ner-cache"))


@pytest.fixture
def recognizer(ner_recognizer):
    """The session recognizer with an empty gazetteer before and after the test (builds
    fill it from their annotated documents)."""
    ner_recognizer.clear_gazetteer()
    yield ner_recognizer
    ner_recognizer.clear_gazetteer()


def farc_id(eg) -> str:
    """The entity FARC belongs to: defined in the seed as 'Revolutionary Armed Force of
    Colombia ( FARC )', resolution files it under that long form (id = slug of the label)
    with FARC as an alias (test_resolve_seed)."""
    ents = eg.entities
    hit = ents.loc[ents["aliases"].str.split("|").map(lambda a: "FARC" in a), "entity_id"]
    assert hit.tolist() == ["revolutionary-armed-force-of-colombia"]
    return hit.iloc[0]


def farc_label(eg) -> str:
    """The label resolution gave FARC (its long form): a reader must return it unchanged."""
    label = eg.entities.set_index("entity_id").loc[farc_id(eg), "label"]
    assert label == "Revolutionary Armed Force of Colombia"
    return label
