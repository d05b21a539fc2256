"""What is never an entity, whoever found it (an annotator, NER): classification markings,
header field names, reference labels, dates, pronouns, redaction markers, routing codes and
page-break lines, paragraph numbers, words that name nothing on their own (``Post``,
``Government``) and titles without a name (``DCM``, ``PolOff``).

One table of rules (:data:`NOT_ENTITY_RULES`) serves the NER span repair
(:mod:`graphbuild.extract.spans`) and resolution (:func:`graphbuild.resolve.resolve`); the
first rule that fires names the reason recorded with the dropped mention.
"""

from __future__ import annotations

import re

from graphbuild.core import lexicon as data
from graphbuild.core.titles import title_length

__all__ = ["not_entity_reason", "NOT_ENTITY_RULES", "is_marking", "is_header_field",
           "is_reference_label", "is_bare_date", "is_date", "is_pronoun", "is_redaction",
           "is_routing", "is_number", "is_generic", "is_title_only", "REDACTION",
           "is_initial", "is_stance", "is_ideology", "is_common_word",
           "strip_marking_prefix"]

_WS = re.compile(r"\s+")

_MARK_SPLIT = re.compile(r"\s*/{1,2}\s*|\s+|-")


def is_marking(text: str) -> bool:
    """A classification or handling marking (``S/NF``, ``SBU``, ``C``, ``NOFORN``...).

    Only surfaces without a lower-case letter qualify: ``Secret`` may be a name.

    >>> [is_marking(s) for s in ["S/NF", "SBU", "C", "TS//SCI", "SIPDIS", "Sbu", "FARC"]]
    [True, True, True, True, True, False, False]
    >>> is_marking("S/REL NATO"), is_marking("REL TO USA, GBR")
    (True, True)
    """
    if not text or any(c.islower() for c in text):
        return False
    tokens = [t for t in _MARK_SPLIT.split(text.strip("() ")) if t]
    if "REL" in tokens:             # "S/REL NATO", "REL TO USA, GBR": releasable to whom
        tokens = tokens[:tokens.index("REL")]
        return all(t in data.markings() for t in tokens)
    return bool(tokens) and all(t in data.markings() for t in tokens)


def is_header_field(text: str) -> bool:
    """A cable header field name (``DECL``, ``TAGS``, ``SUBJECT``, ``E.O.``...).

    >>> is_header_field("DECL"), is_header_field("Classified By"), is_header_field("Decla")
    (True, True, False)
    """
    return _WS.sub(" ", text).strip().casefold() in data.header_fields()


_REF_LABEL = re.compile(
    r"^(?:ref(?:tel)?s?|reference)(?:\s+[a-z](?:(?:\s*(?:,|and|&|-)\s*|\s+)[a-z])*)?$",
    re.IGNORECASE)


def is_reference_label(text: str) -> bool:
    """A reference to another cable (``Ref A``, ``REF B``, ``REFTEL``, ``Refs A and B``).

    >>> [is_reference_label(s) for s in ["Ref A", "REF B", "REFTEL", "Refs A and B", "Reform"]]
    [True, True, True, True, False]
    """
    return bool(_REF_LABEL.match(text.strip()))


_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
           "december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = re.compile(
    r"^(?:"
    r"\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}"                     # 08/10/2019, 2009-08-10
    r"|(?:1[0-9]|20)\d{2}s?"                                 # 1988, 1990s
    rf"|(?:{_MONTHS})\.?\s+{_DAY}(?:\s*[-–]\s*{_DAY})?(?:,?\s+\d{{4}})?"  # August 3, July 9-10
    rf"|{_DAY}\s+(?:{_MONTHS})\.?(?:,?\s+\d{{4}})?"          # 3 August 2009
    rf"|(?:{_MONTHS})\.?,?\s+\d{{4}}"                        # March 2009
    rf"|(?:{_WEEKDAYS})(?:,?\s+(?:{_MONTHS})\.?\s+{_DAY})?"  # Monday, Monday August 3
    r"|[A-Za-z]{3,9}\.?\s+\d{1,2},\s+(?:19|20)\d{2}"       # Septemer 17, 2004 (misspelt)
    r")$", re.IGNORECASE)


def is_bare_date(text: str) -> bool:
    """A date and nothing else (``08/10/2019``, ``August 3``, ``1988``, ``July 9-10``).

    A month name alone is *not* a date here: ``May`` and ``August`` are also names.

    >>> [is_bare_date(s) for s in ["08/10/2019", "August 3", "1988", "3 Aug 2009", "May"]]
    [True, True, True, True, False]
    """
    return bool(_DATE.match(text.strip()))


_RELATIVE_DATE = re.compile(
    r"^(?:today|yesterday|tomorrow|tonight|(?:this|last|next|that)\s+"
    r"(?:week|month|year|weekend|morning|evening|spring|summer|fall|autumn|winter))$",
    re.IGNORECASE)


def is_date(text: str) -> bool:
    """A bare date (:func:`is_bare_date`) or a relative one (``today``, ``last year``).

    >>> is_date("today"), is_date("last year"), is_date("Today Show")
    (True, True, False)
    """
    return is_bare_date(text) or bool(_RELATIVE_DATE.match(text.strip()))


_PRONOUNS = frozenset(["i", "me", "my", "mine", "we", "us", "our", "ours", "you", "your",
                       "yours", "he", "him", "his", "she", "her", "hers", "it", "its", "they",
                       "them", "their", "theirs"])


def is_pronoun(text: str) -> bool:
    """A personal or possessive pronoun (``we``, ``He``, ``our``); ``US`` in capitals is not.

    >>> is_pronoun("We"), is_pronoun("our"), is_pronoun("US"), is_pronoun("Hers Inc")
    (True, True, False, False)
    """
    t = text.strip()
    return t.casefold() in _PRONOUNS and not (len(t) > 1 and t.isupper())



#: a redaction marker: four or more x (WikiLeaks writes XXXXXXXXXXXX, older pages xxxx)
REDACTION = re.compile(r"(?<![A-Za-z])[Xx]{4,}(?![A-Za-z])")


def is_redaction(text: str) -> bool:
    """A redaction marker and nothing else (``XXXXXXXXXXXX``, ``xxxxxxxxxxx``, ``XXXX XXXX``).

    >>> is_redaction("XXXXXXXXXXXX"), is_redaction("xxxx xxxx"), is_redaction("Xerxes")
    (True, True, False)
    """
    rest = REDACTION.sub("", text)
    return rest != text and not any(c.isalnum() for c in rest)


_ROUTING_TOKEN = re.compile(
    r"^(?:R(?:UE|UC|HE|HM|UM|UL|HH|UF|HR)[A-Z]{2,5}(?:/\S*)?|VZCZC\w*|ZNY|ZNR|ZZH|ZFR|ZDK|"
    r"CCCCC|SSSSS|UUUUU|AMEMBASSY|AMCONSUL|SECSTATE|WASHDC|USMISSION|USDEL|#\d+(?:/\d+)?|"
    r"\d{6}Z|[A-Z]*/AMEMBASSY|[A-Z]*/AMCONSUL|[A-Z]*/SECSTATE)$")
#: a page break inside a cable's text: "CARACAS 00001208 002.2 OF 002", "PAGE 03 HARARE
#: 05461 01 OF 02 271458Z", "SECTION 02 OF 03"
_PAGE_BREAK = re.compile(r"(?:^|\s)\d{1,3}(?:\.\d)?\s+OF\s+\d{1,3}\b|^PAGE\s+\d+\b")


def is_routing(text: str) -> bool:
    """A routing indicator, an address of the routing block, a date-time group or a
    page-break line (``RUEHQT/AMEMBASSY QUITO``, ``ZNY CCCCC ZZH``, ``AMEMBASSY CARACAS``,
    ``102132Z AUG 09``, ``HARARE 05461 01 OF 02 271458Z``).

    >>> [is_routing(s) for s in ["RUEHQT/AMEMBASSY QUITO", "ZNY CCCCC ZZH P",
    ...                          "AMEMBASSY CARACAS", "HARARE 05461 01 OF 02 271458Z",
    ...                          "Embassy Caracas", "RUSSIA"]]
    [True, True, True, True, False, False]
    """
    tokens = text.split()
    if not tokens:
        return False
    if _PAGE_BREAK.search(text):
        return True
    return any(_ROUTING_TOKEN.match(t) for t in tokens) and text.upper() == text


_NUMBER = re.compile(r"^(?:¶\s*\d*|\d[\d.,:/()\-\s]*)(?:\s*:.*)?$|^\d+\s*:\s")
_LETTER_ITEM = re.compile(r"\(\s?[A-Za-z]\s?\)")


def is_number(text: str) -> bool:
    """A paragraph mark or number, with or without debris (``¶6``, ``¶``, ``6.``,
    ``1.4 (B)``, ``81957: REPORT``).

    >>> [is_number(s) for s in ["¶6", "¶", "6.", "1.4 (B)", "81957: REPORT", "G-3", "1737"]]
    [True, True, True, True, True, False, True]
    """
    t = _LETTER_ITEM.sub("", text).strip()      # "1.4 (B)": a reason code
    return bool(_NUMBER.match(t)) or not any(c.isalpha() for c in t)


def is_generic(text: str) -> bool:
    """A word that names no particular entity on its own (``Post``, ``Government``,
    ``Interior``: :func:`graphbuild.core.lexicon.generic_words`).

    >>> is_generic("the Embassy"), is_generic("Post"), is_generic("Supreme Court")
    (True, True, False)
    """
    t = _WS.sub(" ", text).strip()
    if t[:4].casefold() == "the ":
        t = t[4:]
    return t.casefold() in data.generic_words()


#: titles that are also the names of organisations: ``DAS`` is Colombia's security agency
#: as often as a Deputy Assistant Secretary, ``NSA`` an agency as often as an adviser
_TITLES_THAT_NAME = frozenset(["das", "nsa"])


def is_title_only(text: str) -> bool:
    """A title or role without a name (``DCM``, ``PolOff``, ``Deputy Foreign Minister``).

    >>> is_title_only("DCM"), is_title_only("Deputy Foreign Minister"), is_title_only("FM Lavrov")
    (True, True, False)
    >>> is_title_only("DAS")
    False
    """
    tokens = text.split()
    if len(tokens) == 1 and tokens[0].casefold() in _TITLES_THAT_NAME:
        return False
    return bool(tokens) and title_length(tokens) == len(tokens)


_INITIAL = re.compile(r"^(?:[A-Za-z]\.|[A-Z])$")


def is_initial(text: str) -> bool:
    """An initial cut from a name (``B.`` of William B. Wood) or a capital letter alone (a
    list item, ``Para B``).

    >>> is_initial("B."), is_initial("A"), is_initial("UN"), is_initial("b")
    (True, True, False, False)
    """
    return bool(_INITIAL.match(text.strip()))


_STANCE = re.compile(r"^(?:anti|pro|ex|post|pre|non)-\S", re.I)


def is_stance(text: str) -> bool:
    """A stance or period adjective built on a name (``anti-Uribe``, ``pro-U.S.``): about
    the entity, not the entity.

    >>> is_stance("anti-Uribe"), is_stance("Pro-Chavez"), is_stance("Prosecutor")
    (True, True, False)
    """
    return bool(_STANCE.match(text.strip()))


_IDEOLOGY = re.compile(r"^[A-Z][a-z]+(?:istas|istes|ismo|ianism|ism)$")
_FOLLOWER = re.compile(r"^([A-Z][a-z]+)ista$")


def is_ideology(text: str) -> bool:
    """A person-derived group label or ideology in one word (``Uribista``, ``Chavistas``,
    ``Bolivarianism``), not a named actor.

    >>> is_ideology("Uribista"), is_ideology("Chavistas"), is_ideology("Bolivarianism")
    (True, True, True)
    >>> is_ideology("Batista"), is_ideology("Chavez")     # a surname, a name
    (False, False)
    """
    t = text.strip()
    if _IDEOLOGY.match(t):
        return True
    m = _FOLLOWER.match(t)      # "Uribista" follows Uribe, "Chavista" Chavez; not "Batista"
    if m is None:
        return False
    table = data.truecase_table()
    stem = m.group(1).casefold()
    return any((form := table.get(stem + end)) is not None and form[:1].isupper()
               for end in ("e", "ez", "o"))


def is_common_word(text: str) -> bool:
    """Lower-case English words and nothing else (``hardball``, ``manager``, ``the
    ministry``): a name has a capital somewhere.

    >>> is_common_word("hardball"), is_common_word("the ministry"), is_common_word("iPhone")
    (True, True, False)
    """
    words = text.split()
    return len(text) > 2 and bool(words) and all(
        w.islower() and len(w) > 1 and w.strip(".,'") in data.english_words() for w in words)


_MARK_PREFIX = re.compile(r"^\(?\s?([A-Z]{1,4}(?:/{1,2}[A-Z]{1,5}){0,3})\s?\)\s+")


def strip_marking_prefix(text: str) -> str:
    """``text`` without a portion marking in front (``C) Restrepo``, ``(S/NF) Uribe``).

    >>> strip_marking_prefix("C) Restrepo"), strip_marking_prefix("(S/NF) Uribe")
    ('Restrepo', 'Uribe')
    >>> strip_marking_prefix("FARC) members")
    'FARC) members'
    """
    m = _MARK_PREFIX.match(text)
    if m and is_marking(m.group(1)):
        return text[m.end():]
    return text


#: the not-entity rules, in the order they are tried; the first that fires names the reason
NOT_ENTITY_RULES = (("marking", is_marking), ("header-field", is_header_field),
                    ("reference-label", is_reference_label), ("date", is_date),
                    ("pronoun", is_pronoun), ("redaction", is_redaction),
                    ("routing", is_routing), ("number", is_number), ("initial", is_initial),
                    ("stance", is_stance), ("ideology", is_ideology),
                    ("common-word", is_common_word),
                    ("generic", is_generic), ("title", is_title_only))


def not_entity_reason(text: str) -> str | None:
    """Why a cleaned surface is not an entity, or ``None`` when it may be one.

    >>> [not_entity_reason(s) for s in ["S/NF", "DECL", "Ref A", "08/10/2019", "Uribe", ""]]
    ['marking', 'header-field', 'reference-label', 'date', None, 'empty-after-cleanup']
    >>> [not_entity_reason(s) for s in ["XXXXXXXXXXXX", "RUEHQT/AMEMBASSY QUITO", "¶6",
    ...                                 "Post", "DCM", "Embassy Quito"]]
    ['redaction', 'routing', 'number', 'generic', 'title', None]
    """
    if not text:
        return "empty-after-cleanup"
    for reason, rule in NOT_ENTITY_RULES:
        if rule(text):
            return reason
    return None
