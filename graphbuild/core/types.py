"""Entity types: the four of the CoNLL-2003 scheme, and the one table that maps foreign
labels (spaCy/OntoNotes, re3d, CoNLL variants) to them.

Every reader, the NER stage, resolution, the CLI and the exporters take the types from
here, so the same label means the same type whichever way a mention came in.
"""

from __future__ import annotations

#: the four entity types of the CoNLL-2003 scheme used throughout graphbuild
ENTITY_TYPES = ("PER", "LOC", "ORG", "MISC")
#: the order that breaks a tie in the type vote (a name seen as often as a person and as a
#: place is more likely a person in diplomatic text)
TYPE_ORDER = ("PER", "ORG", "LOC", "MISC")

#: foreign label (upper-cased) -> entity type; labels not here are not entities (dates,
#: numbers, money...) and are dropped with a notice by the readers
LABEL_MAP: dict[str, str] = {
    # CoNLL-2003 itself
    "PER": "PER", "LOC": "LOC", "ORG": "ORG", "MISC": "MISC",
    # spaCy / OntoNotes 5
    "PERSON": "PER", "GPE": "LOC", "FAC": "LOC", "NORP": "MISC", "EVENT": "MISC",
    "LAW": "MISC", "PRODUCT": "MISC", "WORK_OF_ART": "MISC", "LANGUAGE": "MISC",
    # re3d (Dstl) and other common spellings
    "ORGANISATION": "ORG", "ORGANIZATION": "ORG", "LOCATION": "LOC", "NATIONALITY": "MISC",
}


def map_label(label: str) -> str | None:
    """The entity type for a foreign label, or ``None`` when it is not an entity type.

    >>> map_label("GPE"), map_label("Person"), map_label("DATE"), map_label("B-ORG")
    ('LOC', 'PER', None, None)
    """
    return LABEL_MAP.get(label.strip().upper())


def parse_types(text: str | None) -> list[str] | None:
    """The types of a comma-separated list such as ``"per, ORG"`` (``None`` for none).

    Raises ``ValueError`` naming the unknown ones.

    >>> parse_types("per, ORG"), parse_types("")
    (['PER', 'ORG'], None)
    """
    if not text:
        return None
    wanted = [t.strip().upper() for t in text.split(",") if t.strip()]
    bad = [t for t in wanted if t not in ENTITY_TYPES]
    if bad:
        raise ValueError(f"unknown type(s) {', '.join(bad)}; choose from "
                         f"{', '.join(ENTITY_TYPES)}")
    return wanted or None
