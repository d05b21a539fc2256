"""Co-occurrence units and association measures, against hand counts on tiny corpora."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from graphbuild.count.cooccur import cooccurrence, parse_unit
from graphbuild.count.units import split_sentences, token_positions
from graphbuild.extract import parse_corpus
from graphbuild.read import read_text
from graphbuild.resolve import resolve


def corpus(*texts: str):
    """Parse and resolve annotated texts ``d1, d2, ...`` -> (mentions, paragraphs)."""
    docs = [d for i, t in enumerate(texts, 1) for d in read_text(t, f"d{i}")]
    c = parse_corpus(docs)
    return resolve(c.mentions).mentions, c.paragraphs


def edge(co, a, b) -> pd.Series:
    s, t = sorted((a, b))
    rows = co.edges[(co.edges["source"] == s) & (co.edges["target"] == t)]
    assert len(rows) == 1, f"no edge {s}-{t}"
    return rows.iloc[0]


TINY = (
    "¶1 . [PER Ana  ] met [PER Boris  ] in [LOC Lima  ] . [PER Ana  ] left .\n"
    "¶2 . [PER Ana  ] called [PER Boris  ] .\n"
    "¶3 . [LOC Lima  ] was quiet .",
    "¶1 . [PER Ana  ] flew to [LOC Lima  ] .\n"
    "¶2 . Nothing happened .",
)


def test_paragraph_weights_match_hand_count():
    # Paragraphs (units): d1¶1 {ana, boris, lima}, d1¶2 {ana, boris}, d1¶3 {lima},
    # d2¶1 {ana, lima}, d2¶2 {} -> N = 5 units (the empty one counts).
    # p_ana = 3, p_boris = 2, p_lima = 3.
    mentions, paragraphs = corpus(*TINY)
    co = cooccurrence(mentions, unit="paragraph", paragraphs=paragraphs)
    assert co.n_units == 5
    assert co.unit_counts.to_dict() == {"ana": 3, "boris": 2, "lima": 3}
    n = 5
    # ana-boris: together in d1¶1, d1¶2 -> w = 2, one document
    e = edge(co, "ana", "boris")
    assert (e["weight"], e["documents"]) == (2, 1)
    assert e["jaccard"] == pytest.approx(2 / (3 + 2 - 2))
    assert e["dice"] == pytest.approx(2 * 2 / (3 + 2))
    assert e["npmi"] == pytest.approx(math.log(2 * n / (3 * 2)) / -math.log(2 / n))
    # ana-lima: d1¶1 and d2¶1 -> w = 2, two documents
    e = edge(co, "ana", "lima")
    assert (e["weight"], e["documents"]) == (2, 2)
    assert e["jaccard"] == pytest.approx(2 / 4) and e["dice"] == pytest.approx(4 / 6)
    assert e["npmi"] == pytest.approx(math.log(10 / 9) / -math.log(2 / 5))
    # boris-lima: only d1¶1 -> w = 1; they meet less than chance -> negative npmi
    e = edge(co, "boris", "lima")
    assert (e["weight"], e["documents"]) == (1, 1)
    assert e["jaccard"] == pytest.approx(1 / 4) and e["dice"] == pytest.approx(2 / 5)
    assert e["npmi"] == pytest.approx(math.log(5 / 6) / -math.log(1 / 5)) and e["npmi"] < 0
    assert len(co.edges) == 3
    # evidence: one row per (edge, paragraph)
    ev = co.evidence[(co.evidence["source"] == "ana") & (co.evidence["target"] == "lima")]
    assert sorted(zip(ev["doc_id"], ev["paragraph"], strict=True)) == [("d1", 1), ("d2", 1)]


def test_sentence_weights_match_hand_count():
    # Sentences: d1¶1 = "¶1 . Ana met Boris in Lima ." {ana, boris, lima} + "Ana left ." {ana};
    # d1¶2 {ana, boris}; d1¶3 {lima}; d2¶1 {ana, lima}; d2¶2 {} -> N = 6.
    mentions, paragraphs = corpus(*TINY)
    co = cooccurrence(mentions, unit="sentence", paragraphs=paragraphs)
    assert co.n_units == 6
    assert co.unit_counts.to_dict() == {"ana": 4, "boris": 2, "lima": 3}
    e = edge(co, "ana", "boris")
    assert e["weight"] == 2
    assert e["jaccard"] == pytest.approx(2 / (4 + 2 - 2))
    assert e["npmi"] == pytest.approx(math.log(2 * 6 / (4 * 2)) / -math.log(2 / 6))


def test_sentence_unit_separates_sentences_of_one_paragraph():
    # one paragraph, two sentences: Ana+Boris, then Lima alone -> only ana-boris
    mentions, paragraphs = corpus("¶1 . [PER Ana  ] met [PER Boris  ] . Then [LOC Lima  ] "
                                  "fell .")
    para = cooccurrence(mentions, unit="paragraph", paragraphs=paragraphs)
    sent = cooccurrence(mentions, unit="sentence", paragraphs=paragraphs)
    assert len(para.edges) == 3
    assert sent.edges[["source", "target"]].values.tolist() == [["ana", "boris"]]


def test_window_weights_match_hand_count():
    # tokens of ¶1 (a mention is one token, "¶1 ." gives the token "1"):
    #   0:"1" 1:Ana 2:x 3:Boris 4:y 5:z 6:Carla  -> T = 7, K = 3 -> windows start 0..4 (N = 5)
    #   w0 {Ana}  w1 {Ana, Boris}  w2 {Boris}  w3 {Boris}  w4 {Carla}
    mentions, paragraphs = corpus("¶1 . [PER Ana  ] x [PER Boris  ] y z [PER Carla  ]")
    co = cooccurrence(mentions, unit="window:3", paragraphs=paragraphs)
    assert co.unit == "window:3" and co.n_units == 5
    assert co.unit_counts.to_dict() == {"ana": 2, "boris": 3, "carla": 1}
    assert co.edges[["source", "target", "weight"]].values.tolist() == [["ana", "boris", 1]]
    e = edge(co, "ana", "boris")
    assert e["dice"] == pytest.approx(2 / 5) and e["jaccard"] == pytest.approx(1 / 4)
    # K = 4: windows 0..3 (N = 4): w0 {Ana, Boris} w1 {Ana, Boris} w2 {Boris} w3 {Boris, Carla}
    co4 = cooccurrence(mentions, unit="window:4", paragraphs=paragraphs)
    assert co4.n_units == 4
    assert co4.edges[["source", "target", "weight"]].values.tolist() == [
        ["ana", "boris", 2], ["boris", "carla", 1]]


def test_window_longer_than_paragraph_is_one_window():
    mentions, paragraphs = corpus("¶1 . [PER Ana  ] met [PER Boris  ]")
    co = cooccurrence(mentions, unit="window:50", paragraphs=paragraphs)
    assert co.n_units == 1
    assert co.edges[["source", "target", "weight"]].values.tolist() == [["ana", "boris", 1]]


def test_multiword_mention_is_one_token():
    # "Revolutionary Armed Forces" is one token: Ana(1) and Lima(3) are 2 apart -> K=3 links
    mentions, paragraphs = corpus("¶1 . [PER Ana  ] [ORG Revolutionary Armed Forces  ] "
                                  "[LOC Lima  ]")
    co = cooccurrence(mentions, unit="window:3", paragraphs=paragraphs)
    pairs = co.edges[["source", "target"]].values.tolist()
    assert ["ana", "lima"] in pairs


def test_document_unit_and_its_evidence():
    # documents: d1 {ana, boris, lima}, d2 {ana, lima} -> N = 2
    mentions, paragraphs = corpus(*TINY)
    co = cooccurrence(mentions, unit="document", paragraphs=paragraphs)
    assert co.n_units == 2
    assert edge(co, "ana", "lima")["weight"] == 2
    assert edge(co, "boris", "lima")["weight"] == 1
    # ana-lima always together at document level: npmi = 1 (w = N)
    assert edge(co, "ana", "lima")["npmi"] == pytest.approx(1.0)
    # evidence of boris-lima in d1: the paragraphs mentioning either (¶1, ¶2, ¶3)
    ev = co.evidence[(co.evidence["source"] == "boris") & (co.evidence["target"] == "lima")]
    assert ev["paragraph"].tolist() == [1, 2, 3]


def test_units_need_paragraphs_and_valid_names():
    mentions, _ = corpus(*TINY)
    with pytest.raises(ValueError, match="paragraphs table"):
        cooccurrence(mentions, unit="sentence")
    for bad in ("window", "window:0", "window:x", "clause"):
        with pytest.raises(ValueError, match="unknown unit"):
            parse_unit(bad)


def test_empty_and_single_entity_corpora():
    mentions, paragraphs = corpus("¶1 . nothing here .")
    co = cooccurrence(mentions, unit="sentence", paragraphs=paragraphs)
    assert co.edges.empty and list(co.edges.columns)[:7] == [
        "source", "target", "weight", "documents", "npmi", "jaccard", "dice"]
    mentions, paragraphs = corpus("¶1 . [PER Ana  ] alone .")
    for unit in ("paragraph", "sentence", "window:2", "document"):
        assert cooccurrence(mentions, unit=unit, paragraphs=paragraphs).edges.empty


def test_sentence_splitter_rules():
    text = "Amb. Smith met Gen. Padilla. He saw the U.S. team. A. Bogota said no."
    starts = split_sentences(text)
    assert [text[s:s + 6] for s in starts] == ["Amb. S", "He saw", "A. Bog"]
    # a break inside a protected (mention) span is ignored
    assert split_sentences("Ref A. Bogota 2409. Next one.", [(4, 13)]) == [0, 20]
    # lowercase after the period: not a break (cable line wraps)
    assert split_sentences("see para. 6 below. and more.") == [0]


def test_token_positions_hand_count():
    # words: Yesterday(0) [Alvaro Uribe](1) met(2) [Hugo Chavez](3) in(4) Caracas(5)
    assert token_positions("Yesterday Alvaro Uribe met Hugo Chavez in Caracas",
                           [(27, 38), (10, 22)]) == ([3, 1], 6)
