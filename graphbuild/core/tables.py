"""The documented tables that flow between stages.

Tables are the truth; networkx graphs are views built from them. Each table is a pandas
DataFrame with the columns and dtypes below (see ``docs/tables.md`` for the meaning of every
column). ``empty(name)`` gives a correctly typed empty table, ``conform(name, df)`` orders and
types the columns of a table a stage produced.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphbuild.core.diagnostics import Diagnostics

STR = "string"
INT = "int64"
FLOAT = "float64"
#: text stored once per distinct value (pandas Categorical over sorted ``string``
#: categories, each one in use): the evidence table repeats a few hundred thousand entity
#: and document ids tens of millions of times (4 bytes a row instead of 20-30)
CAT = "category"

SCHEMAS: dict[str, dict[str, str]] = {
    # one row per input document
    "documents": {
        "doc_id": STR, "ref_id": STR, "created": STR, "origin": STR, "classification": STR,
        "tags": STR, "subject": STR,
        # the cable's structure (read/routing.py): routing block, references, classifier,
        # signer; lists are "; "-separated
        "precedence": STR, "sent": STR, "sent_from": STR, "sent_to": STR, "sent_info": STR,
        "references": STR, "classifier": STR, "classifier_office": STR, "signer": STR,
        "source_path": STR, "format": STR, "encoding": STR,
        "n_chars": INT, "n_paragraphs": INT, "n_mentions": INT,
        # annotations the extract stage found (kept or not), for the reconciliation
        "n_annotations": INT,
    },
    # one row per unit of co-occurrence; paragraph numbers are the document's own
    # (0 = SUBJECT line, -1 = other header lines, -2 = signature, N = ¶N)
    "paragraphs": {
        "doc_id": STR, "paragraph": INT, "section": STR, "start": INT, "end": INT, "text": STR,
        "portion": STR,   # the paragraph's portion mark: C, S/NF, SBU... ("" when none)
        "redactions": INT,  # redaction markers (XXXXXXXXXXXX) in it: protected sources
    },
    # one row per annotated or recognised mention; offsets index the document's clean text
    "mentions": {
        "mention_id": INT, "doc_id": STR, "paragraph": INT, "section": STR, "start": INT,
        "end": INT, "surface": STR, "type": STR, "source": STR, "line": INT, "column": INT,
        "status": STR, "reason": STR, "entity_id": STR,
    },
    # one row per resolved entity (a node)
    "entities": {
        "entity_id": STR, "label": STR, "type": STR, "other_types": STR, "aliases": STR,
        "mentions": INT, "paragraphs": INT, "documents": INT,
    },
    # one row per undirected entity pair (source < target); npmi/jaccard/dice: cooccur.py
    "edges": {
        "source": STR, "target": STR, "weight": INT, "documents": INT, "npmi": FLOAT,
        "jaccard": FLOAT, "dice": FLOAT,
    },
    # one row per (edge, unit): the evidence behind each edge
    "evidence": {
        "source": CAT, "target": CAT, "doc_id": CAT, "paragraph": INT,
    },
}


def empty(name: str) -> pd.DataFrame:
    """An empty table ``name`` with its documented columns and dtypes.

    >>> list(empty("edges").columns)
    ['source', 'target', 'weight', 'documents', 'npmi', 'jaccard', 'dice']
    """
    schema = SCHEMAS[name]
    return pd.DataFrame({c: pd.Series(category_from_codes(np.zeros(0, np.int64), []))
                         if t == CAT else pd.Series(dtype=t) for c, t in schema.items()})


def conform(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with the documented columns of ``name`` first, typed; extra columns kept."""
    schema = SCHEMAS[name]
    missing = [c for c in schema if c not in frame.columns]
    if missing:
        raise ValueError(f"table {name!r} lacks columns {missing}")
    extra = [c for c in frame.columns if c not in schema]
    # pandas' copy-on-write: selecting and astype to the dtype a column already has share
    # the column buffers (no copy of a table of millions of rows); a later write to either
    # frame copies only the column it writes
    out = frame[list(schema) + extra]
    # compared as dtype objects: pandas' default ``str`` dtype equals the *name* "string"
    # but not ``StringDtype()`` (its missing value is NaN, not <NA>)
    target = {c: pd.api.types.pandas_dtype(t) for c, t in schema.items() if t != CAT}
    out = out.astype({c: t for c, t in target.items() if out[c].dtype != t})
    cats = {c: as_category(out[c]) for c, t in schema.items() if t == CAT}
    # extra dictionary-coded text columns (resolve's ``clean``, ``name``, ``rule``...) keep
    # ``string`` categories: a Parquet round trip gives pandas' default ``str`` ones
    cats.update({c: _string_categories(out[c]) for c in extra
                 if isinstance(out[c].dtype, pd.CategoricalDtype)})
    changed = {c: v for c, v in cats.items() if v is not out[c]}
    return out.assign(**changed) if changed else out


def _string_categories(column: pd.Series) -> pd.Series:
    """``column`` (categorical) with ``string`` categories when its categories are text of
    another string dtype; else the same object."""
    cats = column.cat.categories
    if cats.dtype == pd.StringDtype() or not pd.api.types.is_string_dtype(cats.dtype):
        return column
    return pd.Series(pd.Categorical.from_codes(column.cat.codes.to_numpy(),
                                               categories=pd.Index(cats.astype("string"))),
                     index=column.index, name=column.name)


def category_from_codes(codes: np.ndarray, names) -> pd.Categorical:
    """``names[codes]`` as a :data:`CAT` column: ``names`` must be sorted and distinct; the
    names no code uses are left out (so two tables of the same rows are equal however
    they were coded).

    >>> category_from_codes(np.array([2, 0, 2]), ["a", "b", "c"]).categories.tolist()
    ['a', 'c']
    """
    codes = np.asarray(codes, dtype=np.int64)
    names = pd.Index(pd.array(names, dtype="string")) if not isinstance(names, pd.Index) \
        else names.astype("string")
    used = np.bincount(codes, minlength=len(names)) > 0 if len(codes) else \
        np.zeros(len(names), dtype=bool)
    if not used.all():
        recode = np.cumsum(used) - 1
        codes, names = recode[codes], names[used]
    small = np.int32 if len(names) < 2**31 else np.int64
    return pd.Categorical.from_codes(codes.astype(small), categories=names)


def category_of(values: list[str], codes: np.ndarray) -> pd.Categorical:
    """``values[codes]`` as a :data:`CAT` column, code -1 a missing value: the categories
    are the distinct values in use, sorted (``values`` may repeat and be in any order), so
    the same rows give the same column however they were numbered.

    >>> c = category_of(["b", "a", "b"], np.array([2, -1, 1, 0]))
    >>> c.tolist(), c.categories.tolist()
    (['b', <NA>, 'a', 'b'], ['a', 'b'])
    """
    codes = np.asarray(codes, dtype=np.int64)
    names = sorted(set(values))
    rank = {v: i for i, v in enumerate(names)}
    value_rank = np.array([rank[v] for v in values] or [0], dtype=np.int64)
    ranked = np.where(codes >= 0, value_rank[np.maximum(codes, 0)], -1)
    used = np.zeros(len(names), dtype=bool)
    used[ranked[ranked >= 0]] = True
    if not used.all():
        recode = np.cumsum(used) - 1
        ranked = np.where(ranked >= 0, recode[np.maximum(ranked, 0)], -1)
        names = [v for v, u in zip(names, used.tolist(), strict=True) if u]
    small = np.int32 if len(names) < 2**31 else np.int64
    return pd.Categorical.from_codes(ranked.astype(small),
                                     categories=pd.Index(pd.array(names, dtype="string")))


def as_category(column: pd.Series) -> pd.Series:
    """``column`` as a :data:`CAT` column (the same object when it already is one).

    >>> as_category(pd.Series(["b", "a", "b"])).cat.codes.tolist()
    [1, 0, 1]
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        cats = column.cat.categories
        codes = column.cat.codes.to_numpy()
        if (cats.dtype == pd.StringDtype() and cats.is_monotonic_increasing
                and (codes >= 0).all()
                and (not len(cats) or np.bincount(codes, minlength=len(cats)).all())):
            return column
        if (codes < 0).any():
            raise ValueError(f"column {column.name!r} has missing values")
        names = pd.Index(cats.astype("string")).sort_values()
        return pd.Series(category_from_codes(names.get_indexer(cats.astype("string"))[codes],
                                             names), index=column.index, name=column.name)
    if column.isna().any():
        raise ValueError(f"column {column.name!r} has missing values")
    codes, uniques = pd.factorize(column.astype("string"), sort=True)
    return pd.Series(category_from_codes(codes, uniques), index=column.index,
                     name=column.name)


def kept_mentions(mentions: pd.DataFrame, columns: Sequence[str] | None = None,
                  entity_ids=None) -> pd.DataFrame:
    """The kept mentions (of ``entity_ids`` when given), with only ``columns`` when given:
    columns are chosen before rows are, so filtering millions of mentions copies the few
    columns used, not all of them. A table without ``status`` is all kept.

    >>> m = pd.DataFrame({"entity_id": ["a", "b", None], "status": ["kept", "kept", "dropped"],
    ...                   "surface": ["A", "B", "x"]})
    >>> kept_mentions(m, ["surface"])["surface"].tolist(), len(kept_mentions(m, entity_ids=["b"]))
    (['A', 'B'], 1)
    """
    if columns is not None:
        extra = [c for c in ("entity_id",) if entity_ids is not None]
        cols = [c for c in dict.fromkeys([*columns, *extra, "status"]) if c in mentions.columns]
        mentions = mentions[cols]
    keep = mentions["status"] == "kept" if "status" in mentions.columns else None
    if entity_ids is not None:
        inside = mentions["entity_id"].isin(entity_ids)
        keep = inside if keep is None else keep & inside
    return mentions if keep is None else mentions[keep]


def positions(values: pd.Series, universe: pd.Series | pd.Index) -> np.ndarray:
    """Row of each of ``values`` in ``universe`` (-1 where absent), like
    ``pd.Index(universe).get_indexer(values)`` but hashed by Arrow in C, with no Python
    string object per row (11 M edge ends cost 1.5 GB and 3x the time as objects).

    >>> positions(pd.Series(["b", "x", "a"]), pd.Series(["a", "b"])).tolist()
    [1, -1, 0]
    """
    def arrow(column) -> pa.Array:
        try:
            return pa.chunked_array(pa.array(column, from_pandas=True)).combine_chunks()
        except (pa.ArrowInvalid, pa.ArrowTypeError):      # mixed objects: as text
            return pa.array([None if v is None else str(v) for v in column])

    def text(a: pa.Array) -> bool:
        return pa.types.is_string(a.type) or pa.types.is_large_string(a.type)

    if len(values) == 0 or len(universe) == 0:
        return np.full(len(values), -1, dtype=np.int64)
    if isinstance(getattr(values, "dtype", None), pd.CategoricalDtype):
        # dictionary-coded column: look up the (few) categories, then index by the codes
        where = positions(pd.Series(values.cat.categories), universe)
        codes = values.cat.codes.to_numpy()
        return np.where(codes >= 0, where[codes], -1)
    va, ua = arrow(values), arrow(universe)
    if text(va) and text(ua) and va.type != ua.type:
        # one string type for both: the universe (the few distinct ids) is cast, not the
        # millions of values, unless its text needs 64-bit offsets
        try:
            ua = ua.cast(va.type)
        except pa.ArrowInvalid:
            va = va.cast(pa.large_string())
    found = pc.index_in(va, value_set=ua)
    return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)


def pair_positions(source: pd.Series, target: pd.Series, pair_source: pd.Series,
                   pair_target: pd.Series) -> np.ndarray:
    """Row of each ``(source, target)`` among the pairs ``(pair_source, pair_target)``
    (-1 where absent; the pairs are distinct): which edge each evidence row belongs to,
    on integer keys (30 M evidence rows at scale are hashed by Arrow, never made tuples).

    >>> pair_positions(pd.Series(["a", "b", "a"]), pd.Series(["b", "a", "c"]),
    ...                pd.Series(["a", "a"]), pd.Series(["c", "b"])).tolist()
    [1, -1, 0]
    """
    if not len(source) or not len(pair_source):
        return np.full(len(source), -1, dtype=np.int64)
    ids = pd.Series(pd.unique(np.concatenate([np.asarray(pair_source, dtype=object),
                                              np.asarray(pair_target, dtype=object)])),
                    dtype=object)
    n = np.int64(len(ids))
    keys = pd.Index(positions(pair_source.reset_index(drop=True), ids) * n
                    + positions(pair_target.reset_index(drop=True), ids))
    s = positions(source.reset_index(drop=True), ids)
    t = positions(target.reset_index(drop=True), ids)
    return keys.get_indexer(np.where((s >= 0) & (t >= 0), s * n + t, -1)).astype(np.int64)


def sorted_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray, pa.Array]:
    """Each value's rank among the sorted distinct values, the sorted distinct values (as
    Python objects and as an Arrow string array, what :func:`take_strings` gathers from).

    The same codes as ``pd.factorize(values, sort=True)``, but hashing first and sorting
    only the distinct values (thousands of entity ids, not millions of mentions), by Arrow
    in C: UTF-8 byte order is code point order, the order of Python ``str``. A missing
    value gets code -1. A dictionary-coded column over sorted categories is used as it is.

    >>> codes, names, _ = sorted_codes(pd.Series(["b", "a", None, "c"]))
    >>> codes.tolist(), names.tolist()
    ([1, 0, -1, 2], ['a', 'b', 'c'])
    """
    if (isinstance(values.dtype, pd.CategoricalDtype)
            and values.cat.categories.is_monotonic_increasing
            and pd.api.types.is_string_dtype(values.cat.categories.dtype)):
        names = np.asarray(values.cat.categories.astype(str), dtype=object)
        return (values.cat.codes.to_numpy().astype(np.int64), names,
                pa.array(names.tolist(), pa.string()))
    codes, uniques = pd.factorize(values)
    try:
        strings = pa.array(uniques)
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeError):
        strings = None
    if strings is not None and (pa.types.is_string(strings.type)
                                or pa.types.is_large_string(strings.type)):
        order = pc.sort_indices(strings).to_numpy()
        strings = strings.take(order)
        names = np.asarray(strings.to_pylist(), dtype=object)
    else:
        names = np.asarray(uniques, dtype=object)
        order = np.argsort(names, kind="stable")
        names = names[order]
        strings = pa.array(names, type=pa.string())
    # one slot more, for the code -1 of a missing value
    rank = np.full(len(order) + 1, -1, dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[codes], names, strings


def take_strings(strings: pa.Array, codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """``strings[codes]`` as a pandas string array, gathered by Arrow (C) instead of
    building millions of Python string references.

    >>> take_strings(pa.array(["a", "b"]), np.array([1, 1, 0])).tolist()
    ['b', 'b', 'a']
    """
    return pd.array(strings.take(pa.array(np.asarray(codes, dtype=np.int64))),
                    dtype="string")


@dataclass
class Tables:
    """Every table a build produced, by name: what the export, query and store stages
    read (they take this bundle, never the notebook object built on it).

    Tables (each documented in ``docs/tables.md``): ``documents``, ``paragraphs``,
    ``mentions``, ``entities``, ``edges``, ``evidence``, ``centrality`` (indexed by entity
    id), ``resolution`` (how each surface form became an entity), ``ambiguous`` (names
    resolution left apart), ``community`` (community id per entity id), ``communities``
    (one row per community), ``stability`` (rank intervals of ``--stability N``, empty
    without). ``diagnostics`` holds the problems found in the input;
    ``filters_removed``, ``timings`` and ``settings`` describe the build; ``timeline``
    holds the per-period tables of ``--period`` (or ``None``).
    """

    documents: pd.DataFrame
    paragraphs: pd.DataFrame
    mentions: pd.DataFrame
    entities: pd.DataFrame
    edges: pd.DataFrame
    evidence: pd.DataFrame
    centrality: pd.DataFrame
    resolution: pd.DataFrame
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    filters_removed: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    ambiguous: pd.DataFrame = field(default_factory=pd.DataFrame)
    community: pd.Series = field(default_factory=lambda: pd.Series(dtype="int64"))
    communities: pd.DataFrame = field(default_factory=pd.DataFrame)
    timeline: Any = None
    settings: dict = field(default_factory=dict)
    stability: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: the partition ``communities`` describes (``None``: none known); a partition set by
    #: hand afterwards is summarised anew, never described by another one's summary
    communities_of: pd.Series | None = field(default=None, repr=False, compare=False)

    def communities_current(self) -> bool:
        """Whether ``communities`` is the summary of :meth:`partition`."""
        return self.communities_of is not None and self.communities_of.equals(self.partition())

    @property
    def problems(self) -> pd.DataFrame:
        """The warnings and notices as a table (``warnings.csv``)."""
        return self.diagnostics.to_frame()

    def partition(self) -> pd.Series:
        """Community id per entity id: ``community``, else a ``community`` column the user
        added to ``centrality``; empty when there is none. Every view (node table, graph
        files, report) reads communities here, so they never disagree."""
        if len(self.community):
            return self.community
        if "community" in self.centrality:
            return self.centrality["community"].dropna().astype("int64")
        return pd.Series(dtype="int64", name="community")

    def nodes_table(self) -> pd.DataFrame:
        """``id,label,type,mentions,paragraphs,documents`` + the other entity columns + one
        column per centrality measure, then ``community`` (:meth:`partition`) if any."""
        nodes = self.entities.rename(columns={"entity_id": "id"})
        cols = ["id", "label", "type", "mentions", "paragraphs", "documents"]
        extra = [c for c in nodes.columns if c not in cols]
        nodes = nodes[cols + extra]
        cent = self.centrality.drop(columns=["community"], errors="ignore")
        cent = cent.reindex(nodes["id"]).reset_index(drop=True)
        table = pd.concat([nodes.reset_index(drop=True), cent], axis=1)
        part = self.partition()
        if len(part):
            table["community"] = part.reindex(nodes["id"]).astype("Int64").to_numpy()
        return table

    def summary(self) -> dict[str, int]:
        """Counts of what the build holds: documents, paragraphs, mentions (and dropped
        ones), entities (and those a filter left out of the graph), edges."""
        m = self.mentions
        kept = int(m["status"].eq("kept").sum()) if "status" in m else len(m)
        out = {"documents": len(self.documents), "paragraphs": len(self.paragraphs),
               "mentions": kept, "mentions dropped": len(m) - kept,
               "entities": len(self.entities)}
        alone = int(self.filters_removed.get("entities without an edge", 0))
        if alone:
            out["entities left out (no edge)"] = alone
        out["edges"] = len(self.edges)
        return out
