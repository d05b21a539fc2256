"""Heavy measures on big graphs, computed from integer arrays with python-igraph (C) and scipy,
never through a networkx graph.

networkx stays the face users touch (views, exports) and computes the measures of small
graphs; from :data:`~graphbuild.analysis.ARRAY_ENGINE_MIN_EDGES` edges on,
:func:`graphbuild.analysis.centralities_from_tables` and
:func:`graphbuild.analysis.communities_from_tables` come here. The numbers are the same
measures with the same normalisations and the same seeded source samples as
:func:`graphbuild.analysis.centralities` (a test compares them), only 20-50x faster and in a
fifth of the memory (issue #8: PageRank 31 s -> 1.6 s, eigenvector 104 s -> 4.6 s at 8 M
edges). The graph is built once from the edge table (:class:`ArrayGraph`) and shared by the
measures and the community detection.

* degree, strength: ``numpy.bincount`` over the edge ends;
* betweenness, closeness, harmonic: :func:`graphbuild.analysis.betweenness_arrays` and
  :func:`graphbuild.analysis.closeness_harmonic_arrays` (igraph's Brandes, scipy's Dijkstra),
  sampled above a size (Brandes & Pich 2007; Eppstein & Wang 2004);
* eigenvector: per connected component (dense ``eigh`` on small ones, Lanczos ``eigsh`` on
  big ones), scaled by the component's share of nodes, as the networkx path does;
* PageRank: networkx's own power iteration (damping 0.85, tolerance ``n * 1e-6``,
  dangling nodes spread uniformly) on a scipy sparse matrix;
* communities: igraph's Louvain (``community_multilevel``, Blondel et al. 2008) or Leiden
  (``leidenalg``, Traag et al. 2019), numbered by decreasing size.

Path length is ``1/weight`` as in :mod:`graphbuild.analysis`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from graphbuild.measures.centrality import (
    ARRAY_ENGINE_MIN_EDGES,
    BETWEENNESS_EXACT_MAX_NODES,
    MEASURES,
    betweenness_arrays,
    closeness_harmonic_arrays,
)

#: components up to this size get their eigenvector from a dense eigendecomposition
DENSE_EIGEN_MAX_NODES = 1_000


def choose_engine(n_nodes: int, n_edges: int) -> str:
    """``"networkx"``, ``"igraph"`` (exact betweenness) or ``"igraph-sampled"`` for a size.

    >>> choose_engine(40, 300), choose_engine(900, 120_000), choose_engine(63_000, 8_000_000)
    ('networkx', 'igraph', 'igraph-sampled')
    """
    if n_edges < ARRAY_ENGINE_MIN_EDGES:
        return "networkx"
    return "igraph" if n_nodes <= BETWEENNESS_EXACT_MAX_NODES else "igraph-sampled"


@dataclass
class ArrayGraph:
    """An undirected graph as arrays: vertex ``i`` is ``ids[i]``, edge ``k`` joins
    ``src[k]`` and ``dst[k]`` with tie strength ``tie[k]`` (the ``--weight`` column, npmi
    shifted to (npmi+1)/2 as :func:`graphbuild.graph.driving_weight` does).

    >>> ag = ArrayGraph.from_tables(pd.DataFrame({"entity_id": ["a", "b", "c"]}),
    ...     pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "weight": [2, 1]}))
    >>> ag.src.tolist(), ag.dst.tolist(), ag.tie.tolist()
    ([0, 1], [1, 2], [2.0, 1.0])
    """

    ids: np.ndarray
    src: np.ndarray
    dst: np.ndarray
    tie: np.ndarray
    _igraph: object = field(default=None, repr=False)
    _adjacency: object = field(default=None, repr=False)

    @classmethod
    def from_tables(cls, entities: pd.DataFrame, edges: pd.DataFrame, weight: str = "weight",
                    ) -> ArrayGraph:
        """Code the edge ends by their row in ``entities``.

        Raises ``ValueError`` when an edge names an entity missing from ``entities``."""
        from graphbuild.core.tables import positions
        from graphbuild.graph.views import driving_weight

        ids = entities["entity_id"]
        src = positions(edges["source"], ids)
        dst = positions(edges["target"], ids)
        if len(src) and (src.min() < 0 or dst.min() < 0):
            raise ValueError("the edges table names entities that are not in the entities "
                             "table")
        tie = (driving_weight(edges, weight).to_numpy(np.float64) if len(edges)
               else np.empty(0))
        return cls(ids.to_numpy(dtype=object), src, dst, tie)

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def m(self) -> int:
        return len(self.src)

    def igraph(self):
        """The igraph graph of every edge (built once, shared by measures and communities)."""
        if self._igraph is None:
            from graphbuild.measures.centrality import _igraph

            self._igraph = _igraph(self.n, self.src, self.dst)
        return self._igraph

    def adjacency(self):
        """Symmetric scipy CSR matrix of tie strengths."""
        if self._adjacency is None:
            from scipy.sparse import csr_matrix

            self._adjacency = csr_matrix(
                (np.concatenate((self.tie, self.tie)),
                 (np.concatenate((self.src, self.dst)), np.concatenate((self.dst, self.src)))),
                shape=(self.n, self.n))
        return self._adjacency


def centralities_arrays(ag: ArrayGraph, seed: int = 42, measures=None) -> pd.DataFrame:
    """The :data:`~graphbuild.analysis.MEASURES` (or ``measures``) of every vertex,
    indexed by entity id, in ``ag.ids`` order.

    >>> ag = ArrayGraph.from_tables(pd.DataFrame({"entity_id": ["a", "b", "c"]}),
    ...     pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "weight": [1, 1]}))
    >>> centralities_arrays(ag).loc["b", ["degree", "betweenness", "harmonic"]].tolist()
    [2.0, 1.0, 1.0]
    """
    measures = list(measures or MEASURES)
    n = ag.n
    index = pd.Index(ag.ids, name="entity_id")
    if n == 0:
        return pd.DataFrame(columns=measures, index=index, dtype="float64")
    out: dict[str, np.ndarray] = {}
    if "degree" in measures:
        out["degree"] = (np.bincount(ag.src, minlength=n)
                         + np.bincount(ag.dst, minlength=n)).astype(np.float64)
    if "strength" in measures:
        out["strength"] = (np.bincount(ag.src, ag.tie, minlength=n)
                           + np.bincount(ag.dst, ag.tie, minlength=n))
    path = ag.tie > 0                       # a tie of strength 0 is infinitely long
    src, dst = ag.src[path], ag.dst[path]
    with np.errstate(divide="ignore"):
        dist = 1.0 / ag.tie[path]
    if "betweenness" in measures:
        graph = ag.igraph() if path.all() else None
        out["betweenness"] = betweenness_arrays(n, src, dst, dist, seed, ag.m, graph=graph)
    if "closeness" in measures or "harmonic" in measures:
        close, harm = closeness_harmonic_arrays(n, src, dst, dist, seed, ag.m)
        out["closeness"], out["harmonic"] = close, harm
    if "eigenvector" in measures:
        out["eigenvector"] = eigenvector_arrays(ag)
    if "pagerank" in measures:
        out["pagerank"] = pagerank_arrays(ag)
    return pd.DataFrame({m: out[m] for m in measures}, index=index).astype("float64")


def eigenvector_arrays(ag: ArrayGraph) -> np.ndarray:
    """Eigenvector centrality per connected component (the leading eigenvector of the
    component's weighted adjacency, non-negative, unit L2 norm), times the component's share
    of nodes; 0 for isolates. Bonacich (1987).

    >>> ag = ArrayGraph.from_tables(pd.DataFrame({"entity_id": list("abcde")}),
    ...     pd.DataFrame({"source": ["a", "b", "d"], "target": ["b", "c", "e"],
    ...                   "weight": [1, 1, 1]}))
    >>> np.round(eigenvector_arrays(ag), 4).tolist()
    [0.3, 0.4243, 0.3, 0.2828, 0.2828]
    """
    from scipy.sparse.csgraph import connected_components
    from scipy.sparse.linalg import eigsh

    n = ag.n
    out = np.zeros(n)
    if ag.m == 0:
        return out
    A = ag.adjacency()
    n_comp, label = connected_components(A, directed=False)
    order = np.argsort(label, kind="stable")
    bounds = np.searchsorted(label[order], np.arange(n_comp + 1))
    for c in range(n_comp):
        members = order[bounds[c]:bounds[c + 1]]
        if len(members) < 2:
            continue
        # the giant component is often the whole graph: then no copy of the matrix
        sub = A if len(members) == n else A[members][:, members]
        if len(members) <= DENSE_EIGEN_MAX_NODES:
            _, vecs = np.linalg.eigh(sub.toarray())
            vec = vecs[:, -1]
        else:
            # Lanczos from a positive start vector converges to the Perron vector
            _, vecs = eigsh(sub.astype(np.float64, copy=False), k=1, which="LA",
                            v0=np.ones(len(members)), tol=1e-10)
            vec = vecs[:, 0]
        vec = np.abs(vec)
        norm = np.linalg.norm(vec)
        if norm > 0:
            out[members] = vec / norm * (len(members) / n)
    return out


def pagerank_arrays(ag: ArrayGraph, alpha: float = 0.85, max_iter: int = 100,
                    tol: float = 1.0e-6) -> np.ndarray:
    """PageRank with networkx's algorithm (``nx.pagerank``: power iteration, uniform
    teleport and dangling distribution, stop when the L1 change is below ``n * tol``).
    Brin & Page (1998).

    >>> ag = ArrayGraph.from_tables(pd.DataFrame({"entity_id": ["a", "b", "c"]}),
    ...     pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "weight": [1, 1]}))
    >>> np.round(pagerank_arrays(ag), 4).tolist()
    [0.2568, 0.4865, 0.2568]

    Raises ``RuntimeError`` when the iteration does not converge in ``max_iter`` steps.
    """
    n = ag.n
    if n == 0:
        return np.zeros(0)
    if ag.m == 0:
        return np.full(n, 1.0 / n)
    A = ag.adjacency()
    S = np.asarray(A.sum(axis=1)).ravel()
    inv = np.zeros(n)
    inv[S != 0] = 1.0 / S[S != 0]
    x = np.full(n, 1.0 / n)
    p = np.full(n, 1.0 / n)
    dangling = S == 0
    for _ in range(max_iter):
        last = x
        # x @ D^-1 A is A (D^-1 x) for the symmetric A: no row-normalised copy of a matrix
        # of tens of millions of entries (and none of its transpose)
        x = alpha * (A @ (inv * x) + x[dangling].sum() * p) + (1 - alpha) * p
        if np.abs(x - last).sum() < n * tol:
            return x
    raise RuntimeError(f"PageRank did not converge in {max_iter} iterations")


def communities_arrays(ag: ArrayGraph, method: str = "louvain", seed: int = 42,
                       resolution: float = 1.0) -> pd.Series:
    """Community id per entity id: Louvain (igraph ``community_multilevel``) or Leiden
    (``leidenalg``) on the tie strengths; ids renumbered so 0 is the largest community
    (ties: the one holding the smallest entity id), isolates are communities of their own.

    >>> ag = ArrayGraph.from_tables(pd.DataFrame({"entity_id": list("abcd")}),
    ...     pd.DataFrame({"source": ["a", "c"], "target": ["b", "d"], "weight": [1, 1]}))
    >>> communities_arrays(ag).tolist()
    [0, 0, 1, 1]
    """
    n = ag.n
    index = pd.Index(ag.ids, name="entity_id")
    if n == 0:
        return pd.Series(dtype="int64", index=index, name="community")
    if ag.m == 0:
        membership = np.arange(n)
    elif method == "leiden":
        try:
            import leidenalg
        except ImportError as exc:   # pragma: no cover - depends on the installation
            raise ValueError("Leiden needs the leidenalg package: pip install "
                             "'graphbuild[leiden]' (or use --communities louvain)") from exc
        part = leidenalg.find_partition(ag.igraph(), leidenalg.RBConfigurationVertexPartition,
                                        weights=ag.tie.tolist(),
                                        resolution_parameter=resolution, seed=seed)
        membership = np.asarray(part.membership)
    else:
        random.seed(seed)                 # igraph draws from Python's random module
        parts = ag.igraph().community_multilevel(weights=ag.tie.tolist(),
                                                 resolution=resolution)
        membership = np.asarray(parts.membership)
    return renumber(membership, ag.ids)


def renumber(membership: np.ndarray, ids: np.ndarray) -> pd.Series:
    """Community labels ``0..k-1`` by decreasing size, ties by the smallest member id.

    >>> renumber(np.array([5, 5, 2, 7]), np.array(["c", "d", "a", "b"], dtype=object)).tolist()
    [0, 0, 1, 2]
    """
    frame = pd.DataFrame({"c": membership, "key": pd.Series(ids, dtype=object).astype(str)})
    stats = frame.groupby("c").agg(size=("key", "size"), first=("key", "min"))
    stats = stats.sort_values(["size", "first"], ascending=[False, True], kind="stable")
    rank = pd.Series(np.arange(len(stats)), index=stats.index)
    return pd.Series(rank.reindex(membership).to_numpy(np.int64),
                     index=pd.Index(ids, name="entity_id"), name="community")


# --- the names the benchmarks and earlier callers use --------------------------------------

def igraph_from_tables(entities: pd.DataFrame, edges: pd.DataFrame):
    """The igraph graph of the tables (vertex ``i`` = ``entities.entity_id[i]``).

    >>> g = igraph_from_tables(pd.DataFrame({"entity_id": ["a", "b"]}),
    ...                        pd.DataFrame({"source": ["a"], "target": ["b"], "weight": [2]}))
    >>> g.vcount(), g.ecount()
    (2, 1)
    """
    return ArrayGraph.from_tables(entities, edges).igraph()


def centralities_igraph(entities: pd.DataFrame, edges: pd.DataFrame, seed: int = 42,
                        weight: str = "weight") -> pd.DataFrame:
    """:func:`centralities_arrays` of the tables, whatever their size."""
    return centralities_arrays(ArrayGraph.from_tables(entities, edges, weight), seed)


def communities(entities: pd.DataFrame, edges: pd.DataFrame, seed: int = 42,
                method: str = "louvain", weight: str = "weight") -> pd.Series:
    """:func:`communities_arrays` of the tables, whatever their size.

    >>> ents = pd.DataFrame({"entity_id": list("abcd")})
    >>> eds = pd.DataFrame({"source": ["a", "c"], "target": ["b", "d"], "weight": [1, 1]})
    >>> communities(ents, eds).tolist()
    [0, 0, 1, 1]
    """
    return communities_arrays(ArrayGraph.from_tables(entities, edges, weight), method, seed)


# --- communities on the second core ---------------------------------------------------------

#: the graph a forked child reads (fork shares the parent's memory: nothing is pickled)
_SHARED: dict[str, object] = {}


class BackgroundCommunities:
    """:func:`communities_arrays` running in a forked child process while the parent
    computes the centralities: both are single-threaded C loops, so on two cores the
    communities cost no wall time. ``result()`` waits for it and returns the Series.

    Falls back to computing in this process when fork is not available (not on Linux)
    or the child fails, so the result never depends on how it was computed.

    >>> ag = ArrayGraph.from_tables(pd.DataFrame({"entity_id": list("abcd")}),
    ...     pd.DataFrame({"source": ["a", "c"], "target": ["b", "d"], "weight": [1, 1]}))
    >>> BackgroundCommunities(ag, "louvain", 42).result().tolist()
    [0, 0, 1, 1]
    """

    def __init__(self, ag: ArrayGraph, method: str = "louvain", seed: int = 42,
                 resolution: float = 1.0):
        import multiprocessing as mp

        self.args = (ag, method, seed, resolution)
        self.process = None
        try:
            ctx = mp.get_context("fork")
        except ValueError:                           # no fork on this platform
            return
        ag.igraph()                                  # built once, shared by both sides
        _SHARED["args"] = self.args
        self.receiver, sender = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=_communities_child, args=(sender,), daemon=True)
        self.process.start()
        sender.close()

    def result(self) -> pd.Series:
        if self.process is not None:
            try:
                membership = self.receiver.recv()
            except EOFError:                         # the child died: compute here
                membership = None
            self.process.join()
            _SHARED.pop("args", None)
            if isinstance(membership, np.ndarray):
                return renumber(membership, self.args[0].ids)
            if isinstance(membership, BaseException):
                raise membership
        return communities_arrays(*self.args)


def _communities_child(sender) -> None:
    ag, method, seed, resolution = _SHARED["args"]
    try:
        series = communities_arrays(ag, method, seed, resolution)
        # the raw labels travel back (a small integer array), renumbered by the parent
        sender.send(series.to_numpy(np.int64))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which re-raises
        sender.send(exc)
    finally:
        sender.close()
