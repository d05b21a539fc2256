"""What a new user gets from the 6,712 real cable pages, raw, through NER: a junk audit of
the graph's nodes, the top 50 entities by mentions, and the Bogota/Caracas subset checks.

    python -m benchmarks.real_cables                 # build (NER cached) and audit
    python -m benchmarks.real_cables --out /tmp/o    # keep the output folder there
    python -m benchmarks.real_cables --json results/real_cables.json

The junk audit uses its own regexes (not graphbuild's rules), one per kind of debris the
issue names: routing codes and addresses, classification markings, paragraph marks and
numbers, redaction markers, dates, pronouns, and nodes without an edge. Every node of
``nodes.csv`` whose label or any alias matches is counted and listed.

The subset is the issue's: the cables from Embassy Bogota and Embassy Caracas plus those
tagged VE or CO. FARC, Chavez and Uribe must each be one node, and Mario Uribe another.
"""

from __future__ import annotations

import argparse
import json
import re
import tarfile
import tempfile
import time
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[1] / "shared" / "corpora"
if not SHARED.is_dir():
    SHARED = Path("/work/shared/corpora")
PAGES = Path("/tmp/graphbuild-cables-html")

# --- the audit's own regexes ----------------------------------------------------------------
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
AUDIT = {
    # routing indicators (RUEH.., RHEH.., RUCN..) with or without an address after a slash,
    # precedence + indicator lines, DE lines, ZNY/ZZH, addresses, date-time groups, page breaks
    "routing": re.compile(
        r"^(?:VZCZC\S*|R(?:UE|UC|HE|HM|UM|UL|HH|UF|HR)[A-Z]{2,5}\b.*|"
        r"(?:O|P|R|Z|OO|PP|RR)\s+R(?:UE|UC|HE|HM)[A-Z]{2,5}\b.*|DE\s+R[A-Z]{3,6}\s.*|"
        r"ZNY\b.*|ZZH\b.*|(?:AMEMBASSY|AMCONSUL|SECSTATE|USMISSION)\b.*|.*\b\d{6}Z\b.*|"
        r".*\b\d{1,3}\s+OF\s+\d{1,3}\b.*|PAGE\s+\d+.*)$"),
    "marking": re.compile(
        r"^\(?(?:U|C|S|TS|SBU|NF|S/NF|C/NF|S//NF|TS//SCI|NOFORN|SIPDIS|LOU|FOUO|REL\s.*)\)?"
        r"$|^\(?[A-Z]{1,4}(?:/[A-Z]{1,4})?\)\s"),
    "paragraph-or-number": re.compile(r"^(?:¶.*|\$\\P.*|[\d\s.,:/()\-]+)$|¶"),
    "redaction": re.compile(r"[Xx]{4,}"),
    "date": re.compile(
        rf"^(?:{_MONTH}\.?\s+\d{{1,2}}(?:,?\s+\d{{4}})?|\d{{1,2}}\s+{_MONTH}\.?(?:\s+\d{{4}})?|"
        r"(?:19|20)\d\d|\d{1,2}/\d{1,2}/\d{2,4}|(?:mon|tues|wednes|thurs|fri|satur|sun)day|"
        r"today|yesterday|tomorrow|[a-z]+\s+\d{1,2},\s+(?:19|20)\d\d)$", re.I),
    "pronoun": re.compile(r"^(?:i|me|my|we|us|our|you|your|he|him|his|she|her|it|its|they|"
                          r"them|their)$"),
}


def audit_nodes(nodes: pd.DataFrame, edges: pd.DataFrame) -> dict[str, list[str]]:
    """Junk nodes by kind (a node counts once per kind)."""
    found: dict[str, list[str]] = {k: [] for k in [*AUDIT, "isolated"]}
    for label, aliases in zip(nodes["label"].astype(str), nodes["aliases"].fillna("")
                              .astype(str), strict=True):
        names = [label, *[a for a in aliases.split("|") if a]]
        for kind, rx in AUDIT.items():
            # pronouns are matched case-sensitively on lower case: "US" is the country
            if any(rx.search(n.strip()) if kind != "pronoun" else rx.match(n.strip())
                   for n in names[:1]):
                found[kind].append(label)
    linked = set(edges["source"].astype(str)) | set(edges["target"].astype(str))
    found["isolated"] = nodes.loc[~nodes["entity_id"].astype(str).isin(linked),
                                  "label"].astype(str).tolist()
    return found


def unpack(tar_path: Path, where: Path) -> Path:
    if not (where / "done").exists():
        where.mkdir(parents=True, exist_ok=True)
        with tarfile.open(tar_path, "r:xz") as tar:
            for m in tar:
                if m.isfile() and m.name.endswith(".html"):
                    (where / Path(m.name).name).write_bytes(tar.extractfile(m).read())
        (where / "done").write_text("")
    return where


def subset_files(pages: Path, index: Path) -> list[Path]:
    idx = pd.read_csv(index, sep="\t", dtype=str).fillna("")
    tags = idx["tags_line"].str.split()
    pick = idx["origin"].isin(["Embassy Bogota", "Embassy Caracas"]) | tags.map(
        lambda t: "VE" in t or "CO" in t)
    return [pages / f"{r}.html" for r in idx.loc[pick, "refid"] if (pages / f"{r}.html").exists()]


def subset_checks(eg) -> dict:
    """FARC, Chavez, Uribe: one node each; Mario Uribe apart (by label and aliases)."""
    ents = eg.entities
    names = ents["label"].astype(str) + "|" + ents["aliases"].fillna("").astype(str)
    out = {}
    for what, rx in {"FARC": r"(?:^|\|)(?:FARC|Revolutionary Armed Forces? of Colombia)(?:\||$)",
                     "Chavez": r"(?:^|\|)(?:Hugo\s+)?(?:Rafael\s+)?Ch[aá]vez(?:\s+Fr[ií]as)?"
                               r"(?:\||$)",
                     "Uribe": r"(?:^|\|)(?:[ÁA]lvaro\s+)?Uribe(?:\s+V[eé]lez)?(?:\||$)",
                     "Mario Uribe": r"(?:^|\|)Mario Uribe(?:\||$)"}.items():
        hit = ents[names.str.contains(rx, case=False, regex=True)]
        out[what] = hit[["entity_id", "label", "type", "mentions"]].to_dict("records")
    out["ok"] = (all(len(out[k]) == 1 for k in ("FARC", "Chavez", "Uribe", "Mario Uribe"))
                 and out["Uribe"][0]["entity_id"] != out["Mario Uribe"][0]["entity_id"])
    return out


def main() -> None:
    import graphbuild as gb
    from graphbuild.export.folder import export_folder

    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--n-process", type=int, default=2)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--load", type=Path, default=None,
                    help="audit this built output folder instead of building again")
    args = ap.parse_args()
    from graphbuild.extract.ner import SpacyRecognizer

    pages = unpack(SHARED / "cablegate-6712-html.tar.xz", PAGES)
    rec = SpacyRecognizer(n_process=args.n_process)
    t = time.perf_counter()
    if args.load:
        out = args.load
        eg = gb.load(out)
    else:
        eg = gb.build([str(p) for p in sorted(pages.glob("*.html"))], recognizer=rec)
        out = args.out or Path(tempfile.mkdtemp(prefix="real-cables-"))
        export_folder(eg, out)
    build_s = time.perf_counter() - t
    nodes = eg.entities.astype({"aliases": str}).fillna("")
    edges = pd.read_parquet(out / "edges.parquet", columns=["source", "target"])
    junk = audit_nodes(nodes, edges)
    print(f"6,712 pages: {len(nodes)} nodes, {len(edges)} edges (build {build_s:.0f} s, "
          f"output {out})")
    print("entities left out of the graph:", eg.filters_removed)
    print("\njunk audit (independent regexes), nodes per kind:")
    for kind, labels in junk.items():
        print(f"  {kind:20} {len(labels):5}  {labels[:8]}")
    top = eg.entities.sort_values(["mentions", "entity_id"], ascending=[False, True]).head(50)
    print("\ntop 50 by mentions:")
    for r in top.itertuples():
        print(f"  {r.mentions:6} {r.type:4} {r.label:40.40} {str(r.aliases)[:60]}")
    sub = gb.build([str(p) for p in subset_files(pages, SHARED / "cablegate-6712-index.tsv")],
                   recognizer=rec)
    checks = subset_checks(sub)
    print(f"\nBogota/Caracas + VE/CO subset: {len(sub.documents)} cables")
    for k in ("FARC", "Chavez", "Uribe", "Mario Uribe"):
        print(f"  {k:12} {len(checks[k])} node(s): {checks[k]}")
    print("  subset checks", "PASS" if checks["ok"] else "FAIL")
    if args.json:
        args.json.write_text(json.dumps({
            "nodes": len(nodes), "edges": len(edges), "build_s": round(build_s, 1),
            "left_out": eg.filters_removed, "junk": {k: len(v) for k, v in junk.items()},
            "junk_examples": {k: v[:20] for k, v in junk.items()},
            "top50": top[["entity_id", "label", "type", "mentions"]].to_dict("records"),
            "subset": checks}, indent=1, default=str))


if __name__ == "__main__":
    main()
