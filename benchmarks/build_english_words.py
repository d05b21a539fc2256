"""Build ``graphbuild/data/english-words.txt.gz`` from SCOWL's american-english list
(Debian: ``apt-get install wamerican``): every word that starts with a lower-case letter,
without possessives, sorted, gzip-compressed without a timestamp (byte-identical rebuilds).

    python benchmarks/build_english_words.py [/usr/share/dict/american-english]
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "graphbuild" / "data" / "english-words.txt.gz"


def main() -> None:
    source = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/dict/american-english")
    words = source.read_text(encoding="utf-8").split("\n")
    lower = sorted({w for w in words if w and w[0].islower() and "'" not in w})
    OUT.write_bytes(gzip.compress(("\n".join(lower) + "\n").encode("utf-8"), mtime=0))
    print(f"{len(lower):,} words -> {OUT}")


if __name__ == "__main__":
    main()
