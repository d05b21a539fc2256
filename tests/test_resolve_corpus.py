"""Corpus-wide resolution: one type per entity, surnames by share of mentions, full-name
variants, long-form variants of a defined abbreviation. Each corpus is small and written
by hand so the expected entities can be counted on the page."""

from __future__ import annotations

import pandas as pd

from graphbuild.extract import parse_corpus
from graphbuild.pipeline import build_from_tables
from graphbuild.read import read_text


def _build(*texts: str):
    docs = [d for i, t in enumerate(texts) for d in read_text(t, f"d{i}")]
    return build_from_tables(parse_corpus(docs), keep_isolated=True,
                             community_method=None)


def _entity_of(eg, surface: str) -> set[str]:
    m = eg.mentions
    return set(m.loc[m["surface"] == surface, "entity_id"].astype(str))


def _rule_of(eg, surface: str) -> str:
    a = eg.resolution
    return str(a.loc[a["surface"] == surface, "rule"].iloc[0])


def test_one_token_in_one_paragraph_is_one_entity_with_one_type() -> None:
    # the model typed "Uribe" PER once and ORG once in the same paragraph
    eg = _build("¶1. [PER Alvaro Uribe  ] spoke.",
                "¶1. [PER Uribe  ] told [LOC Bogota  ] that [ORG Uribe  ] would run.")
    assert _entity_of(eg, "Uribe") == {"alvaro-uribe"}
    ent = eg.entities.set_index("entity_id").loc["alvaro-uribe"]
    assert ent["type"] == "PER" and ent["mentions"] == 3
    m = eg.mentions[eg.mentions["entity_id"] == "alvaro-uribe"]
    assert set(m["resolved_type"].astype(str)) == {"PER"}


def test_surname_joins_the_person_who_dominates_by_share() -> None:
    texts = ["¶1. [PER Alvaro Uribe  ] met [PER Alvaro Uribe  ] and [PER Alvaro Uribe  ]."] * 3
    texts += ["¶1. [PER Mario Uribe  ] is his cousin.", "¶1. [PER Uribe  ] won."]
    eg = _build(*texts)
    # 9 of the 10 full-name mentions are Alvaro Uribe's: 90% >= 75%
    assert _entity_of(eg, "Uribe") == {"alvaro-uribe"}
    assert _entity_of(eg, "Mario Uribe") == {"mario-uribe"}
    audit = eg.resolution.set_index("surface")
    assert audit.loc["Uribe", "rule"] == "surname-corpus"
    assert audit.loc["Uribe", "note"].startswith("alvaro uribe: 90% of the 10 mentions")


def test_no_merge_when_two_people_share_the_surname() -> None:
    eg = _build("¶1. [PER Juan Manuel Santos  ] and [PER Juan Manuel Santos  ].",
                "¶1. [PER Francisco Santos  ] and [PER Francisco Santos  ].",
                "¶1. [PER Santos  ] spoke.")
    assert _entity_of(eg, "Santos") == {"santos"}
    amb = eg.ambiguous
    assert "Santos" in set(amb["name"])


def test_a_surname_far_more_frequent_than_the_only_full_name_is_someone_else() -> None:
    # "Mario Uribe" once, "Uribe" alone 12 times: the lone surname is another, famous Uribe
    eg = _build("¶1. [PER Mario Uribe  ] met [PER Uribe  ].",
                *["¶1. [PER Uribe  ] and [PER Uribe  ] and [PER Uribe  ]."] * 4)
    assert _entity_of(eg, "Uribe") == {"uribe"}
    assert _entity_of(eg, "Mario Uribe") == {"mario-uribe"}


def test_debris_candidates_do_not_block_a_surname() -> None:
    # "Local Chavez" (a word cables write in lower case) is not a rival of Hugo Chavez
    eg = _build(*["¶1. [PER Hugo Chavez  ] spoke."] * 5,
                *["¶1. [PER Local Chavez  ] spoke."] * 4, "¶1. [PER Chavez  ] left.")
    assert _entity_of(eg, "Chavez") == {"hugo-chavez"}


def test_full_name_variants_of_one_person_merge() -> None:
    eg = _build("¶1. [PER Alvaro Uribe  ] and [PER Alvaro Uribe  ].",
                "¶1. [PER Alvaro Uribe Velez  ] spoke.", "¶1. [PER Mario Uribe  ] spoke.")
    assert _entity_of(eg, "Alvaro Uribe Velez") == {"alvaro-uribe"}
    assert _rule_of(eg, "Alvaro Uribe Velez") == "name-variant"
    assert _entity_of(eg, "Mario Uribe") == {"mario-uribe"}


def test_long_form_variants_join_the_abbreviation() -> None:
    eg = _build("¶1. The [ORG Revolutionary Armed Forces of Colombia  ] ( [ORG FARC  ] ) "
                "attacked.",
                "¶1. The [ORG Revolutionary Armed Force of Colombia  ] retreated.",
                "¶1. The [ORG Colombian Revolutionary Armed Forces  ] regrouped.",
                "¶1. [ORG FARC  ] leaders met.")
    ids = {s: _entity_of(eg, s) for s in ("FARC", "Revolutionary Armed Forces of Colombia",
                                          "Revolutionary Armed Force of Colombia",
                                          "Colombian Revolutionary Armed Forces")}
    assert len(set().union(*ids.values())) == 1, ids
    assert _rule_of(eg, "Revolutionary Armed Force of Colombia") == "long-form-variant"


def test_cable_knowledge_settles_types() -> None:
    # the model typed the signing ambassador LOC and the country PER; the signer line and
    # the demonym table say otherwise
    cable = ("SUBJECT: TEST\n\n¶1. [LOC Brownfield  ] met [PER Venezuela  ] officials and "
             "[ORG Venezuelans  ] .\n\nBROWNFIELD\n")
    eg = _build(cable)
    types = eg.entities.set_index("label")["type"].to_dict()
    assert types["Brownfield"] == "PER"
    assert types["Venezuela"] == "LOC"
    assert types["Venezuelans"] == "MISC"
    assert eg.documents.loc[0, "signer"] == "BROWNFIELD"


def test_isolated_entities_are_left_out_of_the_graph_and_counted() -> None:
    docs = read_text("¶1. [PER Ana  ] met [PER Bo  ].\n\n¶2. [LOC Lima  ] is far.", "d")
    eg = build_from_tables(parse_corpus(docs), community_method=None)
    assert sorted(eg.entities["entity_id"]) == ["ana", "bo"]
    assert eg.filters_removed["entities without an edge"] == 1
    assert "lima" in set(eg.mentions["entity_id"].astype(str))   # the mention stays
    kept = build_from_tables(parse_corpus(docs), community_method=None, keep_isolated=True)
    assert sorted(kept.entities["entity_id"]) == ["ana", "bo", "lima"]


def test_votes_table_is_independent_of_input_order() -> None:
    a = _build("¶1. [PER Uribe  ] x.", "¶1. [ORG Uribe  ] y.", "¶1. [ORG Uribe  ] z.")
    b = _build("¶1. [ORG Uribe  ] z.", "¶1. [PER Uribe  ] x.", "¶1. [ORG Uribe  ] y.")
    cols = ["entity_id", "type", "mentions"]
    pd.testing.assert_frame_equal(a.entities[cols].reset_index(drop=True),
                                  b.entities[cols].reset_index(drop=True))
    assert a.entities["type"].tolist() == ["ORG"]


def _cable(post: str, body: str) -> str:
    return f"FM AMEMBASSY {post.upper()}\nTO SECSTATE WASHDC\n\nSUBJECT: X\n\n{body}\n"


def test_host_country_institutions_are_keyed_by_the_post() -> None:
    # three cables from Bogota mention Colombia most, two from Brasilia Brazil; "MFA" and
    # "GOC"/"GOB" mean the host's; "Congress" too, both countries' legislatures are one
    bogota = _cable("Bogota", "¶1. The [ORG MFA  ] and the [ORG GOC  ] met [LOC Colombia  ] "
                              "and [LOC Colombia  ] officials, and [ORG Congress  ] .")
    brasilia = _cable("Brasilia", "¶1. The [ORG MFA  ] and the [ORG GOB  ] said [LOC Brazil  ]"
                                  " and [LOC Brazil  ] and [LOC Colombia  ] and [ORG Congress  ]"
                                  " agreed.")
    eg = _build(bogota, bogota, bogota, brasilia, brasilia)
    assert eg.documents["sent_from"].tolist()[:1] == ["Embassy Bogota"]
    labels = dict(zip(eg.entities["entity_id"], eg.entities["label"], strict=True))
    mfa = {labels[e] for e in _entity_of(eg, "MFA")}
    assert mfa == {"MFA (Colombia)", "MFA (Brazil)"}
    assert {labels[e] for e in _entity_of(eg, "GOC")} == {"Government of Colombia"}
    assert {labels[e] for e in _entity_of(eg, "GOB")} == {"Government of Brazil"}
    assert {labels[e] for e in _entity_of(eg, "Congress")} == {"Congress (Colombia)",
                                                               "Congress (Brazil)"}
    assert _rule_of(eg, "MFA") == "post-country"
    # from The Hague, "Congress" is the US one: not keyed by the Netherlands
    hague = _cable("The Hague", "¶1. [ORG Congress  ] and [LOC Netherlands  ] and "
                                "[LOC Netherlands  ] and [LOC Netherlands  ] .")
    eg = _build(hague)
    assert _entity_of(eg, "Congress") == {"congress"}
