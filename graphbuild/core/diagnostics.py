"""Problems found in the input, collected instead of raised.

Every stage reports recoverable problems as :class:`Problem` rows (file, line, column,
what was wrong) into a :class:`Diagnostics` collector. The CLI prints them, writes them to
``warnings.csv`` and ``--strict`` turns them into a failure. Fatal problems (nothing to read,
a path that does not exist) raise :class:`InputError`, which the CLI turns into one line and
exit code 2.
"""

from __future__ import annotations

import bisect
import re
import warnings
from collections import Counter
from dataclasses import asdict, dataclass, field

import pandas as pd

PROBLEM_COLUMNS = ["severity", "code", "source_path", "line", "column", "message"]

# C0/C1 control characters (a terminal runs ESC sequences from a hostile file name or
# document) and the bidi overrides that make printed text read differently from what it is
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str, keep_lines: bool = False) -> str:
    """``text`` safe to print on a terminal: control and bidi characters shown as escapes.
    ``keep_lines``: line breaks and tabs stay (a paragraph printed as text).

    >>> print(printable("\\x1b]0;pwned\\x07evil\\u202e.txt"))
    \\x1b]0;pwned\\x07evil\\u202e.txt
    >>> printable("a\\nb\\x1b[2J", keep_lines=True)
    'a\\nb\\\\x1b[2J'
    """
    def escape(m: re.Match) -> str:
        ch = m.group()
        if keep_lines and ch in "\n\t":
            return ch
        code = ord(ch)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNPRINTABLE.sub(escape, text)


class InputError(Exception):
    """A fatal problem with what the user asked for (missing path, nothing readable, an
    unknown option value...): the CLI prints its message as one line and exits 2.

    Examples
    --------
    >>> import graphbuild as gb
    >>> try:
    ...     gb.build("no/such/folder")
    ... except InputError as exc:
    ...     print(exc)
    no/such/folder: no such file or directory
    """


class GraphbuildWarning(UserWarning):
    """Python-level warning category used when problems are surfaced outside the CLI."""


@dataclass(frozen=True)
class Problem:
    """One recoverable problem with the input.

    ``line`` and ``column`` are 1-based positions in the *source file* (0 when unknown).
    """

    code: str
    message: str
    source_path: str = ""
    line: int = 0
    column: int = 0
    severity: str = "warning"
    #: "files" or "documents" when the problem made the build leave that unit out
    skipped: str = ""

    def __str__(self) -> str:
        where = self.source_path or "<input>"
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        # one line whatever the document held (a surface spanning lines, a CR in a name),
        # and no terminal escape sequence from a hostile file name or text
        message = " ".join(self.message.split())
        return printable(f"{where}: {self.severity}: {message} [{self.code}]")


@dataclass
class Diagnostics:
    """Collector of :class:`Problem` objects for one build: every recoverable problem with
    the input (file, line, column, what was wrong), and the tallies of the reconciliation.

    Examples
    --------
    >>> import graphbuild as gb
    >>> d = Diagnostics()
    >>> eg = gb.build("seeds/", diagnostics=d)
    >>> d.counts["files found"], len(d.warnings)
    (2, 0)
    """

    problems: list[Problem] = field(default_factory=list)
    emit_python_warnings: bool = False
    #: tallies for the reconciliation (``files found``, ``files skipped: <reason>``...)
    counts: Counter = field(default_factory=Counter)

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)
        if self.emit_python_warnings:
            warnings.warn(str(problem), GraphbuildWarning, stacklevel=3)

    def warn(self, code: str, message: str, source_path: str = "", line: int = 0,
             column: int = 0) -> None:
        self.add(Problem(code, message, source_path, line, column, "warning"))

    def notice(self, code: str, message: str, source_path: str = "", line: int = 0,
               column: int = 0) -> None:
        self.add(Problem(code, message, source_path, line, column, "notice"))

    def skip(self, reason: str, message: str, source_path: str = "", line: int = 0,
             column: int = 0, severity: str = "warning", unit: str = "files") -> None:
        """Record a file (or, with ``unit="documents"``, a document inside a file that was
        read, e.g. a broken JSONL record) left out of the build, for the reconciliation.

        >>> d = Diagnostics()
        >>> d.skip("empty-file", "empty file, skipped", "a.txt")
        >>> d.skipped_files
        {'empty-file': 1}
        """
        # Recorded on the problem itself (not only in ``counts``): engines that read in
        # worker processes ship problems back, so the reconciliation still sees every skip.
        self.add(Problem(reason, message, source_path, line, column, severity, unit))

    def skipped(self, unit: str = "files") -> dict[str, int]:
        """Files (or documents) skipped, by reason (sorted by reason)."""
        counts = Counter(p.code for p in self.problems if p.skipped == unit)
        return dict(sorted(counts.items()))

    @property
    def skipped_files(self) -> dict[str, int]:
        """Files skipped, by reason (sorted by reason)."""
        return self.skipped("files")

    def extend(self, problems: list[Problem]) -> None:
        for p in problems:
            self.add(p)

    def grouped(self) -> list[tuple[Problem, int]]:
        """The first problem of each kind (severity and code), in order of first
        appearance, and how many of that kind there are: what a terminal shows of 500
        identical notices is one line.

        >>> d = Diagnostics()
        >>> for i in range(3):
        ...     d.notice("marking", "dropped", "a.txt", i + 1)
        >>> d.warn("nul-bytes", "1 NUL character(s) removed", "b.txt", 2, 5)
        >>> [(p.code, p.line, n) for p, n in d.grouped()]
        [('marking', 1, 3), ('nul-bytes', 2, 1)]
        """
        groups: dict[tuple[str, str], list[Problem]] = {}
        for p in self.problems:
            groups.setdefault((p.severity, p.code), []).append(p)
        return [(found[0], len(found)) for found in groups.values()]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def to_frame(self) -> pd.DataFrame:
        """Problems as a table: ``severity, code, source_path, line, column, message``."""
        rows = [asdict(p) for p in self.problems]
        frame = pd.DataFrame(rows, columns=PROBLEM_COLUMNS)
        return frame.astype({"line": "int64", "column": "int64"})


class LineIndex:
    """Map character offsets of a source text to 1-based (line, column)."""

    def __init__(self, text: str) -> None:
        self._starts = [0]
        pos = text.find("\n")
        while pos != -1:
            self._starts.append(pos + 1)
            pos = text.find("\n", pos + 1)

    def locate(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self._starts, offset) - 1
        return i + 1, offset - self._starts[i] + 1
