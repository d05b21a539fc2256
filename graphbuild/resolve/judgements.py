"""The analyst's judgements (``--judgements FILE``): decisions about entities that every
later build replays, over every automatic rule (:mod:`graphbuild.resolve.replay` applies
them). ``review.html`` downloads such a file; ``graphbuild merge|distinct|split|exclude|
retype`` append to one.

TOML, one table per decision, in the order written; ``by``, ``when`` and ``why`` record
who decided, when and why (comments are kept by every editor)::

    [[merge]]                      # one entity: the first name's, or `label`
    names = ["Alvaro Uribe", "Uribe", "President Uribe"]
    label = "Alvaro Uribe"         # optional
    docs = ["06BOGOTA1234"]        # optional: only the mentions in these documents
    by = "anna"
    when = "2026-12-03"
    why = "the President throughout"

    [[distinct]]                   # never one entity (undoes an automatic merge)
    names = ["Alvaro Uribe", "Mario Uribe"]

    [[split]]                      # the mentions in `docs` become their own entity
    name = "Uribe"
    docs = ["08BOGOTA77"]
    label = "Mario Uribe"

    [[exclude]]                    # not an entity (everywhere, or in `docs`)
    name = "Post"

    [[retype]]
    name = "Georgia"
    type = "LOC"

Names are matched as on the command line (id, label or alias, any case and accent). A
malformed table, an unknown key or type, or a contradiction (``A = B``, ``B = C``,
``A ≠ C``) is an error naming ``file:line``; a name that matches nothing is a warning
("stale", also in the report), never silently ignored.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from graphbuild.core.diagnostics import InputError
from graphbuild.core.types import ENTITY_TYPES

__all__ = ["Judgement", "Judgements", "load_judgements", "KINDS", "judgement_toml"]

#: kind -> (required keys, optional keys)
KINDS = {
    "merge": ({"names"}, {"label", "docs"}),
    "distinct": ({"names"}, set()),
    "split": ({"name", "docs"}, {"label"}),
    "exclude": ({"name"}, {"docs"}),
    "retype": ({"name", "type"}, set()),
}
_META = {"by", "when", "why"}
_HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z_]+)\s*\]\]\s*(?:#.*)?$")
MAX_BYTES = 16 * 1024 * 1024


@dataclass
class Judgement:
    """One decision: ``kind`` (merge, distinct, split, exclude, retype), the ``names`` it
    is about, ``label``/``type``/``docs`` where its kind takes them, and where it was
    written (``where`` = ``file:line``)."""

    kind: str
    names: list[str]
    where: str
    label: str | None = None
    type: str | None = None
    docs: list[str] | None = None
    by: str | None = None
    when: str | None = None
    why: str | None = None

    def describe(self) -> str:
        """One line for a report or a terminal, with where it was written.

        >>> Judgement("merge", ["A", "B"], "j.toml:3").describe()
        'merge A = B (j.toml:3)'
        """
        return f"{self.summary()} ({self.where})"

    def summary(self) -> str:
        """What was decided, in one line.

        >>> Judgement("retype", ["Georgia"], "", type="LOC").summary()
        'retype Georgia -> LOC'
        """
        sep = {"merge": " = ", "distinct": " ≠ "}.get(self.kind, ", ")
        text = f"{self.kind} {sep.join(self.names)}"
        if self.type:
            text += f" -> {self.type}"
        if self.label and self.kind in ("merge", "split"):
            text += f" as {self.label!r}"
        if self.docs:
            text += f" in {len(self.docs)} document(s)"
        return text


@dataclass
class Judgements:
    """The decisions of a file, in order."""

    items: list[Judgement] = field(default_factory=list)
    source: str = ""

    def of(self, kind: str) -> list[Judgement]:
        return [j for j in self.items if j.kind == kind]


def load_judgements(path: str | os.PathLike[str]) -> Judgements:
    """Read a judgements file; :class:`InputError` with ``file:line`` on any mistake.

    Parameters
    ----------
    path : str or os.PathLike
        The TOML file.

    Returns
    -------
    Judgements
        Its decisions, in the file's order (per kind).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "j.toml"
    >>> _ = p.write_text('[[merge]]\\nnames = ["Uribe", "Alvaro Uribe"]\\n\\n'
    ...                  '[[retype]]\\nname = "Georgia"\\ntype = "loc"\\n')
    >>> [j.describe() for j in load_judgements(p).items]  # doctest: +ELLIPSIS
    ['merge Uribe = Alvaro Uribe (...j.toml:1)', 'retype Georgia -> LOC (...j.toml:4)']
    """
    p = Path(path)
    try:
        if not p.is_file():
            raise InputError(f"{p}: no such judgements file")
        if p.stat().st_size > MAX_BYTES:
            raise InputError(f"{p}: judgements file over {MAX_BYTES:,} bytes; refused")
        text = p.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InputError(f"{p}: cannot read judgements file ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{p}: judgements file is not UTF-8 ({exc.reason})") from exc
    return parse_judgements(text, str(p))


def parse_judgements(text: str, source: str = "<judgements>") -> Judgements:
    """:func:`load_judgements` of a text.

    >>> parse_judgements('[[exclude]]\\nname = "Post"\\n', "j").items[0].names
    ['Post']
    >>> parse_judgements('[[merge]]\\nnames = "A"\\n', "j")
    Traceback (most recent call last):
    ...
    graphbuild.core.diagnostics.InputError: j:1: merge: names must be a list of 2 or more names
    """
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{source}: {exc}") from None
    lines: dict[str, list[int]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        m = _HEADER.match(line)
        if m:
            lines.setdefault(m.group(1), []).append(number)
    unknown = sorted(set(doc) - set(KINDS))
    if unknown:
        at = min((lines.get(k, [0])[0] for k in unknown), default=0)
        raise InputError(f"{source}:{at}: unknown table(s) {', '.join(unknown)}; expected "
                         + ", ".join(f"[[{k}]]" for k in KINDS))
    items: list[tuple[int, Judgement]] = []
    for kind, (required, optional) in KINDS.items():
        entries = doc.get(kind, [])
        if not isinstance(entries, list):
            raise InputError(f"{source}: write {kind} decisions as [[{kind}]] tables")
        for n, entry in enumerate(entries):
            line = lines.get(kind, [])[n] if n < len(lines.get(kind, [])) else 0
            where = f"{source}:{line}"
            items.append((line, _judgement(kind, entry, required, optional, where)))
    items.sort(key=lambda x: x[0])
    return Judgements([j for _, j in items], source)


def _judgement(kind: str, entry: object, required: set, optional: set, where: str
               ) -> Judgement:
    if not isinstance(entry, dict):
        raise InputError(f"{where}: {kind}: expected a table of keys")
    extra = sorted(set(entry) - required - optional - _META)
    if extra:
        raise InputError(f"{where}: {kind}: unknown key(s) {', '.join(extra)}; allowed: "
                         + ", ".join(sorted(required | optional | _META)))
    missing = sorted(required - set(entry))
    if missing:
        raise InputError(f"{where}: {kind}: missing {', '.join(missing)}")
    if "names" in required:
        names = entry["names"]
        if (not isinstance(names, list) or len(names) < 2
                or not all(isinstance(x, str) and x.strip() for x in names)):
            raise InputError(f"{where}: {kind}: names must be a list of 2 or more names")
        names = [x.strip() for x in names]
    else:
        name = entry["name"]
        if not isinstance(name, str) or not name.strip():
            raise InputError(f"{where}: {kind}: name must be a non-empty string")
        names = [name.strip()]
    docs = entry.get("docs")
    if docs is not None and (not isinstance(docs, list) or not docs
                             or not all(isinstance(d, str) and d for d in docs)):
        raise InputError(f"{where}: {kind}: docs must be a non-empty list of document ids")
    etype = entry.get("type")
    if etype is not None:
        if not isinstance(etype, str) or etype.strip().upper() not in ENTITY_TYPES:
            raise InputError(f"{where}: {kind}: unknown type {etype!r}; use one of "
                             + ", ".join(ENTITY_TYPES))
        etype = etype.strip().upper()
    meta = {}
    for key in ("label", *_META):
        value = entry.get(key)
        if value is not None and not isinstance(value, str):
            value = str(value)      # TOML dates for `when`
        meta[key] = value.strip() if isinstance(value, str) and value.strip() else None
    return Judgement(kind, names, where, type=etype, docs=docs, **meta)


def _toml_string(s: str) -> str:
    out = s.replace("\\", "\\\\").replace('"', '\\"')
    out = "".join(c if c >= " " and c != "\x7f" else f"\\u{ord(c):04x}" for c in out)
    return f'"{out}"'


def judgement_toml(j: Judgement) -> str:
    """The TOML table of one decision (what the CLI appends and the page writes), with a
    comment line saying who, when and why.

    >>> print(judgement_toml(Judgement("retype", ["Georgia"], "", type="LOC", by="me",
    ...                                when="2026-12-03")), end="")
    <BLANKLINE>
    # 2026-12-03 me: retype Georgia -> LOC
    [[retype]]
    name = "Georgia"
    type = "LOC"
    by = "me"
    when = "2026-12-03"
    """
    head = j.summary()
    who = " ".join(x for x in (j.when, j.by) if x)
    lines = ["", f"# {who + ': ' if who else ''}{head}".replace("\n", " "), f"[[{j.kind}]]"]
    if j.kind in ("merge", "distinct"):
        lines.append("names = [" + ", ".join(_toml_string(n) for n in j.names) + "]")
    else:
        lines.append(f"name = {_toml_string(j.names[0])}")
    if j.type:
        lines.append(f"type = {_toml_string(j.type)}")
    if j.label:
        lines.append(f"label = {_toml_string(j.label)}")
    if j.docs:
        lines.append("docs = [" + ", ".join(_toml_string(d) for d in j.docs) + "]")
    for key in ("by", "when", "why"):
        value = getattr(j, key)
        if value:
            lines.append(f"{key} = {_toml_string(value)}")
    return "\n".join(lines) + "\n"
