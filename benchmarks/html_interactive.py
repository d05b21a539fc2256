"""How long the explorer page takes to become interactive in headless Chromium.

Generates a scale-free entity graph of N nodes / ~2N edges with evidence paragraphs, renders
it with :func:`graphbuild.export.html.render_html` (every node shown), opens the file in
headless Debian Chromium (software rendering, as in CI) and reports:

* ``render_s``: Python time to lay out and write the page;
* ``ready_ms``: navigation start -> first frame drawn with all handlers attached
  (``performance.now()`` at vis-network's first ``afterDrawing``), i.e. interactive;
* ``goto_ms``: wall time of ``page.goto`` + waiting for that frame, seen from outside;
* ``search_ms``: a search (select + focus + dim the rest + evidence panel) end to end.

Usage::

    PYTHONPATH=. python benchmarks/html_interactive.py --nodes 400 2000 --repeat 3
    PYTHONPATH=. python benchmarks/html_interactive.py --built output/   # page sizes

``--built DIR`` reports the size of the page of a built folder (400 nodes, as the build
writes it) with the embedded paragraphs (evidence panel and reader) and without them.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

import networkx as nx
import pandas as pd

from graphbuild.export.html import render_html

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TYPES = ("PER", "LOC", "ORG", "MISC")
WORDS = ["embassy", "minister", "talks", "border", "security", "agreement", "arms", "trade",
         "meeting", "government", "official", "report", "visit", "cooperation"]


def synthetic(n: int, seed: int = 1):
    """A Barabasi-Albert graph (m=2, so ~2n edges) with entity attributes and one to three
    evidence paragraphs per edge, as the pipeline tables."""
    rng = random.Random(seed)
    G = nx.barabasi_albert_graph(n, 2, seed=seed)
    G = nx.relabel_nodes(G, {i: f"e{i}" for i in G})
    pr = nx.pagerank(G)
    for v in G:
        G.nodes[v].update(label=f"Entity {v[1:]}", type=rng.choice(TYPES), pagerank=pr[v],
                          degree=G.degree(v), mentions=rng.randint(1, 50),
                          documents=rng.randint(1, 10))
    paras, ments, evid = [], [], []
    for k, (u, v) in enumerate(G.edges()):
        w = rng.randint(1, 3)
        G.edges[u, v].update(weight=w, documents=1)
        for j in range(w):
            doc, par = f"D{k}", j + 1
            a, b = G.nodes[u]["label"], G.nodes[v]["label"]
            filler = " ".join(rng.choice(WORDS) for _ in range(60))
            text = f"{a} met {b}. {filler}"
            paras.append((doc, par, "body", 0, len(text), text))
            ments += [(doc, par, 0, len(a), u), (doc, par, len(a) + 5, len(a) + 5 + len(b), v)]
            s, t = sorted((u, v))
            evid.append((s, t, doc, par))
    paragraphs = pd.DataFrame(paras, columns=["doc_id", "paragraph", "section", "start", "end",
                                              "text"])
    mentions = pd.DataFrame(ments, columns=["doc_id", "paragraph", "start", "end",
                                            "entity_id"]).assign(status="kept")
    evidence = pd.DataFrame(evid, columns=["source", "target", "doc_id", "paragraph"])
    return G, evidence, paragraphs, mentions


def page_sizes(folder: str) -> None:
    """The page of a built folder with and without its embedded paragraphs."""
    from dataclasses import replace

    import graphbuild as gb
    from graphbuild.export.folder import page

    eg = gb.load(folder)
    with_text = page(eg)
    bare = page(replace(eg, paragraphs=eg.paragraphs.iloc[0:0]))
    print(f"{len(eg.documents):,} documents, {len(eg.entities):,} entities, "
          f"{len(eg.edges):,} edges")
    print("| page | MB |\n|---|---|")
    print(f"| with the embedded paragraphs (evidence panel, reader) | "
          f"{len(with_text.encode()) / 1e6:.2f} |")
    print(f"| without them | {len(bare.encode()) / 1e6:.2f} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--nodes", type=int, nargs="+", default=[400, 2000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--renderer", choices=["auto", "vis", "sigma"], default="auto",
                    help="auto: vis-network below SIGMA_FROM shown nodes, sigma.js from there")
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--built", help="report the page sizes of this built folder and stop")
    args = ap.parse_args()
    if args.built:
        page_sizes(args.built)
        return
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="gb-html-bench-"))
    print("| nodes | edges | renderer | page MB | render_s | ready_ms (median) "
          "| goto_ms (median) | search_ms (median) |")
    print("|---|---|---|---|---|---|---|---|")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        for n in args.nodes:
            G, ev, pa, me = synthetic(n)
            t = time.perf_counter()
            page_html = render_html(G, max_nodes=None, evidence=ev, paragraphs=pa,
                                    mentions=me, renderer=args.renderer)
            path = tmp / f"graph-{n}.html"
            path.write_text(page_html, encoding="utf-8")
            render_s = time.perf_counter() - t
            ready, goto, search = [], [], []
            for _ in range(args.repeat):
                ctx = browser.new_context(viewport={"width": 1400, "height": 900})
                ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith(
                    ("file:", "data:")) else r.abort())
                page = ctx.new_page()
                t = time.perf_counter()
                page.goto(path.as_uri())
                page.wait_for_selector("body[data-ready='1']", state="attached",
                                       timeout=120_000)
                goto.append((time.perf_counter() - t) * 1000)
                ready.append(page.evaluate("graphbuild.readyAt"))
                renderer = page.evaluate("graphbuild.renderer")
                got = page.evaluate("graphbuild.rendered()")
                assert got == {"nodes": G.number_of_nodes(), "edges": G.number_of_edges()}, got
                t = time.perf_counter()
                page.fill("#search", "Entity 7")
                page.press("#search", "Enter")
                page.wait_for_function("document.getElementById('panel-body').dataset.node "
                                       "!== undefined")
                search.append((time.perf_counter() - t) * 1000)
                ctx.close()
            print(f"| {n:,} | {G.number_of_edges():,} | {renderer} "
                  f"| {path.stat().st_size / 1e6:.1f} "
                  f"| {render_s:.2f} | {statistics.median(ready):.0f} "
                  f"| {statistics.median(goto):.0f} | {statistics.median(search):.0f} |",
                  flush=True)
        browser.close()


if __name__ == "__main__":
    main()
