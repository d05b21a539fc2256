"""Export stage: files an analyst opens (HTML, GraphML, CSV/Parquet, report)."""

from graphbuild.export.safety import atomic_write_text, neutralize_csv_cell, xml_safe

__all__ = ["atomic_write_text", "neutralize_csv_cell", "xml_safe"]
