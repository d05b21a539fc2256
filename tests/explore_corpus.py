"""A small handmade corpus for the explorer tests (neighbours, paths, evidence, ego, report).

Edges, counted by hand (weight = distinct paragraphs where both are mentioned):

=================  ======  =========  ===============================
pair               weight  documents  paragraphs
=================  ======  =========  ===============================
Ana - Bo           2       1          d1¶1, d1¶2
Ana - Paris        1       1          d1¶1
Bo - Paris         1       1          d1¶1
Bo - Cy            3       2          d1¶3, d1¶4, d2¶1
Cy - Rome          1       1          d1¶5
Ana - Dee          1       1          d1¶6
Dee - Rome         1       1          d1¶7
Abe - Ana          1       1          d1¶8
Abe - Cy           1       1          d1¶9
Acme - Bo          1       1          d2¶1
Acme - Cy          1       1          d2¶1
Lima - São Paulo   1       1          d2¶3
=================  ======  =========  ===============================

Zed Corp (d2¶2) and Sao Paulo (d2¶4, spelt without the accent, so a separate entity
``sao-paulo``; "São Paulo" is ``sao-paulo-2``) have no edge. "ANA" in d1¶2 is an alias of Ana.
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

¶3. [LOC São Paulo  ] and [LOC Lima  ].

¶4. [LOC Sao Paulo  ] again.
"""


def write_corpus(folder: Path) -> Path:
    """Write d1.txt and d2.txt into ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "d1.txt").write_text(D1, encoding="utf-8")
    (folder / "d2.txt").write_text(D2, encoding="utf-8")
    return folder
