"""Build ``graphbuild/data/truecase.txt.gz``: the preferred spelling of every word seen at
least ``--min-count`` times in the mixed-case cables of the shared 6,712-cable tarball.

    PYTHONPATH=. python benchmarks/build_truecase.py [--holdout-out FILE] [--holdout-every N]

Only body text counts (after the SUBJECT line), not sentence-initial words and not lines
that are mostly upper case (headings, routing), and not the all-caps cables themselves.
With ``--holdout-every N`` every N-th page (archive order) is left out, so that
``benchmarks/ner_quality.py`` can measure recasing on pages the table never saw.
"""

from __future__ import annotations

import argparse
import gzip
import re
from collections import Counter, defaultdict
from pathlib import Path

from graphbuild.core.diagnostics import Diagnostics
from graphbuild.extract.ner import is_all_caps
from graphbuild.read import READERS
from graphbuild.read.textio import decode_bytes
from read_cables import SHARED, iter_pages  # noqa: E402  (benchmarks/ is the script dir)

_WORD = re.compile(r"[A-Za-z][A-Za-z']*")
_SENT = re.compile(r"(?:^|[.!?:]['\")]?\s+|\n\s*\n\s*)$")
OUT = Path(__file__).resolve().parents[1] / "graphbuild" / "data" / "truecase.txt.gz"


def count_forms(text: str, counts: dict[str, Counter]) -> None:
    subj = re.search(r"\bSUBJ(?:ECT)?\s*:.*?\n\s*\n", text, re.S)
    body = text[subj.end():] if subj else text
    for line in body.split("\n"):
        letters = [c for c in line if c.isalpha()]
        if not letters or sum(c.isupper() for c in letters) / len(letters) > 0.6:
            continue
        for m in _WORD.finditer(line):
            if _SENT.search(line[max(0, m.start() - 6):m.start()]) and m.start() < 3 or \
                    (m.start() >= 2 and line[m.start() - 2] in ".!?"):
                continue
            w = m.group(0)
            counts[w.lower()][w] += 1


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tar", type=Path, default=SHARED / "cablegate-6712-html.tar.xz")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--min-count", type=int, default=3)
    ap.add_argument("--holdout-every", type=int, default=0)
    args = ap.parse_args()
    counts: dict[str, Counter] = defaultdict(Counter)
    used = skipped_caps = 0
    for i, (name, data) in enumerate(iter_pages(args.tar)):
        if args.holdout_every and i % args.holdout_every == 0:
            continue
        text, enc = decode_bytes(data, name, Diagnostics())
        doc = READERS["cable-html"](text, name, enc, Diagnostics())[0]
        if is_all_caps(doc.text):
            skipped_caps += 1
            continue
        used += 1
        count_forms(doc.text, counts)
    forms = []
    for c in counts.values():
        if sum(c.values()) >= args.min_count:
            forms.append(c.most_common(1)[0][0])
    forms.sort(key=str.lower)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(gzip.compress("\n".join(forms).encode("utf-8") + b"\n", mtime=0))
    print(f"{len(forms)} words from {used} mixed-case pages ({skipped_caps} all-caps skipped)"
          f" -> {args.out} ({args.out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
