"""`hegui workspace` from the terminal, and `hegui serve --workspace` as deployed (a real server)."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import httpx
import pytest

from serving import free_port, running_server
from workspace_support import JOBS, ROOT

PASSWORD = "a long enough password"


def hegui(*args, stdin: str = "", capsys=None):
    """Run the CLI in this process: (exit code, stdout, stderr)."""
    from hegui.cli.base import main
    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        code = main([str(a) for a in args])
    finally:
        sys.stdin = old
    out, err = capsys.readouterr()
    return code, out, err


def test_create_admin_import_and_export_round_trip_a_file_unchanged(database, tmp_path, capsys):
    ledger = tmp_path / "w.ledger"
    where = ("--workspace", database, "--ledger", ledger)
    code, _, err = hegui("workspace", "create-admin", *where, "--email", "Admin@Example.com", "--password-stdin",
                         stdin=PASSWORD + "\n", capsys=capsys)
    assert code == 0, err
    assert "admin@example.com is an administrator" in err
    code, _, err = hegui("workspace", "import", JOBS, *where, "--as", "admin@example.com", capsys=capsys)
    assert code == 0 and "saved as version 1 of Jobs Platform Inc." in err
    code, out, _ = hegui("workspace", "export", *where, "--organisation", "Jobs Platform Inc.", capsys=capsys)
    assert code == 0 and out == JOBS.read_text(encoding="utf-8")
    edited = tmp_path / "edited.yaml"
    edited.write_text(JOBS.read_text(encoding="utf-8").replace("50000000", "60000000"), encoding="utf-8")
    assert hegui("workspace", "import", edited, *where, capsys=capsys)[0] == 0
    copy = tmp_path / "copy.yaml"
    assert hegui("workspace", "export", *where, "--organisation", "Jobs Platform Inc.", "-o", copy,
                 capsys=capsys)[0] == 0
    assert copy.read_bytes() == edited.read_bytes()
    code, out, _ = hegui("ledger", "verify", "--ledger", ledger, capsys=capsys)
    assert code == 0 and "verifies: 2 entries" in out


def test_terminal_mistakes_exit_2_with_the_file_line_and_field(tmp_path, capsys):
    db = tmp_path / "w.db"
    code, _, err = hegui("workspace", "create-admin", "--workspace", db, "--email", "a@example.com",
                         "--password-stdin", stdin="short\n", capsys=capsys)
    assert code == 2 and err == "hegui: error: password: a password has at least 12 characters\n"
    bad = tmp_path / "bad.yaml"
    text = JOBS.read_text(encoding="utf-8")
    bad.write_text(text.replace("pi_individuals: 50000000", "pi_individuals: lots"), encoding="utf-8")
    code, _, err = hegui("workspace", "import", bad, "--workspace", db, capsys=capsys)
    line = text.splitlines().index("  pi_individuals: 50000000") + 1
    assert code == 2 and err.startswith(f"hegui: error: {bad}:{line}: organisation.pi_individuals: expected")
    code, _, err = hegui("workspace", "export", "--workspace", db, "--organisation", "Nobody Ltd", capsys=capsys)
    assert code == 2 and "no organisation named 'Nobody Ltd'" in err
    code, _, err = hegui("workspace", "import", JOBS, "--workspace", "postgresql://nobody@127.0.0.1:1/none",
                         "--ledger", tmp_path / "x.ledger", capsys=capsys)
    assert code == 2 and err.startswith("hegui: error: --workspace: cannot open") and "Traceback" not in err
    code, _, err = hegui("workspace", "import", JOBS, "--workspace", "postgresql://nobody@127.0.0.1:1/none",
                         capsys=capsys)
    assert code == 2 and "--ledger" in err   # PostgreSQL has no file to keep the ledger beside


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`hegui serve --workspace` on a loopback port with two workers, after create-admin and an import."""
    folder = tmp_path_factory.mktemp("served")
    db = folder / "team.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "hegui"]
    subprocess.run([*command, "workspace", "create-admin", "--workspace", db, "--email", "admin@example.com",
                    "--password-stdin"], input=PASSWORD + "\n", text=True, check=True, env=env, timeout=120)
    subprocess.run([*command, "workspace", "import", JOBS, "--workspace", db], check=True, env=env, timeout=120,
                   capture_output=True)
    with running_server(lambda port: [*command, "serve", "--workspace", str(db), "--port", str(port),
                                      "--workers", "2", "--no-access-log", "--max-evidence", "1000"], env=env) as base:
        yield base, db


def test_over_real_http_a_person_logs_in_edits_assesses_and_logs_out(served):
    base, db = served
    with httpx.Client(base_url=base, timeout=60) as web:
        assert web.get("/v1/workspace/me").status_code == 401
        answer = web.post("/v1/workspace/login", json={"email": "admin@example.com", "password": PASSWORD})
        assert answer.status_code == 200
        csrf = answer.json()["csrf_token"]
        orgs = web.get("/v1/workspace/organisations").json()["organisations"]
        assert [o["name"] for o in orgs] == []   # imported from the terminal: no one is a member yet
        made = web.post("/v1/workspace/organisations", json={"name": "Web Co"}, headers={"X-CSRF-Token": csrf})
        assert made.status_code == 201 and made.json()["role"] == "admin"
        org = made.json()["id"]
        text = JOBS.read_text(encoding="utf-8").replace("Jobs Platform Inc.", "Web Co")
        saved = web.post(f"/v1/workspace/organisations/{org}/manifests", headers={"X-CSRF-Token": csrf},
                         json={"text": text, "expected_version": 0, "message": "first"})
        assert saved.status_code == 201 and saved.json()["number"] == 1
        assessed = web.post(f"/v1/workspace/organisations/{org}/assess", params={"as_of": "2024-06-20"},
                            headers={"X-CSRF-Token": csrf})
        assert assessed.status_code == 200 and assessed.json()["organisation"] == "Web Co"
        assert web.get(f"/v1/workspace/organisations/{org}/export").text == text
        # The workspace's ledger is the server's: it holds the two changes and verifies.
        assert web.get("/v1/ledger/verify").json()["ok"] is True
        assert web.get("/v1/ledger/head").json()["size"] == 3   # the import, the version, the assessment
        assert web.post("/v1/workspace/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
        assert web.get("/v1/workspace/me").status_code == 401


def test_serve_max_evidence_is_the_limit_every_worker_holds_and_the_413_names_it(served):
    base, _ = served
    with httpx.Client(base_url=base, timeout=60) as web:
        csrf = web.post("/v1/workspace/login", json={"email": "admin@example.com",
                                                     "password": PASSWORD}).json()["csrf_token"]
        headers = {"X-CSRF-Token": csrf}
        org = web.post("/v1/workspace/organisations", json={"name": "Evidence Co"}, headers=headers).json()["id"]
        text = JOBS.read_text(encoding="utf-8").replace("Jobs Platform Inc.", "Evidence Co")
        web.post(f"/v1/workspace/organisations/{org}/manifests", headers=headers,
                 json={"text": text, "expected_version": 0, "message": "first"}).raise_for_status()
        record = web.get(f"/v1/workspace/organisations/{org}/records").json()["records"][0]["id"]
        upload = f"/v1/workspace/organisations/{org}/records/{record}/evidence"
        for _ in range(4):   # whichever of the two workers answers: the same limit
            over = web.post(upload, headers=headers, files={"file": ("scan.pdf", b"x" * 1001, "application/pdf")})
            assert over.status_code == 413
            assert over.json()["errors"][0]["path"] == "file"
            assert "1,000 bytes" in over.json()["errors"][0]["message"]
            assert "--max-evidence" in over.json()["errors"][0]["message"]
        at = web.post(upload, headers=headers, files={"file": ("scan.pdf", b"x" * 1000, "application/pdf")})
        assert at.status_code == 201 and at.json()["size"] == 1000


def test_the_daily_digest_goes_to_each_member_with_something_to_report(tmp_path, capsys):
    """Sent to a real SMTP server on loopback (aiosmtpd)."""
    from aiosmtpd.controller import Controller

    from hegui.workspace.store import Actor, Workspace

    class Inbox:
        def __init__(self):
            self.received = []

        async def handle_DATA(self, server, session, envelope):
            self.received.append((envelope.rcpt_tos, envelope.content))
            return "250 OK"

    db, ledger = tmp_path / "w.db", tmp_path / "w.ledger"
    with Workspace(str(db), str(ledger)) as ws:
        admin = ws.create_user("admin@example.com", PASSWORD, is_admin=True)
        ws.create_user("idle@example.com", PASSWORD)
        org = ws.import_text(JOBS.read_text(encoding="utf-8"), Actor(admin.id, admin.email, True, "terminal"))
        ws.set_member(org["organisation_id"], "idle@example.com", "viewer")
        empty = ws.create_organisation("Empty Co", Actor(admin.id, admin.email, True, "terminal"))
        ws.create_user("empty@example.com", PASSWORD)
        ws.set_member(empty["id"], "empty@example.com", "viewer")   # an organisation with no manifest yet
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        code, _, err = hegui("workspace", "digest", "--workspace", db, "--ledger", ledger, "--smtp",
                             f"smtp://127.0.0.1:{port}", "--from", "hegui@example.com", capsys=capsys)
    finally:
        controller.stop()
    assert code == 0, err
    assert err == "hegui: sent 2 digests (1 member had nothing to report)\n"
    assert sorted(to[0] for to, _ in inbox.received) == ["admin@example.com", "idle@example.com"]
    assert b"Jobs Platform Inc." in inbox.received[0][1]
    code, _, err = hegui("workspace", "digest", "--workspace", db, "--ledger", ledger, "--smtp",
                         f"smtp://127.0.0.1:{free_port()}", "--from", "hegui@example.com", capsys=capsys)
    assert code == 2 and err.startswith("hegui: error: could not send the digest to smtp://127.0.0.1:")
