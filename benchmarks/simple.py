"""The simplest correct script: one regex, ``Counter`` over ``itertools.combinations``,
networkx for the measures. The side-by-side reference for ``benchmarks/run.py``.

It understands exactly the shape :mod:`benchmarks.generate` writes (and the seed's):
paragraphs open at ``<a id='parN' href='#parN'>¶</a>N`` anchors, the ``SUBJECT:`` line is a
unit of its own, other header lines make no edges; an entity is its surface with a trailing
``:`` removed, compared case-insensitively. ``weight`` = distinct paragraphs shared.

    python -m benchmarks.simple benchmarks/data/1000 --measures
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
import time
from collections import Counter
from pathlib import Path

import networkx as nx

ANNOTATION = re.compile(r"\[(PER|LOC|ORG|MISC) ([^\[\]]*?)\s*\]")
ANCHOR = re.compile(r"<a id='par(\d+)' href='#par\d+'>¶</a>\d+")
SUBJECT = re.compile(r"SUBJECT:(.*?)(?:\bREF:|Classified By:|$)", re.S)


def units(text: str) -> list[str]:
    """The units of co-occurrence of one cable: the SUBJECT line, then each ¶ paragraph.

    >>> units("H SUBJECT: a [PER X  ] REF: y <a id='par1' href='#par1'>¶</a>1 . b")
    [' a [PER X  ] ', ' . b']
    """
    parts = ANCHOR.split(text)
    header, body = parts[0], parts[2::2]
    m = SUBJECT.search(header)
    return ([m.group(1)] if m else []) + body


def key(surface: str) -> str:
    """Entity key: trailing ':' removed, case folded (``RUSSIA:`` -> ``russia``)."""
    return surface.strip().rstrip(":").strip().casefold()


def count(paths: list[Path]) -> Counter:
    """Edge weights: ``Counter[(a, b)]`` = number of paragraphs mentioning both."""
    weights: Counter = Counter()
    for path in paths:
        for unit in units(path.read_text(encoding="utf-8")):
            ents = sorted({key(s) for _, s in ANNOTATION.findall(unit)})
            weights.update(itertools.combinations(ents, 2))
    return weights


def measures(weights: Counter) -> dict[str, dict]:
    """Degree, strength, exact weighted betweenness and closeness (distance = 1/weight),
    eigenvector and PageRank with networkx — the same measures graphbuild reports."""
    G = nx.Graph()
    for (a, b), w in weights.items():
        G.add_edge(a, b, weight=w, distance=1.0 / w)
    return {"degree": dict(G.degree()), "strength": dict(G.degree(weight="weight")),
            "betweenness": nx.betweenness_centrality(G, weight="distance"),
            "closeness": nx.closeness_centrality(G, distance="distance"),
            "eigenvector": nx.eigenvector_centrality(G, weight="weight", max_iter=1000),
            "pagerank": nx.pagerank(G, weight="weight")}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="simplest correct co-occurrence script")
    ap.add_argument("folder")
    ap.add_argument("--measures", action="store_true", help="also compute the centralities")
    args = ap.parse_args(argv)
    t = time.perf_counter()
    paths = sorted(Path(args.folder).rglob("*.txt"))
    weights = count(paths)
    t_count = time.perf_counter() - t
    print(f"{len(paths)} files, {len(weights)} edges, count {t_count:.2f}s", file=sys.stderr)
    if args.measures:
        measures(weights)
        print(f"total {time.perf_counter() - t:.2f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
