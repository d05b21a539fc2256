"""NER throughput (words/s) on real cables: 1 and 2 processes, then the cached re-run.

    PYTHONPATH=.:benchmarks python benchmarks/ner_speed.py [--pages 300] [--batch-size 64]

Takes the first ``--pages`` pages of the shared tarball, reads them, and times
``SpacyRecognizer.recognize`` over their clean texts: cold with ``n_process=1``, cold with
``n_process=2`` (each with its own empty cache folder), then again with the warm cache of
the second run. Model loading is not timed. Words = whitespace-separated tokens.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time

from graphbuild.core.diagnostics import Diagnostics
from graphbuild.extract.ner import SpacyRecognizer
from graphbuild.read import READERS
from graphbuild.read.textio import decode_bytes
from read_cables import SHARED, iter_pages


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--batch-size", type=int, default=64)
    args = ap.parse_args()
    texts = []
    for name, data in iter_pages(SHARED / "cablegate-6712-html.tar.xz"):
        text, enc = decode_bytes(data, name, Diagnostics())
        texts.append(READERS["cable-html"](text, name, enc, Diagnostics())[0].text)
        if len(texts) >= args.pages:
            break
    words = sum(len(t.split()) for t in texts)
    out = {"pages": len(texts), "words": words, "cpus": os.cpu_count(),
           "load_average_before": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory() as tmp:
        for n in (1, 2):
            rec = SpacyRecognizer(n_process=n, batch_size=args.batch_size,
                                  cache_dir=os.path.join(tmp, f"cache{n}"))
            out["model"] = rec.name
            t, c = time.perf_counter(), _cpu()
            first = rec.recognize(texts)
            dt, dc = time.perf_counter() - t, _cpu() - c
            # CPU seconds (this process + its workers) too: the wall clock depends on what
            # else the machine runs
            out[f"n_process={n}"] = {"seconds": round(dt, 2), "words_per_s": round(words / dt),
                                     "cpu_seconds": round(dc, 2),
                                     "words_per_cpu_s": round(words / dc)}
        t = time.perf_counter()
        again = rec.recognize(texts)
        dt = time.perf_counter() - t
        assert again == first
        out["cached_rerun"] = {"seconds": round(dt, 3), "words_per_s": round(words / dt),
                               "cached_docs": rec.stats["cached"]}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
