"""Entity quality against the hand-made gold set (``tests/data/gold/``, guideline in its
``GUIDELINE.md``): entity precision, recall and F1, typed and untyped, and pairwise merge
precision and recall.

    python -m benchmarks.gold                # build the 23 gold excerpts with NER, score
    python -m benchmarks.gold --errors       # and list every false positive / negative
    python -m benchmarks.gold --corpus DIR   # score them inside a build of all 6,712 cables

Scoring, per cable: a predicted entity is the set of surface forms (normalised: case,
spacing, possessive, quotes) of the kept mentions the build gave one entity id in the
cable's SUBJECT line and body paragraphs (the gold's scope); a gold row is the set of its
surfaces. A predicted entity matches a gold row when the two sets share a surface; matching
is one to one, largest overlap first. Untyped: a match is a true positive; typed: a match
whose types agree. Precision = true positives / predicted entities, recall = true
positives / gold rows.

Merges: over the matched (cable, gold row) pairs of the whole set, two items belong together
in the gold when their ``key`` is equal and in the build when their entity id is; pairwise
precision and recall count the pairs. The explicit must-not-merge pairs of ``merges.tsv``
are checked on their own.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
GOLD = HERE.parent / "tests" / "data" / "gold"
SCOPE = ("subject", "body")


def read_tsv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t", dtype=str, quoting=csv.QUOTE_NONE,
                       keep_default_na=False)


def load_gold(folder: Path = GOLD) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``(cables, entities, merges)`` of the gold folder."""
    return (read_tsv(folder / "cables.tsv"), read_tsv(folder / "entities.tsv"),
            read_tsv(folder / "merges.tsv"))


_QUOTES = "\"'“”‘’`«»"


def normalise(surface: str) -> str:
    """The comparable form of a surface: NFKC, case-folded, spacing collapsed, quotes and
    a final possessive cut.

    >>> normalise(" Chavez's "), normalise("“Semana”"), normalise("ZIMBABWE’S")
    ('chavez', 'semana', 'zimbabwe')
    """
    s = unicodedata.normalize("NFKC", str(surface))
    s = " ".join(s.split()).strip(_QUOTES + " ")
    s = re.sub(r"(?:'s|’s|')$", "", s, flags=re.I)
    return s.casefold().strip(_QUOTES + " .,;:")


@dataclass
class Item:
    ref: str
    key: str
    name: str
    type: str
    surfaces: set[str]


@dataclass
class Pred:
    ref: str
    entity_id: str
    type: str
    surfaces: set[str]
    shown: list[str] = field(default_factory=list)


def gold_items(entities: pd.DataFrame) -> list[Item]:
    return [Item(r.ref_id, r.key, r.name, r.type,
                 {normalise(s) for s in r.surfaces.split("|") if s.strip()})
            for r in entities.itertuples()]


def predicted_items(mentions: pd.DataFrame, entities: pd.DataFrame,
                    refs: set[str], kept_paragraphs: dict[str, int] | None = None) -> list[Pred]:
    """One item per (cable, entity id) of the kept mentions in scope (with
    ``kept_paragraphs``, a build of the whole cables: only the paragraphs the excerpt
    keeps)."""
    types = dict(zip(entities["entity_id"].astype(str), entities["type"].astype(str),
                     strict=True))
    if "resolved_type" in mentions.columns:
        # every entity, also those a build leaves out of the graph (no edge): the mentions
        # carry their entity's type
        kept_m = mentions[mentions["status"].eq("kept")]
        types = {**dict(zip(kept_m["entity_id"].astype(str),
                            kept_m["resolved_type"].astype(str), strict=True)), **types}
    m = mentions[mentions["status"].eq("kept") & mentions["section"].isin(SCOPE)
                 & mentions["doc_id"].astype(str).isin(refs)]
    if kept_paragraphs is not None:
        limit = m["doc_id"].astype(str).map(kept_paragraphs).fillna(0).astype(int)
        m = m[m["paragraph"].astype(int) <= limit]
    column = "clean" if "clean" in m.columns else "surface"
    out = []
    for (ref, eid), group in m.groupby([m["doc_id"].astype(str),
                                        m["entity_id"].astype(str)], sort=True):
        shown = sorted(set(group[column].astype(str)))
        out.append(Pred(ref, eid, types.get(eid, "?"), {normalise(s) for s in shown}, shown))
    return out


def match(gold: list[Item], pred: list[Pred]) -> list[tuple[int, int]]:
    """One-to-one matches ``(gold index, predicted index)`` within each cable, largest
    surface overlap first (ties: gold order, then predicted order)."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if g.ref == p.ref:
                shared = len(g.surfaces & p.surfaces)
                if shared:
                    pairs.append((-shared, gi, pi))
    used_g, used_p, out = set(), set(), []
    for _, gi, pi in sorted(pairs):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi))
    return out


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def score(mentions: pd.DataFrame, entities: pd.DataFrame, folder: Path = GOLD,
          whole_cables: bool = False) -> dict:
    """Every figure of the module docstring, plus the errors for ``--errors``
    (``whole_cables``: the build read the whole cables, score the excerpts' paragraphs)."""
    cables, gold_rows, merges = load_gold(folder)
    gold = gold_items(gold_rows)
    refs = set(cables["ref_id"])
    kept = (dict(zip(cables["ref_id"], cables["paragraphs_kept"].astype(int), strict=True))
            if whole_cables else None)
    pred = predicted_items(mentions, entities, refs, kept)
    matches = match(gold, pred)
    typed = sum(1 for gi, pi in matches if gold[gi].type == pred[pi].type)
    out = {"cables": len(refs), "gold": len(gold), "predicted": len(pred),
           "untyped": prf(len(matches), len(pred), len(gold)),
           "typed": prf(typed, len(pred), len(gold))}
    # merges, pairwise over the matched items
    items = [(gold[gi].key, pred[pi].entity_id) for gi, pi in matches]
    both = gold_same = pred_same = 0
    for (ka, ea), (kb, eb) in combinations(items, 2):
        g, p = ka == kb, ea == eb
        gold_same += g
        pred_same += p
        both += g and p
    out["merge"] = {"precision": both / pred_same if pred_same else 0.0,
                    "recall": both / gold_same if gold_same else 0.0,
                    "gold_pairs": gold_same, "predicted_pairs": pred_same}
    # explicit pairs of merges.tsv
    by_name = {(g.ref, g.name): i for i, g in enumerate(gold)}
    for g in gold:
        for s in g.surfaces:
            by_name.setdefault((g.ref, s), gold.index(g))
    entity_of = {gi: pred[pi].entity_id for gi, pi in matches}
    checked = {"same": [0, 0], "apart": [0, 0]}      # [held, checked]
    broken = []
    for r in merges.itertuples():
        a = by_name.get((r.ref_a, r.name_a), by_name.get((r.ref_a, normalise(r.name_a))))
        b = by_name.get((r.ref_b, r.name_b), by_name.get((r.ref_b, normalise(r.name_b))))
        if a is None or b is None or a not in entity_of or b not in entity_of:
            continue
        kind = "same" if r.same == "1" else "apart"
        held = (entity_of[a] == entity_of[b]) == (kind == "same")
        checked[kind][1] += 1
        checked[kind][0] += held
        if not held:
            broken.append((kind, r.name_a, r.ref_a, r.name_b, r.ref_b, entity_of[a],
                           entity_of[b]))
    out["pairs"] = {k: {"held": v[0], "checked": v[1]} for k, v in checked.items()}
    matched_g = {gi for gi, _ in matches}
    matched_p = {pi for _, pi in matches}
    out["errors"] = {
        "missed": [(g.ref, g.name, g.type, sorted(g.surfaces)) for i, g in enumerate(gold)
                   if i not in matched_g],
        "spurious": [(p.ref, p.entity_id, p.type, p.shown) for i, p in enumerate(pred)
                     if i not in matched_p],
        "mistyped": [(gold[gi].ref, gold[gi].name, gold[gi].type, pred[pi].type,
                      pred[pi].shown) for gi, pi in matches
                     if gold[gi].type != pred[pi].type],
        "pairs": broken}
    return out


def build_gold(folder: Path = GOLD, model: str | None = None):
    """The build of the gold excerpts as a user runs it (NER on, the default model)."""
    from graphbuild.core.diagnostics import Diagnostics
    from graphbuild.extract.ner import auto_recognizer
    from graphbuild.pipeline import build

    recognizer, why = auto_recognizer(model, use_cache=False)
    if recognizer is None:
        raise SystemExit(f"NER unavailable: {why}")
    return build([str(folder / "cables")], recognizer=recognizer, diagnostics=Diagnostics())


def report(s: dict) -> str:
    lines = [f"gold: {s['cables']} cables, {s['gold']} entity rows; predicted "
             f"{s['predicted']} entities",
             f"{'':10s} {'precision':>9s} {'recall':>7s} {'F1':>6s}"]
    for k in ("untyped", "typed"):
        v = s[k]
        lines.append(f"{k:10s} {v['precision']:9.3f} {v['recall']:7.3f} {v['f1']:6.3f}")
    m = s["merge"]
    lines.append(f"{'merges':10s} {m['precision']:9.3f} {m['recall']:7.3f}       "
                 f"({m['predicted_pairs']} predicted pairs, {m['gold_pairs']} gold pairs)")
    for kind, v in s["pairs"].items():
        label = "must merge" if kind == "same" else "must stay apart"
        lines.append(f"merges.tsv {label}: {v['held']} of {v['checked']} hold")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=None)
    ap.add_argument("--errors", action="store_true", help="list the errors")
    ap.add_argument("--corpus", type=Path, default=None,
                    help="score a built output folder of the whole 6,712 cables instead "
                         "(python -m benchmarks.real_cables --out DIR builds one)")
    args = ap.parse_args()
    t = time.perf_counter()
    if args.corpus:
        import graphbuild as gb

        eg = gb.load(args.corpus)
        s = score(eg.mentions, eg.entities, whole_cables=True)
    else:
        eg = build_gold(model=args.model)
        s = score(eg.mentions, eg.entities)
    print(report(s))
    print(f"(build {time.perf_counter() - t:.1f} s)")
    if args.errors:
        for kind, rows in s["errors"].items():
            print(f"\n## {kind} ({len(rows)})")
            for row in rows:
                print("  ", *row)


if __name__ == "__main__":
    main()
