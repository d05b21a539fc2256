"""JSON Lines with ``text`` and character-offset spans: the doccano / Label Studio /
spaCy-Prodigy export shapes, one document per line.

Accepted span fields (offsets index ``text``, end exclusive):

- ``"spans": [{"start": 0, "end": 5, "label": "PER"}, ...]`` (Prodigy, spaCy)
- ``"label": [[0, 5, "PER"], ...]`` (doccano sequence labelling)
- ``"entities": [{"start_offset": 0, "end_offset": 5, "label": "PER"}, ...]`` (doccano)
- Label Studio: ``{"data": {"text": ...}, "annotations": [{"result": [{"value":
  {"start": 0, "end": 5, "labels": ["PER"]}}]}]}``

``id`` (or ``doc_id``) names the document; ``meta`` may carry the document-table metadata
(``ref_id, created, origin, classification, tags, subject``). A broken line, a span outside
the text or with a label that is not an entity type is reported with file:line.
"""

from __future__ import annotations

import json
from pathlib import Path

from graphbuild.core.diagnostics import Diagnostics, LineIndex
from graphbuild.core.text import sanitise, shift_offset
from graphbuild.core.types import map_label
from graphbuild.read.document import Document, SourceMap

META_KEYS = ("ref_id", "created", "origin", "classification", "tags", "subject")


def looks_like_jsonl(text: str, path: str = "") -> bool:
    """True when the first non-blank line is a JSON object with a ``text`` (or ``data``).

    >>> looks_like_jsonl('{"text": "Ann met Bo", "spans": []}\\n')
    True
    """
    head = text[:200000]
    # the first non-blank line starts (after blanks) with the first non-blank character: a
    # quick exact reject for every file that does not start with '{' (line breaks are blanks)
    if not head.lstrip().startswith("{"):
        return False
    first = next((ln for ln in head.splitlines() if ln.strip()), "")
    if not first.lstrip().startswith("{"):
        return False
    try:
        obj = json.loads(first)
    except ValueError:
        return Path(path).suffix.lower() == ".jsonl"
    return isinstance(obj, dict) and ("text" in obj or "data" in obj)


def _raw_spans(obj: dict) -> list[tuple]:
    if isinstance(obj.get("spans"), list):
        return [(s.get("start"), s.get("end"), s.get("label")) for s in obj["spans"]
                if isinstance(s, dict)]
    if isinstance(obj.get("label"), list):
        return [tuple(s[:3]) if isinstance(s, list) and len(s) >= 3 else (None, None, None)
                for s in obj["label"]]
    if isinstance(obj.get("entities"), list):
        return [(s.get("start_offset", s.get("start")), s.get("end_offset", s.get("end")),
                 s.get("label")) for s in obj["entities"] if isinstance(s, dict)]
    out = []
    for ann in obj.get("annotations") or []:
        for res in (ann.get("result") or []) if isinstance(ann, dict) else []:
            value = res.get("value", {}) if isinstance(res, dict) else {}
            labels = value.get("labels") or [None]
            out.append((value.get("start"), value.get("end"), labels[0]))
    return out


def read_jsonl(text: str, path: str, encoding: str, diagnostics: Diagnostics) -> list:
    """One document per JSON line, with its spans mapped to PER/LOC/ORG/MISC.

    >>> from graphbuild.core.diagnostics import Diagnostics
    >>> line = ('{"id": "a", "text": "Ann went to Lima.", '
    ...         '"label": [[0, 3, "PERSON"], [12, 16, "GPE"]]}')
    >>> d = read_jsonl(line, "x.jsonl", "utf-8", Diagnostics())[0]
    >>> [(d.text[s:e], t) for s, e, t in d.spans]
    [('Ann', 'PER'), ('Lima', 'LOC')]
    """

    stem = Path(path).stem
    lines = LineIndex(text)
    docs = []
    offset = 0
    for lineno, raw in enumerate(text.split("\n"), start=1):
        line_start = offset
        offset += len(raw) + 1
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except ValueError as err:
            diagnostics.warn("jsonl-bad-line", f"not valid JSON ({err}); line skipped", path,
                             lineno)
            continue
        if not isinstance(obj, dict):
            diagnostics.warn("jsonl-bad-line", "not a JSON object; line skipped", path, lineno)
            continue
        body = obj.get("text")
        if body is None and isinstance(obj.get("data"), dict):
            body = obj["data"].get("text")
        if not isinstance(body, str):
            diagnostics.warn("jsonl-no-text", "no \"text\" field; line skipped", path, lineno)
            continue
        clean = sanitise(body)
        for code, message, _ in clean.messages():
            diagnostics.warn(code, message, path, lineno)
        spans: list[tuple[int, int, str]] = []
        for start, end, label in _raw_spans(obj):
            ok = (isinstance(start, int) and isinstance(end, int)
                  and 0 <= start < end <= len(body))
            if not ok:
                diagnostics.warn("jsonl-bad-span", f"span ({start}, {end}, {label!r}) is "
                                 f"outside the text of {len(body)} characters; span skipped",
                                 path, lineno)
                continue
            etype = map_label(str(label)) if label is not None else None
            if etype is None:
                diagnostics.notice("jsonl-label-ignored", f"span {body[start:end]!r} labelled "
                                   f"{label!r} ignored: not a PER/LOC/ORG/MISC label", path,
                                   lineno)
                continue
            # offsets index the text as given; removed characters shift them
            start, end = (shift_offset(start, clean.removed), shift_offset(end, clean.removed))
            if start < end:
                spans.append((start, end, etype))
        body = clean.text
        doc_id = sanitise(str(obj.get("id", obj.get("doc_id",
                                                    f"{stem}-{len(docs) + 1:03d}")))).text
        meta_src = obj.get("meta") if isinstance(obj.get("meta"), dict) else {}
        meta = {k: sanitise(str(meta_src[k])).text for k in META_KEYS
                if meta_src.get(k) is not None}
        # offsets into ``body`` map to the line, not the JSON-escaped column: good enough to
        # find the record, which is what a user needs
        smap = SourceMap.identity(line_start)
        smap.copied[0] = False
        doc = Document(doc_id, body, path, "jsonl", encoding, meta, smap, text,
                       sorted(spans), None)
        doc._lines = lines
        docs.append(doc)
    return docs
