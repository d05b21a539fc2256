"""Graph stage: filters over the entities and edges tables, and networkx views of them."""

from graphbuild.graph.filters import (
    BACKBONES,
    disparity_alpha,
    driving_weight,
    filter_tables,
    keep_top,
)
from graphbuild.graph.views import ego_tables, to_networkx

__all__ = ["BACKBONES", "disparity_alpha", "driving_weight", "filter_tables", "keep_top",
           "ego_tables", "to_networkx"]
