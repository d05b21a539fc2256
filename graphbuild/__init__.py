"""graphbuild: entity co-occurrence graphs from annotated and raw documents.

The notebook API is a thin layer over the pipeline stages::

    import graphbuild as gb
    eg = gb.build("seeds/")          # -> EntityGraph (tables + views)
    eg.top("pagerank")               # DataFrame indexed by entity id
    G = eg.graph()                   # networkx view
    eg.export("output/")             # GraphML, GEXF, HTML, CSV, Parquet, report
    eg = gb.load("output/")          # read a built folder back, no re-parsing
    eg.neighbors("Uribe"); eg.path("Uribe", "Lavrov"); eg.evidence_for("Uribe", "FARC")

Each stage is also a plain function over tables: :func:`read_documents`,
:func:`parse_corpus`, :func:`resolve`, :func:`cooccurrence`, :func:`filter_tables`,
:func:`centralities`, :func:`communities`, :func:`timeline`.
"""

from graphbuild._version import __version__
from graphbuild.core.diagnostics import Diagnostics, InputError
from graphbuild.core.names import EntityNotFound, match_entity
from graphbuild.count import cooccurrence
from graphbuild.entity_graph import EntityGraph, load
from graphbuild.export.pyvis_net import write_pyvis_html
from graphbuild.extract import parse_corpus, parse_document
from graphbuild.graph import disparity_alpha, filter_tables, to_networkx
from graphbuild.measures.centrality import brokers, centralities, rank_correlation
from graphbuild.measures.communities import communities
from graphbuild.measures.summary import community_summary
from graphbuild.measures.timeline import timeline
from graphbuild.pipeline import build, build_from_tables
from graphbuild.query import references
from graphbuild.read import read_documents, read_text
from graphbuild.resolve import resolve

__all__ = ["EntityGraph", "build", "build_from_tables", "read_documents", "read_text",
           "parse_corpus", "parse_document", "resolve", "cooccurrence", "centralities",
           "filter_tables", "to_networkx", "Diagnostics", "InputError", "EntityNotFound",
           "match_entity", "load", "__version__", "communities", "community_summary",
           "brokers", "rank_correlation", "timeline", "disparity_alpha", "references",
           "write_pyvis_html"]
