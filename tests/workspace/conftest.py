"""Fixtures for the workspace tests: the same tests on SQLite and on PostgreSQL.

PostgreSQL is Debian's `postgresql` package, run as a throwaway cluster for the session: initdb in
a temporary directory, then a server on a free loopback port (its socket in that directory too),
stopped at the end. As root, the cluster belongs to the `postgres` user (or `nobody`), since
PostgreSQL refuses to run as root. Without the binaries the PostgreSQL tests skip, except in CI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

import pytest

from serving import free_port
from workspace_support import BACKENDS, new_database, postgres_bin, run_as


@pytest.fixture(scope="session")
def postgres_server():
    """The base URL of a running throwaway PostgreSQL cluster."""
    binaries = postgres_bin()
    if binaries is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed (make setup installs Debian's postgresql)")
        pytest.skip("PostgreSQL is not installed here (apt-get install postgresql, or make test as root)")
    prefix, user = run_as()
    folder = tempfile.mkdtemp(prefix="hegui-pg-")
    if user:
        shutil.chown(folder, user)
    data, port = os.path.join(folder, "data"), free_port()
    log = os.path.join(folder, "server.log")
    try:
        subprocess.run([*prefix, str(binaries / "initdb"), "-D", data, "-A", "trust", "-U", "hegui", "-E", "UTF8",
                        "--no-sync", "--no-instructions"], check=True, capture_output=True, timeout=120)
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off -c full_page_writes=off"
        subprocess.run([*prefix, str(binaries / "pg_ctl"), "-D", data, "-o", options, "-l", log, "-w", "-t", "60",
                        "start"], check=True, capture_output=True, timeout=90)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(f"PostgreSQL did not start: {getattr(e, 'stderr', b'') or e}")
    try:
        yield f"postgresql://hegui@127.0.0.1:{port}"
    finally:
        subprocess.run([*prefix, str(binaries / "pg_ctl"), "-D", data, "-m", "immediate", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=BACKENDS)
def database(request, tmp_path):
    return new_database(request.param, request, tmp_path)


@pytest.fixture(autouse=True)
def quick_password_hashes(monkeypatch):
    """argon2 with the smallest cost in tests (the default's 64 MiB and 3 passes per hash add up)."""
    from argon2 import PasswordHasher
    from hegui.workspace import auth
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def workspace(database, tmp_path):
    from hegui.workspace.store import Workspace
    ws = Workspace(database, str(tmp_path / "workspace.ledger"), max_evidence_bytes=2_000)
    yield ws
    ws.close()


@pytest.fixture
def terminal(workspace):
    """An administrator acting from the terminal."""
    from hegui.workspace.store import Actor
    user = workspace.create_user("admin@example.com", "a long enough password", is_admin=True)
    return Actor(user.id, user.email, True, "terminal")
