"""The speed-ups of the per-file parse give exactly what the code they replaced gave.

Each fast path is checked against the straightforward code (written out here, or kept in
the module as the reference) on generated text that mixes the usual and the unusual.
"""

from __future__ import annotations

import bisect
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphbuild.read import cable_page as cp
from graphbuild.read.cable_html import looks_like_cable_html
from graphbuild.read.document import _locate_ascending, line_starts

SETTINGS = settings(max_examples=400, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

# pieces of cable headers, with the case, spacing and glue variants the regexes care about
_HEADER_PIECES = [
    "TAGS:", "TAGS", "TAGS ", "Tags:", "xTAGS:", "SUBJECT:", "Subject :", "subj:", "SUBJ:",
    "ſubject:", "ſUBJ:", "REF:", "REFS:", "REFTEL:", "ref:", "aREF:", "Classified By:",
    "CLASSIFIED BY", "classified  by", "Classified\nBy", "xClassified By", "E.O. 12958:",
    "E. O. 1", "e.o. 1", "E.O.", "DECL:", "¶1", "¶ 2", "¶", " ", "  ", "\n", "\n\n", "\n \t\n",
    "\r\n", "\x85", "\u2028", "PREL", "PHUM", "KDEM,", "VE", "A", "x", "1", ".", ":", "İ",
    "ı", "K", "K", "s", "S", "This record is a partial extract", "UNCLAS", "FM AMEMBASSY X",
]
_header = st.lists(st.one_of(st.sampled_from(_HEADER_PIECES),
                             st.text(st.characters(blacklist_categories=("Cs",)), max_size=4)),
                   max_size=40).map("".join)


def _reference_fields(head: str) -> list:
    out = []
    for rx in (cp._TAGS, cp._SUBJECT, cp._REF, cp._CLASSIFIED_BY):
        m = rx.search(head)
        out.append(m.group(1) if m else None)
    return out


def _fast_fields(head: str) -> list:
    return [cp._field(cp._TAGS_AT, cp._STOP, head), cp._field(cp._SUBJECT_AT, cp._STOP_I, head),
            cp._field(cp._REF_AT, cp._STOP, head),
            cp._field(cp._CLASSIFIED_BY_AT, cp._STOP_I, head)]


@SETTINGS
@given(_header)
def test_preamble_fields_equal_the_lazy_regexes(head):
    assert _fast_fields(head) == _reference_fields(head)


def test_preamble_fields_on_the_seeds_and_fixtures():
    from pathlib import Path

    from graphbuild.read.cable_html import parse_cable_html
    paths = sorted(Path("seeds").glob("*")) + sorted(Path("tests/data/bad").glob("*.txt"))
    texts = [p.read_text("utf-8", errors="replace") for p in paths]
    texts += [parse_cable_html(t)[0] for t in texts]
    for text in texts:
        head = text[:cp._PREAMBLE_WINDOW]
        assert _fast_fields(head) == _reference_fields(head)


def test_case_classes_are_those_of_ignorecase():
    # the case-insensitive fast patterns spell out what re.IGNORECASE matches a letter with
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    for letter, cls in (("s", "Ss\u017f"), ("r", "Rr"), ("t", "Tt"), ("e", "Ee"), ("c", "Cc"),
                        ("o", "Oo")):
        rx = re.compile(letter, re.I)
        assert {ch for ch in chars if rx.fullmatch(ch)} == set(cls), letter


def _first_line_reference(head: str) -> str:
    return next((ln.strip() for ln in head.splitlines() if ln.strip()
                 and not ln.startswith("This record is a partial extract")), "")


@SETTINGS
@given(st.lists(st.sampled_from(["", " ", "x" * 200, "y" * 600, "This record is a partial "
                                 "extract", "\n", "\r", "\r\n", "\x0b", "\u2028", "\t", "z"]),
                max_size=30).map("".join))
def test_first_line_equals_splitting_all_lines(head):
    assert cp._first_line(head) == _first_line_reference(head)


@SETTINGS
@given(st.text(st.sampled_from("ab\n\r中"), max_size=60),
       st.lists(st.integers(-2, 70), max_size=12))
def test_ascending_locate_equals_line_start_search(text, offsets):
    starts = line_starts(text).tolist()
    expected = ([bisect.bisect_right(starts, o) for o in offsets],
                [o - starts[bisect.bisect_right(starts, o) - 1] + 1 for o in offsets])
    got = _locate_ascending(text, offsets)
    if offsets == sorted(offsets) and (not offsets or offsets[0] >= 0):
        assert got == expected
    else:
        assert got is None


def _cable_reference(text: str) -> bool:
    head = text[:4000].lower()
    return "<pre" in head or "<table class='cable'>" in head or '<table class="cable">' in head


@SETTINGS
@given(st.lists(st.sampled_from(["<pre", "<PRE", "<Pre", "<table class='cable'>",
                                 '<TABLE class="Cable">', "<table class='cable'", "İ", "Σ",
                                 "x" * 999, "¶", "<", "pre"]), max_size=12).map("".join))
def test_cable_sniffer_equals_lowering_the_head(text):
    assert looks_like_cable_html(text) == _cable_reference(text)


# --- segmentation: the rewritten header and numbering patterns ------------------------------

_SEGMENT_PIECES = [
    "SUBJECT:", "SUBJ :", "Subject:", "xSubject:", "_SUBJ:", "éSUBJECT:", "REF:", "REFS:",
    "REFTEL :", "aREF:", "TAGS:", "Tags :", "E.O. 12958", "E. O.1", "CLASSIFIED BY:",
    "Classified  By :", "1. (C)", "1.(S/NF)", "(C) 1.", "(U) 12.3", "- 11.", "- 1 .",
    "$\\P 6$", "$\\P6$", " ", "\t", "\n", "\n\n", "\r", "¶", "x", "9", "A", ".", "(", ")",
    "S", "\u2028", "\x85",
]
_segment_text = st.lists(st.sampled_from(_SEGMENT_PIECES), max_size=30).map("".join)


@SETTINGS
@given(_segment_text, st.integers(0, 40), st.integers(0, 200))
def test_header_patterns_equal_the_originals(text, start, end):
    from graphbuild import segment as sg
    for slow, fast in ((sg._HEADER_FIELD, sg._HEADER_FIELD_FAST), (sg._SUBJECT, sg._SUBJECT_FAST)):
        assert [m.span() for m in fast.finditer(text, start, end)] \
            == [m.span() for m in slow.finditer(text, start, end)]


@SETTINGS
@given(_segment_text)
def test_numbered_matches_equal_finditer(text):
    from graphbuild import segment as sg
    got = [(m.start() + k, m.group(0)[k:], m.lastgroup, m.groupdict())
           for m, k in sg._numbered_matches(text)]
    assert got == [(m.start(), m.group(0), m.lastgroup, m.groupdict())
                   for m in sg._NUMBERED.finditer(text)]


# --- html_to_text: the token regex without character references -----------------------------

def test_tag_token_is_token_without_references():
    from graphbuild.read.cable_html import _TAG_TOKEN, _TOKEN
    rest = _TOKEN.pattern.removeprefix(_TAG_TOKEN.pattern + "|")
    assert rest != _TOKEN.pattern and rest.startswith("&")    # the one branch left out


@SETTINGS
@given(st.lists(st.sampled_from(["<b>", "</b>", "<a id='par1' href='#par1'>¶</a>", "<br/>",
                                 "<BR >", "<", ">", "a", "¶", "\n", "<a title='¶'>", "&amp;",
                                 "&#x000A;", "&", "x"]), max_size=25).map("".join))
def test_token_scans_agree(source):
    from graphbuild.read.cable_html import _TAG_TOKEN, _TOKEN
    if "&" not in source:
        assert [m.span() for m in _TAG_TOKEN.finditer(source)] \
            == [m.span() for m in _TOKEN.finditer(source)]


@SETTINGS
@given(st.lists(st.sampled_from(["<b>", "</b>", "<a id='par1' href='#par1'>¶</a>", "<br/>",
                                 "<BR >", "<", ">", "a", "¶", "\n", "<a title='¶'>", "&amp;",
                                 "&#x000A;", "&", "&bogus;", "x", "中"]), max_size=25).map("".join),
       st.integers(-3, 80), st.integers(-3, 80), st.integers(0, 5))
def test_html_to_text_equals_the_token_loop(source, start, end, out_offset):
    from graphbuild.read.cable_html import SourceMap, _html_to_text_loop, html_to_text
    for s, e in ((0, None), (start, end)):
        fast_map, loop_map = SourceMap.identity(), SourceMap.identity()  # a map with entries
        text, _ = html_to_text(source, s, e, fast_map, out_offset)
        expected, _ = _html_to_text_loop(source, s, len(source) if e is None else e,
                                         loop_map, out_offset)
        assert (text, fast_map) == (expected, loop_map)


# --- the local engine: reading, row order columns, constant string columns ------------------

def test_read_regular_equals_read_bytes(tmp_path):
    from graphbuild.extract.batch import _read_regular
    for size in (0, 1, 4096, 70000, 2_500_000):
        p = tmp_path / f"f{size}.txt"
        p.write_bytes(bytes(range(256)) * (size // 256) + b"x" * (size % 256))
        assert _read_regular(p, size) == p.read_bytes()
        assert _read_regular(p, 0) == p.read_bytes()        # the file grew since its stat
    missing = tmp_path / "missing.txt"
    assert _read_regular(missing, 0) is None                 # as is_file() then nothing


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "seeds/x.txt", "中.txt", "z"]),
                          st.integers(0, 3)), max_size=12))
def test_order_columns_equal_per_row_lists(runs):
    import pandas as pd

    from graphbuild.extract.batch import _order_columns
    rows = [f for f, n in runs for _ in range(n)]
    cols = _order_columns(runs)
    expected = pd.Categorical(rows)
    got = cols["_file"]
    assert got.tolist() == expected.tolist()
    assert got.dtype == expected.dtype and got.codes.dtype == expected.codes.dtype
    assert list(got.categories) == list(expected.categories)
    assert list(cols["_seq"]) == list(range(len(rows)))


def test_constant_string_column_equals_the_list_conversion():
    import pandas as pd
    import pyarrow as pa

    from graphbuild.extract.batch import _array

    def reference(values):      # _array as it was, without the constant-column shortcut
        try:
            return pd.array(pa.array(values, type=pa.large_string()), dtype="string")
        except (pa.ArrowException, TypeError, ValueError):
            return pd.array(values, dtype="string")

    def outcome(fn, values):
        try:
            result = fn(values)
        except Exception as err:  # noqa: BLE001 - a lone surrogate fails both ways alike
            return type(err)
        return result.dtype, type(result), result.tolist()

    for values in (["kept"] * 5, [""] * 3, ["x"], ["a", "a", "b"], ["a", None, "a"],
                   ["\ud800"] * 2, ["a", "\ud800"], []):
        assert outcome(lambda v: _array(v, "string"), values) == outcome(reference, values)


def _source_map(pieces: list[tuple[int, bool]]):
    """A source map of ascending pieces: (gap to the previous source start, copied)."""
    from graphbuild.read.cable_html import SourceMap

    m, out, src = SourceMap(), 0, 0
    for gap, copied in pieces:
        m.add(out, src, copied)
        out += gap
        src += gap + (0 if copied else 3)   # a replacement covers more source text
    return m


@SETTINGS
@given(st.lists(st.tuples(st.integers(1, 6), st.booleans()), max_size=10),
       st.lists(st.integers(-3, 80), max_size=30))
def test_source_many_equals_piece_by_piece_mapping(pieces, offsets):
    m = _source_map(pieces)
    assert m.to_source_many(offsets) == [m.to_source(o) for o in offsets]


@SETTINGS
@given(st.text(st.sampled_from("ab\n\r中"), max_size=80),
       st.lists(st.tuples(st.integers(1, 6), st.booleans()), max_size=6),
       st.lists(st.integers(-2, 90), max_size=30))
def test_locate_many_equals_locate_each(text, pieces, offsets):
    """The one-pass locate of a document's offsets gives what locating each gives."""
    from graphbuild.read import Document

    smap = _source_map(pieces) if pieces else Document("d", text).source_map
    expected = [Document("d", text, source_map=smap, source_text=text).locate(o)
                for o in offsets]
    lines, columns = Document("d", text, source_map=smap, source_text=text).locate_many(offsets)
    assert list(zip(lines, columns, strict=True)) == expected
