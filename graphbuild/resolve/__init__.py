"""Resolve stage: mentions -> entities (one node per real-world entity, every merge explained).

:func:`resolve` applies the rules below to every kept mention, in this order; the first four
look at one surface form, the rest at the corpus:

1. **user exclude** (``--aliases`` file): the surface is dropped (``user-exclude``);
2. **cleanup** (:func:`~.rules.clean_surface`): whitespace, quotes, trailing ``:,;``, a final
   period that is not an abbreviation's, possessive ``'s``;
3. **user alias**: a surface the user named skips every automatic rule below;
4. **not entities** (:func:`~.rules.not_entity_reason`, then
   :func:`~.rules.is_reference_citation`): markings, header fields, reference labels, bare
   dates, lettered cable references -> ``status=dropped`` with the reason;
5. **name normalisation**: a month glued before a day number (:func:`~.rules.strip_trailing_date`),
   titles and roles off person names (:func:`~.persons.strip_office`), role phrases annotated
   as ORG/LOC become persons (:func:`~.persons.role_person`), then
   :func:`~.rules.cut_colon_run_on` and :func:`~.rules.strip_compound_suffix`;
6. **case and variant key** (:func:`~.rules.match_key`);
7. **abbreviations** (:mod:`.abbreviations`): ``ABBR`` joins the long form defined in the same
   document, else the only long form defined anywhere in the corpus; an abbreviation with
   several corpus definitions and none in its document is left apart and listed;
8. **surnames** (:func:`~.persons.surname_candidates`): a one-word person name joins the only
   full name containing it (after the first name) in the same document, else the only full
   name ending with it in the corpus; several candidates -> left apart and listed as
   ambiguous;
9. **known variants** (:func:`~.rules.known_variant`: ``U.S.`` -> ``United States``);
10. **demonyms** (:func:`~.rules.demonym_place`, only with ``link_demonyms=True``);
11. **user alias** of the resulting name (so ``GOV`` follows its long form into a user entity);
12. **label**: the user's name when given; for abbreviations, surnames and demonyms the
    most frequent well-cased spelling of the canonical (most informative) name; for case and
    spelling variants the most frequent well-cased spelling of all
    (:func:`~.rules.choose_label`). **Type**: :func:`~.rules.vote_type` (minority types kept
    in ``other_types``; the user's type wins). A stable ``entity_id``: the slug of the label
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
