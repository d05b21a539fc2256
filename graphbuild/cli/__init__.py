"""The ``graphbuild`` command line: a thin layer over :mod:`graphbuild.pipeline`,
:mod:`graphbuild.query` and :mod:`graphbuild.export`.

``common`` holds the app, the consoles and the one-line errors; ``build`` the commands
that read documents (``build``, ``annotate``); ``explore`` those that read a built folder
(``neighbors``, ``path``, ``evidence``, ``ego``, ``report``).
"""

from __future__ import annotations

import sys

from graphbuild.cli import build, explore, judge  # noqa: F401  (registers the commands)
from graphbuild.cli.common import app, err

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point: user mistakes exit 2 with one line, no traceback."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
