"""Count stage: entity co-occurrence within units, the association measures of each pair,
and the evidence behind every edge (:func:`cooccurrence`)."""

from graphbuild.count.cooccur import (
    UNITS,
    WEIGHT_COLUMNS,
    Cooccurrence,
    association,
    cooccurrence,
    parse_unit,
    unit_incidences,
)

__all__ = ["UNITS", "WEIGHT_COLUMNS", "Cooccurrence", "association", "cooccurrence",
           "parse_unit", "unit_incidences"]
