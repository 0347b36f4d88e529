"""Alembic migrations of the workspace database: env.py and one file per revision in versions/."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent


def config(connection):
    """An Alembic Config built in code, bound to an open connection."""
    from alembic.config import Config
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.attributes["connection"] = connection
    return cfg


def upgrade(connection, revision: str = "head") -> None:
    from alembic import command
    command.upgrade(config(connection), revision)


def current(connection) -> str | None:
    from alembic.runtime.migration import MigrationContext
    return MigrationContext.configure(connection).get_current_revision()
