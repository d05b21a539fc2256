"""WikiLeaks cable pages and ``<code><pre>`` fragments of them.

Turns the HTML into plain text while keeping a map from every output offset back to the
source offset, so later stages can report ``file:line:column`` in the *source* file.
Paragraph anchors ``<a id='parN' href='#parN'>¶</a>N`` become the text ``¶N``; tag links
become their text; character references such as ``&#x000A;`` are decoded.
"""

from __future__ import annotations

import functools
import html
import re
from itertools import accumulate, compress, cycle

from graphbuild.core.text import sanitise
from graphbuild.read.document import SourceMap

_TOKEN = re.compile(
    r"<a\s+id=['\"]?par\d+['\"]?[^<>]*>\s*¶\s*</a>"     # paragraph anchor -> "¶"
    r"|<br\s*/?>"                                        # line break -> "\n"
    r"|</?[A-Za-z][^<>]*>"                               # any other tag -> ""
    r"|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]{1,31});",  # char reference
)
# _TOKEN without its character references: the same matches in a text without '&' (where
# the reference branch cannot match), found about 5x faster: with every branch starting
# with '<' the regex engine jumps from one '<' to the next, while for _TOKEN (branches
# starting with '<' or '&') it tries every character
_TAG_TOKEN = re.compile(
    r"<a\s+id=['\"]?par\d+['\"]?[^<>]*>\s*¶\s*</a>"
    r"|<br\s*/?>"
    r"|</?[A-Za-z][^<>]*>",
)
# the two as re.split() patterns (neither has a group of its own)
_TOKEN_SPLIT = re.compile(f"({_TOKEN.pattern})")
_TAG_TOKEN_SPLIT = re.compile(f"({_TAG_TOKEN.pattern})")
_PRE = re.compile(r"<pre[^>]*>(.*?)</pre>", re.S | re.I)
# <pre> blocks are found by hand (see _pre_blocks): the lazy regex above rescans to the end
# of the file from every unclosed '<pre', quadratic on hostile input
_PRE_OPEN = re.compile(r"<pre(?:\s[^<>]{0,500})?>", re.I)
_PRE_CLOSE = re.compile(r"</pre\s*>", re.I)
_META_ROW = re.compile(r"<table class=['\"]cable['\"]>(.*?)</table>", re.S | re.I)
_CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.S | re.I)
_HEAD = re.compile(r"<th[^>]*>(.*?)</th>", re.S | re.I)
_HEAD_NAMES = {"reference id": "ref_id", "created": "created", "released": "released",
               "classification": "classification", "origin": "origin"}
_TITLE = re.compile(r"title=['\"]([^'\"]*)['\"]")


def html_to_text(source: str, start: int = 0, end: int | None = None,
                 smap: SourceMap | None = None, out_offset: int = 0) -> tuple[str, SourceMap]:
    """Strip tags and decode references in ``source[start:end]``.

    >>> html_to_text("a <a id='par2' href='#par2'>¶</a>2 &amp; b&#x000A;c")[0]
    'a ¶2 & b\\nc'
    """
    end = len(source) if end is None else end
    smap = smap if smap is not None else SourceMap()
    if not 0 <= start <= end <= len(source):
        return _html_to_text_loop(source, start, end, smap, out_offset)
    # The loop below (_html_to_text_loop) in C-level calls, for every tag of the corpus:
    # split() gives text, token, text, token..., text; a token becomes its replacement, the
    # offsets of the pieces are running sums of their lengths, and the map gets an entry
    # for every non-empty piece (text pieces copied, replacements not), as the loop adds.
    segment = source[start:end]
    parts = (_TOKEN_SPLIT if "&" in segment else _TAG_TOKEN_SPLIT).split(segment)
    src = list(accumulate(map(len, parts), initial=start))
    parts[1::2] = map(_replacement, parts[1::2])
    out = accumulate(map(len, parts), initial=out_offset)
    keep = list(map(bool, parts))
    smap.out_starts.extend(compress(out, keep))
    smap.src_starts.extend(compress(src, keep))
    smap.copied.extend(compress(cycle((True, False)), keep))
    return "".join(parts), smap


def _html_to_text_loop(source: str, start: int, end: int, smap: SourceMap, out_offset: int,
                       ) -> tuple[str, SourceMap]:
    """:func:`html_to_text` one token at a time (the definition; used for a range that is
    not inside ``source``)."""
    pieces: list[str] = []
    out_starts, src_starts, copied = smap.out_starts, smap.src_starts, smap.copied
    out = out_offset
    pos = start
    tokens = _TOKEN if source.find("&", start, end) != -1 else _TAG_TOKEN
    for m in tokens.finditer(source, start, end):
        token_start, token_end = m.span()
        if token_start > pos:
            out_starts.append(out)
            src_starts.append(pos)
            copied.append(True)
            pieces.append(source[pos:token_start])
            out += token_start - pos
        rep = _replacement(m.group())
        if rep:
            out_starts.append(out)
            src_starts.append(token_start)
            copied.append(False)
            pieces.append(rep)
            out += len(rep)
        pos = token_end
    if pos < end:
        smap.add(out, pos, True)
        pieces.append(source[pos:end])
    return "".join(pieces), smap


@functools.lru_cache(maxsize=4096)
def _replacement(token: str) -> str:
    """What a markup token becomes in the text (cached: the same tags recur in every page).

    >>> _replacement("&amp;"), _replacement("<BR/>"), _replacement("</a>")
    ('&', '\\n', '')
    """
    if token.startswith("&"):
        # a character reference to a control, bidi or zero-width character is cleaned
        # like raw text (counted by :func:`unsafe_char_refs`)
        return sanitise(html.unescape(token)).text
    if token.startswith("<a") and "¶" in token:
        return "¶"
    if token.lower().startswith("<br"):
        return "\n"
    return ""


_CHAR_REF = re.compile(r"&#(?:[xX][0-9a-fA-F]{1,8}|[0-9]{1,10});?")


def unsafe_char_refs(source: str) -> tuple[int, int]:
    """How many numeric character references decode to a character the sanitiser removes
    or replaces (``&#x202E;``, ``&#8203;``), and the offset of the first (-1: none).

    >>> unsafe_char_refs("Uri&#x200B;be &amp; &#65; &#x202e;")
    (2, 3)
    """
    if "&#" not in source:
        return 0, -1
    n, first = 0, -1
    for m in _CHAR_REF.finditer(source):
        decoded = html.unescape(m.group())
        if sanitise(decoded).text != decoded:
            n += 1
            first = m.start() if first < 0 else first
    return n, first


def looks_like_cable_html(text: str) -> bool:
    """True for a WikiLeaks cable page or a ``<pre>`` fragment of one."""
    head = text[:4000]
    # lower-case needles found as written are found after lower() too (lower() maps each
    # character on its own and leaves '<', 'p', 'r', 'e'... as they are): that accepts the
    # usual page without lower-casing 4000 non-ASCII characters
    if "<pre" in head or "<table class='cable'>" in head or '<table class="cable">' in head:
        return True
    head = head.lower()
    return "<pre" in head or "<table class='cable'>" in head or '<table class="cable">' in head


def parse_cable_html(source: str) -> tuple[str, SourceMap, dict[str, str]]:
    """Return ``(text, source_map, metadata)`` for a cable page or fragment.

    The text is the ``<pre>`` blocks joined by a blank line (the whole input when there is
    no ``<pre>``). Metadata keys: ``ref_id, created, released, classification, origin``
    where the page has its metadata table. A backslash that ends a line (some exports
    escape their line breaks: ``available.\\`` + newline) becomes a space, so it never
    sticks to a name; the text keeps its length and offsets.

    >>> parse_cable_html("<pre>the Armed Forces of \\\\&#x000A;Colombia</pre>")[0]
    'the Armed Forces of  \\nColombia'
    """
    meta: dict[str, str] = {}
    table = _META_ROW.search(source)
    if table:
        cells = [c for c in _CELL.findall(table.group(1))]
        names = ["ref_id", "created", "released", "classification", "origin"]
        # the header row names the columns; read by name so a reordered table still works
        heads = [_HEAD_NAMES.get(" ".join(html.unescape(re.sub(r"<[^>]+>", "", h)).split())
                                 .lower()) for h in _HEAD.findall(table.group(1))]
        if len(heads) == len(cells) and all(heads):
            names = heads
        for name, cell in zip(names, cells, strict=False):
            # the classification's link text is the page's value; its title attribute is
            # a different (site-internal) label
            value = " ".join(html.unescape(re.sub(r"<[^>]+>", "", cell)).split())
            meta[name] = value
    smap = SourceMap()
    blocks = _pre_blocks(source)
    if not blocks:
        text, smap = html_to_text(source)
        return _unescape_breaks(text), smap, meta
    parts: list[str] = []
    out = 0
    for i, block in enumerate(blocks):
        if i:
            smap.add(out, block.start(1), False)
            parts.append("\n\n")
            out += 2
        text, smap = html_to_text(source, block.start(1), block.end(1), smap, out)
        parts.append(text)
        out += len(text)
    return _unescape_breaks("".join(parts)), smap, meta


def _unescape_breaks(text: str) -> str:
    """``\\`` before a line break -> a space (same length)."""
    return text.replace("\\\n", " \n") if "\\\n" in text else text


class _Block:
    """The content span of one ``<pre>`` block, with ``re.Match``-like accessors."""

    def __init__(self, start: int, end: int, outer: int) -> None:
        self._span = (start, end)
        self._outer = outer

    def start(self, group: int = 0) -> int:
        return self._span[0] if group else self._outer

    def end(self, group: int = 0) -> int:
        return self._span[1]


def _pre_blocks(source: str) -> list[_Block]:
    """``<pre>...</pre>`` blocks in one linear pass (an unclosed ``<pre>`` ends the search).

    >>> [(b.start(1), b.end(1)) for b in _pre_blocks("a<pre>x</pre><PRE class=c>yz</pre >")]
    [(6, 7), (26, 28)]
    """
    blocks: list[_Block] = []
    pos = 0
    while True:
        opener = _PRE_OPEN.search(source, pos)
        if opener is None:
            break
        closer = _PRE_CLOSE.search(source, opener.end())
        if closer is None:
            break
        blocks.append(_Block(opener.end(), closer.start(), opener.start()))
        pos = closer.end()
    return blocks


def title_attribute(cell_html: str) -> str | None:
    m = _TITLE.search(cell_html)
    return m.group(1) if m else None
