"""The one text sanitiser every reader calls before anything else sees the text.

What is removed or replaced, and why:

========================  ==========================================  ===================
kind                      characters                                  becomes
========================  ==========================================  ===================
``lone-surrogate``        U+D800..U+DFFF alone (JSON ``\\ud800``)      U+FFFD
``noncharacter``          U+FFFE, U+FFFF, U+FDD0..U+FDEF               U+FFFD
``nul-bytes``             U+0000                                       removed
``control``               other C0 controls but tab, LF, CR, FF, VT;   removed
                          DEL; C1 controls U+0080..U+009F
``page-break``            form feed, vertical tab                      LF
``bidi``                  U+200E, U+200F, U+061C, U+202A..U+202E,      removed
                          U+2066..U+2069
``zero-width``            U+200B, U+2060, U+FEFF, U+00AD (soft         removed
                          hyphen), U+180E; U+200C/U+200D next to
                          ASCII (between two letters of a joining
                          script they spell the word and are kept)
========================  ==========================================  ===================

Lone surrogates would abort every UTF-8 writer (Arrow, XML); controls are illegal in XML
and move the terminal's cursor; bidi and zero-width characters make lookalike names
(``Uri\\u200bbe`` is not ``Uribe`` to a set, but is to a reader) and can reverse what a
terminal or a page shows. Each kind is counted with the position of its first
occurrence, so the reader can warn with file:line:column. Removals are returned as
positions in the original text, so readers with character offsets (JSONL spans) can map
them onto the clean text (:func:`shift_offset`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

__all__ = ["Sanitised", "sanitise", "shift_offset", "KINDS"]

#: kind -> one-line description used in the warning
KINDS = {
    "lone-surrogate": "lone surrogate code point(s) replaced by U+FFFD",
    "noncharacter": "Unicode noncharacter(s) replaced by U+FFFD",
    "nul-bytes": "NUL character(s) removed",
    "control": "control character(s) removed",
    "page-break": "form feed / vertical tab character(s) turned into line breaks",
    "bidi": "bidirectional override character(s) removed",
    "zero-width": "zero-width or soft-hyphen character(s) removed",
}

_JOINERS = "\u200c\u200d"
_CLASSES = {
    "lone-surrogate": "\ud800-\udfff",
    "noncharacter": "\ufffe\uffff\ufdd0-\ufdef",
    "nul-bytes": "\x00",
    "control": "\x01-\x08\x0e-\x1f\x7f-\x9f",
    "page-break": "\x0b\x0c",
    "bidi": "\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069",
    "zero-width": "\u200b\u2060\ufeff\u00ad\u180e",
}
_ANY = re.compile("[" + "".join(_CLASSES.values()) + _JOINERS + "]")
_KIND_OF = [(kind, re.compile(f"[{chars}]")) for kind, chars in _CLASSES.items()]


def _joins_letters(text: str, i: int) -> bool:
    """A joiner is part of the spelling between two non-ASCII letters (Persian,
    Devanagari...); next to ASCII, a space or an edge it only hides a difference."""
    return (0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha()
            and not text[i - 1].isascii() and not text[i + 1].isascii())


@dataclass
class Sanitised:
    """The clean text and what was done to it.

    Attributes
    ----------
    text : str
        The sanitised text.
    removed : list of int
        Positions, in the original text, of the characters removed (sorted).
    counts : dict
        kind -> number of characters changed.
    first : dict
        kind -> position in the original text of the first one.
    """

    text: str
    removed: list[int] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    first: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.counts)

    def messages(self) -> list[tuple[str, str, int]]:
        """``(code, message, position of the first)`` per kind found, in table order."""
        return [(kind, f"{self.counts[kind]} {KINDS[kind]}", self.first[kind])
                for kind in KINDS if kind in self.counts]


def sanitise(text: str) -> Sanitised:
    """Remove or replace the characters listed in the module docstring.

    Parameters
    ----------
    text : str
        Decoded text (a whole file, a JSON string field, an alias).

    Returns
    -------
    Sanitised
        The clean text, the removed positions and the counts per kind. Text with nothing
        to clean (nearly all) costs one regular-expression scan.

    Examples
    --------
    >>> s = sanitise("Uri\\u200bbe met \\u202eAna\\x00 \\ud800")
    >>> s.text == "Uribe met Ana \\ufffd", s.removed
    (True, [3, 11, 15])
    >>> s.counts
    {'zero-width': 1, 'bidi': 1, 'nul-bytes': 1, 'lone-surrogate': 1}
    >>> sanitise("\\u0645\\u06cc\\u200c\\u062e\\u0648\\u0627\\u0647\\u0645").changed  # Persian ZWNJ
    False
    """
    if _ANY.search(text) is None:
        return Sanitised(text)
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    removed: list[int] = []
    out: list[str] = []
    last = 0
    for m in _ANY.finditer(text):
        i = m.start()
        ch = text[i]
        if ch in _JOINERS:
            if _joins_letters(text, i):
                continue
            kind = "zero-width"
        else:
            kind = next(k for k, pattern in _KIND_OF if pattern.match(ch))
        counts[kind] = counts.get(kind, 0) + 1
        first.setdefault(kind, i)
        out.append(text[last:i])
        last = i + 1
        if kind in ("lone-surrogate", "noncharacter"):
            out.append("\ufffd")
        elif kind == "page-break":
            out.append("\n")
        else:
            removed.append(i)
    if not counts:
        return Sanitised(text)
    out.append(text[last:])
    return Sanitised("".join(out), removed, counts, first)


def shift_offset(offset: int, removed: list[int]) -> int:
    """Where an offset into the original text points in the sanitised text.

    >>> shift_offset(5, [1, 3, 7])
    3
    """
    return offset - bisect.bisect_left(removed, offset)
