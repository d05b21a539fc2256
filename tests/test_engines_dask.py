"""``--engine dask`` gives exactly the local engine's tables (on a real LocalCluster)."""

from __future__ import annotations

import pandas as pd
import pytest

pytest.importorskip("distributed")

from distributed import Client, LocalCluster  # noqa: E402

from benchmarks.generate import generate  # noqa: E402
from conftest import FIXTURES, SEEDS  # noqa: E402
from graphbuild.core.diagnostics import Diagnostics  # noqa: E402
from graphbuild.count import cooccurrence  # noqa: E402
from graphbuild.engines.dask import dask_mapper  # noqa: E402
from graphbuild.engines.local import parse_files  # noqa: E402
from graphbuild.pipeline import build  # noqa: E402
from graphbuild.resolve import resolve  # noqa: E402


@pytest.fixture(scope="module")
def client():
    # two small in-process workers: real scheduler, real task graph, no process start-up
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                      dashboard_address=":0") as cluster, Client(cluster) as c:
        yield c


def test_dask_tables_equal_local_tables(client, tmp_path):
    corpus = generate(80, seed=21, out=tmp_path / "gen", per_dir=30)
    inputs = [str(SEEDS), str(FIXTURES), str(corpus)]
    d_local, d_dask = Diagnostics(), Diagnostics()
    local = parse_files(inputs, d_local, batch_files=16)
    remote = parse_files(inputs, d_dask, mapper=dask_mapper(client), batch_files=16)
    for name in ("documents", "paragraphs", "mentions"):
        pd.testing.assert_frame_equal(getattr(local, name), getattr(remote, name))
    assert sorted(map(str, d_local.problems)) == sorted(map(str, d_dask.problems))
    res = resolve(local.mentions)
    a = cooccurrence(res.mentions, paragraphs=local.paragraphs)
    # 5 blocks of whole documents counted on the workers, then added up
    calls = []

    def mapper(fn, items):
        calls.append(len(items))
        return dask_mapper(client)(fn, items)

    b = cooccurrence(res.mentions, paragraphs=local.paragraphs, mapper=mapper, blocks=5)
    assert calls == [5] and len(a.edges) > 500
    pd.testing.assert_frame_equal(a.edges, b.edges)
    pd.testing.assert_frame_equal(a.evidence, b.evidence)


def test_build_with_dask_scheduler_address_equals_local_build(client):
    inputs = [str(SEEDS), str(FIXTURES)]
    local = build(inputs, engine="local", workers=1)
    remote = build(inputs, engine="dask", scheduler=client.scheduler.address)
    for name in ("documents", "paragraphs", "mentions", "entities", "edges", "evidence",
                 "resolution"):
        pd.testing.assert_frame_equal(getattr(local, name), getattr(remote, name))
    pd.testing.assert_frame_equal(local.centrality, remote.centrality)


def test_cli_engine_dask_with_scheduler(client, tmp_path):
    from typer.testing import CliRunner

    from graphbuild.cli import app

    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(SEEDS), "-o", str(out), "--engine", "dask",
                                      "--scheduler", client.scheduler.address, "--no-ner"])
    assert result.exit_code == 0, result.output
    local = build([str(SEEDS)])
    edges = pd.read_csv(out / "edges.csv")
    assert len(edges) == len(local.edges)
    def weights(frame):
        return {(s, t): int(w) for s, t, w in
                zip(frame["source"], frame["target"], frame["weight"], strict=True)}

    assert weights(edges) == weights(local.edges)


def test_cli_unknown_engine_exits_2(tmp_path):
    from typer.testing import CliRunner

    from graphbuild.cli import app

    result = CliRunner().invoke(app, ["build", str(SEEDS), "-o", str(tmp_path / "o"),
                                      "--engine", "spark"])
    assert result.exit_code == 2
    assert "unknown engine 'spark'" in result.output


def test_build_dir_works_with_the_dask_engine(client, tmp_path):
    """The incremental build folder is the same with Dask: a changed file (same size, same
    mtime) is parsed again on the workers, the unchanged ones come from the chunks."""
    import os
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("¶1. [PER Ana Lopez  ] met [PER Bo Ki  ] .\n", encoding="utf-8")
    (src / "b.txt").write_text("¶1. [PER Cy Do  ] met [PER Ed Fa  ] .\n", encoding="utf-8")
    bd = tmp_path / "bd"
    first = build([str(src)], engine="dask", scheduler=client.scheduler.address, build_dir=bd)
    assert sorted(first.entities["label"]) == ["Ana Lopez", "Bo Ki", "Cy Do", "Ed Fa"]
    assert (bd / "manifest.json").is_file()
    st = os.stat(src / "a.txt")
    (src / "a.txt").write_text("¶1. [PER Ana Lopez  ] met [PER Jo Ki  ] .\n", encoding="utf-8")
    os.utime(src / "a.txt", ns=(st.st_atime_ns, st.st_mtime_ns))
    from graphbuild.engines.local import EngineStats
    stats = EngineStats()
    again = build([str(src)], engine="dask", scheduler=client.scheduler.address,
                  build_dir=bd, stats=stats)
    assert sorted(again.entities["label"]) == ["Ana Lopez", "Cy Do", "Ed Fa", "Jo Ki"]
    assert (stats.files_read, stats.files_reused) == (1, 1)
