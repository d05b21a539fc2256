"""The graph as FollowTheMoney entities (JSON lines), the format of OCCRP's investigative
stack (OpenAleph, nomenklatura, the ``ftm`` command line).

Mapping, built with the ``followthemoney`` package itself (``pip install
'graphbuild[ftm]'``) so that every entity is cleaned and validated by its schema:

* ``PER`` -> ``Person``, ``ORG`` -> ``Organization``; a ``LOC`` that is a country ->
  ``Territory`` (with its ``country`` code), any other ``LOC`` -> ``Address`` (``full``).
  ``name`` is the label, ``alias`` the other spellings, ``description`` the counts.
* ``MISC`` names (nationalities, events, laws) have no FtM schema: they are listed in
  their documents' ``namesMentioned``, as Aleph's own extraction does, and are not
  entities or link ends (the export says how many).
* A document -> ``Document`` (``title`` = subject, ``date``, ``publisher`` = origin,
  ``fileName``, ``keywords`` = TAGS, ``notes`` = classification, ``bodyText``;
  ``peopleMentioned``, ``companiesMentioned``, ``namesMentioned``, ``detectedCountry``).
* Each entity a document names -> a ``Mention`` (``document``, ``resolved``, ``name`` =
  the spelling used there, ``detectedSchema``).
* A tie -> ``UnknownLink`` (``subject``/``object`` the two entities, ``role``
  "named in the same paragraph", ``summary`` "together in N paragraphs of M documents"
  — FtM has no numeric property, so the weight is stated there, in that fixed wording —
  ``description`` the earliest shared paragraph with its citation, ``proof`` the
  documents, ``startDate``/``endDate`` the first and last of their dates).

Ids are ``gb-<kind>-<key>`` where the key is a valid FtM id, else a hash of it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from graphbuild.core.diagnostics import InputError
from graphbuild.core.files import atomic_write
from graphbuild.core.names import alias_list
from graphbuild.core.tables import Tables, kept_mentions, pair_positions
from graphbuild.export.report.render import plural
from graphbuild.export.sources import is_country_or_people
from graphbuild.query import window

__all__ = ["ftm_entities", "write_ftm", "LINK_SUMMARY"]

#: how an ``UnknownLink`` states its weight (parsed back by readers of the file)
LINK_SUMMARY = re.compile(r"^together in ([\d,]+) paragraphs? of ([\d,]+) documents?")
_ID = re.compile(r"^[a-zA-Z0-9._-]{1,200}$")
SCHEMA = {"PER": "Person", "ORG": "Organization"}


def _model():
    try:
        from followthemoney import model
    except ImportError:
        raise InputError("--format ftm needs the followthemoney package: pip install "
                         "'graphbuild[ftm]'") from None
    return model


def ftm_id(kind: str, key: str) -> str:
    """The FtM id of a graphbuild row: readable where the key allows.

    >>> ftm_id("entity", "alvaro-uribe"), ftm_id("entity", "são-paulo")[:10]
    ('gb-entity-alvaro-uribe', 'gb-entity-')
    """
    candidate = f"gb-{kind}-{key}"
    if _ID.match(candidate):
        return candidate
    return f"gb-{kind}-" + hashlib.sha1(key.encode("utf-8")).hexdigest()


def ftm_entities(tables: Tables, counts: dict[str, int] | None = None) -> Iterator[dict]:
    """The FtM entities of ``tables``, as dicts (``id``, ``schema``, ``properties``).

    Parameters
    ----------
    tables : Tables
        A build or a view of one.
    counts : dict, optional
        Filled with how many entities of each schema were written and how many ``MISC``
        entities and ties had no FtM schema (``misc entities``, ``misc ties``).

    Returns
    -------
    iterator of dict
        Documents first, then the named entities, the mentions and the links.

    Examples
    --------
    >>> import graphbuild as gb
    >>> eg = gb.build("seeds/cable_09STATE83014_annotated.txt")
    >>> rows = list(ftm_entities(eg))
    >>> sorted({r["schema"] for r in rows})
    ['Address', 'Document', 'Mention', 'Organization', 'Person', 'Territory', 'UnknownLink']
    """
    model = _model()
    from followthemoney.types import registry

    counts = {} if counts is None else counts
    ents = tables.entities
    m = kept_mentions(tables.mentions, entity_ids=ents["entity_id"])
    schema_of: dict[str, str] = {}
    country_of: dict[str, str] = {}
    for e, label, kind in zip(ents["entity_id"], ents["label"].astype(str),
                              ents["type"].astype(str), strict=True):
        if kind in SCHEMA:
            schema_of[e] = SCHEMA[kind]
        elif kind == "LOC":
            code = registry.country.clean(label) if is_country_or_people(label, kind) else None
            schema_of[e] = "Territory" if code else "Address"
            if code:
                country_of[e] = code
    eid = {e: ftm_id("entity", str(e)) for e in ents["entity_id"]}
    doc_fid = {d: ftm_id("document", str(d)) for d in tables.documents["doc_id"]}

    def emit(schema: str, fid: str, props: dict) -> dict:
        proxy = model.make_entity(schema)
        proxy.id = fid
        for prop, values in props.items():
            for value in values if isinstance(values, list) else [values]:
                if value is not None and str(value) != "":
                    proxy.add(prop, value)
        counts[schema] = counts.get(schema, 0) + 1
        return proxy.to_dict()

    # --- documents ------------------------------------------------------------------
    docs = tables.documents
    body = (tables.paragraphs.assign(text=tables.paragraphs["text"].fillna("").astype(str))
            .groupby("doc_id", sort=False)["text"].agg("\n\n".join))
    by_doc = m.groupby("doc_id", sort=False)["entity_id"].agg(lambda s: list(dict.fromkeys(s)))
    label_of = dict(zip(ents["entity_id"], ents["label"].astype(str), strict=True))
    type_of = dict(zip(ents["entity_id"], ents["type"].astype(str), strict=True))
    for row in docs.itertuples(index=False):
        named = by_doc.get(row.doc_id, [])
        source = str(getattr(row, "source_path", "") or "")
        yield emit("Document", doc_fid[row.doc_id], {
            "fileName": os.path.basename(source) or f"{row.doc_id}.txt",
            "name": _text(getattr(row, "ref_id", None)) or str(row.doc_id),
            "title": _text(getattr(row, "subject", None)),
            "date": _text(getattr(row, "created", None)),
            "publisher": _text(getattr(row, "origin", None)),
            "keywords": _text(getattr(row, "tags", None)),
            "notes": _text(getattr(row, "classification", None)),
            "bodyText": body.get(row.doc_id, ""),
            "peopleMentioned": [label_of[e] for e in named if type_of[e] == "PER"],
            "companiesMentioned": [label_of[e] for e in named if type_of[e] == "ORG"],
            "namesMentioned": [label_of[e] for e in named if type_of[e] not in ("PER", "ORG")
                               and e not in country_of],
            "detectedCountry": sorted({country_of[e] for e in named if e in country_of}),
        })

    # --- named entities ---------------------------------------------------------------
    for row in ents.itertuples(index=False):
        schema = schema_of.get(row.entity_id)
        if schema is None:
            counts["misc entities"] = counts.get("misc entities", 0) + 1
            continue
        aliases = [a for a in alias_list(getattr(row, "aliases", None)) if a != str(row.label)]
        props = {"name": str(row.label), "alias": aliases,
                 "description": f"{row.type}: named {plural(int(row.mentions), 'time')} in "
                                f"{plural(int(row.documents), 'document')} (graphbuild)"}
        if schema == "Address":
            props["full"] = str(row.label)
        if row.entity_id in country_of:
            props["country"] = country_of[row.entity_id]
        yield emit(schema, eid[row.entity_id], props)

    # --- mentions: one per document and entity ------------------------------------------
    first = m.drop_duplicates(["doc_id", "entity_id"])
    for d, e, surface in zip(first["doc_id"], first["entity_id"], first["surface"],
                             strict=True):
        if e not in schema_of:
            continue
        yield emit("Mention", ftm_id("mention", f"{d}|{e}"), {
            "document": doc_fid[d], "resolved": eid[e], "name": str(surface),
            "detectedSchema": schema_of[e]})

    # --- links ------------------------------------------------------------------------
    edges, ev = tables.edges, tables.evidence
    row = pair_positions(ev["source"], ev["target"], edges["source"], edges["target"])
    ev = ev.assign(_edge=row)[row >= 0]
    created = (docs.set_index("doc_id")["created"].astype(str).str.slice(0, 10)
               if "created" in docs else pd.Series(dtype=object))
    ev = ev.assign(_date=created.reindex(ev["doc_id"]).to_numpy())
    para = tables.paragraphs.set_index(["doc_id", "paragraph"])["text"]
    para = para[~para.index.duplicated()]
    # per edge, as plain dicts: a pandas lookup per tie cost 7 of 35 s on 217 cables
    first_rows = ev.drop_duplicates("_edge")
    first_ev = dict(zip(first_rows["_edge"].tolist(), zip(first_rows["doc_id"].tolist(),
                        first_rows["paragraph"].tolist(), strict=True), strict=True))
    pairs = ev.drop_duplicates(["_edge", "doc_id"])
    docs_of: dict[int, list] = {}
    for k, d in zip(pairs["_edge"].tolist(), pairs["doc_id"].tolist(), strict=True):
        docs_of.setdefault(k, []).append(d)
    dated = ev[ev["_date"].notna()]
    span = dated.groupby("_edge", sort=False)["_date"].agg(["min", "max"])
    start, end = span["min"].to_dict(), span["max"].to_dict()
    n_docs_col = edges["documents"].tolist() if "documents" in edges else None
    quoted: dict[tuple, str | None] = {}
    for i, (s, t, w) in enumerate(zip(edges["source"], edges["target"], edges["weight"],
                                      strict=True)):
        if s not in schema_of or t not in schema_of:
            counts["misc ties"] = counts.get("misc ties", 0) + 1
            continue
        n_docs = int(n_docs_col[i]) if n_docs_col is not None else len(docs_of.get(i, []))
        props = {"subject": eid[s], "object": eid[t], "role": "named in the same paragraph",
                 "summary": f"together in {plural(int(w), 'paragraph')} of "
                            f"{plural(n_docs, 'document')}",
                 "proof": [doc_fid[d] for d in docs_of.get(i, []) if d in doc_fid]}
        if i in first_ev:
            d, p = first_ev[i]
            if (d, p) not in quoted:        # ties often share their first paragraph
                text = para.get((d, p))
                flat = " ".join(text.split()) if isinstance(text, str) else None
                quoted[d, p] = None if flat is None else (
                    f"{d} ¶{p}: " + (window(flat, 0, 0, 400) if len(flat) > 400 else flat))
            if quoted[d, p] is not None:
                props["description"] = quoted[d, p]
            props["startDate"] = _text(start.get(i))
            props["endDate"] = _text(end.get(i))
        yield emit("UnknownLink", ftm_id("link", f"{s}|{t}"), props)


def write_ftm(tables: Tables, path: str | os.PathLike[str]) -> tuple[Path, dict[str, int]]:
    """Write :func:`ftm_entities` to ``path`` as JSON lines (one entity per line, UTF-8).

    Parameters
    ----------
    tables : Tables
        A build or a view of one.
    path : str or os.PathLike
        The file (``entities.ftm.json`` by convention).

    Returns
    -------
    tuple of (pathlib.Path, dict)
        The file, and the counts of :func:`ftm_entities`.

    Examples
    --------
    >>> import tempfile, graphbuild as gb
    >>> eg = gb.build("seeds/cable_09STATE83014_annotated.txt")
    >>> path, counts = write_ftm(eg, tempfile.mkdtemp() + "/entities.ftm.json")
    >>> counts["Person"] == (eg.entities["type"] == "PER").sum()
    True
    """
    counts: dict[str, int] = {}
    lines = [json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n"
             for e in ftm_entities(tables, counts)]
    return atomic_write(Path(path), "".join(lines)), counts


def _text(value) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None
