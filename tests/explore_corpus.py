"""A small handmade corpus for the explorer tests (neighbours, paths, evidence, ego, report).

Edges, counted by hand (weight = distinct paragraphs where both are mentioned):

====================  ======  =========  ===============================
pair                  weight  documents  paragraphs
====================  ======  =========  ===============================
Ana - Bo              2       1          d1¶1, d1¶2
Ana - Paris           1       1          d1¶1
Bo - Paris            1       1          d1¶1
Bo - Cy               3       2          d1¶3, d1¶4, d2¶1
Cy - Rome             1       1          d1¶5
Ana - Dee             1       1          d1¶6
Dee - Rome            1       1          d1¶7
Abe - Ana             1       1          d1¶8
Abe - Cy              1       1          d1¶9
Acme - Bo             1       1          d2¶1
Acme - Cy             1       1          d2¶1
Lima - Saint-Étienne  1       1          d2¶3
====================  ======  =========  ===============================

12 entities: Ana, Bo, Cy, Dee, Abe (PER), Paris, Rome, Lima (LOC), Acme, Zed Corp (ORG), and
two entities that resolution rightly keeps apart although their ids collide:
"Saint-Étienne" (LOC, d2¶3: the French city, hyphenated as French place names are) and
"Saint Étienne" (PER, d2¶4: the saint, Stephen). The hyphen is part of the name (the match
key folds case, accents, spacing and dots only), so they are two entities of two types; both
slugify to ``saint-etienne``, and ids are given in match-key order ("saint etienne" sorts
before "saint-etienne"), so the saint is ``saint-etienne`` and the city ``saint-etienne-2``.
Folded for search (case, accents, spacing), the city's label "saint-etienne" equals the
saint's id: "SAINT-ETIENNE" is ambiguous. Zed Corp (d2¶2) and Saint Étienne (d2¶4) have no
edge: the tests build with ``keep_isolated=True`` (a default build leaves them out of the
graph). "ANA" in d1¶2 is an alias of Ana.

26 kept mentions: d1 ¶1 3 + ¶2-¶9 8 x 2 = 19; d2 ¶1 3 + ¶2 1 + ¶3 2 + ¶4 1 = 7.
"""

from __future__ import annotations

from pathlib import Path

D1 = """¶1. [PER Ana  ] met [PER Bo  ] in [LOC Paris  ].

¶2. [PER ANA  ] called [PER Bo  ].

¶3. [PER Bo  ] wrote to [PER Cy  ].

¶4. [PER Bo  ] and [PER Cy  ] again.

¶5. [PER Cy  ] visited [LOC Rome  ].

¶6. [PER Ana  ] saw [PER Dee  ].

¶7. [PER Dee  ] flew to [LOC Rome  ].

¶8. [PER Ana  ] met [PER Abe  ].

¶9. [PER Abe  ] met [PER Cy  ].
"""

D2 = """¶1. [PER Bo  ] phoned [PER Cy  ] about [ORG Acme  ].

¶2. [ORG Zed Corp  ] stands alone.

¶3. [LOC Saint-Étienne  ] and [LOC Lima  ].

¶4. A chapel of [PER Saint Étienne  ].
"""


def write_corpus(folder: Path) -> Path:
    """Write d1.txt and d2.txt into ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "d1.txt").write_text(D1, encoding="utf-8")
    (folder / "d2.txt").write_text(D2, encoding="utf-8")
    return folder
