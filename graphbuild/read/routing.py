"""The structure of a cable around its text: the routing block (precedence, date-time
group, from, to and info addressees), the references a ``REF:`` line cites and the
``Classified By:`` line's person and office.

All of it is document metadata, never text for NER: :func:`parse_routing`,
:func:`parse_references` and :func:`parse_classifier` read the clean text of a cable (or a
field of it) and return plain values, which :func:`graphbuild.read.cable_page.parse_preamble`
puts in the document's ``meta``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from graphbuild.core import lexicon

__all__ = ["parse_routing", "parse_references", "parse_classifier", "address_name",
           "dtg_to_iso"]

#: the letter of a precedence (the date-time group line, "O 031923Z MAR 08")
PRECEDENCE = {"Z": "FLASH", "O": "IMMEDIATE", "P": "PRIORITY", "R": "ROUTINE"}
_MONTHS = {m: i for i, m in enumerate(
    ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], start=1)}

_DTG_LINE = re.compile(
    r"^[ \t]*(?:([ZOPR])\1?[ \t]+)?(\d{2})(\d{2})(\d{2})Z[ \t]+([A-Z]{3})[ \t]+(\d{2,4})[ \t]*$",
    re.M)
#: the FROM line: an address in capitals ("FM Lavrov said" in a text is the minister)
_FM_LINE = re.compile(r"^[ \t]*FM[ \t]+([^a-z\n]*?[A-Z][^a-z\n]*?)[ \t]*$", re.M)
_ADDRESS_LINE = re.compile(r"^[ \t]*(TO|INFO)[ \t]+(\S.*?)[ \t]*$")
#: where the routing block ends: a blank line, the export's "id:" table, a classification
#: banner, the end of the header
_BLOCK_END = re.compile(r"^[ \t]*(?:$|id:|BT\b|header ends|-{5,}|S E C R E T|"
                        r"C O N F I D E N T I A L|UNCLAS|E\.\s?O\.)")
_INDICATOR = re.compile(r"^[A-Z]{4,8}/")
_TRAILER = re.compile(r"(?:\s+(?:NIACT\s+)?(?:IMMEDIATE|PRIORITY|ROUTINE|FLASH))?"
                      r"(?:\s+\d+(?:\s*-\s*\d+)?)?$", re.I)
_ROUTING_WINDOW = 4000


def dtg_to_iso(day: str, hour: str, minute: str, month: str, year: str) -> str | None:
    """The ISO form of a date-time group's parts (``03 19 23 MAR 08`` -> ``2008-03-03 19:23``).

    >>> dtg_to_iso("03", "19", "23", "MAR", "08"), dtg_to_iso("31", "00", "00", "XYZ", "08")
    ('2008-03-03 19:23', None)
    """
    mon = _MONTHS.get(month.upper())
    if mon is None or not 1 <= int(day) <= 31 or int(hour) > 23 or int(minute) > 59:
        return None
    y = int(year)
    if y < 100:
        y += 1900 if y >= 66 else 2000
    return f"{y:04d}-{mon:02d}-{int(day):02d} {int(hour):02d}:{minute}"


def address_name(address: str) -> str:
    """The readable name of a routing address (``RUEHC/SECSTATE WASHDC IMMEDIATE 0711`` ->
    ``Secretary of State``, ``AMEMBASSY MADRID`` -> ``Embassy Madrid``).

    >>> [address_name(a) for a in ["RUEHC/SECSTATE WASHDC IMMEDIATE 0711", "AMEMBASSY MADRID",
    ...                            "AMCONSUL SAO PAULO PRIORITY", "NSC WASHDC",
    ...                            "AMEMBASSY ANKARA IMMEDIATE 7721-7722"]]
    ['Secretary of State', 'Embassy Madrid', 'Consulate Sao Paulo', 'NSC WASHDC', \
'Embassy Ankara']
    """
    a = _INDICATOR.sub("", address.strip())
    a = _TRAILER.sub("", a).strip()
    for prefix, name in (("AMEMBASSY ", "Embassy "), ("AMCONSUL ", "Consulate "),
                         ("USMISSION ", "Mission ")):
        if a.startswith(prefix):
            return name + a[len(prefix):].title()
    if a in ("SECSTATE WASHDC", "SECSTATE WASHINGTON DC", "SECSTATE"):
        return "Secretary of State"
    return a


def parse_routing(head: str) -> dict[str, str]:
    """The routing block of a cable's header: ``precedence``, ``sent`` (the date-time group,
    ISO, UTC), ``sent_from``, ``sent_to`` and ``sent_info`` (addressees, ``; ``-separated,
    readable names). Keys only where found.

    >>> r = parse_routing("VZCZCXYZ0023\\nOO RUEHWEB\\n\\nDE RUEHCV #0283/01 0631923\\n"
    ...                   "ZNY SSSSS ZZH\\nO 031923Z MAR 08\\nFM AMEMBASSY CARACAS\\n"
    ...                   "TO RUEHC/SECSTATE WASHDC IMMEDIATE 0711\\n"
    ...                   "INFO RUCNMEM/EU MEMBER STATES COLLECTIVE PRIORITY\\n"
    ...                   "RHEHNSC/NSC WASHDC PRIORITY\\n\\nid: 144028")
    >>> r["precedence"], r["sent"], r["sent_from"], r["sent_to"], r["sent_info"]
    ('IMMEDIATE', '2008-03-03 19:23', 'Embassy Caracas', 'Secretary of State', \
'EU MEMBER STATES COLLECTIVE; NSC WASHDC')
    """
    head = head[:_ROUTING_WINDOW]
    out: dict[str, str] = {}
    fm = _FM_LINE.search(head)
    if fm is None:
        return out
    dtg = None
    for m in _DTG_LINE.finditer(head, 0, fm.start()):
        dtg = m
    if dtg is not None:
        letter, day, hour, minute, month, year = dtg.groups()
        when = dtg_to_iso(day, hour, minute, month, year)
        if when:
            out["sent"] = when
        if letter:
            out["precedence"] = PRECEDENCE[letter]
    out["sent_from"] = address_name(fm.group(1))
    groups: dict[str, list[str]] = {"TO": [], "INFO": []}
    current = None
    for line in head[fm.end():].lstrip("\r\n").splitlines():
        m = _ADDRESS_LINE.match(line)
        if m:
            current = m.group(1)
            address = m.group(2)
        elif current and not _BLOCK_END.match(line):
            address = line.strip()
        else:
            break
        if current == "TO" and "precedence" not in out:
            word = re.search(r"\b(FLASH|IMMEDIATE|PRIORITY|ROUTINE)\b", address)
            if word:
                out["precedence"] = word.group(1)
        name = address_name(address)
        if name and name not in groups[current]:
            groups[current].append(name)
    if groups["TO"]:
        out["sent_to"] = "; ".join(groups["TO"])
    if groups["INFO"]:
        out["sent_info"] = "; ".join(groups["INFO"])
    return out


#: a cited cable: optional two-digit year, a post of one to three words, the number
_CITED = re.compile(r"(?<![A-Z0-9])(?:(?:19|20)?(\d{2})\s*)?"
                    r"((?:[A-Z][A-Z'\-]+\s+){0,2}[A-Z][A-Z'\-]+)\s*0*(\d{1,6})(?![\d/])")
#: where the REF field stops holding references: a page break or a classification banner
_REF_END = re.compile(r"\b(?:CONFIDENTIAL|SECRET|UNCLAS\w*|PAGE\s+\d+|SECTION\s+\d+|"
                      r"\d+\s+OF\s+\d+)\b")
_NOT_POST = frozenset(["PAGE", "SECTION", "OF", "AND", "OR", "REF", "REFS", "REFTEL", "PARA",
                       "PARAS", "PARAGRAPH", "NO", "NR", "NUMBER", "THE", "A", "B", "C", "D", "E",
                       "F", "G", "H", "I", "J", "K", "L", "AS", "IN", "TO", "E.O", "EO", "DECL",
                       "TAGS", "CABLE", "MSG", "DTG", "FOR", "WITH", "EMAIL", "MEMO", "LETTER",
                       "REPORT", "NOTAL", "JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE",
                       "JULY", "AUGUST", "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER", "JAN",
                       "FEB", "MAR", "APR", "JUN", "JUL", "AUG", "SEP", "SEPT", "OCT", "NOV",
                       "DEC"])


def parse_references(field: str, citing_ref_id: str | None = None) -> list[str]:
    """The cable ids a ``REF:`` field cites, canonical (``08CARACAS283``), in order.

    A reference without a year (``BOGOTA 3101``) takes the citing cable's year; the cable
    itself is not among its references.

    >>> parse_references("A. 08 CARACAS 283 B. BOGOTA 003101 C. STATE 12345", "08BOGOTA999")
    ['08CARACAS283', '08BOGOTA3101', '08STATE12345']
    >>> parse_references("HARARE 5346 CONFIDENTIAL PAGE 02 HARARE 05461 01 OF 02", "00HARARE5461")
    ['00HARARE5346']
    >>> parse_references("09SANJOSE525, 09 SAN JOSE 526"), parse_references("Ref A", "08X1")
    (['09SANJOSE525', '09SANJOSE526'], [])
    """
    end = _REF_END.search(field)
    if end:
        field = field[:end.start()]
    year = citing_ref_id[:2] if citing_ref_id and citing_ref_id[:2].isdigit() else None
    out: list[str] = []
    for m in _CITED.finditer(field):
        y, post, number = m.groups()
        words = [w for w in post.split() if w not in _NOT_POST]
        if not words or words != post.split()[len(post.split()) - len(words):]:
            continue
        y = y or year
        if y is None:
            continue
        ref = f"{y}{''.join(words)}{int(number)}"
        if ref not in out and ref != citing_ref_id:
            out.append(ref)
    return out


_REASONS = re.compile(r"[\s.,;:(]*(?:\b(?:for|per)\s+)?\breasons?\b.*$|[\s.,;:(]*\b(?:E\.?\s?O\.?|"
                      r"1\.[45]|per)\b.*$", re.I | re.S)
_SUFFIX = re.compile(r"^(?:Jr|Sr|II|III|IV)\.?$", re.I)


@lru_cache(maxsize=1)
def _title_words() -> frozenset[str]:
    return frozenset(w for title in lexicon.titles() for w in title)


def _is_title_word(token: str) -> bool:
    """A word of a title or an office symbol (``Counselor``, ``A/DCM``, ``POL-MIL/EXTERNAL``)."""
    t = token.strip(".,;:").casefold()
    return t in _title_words() or "/" in t


def _split_name(tokens: list[str]) -> tuple[list[str], list[str]]:
    """``(office, name)``: the name is what follows the last title word."""
    last = max((i for i, t in enumerate(tokens) if _is_title_word(t)), default=-1)
    if last == len(tokens) - 1:          # ends with a title: no name
        return tokens, []
    return tokens[:last + 1], tokens[last + 1:]


def parse_classifier(field: str) -> tuple[str, str]:
    """``(name, office)`` of a ``Classified By:`` field (either may be ``""``).

    >>> parse_classifier("Robert Downes, Political Counselor, for Reasons 1.4(b) and (d)")
    ('Robert Downes', 'Political Counselor')
    >>> parse_classifier("AMBASSADOR ANNE W. PATTERSON.  REASON: 1.5 (B) AND (D)")
    ('ANNE W. PATTERSON', 'AMBASSADOR')
    >>> parse_classifier("DEPUTY CHIEF OF MISSION PHILIP CHICOLA. REASONS: 1.4 (B) (D)")
    ('PHILIP CHICOLA', 'DEPUTY CHIEF OF MISSION')
    >>> parse_classifier("Charge Robert O. Blake, Jr., for Reasons 1.4 (B, D)")
    ('Robert O. Blake, Jr.', 'Charge')
    >>> parse_classifier("ADCM David E. Henifin per 1.4 (d)")
    ('David E. Henifin', 'ADCM')
    """
    text = " ".join(_REASONS.sub("", field).split()).strip(" .,;:")
    parts = [p.strip(" .;") if not _SUFFIX.match(p.strip()) else p.strip(" ;")
             for p in text.split(",")]
    head = parts[0].split()
    rest = [p for p in parts[1:] if p]
    if rest and _SUFFIX.match(rest[0]):      # "Blake, Jr."
        suffix = rest.pop(0)
        office, name = _split_name(head)
        return " ".join(name) + ", " + suffix.rstrip(".,") + ".", ", ".join(
            [" ".join(office)] + rest).strip(", ").rstrip(".")
    office, name = _split_name(head)
    if not name:
        return "", ", ".join([" ".join(head)] + rest)
    return " ".join(name), ", ".join(([" ".join(office)] if office else []) + rest)
