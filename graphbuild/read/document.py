"""The read stage's output: :class:`Document` (a document's text and where it came from)
and :class:`SourceMap` (offsets of a derived text back to the source file), shared by every
reader.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from graphbuild.core.diagnostics import LineIndex

__all__ = ["Document", "SourceMap", "line_starts"]


@dataclass
class SourceMap:
    """Piecewise map from offsets of a derived text to offsets of its source text."""

    out_starts: list[int] = field(default_factory=list)
    src_starts: list[int] = field(default_factory=list)
    copied: list[bool] = field(default_factory=list)

    def add(self, out_start: int, src_start: int, copied: bool) -> None:
        self.out_starts.append(out_start)
        self.src_starts.append(src_start)
        self.copied.append(copied)

    def to_source(self, offset: int) -> int:
        if not self.out_starts:
            return offset
        i = max(bisect.bisect_right(self.out_starts, offset) - 1, 0)
        if self.copied[i]:
            return self.src_starts[i] + (offset - self.out_starts[i])
        return self.src_starts[i]

    def to_source_many(self, offsets: Iterable[int]) -> list[int]:
        """:meth:`to_source` for many offsets (one loop with local names: the engines map
        every mention of the corpus through here).

        >>> m = SourceMap([0, 2, 3], [0, 5, 9], [True, False, True])
        >>> m.to_source_many([0, 1, 2, 3, 4]), [m.to_source(o) for o in range(5)]
        ([0, 1, 5, 9, 10], [0, 1, 5, 9, 10])
        """
        if not self.out_starts:
            return list(offsets)
        outs, srcs, copied, find = (self.out_starts, self.src_starts, self.copied,
                                    bisect.bisect_right)
        result = []
        for offset in offsets:
            i = max(find(outs, offset) - 1, 0)
            # copied pieces map offset by offset; a replacement ('&amp;', a tag) to its start
            result.append(srcs[i] + (offset - outs[i]) if copied[i] else srcs[i])
        return result

    @classmethod
    def identity(cls, offset: int = 0) -> SourceMap:
        m = cls()
        m.add(0, offset, True)
        return m


@dataclass
class Document:
    """A document as read: text plus where it came from.

    ``text`` may still contain inline annotations (``[PER Uribe  ]``); ``spans`` holds
    mentions a reader already knows (CoNLL, JSONL) as ``(start, end, type)`` offsets into
    ``text``; ``units`` optionally gives the reader's own segmentation as ``(start, end)``.
    ``source_map`` maps offsets of ``text`` to offsets of the source file's decoded text.
    """

    doc_id: str
    text: str
    source_path: str = ""
    format: str = "text"
    encoding: str = "utf-8"
    meta: dict[str, str] = field(default_factory=dict)
    source_map: SourceMap = field(default_factory=SourceMap.identity)
    source_text: str = ""
    spans: list[tuple[int, int, str]] | None = None
    units: list[tuple[int, int]] | None = None
    _lines: LineIndex | None = field(default=None, repr=False)
    _line_starts: list[int] | None = field(default=None, repr=False, compare=False)

    def locate(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) in the source file of an offset into ``text``."""
        if self._lines is None:
            self._lines = LineIndex(self.source_text or self.text)
        return self._lines.locate(self.source_map.to_source(offset))

    def locate_many(self, offsets: Sequence[int]) -> tuple[list[int], list[int]]:
        """:meth:`locate` for many offsets at once: ``(lines, columns)``.

        The line starts are computed once per document (not a ``LineIndex`` per lookup
        path) and the lookups run in one loop with local names.

        >>> d = Document("d", "ab\\ncd\\n")
        >>> d.locate_many([0, 3, 4]), [d.locate(o) for o in (0, 3, 4)]
        (([1, 2, 2], [1, 1, 2]), [(1, 1), (2, 1), (2, 2)])
        """
        sources = self.source_map.to_source_many(offsets)
        if self._line_starts is None:
            # the usual case, offsets in reading order: count the line breaks between one
            # offset and the next (linear in the text, no table of line starts to build)
            located = _locate_ascending(self.source_text or self.text, sources)
            if located is not None:
                return located
            self._line_starts = line_starts(self.source_text or self.text).tolist()
        starts, find = self._line_starts, bisect.bisect_right
        lines, columns = [], []
        for src in sources:
            i = find(starts, src) - 1      # like LineIndex.locate: the last start <= src
            lines.append(i + 1)
            columns.append(src - starts[i] + 1)
        return lines, columns


def _locate_ascending(text: str, sources: list[int]) -> tuple[list[int], list[int]] | None:
    """1-based ``(lines, columns)`` of ascending offsets into ``text`` (as the search over
    the line starts in :meth:`Document.locate_many` gives them), ``None`` when the offsets
    are not ascending or one is negative.

    The line of an offset is 1 + the line breaks before it, its column the distance to the
    last of them; both are carried from one offset to the next, so each break is counted
    once and ``rfind`` never scans further back than the previous offset.

    >>> _locate_ascending("ab\\ncd\\n", [0, 3, 4, 9]), _locate_ascending("ab", [1, 0])
    (([1, 2, 2, 3], [1, 1, 2, 4]), None)
    """
    lines, columns = [], []
    count, rfind = text.count, text.rfind
    line, last_break, prev = 1, -1, 0
    for src in sources:
        if src != prev:
            if src < prev:
                return None
            breaks = count("\n", prev, src)
            if breaks:
                line += breaks
                last_break = rfind("\n", prev, src)
            prev = src
        lines.append(line)
        columns.append(src - last_break)
    return lines, columns


def line_starts(text: str) -> np.ndarray:
    """Offsets where the lines of ``text`` start (0, then one past every newline).

    >>> line_starts("ab\\ncd\\n").tolist(), line_starts("中\\nb").tolist()
    ([0, 3, 6], [0, 2])
    """
    lengths = np.fromiter(map(len, text.split("\n")), dtype=np.int64)
    starts = np.zeros(len(lengths), dtype=np.int64)
    np.cumsum(lengths[:-1] + 1, out=starts[1:])
    return starts


