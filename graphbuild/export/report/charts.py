"""The report's charts: matplotlib PNGs (bars, a log-log degree distribution), drawn
without TeX parsing of ``$`` so document text cannot inject markup."""

from __future__ import annotations

import io
import warnings

import pandas as pd

__all__ = ["bar_chart", "degree_distribution_chart"]


def _plot(draw, width: float = 6.0, height: float = 3.2, ncols: int = 1, nplots: int = 1,
          ) -> bytes:
    """Run ``draw(ax, i)`` on ``nplots`` axes of a fresh figure and return PNG bytes (no
    pyplot state, labels never parsed as TeX, missing-glyph warnings silenced)."""
    import matplotlib
    from matplotlib.figure import Figure as MplFigure

    nrows = -(-nplots // ncols)
    with matplotlib.rc_context({"text.parse_math": False, "text.usetex": False,
                                "font.size": 8}), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fig = MplFigure(figsize=(width, height * nrows), dpi=90)
        axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
        for i in range(nplots):
            draw(axes[i], i)
        for ax in axes[nplots:]:
            ax.set_visible(False)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def _bars(ax, labels: list[str], values: list[float], title: str, color: str) -> None:
    ax.barh(range(len(values)), values, color=color)
    ax.set_yticks(range(len(values)), [str(x)[:32] for x in labels])
    ax.invert_yaxis()
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)


def bar_chart(labels: list[str], values: list[float], title: str, color: str = "#0072B2",
              ) -> bytes:
    """Horizontal bar chart (first value on top) as PNG bytes.

    >>> bar_chart(["a$b", "c"], [2.0, 1.0], "t")[:4]
    b'\\x89PNG'
    """
    return _plot(lambda ax, i: _bars(ax, labels, values, title, color),
                 height=max(1.6, 0.2 * len(values) + 0.8))


def degree_distribution_chart(degrees: pd.Series) -> bytes:
    """Log-log scatter of P(k): the share of entities with degree ``k`` (``k`` >= 1).

    >>> degree_distribution_chart(pd.Series([1, 1, 2, 0]))[:4]
    b'\\x89PNG'
    """
    counts = degrees[degrees > 0].value_counts().sort_index()
    share = counts / len(degrees)

    def draw(ax, i):
        ax.loglog(counts.index.astype(float), share.to_numpy(), "o", color="#D55E00")
        ax.set_xlabel("degree k (distinct co-occurring entities)")
        ax.set_ylabel("P(k), share of entities")
        ax.set_title("Degree distribution (log-log)")
        ax.grid(True, which="both", alpha=0.3)

    return _plot(draw)


