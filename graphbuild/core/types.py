"""Mapping foreign entity labels (spaCy/OntoNotes, re3d, CoNLL variants) to PER/LOC/ORG/MISC.

One table for every reader and the NER stage, so the same label means the same type
whichever way a mention came in.
"""

from __future__ import annotations

#: the four entity types of the CoNLL-2003 scheme used throughout graphbuild
ENTITY_TYPES = ("PER", "LOC", "ORG", "MISC")

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
