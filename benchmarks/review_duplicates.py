"""How many decisions it takes to leave no duplicate in the top 50 of the Bogota/Caracas
subset of the 6,712 real cable pages, and how long ``graphbuild review`` takes.

Gold (hand-made, guideline: two nodes are duplicates when they name the same real-world
actor — one country, one people in the singular and the plural, one office in two
spellings or languages), read off the top 50 by PageRank of the build and of each rebuild:

    python benchmarks/review_duplicates.py BUILT_FOLDER [REBUILT_FOLDER]

BUILT_FOLDER: ``graphbuild build <Bogota+Caracas pages> -o BUILT_FOLDER``; REBUILT_FOLDER:
the same with ``--judgements benchmarks/judgements/bogota-caracas.toml``.
"""

from __future__ import annotations

import sys
import time

import graphbuild as gb
from graphbuild.export.review import write_review

GOLD_DUPLICATES = [("Colombian", "Colombians"), ("Venezuelan", "Venezuelans"),
                   ("Cuban", "Cubans"), ("Venezuela", "Bolivarian Republic of Venezuela"),
                   ("Fiscalia", "Prosecutor General"),
                   ("Prosecutor General", "Prosecutor General's Office (Colombia)")]


def top50_duplicates(folder: str) -> list[tuple[str, str]]:
    labels = set(gb.load(folder).top("pagerank", 50)["label"])
    return [p for p in GOLD_DUPLICATES if p[0] in labels and p[1] in labels]


def main(built: str, rebuilt: str | None = None) -> None:
    eg = gb.load(built)
    t = time.perf_counter()
    _, counts = write_review(eg, "/tmp/review-benchmark.html")
    print(f"review: {time.perf_counter() - t:.1f} s for {len(eg.entities):,} entities "
          f"({', '.join(f'{n} {k}' for k, n in counts.items())} candidates)")
    print(f"duplicate pairs in the top 50, before: {top50_duplicates(built)}")
    if rebuilt:
        print(f"after the judgements: {top50_duplicates(rebuilt)}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
