"""Local engine against Dask on a LocalCluster: the same build, both engines, wall times and
identical tables.

    python -m benchmarks.engines --docs 100000 --workers 2

Generates ``benchmarks/data/<docs>/`` once (``benchmarks/generate.py``), builds it with
``--engine local --workers N`` and ``--engine dask --workers N`` (a ``LocalCluster`` of N
single-threaded worker processes), checks that the tables are equal and prints parse,
count and total seconds for each.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.generate import DATA, generate  # noqa: E402


def timed_build(corpus: Path, engine: str, workers: int) -> tuple[object, dict]:
    from graphbuild.core.diagnostics import Diagnostics
    from graphbuild.pipeline import build

    t = time.perf_counter()
    eg = build([str(corpus)], engine=engine, workers=workers, diagnostics=Diagnostics(),
               community_method=None)
    total = time.perf_counter() - t
    return eg, {"parse": eg.timings["parse"], "count": eg.timings["count"], "total": total}


def main() -> None:
    import pandas as pd

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    corpus = DATA / str(args.docs)
    if not corpus.exists():
        generate(args.docs, out=corpus)
    local, t_local = timed_build(corpus, "local", args.workers)
    dask, t_dask = timed_build(corpus, "dask", args.workers)
    for name in ("documents", "paragraphs", "mentions", "entities", "edges", "evidence"):
        pd.testing.assert_frame_equal(getattr(local, name), getattr(dask, name))
    print(f"{args.docs:,} cables, {len(local.edges):,} edges, {args.workers} workers; "
          "tables identical")
    print(f"{'engine':8s} {'parse s':>8s} {'count s':>8s} {'total s':>8s}")
    for name, t in (("local", t_local), ("dask", t_dask)):
        print(f"{name:8s} {t['parse']:8.1f} {t['count']:8.1f} {t['total']:8.1f}")


if __name__ == "__main__":
    main()
