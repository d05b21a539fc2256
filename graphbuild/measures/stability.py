"""How far to trust a ranking: the bootstrap over documents (``--stability N``).

A methods reviewer's first question about "the most central entities" is whether another
draw of documents would give the same list. Each replicate draws the corpus' documents with
replacement (Efron's bootstrap; the document is the unit, since paragraphs of one cable are
not independent), so a document drawn twice counts twice: an edge's weight in a replicate is
the sum, over its evidence paragraphs, of how many times the paragraph's document was drawn
— exactly what a build of the resampled corpus would count (the tests check this against a
build of a corpus with the documents copied). The measures are recomputed on every
replicate's graph by the build's own engine, and each entity's rank is read off.

Output, one row per entity and measure: the rank in the full build, the 95 % interval of its
rank over the replicates (2.5th and 97.5th percentiles) and the share of replicates in which
it is in the top ``top``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphbuild.core.tables import pair_positions, positions
from graphbuild.measures.arrays import ArrayGraph
from graphbuild.measures.centrality import centralities

__all__ = ["STABILITY_MEASURES", "replicate_weights", "bootstrap_ranks"]

#: the measures the bootstrap re-ranks (betweenness with the build's own estimator)
STABILITY_MEASURES = ("pagerank", "degree", "strength", "betweenness")
COLUMNS = ["entity_id", "measure", "rank", "rank_lo", "rank_hi", "top_share"]


def replicate_weights(edge_of_row: np.ndarray, doc_of_row: np.ndarray, draws: np.ndarray,
                      n_edges: int) -> np.ndarray:
    """Edge weights of one replicate: per edge, the sum over its evidence rows (one per
    paragraph) of ``draws[document]``, how many times that document was drawn.

    Examples
    --------
    >>> edge = np.array([0, 0, 1])      # edge 0 in two paragraphs (docs 0 and 1), edge 1 in one
    >>> doc = np.array([0, 1, 1])
    >>> replicate_weights(edge, doc, np.array([2, 0]), 2).tolist()   # doc 0 twice, doc 1 never
    [2.0, 0.0]
    """
    return np.bincount(edge_of_row, weights=draws[doc_of_row].astype(np.float64),
                       minlength=n_edges)


def _ranks(values: pd.Series) -> pd.Series:
    # 1 = highest; entities that tie share the best rank of the tie ("min")
    return values.rank(ascending=False, method="min")


def bootstrap_ranks(entities: pd.DataFrame, edges: pd.DataFrame, evidence: pd.DataFrame,
                    documents: pd.DataFrame, centrality: pd.DataFrame, n: int,
                    seed: int = 42, measures=STABILITY_MEASURES, top: int = 20,
                    ) -> pd.DataFrame:
    """Rank intervals of every entity under ``n`` bootstrap resamples of the documents.

    Parameters
    ----------
    entities, edges, evidence, documents : pandas.DataFrame
        The build's tables (the ``weight`` of an edge is its number of evidence paragraphs).
    centrality : pandas.DataFrame
        The full build's measures, indexed by entity id (the ``rank`` column).
    n : int
        Replicates.
    seed : int
        Seed of the draws (and of the sampled betweenness of each replicate).
    measures : sequence of str
        Which measures to re-rank (of :data:`STABILITY_MEASURES`, those in ``centrality``).
    top : int
        The top-``top`` whose membership ``top_share`` counts.

    Returns
    -------
    pandas.DataFrame
        ``entity_id, measure, rank, rank_lo, rank_hi, top_share``, sorted by measure then
        rank. Empty when ``n`` is 0 or there is no edge.

    Examples
    --------
    >>> import graphbuild as gb
    >>> eg = gb.build("seeds/cable_09STATE83014_annotated.txt")
    >>> st = bootstrap_ranks(eg.entities, eg.edges, eg.evidence, eg.documents,
    ...                      eg.centrality, 5, measures=["degree"])
    >>> st[["measure", "rank", "rank_lo", "rank_hi", "top_share"]].head(1).values.tolist()
    [['degree', 1, 1, 1, 1.0]]
    """
    measures = [m for m in measures if m in centrality.columns]
    if n <= 0 or edges.empty or not measures:
        return pd.DataFrame(columns=COLUMNS)
    ids = entities["entity_id"].astype(str).reset_index(drop=True)
    docs = documents["doc_id"].astype(str).reset_index(drop=True)
    # each evidence row's edge and document, as positions (Arrow hashing, millions of rows)
    edge_of_row = pair_positions(evidence["source"], evidence["target"], edges["source"],
                                 edges["target"])
    doc_of_row = positions(evidence["doc_id"].astype(str).reset_index(drop=True), docs)
    keep = (edge_of_row >= 0) & (doc_of_row >= 0)
    edge_of_row, doc_of_row = edge_of_row[keep], doc_of_row[keep]
    rng = np.random.default_rng(seed)
    full = centrality.reindex(ids)
    ranks = {m: [] for m in measures}
    for b in range(n):
        draws = rng.multinomial(len(docs), np.full(len(docs), 1.0 / len(docs)))
        w = replicate_weights(edge_of_row, doc_of_row, draws, len(edges))
        live = w > 0
        rep = edges.loc[live, ["source", "target"]].assign(weight=w[live])
        ag = ArrayGraph.from_tables(entities, rep, "weight")
        cent = centralities(ag, seed=seed + b, measures=measures).reindex(ids).fillna(0.0)
        for m in measures:
            ranks[m].append(_ranks(cent[m]).to_numpy())
    rows = []
    for m in measures:
        r = np.vstack(ranks[m])                    # replicates x entities
        rows.append(pd.DataFrame({
            "entity_id": ids, "measure": m,
            "rank": _ranks(full[m].fillna(0.0)).to_numpy(),
            "rank_lo": np.percentile(r, 2.5, axis=0, method="lower"),
            "rank_hi": np.percentile(r, 97.5, axis=0, method="higher"),
            "top_share": (r <= top).mean(axis=0)}))
    out = pd.concat(rows, ignore_index=True).astype(
        {"rank": "int64", "rank_lo": "int64", "rank_hi": "int64"})
    return out.sort_values(["measure", "rank", "entity_id"], kind="stable",
                           ignore_index=True)[COLUMNS]
