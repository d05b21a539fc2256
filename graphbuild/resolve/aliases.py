"""The analyst's own aliases and exclusions (``--aliases FILE``); they win over every rule.

TOML::

    exclude = ["Embassy", "POC"]          # surfaces that are never entities

    [[entity]]
    name = "Hugo Chavez"                   # canonical name = the node label
    type = "PER"                           # optional: forces the node type
    aliases = ["Chavez", "Hugo Chavez Frias"]

CSV (header ``name,type,aliases``; aliases separated by ``|`` or ``;``; a row whose type is
``EXCLUDE`` lists surfaces to exclude)::

    name,type,aliases
    Hugo Chavez,PER,Chavez|Hugo Chavez Frias
    Embassy,EXCLUDE,POC

Names and aliases match cleaned surfaces case-insensitively (:func:`~.rules.match_key`).
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from graphbuild.core.diagnostics import InputError, Problem
from graphbuild.core.text import sanitise
from graphbuild.core.types import ENTITY_TYPES
from graphbuild.resolve.rules import clean_surface, match_key

_SPLIT = re.compile(r"\s*[|;]\s*")

#: aliases files larger than this are refused (a hand-made list is kilobytes)
MAX_ALIASES_BYTES = 16 * 1024 * 1024


@dataclass
class UserAliases:
    """Canonical names (by match key of every name and alias) and excluded keys."""

    canonical: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    exclude: set[str] = field(default_factory=set)
    source: str = ""
    #: what the sanitiser changed in the file (the build adds them to its warnings)
    problems: list[Problem] = field(default_factory=list)

    def add(self, name: str, etype: str | None, aliases: list[str], where: str) -> None:
        """Register ``name`` (type ``etype``) and its aliases; a name claimed by two entries
        is an error naming both places.

        >>> ua = UserAliases()
        >>> ua.add("Hugo Chavez", "PER", ["Chavez"], "f:2")
        >>> ua.lookup("CHAVEZ")
        ('Hugo Chavez', 'PER')
        """
        name = clean_surface(name)
        if not name:
            raise InputError(f"{where}: empty canonical name")
        if etype is not None and etype not in ENTITY_TYPES:
            raise InputError(f"{where}: unknown type {etype!r}; use one of "
                             f"{', '.join(ENTITY_TYPES)}")
        for alias in [name, *aliases]:
            key = match_key(clean_surface(alias))
            if not key:
                continue
            old = self.canonical.get(key)
            if old is not None and match_key(old[0]) != match_key(name):
                raise InputError(f"{where}: {alias!r} is already an alias of {old[0]!r}")
            self.canonical[key] = (name, etype)

    def lookup(self, text: str) -> tuple[str, str | None] | None:
        """``(canonical name, type or None)`` for a surface, or ``None``."""
        return self.canonical.get(match_key(text))

    def excluded(self, text: str) -> bool:
        """Is this surface on the exclude list?

        >>> UserAliases(exclude={"poc"}).excluded("POC")
        True
        """
        return match_key(text) in self.exclude


def load_aliases(path: str | os.PathLike[str]) -> UserAliases:
    """Read a TOML (``.toml``) or CSV (anything else) aliases file.

    Raises :class:`~graphbuild.core.diagnostics.InputError` with ``file:line`` on any mistake.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = p.write_text("name,type,aliases\\nHugo Chavez,PER,Chavez\\nPOC,EXCLUDE,\\n")
    >>> ua = load_aliases(p)
    >>> ua.lookup("chavez"), ua.excluded("POC")
    (('Hugo Chavez', 'PER'), True)
    """
    p = Path(path)
    try:
        st = p.stat()
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"{p}: aliases file is not a regular file (a device, FIFO or "
                             "folder); refused")
        if st.st_size > MAX_ALIASES_BYTES:
            raise InputError(f"{p}: aliases file is {st.st_size:,} bytes, over the "
                             f"{MAX_ALIASES_BYTES:,}-byte limit; refused")
        with p.open("rb") as fh:       # bounded even if the file grows while being read
            data = fh.read(MAX_ALIASES_BYTES + 1)
        if len(data) > MAX_ALIASES_BYTES:
            raise InputError(f"{p}: aliases file is over the {MAX_ALIASES_BYTES:,}-byte "
                             "limit; refused")
        text = data.decode("utf-8-sig")
    except OSError as exc:
        raise InputError(f"{p}: cannot read aliases file ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(f"{p}:{line}: aliases file is not UTF-8 ({exc.reason})") from exc
    clean = sanitise(text)
    ua = UserAliases(source=str(p))
    for code, message, pos in clean.messages():
        ua.problems.append(Problem(code, message, str(p), text.count("\n", 0, pos) + 1, 0,
                                   "warning"))
    text = clean.text
    if p.suffix.lower() == ".toml":
        _load_toml(text, str(p), ua)
    else:
        _load_csv(text, str(p), ua)
    return ua


def _strings(value: object, where: str, what: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise InputError(f"{where}: {what} must be a string or a list of strings")


def _type(value: object, where: str) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise InputError(f"{where}: type must be a string")
    return value.strip().upper()


def _load_toml(text: str, path: str, ua: UserAliases) -> None:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: {exc}") from exc
    unknown = set(doc) - {"entity", "exclude"}
    if unknown:
        raise InputError(f"{path}: unknown key(s) {', '.join(sorted(unknown))}; "
                         "expected [[entity]] tables and an exclude list")
    for word in _strings(doc.get("exclude"), path, "exclude"):
        ua.exclude.add(match_key(clean_surface(word)))
    entities = doc.get("entity", [])
    if not isinstance(entities, list):
        raise InputError(f"{path}: write entities as [[entity]] tables")
    lines = [i + 1 for i, ln in enumerate(text.splitlines()) if ln.strip() == "[[entity]]"]
    for n, entry in enumerate(entities):
        where = f"{path}:{lines[n]}" if n < len(lines) else f"{path}: entity #{n + 1}"
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise InputError(f"{where}: each [[entity]] needs name = \"...\"")
        ua.add(entry["name"], _type(entry.get("type"), where),
               _strings(entry.get("aliases"), where, "aliases"), where)


def _load_csv(text: str, path: str, ua: UserAliases) -> None:
    # strict: an unbalanced quote would otherwise swallow every line after it silently
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        _read_csv(reader, path, ua)
    except csv.Error as exc:
        raise InputError(f"{path}:{reader.line_num}: {exc} (a quote that is never "
                         "closed?)") from exc


def _read_csv(reader, path: str, ua: UserAliases) -> None:
    header = next(reader, None)
    if header is None:
        raise InputError(f"{path}:1: empty aliases file")
    cols = [h.strip().lower() for h in header]
    if "name" not in cols:
        raise InputError(f"{path}:1: the header must have columns name,type,aliases")
    for row in reader:
        line = reader.line_num
        where = f"{path}:{line}"
        if not any(c.strip() for c in row):
            continue
        rec = dict(zip(cols, row, strict=False))
        name = (rec.get("name") or "").strip()
        aliases = [a for a in _SPLIT.split(rec.get("aliases") or "") if a.strip()]
        etype = _type(rec.get("type"), where)
        if etype == "EXCLUDE":
            for word in [name, *aliases]:
                if word.strip():
                    ua.exclude.add(match_key(clean_surface(word)))
            continue
        if not name:
            raise InputError(f"{where}: missing name")
        ua.add(name, etype, aliases, where)
