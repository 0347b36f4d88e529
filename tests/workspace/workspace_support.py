"""What the workspace tests share: the example manifest, the backends and new databases of each."""

from __future__ import annotations

import glob
import itertools
import os
import pwd
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
JOBS = ROOT / "examples" / "jobs-platform.yaml"
BACKENDS = ["sqlite", "postgresql"]
_numbers = itertools.count(1)


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


def run_as() -> tuple[list[str], str | None]:
    """The command prefix to run PostgreSQL's tools as an unprivileged user when we are root."""
    if os.geteuid() != 0:
        return [], None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return ["runuser", "-u", name, "--"], name
        except KeyError:
            continue
    pytest.skip("running as root with neither a postgres nor a nobody user to run PostgreSQL as")


def new_database(kind: str, request, tmp_path: Path) -> str:
    """The URL of a new, empty database of that kind."""
    if kind == "sqlite":
        return str(tmp_path / f"workspace-{next(_numbers)}.db")
    import psycopg
    base = request.getfixturevalue("postgres_server")
    name = f"ws_{os.getpid()}_{next(_numbers)}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as c:
        c.execute(f"CREATE DATABASE {name}")
    return f"{base}/{name}"
