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

from .analysis import brokers, centralities, communities, community_summary, rank_correlation
from .cooccur import cooccurrence
from .corpus import parse_corpus, parse_document
from .diagnostics import Diagnostics, InputError
from .graph import disparity_alpha, filter_tables, to_networkx
from .pipeline import EntityGraph, build, build_from_tables
from .readers import read_documents, read_text
from .resolve import resolve
from .store import load
from .timeline import timeline

__version__ = "0.1.0"
__all__ = ["EntityGraph", "build", "build_from_tables", "read_documents", "read_text",
           "parse_corpus", "parse_document", "resolve", "cooccurrence", "centralities",
           "filter_tables", "to_networkx", "Diagnostics", "InputError", "load", "__version__",
           "communities", "community_summary", "brokers", "rank_correlation", "timeline",
           "disparity_alpha"]
