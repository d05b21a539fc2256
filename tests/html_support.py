"""Shared helpers for the HTML explorer tests: a headless Debian Chromium driven by playwright,
with every request that is not ``file:`` or ``data:`` blocked and recorded."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import pandas as pd

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


def have_chromium() -> bool:
    return Path(CHROMIUM).exists() or shutil.which("chromium") is not None


@dataclass
class PageLog:
    """What a page did: console errors, uncaught exceptions, dialogs, requests."""

    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def open_page(browser, url: str | None = None, content: str | None = None,
              viewport: tuple[int, int] = (1400, 900)):
    """A fresh context + page with network blocking and logging; returns ``(page, log)``."""
    log = PageLog()
    ctx = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                              accept_downloads=True)

    def route(r):
        u = r.request.url
        if u.startswith(("file:", "data:", "about:")):
            r.continue_()
        else:
            log.blocked.append(u)
            r.abort()

    ctx.route("**/*", route)
    page = ctx.new_page()
    page.on("console", lambda m: log.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log.errors.append(f"pageerror: {e}"))
    page.on("request", lambda r: log.requests.append(r.url))

    def dialog(d):
        log.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    if url:
        page.goto(url)
    elif content is not None:
        page.set_content(content)
    return page, log


def wait_ready(page, frame=None, timeout: float = 30_000) -> None:
    (frame or page).wait_for_selector("body[data-ready='1']", timeout=timeout, state="attached")


def offsite(log: PageLog) -> list[str]:
    """Requests that left the machine (anything but file:, data:, about:)."""
    return [u for u in log.requests + log.blocked
            if not u.startswith(("file:", "data:", "about:"))]


def tables_with_payload(payloads: list[str]) -> tuple[nx.Graph, pd.DataFrame, pd.DataFrame,
                                                        pd.DataFrame]:
    """A tiny graph whose entity names and paragraph text are the given payloads.

    Entities ``e0..ek`` are labelled with the payloads plus one plain entity ``safe``
    labelled ``Safe``; every payload co-occurs with ``safe`` in one paragraph whose text
    is ``"<payload> met Safe."``.
    """
    G = nx.Graph()
    G.add_node("safe", label="Safe", type="LOC", mentions=len(payloads), documents=1,
               pagerank=0.5)
    rows_p, rows_m, rows_e = [], [], []
    offset = 0
    for i, name in enumerate(payloads):
        eid = f"e{i}"
        G.add_node(eid, label=name, type="PER", mentions=1, documents=1, pagerank=0.1)
        G.add_edge(*sorted((eid, "safe")), weight=1, documents=1)
        text = f"{name} met Safe."
        rows_p.append(("D1", i + 1, "body", offset, offset + len(text), text))
        rows_m.append(("D1", i + 1, offset, offset + len(name), eid))
        s = offset + len(name) + len(" met ")
        rows_m.append(("D1", i + 1, s, s + 4, "safe"))
        a, b = sorted((eid, "safe"))
        rows_e.append((a, b, "D1", i + 1))
        offset += len(text) + 2
    paragraphs = pd.DataFrame(rows_p, columns=["doc_id", "paragraph", "section", "start",
                                               "end", "text"])
    mentions = pd.DataFrame(rows_m, columns=["doc_id", "paragraph", "start", "end",
                                             "entity_id"]).assign(status="kept")
    evidence = pd.DataFrame(rows_e, columns=["source", "target", "doc_id", "paragraph"])
    return G, evidence, paragraphs, mentions


#: a point on edge k (zoom 2, centred on it) that no node and no other edge covers,
#: in page pixels; null when there is none
FREE_POINT_ON_EDGE = """(k) => { const g = graphbuild, n = g.network, e = g.data.edges[k];
    const p = n.getPositions([e.s, e.t]), a = p[e.s], b = p[e.t];
    n.moveTo({position: {x: (a.x + b.x) / 2, y: (a.y + b.y) / 2}, scale: 2});
    const box = document.getElementById('graph').getBoundingClientRect();
    for (let t = 0.5; t > 0.05; t -= 0.01) { for (const u of [t, 1 - t]) {
      const c = n.canvasToDOM({x: a.x + u * (b.x - a.x), y: a.y + u * (b.y - a.y)});
      if (c.x < 5 || c.y < 5 || c.x > box.width - 5 || c.y > box.height - 5) continue;
      if (n.getNodeAt(c) === undefined && n.getEdgeAt(c) === k)
        return {x: c.x + box.left, y: c.y + box.top};
    } }
    return null; }"""

#: pixels of the PNG snapshot that are coloured (type-coloured nodes), not grey or white
COLOURED_PIXELS = """() => { const c = graphbuild.snapshot(), ctx = c.getContext('2d');
    const d = ctx.getImageData(0, 0, c.width, c.height).data; let n = 0;
    for (let i = 0; i < d.length; i += 4)
      if (Math.abs(d[i] - d[i + 1]) > 40 || Math.abs(d[i + 1] - d[i + 2]) > 40) n++;
    return n; }"""
