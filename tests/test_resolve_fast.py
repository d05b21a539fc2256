"""The vectorised :func:`graphbuild.resolve.resolve` gives exactly the tables of the slow
per-mention reference (``tests/resolve_reference.py``) on generated corpora: abbreviations
with definitions, surnames, titles, markings, dates, case variants, trailing colons, user
aliases and demonyms, over several documents."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

import resolve_reference as reference
from graphbuild.extract import parse_corpus
from graphbuild.read import read_text
from graphbuild.resolve import UserAliases, resolve

TABLES = ("mentions", "entities", "audit", "ambiguous", "definitions")

_PIECES = st.sampled_from([
    "[ORG Government of Venezuela  ] ( [ORG GOV  ] )", "[ORG GOV  ]", "[ORG gov  ]",
    "the Government of Colombia ( [ORG GOC  ] )", "[ORG Government of Canada  ] ( GOC )",
    "[ORG GOC  ]", "[ORG Ministry of Foreign Affairs  ] ( MFA )", "[ORG MFA  ]",
    "[PER Sergey Lavrov  ]", "[PER Lavrov  ]", "[PER Bill Clinton  ]", "[PER Clinton  ]",
    "[PER Hillary Clinton  ]", "[PER Hugo Chavez Frias  ]", "[PER Chavez  ]", "[PER Frias  ]",
    "[PER DCM Darchiyev  ]", "[PER Darchiyev  ]", "[ORG WHA A/S Shannon  ]",
    "[PER Kislyak May  ] 28", "[PER Theresa May  ] said", "[ORG S/NF  ]", "[MISC SBU  ]",
    "[LOC Ref A  ]", "REF: [PER A. BOGOTA  ] 2409", "[MISC August 3  ]", "[LOC RUSSIA  ]",
    "[LOC Russia:  ]", "[LOC Russia  ]", "[MISC Russian-produced  ]", "[MISC Swedish  ]",
    "[LOC Sweden  ]", "[LOC U.S.  ]", "[LOC United States  ]", "[MISC us  ]", "[LOC US  ]",
    "[ORG Madrid: Talking Points  ]", "[LOC Madrid  ]", "[ORG Madrid  ]", "[MISC we  ]",
    "[PER Uribe 's  ]", "[PER President Uribe  ]", "[PER Alvaro Uribe  ]", "[ORG 'FARC'  ]",
    "[ORG Revolutionary Armed Force of Colombia  ] ( [ORG FARC  ] )", "[MISC Spain  ]",
    "[LOC Spain  ]", "plain words", "( [ORG UN  ] )", "[ORG United Nations  ] ( UN )",
])

_ALIASES = UserAliases()
_ALIASES.add("Venezuelan Government", "ORG", ["Government of Venezuela", "Russia"], "t:1")
_ALIASES.add("Lavrov", None, ["Sergey Lavrov"], "t:2")
_ALIASES.exclude.update({"spain", "we"})

_CORPUS = st.lists(st.lists(st.lists(_PIECES, min_size=1, max_size=6), min_size=1,
                            max_size=3), min_size=1, max_size=4)


def _tables(docs: list[list[list[str]]]):
    read = []
    for d, paras in enumerate(docs):
        text = "\n".join(f"¶{i + 1}. " + " , ".join(p) + " ." for i, p in enumerate(paras))
        read += read_text(text, f"d{d + 1}")
    return parse_corpus(read)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_CORPUS, st.booleans(), st.booleans())
def test_fast_resolve_equals_reference(docs, demonyms, aliases):
    c = _tables(docs)
    options = {"link_demonyms": demonyms, "aliases": _ALIASES if aliases else None}
    fast = resolve(c.mentions, c.paragraphs, **options)
    slow = reference.resolve(c.mentions, c.paragraphs, **options)
    for name in TABLES:
        assert_frame_equal(getattr(fast, name), getattr(slow, name), obj=name)


@settings(max_examples=20, deadline=None)
@given(_CORPUS)
def test_fast_resolve_equals_reference_on_shuffled_rows(docs):
    """Input order must not matter more than it does for the reference."""
    c = _tables(docs)
    m = c.mentions.sample(frac=1.0, random_state=0)
    fast, slow = resolve(m, c.paragraphs), reference.resolve(m, c.paragraphs)
    for name in TABLES:
        assert_frame_equal(getattr(fast, name), getattr(slow, name), obj=name)


def test_without_paragraphs_the_context_rules_are_skipped():
    c = _tables([[["[ORG Government of Venezuela  ] ( [ORG GOV  ] )", "[PER Kislyak May  ] 28"]]])
    fast, slow = resolve(c.mentions), reference.resolve(c.mentions)
    for name in TABLES:
        assert_frame_equal(getattr(fast, name), getattr(slow, name), obj=name)
    assert isinstance(fast.entities, pd.DataFrame)


@st.composite
def _laid_out(draw):
    """Paragraph and mention tables with parentheses at the paragraphs' edges, gaps,
    overlapping paragraphs and stripped leading space."""
    paras, mentions = [], []
    for d in range(draw(st.integers(1, 3))):
        pos = 0
        for _ in range(draw(st.integers(1, 4))):
            text = draw(st.text(alphabet="( )aB", min_size=0, max_size=12)).strip()
            start = max(0, pos + draw(st.integers(-3, 3)))
            lead = draw(st.integers(0, 2))
            end = start + lead + len(text) + draw(st.integers(0, 2))
            paras.append({"doc_id": f"d{d}", "start": start, "end": end, "text": text})
            for _ in range(draw(st.integers(0, 3)) if text else 0):
                # a kept mention reads what the text holds there (start/end index the clean
                # text the paragraph text was cut from) and is never empty (an empty
                # annotation is dropped at extraction), as the extract stage writes it
                a = draw(st.integers(0, len(text) - 1))
                b = draw(st.integers(a + 1, min(len(text), a + 4)))
                mentions.append({"doc_id": f"d{d}", "start": start + lead + a,
                                 "end": start + lead + b, "surface": text[a:b]})
            pos = end
    return pd.DataFrame(paras), pd.DataFrame(mentions, columns=["doc_id", "start", "end",
                                                                   "surface"])


@settings(max_examples=300, deadline=None)
@given(_laid_out())
def test_parenthesis_positions_from_paragraphs_equal_the_rebuilt_texts(tables):
    from graphbuild.resolve.abbreviations import DocumentTexts, _next_to_parenthesis
    p, m = tables
    texts = DocumentTexts(p, m)
    assert dict(texts) == reference.document_texts(p, m)
    # some mentions asked about a document without paragraphs; both sides read the same
    # texts (laid out from the same mentions), so only the parenthesis search differs
    asked = m.assign(doc_id=m["doc_id"].where(m.index % 5 != 4, "elsewhere"))
    starts, ends = asked["start"].to_numpy(), asked["end"].to_numpy()
    codes, docs = pd.factorize(asked["doc_id"])
    expected = _next_to_parenthesis(list(docs), dict(texts), codes, starts, ends)
    got = DocumentTexts(p, m).next_to_parenthesis(asked["doc_id"], starts, ends)
    assert got.tolist() == expected.tolist()
