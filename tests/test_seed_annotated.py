"""Seed 09STATE83014 (annotated), checked against counts made by hand from the seed text.

How the numbers were made (no graphbuild code involved):
- 180 annotations: ``grep -oE '\\[(PER|LOC|ORG|MISC) ' <seed> | wc -l``
  (64 LOC, 43 MISC, 61 ORG, 12 PER with ``| sort | uniq -c``).
- Header (before ¶1): ``[LOC DECL: ]`` in the E.O. line, ``[MISC VENEZUELAN ]`` and ``[ORG FARC ]``
  in SUBJECT, ``[PER A. BOGOTA ]`` and ``[LOC RUSSIA ]`` in REF -> 2 subject + 3 header mentions.
- FARC and Venezuela are both annotated in ¶2, ¶3, ¶4 and ¶6 (¶5 has only the MISC
  ``Venezuelan-FARC``; ¶0 has ``VENEZUELAN``, a different name) -> weight 4.
- Russia (¶2, ¶4, ¶5, ¶6; the header RUSSIA creates no edge) and Venezuela -> weight 4.
- Sweden (¶2, ¶3, ¶5, ¶6) and Spain (¶2, ¶5, ¶6) -> weight 3.
- Uribe (¶2, ¶3, ¶4) and Spain share only ¶2, and only because ``¶1988`` inside ¶2 is not a
  paragraph break (Uribe is before it, Spain after it) -> weight 1.
"""

from __future__ import annotations

import pytest

import graphbuild as gb
from graphbuild.segment import find_anchors

SEED = "seeds/cable_09STATE83014_annotated.txt"


@pytest.fixture(scope="module")
def eg(seeds_dir):
    return gb.build(seeds_dir / "cable_09STATE83014_annotated.txt")


def entity_of(eg, surface: str) -> str:
    """Entity id given to the mentions annotated exactly as ``surface``."""
    ids = eg.mentions.loc[eg.mentions["surface"] == surface, "entity_id"].dropna().unique()
    assert len(ids) == 1, (surface, ids)
    return ids[0]


def weight(eg, a: str, b: str) -> int:
    s, t = sorted((entity_of(eg, a), entity_of(eg, b)))
    row = eg.edges[(eg.edges["source"] == s) & (eg.edges["target"] == t)]
    return int(row["weight"].iloc[0]) if len(row) else 0


def test_every_annotation_becomes_a_mention(eg):
    assert len(eg.mentions) == 180
    assert eg.mentions["type"].value_counts().to_dict() == {
        "LOC": 64, "ORG": 61, "MISC": 43, "PER": 12}
    assert eg.documents["doc_id"].tolist() == ["09STATE83014"]


def test_offsets_point_at_the_surface_in_clean_text(eg):
    paragraphs = eg.paragraphs.set_index(["doc_id", "paragraph"])
    body = eg.mentions[eg.mentions["section"] == "body"]
    for row in body.itertuples():
        par = paragraphs.loc[(row.doc_id, row.paragraph)]
        text_start = par["start"] + (len(par["text"]) - len(par["text"].lstrip()))
        # the paragraph text is the clean text from `start`, stripped of outer blanks
        local = row.start - text_start
        assert par["text"][local:local + len(row.surface)] == row.surface


def test_false_anchor_1988_is_text_not_a_break(eg):
    numbers = sorted(eg.paragraphs.loc[eg.paragraphs["section"] == "body", "paragraph"])
    assert numbers == [1, 2, 3, 4, 5, 6, 7]
    par2 = eg.paragraphs.set_index("paragraph").loc[2, "text"]
    assert "¶1988" in par2 and "Uribe" in par2 and "Spain" in par2
    assert weight(eg, "Uribe", "Spain") == 1


def test_anchor_sequence_rule():
    text = "¶1 a ¶2 b ¶1988 c ¶3 d ¶2000 e ¶4"
    assert [n for _, n in find_anchors(text)] == [1, 2, 3, 4]


def test_hand_counted_edge_weights(eg):
    assert weight(eg, "FARC", "Venezuela") == 4
    assert weight(eg, "Russia", "Venezuela") == 4
    assert weight(eg, "Sweden", "Venezuela") == 4
    assert weight(eg, "Sweden", "Spain") == 3
    edges = eg.edges.set_index(["source", "target"])
    assert (edges["documents"] == 1).all()


def test_header_mentions_recorded_but_make_no_edges(eg):
    by_section = eg.mentions.groupby("section").size().to_dict()
    assert by_section["subject"] == 2
    assert by_section["header"] == 3
    header = eg.mentions[eg.mentions["section"] == "header"]
    assert set(header["paragraph"]) == {-1}
    assert sorted(header["surface"]) == ["A. BOGOTA", "DECL:", "RUSSIA"]
    assert not eg.evidence["paragraph"].isin([-1, -2]).any()
    # the REF line's A. BOGOTA (a reference, possibly dropped by resolution) has no edge
    bogota_ref = eg.mentions.loc[eg.mentions["surface"] == "A. BOGOTA", "entity_id"].dropna()
    linked = set(eg.edges["source"]) | set(eg.edges["target"])
    assert not set(bogota_ref) & linked


def test_subject_line_is_paragraph_zero(eg):
    subject = eg.mentions[eg.mentions["section"] == "subject"]
    assert set(subject["paragraph"]) == {0}
    assert sorted(subject["surface"]) == ["FARC", "VENEZUELAN"]
    # VENEZUELAN and FARC co-occur in the subject; its evidence names paragraph 0
    s, t = sorted((entity_of(eg, "VENEZUELAN"), entity_of(eg, "FARC")))
    ev = eg.evidence[(eg.evidence["source"] == s) & (eg.evidence["target"] == t)]
    assert 0 in set(ev["paragraph"])
    assert eg.documents.loc[0, "subject"] == "COMBATTING VENEZUELAN DIVERSION OF ARMS TO THE FARC"


def test_signature_is_its_own_unit(eg):
    sig = eg.paragraphs[eg.paragraphs["section"] == "signature"]
    assert sig["text"].tolist() == ["CLINTON"]
    assert sig["paragraph"].tolist() == [-2]


def test_case_variants_merge_with_well_cased_label(eg):
    russia = entity_of(eg, "Russia")
    assert entity_of(eg, "RUSSIA") == russia
    ents = eg.entities.set_index("entity_id")
    assert ents.loc[russia, "label"] == "Russia"
    # 'Venezuela:' (MISC, twice) merges into the country, whose majority type is LOC
    venezuela = entity_of(eg, "Venezuela")
    assert entity_of(eg, "Venezuela:") == venezuela
    assert ents.loc[venezuela, "type"] == "LOC"
    assert "MISC" in ents.loc[venezuela, "other_types"]
    # 'Latin America.' keeps no period; 'U.S.' keeps its abbreviation period
    assert ents.loc[entity_of(eg, "Latin America."), "label"] == "Latin America"
    assert ents.loc[entity_of(eg, "U.S."), "label"] == "U.S."


def test_node_attributes_and_evidence(eg):
    G = eg.graph()
    venezuela = entity_of(eg, "Venezuela")
    node = G.nodes[venezuela]
    assert {"label", "type", "mentions", "paragraphs", "documents"} <= set(node)
    # grep -o '\[LOC Venezuela  \]' | wc -l = 25, and '\[MISC Venezuela:  \]' = 2
    assert node["mentions"] == 27
    assert node["documents"] == 1
    farc = entity_of(eg, "FARC")
    assert G.edges[farc, venezuela]["weight"] == 4
    ev = eg.evidence_for(farc, venezuela)
    assert ev["paragraph"].tolist() == [2, 3, 4, 6]
    assert all("FARC" in t and "Venezuela" in t for t in ev["text"])
