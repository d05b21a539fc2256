"""The colours every view uses: by entity type (the Okabe-Ito palette, safe for colour
blindness) and by community."""

from __future__ import annotations

__all__ = ["TYPE_COLORS", "DEFAULT_COLOR", "COMMUNITY_COLORS", "rgb"]

#: colour of each entity type (colour-blind-safe Okabe-Ito palette)
TYPE_COLORS = {"PER": "#E69F00", "LOC": "#56B4E9", "ORG": "#009E73", "MISC": "#CC79A7"}
DEFAULT_COLOR = "#999999"
#: colours of communities 0, 1, 2... (Okabe-Ito, then Tableau), cycled
COMMUNITY_COLORS = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00",
                    "#CC79A7", "#4E79A7", "#F28E2B", "#59A14F", "#B07AA1", "#9C755F")


def rgb(hex_color: str) -> tuple[int, int, int]:
    """``(r, g, b)`` of ``#rrggbb``.

    >>> rgb("#E69F00")
    (230, 159, 0)
    """
    h = hex_color.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)
