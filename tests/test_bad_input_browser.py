"""Hostile document text must not run in graph.html (real Chromium).

Payloads sit in entity names, in paragraph text (the evidence an edge shows) and in a file
name (the document id). The test only uses what any version of the page exposes to a user:
it loads the page, hovers and clicks every node (tooltips, evidence panel), types every
label into every text box (search), then checks that no payload set ``window.__xss`` and no
``alert`` dialog fired. A control page with one payload left unescaped shows that this
detection does fire in this browser.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

PAYLOADS = [
    '<img src=x onerror="window.__xss=1;alert(1)">',
    "</script><script>window.__xss=2;alert(2)</script>",
    '"><svg onload="window.__xss=3;alert(3)">',
    "<iframe srcdoc=\"<script>parent.__xss=4;parent.alert(4)</script>\"></iframe>",
    "javascript:window.__xss=5;alert(5)",
]

DOC = (
    "¶1. " + PAYLOADS[1] + " [PER " + PAYLOADS[0] + "  ] met [ORG " + PAYLOADS[1]
    + "  ] and [LOC " + PAYLOADS[2] + "  ] .\n"
    "¶2. " + PAYLOADS[0] + " [PER " + PAYLOADS[0] + "  ] and [MISC " + PAYLOADS[3]
    + "  ] with [ORG " + PAYLOADS[4] + "  ] " + PAYLOADS[3] + " .\n"
)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} missing (scripts/install-system-deps.sh installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory) -> Path:
    from typer.testing import CliRunner

    from graphbuild.cli import app

    src = tmp_path_factory.mktemp("xss")
    (src / "<svg onload=window.__xss=6>.txt").write_text(DOC, encoding="utf-8")
    out = tmp_path_factory.mktemp("xss-out") / "out"
    r = CliRunner().invoke(app, ["build", str(src), "-o", str(out)])
    assert r.exit_code == 0, r.output
    return out / "graph.html"


def exercise(browser, page_path: Path) -> tuple[object, list[str], list[str]]:
    """Open the page, poke every node and text box; return (__xss, dialogs, page errors)."""
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    dialogs: list[str] = []
    errors: list[str] = []

    def on_dialog(d):
        dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        "file:") else route.abort())
    page.goto(page_path.as_uri())
    page.wait_for_load_state("load")
    page.wait_for_timeout(1500)          # layout settles, first draw done
    points = page.evaluate("""() => {
        const g = window.graphbuild;
        const net = (g && g.network) || window.network;
        if (!net || !net.getPositions) return [];
        const pos = net.getPositions();
        return Object.keys(pos).map(id => net.canvasToDOM(pos[id]));
    }""")
    box = page.evaluate("""() => { const c = document.querySelector('canvas');
        if (!c) return null; const r = c.getBoundingClientRect();
        return {x: r.left, y: r.top, w: r.width, h: r.height}; }""")
    if box:
        targets = [(box["x"] + p["x"], box["y"] + p["y"]) for p in points]
        # a coarse grid too, for pages that expose no network object
        targets += [(box["x"] + box["w"] * i / 6, box["y"] + box["h"] * j / 5)
                    for i in range(1, 6) for j in range(1, 5)]
        for x, y in targets:
            page.mouse.move(x, y)
            page.wait_for_timeout(60)
            page.mouse.click(x, y)
        page.wait_for_timeout(400)        # tooltip delay
    for i in range(page.locator("input[type=search], input[type=text], input:not([type])")
                   .count()):
        box_input = page.locator("input[type=search], input[type=text], input:not([type])")
        for text in PAYLOADS:
            box_input.nth(i).fill(text)
            box_input.nth(i).press("Enter")
    page.wait_for_timeout(300)
    flag = page.evaluate("() => window.__xss")
    page.close()
    return flag, dialogs, errors


def test_payloads_do_not_run_in_graph_html(browser, hostile_page):
    html = hostile_page.read_text(encoding="utf-8")
    assert "__xss" in html                   # the payloads are in the page (as inert text)
    flag, dialogs, _ = exercise(browser, hostile_page)
    assert flag is None
    assert dialogs == []


def test_detection_fires_on_an_unescaped_payload(browser, hostile_page, tmp_path):
    """Control: the same checks catch a payload that is not escaped."""
    control = tmp_path / "control.html"
    shutil.copy(hostile_page, control)
    html = control.read_text(encoding="utf-8")
    control.write_text(html.replace("</body>", PAYLOADS[0] + "</body>", 1), encoding="utf-8")
    flag, dialogs, _ = exercise(browser, control)
    assert flag == 1
    assert dialogs == ["1"]
    assert os.path.getsize(control) > 0
