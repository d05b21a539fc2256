"""Pages shown inline in a notebook: the explorer (``eg.show()``) and the brief
(``eg.brief()``), embedded without a file."""

from __future__ import annotations

import html

__all__ = ["notebook_html"]


def notebook_html(page: str, height: int = 650) -> str:
    """An ``<iframe srcdoc>`` holding ``page``: shows inline in Jupyter, VS Code and Colab
    without a file on disk (a file-backed iframe breaks there), and keeps the page's script
    isolated from the notebook.

    The iframe is wrapped in a ``<div>``: IPython warns about HTML that starts with
    ``<iframe`` (suggesting its file/URL-backed ``IFrame``, which is what must be avoided).

    >>> notebook_html("<p>a & b</p>", 100)[:69]
    '<div class="graphbuild"><iframe srcdoc="&lt;p&gt;a &amp; b&lt;/p&gt;"'
    """
    return (f'<div class="graphbuild"><iframe srcdoc="{html.escape(page, quote=True)}" '
            f'style="width:100%;height:{int(height)}px;border:0" '
            'title="graphbuild"></iframe></div>')
