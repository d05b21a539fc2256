"""Fast evidence strings for big edge tables (Arrow kernels, the same strings as
:func:`graphbuild.exporters.tables.evidence_strings`)."""

from __future__ import annotations

#: mentions.csv is replaced by tables/mentions.parquet above this many rows
CSV_MENTION_LIMIT = 1_000_000
#: references per edge in edges.csv (all of them are in tables/evidence.parquet)
EVIDENCE_LIMIT = 10
#: pyvis' add_edge scans every edge added before (quadratic): the HTML view stays small
HTML_NODES, HTML_EDGES = 300, 3_000


def evidence_strings_fast(evidence, limit: int | None = None):
    """Same result as :func:`graphbuild.exporters.tables.evidence_strings` (``doc:¶n``
    joined by ``; `` per edge, indexed by sorted ``(source, target)``), built with Arrow
    list kernels instead of a Python join per edge.

    >>> import pandas as pd
    >>> ev = pd.DataFrame({"source": ["a", "a", "a"], "target": ["c", "b", "b"],
    ...                    "doc_id": ["d", "d", "e"], "paragraph": [1, 2, 3]})
    >>> evidence_strings_fast(ev).tolist()
    ['d:¶2; e:¶3', 'd:¶1']
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    if evidence.empty:
        return pd.Series(dtype="string")
    s_code, s_names = pd.factorize(evidence["source"], sort=True)
    t_code, t_names = pd.factorize(evidence["target"], sort=True)
    order = np.lexsort((t_code, s_code))           # stable: refs keep their row order
    s_code, t_code = s_code[order], t_code[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = (s_code[1:] != s_code[:-1]) | (t_code[1:] != t_code[:-1])
    starts = np.flatnonzero(new)
    offsets = np.append(starts, len(order)).astype(np.int64)
    doc = pa.array(evidence["doc_id"].to_numpy(object)[order], pa.string())
    par = pc.cast(pa.array(evidence["paragraph"].to_numpy(np.int64)[order]), pa.string())
    refs = pc.binary_join_element_wise(doc, par, ":¶")
    lists = pa.ListArray.from_arrays(pa.array(offsets), refs)
    if limit is not None:
        lists = pc.list_slice(lists, 0, limit)
    joined = pc.binary_join(lists, "; ").to_numpy(zero_copy_only=False)
    index = pd.MultiIndex.from_arrays([np.asarray(s_names, object)[s_code[starts]],
                                       np.asarray(t_names, object)[t_code[starts]]],
                                      names=["source", "target"])
    return pd.Series(joined, index=index, name="ref")
