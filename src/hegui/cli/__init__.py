"""The `hegui` command line."""

from hegui.cli.base import cli, main, run

__all__ = ["cli", "main", "run"]
