#!/usr/bin/env python3
"""Make the trimmed cable pages of the hand-annotated gold set.

Usage:
    python benchmarks/make_gold_excerpts.py [SOURCE_DIR] [--out OUT_DIR] [--list CABLES_TSV]

    SOURCE_DIR  folder holding the full WikiLeaks cable pages, one <REFID>.html
                each (default: /work/cables/cables_html)
    --out       where the excerpts go (default: tests/data/gold/cables next to
                this repository's tests/ folder)
    --list      the gold cable list (default: tests/data/gold/cables.tsv)

The list of chosen cables lives in tests/data/gold/cables.tsv (tab-separated,
with a header).  This script reads three of its columns:

    ref_id           the cable's reference id; the page is SOURCE_DIR/<ref_id>.html
    paragraphs_kept  K: how many numbered paragraphs (anchors ``par1``..``parK``)
                     the excerpt keeps
    signer           the closing signature as written at the end of the cable
                     (e.g. ``BROWNFIELD``); empty when the cable has none

A trimmed page is the original page, byte for byte, with one span cut out:
everything from the anchor of paragraph K+1 (``<a id='par{K+1}' ...``) up to
the closing signature (the last occurrence of ``signer`` as a whole word in
the last ``<pre>`` block).  So the excerpt keeps

  * the page head: ``<h3>`` title and the metadata ``<table class='cable'>``,
  * the "partial extract" notice ``<pre>`` where the page has one,
  * everything before paragraph 1 (routing block, header, TAGS, SUBJECT, REF,
    Classified By) with its ``&#x000A;`` line breaks and tag links untouched,
  * paragraphs 1..K exactly as in the page (anchors included),
  * the signature line and whatever follows it (``CABLE ENDS`` rulers,
    ``</pre></code>``, ``</body></html>``).

The cut always falls at a paragraph anchor, so the markup stays balanced (an
open ``<pre>`` before the cut is closed by the ``</pre>`` after the signature)
and the page still parses as a cable.  When K is at least the number of
anchors, or no signer is given and K covers the page, the page is copied whole.

Only the standard library is used.  Running it again overwrites the excerpts.
"""
import argparse
import csv
import html
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
GOLD = os.path.join(REPO, "tests", "data", "gold")

ANCHOR = re.compile(r"<a id='par(\d+)' href='#par\d+'>")


def visible_text(page):
    """Text of the <pre> blocks, tags stripped and entities decoded."""
    blocks = re.findall(r"<pre>(.*?)</pre>", page, re.S)
    return "\n".join(html.unescape(re.sub(r"<[^>]+>", "", b)) for b in blocks)


def trim(page, keep, signer):
    """Return the page cut after paragraph `keep`, keeping the signature."""
    anchors = [(int(m.group(1)), m.start()) for m in ANCHOR.finditer(page)]
    later = [pos for num, pos in anchors if num == keep + 1]
    if not later:
        if keep < len(anchors):
            raise ValueError(f"no anchor par{keep + 1} although the page has "
                             f"{len(anchors)} anchors")
        return page  # nothing to cut
    cut = later[0]
    last_pre = page.rfind("<pre>")
    if signer:
        hits = [m.start() for m in
                re.finditer(rf"(?<![A-Za-z]){re.escape(signer)}(?![A-Za-z])", page)
                if m.start() > max(cut, last_pre)]
        if not hits:
            raise ValueError(f"signer {signer!r} not found after the cut")
        tail = hits[-1]
    else:
        tail = page.rfind("</pre>")
    return page[:cut] + page[tail:]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("source", nargs="?", default="/work/cables/cables_html")
    ap.add_argument("--out", default=os.path.join(GOLD, "cables"))
    ap.add_argument("--list", default=os.path.join(GOLD, "cables.tsv"))
    args = ap.parse_args(argv)

    os.makedirs(args.out, exist_ok=True)
    with open(args.list, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    total = 0
    for row in rows:
        ref = row["ref_id"].strip()
        keep = int(row["paragraphs_kept"])
        signer = (row.get("signer") or "").strip()
        src = os.path.join(args.source, ref + ".html")
        with open(src, encoding="utf-8", newline="") as fh:
            page = fh.read()
        out = trim(page, keep, signer)
        dst = os.path.join(args.out, ref + ".html")
        with open(dst, "w", encoding="utf-8", newline="") as fh:
            fh.write(out)
        size = len(out.encode("utf-8"))
        total += size
        print(f"{ref:<16s} K={keep:<2d} visible={len(visible_text(out)):5d} chars  "
              f"{size:6d} bytes")
    print(f"{len(rows)} excerpts, {total} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
