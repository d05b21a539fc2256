"""Seeded, precomputed node positions for the HTML explorer.

The browser never runs a physics simulation: vis-network's default physics needed 65 s to
stabilise 1k nodes in headless Chromium and never finished 5k (issue 4), whereas drawing
fixed positions is fast. Each connected component is laid out on its own with igraph's
Fruchterman-Reingold layout (C code; the grid approximation above 1,000 nodes: about 0.1 s
for 2,000 nodes, 0.5 s for 10,000), run with a private seeded random generator so the same
graph always gets the same picture. Components are then scaled so that nodes keep a readable
distance and packed in rows, largest first, so isolated entities do not push the main
component into a corner.

Reference: Fruchterman & Reingold (1991), *Graph drawing by force-directed placement*,
Software: Practice and Experience 21(11).
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable, Mapping

import igraph as ig
import networkx as nx
import numpy as np

#: components up to this size get a Kamada-Kawai refinement
KK_MAX = 500
#: components up to this size get overlap removal (O(n^2) memory per round)
OVERLAP_MAX = 1000


def layout_positions(G: nx.Graph, seed: int = 42, weight: str = "weight",
                     iterations: int = 300, spacing: float = 70.0,
                     radius: Mapping[Hashable, float] | None = None,
                     ) -> dict[Hashable, tuple[float, float]]:
    """Return ``{node: (x, y)}`` for every node of ``G``, deterministic for a given ``seed``.

    Coordinates are screen pixels: inside a component the median distance from a node to
    its nearest neighbour is ``spacing``, which keeps labels apart at zoom 1. Edge weights
    pull harder, logarithmically (``1 + ln w``) so one heavy edge does not collapse a
    cluster. Components of up to 500 nodes are then refined with Kamada-Kawai (even edge
    lengths, fewer hairballs; about 0.5 s at 400 nodes). With ``radius`` (drawn node radius
    in pixels), overlapping nodes are pushed apart afterwards (components up to 1,000 nodes).

    >>> G = nx.path_graph(4)
    >>> layout_positions(G, seed=1) == layout_positions(G, seed=1)
    True
    >>> sorted(layout_positions(nx.empty_graph(2)).values())
    [(0.0, 0.0), (140.0, 0.0)]
    """
    if G.number_of_nodes() == 0:
        return {}
    # components are sets: order their nodes as G does, or string hashing (randomised per
    # process) would change the picture from one run to the next
    order = {v: i for i, v in enumerate(G)}
    comps = sorted((sorted(c, key=order.__getitem__) for c in nx.connected_components(G)),
                   key=lambda c: (-len(c), order[c[0]]))
    # igraph draws its initial positions from a process-wide generator; swap in a private
    # seeded one and always restore the previous one, so callers' randomness is untouched.
    previous = random.getstate()
    ig.set_random_number_generator(random.Random(seed))
    try:
        blocks = [_component(G, c, weight, iterations, spacing, radius) for c in comps]
    finally:
        ig.set_random_number_generator(random)
        random.setstate(previous)
    return _pack(comps, blocks, spacing)


def extend_positions(G: nx.Graph, fixed: Mapping[Hashable, tuple[float, float]],
                     seed: int = 42, weight: str = "weight", iterations: int = 100,
                     spacing: float = 70.0) -> dict[Hashable, tuple[float, float]]:
    """Positions for every node of ``G`` that keep the nodes of ``fixed`` where they are.

    This is how ``graph.gexf`` shows the same picture as ``graph.html``: the page's
    entities (laid out by :func:`layout_positions`) are pinned, and the other entities of
    the graph file are placed around them by the same force model (igraph's
    Fruchterman-Reingold with the pinned nodes' bounds fixed), starting next to the
    pinned nodes they are linked to. Deterministic for a given ``seed``.

    Parameters
    ----------
    G : networkx.Graph
        The whole graph of the file.
    fixed : mapping
        Node -> ``(x, y)`` of the nodes that must not move (screen pixels).
    seed : int
        Seed of the starting positions of the free nodes.
    weight : str
        Edge attribute that pulls (``1 + ln w``, as :func:`layout_positions`).
    iterations : int
        Fruchterman-Reingold steps.
    spacing : float
        The distance (pixels) that one layout unit stands for, as in
        :func:`layout_positions`.

    Returns
    -------
    dict
        Node -> ``(x, y)``; the nodes of ``fixed`` at exactly their given positions.

    Examples
    --------
    >>> G = nx.path_graph(4)
    >>> pos = extend_positions(G, {0: (0.0, 0.0), 1: (70.0, 0.0)}, seed=1)
    >>> pos[0], pos[1], sorted(pos) == [0, 1, 2, 3]
    ((0.0, 0.0), (70.0, 0.0), True)
    """
    nodes = list(G)
    if not nodes:
        return {}
    free = [v for v in nodes if v not in fixed]
    if not free:
        return {v: (float(fixed[v][0]), float(fixed[v][1])) for v in nodes}
    index = {v: i for i, v in enumerate(nodes)}
    rng = np.random.default_rng(seed)
    start = np.zeros((len(nodes), 2))
    pinned = np.array([v in fixed for v in nodes])
    for v, (x, y) in fixed.items():
        if v in index:
            start[index[v]] = (x / spacing, y / spacing)
    lo = start[pinned].min(axis=0) if pinned.any() else np.zeros(2)
    hi = start[pinned].max(axis=0) if pinned.any() else np.ones(2)
    for v in free:
        near = [index[u] for u in G.adj[v] if u in fixed]
        base = start[near].mean(axis=0) if near else rng.uniform(lo, hi)
        start[index[v]] = base + rng.normal(0.0, 0.5, 2)
    edges, weights = [], []
    for i, v in enumerate(nodes):
        for u, d in G.adj[v].items():
            j = index[u]
            if j > i:
                edges.append((i, j))
                weights.append(1.0 + math.log(max(float(d.get(weight) or 1), 1.0)))
    g = ig.Graph(n=len(nodes), edges=edges)
    big = 1e9
    bound = [(start[i] if pinned[i] else (-big, -big), start[i] if pinned[i] else (big, big))
             for i in range(len(nodes))]
    previous = random.getstate()
    ig.set_random_number_generator(random.Random(seed))
    try:
        lay = g.layout_fruchterman_reingold(
            weights=weights or None, niter=iterations, seed=start.tolist(),
            minx=[b[0][0] for b in bound], maxx=[b[1][0] for b in bound],
            miny=[b[0][1] for b in bound], maxy=[b[1][1] for b in bound],
            grid="grid" if len(nodes) > 1000 else "nogrid")
    finally:
        ig.set_random_number_generator(random)
        random.setstate(previous)
    xy = np.asarray(lay.coords) * spacing
    out = {v: (round(float(x), 1), round(float(y), 1)) for v, (x, y) in zip(nodes, xy,
                                                                          strict=True)}
    out.update({v: (float(x), float(y)) for v, (x, y) in fixed.items() if v in index})
    return out


def _component(G: nx.Graph, nodes: list[Hashable], weight: str, iterations: int,
               spacing: float, radius: Mapping[Hashable, float] | None) -> np.ndarray:
    """Positions (``len(nodes) x 2``, min corner at 0,0) of the connected component
    ``nodes`` of ``G``. Edges are listed in ``nodes`` order (not through a subgraph view,
    whose iteration follows a set when the part is small)."""
    n = len(nodes)
    if n == 1:
        return np.zeros((1, 2))
    if n == 2:
        return np.array([[0.0, 0.0], [0.0, spacing]])  # stacked: labels sit below dots
    index = {v: i for i, v in enumerate(nodes)}
    edges, weights = [], []
    for i, v in enumerate(nodes):
        for u, d in G.adj[v].items():
            j = index.get(u)
            if j is not None and j > i:
                edges.append((i, j))
                weights.append(1.0 + math.log(max(float(d.get(weight) or 1), 1.0)))
    g = ig.Graph(n=n, edges=edges)
    fr = g.layout_fruchterman_reingold(weights=weights, niter=iterations,
                                       grid="grid" if n > 1000 else "nogrid")
    if n <= KK_MAX:
        fr = g.layout_kamada_kawai(seed=fr.coords)
    xy = np.asarray(fr.coords)
    nn = np.median(_nearest_distances(xy))
    xy = xy * (spacing / nn if nn > 0 else 1.0)
    if radius is not None and n <= OVERLAP_MAX:
        xy = _remove_overlaps(xy, np.array([float(radius.get(v, 0)) for v in nodes]))
    return xy - xy.min(axis=0)


def _remove_overlaps(xy: np.ndarray, r: np.ndarray, pad: float = 4.0,
                     rounds: int = 60) -> np.ndarray:
    """Push apart every pair of discs that overlap (each moves half the overlap along the
    line between centres), a few rounds; deterministic (coincident centres are split along
    a fixed direction)."""
    xy = xy.copy()
    need = r[:, None] + r[None, :] + pad
    np.fill_diagonal(need, 0)
    for _ in range(rounds):
        diff = xy[:, None, :] - xy[None, :, :]
        dist = np.sqrt(np.einsum("ijk,ijk->ij", diff, diff))
        overlap = np.clip(need - dist, 0, None)
        np.fill_diagonal(overlap, 0)
        if not overlap.any():
            break
        safe = np.where(dist > 1e-9, dist, 1.0)
        unit = np.where((dist > 1e-9)[:, :, None], diff / safe[:, :, None],
                        np.array([1.0, 0.0])[None, None, :] * np.sign(
                            np.arange(len(xy))[:, None] - np.arange(len(xy))[None, :]
                        )[:, :, None])
        xy += 0.5 * (overlap[:, :, None] * unit).sum(axis=1)
    return xy


def _nearest_distances(xy: np.ndarray, sample: int = 1000, chunk: int = 256) -> np.ndarray:
    """Distance from each of (at most ``sample``, evenly spaced) points to its nearest other
    point; a sample estimates the median well and keeps this O(n) for big components."""
    rows = np.unique(np.linspace(0, len(xy) - 1, min(sample, len(xy))).astype(int))
    out = np.empty(len(rows))
    for s in range(0, len(rows), chunk):
        r = rows[s:s + chunk]
        diff = xy[r, None, :] - xy[None, :, :]
        d = np.einsum("ijk,ijk->ij", diff, diff)
        d[np.arange(len(r)), r] = np.inf
        out[s:s + chunk] = np.sqrt(d.min(axis=1))
    return out


def _pack(comps: list[list[Hashable]], blocks: list[np.ndarray], spacing: float,
          ) -> dict[Hashable, tuple[float, float]]:
    """Shelf packing: components left to right in rows no wider than the largest
    component (or a square's side for many small ones), largest first."""
    gap = 2 * spacing
    sizes = [b.max(axis=0) if len(b) else np.zeros(2) for b in blocks]
    area = sum((w + gap) * (h + gap) for w, h in sizes)
    row_width = max(float(sizes[0][0]), math.sqrt(area))
    pos: dict[Hashable, tuple[float, float]] = {}
    x = y = row_h = 0.0
    for nodes, xy, (w, h) in zip(comps, blocks, sizes, strict=True):
        if x > 0 and x + w > row_width:
            x, y, row_h = 0.0, y + row_h + gap, 0.0
        for v, (px, py) in zip(nodes, xy, strict=True):
            pos[v] = (round(float(px + x), 1), round(float(py + y), 1))
        x += w + gap
        row_h = max(row_h, float(h))
    return pos
