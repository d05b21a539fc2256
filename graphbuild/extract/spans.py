"""Repair of the spans a statistical NER model returns on cable text, before they become
mentions: the model's boundaries are often off by a word, and cable text has debris a
model trained on news never saw.

:func:`repair_spans` applies, per span, in this order:

1. a portion marking in front is cut (``C) Restrepo`` -> ``Restrepo``), and the span is cut
   at a paragraph mark or a redaction marker inside it (``ARTICLE I ¶1``,
   ``managerXXXXXXXXXXXX``);
2. a joined pair of names is split at a dash, a semicolon or (people and places) a comma
   between them (``Jorge Castro - Magdalena``, ``Uribe, Santos``);
3. a sentence-initial word that mixed-case cables write in lower case, or that opens
   sentences, is cut (``Meanwhile Uribe`` -> ``Uribe``; table:
   :func:`graphbuild.core.lexicon.truecase_table`), and a lower-case word at the end;
4. a leading demonym of a person becomes a MISC span of its own (``Venezuelan FM Maduro``
   -> ``Venezuelan`` MISC + ``FM Maduro`` PER; ``Colombian Army`` stays one organisation);
   a span that is only a demonym is MISC whatever the model said;
5. a name right after a title is a person (``President Uribe`` typed ORG -> PER), and an
   organisation span that runs into a person's name after a title or office word is split
   (``MFA Director ... Ana Cazzadore`` -> ``MFA`` ORG + ``Ana Cazzadore`` PER), as is a person
   span ending in a bureau symbol (``Charles Shapiro INL``);
6. a one- or two-word name after a word that says what it is takes that type (``oil
   company Repsol`` ORG, ``the city of Cartagena`` LOC, ``Antioquia Department`` LOC).

What is never an entity (markings, routing codes, redactions, titles alone...) is not cut
here: such spans reach the mentions table and resolution drops them with the reason
(:func:`graphbuild.core.nonentities.not_entity_reason`), so nothing is lost silently.

This runs after the NER cache (:mod:`graphbuild.extract.ner`), so a change here never
invalidates cached model output.
"""

from __future__ import annotations

import re

from graphbuild.core import lexicon
from graphbuild.core.nonentities import strip_marking_prefix
from graphbuild.core.titles import is_demonym, title_length

__all__ = ["repair_spans", "repair_span"]

Span = tuple[int, int, str]

#: a dash, double dash or semicolon between two names
_JOIN = re.compile(r"\s+(?:-{1,2}|–|—)\s+|\s*;\s*")
#: a comma between two names (people and places only: "Bank of America, N.A." is one ORG)
_COMMA = re.compile(r"\s*,\s*")
_ONE_WORD = re.compile(r"^\S+$")
#: what may follow a comma inside one name
_COMMA_TAIL = re.compile(r"^(?:Jr|Sr|II|III|IV|D\.?C|Inc|S\.?A|Ltd|Co)\b\.?", re.I)
_WORD = re.compile(r"\S+")


_ITEM_PREFIX = re.compile(r"[^\s()]{1,6}\)\s+")


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """``[s, e)`` without surrounding space, quotes and list punctuation (a final period is
    left to resolution's cleanup, which knows ``U.S.`` and ``Jr.``)."""
    while s < e and (text[s].isspace() or text[s] in "\"'“”‘’([-,;:/"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in "\"'“”‘’)],;:-/"):
        e -= 1
    # a closing parenthesis near the start with no opening one: a lettered item or the
    # tail of an abbreviation ("B) Integrated Action Program", "PS) Kouchner")
    m = _ITEM_PREFIX.match(text, s, e)
    if m and "(" not in text[s:m.end()]:
        s = m.end()
    return s, e


#: words that open sentences and that the truecase table has capitalised for that reason
_OPENERS = frozenset(["meanwhile", "however", "additionally", "separately", "also", "according",
                      "although", "while", "when", "after", "before", "since", "during",
                      "following", "per", "moreover", "furthermore", "nonetheless", "nevertheless",
                      "instead", "similarly", "finally", "subsequently", "thus", "hence", "yet",
                      "still", "both", "either", "neither", "as", "at", "by", "for", "from", "in",
                      "into", "of", "on", "to", "with", "without", "under", "over", "about",
                      "among", "between"])


def _lower_preferred(word: str) -> bool:
    """Whether mixed-case cables write ``word`` in lower case (``said``, ``the``) or it
    opens sentences (``Meanwhile``)."""
    low = word.casefold()
    form = lexicon.truecase_table().get(low)
    return low in _OPENERS or (form is not None and form.islower())


def _name_like(part: str) -> bool:
    """A piece of text that could be a name: starts with a capital, has a letter."""
    return bool(part) and part[0].isupper() and any(c.isalpha() for c in part)


#: what never belongs inside a name: a paragraph mark (``ARTICLE I ¶1``), a redaction
#: marker, glued or not (``managerXXXXXXXXXXXX``)
_NEVER_INSIDE = re.compile(r"\s*(?:¶|\$\\P)\s*\d*\.?\s*|[Xx]{4,}")


def _split(text: str, s: int, e: int, etype: str) -> list[tuple[int, int]]:
    """``[s, e)`` cut at paragraph marks and redaction markers, then at the joins between
    names (dash, semicolon; comma for PER and LOC)."""
    pieces = []
    cut = s
    for m in _NEVER_INSIDE.finditer(text, s, e):
        pieces.append((cut, m.start()))
        cut = m.end()
    pieces.append((cut, e))
    for pattern in (_JOIN, _COMMA):
        out = []
        for ps, pe in pieces:
            cut = ps
            parts = []
            for m in pattern.finditer(text, ps, pe):
                left, right = text[cut:m.start()], text[m.end():pe]
                if pattern is _COMMA and _COMMA_TAIL.match(right):
                    continue
                # an organisation keeps its commas unless it is two single words
                # ("Guaitarilla, Cajamarca"; not "Bank of America, N.A.")
                if pattern is _COMMA and etype not in ("PER", "LOC") and not (
                        _ONE_WORD.match(left.strip()) and _ONE_WORD.match(right.strip())):
                    continue
                if _name_like(left.strip()) and _name_like(right.strip()):
                    parts.append((cut, m.start()))
                    cut = m.end()
            parts.append((cut, pe))
            out.extend(parts)
        pieces = out
    return pieces


_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n]|\(\s?[A-Z/]{1,8}\s?\))\s*$")


def _starts_sentence(text: str, at: int) -> bool:
    """Whether ``at`` opens a sentence, a line or a paragraph (after its marking)."""
    return bool(_SENTENCE_START.search(text[max(0, at - 12):at]))


def _cut_edges(text: str, s: int, e: int) -> tuple[int, int]:
    """Cut edge words that are not part of the name, never the last word: at the start of
    a sentence, a word mixed-case cables write in lower case or that opens sentences
    (``Meanwhile Uribe``; a capital there says nothing); at the end, a word in lower case
    (``Uribe said``). Capitals inside a sentence are kept: ``National Liberation Army``."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(text, s, e)]
    while len(words) > 1 and _starts_sentence(text, words[0][0]):
        word = text[words[0][0]:words[0][1]].strip(",.")
        caps = word.isupper() and len(word) > 1
        # in capitals a word's case says nothing: only verbs and adverbs are cut there
        # ("ENCOURAGING MUGABE"), never an adjective that starts names ("NATIONAL ...")
        verb = caps and _lower_preferred(word) and word.casefold().endswith(("ing", "ed", "ly"))
        if not (word.casefold() in _OPENERS or verb or (not caps and _lower_preferred(word))):
            break
        words.pop(0)
    while len(words) > 1 and text[words[-1][0]:words[-1][1]][:1].islower():
        words.pop()
    return (words[0][0], words[-1][1]) if words else (s, e)


#: what a demonym in front of makes one national institution ("Colombian military")
_INSTITUTION = re.compile(
    r"[ \t]+(?:government|military|army|navy|air force|armed forces|police|national police|"
    r"foreign ministry|ministry of foreign affairs|mfa|embassy|congress|senate|parliament|"
    r"armed forces|authorities)\b", re.I)
#: words of an office in front of a person's name ("MFA North America Desk Adriana ...")
_OFFICE_WORDS = frozenset(["desk", "office", "division", "directorate", "section", "unit",
                           "bureau", "department", "coordinator", "head", "chief"])


def _name_like_word(word: str) -> bool:
    """A word that may be part of a person's name: capitalised letters, not a title, not a
    word mixed-case cables write in lower case."""
    w = word.strip(",.")
    return (len(w) > 1 and w[0].isupper() and w.replace("-", "").replace("'", "").isalpha()
            and not title_length([w]) and not _lower_preferred(w)
            and w.casefold() not in _OFFICE_WORDS)


def _office_and_person(text: str, words: list) -> tuple[tuple[int, int] | None,
                                                        tuple[int, int]] | None:
    """An organisation span that runs into a person's name after a title or an office word
    (``MFA Director for ... Ana Cazzadore``): ``(office span or None, person span)``."""
    if len(words) < 3:
        return None
    tail = 2 if len(words) < 4 or not _name_like_word(words[-3].group()) else 3
    person = words[-tail:]
    last = person[-1].group().strip(",.")
    if not all(_name_like_word(w.group()) for w in person) or last.casefold() in \
            lexicon.english_words():
        return None
    head = words[:-tail]
    marks = [i for i, w in enumerate(head) if title_length([w.group().strip(",.")])
             or w.group().strip(",.").casefold() in _OFFICE_WORDS]
    if not marks:
        return None
    office = (head[0].start(), head[marks[0] - 1].end()) if marks[0] > 0 else None
    return office, (person[0].start(), person[-1].end())


_PREVIOUS_WORDS = re.compile(r"((?:\S+[ \t]+){1,3})$")


def _after_title(text: str, start: int) -> bool:
    """Whether a title stands right before ``start`` (``President`` in "President Uribe",
    ``Foreign Minister``): the name that follows is a person's."""
    m = _PREVIOUS_WORDS.search(text, max(0, start - 40), start)
    if m is None:
        return False
    words = m.group(1).split()
    return any(title_length(words[-k:]) == k for k in range(1, len(words) + 1))


#: words right before a name that say what it is ("oil company Repsol", "the city of
#: Cartagena", "the department of Antioquia")
_CUE_BEFORE = (
    (re.compile(r"\b(?:company|companies|firm|corporation|conglomerate|bank|newspaper|daily|"
                r"weekly|magazine|channel|network|airline|party|movement|group|agency|"
                r"NGO|union|federation|association|foundation)\s+$", re.I), "ORG"),
    (re.compile(r"\b(?:city|town|village|department|province|state|region|municipality|"
                r"port|island|district|county|capital)\s+of\s+$", re.I), "LOC"),
)
#: a word right after a name that says it is a place ("Antioquia Department")
_CUE_AFTER = re.compile(r"^\s+(?:[Dd]epartment|DEPARTMENT|[Pp]rovince|PROVINCE|[Mm]unicipality)"
                        r"\b(?!\s+of\b)")


def _cued_type(text: str, s: int, e: int) -> str | None:
    """The type the words around a one- or two-word name give it, if any."""
    before = text[max(0, s - 40):s]
    for pattern, etype in _CUE_BEFORE:
        if pattern.search(before):
            return etype
    if _CUE_AFTER.match(text[e:e + 20]):
        return "LOC"
    return None


def repair_span(text: str, span: Span) -> list[Span]:
    """The repaired spans of one model span (none, one or several).

    Parameters
    ----------
    text : str
        The document text the span indexes.
    span : (int, int, str)
        ``(start, end, type)`` with a CoNLL type.

    Returns
    -------
    list of (int, int, str)
        Spans into the same text, in order.

    Examples
    --------
    >>> t = "C) Jorge Castro - Magdalena said Venezuelan FM Maduro came."
    >>> [t[s:e] + "/" + k for s, e, k in repair_span(t, (0, 27, "PER"))]
    ['Jorge Castro/PER', 'Magdalena/PER']
    >>> [t[s:e] + "/" + k for s, e, k in repair_span(t, (33, 53, "PER"))]
    ['Venezuelan/MISC', 'FM Maduro/PER']
    """
    s, e, etype = span
    s, e = _trim(text, s, e)
    stripped = strip_marking_prefix(text[s:e])
    s += (e - s) - len(stripped)
    out: list[Span] = []
    for ps, pe in _split(text, s, e, etype):
        ps, pe = _trim(text, ps, pe)
        ps, pe = _cut_edges(text, ps, pe)
        ps, pe = _trim(text, ps, pe)
        if pe <= ps:
            continue
        words = list(_WORD.finditer(text, ps, pe))
        if len(words) == 1 and is_demonym(words[0].group()):
            grown = _INSTITUTION.match(text, pe)
            if grown:     # "Colombian military": the institution, one organisation
                out.append((ps, grown.end(), "ORG"))
            else:
                out.append((ps, pe, "MISC"))
            continue
        if etype == "PER" and len(words) > 2 and words[-1].group() in lexicon.offices():
            # "Charles Shapiro INL": a person and the office after the name
            out.append((words[-1].start(), words[-1].end(), "ORG"))
            pe = words[-2].end()
            words = words[:-1]
        if etype == "ORG":
            split = _office_and_person(text, words)
            if split is not None:
                office, person = split
                if office is not None:
                    out.append((*office, "ORG"))
                out.append((*person, "PER"))
                continue
        # "Russian FM Lavrov" is a Russian and Lavrov; "Colombian Army" is one organisation
        if etype == "PER" and len(words) > 1 and is_demonym(words[0].group()) \
                and words[1].group()[:1].isupper():
            first_end = words[0].end()
            out.append((ps, first_end, "MISC"))
            ps = words[1].start()
        if len(words) >= 2 and words[-1].group().casefold() in ("department", "province") \
                and not re.match(r"\s+of\b", text[pe:pe + 5]):
            # "Antioquia Department", "NORTE DE SANTANDER DEPARTMENT": the place
            pe = words[-2].end()
            words = words[:-1]
            etype = "LOC"
        cued = _cued_type(text, ps, pe) if len(words) <= 2 else None
        if etype != "PER" and 1 <= len(words) <= 3 and _after_title(text, ps) and all(
                _name_like_word(w.group()) for w in words):
            etype_here = "PER"       # "President Uribe": the model's ORG is a person
        elif cued is not None and etype != "MISC":
            etype_here = cued        # "oil company Repsol": not the model's PER
        else:
            etype_here = etype
        out.append((ps, pe, etype_here))
    return out


def repair_spans(text: str, spans: list[Span]) -> list[Span]:
    """:func:`repair_span` over the spans of one document, sorted, without duplicates and
    without a span that overlaps a longer one.

    Examples
    --------
    >>> t = "Meanwhile Uribe met Chavez; Correa."
    >>> [t[s:e] for s, e, _ in repair_spans(t, [(0, 15, "PER"), (20, 34, "PER")])]
    ['Uribe', 'Chavez', 'Correa']
    """
    found: set[Span] = set()
    for span in spans:
        found.update(repair_span(text, span))
    # one name per stretch of text: a span inside (or across) a longer one gives way
    # ("Venezuelan MFA" grown from the demonym covers the model's own "MFA")
    out: list[Span] = []
    for span in sorted(found, key=lambda x: (-(x[1] - x[0]), x[0], x[2])):
        if all(span[1] <= s or e <= span[0] for s, e, _ in out):
            out.append(span)
    return sorted(out)
