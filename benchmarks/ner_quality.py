"""NER quality: entity-level precision/recall on the re3d US State Department gold, and what
recasing gains on all-caps text.

    PYTHONPATH=.:benchmarks python benchmarks/ner_quality.py re3d
    PYTHONPATH=.:benchmarks python benchmarks/ner_quality.py recase [--pages 200]

``re3d``: gold = the IOB2 file with PER/LOC/ORG/MISC (``re3d_us_state_dept.conll4.conll``,
tokens joined by spaces) and, second, the original ``documents.json`` text with
``entities.json`` spans (outermost spans only, Person/Location/Organisation/Nationality).
A prediction counts when its (start, end, type) equals a gold span; "relaxed" also accepts
a span that differs only by a leading "the"/"The".

``recase``: needs ``/tmp/truecase-holdout.txt.gz`` built with
``build_truecase.py --holdout-every 10 --out /tmp/truecase-holdout.txt.gz`` (every 10th page
left out). On held-out mixed-case pages, the model's entities on the original text are the
reference; we compare the model on the UPPER-CASED text, without and with recasing.
Also counts entities found on the corpus's all-caps cables without and with recasing.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import tempfile
from collections import Counter
from pathlib import Path

import graphbuild.extract.ner as ner
from graphbuild.core.diagnostics import Diagnostics
from graphbuild.core.types import map_label
from graphbuild.read import READERS, read_documents
from graphbuild.read.textio import decode_bytes
from read_cables import SHARED, iter_pages

TYPES = ("PER", "LOC", "ORG")
_DET = re.compile(r"^(?:the|The)\s+")


def _strip_det(text: str, s: int, e: int) -> int:
    m = _DET.match(text[s:e])
    return s + m.end() if m and s + m.end() < e else s


def score(gold: list[set], pred: list[set], texts: list[str], relaxed: bool) -> dict:
    tp, fp, fn = Counter(), Counter(), Counter()
    for g, p, text in zip(gold, pred, texts, strict=True):
        if relaxed:
            g = {(_strip_det(text, s, e), e, t) for s, e, t in g}
            p = {(_strip_det(text, s, e), e, t) for s, e, t in p}
        for t in TYPES:
            gt = {x for x in g if x[2] == t}
            pt = {x for x in p if x[2] == t}
            tp[t] += len(gt & pt)
            fp[t] += len(pt - gt)
            fn[t] += len(gt - pt)
    out = {}
    for t in (*TYPES, "all"):
        a, b, c = ((sum(x.values()) for x in (tp, fp, fn)) if t == "all"
                   else (tp[t], fp[t], fn[t]))
        p = a / (a + b) if a + b else 0.0
        r = a / (a + c) if a + c else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out[t] = {"P": round(p, 3), "R": round(r, 3), "F1": round(f, 3), "gold": a + c,
                  "pred": a + b}
    return out


def score_overlap(gold: list[set], pred: list[set]) -> dict:
    """Lenient: a prediction is right when it overlaps a gold span of its type; a gold span
    is found when a prediction of its type overlaps it (re3d's spans include titles and
    pronouns: "President Obama", "I")."""
    out = {}
    for t in (*TYPES, "all"):
        ok_p = n_p = ok_g = n_g = 0
        for g, p in zip(gold, pred, strict=True):
            gt = [x for x in g if t == "all" or x[2] == t]
            pt = [x for x in p if t == "all" or x[2] == t]
            hit = lambda a, b: a[0] < b[1] and b[0] < a[1] and a[2] == b[2]  # noqa: E731
            ok_p += sum(any(hit(x, y) for y in gt) for x in pt)
            ok_g += sum(any(hit(x, y) for y in pt) for x in gt)
            n_p += len(pt)
            n_g += len(gt)
        p_, r_ = ok_p / max(n_p, 1), ok_g / max(n_g, 1)
        out[t] = {"P": round(p_, 3), "R": round(r_, 3),
                  "F1": round(2 * p_ * r_ / (p_ + r_), 3) if p_ + r_ else 0.0}
    return out


def re3d() -> dict:
    folder = SHARED / "conll" / "re3d_us_state_dept"
    rec = ner.SpacyRecognizer(use_cache=False)
    results = {"model": rec.name}
    docs = list(read_documents([folder / "re3d_us_state_dept.conll4.conll"], Diagnostics()))
    texts = [d.text for d in docs]
    gold = [{s for s in d.spans if s[2] in TYPES} for d in docs]
    pred = [set(x) for x in rec.recognize(texts)]
    results["conll4"] = {"strict": score(gold, pred, texts, False),
                         "relaxed_the": score(gold, pred, texts, True),
                         "overlap": score_overlap(gold, pred)}
    # the original text with the original (outermost) spans
    documents = [json.loads(x) for x in (folder / "documents.json").read_text().splitlines()
                 if x.strip()]
    ents = [json.loads(x) for x in (folder / "entities.json").read_text().splitlines()
            if x.strip()]
    by_doc: dict[str, list] = {}
    for e in ents:
        t = map_label(e["type"])
        if t:
            by_doc.setdefault(e["documentId"], []).append((e["begin"], e["end"], t))
    texts = [d["text"] for d in documents]
    gold = []
    for d in documents:
        spans = by_doc.get(d["_id"], [])
        outer = {s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1]
                                             for o in spans)}
        gold.append({s for s in outer if s[2] in TYPES})
    pred = [set(x) for x in rec.recognize(texts)]
    results["documents_json"] = {"strict": score(gold, pred, texts, False),
                                 "relaxed_the": score(gold, pred, texts, True),
                                 "overlap": score_overlap(gold, pred)}
    return results


def recase_gain(pages: int) -> dict:
    table_path = Path("/tmp/truecase-holdout.txt.gz")
    forms = gzip.decompress(table_path.read_bytes()).decode().split("\n")
    table = {f.lower(): f for f in forms if f}
    ner.lexicon.truecase_table = lambda: table     # the held-out table, not the shipped one
    rec = ner.SpacyRecognizer(use_cache=False)
    held_out, caps_docs = [], []
    for i, (name, data) in enumerate(iter_pages(SHARED / "cablegate-6712-html.tar.xz")):
        text, enc = decode_bytes(data, name, Diagnostics())
        doc = READERS["cable-html"](text, name, enc, Diagnostics())[0]
        if ner.is_all_caps(doc.text):
            caps_docs.append(doc.text)
        elif i % 10 == 0 and len(held_out) < pages:
            held_out.append(doc.text)
    # body text only (after the SUBJECT line): headers are upper case in every cable
    bodies = []
    for t in held_out:
        m = re.search(r"\bSUBJ(?:ECT)?\s*:.*?\n\s*\n", t, re.S)
        bodies.append(t[m.end():] if m else t)
    upper = [b.upper() for b in bodies]
    ref = [{s for s in x if s[2] in TYPES} for x in rec.recognize(bodies)]
    rec.recase_all_caps = False
    plain = [{s for s in x if s[2] in TYPES} for x in rec.recognize(upper)]
    rec.recase_all_caps = True
    recased = [{s for s in x if s[2] in TYPES} for x in rec.recognize(upper)]
    out = {"held_out_pages": len(bodies),
           "upper_vs_original": score(ref, plain, bodies, False),
           "upper_recased_vs_original": score(ref, recased, bodies, False)}
    # the real all-caps cables: how many PER/LOC/ORG mentions are found at all
    rec.recase_all_caps = False
    n_plain = Counter(s[2] for x in rec.recognize(caps_docs) for s in x)
    rec.recase_all_caps = True
    n_recased = Counter(s[2] for x in rec.recognize(caps_docs) for s in x)
    out["all_caps_cables"] = {"pages": len(caps_docs), "mentions_without_recasing":
                              dict(n_plain), "mentions_with_recasing": dict(n_recased)}
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["re3d", "recase"])
    ap.add_argument("--pages", type=int, default=200)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory():
        res = re3d() if args.what == "re3d" else recase_gain(args.pages)
    print(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
