"""The report's building blocks (headings, paragraphs, tables, figures, quotes) and their
two renderings: Markdown and self-contained HTML. Everything that comes from the documents
is escaped for the target format (:func:`md_escape` for Markdown, :func:`html.escape` for
HTML)."""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass

import pandas as pd

__all__ = ["Heading", "Para", "Table", "Figure", "Quote", "Choice", "Columns", "Cards",
           "Block", "md_escape", "fmt", "plural",
           "render_markdown", "render_html_report"]


_MD_SPECIAL = "\\`*_[]<>|#!~$"


def md_escape(text: object) -> str:
    """Escape document-derived text for Markdown (tables and paragraphs): Markdown syntax
    characters get a backslash, ``&`` becomes ``&amp;`` and newlines become spaces, so no
    label can open a link, emphasis, raw HTML or a new table cell.

    >>> md_escape("<b>A|B</b> *x* & [y](z)")
    '\\\\<b\\\\>A\\\\|B\\\\</b\\\\> \\\\*x\\\\* &amp; \\\\[y\\\\](z)'
    """
    s = str(text).replace("&", "&amp;")
    s = "".join("\\" + c if c in _MD_SPECIAL else c for c in s)
    return " ".join(s.split())


_md = md_escape  # the name older code used


def fmt(value: object) -> str:
    if isinstance(value, float):
        return "" if value != value else f"{value:.4g}"
    if value is None or value is pd.NA:
        return ""
    return str(value)


def plural(n: int, word: str, many: str | None = None) -> str:
    """``"1 document"``, ``"3 documents"``, ``"1,204 paragraphs"``; ``many`` for a word
    whose plural is not ``word + "s"``.

    >>> plural(1, "document"), plural(1204, "paragraph"), plural(2, "entity", "entities")
    ('1 document', '1,204 paragraphs', '2 entities')
    """
    return f"{n:,} {word if n == 1 else many or word + 's'}"


# --- blocks ----------------------------------------------------------------------------------
@dataclass
class Heading:
    level: int
    text: str


@dataclass
class Para:
    text: str


@dataclass
class Table:
    frame: pd.DataFrame


@dataclass
class Figure:
    key: str
    alt: str
    png: bytes


@dataclass
class Quote:
    source: str
    text: str
    marks: list[tuple[int, int]]
    #: where the citation links to (``graph.html#edge=…``), built by the brief, not the data
    href: str | None = None


@dataclass
class Choice:
    """Several tables, one shown at a time: a selector in HTML (radio buttons and CSS, no
    script), ``combined`` (one table holding them all) in Markdown."""

    key: str
    options: list[tuple[str, pd.DataFrame]]
    combined: pd.DataFrame


@dataclass
class Columns:
    """Blocks side by side in HTML (a grid that folds to one column on a narrow screen),
    one after the other in Markdown: each column a heading and its blocks."""

    columns: list[tuple[str, list]]
    level: int = 3


@dataclass
class Cards:
    """A table read as a list: in HTML each row is an item (its first column in bold, the
    others as ``name: value`` lines), compact enough to stand in a column; in Markdown the
    table itself."""

    frame: pd.DataFrame
    #: columns shown on one line together (``name: value · name: value``); by default
    #: each column on a line of its own
    lines: list[list[str]] | None = None


Block = Heading | Para | Table | Figure | Quote | Choice | Columns | Cards


# --- charts ----------------------------------------------------------------------------------
def _md_table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "_none_\n"
    cols = [md_escape(c) for c in frame.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in frame.itertuples(index=False, name=None):
        lines.append("| " + " | ".join(md_escape(fmt(v)) for v in row) + " |")
    return "\n".join(lines) + "\n"


def render_markdown(blocks: list[Block]) -> str:
    """Markdown text of ``blocks``; figures are reference-style images whose base64 data is
    defined at the end of the file.

    >>> print(render_markdown([Heading(2, "A_b"), Table(pd.DataFrame({"x": ["|"]}))]), end="")
    ## A\\_b
    <BLANKLINE>
    | x |
    |---|
    | \\| |
    <BLANKLINE>
    """
    out: list[str] = []
    refs: list[str] = []
    flat: list[Block] = []
    for b in blocks:     # columns read one after the other
        if isinstance(b, Columns):
            for title, inner in b.columns:
                flat += [Heading(b.level, title), *inner]
        else:
            flat.append(b)
    for b in flat:
        if isinstance(b, Heading):
            out += ["#" * b.level + " " + md_escape(b.text), ""]
        elif isinstance(b, Para):
            out += [md_escape(b.text), ""]
        elif isinstance(b, Table | Cards):
            out.append(_md_table(b.frame))
        elif isinstance(b, Figure):
            out += [f"![{md_escape(b.alt)}][{b.key}]", ""]
            refs.append(f"[{b.key}]: data:image/png;base64,"
                        f"{base64.b64encode(b.png).decode('ascii')}")
        elif isinstance(b, Choice):
            out.append(_md_table(b.combined))
        elif isinstance(b, Quote):
            cite = md_escape(b.source)
            if b.href:
                cite = f"[{cite}](<{b.href}>)"
            out += [f"> **{cite}** {md_escape(b.text)}", ""]
    return "\n".join(out + refs) + "\n"


_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:960px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
table{border-collapse:collapse;margin:.6em 0 1.2em;font-size:.9em}
th,td{border:1px solid #ddd;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.num{text-align:right;font-variant-numeric:tabular-nums}
img{max-width:100%;height:auto;display:block;margin:.4em 0 1.2em}
blockquote{margin:.4em 0 1em;padding:.4em .8em;border-left:4px solid #56B4E9;background:#f7fbfe}
blockquote cite{font-style:normal;font-weight:600;margin-right:.5em}
mark{background:#ffe08a}nav a{margin-right:1em}h2{border-bottom:1px solid #eee}
.cols{display:grid;grid-template-columns:repeat(var(--n),minmax(0,1fr));gap:0 1.2em}
.cols table{width:100%}
ul.cards{list-style:none;padding:0;margin:.2em 0 .6em}ul.cards li{margin:0 0 .55em;font-size:.9em}
ul.cards .sub{color:#555;font-size:.92em;display:block}
@media (max-width:900px){.cols{grid-template-columns:1fr}}
.choice input{position:absolute;opacity:0}.choice label{display:inline-block;cursor:pointer;
padding:.2em .7em;margin:0 .3em .3em 0;border:1px solid #ccc;border-radius:1em;font-size:.9em}
.choice input:checked+label{background:#0072B2;color:#fff;border-color:#0072B2}
.choice input:focus-visible+label{outline:2px solid #E69F00}
"""


def _html_table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "<p><em>none</em></p>"
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = []
    for row in frame.itertuples(index=False, name=None):
        cells = []
        for v in row:
            num = isinstance(v, (int, float)) and not isinstance(v, bool)
            cls = ' class="num"' if num else ""
            cells.append(f"<td{cls}>{html.escape(fmt(v))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _html_choice(b: Choice) -> str:
    key = "".join(c if c.isalnum() else "-" for c in b.key)
    radios, panes, css = [], [], [f"#c-{key}>.opt{{display:none}}"]
    for i, (name, frame) in enumerate(b.options):
        checked = " checked" if i == 0 else ""
        radios.append(f'<input type="radio" name="{key}" id="{key}-{i}"{checked}>'
                      f'<label for="{key}-{i}">{html.escape(name)}</label>')
        panes.append(f'<div class="opt opt-{i}">{_html_table(frame)}</div>')
        css.append(f"#{key}-{i}:checked~.opt-{i}{{display:block}}")
    return (f"<style>{''.join(css)}</style><div class=\"choice\" id=\"c-{key}\">"
            + "".join(radios) + "".join(panes) + "</div>")


def _html_cards(frame: pd.DataFrame, lines: list[list[str]] | None = None) -> str:
    if frame.empty:
        return "<p><em>none</em></p>"
    groups = lines or [[c] for c in frame.columns[1:]]
    items = []
    for _, row in frame.iterrows():
        text = []
        for group in groups:
            cells = [f"{html.escape(str(c))}: {html.escape(fmt(row[c]))}" for c in group
                     if fmt(row[c]) != ""]
            if cells:
                text.append(f'<span class="sub">{" · ".join(cells)}</span>')
        items.append(f"<li><strong>{html.escape(fmt(row.iloc[0]))}</strong>{''.join(text)}</li>")
    return '<ul class="cards">' + "".join(items) + "</ul>"


def _marked(text: str, marks: list[tuple[int, int]]) -> str:
    out, pos = [], 0
    for a, b in marks:
        out += [html.escape(text[pos:a]), f"<mark>{html.escape(text[a:b])}</mark>"]
        pos = b
    out.append(html.escape(text[pos:]))
    return "".join(out)


#: the brief is read, not consulted: denser tables and quotes, so it fits in two screens
COMPACT_CSS = """
body{max-width:1400px;line-height:1.35}p{margin:.35em 0 .6em}h2{margin:.9em 0 .3em}
h3{margin:.6em 0 .2em}table{font-size:.82em;margin:.3em 0 .7em}
blockquote{margin:.25em 0 .5em;padding:.25em .7em;font-size:.9em}
"""


def _html_blocks(blocks: list[Block], nav: list[str]) -> list[str]:
    parts: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            anchor = "s-" + "".join(c if c.isalnum() else "-" for c in b.text.lower())
            if b.level == 2:
                nav.append(f'<a href="#{anchor}">{html.escape(b.text)}</a>')
            parts.append(f'<h{b.level} id="{anchor}">{html.escape(b.text)}</h{b.level}>')
        elif isinstance(b, Para):
            parts.append(f"<p>{html.escape(b.text)}</p>")
        elif isinstance(b, Table):
            parts.append(_html_table(b.frame))
        elif isinstance(b, Figure):
            data = base64.b64encode(b.png).decode("ascii")
            parts.append(f'<img alt="{html.escape(b.alt)}" src="data:image/png;base64,{data}">')
        elif isinstance(b, Choice):
            parts.append(_html_choice(b))
        elif isinstance(b, Cards):
            parts.append(_html_cards(b.frame, b.lines))
        elif isinstance(b, Columns):
            cols = ["<div class=\"col\">" + "".join(_html_blocks(
                [Heading(b.level, title), *inner], nav)) + "</div>" for title, inner in b.columns]
            parts.append(f'<div class="cols" style="--n:{len(cols)}">' + "".join(cols) + "</div>")
        elif isinstance(b, Quote):
            cite = html.escape(b.source)
            if b.href:
                cite = f'<a href="{html.escape(b.href)}">{cite}</a>'
            parts.append(f"<blockquote><cite>{cite}</cite>"
                         f"{_marked(b.text, b.marks)}</blockquote>")
    return parts


def render_html_report(blocks: list[Block], title: str = "graphbuild report",
                       compact: bool = False) -> str:
    """One self-contained HTML page of ``blocks`` (inline CSS, PNG charts as data URIs).

    >>> "<p>&lt;b&gt;</p>" in render_html_report([Para("<b>")])
    True
    """
    nav: list[str] = []
    parts = _html_blocks(blocks, nav)
    if parts and parts[0].startswith("<h1"):
        parts.insert(1, "<nav>" + "".join(nav) + "</nav>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title><style>{_CSS}"
            f"{COMPACT_CSS if compact else ''}</style></head><body>\n"
            + "\n".join(parts) + "\n</body></html>\n")


