"""Plain-text paragraph numbering: seed 004 and the numbering styles of raw cables."""

from __future__ import annotations

from pathlib import Path

from graphbuild.core.diagnostics import Diagnostics
from graphbuild.extract.corpus import parse_document
from graphbuild.read import read_documents, read_text
from graphbuild.segment import find_anchors, segment_text


def _paragraphs(doc) -> dict[int, str]:
    return {r["paragraph"]: r["text"] for r in parse_document(doc).paragraphs}


def test_seed_004_paragraphs(seeds_dir: Path) -> None:
    diag = Diagnostics()
    doc = list(read_documents([seeds_dir / "cable_04CARACAS3025_raw.txt"], diag))[0]
    paras = _paragraphs(doc)
    # by hand: "- 11. (C)" .. "- 15. (C)" are OCR'd ¶1..¶5, " $\P6$ . (C)" is ¶6; the
    # header holds SUBJECT (paragraph 0); "NNNN" and the trailer line close the cable
    assert sorted(paras) == [-2, -1, 0, 1, 2, 3, 4, 5, 6]
    assert paras[0] == "SUBJECT: MFA RESPONDS TO TIP DEMARCHE"
    assert paras[1].startswith("- 11. (C) Responding to reftel demarche")
    assert paras[5].endswith("to the United Nations for information.)")
    # ¶6 has a blank line inside ("trafficking\n\nfor us"): still one paragraph
    assert paras[6].startswith("$\\P6$ . (C) The existence of an anti-trafficking task force")
    assert "clearinghouse of information on trafficking\n\nfor us in the future" in paras[6]
    assert paras[6].endswith("(septel). Brownfield")
    assert paras[-2].startswith("NNNN")
    # metadata from the text itself
    assert (doc.doc_id, doc.meta["classification"], doc.meta["tags"], doc.meta["signer"]) == (
        "04CARACAS3025", "CONFIDENTIAL", "PREL PHUM KWMN VE", "Brownfield")


def test_numbering_styles() -> None:
    styles = {
        "pilcrow": "Hdr\n¶1. (C) One.\n¶2. (C) Two ¶1988.\n¶3. Three.",
        "number-mark": "Hdr\n1. (C) One.\n2. (S/NF) Two.\n3.(U) Three.",
        "mark-number": "Hdr\n(C) 1. One.\n(C)2. Two.\n(SBU) 3. Three.",
        "ocr": "Hdr\n- 11. (C) One.\n- 12. (C) Two.\n- 13. (C) Three.",
        "latex": "Hdr\n$\\P 1$ . One.\n$\\P2$ . Two.\n $\\P3$ . Three.",
    }
    for name, text in styles.items():
        units = segment_text(text)
        body = [(u.paragraph, text[u.start:u.end].strip()) for u in units
                if u.section == "body"]
        assert [n for n, _ in body] == [1, 2, 3], name
        assert [t.split()[-1].rstrip(".").lstrip("¶") for _, t in body] == [
            "One", "1988" if name == "pilcrow" else "Two", "Three"], name
        assert all(not t.startswith("Hdr") for _, t in body), name


def test_years_list_items_and_cross_references_are_not_paragraphs() -> None:
    text = ("¶1. A.\n1. (C) a list item that does not continue the sequence\n"
            "¶2. See ¶5 below.\n2005. A year at a line start.\n¶3. C.\n¶4. D.\n¶5. E.")
    assert [n for _, n in find_anchors(text)] == [1, 2, 3, 4, 5]
    # the OCR reading "- 12." is ¶12 when ¶11 came before
    ocr = "x\n" + "".join(f"- 1{i}. (C) p{i}\n" for i in range(1, 10)) + \
        "- 110. (C) p10\n- 111. (C) p11\n- 112. (C) p12\n"
    assert [n for _, n in find_anchors(ocr)] == list(range(1, 13))


def test_blank_lines_split_only_without_numbering() -> None:
    doc = read_text("First para\nwrapped here.\n\nSecond para.\n\nThird.", "d")[0]
    assert list(_paragraphs(doc)) == [1, 2, 3]
    numbered = read_text("1. (C) First\n\nstill first.\n2. (C) Second.", "d")[0]
    paras = _paragraphs(numbered)
    assert list(paras) == [1, 2] and paras[1].endswith("still first.")
