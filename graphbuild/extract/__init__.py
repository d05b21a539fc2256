"""Extract stage: documents -> the ``documents``, ``paragraphs`` and ``mentions`` tables
(annotated mentions placed in their units; raw documents through NER)."""

from graphbuild.extract.batch import Chunk, assemble_chunks, parse_batch, parse_documents_chunk
from graphbuild.extract.corpus import (
    CorpusTables,
    ParsedColumns,
    ParsedDocument,
    Recognizer,
    parse_document,
    parse_document_columns,
)
from graphbuild.extract.recognize import filter_documents, parse_corpus, recognize

__all__ = ["Chunk", "CorpusTables", "ParsedColumns", "ParsedDocument", "Recognizer",
           "assemble_chunks", "filter_documents", "parse_batch", "parse_corpus",
           "parse_document", "parse_document_columns", "parse_documents_chunk", "recognize"]
