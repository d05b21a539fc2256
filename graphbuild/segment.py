"""Segment stage: clean document text -> units of co-occurrence (paragraphs).

Cables number their paragraphs with ``¶N`` anchors. An anchor is a paragraph break only when
its number continues the sequence (see :func:`accept_anchor`): the ``¶1988`` that the HTML
export put before a year inside ¶2 of 09STATE83014 is text, not a break.

The text before ¶1 is the header. Its ``SUBJECT:`` line is a unit of its own (paragraph 0);
the rest of the header (E.O., TAGS, REF, Classified By: paragraph -1) and a closing signature
line (paragraph -2) are units whose mentions are recorded but, by default, create no edges.
Body paragraphs keep the document's numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graphbuild.read.cable_page import AFTER_SIGNATURE

#: sections whose mentions make co-occurrence edges unless the user asks otherwise
EDGE_SECTIONS = ("subject", "body")

HEADER_PARAGRAPH = -1
SUBJECT_PARAGRAPH = 0
SIGNATURE_PARAGRAPH = -2

_ANCHOR = re.compile(r"¶\s*(\d{1,5})")
# numbered paragraphs of plain-text cables, at a line start (the named group holds the number)
_MARK = r"\((?:[A-Z]{1,4}(?:/[A-Z]{1,5}(?:[ \t][A-Z]{2,12}){0,2}){0,3})\)"
# "6.Request feedback": a bare number after a blank line, used only in texts without ¶
_WEAK = re.compile(r"(?<=\n)[ \t]*\n[ \t]*(?P<num>\d{1,2})\.[ \t]*(?=[A-Z])")
_NUMBERED = re.compile(
    r"^[ \t]*(?:"
    r"-[ \t]*(?P<ocr>1\d{1,2})[ \t]*\."                        # "- 11." = OCR'd "¶1."
    r"|\$\\P[ \t]*(?P<tex>\d{1,3})[ \t]*\$"                   # "$\P 6$"
    r"|(?P<num>\d{1,2})[ \t]*\.[ \t]*" + _MARK +               # "1. (C)", "1.(S/NF)"
    r"|" + _MARK + r"[ \t]*(?P<num2>\d{1,2})[ \t]*\.(?!\d)"    # "(C) 1."
    r")", re.M)
_HEADER_FIELD = re.compile(
    r"\b(?:SUBJECT|SUBJ|REF|REFS|REFTEL|TAGS)\s*:|E\.\s?O\.\s*\d+|CLASSIFIED\s+BY\s*:"
    r"|Classified\s+By\s*:|Subject\s*:|Tags\s*:", re.M)
_SUBJECT = re.compile(r"\b(?:SUBJECT|SUBJ|Subject)\s*:", re.M)
# The three patterns above, rewritten to give the same matches faster (checked by
# tests/test_parse_speed_equivalence.py); the originals stay as their definition.
# _NUMBERED after the first line: a line start is just after a '\n', and with the '\n' in
# the pattern the regex engine jumps from one line break to the next instead of trying '^'
# at every character (no match spans a line break, so none is lost or cut)
_NUMBERED_NL = re.compile("\n" + _NUMBERED.pattern.removeprefix("^"), re.M)
# '\bS' is 'S' with no word character before it; the lookbehind placed after the letter
# lets the engine skip to the next 'S' (or R, T...). At any offset at most one branch can
# match, so splitting (?:SUBJECT|SUBJ|REF...) into branches changes no match.
_WORD1 = r"(?<!\w.)"
_HEADER_FIELD_FAST = re.compile(
    r"S" + _WORD1 + r"UBJ(?:ECT)?\s*:|R" + _WORD1 + r"EF(?:S|TEL)?\s*:|T" + _WORD1
    + r"AGS\s*:|E\.\s?O\.\s*\d+|CLASSIFIED\s+BY\s*:|Classified\s+By\s*:|Subject\s*:|Tags\s*:")
_SUBJECT_FAST = re.compile(r"S" + _WORD1 + r"(?:UBJECT|UBJ|ubject)\s*:")
_BLANK = re.compile(r"\n[ \t]*\n")
_SIGNATURE = re.compile(r"^[ \t]*([A-Z][A-Za-z'\-]+(?:[ \t]+[A-Z][A-Za-z'\-.]*[A-Za-z'\-]){0,2})"
                        r"[ \t]*$")
#: anchors at or above this number are years, never paragraph numbers
YEAR_FLOOR = 1900
#: a paragraph number may skip at most this many numbers (missing ¶ in the export)
MAX_GAP = 3


@dataclass(frozen=True)
class Unit:
    """A span of clean text that counts as one unit of co-occurrence."""

    paragraph: int
    section: str
    start: int
    end: int


def accept_anchor(number: int, last: int) -> bool:
    """Whether an anchor ``¶number`` after the accepted ``¶last`` starts a new paragraph.

    >>> accept_anchor(1, 0), accept_anchor(3, 2), accept_anchor(1988, 2), accept_anchor(2, 2)
    (True, True, False, False)
    """
    if number >= YEAR_FLOOR:
        return False
    if last == 0:
        return 1 <= number <= 50
    return last < number <= last + MAX_GAP


def _candidates(text: str) -> list[tuple[int, tuple[int, ...]]]:
    """Every place that may start a numbered paragraph: ``(offset, numbers)``.

    ``numbers`` lists the readings of the number in order of preference: ``- 11.`` is an
    OCR'd ``¶1.`` (the pilcrow read as ``1``) first, paragraph 11 only if the sequence
    says so.
    """
    found: dict[int, tuple[int, ...]] = {m.start(): (int(m.group(1)),)
                                         for m in _ANCHOR.finditer(text)}
    has_anchor = bool(found)     # (the text is scanned for anchors once)
    for m, skip in _numbered_matches(text):
        # the paragraph starts at its marker ("- ", "(C) ", "$"), not at the digits
        whole = m.group(0)[skip:]
        start = m.start() + skip + len(whole) - len(whole.lstrip(" \t"))
        if m.group("ocr"):
            digits = m.group("ocr")
            readings = (int(digits[1:]), int(digits)) if len(digits) > 1 else (int(digits),)
        else:
            readings = (int(m.group(m.lastgroup)),)
        found.setdefault(start, readings)
    if not has_anchor:
        for m in _WEAK.finditer(text):
            found.setdefault(m.start("num"), (int(m.group("num")),))
    return sorted(found.items())


def _numbered_matches(text: str) -> list[tuple[re.Match, int]]:
    """The matches of ``_NUMBERED.finditer(text)``, each with how many characters it has
    before the one it stands for (1: a match of ``_NUMBERED_NL`` holds the line break).

    >>> [(m.group(0)[k:], m.start() + k) for m, k in _numbered_matches("1. (C) a\\n(U) 2. b")]
    [('1. (C)', 0), ('(U) 2.', 9)]
    """
    first = _NUMBERED.match(text)
    found = [(first, 0)] if first else []
    found.extend((m, 1) for m in _NUMBERED_NL.finditer(text))
    return found


_PORTION = re.compile(r"^\W{0,3}(?:¶\s*\d+|\$\\P\s*\d+\$|-\s*\d+|\d+)?\s*\.?\s*"
                      r"\(\s?([A-Z]{1,4}(?:/[A-Z]{1,5}(?:[ \t][A-Z]{2,12}){0,2}){0,3})\s?\)"
                      r"|^\W{0,3}\(([A-Z]{1,4}(?:/[A-Z]{1,5}){0,3})\)\s*\d+\.")


def portion_mark(paragraph: str) -> str:
    r"""The classification portion mark that opens a paragraph (``""`` when none).

    >>> portion_mark("¶2. (S/NF) Summary"), portion_mark("(C) 1. In"), portion_mark("¶3 . ( U ) A")
    ('S/NF', 'C', 'U')
    >>> portion_mark("¶3. Text")
    ''

    """
    m = _PORTION.match(paragraph.lstrip())
    return (m.group(1) or m.group(2)) if m else ""


def find_anchors(text: str) -> list[tuple[int, int]]:
    r"""Accepted paragraph starts as ``(offset, number)``, in order.

    Cable anchors ``¶N`` anywhere, and at a line start the numberings of plain-text cables:
    ``1. (C)``, ``1.(C)``, ``(C) 1.``, ``- 11.`` (OCR'd ``¶1.``) and ``$\P 6$`` (LaTeX).
    Each must continue the sequence (:func:`accept_anchor`), so years and list items
    inside paragraphs are text.

    >>> [n for _, n in find_anchors("Hdr\n- 11. (C) A\n- 12. (C) B\n $\\P3$ . (C) C")]
    [1, 2, 3]
    >>> [n for _, n in find_anchors("(C) 1. A 1988\n(C)2. B\n¶1988 C\n(U) 3. D")]
    [1, 2, 3]
    >>> [n for _, n in find_anchors("¶1 a ¶2 see ¶5 ¶3 b ¶4 c ¶5 d")]
    [1, 2, 3, 4, 5]
    """
    accepted: list[tuple[int, int]] = []
    last = 0
    cands = _candidates(text)
    for k, (offset, readings) in enumerate(cands):
        for n in readings:
            if not accept_anchor(n, last):
                continue
            # a jump (¶2 -> ¶5) is a missing anchor only if ¶3 does not come later; else
            # "¶5" is a cross-reference inside ¶2
            if n > last + 1 and any(last + 1 in r for _, r in cands[k + 1:]):
                continue
            accepted.append((offset, n))
            last = n
            break
    return accepted


def segment_text(text: str, units: list[tuple[int, int]] | None = None) -> list[Unit]:
    """Split clean text into non-overlapping units, sorted by offset.

    ``units`` (from a reader that knows its own structure, e.g. CoNLL sentences) bypasses
    the detection and numbers the given spans 1, 2, 3...

    >>> [(u.paragraph, u.section) for u in segment_text("SUBJECT: X\\n\\n¶1. A.\\n¶2. B.")]
    [(0, 'subject'), (1, 'body'), (2, 'body')]
    """
    if units is not None:
        return [Unit(i, "body", s, e) for i, (s, e) in enumerate(units, start=1)]
    anchors = find_anchors(text)
    if anchors:
        header_end = anchors[0][0]
        body = [Unit(n, "body", start, anchors[i + 1][0] if i + 1 < len(anchors) else len(text))
                for i, (start, n) in enumerate(anchors)]
    else:
        header_end = _header_end_without_anchors(text)
        body = _blank_line_paragraphs(text, header_end)
    out = _header_units(text, header_end) + body
    return _split_trailer(text, _split_signature(text, out))


_TRAILER = re.compile(r"^[ \t]*NNNN[ \t]*$", re.M)


def _split_trailer(text: str, units: list[Unit]) -> list[Unit]:
    """Move what follows the ``NNNN`` end-of-message line out of the last paragraph.

    >>> [(u.paragraph, u.section) for u in segment_text("¶1. A.\\n\\nNNNN\\n\\n04X1 - C")]
    [(1, 'body'), (-2, 'signature')]
    """
    if not units or units[-1].section != "body":
        return units
    last = units[-1]
    m = _TRAILER.search(text, last.start, last.end)
    if m is None or not text[last.start:m.start()].strip():
        return units
    return units[:-1] + [Unit(last.paragraph, "body", last.start, m.start()),
                         Unit(SIGNATURE_PARAGRAPH, "signature", m.start(), last.end)]


def _header_units(text: str, header_end: int) -> list[Unit]:
    if header_end <= 0:
        return []
    m = _SUBJECT_FAST.search(text, 0, header_end)
    if not m:
        return [Unit(HEADER_PARAGRAPH, "header", 0, header_end)]
    nxt = _HEADER_FIELD_FAST.search(text, m.end(), header_end)
    blank = _BLANK.search(text, m.end(), header_end)
    ends = [header_end] + [x.start() for x in (nxt, blank) if x]
    subject_end = min(ends)
    units = []
    if m.start() > 0:
        units.append(Unit(HEADER_PARAGRAPH, "header", 0, m.start()))
    units.append(Unit(SUBJECT_PARAGRAPH, "subject", m.start(), subject_end))
    if text[subject_end:header_end].strip():
        units.append(Unit(HEADER_PARAGRAPH, "header", subject_end, header_end))
    return units


def _header_end_without_anchors(text: str) -> int:
    """End of the block holding the last header field near the top (0 when none)."""
    last = None
    for m in _HEADER_FIELD_FAST.finditer(text, 0, min(len(text), 4000)):
        last = m
    if last is None:
        return 0
    blank = _BLANK.search(text, last.end())
    return blank.end() if blank else len(text)


def _blank_line_paragraphs(text: str, start: int) -> list[Unit]:
    units: list[Unit] = []
    pos = start
    number = 0
    for m in list(_BLANK.finditer(text, start)) + [None]:
        end = m.start() if m else len(text)
        if text[pos:end].strip():
            number += 1
            units.append(Unit(number, "body", pos, end))
        if m:
            pos = m.end()
    return units


def _split_signature(text: str, units: list[Unit]) -> list[Unit]:
    """Move a closing name line (``CLINTON``), and the banner lines after it, out of the
    last body paragraph.

    >>> [(u.paragraph, u.section)
    ...  for u in segment_text("¶1. A b.\\nMCDONALD\\n CONFIDENTIAL\\n>")]
    [(1, 'body'), (-2, 'signature')]
    """
    if not units or units[-1].section != "body":
        return units
    last = units[-1]
    chunk = text[last.start:last.end]
    # what may follow the name: the page's end marker, a classification banner
    after = AFTER_SIGNATURE.search(chunk, max(0, len(chunk) - 2000))
    if after is not None:
        chunk = chunk[:after.start()]
    chunk = chunk.rstrip()
    nl = chunk.rfind("\n")
    if nl <= 0 or not chunk[:nl].strip():
        return units
    line = chunk[nl + 1:]
    if len(line.strip()) > 40 or not _SIGNATURE.match(line):
        return units
    sig_start = last.start + nl + 1
    return units[:-1] + [Unit(last.paragraph, "body", last.start, sig_start),
                         Unit(SIGNATURE_PARAGRAPH, "signature", sig_start, last.end)]
