"""Reconciliation: where every annotation and every file went.

Two equations, both printed by the CLI, written to ``reconciliation.csv`` and to the report:

* **annotations found = mentions kept + mentions dropped (by reason)**. "Found" is counted
  by the extract stage per document (the ``n_annotations`` column of the documents table);
  kept and dropped are counted in the final mentions table, after resolution (which may drop
  a mention whose surface is empty once cleaned).
* **files found = files read + files skipped (by reason)**. "Found" is counted while walking
  the inputs, "read" is the number of distinct source files in the documents table, skips
  are the problems recorded by :meth:`Diagnostics.skip`. The documents read
  from those files (several per file for CoNLL/JSONL) follow, with any skipped by a reader.

A side that does not balance gets an ``unaccounted`` row and a ``reconciliation`` warning
(so ``--strict`` fails): a silent drop is a bug, and this is where it shows.
"""

from __future__ import annotations

import pandas as pd

from graphbuild.core.diagnostics import Diagnostics, Problem

COLUMNS = ["what", "outcome", "reason", "count"]

#: drop reasons the extract stage already reported as warnings (one per mention)
EXTRACT_REASONS = frozenset({"unclosed-annotation", "nested-annotation", "empty-annotation",
                             "long-annotation", "unknown-type"})


def reconciliation_table(documents: pd.DataFrame, mentions: pd.DataFrame,
                         diagnostics: Diagnostics) -> pd.DataFrame:
    """The reconciliation as a table ``what, outcome, reason, count``.

    ``what`` is ``annotations`` or ``files``; ``outcome`` is ``found``, ``kept``,
    ``dropped``, ``read``, ``skipped`` or ``unaccounted``; ``reason`` names the reason of a
    drop or skip (empty otherwise).

    >>> docs = pd.DataFrame({"n_annotations": [3]})
    >>> ments = pd.DataFrame({"source": ["annotation"] * 3, "status": ["kept", "kept",
    ...                       "dropped"], "reason": ["", "", "unknown-type"]})
    >>> for row in reconciliation_table(docs, ments, Diagnostics()).values.tolist():
    ...     print(row)
    ['annotations', 'found', '', 3]
    ['annotations', 'kept', '', 2]
    ['annotations', 'dropped', 'unknown-type', 1]
    """
    rows: list[tuple[str, str, str, int]] = []
    if "n_annotations" in documents:
        found = int(documents["n_annotations"].fillna(0).sum())
    else:   # documents from an older table: the mentions are all we know
        found = int(mentions["source"].eq("annotation").sum()) if "source" in mentions else 0
    ann = mentions[mentions["source"].eq("annotation")] if len(mentions) else mentions
    kept = int(ann["status"].eq("kept").sum()) if len(ann) else 0
    rows.append(("annotations", "found", "", found))
    rows.append(("annotations", "kept", "", kept))
    dropped = 0
    if len(ann):
        reasons = ann.loc[ann["status"].ne("kept"), "reason"].fillna("").astype(str)
        for reason, n in sorted(reasons.value_counts().items()):
            rows.append(("annotations", "dropped", reason or "unknown", int(n)))
            dropped += int(n)
    if found != kept + dropped:
        rows.append(("annotations", "unaccounted", "", found - kept - dropped))
    files_found = int(diagnostics.counts.get("files found", 0))
    if files_found:
        # a file is read when a document came from it (the table is the truth, and it
        # survives engines that read in other processes)
        read = int(documents["source_path"].nunique()) if "source_path" in documents else 0
        rows.append(("files", "found", "", files_found))
        rows.append(("files", "read", "", read))
        skipped = 0
        for reason, n in diagnostics.skipped_files.items():
            rows.append(("files", "skipped", reason, n))
            skipped += n
        if files_found != read + skipped:
            rows.append(("files", "unaccounted", "", files_found - read - skipped))
    # documents: one per file for most formats, several for CoNLL/JSONL; a reader that
    # leaves a record out says so with Diagnostics.skip(..., unit="documents")
    doc_skips = diagnostics.skipped("documents")
    if files_found or doc_skips:
        rows.append(("documents", "read", "", len(documents)))
        for reason, n in doc_skips.items():
            rows.append(("documents", "skipped", reason, n))
    return pd.DataFrame(rows, columns=COLUMNS).astype({"count": "int64"})


def check(table: pd.DataFrame, diagnostics: Diagnostics) -> None:
    """Add a ``reconciliation`` warning for every side that does not balance."""
    for row in table[table["outcome"].eq("unaccounted")].itertuples(index=False):
        diagnostics.warn("reconciliation", f"{row.count} {row.what} unaccounted for: found "
                         "does not equal kept + dropped (a bug: please report it)")


def warn_later_drops(documents: pd.DataFrame, mentions: pd.DataFrame,
                     diagnostics: Diagnostics) -> None:
    """A notice (file:line:column) for every mention dropped after extraction, e.g. by
    resolution (``[PER .  ]`` is empty once cleaned): no drop goes unreported. A notice,
    not a warning: these are the resolution rules at work, not broken input, so
    ``--strict`` does not fail on them (they are in warnings.csv and the reconciliation).

    >>> docs = pd.DataFrame({"doc_id": ["d"], "source_path": ["d.txt"]})
    >>> ments = pd.DataFrame({"doc_id": ["d"], "status": ["dropped"], "surface": ["."],
    ...                       "type": ["PER"], "reason": ["empty-after-cleanup"], "line": [3],
    ...                       "column": [7]})
    >>> d = Diagnostics()
    >>> warn_later_drops(docs, ments, d)
    >>> print(d.problems[0])
    d.txt:3:7: notice: mention [PER .] dropped: empty-after-cleanup [empty-after-cleanup]
    """
    if mentions.empty:
        return
    late = mentions[mentions["status"].ne("kept")
                    & ~mentions["reason"].fillna("").isin(EXTRACT_REASONS)]
    if late.empty:
        return
    paths = dict(zip(documents["doc_id"], documents["source_path"], strict=True))
    for r in late.itertuples(index=False):
        reason = r.reason if isinstance(r.reason, str) and r.reason else "unknown"
        diagnostics.add(Problem(reason, f"mention [{r.type} {r.surface}] dropped: {reason}",
                                str(paths.get(r.doc_id) or r.doc_id), int(r.line),
                                int(r.column), "notice"))


def describe(table: pd.DataFrame) -> list[str]:
    """One line per equation, e.g. ``annotations: 5 found = 3 kept + 2 dropped (...)``.

    >>> t = pd.DataFrame([("files", "found", "", 3), ("files", "read", "", 2),
    ...                   ("files", "skipped", "empty-file", 1)], columns=COLUMNS)
    >>> describe(t)
    ['files: 3 found = 2 read + 1 skipped (empty-file 1)']
    """
    lines = []
    for what, first, rest in (("annotations", "kept", "dropped"), ("files", "read", "skipped")):
        part = table[table["what"].eq(what)]
        if part.empty:
            continue
        total = int(part.loc[part["outcome"].eq("found"), "count"].sum())
        if what == "annotations" and total == 0:
            continue            # a raw corpus: no inline annotation to account for
        ok = int(part.loc[part["outcome"].eq(first), "count"].sum())
        other = part[part["outcome"].eq(rest)]
        reasons = ", ".join(f"{r} {n}" for r, n in zip(other["reason"], other["count"],
                                                          strict=True))
        line = (f"{what}: {total} found = {ok} {first} + {int(other['count'].sum())} {rest}"
                + (f" ({reasons})" if reasons else ""))
        missing = part.loc[part["outcome"].eq("unaccounted"), "count"].sum()
        if missing:
            line += f" + {int(missing)} UNACCOUNTED"
        lines.append(line)
    docs = table[table["what"].eq("documents")]
    if not docs.empty:
        read = int(docs.loc[docs["outcome"].eq("read"), "count"].sum())
        files = int(table.loc[table["what"].eq("files") & table["outcome"].eq("read"),
                              "count"].sum())
        line = f"documents: {read} read from {files} file(s)"
        other = docs[docs["outcome"].eq("skipped")]
        if not other.empty:
            reasons = ", ".join(f"{r} {n}" for r, n in zip(other["reason"], other["count"],
                                                              strict=True))
            line += f", {int(other['count'].sum())} skipped ({reasons})"
        lines.append(line)
    return lines
