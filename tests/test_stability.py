"""The bootstrap over documents (``--stability N``): replicate weights against a build of
the resampled corpus itself (documents copied as often as they were drawn), rank intervals
on a corpus whose answer is known by hand, and the table through the store, the report and
the brief."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import graphbuild as gb
from graphbuild.cli import app
from graphbuild.core.tables import positions
from graphbuild.measures.stability import bootstrap_ranks, replicate_weights

DOCS = ["¶1. [PER Ana  ] met [PER Bo  ] in [LOC Lima  ].\n\n¶2. [PER Bo  ] and [ORG Acme  ].",
        "¶1. [PER Ana  ] and [PER Cy  ].",
        "¶1. [PER Bo  ] saw [PER Cy  ] and [ORG Acme  ].\n\n¶2. [PER Cy  ] in [LOC Lima  ].",
        "¶1. [PER Dee  ] met [PER Ana  ].",
        "¶1. [ORG Acme  ] hired [PER Dee  ] and [PER Bo  ]."]


def _write(folder, docs_and_counts):
    folder.mkdir()
    for k, (text, copies) in enumerate(docs_and_counts):
        for c in range(copies):
            (folder / f"d{k}-{c}.txt").write_text(text + "\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("draws", [[2, 0, 1, 3, 1], [0, 1, 4, 0, 0], [1, 1, 1, 1, 1]])
def test_replicate_weights_equal_a_build_of_the_resampled_corpus(tmp_path, draws):
    eg = gb.build(_write(tmp_path / "all", [(t, 1) for t in DOCS]))
    # the oracle: a real build of the corpus with document k copied draws[k] times
    oracle = gb.build(_write(tmp_path / "resampled", list(zip(DOCS, draws, strict=True))))
    want = {(s, t): w for s, t, w in oracle.edges[["source", "target", "weight"]].itertuples(
        index=False)}
    docs = eg.documents["doc_id"].astype(str).reset_index(drop=True)
    order = [docs.tolist().index(f"d{k}-0") for k in range(len(DOCS))]
    counts = np.zeros(len(docs), dtype=np.int64)
    counts[order] = draws
    key = eg.edges["source"].astype(str) + "|" + eg.edges["target"].astype(str)
    row = eg.evidence["source"].astype(str) + "|" + eg.evidence["target"].astype(str)
    w = replicate_weights(positions(row.reset_index(drop=True), key.reset_index(drop=True)),
                          positions(eg.evidence["doc_id"].astype(str).reset_index(drop=True),
                                    docs), counts, len(eg.edges))
    got = {(s, t): x for s, t, x in zip(eg.edges["source"], eg.edges["target"], w,
                                        strict=True) if x > 0}
    assert got == want


def test_rank_intervals_of_a_hub_by_hand(tmp_path):
    # Hub is in all 8 documents, each with its own partner P1..P8: in every resample Hub
    # has degree = distinct documents drawn (>= 1) and each drawn partner degree 1, so Hub
    # ranks 1 every time; a partner ranks 2 (tied, "min" rank) whenever its document is
    # drawn, and lower when it is not
    folder = tmp_path / "hub"
    folder.mkdir()
    for k in range(1, 9):
        (folder / f"d{k}.txt").write_text(f"¶1. [PER Hub  ] met [PER P{k}  ].\n",
                                          encoding="utf-8")
    eg = gb.build(folder)
    st = bootstrap_ranks(eg.entities, eg.edges, eg.evidence, eg.documents, eg.centrality,
                         40, measures=["degree"], top=1).set_index("entity_id")
    assert st.loc["hub", ["rank", "rank_lo", "rank_hi", "top_share"]].tolist() == [1, 1, 1, 1.0]
    partners = st.drop(index="hub")
    assert (partners["rank"] == 2).all() and (partners["rank_lo"] == 2).all()
    assert (partners["top_share"] == 0).all()
    # P(a document is never drawn in 8 draws) = (7/8)^8 = 0.34: over 40 resamples every
    # partner is left out at least once (probability 1 - 0.66^40 ~ 1), ranking below 2
    assert (partners["rank_hi"] > 2).all()
    # the same seed, the same intervals
    again = bootstrap_ranks(eg.entities, eg.edges, eg.evidence, eg.documents, eg.centrality,
                            40, measures=["degree"], top=1).set_index("entity_id")
    pd.testing.assert_frame_equal(st, again)


def test_stability_through_cli_store_report_and_brief(tmp_path):
    src = _write(tmp_path / "in", [(t, 1) for t in DOCS])
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["build", str(src), "-o", str(out), "--stability", "10"])
    assert r.exit_code == 0, r.output
    eg = gb.load(out)
    assert set(eg.stability["measure"]) == {"pagerank", "degree", "strength", "betweenness"}
    assert eg.settings["stability"].startswith("10 bootstrap resamples of the 5 documents")
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "## Rank stability" in report and "| measure | rank | entity | 95% interval |" in \
        report
    assert "Resampling the documents 10 times, the top 5 by PageRank rank" in (
        out / "brief.md").read_text(encoding="utf-8")
    # a folder of a version without the table still loads (empty table)
    (out / "stability.parquet").unlink()
    assert gb.load(out).stability.empty
    # and a build without the flag has no such section
    r = CliRunner().invoke(app, ["build", str(src), "-o", str(tmp_path / "plain")])
    assert "## Rank stability" not in (tmp_path / "plain" / "report.md").read_text(
        encoding="utf-8")
