"""NER span repair (graphbuild.extract.spans) on the failures seen on real cables; each case
quotes the kind of span the model returned."""

from __future__ import annotations

import pytest

from graphbuild.extract.spans import repair_span, repair_spans


def _repair(text: str, surface: str, etype: str) -> list[tuple[str, str]]:
    s = text.index(surface)
    return [(text[a:b], t) for a, b, t in repair_span(text, (s, s + len(surface), etype))]


@pytest.mark.parametrize(("text", "surface", "etype", "want"), [
    # a bare portion marking left in front by the export
    ("C) Restrepo said no.", "C) Restrepo", "PER", [("Restrepo", "PER")]),
    ("(S/NF) Uribe said no.", "(S/NF) Uribe", "PER", [("Uribe", "PER")]),
    # two names joined by a dash or a comma
    ("Jorge Castro - Magdalena met them.", "Jorge Castro - Magdalena", "PER",
     [("Jorge Castro", "PER"), ("Magdalena", "PER")]),
    ("Guaitarilla, Cajamarca and Mapiripan", "Guaitarilla, Cajamarca", "LOC",
     [("Guaitarilla", "LOC"), ("Cajamarca", "LOC")]),
    # ... but not a name that holds a comma
    ("Robert O. Blake, Jr. arrived.", "Robert O. Blake, Jr.", "PER",
     [("Robert O. Blake, Jr.", "PER")]),
    ("Bank of America, N.A. paid.", "Bank of America, N.A.", "ORG",
     [("Bank of America, N.A.", "ORG")]),
    # paragraph marks and redaction markers are never inside a name
    ("ARTICLE I ¶1. The Parties", "ARTICLE I ¶1", "MISC", [("ARTICLE I", "MISC")]),
    ("the managerXXXXXXXXXXXX said", "managerXXXXXXXXXXXX", "PER", [("manager", "PER")]),
    ("EULEXXXXXXXXXXXXX staff", "EULEXXXXXXXXXXXXX", "ORG", [("EULE", "ORG")]),
    # a sentence opener the model took in
    ("Meanwhile Uribe met Chavez.", "Meanwhile Uribe", "PER", [("Uribe", "PER")]),
    # capitals inside a sentence belong to the name
    ("the National Liberation Army attacked", "National Liberation Army", "ORG",
     [("National Liberation Army", "ORG")]),
    # a demonym in front of a person or an organisation is its own MISC mention
    ("the Russian FM Sergey Lavrov said", "Russian FM Sergey Lavrov", "PER",
     [("Russian", "MISC"), ("FM Sergey Lavrov", "PER")]),
    ("VENEZUELANS crossed", "VENEZUELANS", "ORG", [("VENEZUELANS", "MISC")]),
    ("the Colombian Army said", "Colombian Army", "ORG", [("Colombian Army", "ORG")]),
    ("the Colombian military said", "Colombian", "MISC", [("Colombian military", "ORG")]),
    # a name after a title is a person, whatever the model typed it
    ("said President Uribe today", "Uribe", "ORG", [("Uribe", "PER")]),
    ("said Foreign Minister Bermudez", "Bermudez", "LOC", [("Bermudez", "PER")]),
    ("visited Cartagena today", "Cartagena", "LOC", [("Cartagena", "LOC")]),
    # the words around a name say what it is
    ("the Spanish oil company Repsol said", "Repsol", "PER", [("Repsol", "ORG")]),
    ("in the city of Cartagena today", "Cartagena", "PER", [("Cartagena", "LOC")]),
    ("troops in Antioquia Department said", "Antioquia", "ORG", [("Antioquia", "LOC")]),
    ("troops in Antioquia Department said", "Antioquia Department", "ORG",
     [("Antioquia", "LOC")]),
    ("the Department of State said", "Department of State", "ORG",
     [("Department of State", "ORG")]),
    # an office and a person in one span
    ("MFA Director for International Organized Crime, Drugs and Corruption Ana Cazzadore "
     "said", "MFA Director for International Organized Crime, Drugs and Corruption Ana "
     "Cazzadore", "ORG", [("MFA", "ORG"), ("Ana Cazzadore", "PER")]),
    ("WHA DAS Charles Shapiro INL met", "Charles Shapiro INL", "PER",
     [("INL", "ORG"), ("Charles Shapiro", "PER")]),
])
def test_repair(text: str, surface: str, etype: str, want: list[tuple[str, str]]) -> None:
    assert _repair(text, surface, etype) == want


def test_repair_spans_sorts_and_deduplicates() -> None:
    text = "Uribe; Santos"
    assert repair_spans(text, [(0, 13, "PER"), (0, 5, "PER")]) == [(0, 5, "PER"),
                                                                   (7, 13, "PER")]


def test_a_grown_span_covers_the_model_s_own() -> None:
    text = "Venezuelan MFA officials said"
    assert repair_spans(text, [(0, 10, "MISC"), (11, 14, "ORG")]) == [(0, 14, "ORG")]
