"""Export stage: files an analyst opens (HTML, GraphML, GEXF, CSV/Parquet, report)."""
