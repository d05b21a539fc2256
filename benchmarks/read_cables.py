"""Read all 6,712 cable pages of the shared tarball and report what the readers saw.

    PYTHONPATH=. python benchmarks/read_cables.py [--tar PATH] [--index PATH] [--json OUT]

Counts pages read (and failures), pages without ¶ anchors (and how many of those still got
numbered paragraphs from the plain-text numbering), pages with false anchors (a ¶N that
does not continue the sequence, e.g. ¶1988), all-caps pages, malformed/repaired reference
ids, the time to read + segment them all, and how the parsed metadata agrees with the
corpus index (created, classification, origin, tags, subject).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import tarfile
import time
from pathlib import Path

from graphbuild.core.diagnostics import Diagnostics
from graphbuild.extract.ner import is_all_caps
from graphbuild.read import READERS
from graphbuild.read.textio import decode_bytes
from graphbuild.segment import _ANCHOR, find_anchors, segment_text

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
if not SHARED.is_dir():
    SHARED = Path("/work/shared/corpora")


def iter_pages(tar_path: Path):
    """``(member name, bytes)`` of every .html page in the tarball, in archive order."""
    with tarfile.open(tar_path, "r:xz") as tar:
        for member in tar:
            if member.isfile() and member.name.endswith(".html"):
                yield member.name, tar.extractfile(member).read()


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tar", type=Path, default=SHARED / "cablegate-6712-html.tar.xz")
    ap.add_argument("--index", type=Path, default=SHARED / "cablegate-6712-index.tsv")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)

    pages = list(iter_pages(args.tar))   # decompression is not reading: time it apart
    diag = Diagnostics()
    stats = {"pages": len(pages), "documents": 0, "errors": 0, "no_anchor_html": 0,
             "no_anchor_no_numbering": 0, "false_anchor_pages": 0, "false_anchors": 0,
             "all_caps": 0, "ref_repaired": 0, "ref_malformed": 0, "paragraphs": 0}
    metas = {}
    examples: dict[str, list[str]] = {"false_anchor": [], "malformed": [], "no_numbering": []}
    t0 = time.perf_counter()
    for name, data in pages:
        try:
            text, enc = decode_bytes(data, name, diag)
            doc = READERS["cable-html"](text, name, enc, diag)[0]
            html_anchors = len(re.findall(r"<a id='par\d+'", text))
            anchors = [m for m in _ANCHOR.finditer(doc.text)]
            accepted = find_anchors(doc.text)
            units = segment_text(doc.text)
        except Exception as err:  # noqa: BLE001 - the benchmark counts every failure
            stats["errors"] += 1
            print(f"{name}: {type(err).__name__}: {err}", file=sys.stderr)
            continue
        stats["documents"] += 1
        stats["paragraphs"] += sum(1 for u in units if u.section == "body")
        if html_anchors == 0:
            stats["no_anchor_html"] += 1
            if not accepted:
                stats["no_anchor_no_numbering"] += 1
                examples["no_numbering"].append(doc.doc_id)
        accepted_at = {off for off, _ in accepted}
        false = [m for m in anchors if m.start() not in accepted_at]
        if false:
            stats["false_anchor_pages"] += 1
            stats["false_anchors"] += len(false)
            examples["false_anchor"].append(f"{doc.doc_id}:¶{false[0].group(1)}")
        if is_all_caps(doc.text):
            stats["all_caps"] += 1
        if doc.meta.get("ref_id_raw"):
            ok = re.fullmatch(r"\d{2}[A-Z]+\d+", doc.meta["ref_id"])
            stats["ref_repaired" if ok else "ref_malformed"] += 1
            examples["malformed"].append(f"{doc.meta['ref_id_raw']}->{doc.meta['ref_id']}")
        metas[doc.meta.get("ref_id_raw") or doc.doc_id] = doc.meta
    stats["read_seconds"] = round(time.perf_counter() - t0, 2)
    stats["ms_per_page"] = round(1000 * stats["read_seconds"] / max(len(pages), 1), 2)

    # agreement with the corpus index (an independent extraction of the same pages)
    agree = {k: 0 for k in ("created", "classification", "origin", "tags", "subject")}
    n = 0
    with open(args.index, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            meta = metas.get(row["refid"])
            if meta is None:
                continue
            n += 1
            agree["created"] += meta.get("created") == row["created"]
            agree["classification"] += meta.get("classification") == row["classification"]
            agree["origin"] += meta.get("origin") == row["origin"]
            # the index keeps only the first line of a wrapped TAGS field (or nothing)
            theirs_tags = row["tags_line"].split()
            agree["tags"] += meta.get("tags", "").split()[:len(theirs_tags)] == theirs_tags
            # the index's subject is cut at 100 characters or marked "..." when the page's
            # title was: agreement means the index's subject starts ours
            ours = " ".join(meta.get("subject", "").split()).upper()
            theirs = " ".join(row["subject"].split()).upper().removesuffix("...").strip()
            agree["subject"] += ours.startswith(theirs) and bool(ours or not theirs)
    stats["index_rows_matched"] = n
    stats["index_agreement"] = {k: f"{v}/{n}" for k, v in agree.items()}
    stats["examples"] = {k: v[:8] for k, v in examples.items()}
    stats["warnings"] = len(diag.warnings)
    print(json.dumps(stats, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(stats, indent=2, ensure_ascii=False))
    return stats


if __name__ == "__main__":
    main()
