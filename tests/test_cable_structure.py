"""The cable's structure read before any NER: routing block, references, classifier,
signer, redactions, and the text the model is given.

Expected values are read by hand off the pages in ``tests/data/gold/cables/`` (the header
lines are quoted next to each case)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphbuild.core.diagnostics import Diagnostics
from graphbuild.core.nonentities import not_entity_reason
from graphbuild.extract import parse_corpus
from graphbuild.extract.ner import mask_structure
from graphbuild.read import read_documents
from graphbuild.read.routing import parse_classifier, parse_references, parse_routing

GOLD = Path(__file__).resolve().parent / "data" / "gold" / "cables"


def _meta(ref: str) -> dict:
    return next(iter(read_documents([GOLD / f"{ref}.html"], Diagnostics()))).meta


def test_routing_block_of_a_cable_page() -> None:
    # O 031923Z MAR 08 / FM AMEMBASSY CARACAS / TO RUEHC/SECSTATE WASHDC IMMEDIATE 0711 /
    # INFO RUCNMEM/EU MEMBER STATES COLLECTIVE PRIORITY / RUEHWH/WESTERN HEMISPHERIC AFFAIRS
    # DIPL POSTS PRIORITY / RHEHNSC/NSC WASHDC PRIORITY / RUMIAAA/HQ USSOUTHCOM MIAMI FL
    m = _meta("08CARACAS283")
    assert (m["precedence"], m["sent"], m["sent_from"], m["sent_to"]) == (
        "IMMEDIATE", "2008-03-03 19:23", "Embassy Caracas", "Secretary of State")
    assert m["sent_info"].split("; ") == [
        "EU MEMBER STATES COLLECTIVE", "WESTERN HEMISPHERIC AFFAIRS DIPL POSTS", "NSC WASHDC",
        "HQ USSOUTHCOM MIAMI FL"]
    # Classified By: Robert Downes, Political Counselor, for Reasons 1.4(b) and (d)
    assert (m["classifier"], m["classifier_office"]) == ("Robert Downes", "Political Counselor")
    assert m["signer"] == "DUDDY"        # "DUDDY" then the page's "CABLE ENDS" line


def test_routing_with_embassy_addressees_and_references() -> None:
    # P 112044Z APR 02 / FM AMEMBASSY BOGOTA / TO SECSTATE WASHDC PRIORITY 8035 / INFO NSC
    # WASHDC ... AMEMBASSY CARACAS ... USCINCSO MIAMI FL; REF: BOGOTA 3101
    m = _meta("02BOGOTA3281")
    assert (m["precedence"], m["sent"]) == ("PRIORITY", "2002-04-11 20:44")
    info = m["sent_info"].split("; ")
    assert info[:4] == ["NSC WASHDC", "JOINT STAFF WASHDC", "SECDEF WASHDC", "DIRONDCP WASHDC"]
    assert {"Embassy Caracas", "Embassy Quito", "Embassy Lima"} <= set(info)
    assert m["references"] == "02BOGOTA3101"
    # CLASSIFIED BY AMBASSADOR ANNE W. PATTERSON.  REASON: 1.5 (B) AND (D)
    assert (m["classifier"], m["classifier_office"]) == ("ANNE W. PATTERSON", "AMBASSADOR")
    assert m["signer"] == "PATTERSON"    # "PATTERSON", then ">" and "CABLE ENDS"


def test_partial_extract_header() -> None:
    # a partial extract: "PAGE 01 HARARE 05461 01 OF 02 271458Z" (no date-time group line),
    # ACTION/INFO office codes before FM, "TO SECSTATE WASHDC IMMEDIATE 7212",
    # "INFO NSC WASHDC IMMEDIATE" + "SOUTHERN AFRICAN DEVELOPMENT COMMUNITY";
    # "REF: HARARE 5346  CONFIDENTIAL" + a page-break line; signed "MCDONALD" + " CONFIDENTIAL"
    m = _meta("00HARARE5461")
    assert "sent" not in m
    assert (m["precedence"], m["sent_from"], m["sent_to"]) == (
        "IMMEDIATE", "Embassy Harare", "Secretary of State")
    assert m["sent_info"] == "NSC WASHDC; SOUTHERN AFRICAN DEVELOPMENT COMMUNITY"
    assert m["references"] == "00HARARE5346"
    assert (m["classifier"], m["classifier_office"]) == ("EARL IRVING", "DCM")
    assert m["signer"] == "MCDONALD"


def test_state_cable_addressee_with_serial_range() -> None:
    # TO RUEHAK/AMEMBASSY ANKARA IMMEDIATE 7721-7722; Classified By: EUR/PRA Dir. Anita Friedt
    m = _meta("09STATE28302")
    assert m["sent_from"] == "Secretary of State"
    assert m["sent_to"] == "Embassy Ankara"
    assert m["classifier"] == "Anita Friedt"
    assert m["signer"] == "CLINTON"


@pytest.mark.parametrize(("field", "citing", "want"), [
    ("A. 08 CARACAS 283 B. BOGOTA 003101 C. STATE 12345", "08BOGOTA999",
     ["08CARACAS283", "08BOGOTA3101", "08STATE12345"]),
    ("A) 2009 STATE 129636", "10STATE17894", ["09STATE129636"]),
    ("A. LONDON 825 B. EMBASSY LONDON DAILY REPORT - APRIL 3 (NOTAL)", "08LONDON1001",
     ["08LONDON825"]),
    ("09 WINDHOEK 348; 09 WINDHOEK 159", "10WINDHOEK7", ["09WINDHOEK348", "09WINDHOEK159"]),
    ("BRASILIA 1140", "09BRASILIA1140", []),          # a cable does not cite itself
])
def test_references(field: str, citing: str, want: list[str]) -> None:
    assert parse_references(field, citing) == want


@pytest.mark.parametrize(("field", "want"), [
    ("ADCM William H. Duncan for reasons 1.4 (b) and (d)", ("William H. Duncan", "ADCM")),
    ("Gene A. Cretz, Ambassador, U.S. Embassy Tripoli, Department of State. REASON: 1.4 (b)",
     ("Gene A. Cretz", "Ambassador, U.S. Embassy Tripoli, Department of State")),
    ("POLITICAL COUNSELOR RICHARD MILLS, REASONS 1.4 (B/D)",
     ("RICHARD MILLS", "POLITICAL COUNSELOR")),
    ("MIN/COUNS ZEYA for reasons 1.4 (b,d)", ("ZEYA", "MIN/COUNS")),
])
def test_classifier(field: str, want: tuple[str, str]) -> None:
    assert parse_classifier(field) == want


def test_a_minister_called_fm_in_the_text_is_not_a_from_line() -> None:
    assert parse_routing("FM Gul: Turkey's Left Should Take Tony Blair As a Model") == {}


def test_masked_text_keeps_offsets_and_drops_structure() -> None:
    text = ("¶6. (S/NF) XXXXXXXXXXXX told PolOff that Uribe met (C) Restrepo.\n"
            "CARACAS 00001208 002.2 OF 002\n-- C) Santos agreed.")
    masked = mask_structure(text)
    assert len(masked) == len(text)
    assert [masked.find(w) for w in ("Uribe", "Restrepo", "Santos")] == [
        text.find(w) for w in ("Uribe", "Restrepo", "Santos")]
    for gone in ("¶6", "S/NF", "XXXX", "(C)", "00001208"):
        assert gone not in masked


def test_paragraphs_count_their_redactions() -> None:
    docs = read_documents([GOLD / "00HARARE5461.html"], Diagnostics())
    paras = parse_corpus(docs).paragraphs
    body = paras[paras["section"] == "body"]
    # independent count: the marker is 4+ x's standing alone
    import re
    want = [len(re.findall(r"\b[Xx]{4,}\b", t)) for t in body["text"]]
    assert body["redactions"].tolist() == want
    assert sum(want) > 0


@pytest.mark.parametrize(("surface", "reason"), [
    ("ZNY CCCCC ZZH P", "routing"), ("PP RUEHWEB", "routing"),
    ("RUEHMO/AMEMBASSY MOSCOW", "routing"), ("81957: REPORT", "number"), ("¶6", "number"),
    ("XXXXXXXXXXXX", "redaction"), ("xxxxxxxxxxx", "redaction"), ("DCM", "title"),
    ("PolOff", "title"), ("Post", "generic"), ("C", "marking"),
])
def test_cable_debris_is_never_an_entity(surface: str, reason: str) -> None:
    assert not_entity_reason(surface) == reason
