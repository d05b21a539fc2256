"""Collected by pytest for the whole repository: the package's docstring examples run as
tests (``--doctest-modules``), except the CLI entry module, which runs the CLI on import."""

collect_ignore = ["graphbuild/__main__.py", "benchmarks", "notebooks", "scripts"]
