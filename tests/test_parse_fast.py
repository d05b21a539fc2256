"""The fast paths of the parse stage give exactly what the careful code gives.

* :func:`graphbuild.read.annotations.strip_annotations` takes a one-regex fast path when every ``[``
  opens a well-formed annotation; it must equal the careful loop
  (:func:`~graphbuild.read.annotations.strip_annotations_careful`) on any text, broken or not;
* line/column lookups in bulk (``Document.locate_many``) equal one ``locate`` per offset;
* the quick rejects of the format sniffers, the tail-only signer search, the direct column
  construction of the local engine and the leaner HTML loop equal the straightforward code
  they replaced (written out here as references).
"""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from graphbuild.core import tables
from graphbuild.read import Document, read_text
from graphbuild.read.annotations import (
    _strip_fast,
    has_annotations,
    strip_annotations,
    strip_annotations_careful,
    strip_columns,
)
from graphbuild.read.cable_html import _TOKEN, SourceMap, html_to_text
from graphbuild.read.cable_page import (
    _SIGNER_LINE,
    _SIGNER_TAIL,
    AFTER_SIGNATURE,
    _is_banner,
    find_signer,
)
from graphbuild.read.conll import _SUFFIXES, _TAG, looks_like_conll
from graphbuild.read.jsonl import looks_like_jsonl

SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

# --- strip_annotations: fast path == careful loop ------------------------------------------

# (a backslash before '[' is the escape of a literal bracket: _broken has those)
_words = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="[]\\"),
                 max_size=8)
_surface = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="[]\n"),
                   min_size=1, max_size=12).filter(lambda s: s.strip() != "")
_well_formed = st.builds(lambda t, s, pad: f"[{t} {s}{pad}]",
                         st.sampled_from(["PER", "LOC", "ORG", "MISC"]), _surface,
                         st.sampled_from(["  ", " ", "", "\t", " \n"]))
_broken = st.sampled_from(["\\[PER escaped  ]", "\\\\[LOC Lima  ]", "a\\[sic]",
    "[PER  ]", "[LOC ]", "[PER Unclosed", "[ORG x\n", "[PER\n", "[PER", "[LOC a [PER b  ] c  ]",
    "[PER a [LOC b  ] c", "[XYZ foo  ]", "[XYZ foo]", "[per Foo  ]", "[Loc Bar  ]", "[pEr x ]",
    "[sic]", "[1]", "[Note: x]", "[NOTE this]", "[", "]", "[]", "[PER]", "[PER x]", "[ABC def",
    "[PERX a  ]", "[MISC \t]", "[LOC " + "x" * 301 + "]", "[LOC " + "y" * 300 + "]",
    "[ORG " + "z" * 299 + "  ]", "[PER a]]", "[[PER a  ]",
])
_plain_text = st.lists(st.one_of(_words, _well_formed), max_size=12).map("".join)
_any_text = st.lists(st.one_of(_words, _well_formed, _broken), max_size=12).map("".join)


def _careful(text: str):
    clean, anns, findings = strip_annotations_careful(text)
    return clean, [vars(a) for a in anns], [vars(f) for f in findings]


def _public(text: str):
    strip_columns.cache_clear()   # the result must not depend on what was stripped before
    clean, anns, findings = strip_annotations(text)
    return clean, [vars(a) for a in anns], [vars(f) for f in findings]


@SETTINGS
@given(_any_text)
@example("\\[PER 0  ]")          # an escaped bracket: literal text on both paths
@example("a \\\\[PER b  ] c")      # an escaped backslash before an annotation
def test_strip_equals_careful_on_any_text(text):
    assert _public(text) == _careful(text)
    fast = _strip_fast(text)
    if fast is not None:   # when the fast path claims a text, it must agree on all of it
        clean, anns, findings = _careful(text)
        assert (fast.clean, [vars(a) for a in fast.annotations()], list(fast.findings)) \
            == (clean, anns, [])
    assert has_annotations(text) == _has_annotations_reference(text)


@SETTINGS
@given(_plain_text)
def test_well_formed_text_takes_the_fast_path(text):
    fast = _strip_fast(text)
    assert fast is not None
    assert (fast.clean, [vars(a) for a in fast.annotations()], []) == _careful(text)


def _has_annotations_reference(text: str) -> bool:
    """The definition: a known label with its space, or a known label in another case; a
    bracket after a backslash is an escaped, literal one."""
    from graphbuild.read.annotations import _OPENER, ENTITY_TYPES, _is_miscased_annotation
    return any(((m.group(1) in ENTITY_TYPES and m.group(2) == " ")
                or (m.group(1) != m.group(1).upper() and _is_miscased_annotation(text, m)))
               and not (m.start() > 0 and text[m.start() - 1] == "\\")
               for m in _OPENER.finditer(text))


@pytest.mark.parametrize("text, clean, spans", [
    # (start, end, surface, type, marked_start) computed by hand
    ("In [LOC Caracas  ] , [PER Chavez  ] said", "In Caracas , Chavez said",
     [(3, 10, "Caracas", "LOC", 3), (13, 19, "Chavez", "PER", 21)]),
    ("[ORG UN  ][MISC Swedish ]", "UNSwedish",
     [(0, 2, "UN", "ORG", 0), (2, 9, "Swedish", "MISC", 10)]),
    ("é [PER  Ana  Bo\t]\n", "é Ana  Bo\n", [(2, 9, "Ana  Bo", "PER", 2)]),
    ("no markup at all", "no markup at all", []),
])
def test_fast_path_by_hand(text, clean, spans):
    fast = _strip_fast(text)
    assert fast is not None and fast.clean == clean
    assert list(zip(fast.starts, fast.ends, fast.surfaces, fast.types, fast.marked,
                    strict=True)) == spans
    assert all(clean[s:e] == surface for s, e, surface, _, _ in spans)
    assert _public(text) == _careful(text)


@pytest.mark.parametrize("text", ["a [sic] b", "[PER  ]", "[PER x", "[XYZ a  ]", "[per a  ]",
                                  "[PER a [LOC b  ] c  ]", "[LOC " + "x" * 301 + "]"])
def test_unusual_markup_goes_the_careful_way(text):
    assert _strip_fast(text) is None
    assert _public(text) == _careful(text)


def test_broken_annotation_keeps_its_warning():
    clean, anns, findings = strip_annotations("a [PER Ana  ] b [PER Bo\nc [PER  ] d")
    assert clean == "a Ana b [PER Bo\nc  d"
    assert [(a.surface, a.status, a.reason) for a in anns] == [
        ("Ana", "kept", ""), ("Bo", "dropped", "unclosed-annotation"),
        ("", "dropped", "empty-annotation")]
    assert [f.code for f in findings] == ["unclosed-annotation", "empty-annotation"]


def test_cached_result_is_not_shared_mutably():
    text = "[PER Ana  ] x"
    _, anns, _ = strip_annotations(text)
    anns[0].surface = "changed"
    assert strip_annotations(text)[1][0].surface == "Ana"


# --- line/column lookups -------------------------------------------------------------------

_html_piece = st.sampled_from(["<b>", "</b>", "<a id='par1' href='#par1'>¶</a>", "&amp;",
                               "&#x000A;", "<br/>", "\n", "x", "yz ", "é", "中"])
_html = st.lists(st.one_of(_html_piece, _words), max_size=30).map("".join)


@SETTINGS
@given(_html, st.lists(st.integers(0, 400), max_size=20))
def test_locate_many_equals_locate(source, offsets):
    text, smap = html_to_text(source)
    doc = Document("d", text, source_map=smap, source_text=source)
    offsets = [o for o in offsets if o <= len(text)]
    lines, columns = doc.locate_many(offsets)
    assert list(zip(lines, columns, strict=True)) == [doc.locate(o) for o in offsets]
    assert smap.to_source_many(offsets) == [smap.to_source(o) for o in offsets]


def test_locate_many_plain_text():
    doc = read_text("ab\ncd\n\nef", "d")[0]
    assert doc.locate_many([0, 2, 3, 7, 8]) == ([1, 1, 2, 4, 4], [1, 3, 1, 1, 2])


# --- html_to_text: the leaner loop equals the straightforward one ---------------------------

def _html_to_text_reference(source: str) -> tuple[str, list]:
    smap, pieces, out, pos = SourceMap(), [], 0, 0
    for m in _TOKEN.finditer(source):
        if m.start() > pos:
            smap.add(out, pos, True)
            pieces.append(source[pos:m.start()])
            out += m.start() - pos
        token = m.group(0)
        if token.startswith("&"):
            rep = html.unescape(token)
        elif token.startswith("<a") and "¶" in token:
            rep = "¶"
        elif token.lower().startswith("<br"):
            rep = "\n"
        else:
            rep = ""
        if rep:
            smap.add(out, m.start(), False)
            pieces.append(rep)
            out += len(rep)
        pos = m.end()
    if pos < len(source):
        smap.add(out, pos, True)
        pieces.append(source[pos:])
    return "".join(pieces), [smap.out_starts, smap.src_starts, smap.copied]


@SETTINGS
@given(st.lists(st.one_of(_html_piece, _words, st.sampled_from(["<a title='¶'>", "<BR >"])),
                max_size=30).map("".join))
def test_html_to_text_equals_reference(source):
    text, smap = html_to_text(source)
    assert (text, [smap.out_starts, smap.src_starts, smap.copied]) \
        == _html_to_text_reference(source)


# --- sniffers and the signer ---------------------------------------------------------------

def _conll_reference(text: str, path: str = "") -> bool:
    from pathlib import Path
    lines = [ln.split() for ln in text[:20000].splitlines() if ln.strip()][:200]
    if not lines:
        return False
    tagged = sum(1 for cols in lines
                 if len(cols) >= 2 and (_TAG.match(cols[-1]) or cols[0] == "-DOCSTART-"))
    need = 0.6 if Path(path).suffix.lower() in _SUFFIXES else 0.9
    return len(lines) >= 2 and tagged / len(lines) >= need


def _jsonl_reference(text: str, path: str = "") -> bool:
    import json
    from pathlib import Path
    first = next((ln for ln in text[:200000].splitlines() if ln.strip()), "")
    if not first.lstrip().startswith("{"):
        return False
    try:
        obj = json.loads(first)
    except ValueError:
        return Path(path).suffix.lower() == ".jsonl"
    return isinstance(obj, dict) and ("text" in obj or "data" in obj)


_BREAKS = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028",
           "\u2029", " ", "\t", "\xa0", "\u3000"]
_line_text = st.lists(st.one_of(st.sampled_from(_BREAKS + ["O", "B-PER", "I-x", "E-", "S-LOC",
                                                           "-DOCSTART-", "xO", "OB-", "{",
                                                           '{"text": "a"}', "CLINTON", "1.",
                                                           "NNNN", "a. Brownfield"]),
                                _words), max_size=25).map("".join)


@SETTINGS
@given(_line_text, st.sampled_from(["", "x.conll", "x.txt", "x.jsonl"]))
@example("O\nNNNN\nNNNN", "")        # end markers only: no signer (found by CI)
@example("x\nBrownfield\n>\nCONFIDENTIAL\n", "")
def test_sniffers_and_signer_equal_reference(text, path):
    assert looks_like_conll(text, path) == _conll_reference(text, path)
    assert looks_like_jsonl(text, path) == _jsonl_reference(text, path)
    assert find_signer(text) == _signer_reference(text)


def _signer_reference(text: str) -> str | None:
    """The definition, line by line: cut at the last NNNN, drop the end-marker lines that
    close the page (``>``, ``=====CABLE ENDS=====``, ``NNNN``, ``BT``, ``#1234``, a
    classification banner), then the last line is the signer if it looks like a name."""
    body = text
    nnnn = body.rfind("\nNNNN")
    if nnnn != -1:
        body = body[:nnnn]
    # end markers close "\n"-ended lines (the reader's line break; other breaks only
    # separate the name's line)
    parts = body.split("\n")
    while parts and AFTER_SIGNATURE.fullmatch("\n" + parts[-1]):
        parts.pop()
    lines = [ln for ln in "\n".join(parts).rstrip().splitlines() if ln.strip()]
    if not lines:
        return None
    last = lines[-1]
    m = _SIGNER_LINE.match(last)
    if (m and len(lines) > 1 and len(last.strip()) <= 40 and not last.strip().isdigit()
            and not _is_banner(last)):
        return m.group(1)
    m = _SIGNER_TAIL.search(last)
    return m.group(1) if m else None


def test_line_breaks_of_the_conll_sniffer_are_those_of_splitlines():
    from graphbuild.read.conll import LINE_BREAKS
    breaks = {chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF
              and len(f"a{chr(c)}b".splitlines()) == 2}
    assert breaks == set(LINE_BREAKS)


def test_long_signer_line_found_from_the_tail():
    text = "¶1. " + "word " * 2000 + "\n\n" + "x" * 1000 + "\nCLINTON\n"
    assert find_signer(text) == _signer_reference(text) == "CLINTON"


# --- the local engine's typed columns ------------------------------------------------------

def test_typed_columns_equal_records_construction():
    from graphbuild.extract.batch import _ORDER, _typed_columns
    cols = [c for c in tables.SCHEMAS["mentions"] if c != "mention_id"]
    rows = [{"doc_id": "d", "paragraph": 1, "section": "body", "start": 0, "end": 3,
             "surface": s, "type": "PER", "source": "annotation", "line": 1, "column": 2,
             "status": "kept", "reason": "", "entity_id": None, "_file": "f", "_seq": i}
            for i, s in enumerate(["Ana", "中文 🙂", "", "x\x00y"])]
    # the file column travels as a category (a few hundred files per chunk)
    schema = {**tables.SCHEMAS["mentions"], "_file": "category", "_seq": "int64"}
    expected = pd.DataFrame(rows, columns=cols + list(_ORDER)).astype(
        {c: schema[c] for c in cols + list(_ORDER)})
    got = _typed_columns({c: [r[c] for r in rows] for c in cols + list(_ORDER)}, cols)
    pd.testing.assert_frame_equal(got, expected)
    empty = _typed_columns({c: [] for c in cols + list(_ORDER)}, cols)
    # (an empty category has no categories to type)
    pd.testing.assert_frame_equal(empty.drop(columns=["_file"]),
                                  expected.iloc[:0].reset_index(drop=True).drop(
                                      columns=["_file"]), check_index_type=False)
    assert list(empty.columns) == list(expected.columns)


def test_no_markup_regex_slips_through():
    # the fast pattern reads exactly the known labels
    from graphbuild.read.annotations import _WELL_FORMED, ENTITY_TYPES
    assert re.fullmatch(r"\\\[\((.+)\) .*", _WELL_FORMED.pattern).group(1).split("|") \
        == list(ENTITY_TYPES)
