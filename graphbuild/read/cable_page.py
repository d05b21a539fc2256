"""What a cable says about itself: reference id, preamble fields, signer.

Works on the *clean* text of a cable (from a WikiLeaks page or a plain-text extract):

- :func:`canonical_ref_id` checks reference ids against ``^\\d{2}[A-Z]+\\d+$`` and repairs
  the section-number debris some ids carry (``09SECTION01OF03SANJOSE525`` ->
  ``09SANJOSE525``, ``08ECTION01OF02MANAMA492`` -> ``08MANAMA492``);
- :func:`parse_preamble` reads ``TAGS:`` (possibly wrapped over lines), ``SUBJECT:``,
  ``REF:``, ``Classified By:`` and ``E.O. 12958: DECL:`` from the header, the classification
  from the first line and the signer from the last;
- :func:`normalise_created` turns the dates cables use into ISO ``YYYY-MM-DD HH:MM``.
"""

from __future__ import annotations

import re

from graphbuild.read.routing import parse_classifier, parse_routing

_VALID_REF = re.compile(r"^\d{2}[A-Z]+\d+$")
_SPACES = re.compile(r"\s+")
# "SECTION 01 OF 03" glued into the id, with the OCR/typing damage seen in the corpus
# (ECTION, SCTION, GF for OF)
_SECTION_REF = re.compile(r"^(\d{2})[A-Z]{0,2}CTION\d{1,2}[A-Z]{1,2}\d{1,2}([A-Z]+\d+)$")

# field names are often glued to the previous word in the export ("08/16/2015TAGS:"), so
# they are bounded by "no letter before", not by \b
_NL = r"(?<![A-Za-z])"
_FIELD_STOP = (r"(?=\n[ \t]*\n|" + _NL + r"(?:SUBJECT|SUBJ|REF|REFS|REFTEL|TAGS)\s*:|"
               + _NL + r"E\.\s?O\.\s*\d+|" + _NL + r"CLASSIFIED\s+BY\b|" + _NL
               + r"Classified\s+By\b|¶\s*\d|\Z)")
_TAGS = re.compile(_NL + r"TAGS\s*(?::|(?=\s+[A-Z]{2,}\b))\s*(.*?)" + _FIELD_STOP, re.S)
_SUBJECT = re.compile(_NL + r"(?:SUBJECT|SUBJ)\s*:\s*(.*?)" + _FIELD_STOP, re.S | re.I)
_REF = re.compile(_NL + r"(?:REF|REFS|REFTEL)\s*:\s*(.*?)" + _FIELD_STOP, re.S)
_CLASSIFIED_BY = re.compile(_NL + r"Classified\s+By\s*:?\s*(.*?)" + _FIELD_STOP, re.S | re.I)
# The same four fields, found faster (same matches: tests/test_parse_speed_equivalence.py).
# A field regex above is PREFIX (.*?) (?=STOP) and STOP can always match (at \Z), so its
# match is the first match of PREFIX followed by the text up to the first place where STOP
# matches: two plain searches (:func:`_field`) instead of a lookahead tried at every
# character. The patterns are written so the regex engine can skip ahead to a possible
# first character: the first letter comes before the "no letter before" lookbehind (which
# then looks back over it), and where the original is case-insensitive the first letter is
# the class of every character re.IGNORECASE matches it with (S also matches U+017F 'ſ'),
# the rest an inline (?i:...) group.
_NL1 = r"(?<![A-Za-z].)"                  # _NL, after the first character of a name
_NL1_I = r"(?<!(?i:[A-Za-z]).)"
_STOP = re.compile(
    r"(?=[\nSRTEC¶])(?:\n[ \t]*\n|S" + _NL1 + r"UBJ(?:ECT)?\s*:|R" + _NL1
    + r"EF(?:S|TEL)?\s*:|T" + _NL1 + r"AGS\s*:|E" + _NL1 + r"\.\s?O\.\s*\d+|C" + _NL1
    + r"LASSIFIED\s+BY\b|C" + _NL1 + r"lassified\s+By\b|¶\s*\d)", re.S)
_STOP_I = re.compile(       # _STOP as re.IGNORECASE reads it
    r"(?=[\nSs\u017fRrTtEeCc¶])(?:\n[ \t]*\n|[Ss\u017f]" + _NL1_I + r"(?i:UBJ(?:ECT)?)\s*:"
    r"|[Rr]" + _NL1_I + r"(?i:EF(?:S|TEL)?)\s*:|[Tt]" + _NL1_I + r"(?i:AGS)\s*:|[Ee]"
    + _NL1_I + r"\.\s?[Oo]\.\s*\d+|[Cc]" + _NL1_I + r"(?i:LASSIFIED)\s+(?i:BY)\b|¶\s*\d)",
    re.S)
_TAGS_AT = re.compile(r"T" + _NL1 + r"AGS\s*(?::|(?=\s+[A-Z]{2,}\b))\s*", re.S)
_SUBJECT_AT = re.compile(r"[Ss\u017f]" + _NL1_I + r"(?i:UBJECT|UBJ)\s*:\s*", re.S)
_REF_AT = re.compile(r"R" + _NL1 + r"(?:EF|EFS|EFTEL)\s*:\s*", re.S)
_CLASSIFIED_BY_AT = re.compile(r"[Cc]" + _NL1_I + r"(?i:lassified)\s+(?i:By)\s*:?\s*", re.S)
_DECL = re.compile(_NL + r"E\.\s?O\.\s*\d+\s*:\s*(?:DECL\s*:\s*)?"
                   r"([0-9/]+|N/A|DECLASSIFIED[^\n]*)", re.I)
_TAG_TOKEN = re.compile(r"^[A-Z][A-Z0-9_\-]*$")
# a wrapped continuation line of TAGS holds only short codes (KDEM, PHUMBA)
_TAG_CONT = re.compile(r"^[A-Z][A-Z0-9_]{0,5}$")
_CLASSIFICATIONS = (
    ("S E C R E T", "SECRET"), ("C O N F I D E N T I A L", "CONFIDENTIAL"),
    ("UNCLASSIFIED", "UNCLASSIFIED"), ("UNCLAS", "UNCLASSIFIED"), ("CONFIDENTIAL", "CONFIDENTIAL"),
    ("SECRET", "SECRET"),
)
_FROM = re.compile(r"^FM\s+AMEMBASSY\s+([A-Z][A-Z .'\-]+?)\s*$", re.M)
_SIGNER_LINE = re.compile(r"^[ \t]*([A-Z][A-Za-z'\-]+(?:[ \t]+[A-Z][A-Za-z'\-]+){0,2})[ \t]*$")
_SIGNER_TAIL = re.compile(r"[.)]\s+([A-Z][A-Za-z'\-]{2,})\s*$")
_PREAMBLE_WINDOW = 6000


def canonical_ref_id(raw: str) -> tuple[str, str | None]:
    """``(canonical id, problem)``; problem is ``None``, ``"repaired"`` or ``"malformed"``.

    >>> canonical_ref_id("09SECTION01OF03SANJOSE525")
    ('09SANJOSE525', 'repaired')
    >>> canonical_ref_id("08ECTION01OF02MANAMA492")
    ('08MANAMA492', 'repaired')
    >>> canonical_ref_id(" 04caracas3025 "), canonical_ref_id("2004CARACA03025")
    (('04CARACAS3025', None), ('2004CARACA03025', 'malformed'))
    """
    ref = _SPACES.sub("", raw).upper()
    if _VALID_REF.match(ref):
        return ref, None
    m = _SECTION_REF.match(ref)
    if m:
        return m.group(1) + m.group(2), "repaired"
    return ref, "malformed"


def _one_line(value: str) -> str:
    return " ".join(value.split()).strip(" .;,")


def parse_preamble(text: str) -> dict[str, str]:
    """Header fields of a cable's clean text (keys present only when found).

    Keys: ``tags`` (space-separated), ``subject``, ``ref``, ``classified_by`` (the field) with
    ``classifier`` and ``classifier_office`` (its person and office), ``decl``,
    ``classification`` (from the first line), ``origin`` (``FM AMEMBASSY X``), ``signer``, and
    the routing block's ``precedence``, ``sent``, ``sent_from``, ``sent_to``, ``sent_info``
    (:func:`graphbuild.read.routing.parse_routing`).

    >>> p = parse_preamble("CONFIDENTIAL CARACAS 003025\\n\\nE.O. 12958: DECL: 05/25/2014 "
    ...                    "TAGS: PREL PHUM\\nKWMN VE\\n\\nSUBJECT: MFA RESPONDS TO\\nTIP\\n\\n"
    ...                    "¶1. Text.\\nBrownfield")
    >>> p["tags"], p["subject"], p["decl"], p["classification"], p["signer"]
    ('PREL PHUM KWMN VE', 'MFA RESPONDS TO TIP', '05/25/2014', 'CONFIDENTIAL', 'Brownfield')
    """
    head = text[:_PREAMBLE_WINDOW]
    out: dict[str, str] = {}
    value = _field(_TAGS_AT, _STOP, head)          # _TAGS.search(head).group(1)
    if value is not None:
        tags = _tag_tokens(value)
        if tags:
            out["tags"] = " ".join(tags)
    for key, prefix, stop in (("subject", _SUBJECT_AT, _STOP_I), ("ref", _REF_AT, _STOP),
                              ("classified_by", _CLASSIFIED_BY_AT, _STOP_I)):
        value = _field(prefix, stop, head)         # _SUBJECT, _REF, _CLASSIFIED_BY
        if value is not None and _one_line(value):
            out[key] = _one_line(value)
    m = _DECL.search(head)
    if m:
        out["decl"] = m.group(1).strip()
    first = _first_line(head)
    for needle, name in _CLASSIFICATIONS:
        if first.upper().startswith(needle):
            out["classification"] = name
            break
    # most cables have no 'FM AMEMBASSY' line: look for the pattern only from the first
    # 'FM' (its match starts there), not at every offset of the header
    fm = head.find("FM")
    m = _FROM.search(head, fm) if fm != -1 else None
    if m:
        out["origin"] = "Embassy " + m.group(1).title()
    signer = find_signer(text)
    if signer:
        out["signer"] = signer
    out.update(parse_routing(head))
    if "classified_by" in out:
        name, office = parse_classifier(out["classified_by"])
        if name:
            out["classifier"] = name
        if office:
            out["classifier_office"] = office
    return out


def _field(prefix: re.Pattern, stop: re.Pattern, head: str) -> str | None:
    """What ``PREFIX(.*?)(?=STOP|\\Z)`` captures in ``head`` (``None``: no match), from
    the first match of ``prefix`` to the first match of ``stop`` after it (or the end).

    >>> _field(_SUBJECT_AT, _STOP_I, "x\\nSubject: A B\\nREF: C"), _field(_REF_AT, _STOP, "x")
    ('A B\\n', None)
    """
    m = prefix.search(head)
    if m is None:
        return None
    start = m.end()
    # (a lookbehind of ``stop`` sees the text before ``start``, as in the one regex)
    end = stop.search(head, start)
    return head[start:end.start() if end is not None else len(head)]


def _first_line(head: str) -> str:
    """The first non-blank line of ``head`` that does not open a partial extract, stripped
    (``""`` when none), from a growing prefix rather than all lines of the header: every
    line of a prefix but its last (maybe cut) one is a line of ``head`` too.

    >>> _first_line("\\n  \\nThis record is a partial extract\\n  UNCLAS X \\nY"), _first_line(" ")
    ('UNCLAS X', '')
    """
    size = 512
    while size < len(head):
        lines = head[:size].splitlines()
        for ln in lines[:-1]:
            if ln.strip() and not ln.startswith("This record is a partial extract"):
                return ln.strip()
        size *= 4
    return next((ln.strip() for ln in head.splitlines() if ln.strip()
                 and not ln.startswith("This record is a partial extract")), "")


def _tag_tokens(value: str) -> list[str]:
    """Tags of a TAGS field: codes on its first line (up to the first word that is not a
    code), then wrapped lines made only of short codes.

    >>> _tag_tokens("PGOV, PREL\\nKDEM\\nPOLITICAL PARTIES")
    ['PGOV', 'PREL', 'KDEM']
    """
    tags: list[str] = []
    for i, line in enumerate(value.split("\n")):
        tokens = [t.strip(",;.") for t in line.split()]
        tokens = [t for t in tokens if t]
        if i == 0:
            for t in tokens:
                if not _TAG_TOKEN.match(t):
                    return tags
                tags.append(t)
        elif tokens and all(_TAG_CONT.match(t) for t in tokens):
            tags.extend(tokens)
        else:
            break
    return tags


#: lines after the signature in an export: the page's end marker, a classification banner,
#: the end-of-message marks
AFTER_SIGNATURE = re.compile(
    r"(?:\n[ \t]*(?:>|=+\s*CABLE ENDS\s*=+|NNNN|BT|#\d+|(?:S E C R E T|C O N F I D E N T I A L|"
    r"UNCLASSIFIED|UNCLAS|CONFIDENTIAL|SECRET|SENSITIVE|NOFORN|LIMITED OFFICIAL USE|"
    r"FOR OFFICIAL USE ONLY)(?:\s*//\s*[A-Z]+)*)?[ \t]*)+\s*$")
_SIGNER_WINDOW = 2000


def find_signer(text: str) -> str | None:
    """The name that closes a cable (``CLINTON``, ``Brownfield``), if any.

    >>> find_signer("...the United Nations. Brownfield\\n\\nNNNN\\n\\n2004CARACA03025 - CONF")
    'Brownfield'
    >>> find_signer("¶5. (C) The end.\\n\\nCLINTON\\n")
    'CLINTON'
    >>> find_signer("OFFICE.\\nMCDONALD\\n CONFIDENTIAL\\n>")
    'MCDONALD'
    >>> find_signer("STAFF. \\n \\n \\nPATTERSON \\n\\n \\n> \\n\\n=====CABLE ENDS=====\\n")
    'PATTERSON'
    """
    body = text
    nnnn = body.rfind("\nNNNN")
    if nnnn != -1:
        body = body[:nnnn]
    # the end markers are looked for in the tail only: the text may be long
    tail_start = max(0, len(body) - _SIGNER_WINDOW)
    tail = AFTER_SIGNATURE.sub("", "\n" + body[tail_start:])[1:]
    body = (body[:tail_start] + tail).rstrip()
    if not body:
        return None
    last = _last_line(body)
    # another non-blank line exists when anything but blanks precedes the last line
    # (line breaks are blanks)
    before = body[:len(body) - len(last)]
    m = _SIGNER_LINE.match(last)
    if (m and before and not before.isspace() and len(last.strip()) <= 40
            and not last.strip().isdigit() and not _is_banner(last)):
        return m.group(1)
    m = _SIGNER_TAIL.search(last)
    return m.group(1) if m else None


def _is_banner(line: str) -> bool:
    """A classification word standing alone (not a name)."""
    return line.strip().upper() in ("CONFIDENTIAL", "SECRET", "UNCLASSIFIED", "UNCLAS",
                                    "SENSITIVE", "NOFORN", "SIPDIS")


def _last_line(text: str) -> str:
    """``text.splitlines()[-1]`` without splitting the whole text: the last line lies after
    the last line break, so a tail holding a line break has the same last line.

    >>> _last_line("a\\nb\\r\\nlast"), _last_line("x" * 300 + "\\ny" * 2)
    ('last', 'y')
    """
    size = 256
    while size < len(text):
        lines = text[-size:].splitlines()
        if len(lines) > 1:
            return lines[-1]
        size *= 4
    return text.splitlines()[-1]


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2}))?")
_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2}):(\d{2}))?")


def normalise_created(value: str | None) -> str | None:
    """ISO ``YYYY-MM-DD HH:MM`` (or ``YYYY-MM-DD`` without a time), ``None`` if unreadable.

    >>> normalise_created("2009-06-25 18:06"), normalise_created("4/11/2002 20:44")
    ('2009-06-25 18:06', '2002-04-11 20:44')
    """
    if not value:
        return None
    value = value.strip()
    m = _ISO.match(value)
    if m:
        y, mo, d, h, mi = m.groups()
    else:
        m = _US.match(value)
        if not m:
            return None
        mo, d, y, h, mi = m.groups()
    date = f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"
    return f"{date} {int(h):02d}:{mi}" if h is not None else date
