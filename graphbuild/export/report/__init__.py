"""Export stage, the report: ``report.md`` and ``report.html`` from the same list of blocks.

Sections: corpus, resolution (largest merges, dropped forms, ambiguous names),
reconciliation (nothing lost), what the filters removed, analysis settings, top entities per
measure (rank table + bar charts), rank correlation between measures and brokers, degree
distribution (log-log), communities (one table with sizes, types, top entities, brokers and
representative paragraphs, and a sizes chart; only when there is a partition), the timeline
(with ``--period``), strongest edges with their evidence paragraphs, and the warnings by
kind.

Both files are self-contained: charts are matplotlib PNGs embedded as base64 ``data:`` URIs
(in the Markdown as reference-style images defined at the end of the file, so the text stays
readable). Everything that comes from the documents is escaped for the target format:
:func:`md_escape` for Markdown, :func:`html.escape` for HTML, and ``$`` is never parsed as
TeX by matplotlib (``text.parse_math`` off).
"""

from __future__ import annotations

import os
from pathlib import Path

from graphbuild.core.files import atomic_write
from graphbuild.core.tables import Tables
from graphbuild.export.report.brief import brief_blocks, shifted, write_brief
from graphbuild.export.report.render import Block, Heading, render_html_report, render_markdown
from graphbuild.export.report.sections import (
    _broker_blocks,
    _community_blocks,
    _corpus_blocks,
    _correlation_blocks,
    _degree_blocks,
    _edge_blocks,
    _filter_blocks,
    _measure_blocks,
    _reconciliation_blocks,
    _resolution_blocks,
    _settings_blocks,
    _stability_blocks,
    _time_blocks,
    _warning_blocks,
)

__all__ = ["report_blocks", "render_report", "render_report_html", "write_reports"]


def report_blocks(eg: Tables, brief: list[Block] | None = None) -> list[Block]:
    """Every block of the report, in order (shared by the Markdown and HTML renderers); it
    opens with the brief (``brief``: its :func:`brief_blocks`, when already computed).

    >>> import graphbuild as gb
    >>> blocks = report_blocks(gb.build("seeds/cable_09STATE83014_annotated.txt"))
    >>> [b.text for b in blocks if isinstance(b, Heading) and b.level == 2][:3]
    ['Brief', 'Corpus', 'Resolution']
    """
    nodes = eg.nodes_table()
    brief = brief_blocks(eg) if brief is None else brief
    return [Heading(1, "graphbuild report"), *shifted(brief, 1),
            *_corpus_blocks(eg), *_resolution_blocks(eg),
            *_reconciliation_blocks(eg), *_filter_blocks(eg), *_settings_blocks(eg),
            *_measure_blocks(eg, nodes), *_stability_blocks(eg), *_broker_blocks(eg),
            *_degree_blocks(eg, nodes),
            *_community_blocks(eg, nodes), *_time_blocks(eg),
            *_edge_blocks(eg), *_warning_blocks(eg), *_correlation_blocks(eg)]


# --- Markdown ----------------------------------------------------------------------------------
def render_report(eg: Tables) -> str:
    """Markdown report: the sections of :func:`report_blocks` (listed in this module's
    docstring).

    >>> import graphbuild as gb
    >>> render_report(gb.build("seeds/cable_09STATE83014_annotated.txt")).splitlines()[0]
    '# graphbuild report'
    """
    return render_markdown(report_blocks(eg))


# --- HTML --------------------------------------------------------------------------------------
def render_report_html(eg: Tables) -> str:
    """The HTML version of :func:`render_report` (self-contained, no external file).

    >>> import graphbuild as gb
    >>> page = render_report_html(gb.build("seeds/cable_09STATE83014_annotated.txt"))
    >>> page.startswith("<!DOCTYPE html>"), "http" in page
    (True, False)
    """
    return render_html_report(report_blocks(eg))


def write_report(eg: Tables, path: str | os.PathLike[str]) -> Path:
    """Write ``report.md`` atomically (see :func:`render_report`; example in
    :func:`write_reports`)."""
    atomic_write(path, render_report(eg))
    return Path(path)


def write_report_html(eg: Tables, path: str | os.PathLike[str]) -> Path:
    """Write ``report.html`` atomically (see :func:`render_report_html`; example in
    :func:`write_reports`)."""
    atomic_write(path, render_report_html(eg))
    return Path(path)


def write_reports(eg: Tables, out_dir: str | os.PathLike[str]) -> dict[str, Path]:
    """Write ``brief.md``, ``brief.html``, ``report.md`` and ``report.html`` into
    ``out_dir`` (charts drawn once; the report opens with the brief).

    >>> import tempfile, graphbuild as gb
    >>> eg = gb.build("seeds/cable_09STATE83014_annotated.txt")
    >>> sorted(write_reports(eg, tempfile.mkdtemp()))
    ['brief.html', 'brief.md', 'report.html', 'report.md']
    """
    brief = brief_blocks(eg)
    written = write_brief(eg, out_dir, brief)
    blocks = report_blocks(eg, brief)
    out = Path(out_dir)
    atomic_write(out / "report.md", render_markdown(blocks))
    atomic_write(out / "report.html", render_html_report(blocks))
    return {**written, "report.md": out / "report.md", "report.html": out / "report.html"}
