"""Seeded generator of annotated cable corpora of realistic shape.

Each cable looks like the annotated seed (``seeds/cable_09STATE83014_annotated.txt``): a
``<code><pre>`` block whose header carries ``E.O.``, ``TAGS`` links, a ``SUBJECT:`` line and
``Classified By``, then 3-9 body paragraphs opened by ``<a id='parN' href='#parN'>¶</a>N .``
anchors, each with 0-12 inline annotations ``[TYPE text  ]``. Entities are drawn from a
Zipf-distributed vocabulary (a few very frequent, a long tail), so graph shape and density
resemble the real Cablegate annotations (100k cables ≈ 400 MB, ≈ 4-5 M mentions).

The corpus depends only on ``(docs, seed)``: the same call writes byte-identical files.

    python -m benchmarks.generate --docs 10000 --seed 7          # -> benchmarks/data/10000/
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent / "data"
TYPES = ("PER", "LOC", "ORG", "MISC")
#: share of the vocabulary per type (persons dominate the long tail in the real corpus)
TYPE_SHARE = (0.45, 0.2, 0.25, 0.1)
_SYLLABLES = ("ba", "co", "da", "el", "fa", "go", "ha", "ir", "ja", "ka", "lo", "ma", "ne",
              "or", "pa", "qu", "ri", "sa", "ta", "ul", "va", "we", "xi", "yo", "za", "tri",
              "mon", "ser", "val", "dor", "lin", "bar", "ques", "nov", "gar", "hel")
_WORDS = ("the", "embassy", "said", "that", "government", "minister", "officials", "would",
          "meeting", "with", "and", "of", "to", "in", "on", "for", "reported", "discussed",
          "security", "economic", "policy", "support", "request", "according", "post",
          "president", "agreed", "concerns", "press", "arms", "sales", "visit", "noted",
          "regional", "cooperation", "issue", "efforts", "between", "also", "further")
_TAGS = ("PREL", "PGOV", "PARM", "ECON", "MARR", "PTER", "KDEM", "PHUM", "SNAR", "ETRD")
_ORIGINS = ("STATE", "CARACAS", "BOGOTA", "MADRID", "STOCKHOLM", "MOSCOW", "LIMA", "QUITO")


def entity_vocabulary(n: int, seed: int) -> tuple[list[str], list[str]]:
    """``n`` distinct entity names with their types, deterministic in ``seed``.

    >>> names, types = entity_vocabulary(3, 1)
    >>> len(set(names)), set(types) <= set(TYPES)
    (3, True)
    """
    rng = np.random.default_rng(seed)
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < n:
        # two or three words: a lone word would be a surname that resolution rightly merges
        # into a full name containing it, which the simple script cannot do
        words = rng.integers(2, 4)
        parts = []
        for _ in range(words):
            syl = rng.choice(len(_SYLLABLES), size=rng.integers(2, 4))
            parts.append("".join(_SYLLABLES[i] for i in syl).capitalize())
        name = " ".join(parts)
        if name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    types = rng.choice(len(TYPES), size=n, p=TYPE_SHARE)
    return names, [TYPES[t] for t in types]


def vocabulary_size(docs: int) -> int:
    """Vocabulary that yields roughly the entity counts measured on the real annotations
    (about 2.5k entities at 1k cables, 63k at 100k)."""
    return max(200, int(4_000 * (docs / 1_000) ** 0.7))


def cable(i: int, rng: np.random.Generator, names: list[str], types: list[str],
          cdf: np.ndarray) -> str:
    """The text of cable number ``i`` (HTML ``<pre>`` fragment with inline annotations)."""
    def ent() -> str:
        k = int(np.searchsorted(cdf, rng.random()))
        name = names[k]
        # case variants, as in the real annotations ('RUSSIA' / 'Russia'), and trailing ':'
        r = rng.random()
        if r < 0.03:
            name = name.upper()
        elif r < 0.05:
            name = name + ":"
        return f"[{types[k]} {name}  ]"

    def words(n: int) -> str:
        return " ".join(_WORDS[j] for j in rng.integers(0, len(_WORDS), size=n))

    origin = _ORIGINS[i % len(_ORIGINS)]
    tags = " ".join(f"<a href='/tag/{t}_0.html'>{t}</a>"
                    for t in rng.choice(_TAGS, size=rng.integers(2, 6), replace=False))
    subject = " ".join([words(rng.integers(2, 5))] + [ent() for _ in range(rng.integers(0, 3))])
    out = [f"<code><pre>C O N F I D E N T I A L {origin} {i:06d} SIPDIS E.O. 12958: "
           f"DECL: 08/10/2019 TAGS: {tags} SUBJECT: {subject.upper()} REF: {ent()} "
           f"{rng.integers(100, 9999)} Classified By: {words(3).upper()} FOR REASONS 1.4 "
           "( B ) AND ( D ) . "]
    for p in range(1, int(rng.integers(3, 10)) + 1):
        out.append(f"<a id='par{p}' href='#par{p}'>¶</a>{p} . \n")
        n_mentions = int(rng.integers(0, 13))
        sentences = max(1, n_mentions // 3 + int(rng.integers(1, 3)))
        slots = rng.integers(0, sentences, size=n_mentions)
        for s in range(sentences):
            bits = [words(rng.integers(4, 12))]
            for _ in range(int((slots == s).sum())):
                bits.append(ent())
                bits.append(words(rng.integers(1, 6)))
            out.append(" ".join(bits) + " . \n")
    out.append(f"{words(2).upper()}\n</pre></code>\n")
    return "".join(out)


def generate(docs: int, seed: int = 7, out: str | os.PathLike[str] | None = None,
             per_dir: int = 1000) -> Path:
    """Write ``docs`` annotated cables under ``out`` (default ``benchmarks/data/<docs>``).

    Files go ``per_dir`` to a sub-folder, named ``cable_<YY>SYNTH<n>.txt`` so the reader
    finds a cable reference id in the name. Returns the folder.

    >>> import tempfile
    >>> d = generate(3, seed=1, out=tempfile.mkdtemp())
    >>> sorted(p.name for p in d.rglob("*.txt"))
    ['cable_07SYNTH000002.txt', 'cable_08SYNTH000001.txt', 'cable_09SYNTH000000.txt']
    """
    root = Path(out) if out is not None else DATA / str(docs)
    names, types = entity_vocabulary(vocabulary_size(docs), seed)
    ranks = np.arange(1, len(names) + 1, dtype=np.float64)
    weights = 1.0 / ranks ** 1.05               # Zipf: a few hubs, a long tail
    cdf = np.cumsum(weights / weights.sum())
    cdf[-1] = 1.0
    rng = np.random.default_rng(seed + 1)
    for i in range(docs):
        folder = root / f"{i // per_dir:04d}"
        if i % per_dir == 0:
            folder.mkdir(parents=True, exist_ok=True)
        text = cable(i, rng, names, types, cdf)
        (folder / f"cable_{9 - i % 3:02d}SYNTH{i:06d}.txt").write_text(text, encoding="utf-8")
    return root


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", default=None)
    args = ap.parse_args(argv)
    print(generate(args.docs, args.seed, args.out))


if __name__ == "__main__":
    main()
