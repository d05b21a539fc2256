"""The packed-key count stage (:func:`graphbuild.count.cooccur.cooccurrence`, paragraph unit)
against a plain pandas/Python reference: same edges, evidence, unit counts and dtypes, also
on inputs the fast paths treat specially (object columns, unsorted rows, a shuffled index,
excluded rows, huge paragraph numbers that do not fit one packed key)."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

import numpy as np
import pandas as pd
import pytest

from graphbuild.core import tables
from graphbuild.count.cooccur import association, cooccurrence
from graphbuild.count.pairs import count_pairs, count_sorted_pairs


def reference(m: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series, int]:
    """Edges, evidence, unit counts and N, counted pair by pair in Python."""
    keep = (m["status"] == "kept") & m["entity_id"].notna() & m["section"].isin(
        ["subject", "body"])
    units: dict[tuple, set] = defaultdict(set)
    for d, p, e in zip(m.loc[keep, "doc_id"], m.loc[keep, "paragraph"],
                       m.loc[keep, "entity_id"], strict=True):
        units[(str(d), int(p))].add(str(e))
    per_pair: dict[tuple, list] = defaultdict(list)
    p_x: dict[str, int] = defaultdict(int)
    for (d, p), ents in units.items():
        for e in ents:
            p_x[e] += 1
        for a, b in combinations(sorted(ents), 2):
            per_pair[(a, b)].append((d, p))
    n = len(units)
    rows, ev = [], []
    for (a, b), where in sorted(per_pair.items()):
        rows.append((a, b, len(where), len({d for d, _ in where})))
        ev += [(a, b, d, p) for d, p in sorted(where)]
    edges = pd.DataFrame(rows, columns=["source", "target", "weight", "documents"])
    if len(edges):
        edges = edges.assign(**association(edges["weight"].to_numpy(),
                                           edges["source"].map(p_x).to_numpy(),
                                           edges["target"].map(p_x).to_numpy(), n))
    else:
        edges = edges.assign(npmi=[], jaccard=[], dice=[])
    evidence = pd.DataFrame(ev, columns=["source", "target", "doc_id", "paragraph"])
    counts = pd.Series({e: p_x[e] for e in sorted(p_x)}, dtype="int64")
    return typed("edges", edges), typed("evidence", evidence), counts, n


def typed(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The documented columns and dtypes, set explicitly (``"string"`` is the NA-valued
    string dtype, not pandas' default ``str``)."""
    schema = tables.SCHEMAS[name]
    return pd.DataFrame({c: _category(frame[c]) if t == "category" else
                         frame[c].astype(pd.StringDtype() if t == "string" else t)
                         for c, t in schema.items()})


def _category(values: pd.Series) -> pd.Categorical:
    """The documented dictionary coding, built by hand: the sorted distinct values as
    ``string`` categories."""
    names = sorted(set(values.astype(str)))
    return pd.Categorical(values.astype(str), categories=pd.Index(names, dtype="string"))


def corpus(seed: int, n_rows: int = 400, para_values=None) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    paras = para_values if para_values is not None else np.arange(-2, 8)
    return pd.DataFrame({
        "doc_id": [f"d{i:02d}" for i in rng.integers(0, 15, n_rows)],
        "paragraph": rng.choice(np.asarray(paras, dtype=np.int64), n_rows),
        "entity_id": [None if x == 0 else f"e{x}é" if x % 7 == 0 else f"E{x}"
                      for x in rng.integers(0, 25, n_rows)],
        "section": rng.choice(["subject", "body", "header"], n_rows, p=[0.2, 0.7, 0.1]),
        "status": rng.choice(["kept", "dropped"], n_rows, p=[0.85, 0.15]),
    })


def check(m: pd.DataFrame) -> None:
    co = cooccurrence(m)
    edges, evidence, counts, n = reference(m)
    pd.testing.assert_frame_equal(co.edges, edges, check_exact=True)
    pd.testing.assert_frame_equal(co.evidence, evidence, check_exact=True)
    assert co.n_units == n and co.unit == "paragraph"
    assert co.unit_counts.index.name == "entity_id"
    assert co.unit_counts.to_dict() == counts.to_dict()
    assert list(co.unit_counts.index) == list(counts.index)


@pytest.mark.parametrize("seed", range(6))
def test_random_corpora_match_reference(seed):
    check(corpus(seed))


def test_string_and_object_columns_and_shuffled_index_give_the_same_tables():
    m = corpus(11)
    as_string = m.astype({"doc_id": "string", "entity_id": "string", "section": "string",
                          "status": "string"})
    shuffled = m.sample(frac=1.0, random_state=3)
    shuffled.index = np.arange(len(m))[::-1] * 7
    check(m)
    check(shuffled)
    a, b = cooccurrence(m), cooccurrence(as_string)
    pd.testing.assert_frame_equal(a.edges, b.edges)
    pd.testing.assert_frame_equal(a.evidence, b.evidence)


def test_huge_paragraph_numbers_take_the_dense_unit_path():
    # paragraph numbers spanning ~1e18 do not fit a (doc, paragraph, entity) int64 key
    check(corpus(5, para_values=[-2, 0, 3, 10**17, 9 * 10**17]))


def test_no_pairs_and_no_kept_rows():
    m = corpus(2, n_rows=30)
    lone = m.assign(paragraph=np.arange(len(m)))          # one mention per paragraph
    co = cooccurrence(lone)
    assert co.edges.empty and co.evidence.empty and co.n_units > 0
    assert list(co.edges.dtypes) == list(tables.empty("edges").dtypes)
    none = cooccurrence(m.assign(status="dropped"))
    assert none.edges.empty and none.n_units == 0


def test_count_sorted_pairs_matches_count_pairs_on_shuffled_codes():
    rng = np.random.default_rng(0)
    unit = np.repeat(np.arange(50), rng.integers(0, 8, 50))
    ent = rng.integers(0, 20, len(unit))
    inc = np.unique(unit * 20 + ent)                  # distinct, sorted (unit, entity)
    unit, ent = inc // 20, inc % 20
    unit_doc = np.arange(50) // 4
    order = rng.permutation(len(unit))
    a = count_pairs(unit[order], ent[order], unit_doc[unit[order]], 20)
    b = count_sorted_pairs(unit, ent, unit_doc[: unit.max() + 1], 20)
    for field in ("a", "b", "weight", "documents", "ev_a", "ev_b", "ev_unit"):
        assert np.array_equal(getattr(a, field), getattr(b, field)), field
    pairs = defaultdict(set)
    for u in np.unique(unit):
        for x, y in combinations(sorted(ent[unit == u]), 2):
            pairs[(x, y)].add(u)
    assert sorted(pairs) == list(zip(b.a.tolist(), b.b.tolist(), strict=True))
    assert [len(pairs[k]) for k in sorted(pairs)] == b.weight.tolist()
    assert [len({unit_doc[u] for u in pairs[k]}) for k in sorted(pairs)] == b.documents.tolist()


def test_association_does_not_modify_its_inputs_and_matches_float_weights():
    w = np.array([1, 2, 3, 5])
    p_a = np.array([1.0, 4.0, 3.0, 5.0])
    p_b = np.array([2.0, 2.0, 9.0, 5.0])
    before = p_a.copy(), p_b.copy()
    got = association(w, p_a, p_b, 5)
    assert np.array_equal(p_a, before[0]) and np.array_equal(p_b, before[1])
    floats = association(w.astype(float), p_a, p_b, 5)
    for k in got:
        assert np.array_equal(got[k].view(np.int64), floats[k].view(np.int64)), k
