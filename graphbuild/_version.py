"""The version of graphbuild: one place, read by the package, its metadata and build.json."""

__version__ = "0.1.0"
