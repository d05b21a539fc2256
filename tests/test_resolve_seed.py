"""Entity resolution on the annotated seed (09STATE83014), against counts made by hand.

How the expectations were counted (by reading seeds/cable_09STATE83014_annotated.txt):

Distinct annotated (surface, type) pairs, in order of first appearance:
  header (5):  DECL: LOC, VENEZUELAN MISC, FARC ORG, A. BOGOTA PER, RUSSIA LOC
  ¶1 (2):      Embassies Madrid ORG, Stockholm LOC
  ¶2 (19 new): S/NF ORG, Colombian MISC, Uribe PER, Swedish-origin MISC, Venezuela LOC,
               Revolutionary Armed Force of Colombia ORG, Swedish MISC, Bogota LOC, Ref A LOC,
               Sweden LOC, Government of Venezuela ORG, GOV ORG, Government of Colombia ORG,
               GOC ORG, Venezuelan MISC, USG ORG, EU ORG, Spain LOC, Russia LOC
  ¶3 (5 new):  M-136 AT4 MISC, Saab Bofors Dynamics of Sweden ORG, Colombia LOC,
               Foreign Ministries ORG, Chavez PER
  ¶4 (12 new): Clinton PER, Russian MISC, Sergey Lavrov PER, U.S.-Russian MISC, Washington LOC,
               Lavrov PER, Russian-produced MISC, WHA A/S Shannon ORG, Kislyak May PER,
               WHA PDAS Kelly ORG, DCM Darchiyev PER, Darchiyev PER
  ¶5 (2 new):  Russian-origin MISC, Venezuelan-FARC MISC
  ¶6 (10 new): SBU ORG, Embassies Stockholm ORG, Madrid ORG,
               Government of Colombia: Talking Points ORG, Latin America. ORG,
               Wassenaar General Working Group ORG, United States LOC, U.S. LOC,
               Venezuela: MISC, Madrid: MISC
  ¶7 (1 new):  Nate Young PER
  total 5 + 2 + 19 + 5 + 12 + 2 + 10 + 1 = 56 forms.

Dropped forms (5): DECL: (header field), S/NF and SBU (markings), Ref A (reference label),
A. BOGOTA (the lettered reference "REF: A. BOGOTA 2409"). Their mentions: DECL 1, S/NF 4
(¶2, ¶3, ¶4, ¶5), SBU 2 (¶6, ¶7), Ref A 2 (¶2, ¶3), A. BOGOTA 1 = 10 mentions.
56 - 5 = 51 kept forms.

Forms that join another form's entity (each removes one node), 14:
  RUSSIA -> Russia, VENEZUELAN -> Venezuelan (case); Venezuela: -> Venezuela,
  Madrid: -> Madrid (cleanup); FARC = Revolutionary Armed Force of Colombia,
  GOV = Government of Venezuela, GOC = Government of Colombia (abbreviation definitions
  "X ( ABBR )"); Government of Colombia: Talking Points -> Government of Colombia (run-on after a
  colon); Lavrov -> Sergey Lavrov (surname, same document); DCM Darchiyev -> Darchiyev (title);
  United States -> U.S. (known variant, labelled by the more frequent U.S.);
  Swedish-origin -> Swedish, Russian-produced -> Russian, Russian-origin -> Russian (compound
  of a demonym).
  51 - 14 = 37 entities.
With demonym linking, Swedish -> Sweden, Venezuelan -> Venezuela, Colombian -> Colombia and
Russian -> Russia join four more: 37 - 4 = 33 (U.S.-Russian and Venezuelan-FARC name two
things each and stay).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import graphbuild as gb
from graphbuild.cli import app

SEED = str(Path(__file__).resolve().parents[1] / "seeds" / "cable_09STATE83014_annotated.txt")


@pytest.fixture(scope="module")
def eg(seeds_dir):
    return gb.build(seeds_dir / "cable_09STATE83014_annotated.txt")


def entity_of(eg, surface: str, etype: str) -> str:
    ids = eg.mentions.loc[eg.mentions["surface"].eq(surface) & eg.mentions["type"].eq(etype),
                          "entity_id"].unique().tolist()
    assert len(ids) == 1, (surface, ids)
    return ids[0]


def label_of(eg, entity_id: str) -> str:
    return eg.entities.set_index("entity_id").loc[entity_id, "label"]


def test_node_count(eg):
    # 37 entities; Nate Young (alone in his paragraph, ¶7) links to no one and is left out
    # of the graph (he stays in mentions.csv and resolution.csv)
    assert eg.resolution["entity_id"].replace("", None).dropna().nunique() == 37
    assert eg.filters_removed["entities without an edge"] == 1
    assert "nate-young" not in set(eg.entities["entity_id"])
    assert set(eg.mentions.loc[eg.mentions["surface"] == "Nate Young", "entity_id"]) == {
        "nate-young"}
    assert len(eg.entities) == 36
    assert eg.graph().number_of_nodes() == 36


def test_not_entities_are_dropped_but_kept_in_the_mentions_table(eg):
    m = eg.mentions
    expected = {("DECL:", "LOC"): (1, "header-field"), ("S/NF", "ORG"): (4, "marking"),
                ("SBU", "ORG"): (2, "marking"), ("Ref A", "LOC"): (2, "reference-label"),
                ("A. BOGOTA", "PER"): (1, "reference-citation")}
    for (surface, etype), (count, reason) in expected.items():
        rows = m[m["surface"].eq(surface) & m["type"].eq(etype)]
        assert len(rows) == count, surface
        assert rows["status"].eq("dropped").all(), surface
        assert rows["reason"].eq(reason).all(), surface
        assert rows["entity_id"].isna().all(), surface
    assert int(m["status"].eq("dropped").sum()) == 10
    for label in ("S/NF", "SBU", "DECL", "Ref A", "A. BOGOTA"):
        assert label not in set(eg.entities["label"])


@pytest.mark.parametrize("short, long", [("GOV", "Government of Venezuela"),
                                         ("FARC", "Revolutionary Armed Force of Colombia"),
                                         ("GOC", "Government of Colombia")])
def test_abbreviations_merge_with_their_definition(eg, short, long):
    eid = entity_of(eg, short, "ORG")
    assert eid == entity_of(eg, long, "ORG")
    assert label_of(eg, eid) == long  # the most informative form


def test_persons(eg):
    assert entity_of(eg, "Lavrov", "PER") == entity_of(eg, "Sergey Lavrov", "PER")
    assert label_of(eg, entity_of(eg, "Lavrov", "PER")) == "Sergey Lavrov"
    assert entity_of(eg, "DCM Darchiyev", "PER") == entity_of(eg, "Darchiyev", "PER")
    assert label_of(eg, entity_of(eg, "DCM Darchiyev", "PER")) == "Darchiyev"
    assert label_of(eg, entity_of(eg, "Kislyak May", "PER")) == "Kislyak"
    ents = eg.entities.set_index("entity_id")
    # "WHA A/S Shannon" was annotated ORG: a bureau, a title and a surname = a person
    shannon = entity_of(eg, "WHA A/S Shannon", "ORG")
    assert (ents.loc[shannon, "label"], ents.loc[shannon, "type"]) == ("Shannon", "PER")


def test_case_and_cleanup_variants_and_type_voting(eg):
    ents = eg.entities.set_index("entity_id")
    venezuela = entity_of(eg, "Venezuela", "LOC")
    assert entity_of(eg, "Venezuela:", "MISC") == venezuela
    # LOC "Venezuela": ¶2 3, ¶3 3, ¶4 2, ¶5 4, ¶6 13 = 25; MISC "Venezuela:" ¶6 2 -> 27
    assert ents.loc[venezuela, ["label", "type", "other_types", "mentions"]].tolist() == [
        "Venezuela", "LOC", "MISC", 27]
    assert entity_of(eg, "VENEZUELAN", "MISC") == entity_of(eg, "Venezuelan", "MISC")
    assert label_of(eg, entity_of(eg, "VENEZUELAN", "MISC")) == "Venezuelan"
    assert label_of(eg, entity_of(eg, "RUSSIA", "LOC")) == "Russia"
    assert label_of(eg, entity_of(eg, "Latin America.", "ORG")) == "Latin America"
    # U.S. (4, ¶6) and United States (2, ¶6) are one country; the label is the most frequent
    # well-cased spelling, as for case variants
    assert entity_of(eg, "U.S.", "LOC") == entity_of(eg, "United States", "LOC")
    assert label_of(eg, entity_of(eg, "U.S.", "LOC")) == "U.S."
    # Madrid ORG once, Madrid: MISC once: a tie, broken by the documented order PER>ORG>LOC>MISC
    madrid = entity_of(eg, "Madrid", "ORG")
    assert ents.loc[madrid, ["type", "other_types"]].tolist() == ["ORG", "MISC"]


def test_farc_mentions_and_a_merged_edge(eg):
    farc = entity_of(eg, "FARC", "ORG")
    # FARC annotated 13 times (subject 1, ¶2 5, ¶3 1, ¶4 3, ¶6 3) + its long form once
    assert eg.entities.set_index("entity_id").loc[farc, "mentions"] == 14
    # GOC group: GOC/Government of Colombia in ¶2, GOC in ¶3 and ¶5, the run-on form in ¶6;
    # Sweden in ¶2, ¶3, ¶5, ¶6 -> 4 shared paragraphs
    goc, sweden = entity_of(eg, "GOC", "ORG"), entity_of(eg, "Sweden", "LOC")
    s, t = sorted((goc, sweden))
    edge = eg.edges[eg.edges["source"].eq(s) & eg.edges["target"].eq(t)]
    assert edge["weight"].tolist() == [4]


def test_audit_table(eg):
    audit = eg.resolution
    assert list(audit.columns) == ["surface", "type", "entity_id", "label", "rule", "mentions",
                                   "note"]
    assert len(audit) == 56
    assert not audit.duplicated(["surface", "type"]).any()
    assert int(audit["mentions"].sum()) == len(eg.mentions)
    rows = audit.set_index(["surface", "type"])
    assert rows.loc[("S/NF", "ORG"), "entity_id"] in ("", None) or \
        pd.isna(rows.loc[("S/NF", "ORG"), "entity_id"])
    assert rows.loc[("GOV", "ORG"), "rule"] == "abbreviation"
    assert rows.loc[("Lavrov", "PER"), "rule"] == "surname-document"
    assert rows.loc[("DCM Darchiyev", "PER"), "rule"] == "title-stripped"
    assert rows.loc[("VENEZUELAN", "MISC"), "rule"] == "case-variant"
    assert rows.loc[("Venezuela:", "MISC"), "rule"] == "cleanup"
    assert rows.loc[("Sweden", "LOC"), "rule"] == "exact"


def test_resolution_alone_in_a_notebook(seeds_dir):
    docs = gb.read_documents([seeds_dir / "cable_09STATE83014_annotated.txt"], gb.Diagnostics())
    corpus = gb.parse_corpus(docs)
    res = gb.resolve(corpus.mentions, corpus.paragraphs)
    assert len(res.entities) == 37
    assert set(res.definitions["short"]) == {"GOV", "GOC", "FARC"}
    assert res.summary()["surface forms"] == 51
    # the largest merge: Russian + Russian-produced + Russian-origin (3 forms)
    assert res.largest_merges(1)["label"].tolist() == ["Russian"]
    linked = gb.resolve(corpus.mentions, corpus.paragraphs, link_demonyms=True)
    assert len(linked.entities) == 33
    ents = linked.entities.set_index("label")
    assert ents.loc["Sweden", "type"] == "LOC" and "MISC" in ents.loc["Sweden", "other_types"]


def _run(args):
    return CliRunner().invoke(app, args)


def test_cli_writes_resolution_csv_and_report_section(tmp_path):
    out = tmp_path / "out"
    result = _run(["build", SEED, "-o", str(out)])
    assert result.exit_code == 0, result.output
    with open(out / "resolution.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["surface", "type", "entity_id", "label", "rule", "mentions",
                             "note"]
    assert len(rows) == 56
    dropped = {r["surface"]: r for r in rows if not r["entity_id"]}
    assert set(dropped) == {"DECL:", "S/NF", "SBU", "Ref A", "A. BOGOTA"}
    report = (out / "report.md").read_text("utf-8")
    assert "## Resolution" in report
    assert "51 surface forms" in report and "became 37 entities (1 of them" in report
    assert "| marking | 2 | 6 |" in report  # S/NF (4) + SBU (2)


def test_cli_link_demonyms(tmp_path):
    out = tmp_path / "out"
    assert _run(["build", SEED, "-o", str(out), "--link-demonyms"]).exit_code == 0
    nodes = pd.read_csv(out / "nodes.csv")
    assert len(nodes) == 32          # 33 entities, Nate Young without an edge


def test_cli_aliases_toml_user_wins(tmp_path):
    aliases = tmp_path / "aliases.toml"
    aliases.write_text(
        'exclude = ["Embassies Madrid", "embassies stockholm"]\n\n'
        '[[entity]]\nname = "Alvaro Uribe"\ntype = "PER"\naliases = ["Uribe"]\n\n'
        '# the user keeps FARC apart from its long form and calls S/NF an entity\n'
        '[[entity]]\nname = "FARC"\ntype = "ORG"\n\n'
        '[[entity]]\nname = "Secret Noforn"\ntype = "MISC"\naliases = ["S/NF"]\n',
        encoding="utf-8")
    out = tmp_path / "out"
    result = _run(["build", SEED, "-o", str(out), "--aliases", str(aliases)])
    assert result.exit_code == 0, result.output
    nodes = pd.read_csv(out / "nodes.csv").set_index("label")
    # 37 - 2 excluded + 1 (FARC split from its long form) + 1 (S/NF now an entity) = 37,
    # less the two without an edge: Nate Young, and Stockholm (its only companion,
    # "Embassies Stockholm", is excluded)
    assert len(nodes) == 35
    assert nodes.loc["Alvaro Uribe", "mentions"] == 3
    assert nodes.loc["FARC", "mentions"] == 13
    assert nodes.loc["Revolutionary Armed Force of Colombia", "mentions"] == 1
    assert nodes.loc["Secret Noforn", "type"] == "MISC"
    with open(out / "resolution.csv", newline="", encoding="utf-8") as fh:
        res = {(r["surface"], r["type"]): r for r in csv.DictReader(fh)}
    assert res[("Embassies Madrid", "ORG")]["rule"] == "user-exclude"
    assert res[("Embassies Madrid", "ORG")]["entity_id"] == ""
    assert res[("Uribe", "PER")]["rule"] == "user-alias"


def test_cli_aliases_csv(tmp_path):
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("name,type,aliases\nHugo Chavez,PER,Chavez\n"
                       "Government of Venezuela,ORG,GOV|Venezuelan Government\n"
                       "USG,EXCLUDE,\n", encoding="utf-8")
    out = tmp_path / "out"
    result = _run(["build", SEED, "-o", str(out), "--aliases", str(aliases)])
    assert result.exit_code == 0, result.output
    nodes = pd.read_csv(out / "nodes.csv").set_index("label")
    assert nodes.loc["Hugo Chavez", "type"] == "PER"
    assert nodes.loc["Government of Venezuela", "mentions"] == 7  # GOV x6 + long form x1
    assert "USG" not in nodes.index
    assert len(nodes) == 35  # 37 - USG - Nate Young (no edge)


@pytest.mark.parametrize("name, text, where", [
    ("bad.csv", "name,type,aliases\nHugo Chavez,PERSON,Chavez\n", "bad.csv:2"),
    ("bad.toml", "[[entity]]\nname = \"X\"\ntype = \"ORG\"\n\n[[entity]]\naliases = [1]\n",
     "bad.toml:5"),
    ("clash.csv", "name,type,aliases\nA,ORG,GOV\nB,ORG,gov\n", "clash.csv:3"),
    ("broken.toml", "exclude = [\n", "broken.toml"),
])
def test_cli_bad_aliases_file_exits_2_with_place(tmp_path, name, text, where):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = _run(["build", SEED, "-o", str(tmp_path / "out"), "--aliases", str(path)])
    assert result.exit_code == 2
    flat = "".join(result.output.split())  # rich wraps long paths
    assert where in flat
    assert "Traceback" not in result.output


def test_cli_missing_aliases_file_exits_2(tmp_path):
    result = _run(["build", SEED, "-o", str(tmp_path / "out"), "--aliases",
                   str(tmp_path / "nope.toml")])
    assert result.exit_code == 2
    assert "nope.toml" in "".join(result.output.split())
