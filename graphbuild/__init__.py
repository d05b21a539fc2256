"""graphbuild: entity co-occurrence graphs from annotated and raw documents.

The notebook API is a thin layer over the pipeline stages::

    import graphbuild as gb
    eg = gb.build("seeds/")          # -> EntityGraph (tables + views)
    eg.top("pagerank")               # DataFrame indexed by entity id
    G = eg.graph()                   # networkx view
    eg.export("output/")             # GraphML, HTML, CSV, Parquet, report
    eg = gb.load("output/")          # read a built folder back, no re-parsing
    eg.neighbors("Uribe"); eg.path("Uribe", "Lavrov"); eg.evidence_for("Uribe", "FARC")

Each stage is also a plain function over tables: :func:`read_documents`,
:func:`parse_corpus`, :func:`resolve`, :func:`cooccurrence`, :func:`centralities`.
"""

from graphbuild.core.diagnostics import Diagnostics, InputError
from graphbuild.count.cooccur import cooccurrence
from graphbuild.extract.corpus import parse_corpus, parse_document
from graphbuild.graph.views import disparity_alpha, filter_tables, to_networkx
from graphbuild.measures.centrality import (
    brokers,
    centralities,
    communities,
    community_summary,
    rank_correlation,
)
from graphbuild.measures.timeline import timeline
from graphbuild.pipeline import EntityGraph, build, build_from_tables
from graphbuild.read import read_documents, read_text
from graphbuild.resolve import resolve
from graphbuild.store import load

__version__ = "0.1.0"
__all__ = ["EntityGraph", "build", "build_from_tables", "read_documents", "read_text",
           "parse_corpus", "parse_document", "resolve", "cooccurrence", "centralities",
           "filter_tables", "to_networkx", "Diagnostics", "InputError", "load", "__version__",
           "communities", "community_summary", "brokers", "rank_correlation", "timeline",
           "disparity_alpha"]
