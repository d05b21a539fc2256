"""Resolve stage: mentions -> entities (one node per real-world entity, every merge explained).

:func:`resolve` applies the rules below to every kept mention, in this order; the first four
look at one surface form, the rest at the corpus:

1. **user exclude** (``--aliases`` file): the surface is dropped (``user-exclude``);
2. **cleanup** (:func:`~.rules.clean_surface`): whitespace, quotes, trailing ``:,;``, a final
   period that is not an abbreviation's, possessive ``'s``;
3. **user alias**: a surface the user named skips every automatic rule below;
4. **not entities** (:func:`graphbuild.core.nonentities.not_entity_reason`, then
   :func:`~.rules.is_reference_citation`): markings, header fields, reference labels, dates,
   pronouns, redaction markers, routing codes and page-break lines, paragraph marks and
   numbers, initials, stance adjectives (``anti-Uribe``), ideologies (``Uribista``),
   generic words (``Post``), titles without a name (``DCM``), lettered cable references ->
   ``status=dropped`` with the reason;
5. **name normalisation**: a month glued before a day number (:func:`~.rules.strip_trailing_date`),
   titles and roles off person names (:func:`~.persons.strip_office`), role phrases annotated
   as ORG/LOC become persons (:func:`~.persons.role_person`), then
   :func:`~.rules.cut_colon_run_on` and :func:`~.rules.strip_compound_suffix`;
6. **case and variant key** (:func:`~.rules.match_key`);
7. **abbreviations** (:mod:`.abbreviations`): ``ABBR`` joins the long form defined in the same
   document, else the long form defined in the corpus; the spellings of one long form
   (plural, word order, a demonym for its country:
   :func:`~.placement.long_form_key`) count as one, and when the definitions differ the
   long form holding 75% of them is the meaning; otherwise the abbreviation is left apart
   and listed. Every other spelling of a chosen long form joins it (``long-form-variant``);
8. **one type per name**: every match key gets the majority type of its mentions over the
   whole corpus (a word that is a person's surname elsewhere leans PER by those full
   names' mentions), unless cable knowledge settles it
   (:func:`~.knowledge.type_knowledge`: signers and classifiers are PER, posts ORG and
   their cities LOC, bureau symbols ORG, countries LOC, demonyms MISC). The rules below
   read these types, so one word in one paragraph never lands in two entities;
   **persons**: full names of one person join the most mentioned of them
   (``Alvaro Uribe Velez`` -> ``Alvaro Uribe``: ``name-variant``,
   :func:`~.persons.person_groups`); a lone surname (typed PER, or ORG but not an acronym)
   joins the person who holds 75% of the mentions of the corpus's full names with that
   surname (:func:`~.persons.dominant_person`; debris such as ``Local Chavez`` does not
   count, a real second person such as ``Mario Uribe`` does), else the only person among
   its document's full names; not when the surname alone is over nine times as frequent
   as that person's full names (it names someone else). The share is written in
   ``resolution.csv``'s ``note``; several candidates -> left apart and listed as
   ambiguous;
9. **known variants** (:func:`~.rules.known_variant`: ``U.S.`` -> ``United States``);
10. **demonyms** (:func:`~.rules.demonym_place`, only with ``link_demonyms=True``);
11. **user alias** of the resulting name (so ``GOV`` follows its long form into a user entity);
12. **label**: the user's name when given; for abbreviations, surnames and demonyms the
    most frequent well-cased spelling of the canonical (most informative) name; for case and
    spelling variants the most frequent well-cased spelling of all
    (:func:`~.rules.choose_label`). **Type**: the vote of rule 8 over the entity's mentions, a
    mention placed by a person rule counting PER (the types the mentions were given are kept
    in ``other_types``; the user's type wins); every mention's ``resolved_type`` is its
    entity's type. A stable ``entity_id``: the slug of the label
    (``government-of-venezuela``), ``-2``, ``-3``... on collisions, assigned in canonical-name
    order so ids do not depend on input order.

Nothing disappears: dropped mentions stay in the mentions table with their reason and an empty
``entity_id``; every mention carries the ``rule`` chain that placed it.
"""

from graphbuild.resolve.aliases import UserAliases, load_aliases
from graphbuild.resolve.codes import AMBIGUOUS_COLUMNS, AUDIT_COLUMNS
from graphbuild.resolve.resolution import Resolution, dropped_forms, largest_merges, resolve

__all__ = ["resolve", "Resolution", "UserAliases", "load_aliases", "largest_merges",
           "dropped_forms", "AUDIT_COLUMNS", "AMBIGUOUS_COLUMNS"]
