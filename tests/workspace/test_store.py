"""The store's operations on SQLite and PostgreSQL: versions kept and never overwritten, records,
evidence limits, the ledger, and files that round-trip unchanged."""

from __future__ import annotations

import datetime
import hashlib
import json
import threading

import pytest
import yaml
from sqlalchemy import func, select

from workspace_support import JOBS
from hegui.workspace.models import Blob, Evidence, ManifestVersion
from hegui.workspace.store import Conflict, Invalid, NotFound, RefusedType, TooLarge

TEXT = JOBS.read_text(encoding="utf-8")


def count(ws, model) -> int:
    with ws.transaction() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_a_file_imported_is_the_file_exported_byte_for_byte(workspace, terminal):
    saved = workspace.import_text(TEXT, terminal)
    assert saved["number"] == 1 and saved["message"] == "imported"
    assert workspace.export(saved["organisation_id"]) == TEXT
    # Its compliance records are the workspace's records, in the file's order.
    org = saved["organisation_id"]
    records = workspace.records(org)
    assert [(r["obligation"], r["subject"]) for r in records][:2] == [
        ("csrc.overseas-listing-filing", "listing:nasdaq"), ("crm.listing-review", "listing:nasdaq")]
    assert records[0]["done_on"] == "2024-06-05" and records[0]["owner"] is None


def test_a_json_file_round_trips_too(workspace, terminal):
    text = json.dumps({"format": "hegui/1", "organisation": {"name": "JSON Co", "operates_in_mainland": True}},
                      indent=1)
    org = workspace.import_text(text, terminal)["organisation_id"]
    assert workspace.export(org) == text


def test_a_second_import_is_the_next_version_of_the_same_organisation(workspace, terminal):
    first = workspace.import_text(TEXT, terminal)
    second = workspace.import_text(TEXT.replace("pi_individuals: 50000000", "pi_individuals: 60000000"), terminal)
    assert second["organisation_id"] == first["organisation_id"] and second["number"] == 2
    assert "+  pi_individuals: 60000000" in workspace.diff(first["organisation_id"], 1, 2)["diff"]


def test_a_stale_expected_version_is_a_conflict_and_overwrites_nothing(workspace, terminal):
    org = workspace.import_text(TEXT, terminal)["organisation_id"]
    workspace.save_version(org, TEXT + "\n", 1, terminal, "second")
    with pytest.raises(Conflict) as e:
        workspace.save_version(org, TEXT.replace("Jobs Platform", "Lost Edit"), 1, terminal, "stale")
    assert (e.value.expected, e.value.current) == (1, 2)
    assert [v["message"] for v in workspace.versions(org)] == ["imported", "second"]
    assert "Lost Edit" not in workspace.export(org)


def test_two_writers_on_the_same_version_one_saves_and_the_other_gets_a_conflict(workspace, terminal):
    org = workspace.import_text(TEXT, terminal)["organisation_id"]
    start = threading.Barrier(2)
    outcomes = []

    def write(name):
        start.wait()
        try:
            outcomes.append(("saved", workspace.save_version(org, TEXT + f"# {name}\n", 1, terminal, name)["number"]))
        except Conflict:
            outcomes.append(("conflict", name))
    threads = [threading.Thread(target=write, args=(n,)) for n in ("alice", "bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(kind for kind, _ in outcomes) == ["conflict", "saved"]
    assert count(workspace, ManifestVersion) == 2
    winner = workspace.versions(org)[-1]["message"]
    assert workspace.export(org).endswith(f"# {winner}\n")


def test_writers_adding_records_at_once_take_turns_and_every_record_is_kept(workspace, terminal):
    """No expected version given: each writer builds on the version before it, none fails."""
    org = workspace.import_text(TEXT, terminal)["organisation_id"]
    start = threading.Barrier(6)
    errors, threads = [], []

    def add(n):
        start.wait()
        try:
            workspace.add_record(org, terminal, obligation="pipl.impact-assessment", subject="organisation",
                                 reference=f"PIA-{n}")
        except Exception as e:
            errors.append(repr(e))
    for n in range(6):
        threads.append(threading.Thread(target=add, args=(n,)))
        threads[-1].start()
    for t in threads:
        t.join(120)
    assert errors == []
    assert [v["number"] for v in workspace.versions(org)] == list(range(1, 8))
    kept = {r["reference"] for r in workspace.records(org)}
    assert {f"PIA-{n}" for n in range(6)} <= kept


def test_a_bad_manifest_is_refused_with_its_field_and_line(workspace, terminal):
    org = workspace.import_text(TEXT, terminal)["organisation_id"]
    with pytest.raises(Invalid) as e:
        workspace.save_version(org, TEXT.replace("pi_individuals: 50000000", "pi_individuals: many"), 1, terminal)
    assert e.value.field == "text.organisation.pi_individuals"
    line = TEXT.splitlines().index("  pi_individuals: 50000000") + 1
    assert e.value.line == line and "whole number" in e.value.reason
    assert len(workspace.versions(org)) == 1


def test_a_record_is_a_new_version_holding_it_with_its_owner_and_note(workspace, terminal):
    org = workspace.import_text(TEXT, terminal)["organisation_id"]
    record = workspace.add_record(org, terminal, obligation="pipl.impact-assessment", subject="organisation",
                                  done_on=datetime.date(2024, 3, 1), reference="PIA-2024-03", owner="dpo@example.com",
                                  note="annual review")
    assert record["version"] == 2 and record["owner"] == "dpo@example.com" and record["note"] == "annual review"
    text = workspace.export(org)
    assert text.startswith(TEXT.rstrip("\n"))   # the file as it was, and the record after it
    assert text.endswith("  - obligation: pipl.impact-assessment\n    subject: organisation\n"
                         "    done_on: 2024-03-01\n    reference: PIA-2024-03\n")
    # The assessment counts it: the impact assessment is no longer open.
    result = workspace.assess(org, terminal, datetime.date(2024, 6, 20)).result
    finding = next(f for f in result.findings if f.obligation == "pipl.impact-assessment")
    assert finding.compliance == "satisfied"
    assert workspace.records(org)[-1]["id"] == record["id"]


def test_a_record_for_an_obligation_the_rulebook_lacks_is_refused(workspace, terminal):
    org = workspace.import_text(TEXT, terminal)["organisation_id"]
    with pytest.raises(Invalid):
        workspace.add_record(org, terminal, obligation="pipl.no-such-duty", subject="organisation")
    assert len(workspace.versions(org)) == 1


def test_evidence_is_kept_by_sha256_and_comes_back_the_same(workspace, terminal):
    org = workspace.import_text(TEXT, terminal)["organisation_id"]
    record = workspace.records(org)[0]
    data = b"%PDF-1.7 receipt"
    item = workspace.add_evidence(org, record["id"], terminal, filename="../../receipt.pdf",
                                  content_type="application/pdf", data=data)
    assert item["sha256"] == hashlib.sha256(data).hexdigest() and item["filename"] == "receipt.pdf"
    meta, back = workspace.evidence(org, item["id"])
    assert back == data and meta["content_type"] == "application/pdf"
    workspace.add_evidence(org, record["id"], terminal, filename="copy.pdf", content_type="application/pdf", data=data)
    assert count(workspace, Blob) == 1 and count(workspace, Evidence) == 2   # the same bytes stored once


@pytest.mark.parametrize("content_type, size, error", [
    ("application/pdf", 2_001, TooLarge),      # the fixture's limit is 2,000 bytes
    ("text/html", 10, RefusedType),
    ("image/svg+xml", 10, RefusedType),
    ("", 10, RefusedType),
])
def test_evidence_over_the_limit_or_of_a_refused_type_stores_nothing(workspace, terminal, content_type, size, error):
    org = workspace.import_text(TEXT, terminal)["organisation_id"]
    entries = workspace.ledger.size()
    with pytest.raises(error):
        workspace.add_evidence(org, workspace.records(org)[0]["id"], terminal, filename="f", content_type=content_type,
                               data=b"x" * size)
    assert count(workspace, Blob) == 0 and count(workspace, Evidence) == 0
    assert workspace.ledger.size() == entries


def test_evidence_at_the_limit_is_taken(workspace, terminal):
    org = workspace.import_text(TEXT, terminal)["organisation_id"]
    workspace.add_evidence(org, workspace.records(org)[0]["id"], terminal, filename="f.txt",
                           content_type="text/plain; charset=utf-8", data=b"x" * 2_000)
    assert count(workspace, Evidence) == 1


def test_another_organisations_record_and_evidence_are_not_found(workspace, terminal):
    one = workspace.import_text(TEXT, terminal)["organisation_id"]
    other = workspace.create_organisation("Other Co", terminal)["id"]
    record = workspace.records(one)[0]
    item = workspace.add_evidence(one, record["id"], terminal, filename="a.txt", content_type="text/plain", data=b"a")
    with pytest.raises(NotFound):
        workspace.add_evidence(other, record["id"], terminal, filename="a.txt", content_type="text/plain", data=b"a")
    with pytest.raises(NotFound):
        workspace.evidence(other, item["id"])


def test_every_change_is_in_the_ledger_with_its_actor_and_the_ledger_verifies(workspace, terminal):
    org = workspace.import_text(TEXT, terminal)["organisation_id"]
    record = workspace.add_record(org, terminal, obligation="pipl.impact-assessment", subject="organisation")
    workspace.add_evidence(org, record["id"], terminal, filename="a.txt", content_type="text/plain", data=b"a")
    workspace.assess(org, terminal, datetime.date(2024, 6, 20))
    entries = workspace.ledger.entries()
    changes = [e.assessment_dict()["workspace"] for e in entries]
    assert [c["change"] for c in changes] == ["manifest_version", "record", "evidence", "assessment"]
    assert {c["actor"]["email"] for c in changes} == {"admin@example.com"}
    assert {c["organisation"]["name"] for c in changes} == {"Jobs Platform Inc."}
    assert changes[2]["evidence"]["sha256"] == hashlib.sha256(b"a").hexdigest()
    assert entries[3].as_of == "2024-06-20"
    # Each entry holds the manifest after the change: the record's entry has the record.
    assert any(r["obligation"] == "pipl.impact-assessment" for r in json.loads(entries[1].manifest)["compliance"])
    assert workspace.ledger.verify() is None
    # And each is an assessment like any other: replayed, it decides the same.
    from hegui.ledger.replay import replay
    assert all(replay(entry).identical for entry in entries)


def test_the_last_admin_cannot_be_removed_or_demoted(workspace, terminal):
    org = workspace.create_organisation("Solo Co", terminal)["id"]
    with pytest.raises(Invalid):
        workspace.remove_member(org, terminal.user_id)
    with pytest.raises(Invalid):
        workspace.set_member(org, terminal.email, "editor")
    assert workspace.role(org, terminal.user_id) == "admin"
    workspace.create_user("second@example.com", "a long enough password")
    workspace.set_member(org, "second@example.com", "admin")
    workspace.set_member(org, terminal.email, "editor")   # another admin is left
    assert workspace.role(org, terminal.user_id) == "editor"


def test_the_dashboard_inputs_are_the_current_and_last_seen_versions_of_the_users_organisations(workspace, terminal):
    org = workspace.import_text(TEXT, terminal)["organisation_id"]
    workspace.create_organisation("Empty Co", terminal)   # no manifest yet: nothing to show
    first = workspace.dashboard_inputs(terminal.user_id)
    assert [(o["name"], o["version"], o["last_version"], o["last_text"]) for o in first] == \
        [("Jobs Platform Inc.", 1, None, None)]
    workspace.mark_visited(terminal.user_id, {org: 1}, datetime.date(2024, 6, 1), "sha256:old")
    workspace.add_record(org, terminal, obligation="pipl.impact-assessment", subject="organisation", owner="dpo@x.org")
    again = workspace.dashboard_inputs(terminal.user_id)[0]
    assert (again["version"], again["last_version"], again["last_text"]) == (2, 1, TEXT)
    assert (again["last_seen_on"], again["last_rulebook_digest"]) == (datetime.date(2024, 6, 1), "sha256:old")
    assert again["records"][-1] == {"obligation": "pipl.impact-assessment", "subject": "organisation",
                                    "owner": "dpo@x.org"}
    assert workspace.dashboard_inputs(terminal.user_id + 1000) == []   # someone else's organisations: none


def test_the_dashboard_marks_move_with_a_version_a_record_and_a_visit(workspace, terminal):
    org = workspace.import_text(TEXT, terminal)["organisation_id"]
    in_file = len(yaml.safe_load(TEXT)["compliance"])   # a row for each record the file holds
    (first,) = workspace.dashboard_marks(terminal.user_id)
    assert (first.id, first.name, first.version, first.records, first.last_version) == \
        (org, "Jobs Platform Inc.", 1, in_file, None)
    workspace.add_record(org, terminal, obligation="pipl.impact-assessment", subject="organisation")
    (second,) = workspace.dashboard_marks(terminal.user_id)
    assert (second.version, second.records) == (2, in_file + 1) and second.newest_record > first.newest_record
    workspace.mark_visited(terminal.user_id, {org: 2}, datetime.date(2024, 6, 1), "sha256:old")
    (third,) = workspace.dashboard_marks(terminal.user_id)
    assert third == second._replace(last_version=2, last_seen_on=datetime.date(2024, 6, 1),
                                    last_rulebook_digest="sha256:old")
    assert workspace.dashboard_marks(terminal.user_id + 1000) == []


def test_a_new_feed_token_replaces_the_old_and_a_revoked_one_opens_nothing(workspace, terminal):
    from hegui.workspace import auth
    first = auth.create_feed_token(workspace, terminal)
    assert auth.actor_for(workspace, "feed", first).email == terminal.email
    second = auth.create_feed_token(workspace, terminal)
    with pytest.raises(auth.Unauthenticated):
        auth.actor_for(workspace, "feed", first)
    assert auth.revoke_feed_token(workspace, terminal) is True
    with pytest.raises(auth.Unauthenticated):
        auth.actor_for(workspace, "feed", second)
    with pytest.raises(auth.Unauthenticated):
        auth.actor_for(workspace, "feed", "\udc80")   # a path that was not UTF-8


def test_a_secret_is_32_random_url_safe_bytes_and_the_database_keeps_only_its_sha256():
    from hegui.workspace import auth
    secret, other = auth.new_secret(), auth.new_secret()
    assert secret != other and len(secret) == 43                     # 32 bytes in base64url, unpadded
    assert set(secret) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert auth.secret_hash(secret) == hashlib.sha256(secret.encode("ascii")).hexdigest()
    assert secret not in auth.secret_hash(secret)
    assert len(auth.secret_hash("\udc80")) == 64                     # a URL that was not UTF-8 hashes too


@pytest.mark.parametrize("via", ["session", "token", "feed"])
def test_each_kind_of_secret_opens_its_user_and_nothing_near_it_does(workspace, terminal, via):
    from hegui.workspace import auth
    from hegui.workspace.models import Session
    if via == "session":
        secret, _ = auth.login(workspace, terminal.email, "a long enough password", "127.0.0.1")
    elif via == "token":
        secret = auth.create_token(workspace, terminal, "ci")["token"]
    else:
        secret = auth.create_feed_token(workspace, terminal)
    who = auth.actor_for(workspace, via, secret)
    assert (who.user_id, who.email, who.via) == (terminal.user_id, terminal.email, via)
    assert (who.csrf_token is not None) == (via == "session")
    others = ("session", "token", "feed")
    for wrong in (secret[:-1], secret + "A", auth.new_secret(), "令牌", "\udc80", ""):
        with pytest.raises(auth.Unauthenticated):
            auth.actor_for(workspace, via, wrong)
    for kind in others:   # a secret opens only what it was made for
        if kind != via:
            with pytest.raises(auth.Unauthenticated):
                auth.actor_for(workspace, kind, secret)
    if via == "session":   # a session past its end opens nothing
        with workspace.transaction(write=True) as s:
            s.query(Session).update({Session.expires_at: datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)})
        with pytest.raises(auth.Unauthenticated):
            auth.actor_for(workspace, via, secret)


def test_the_evidence_limit_comes_from_the_environment_as_hegui_serve_sets_it(tmp_path, monkeypatch):
    from hegui.workspace.store import MAX_EVIDENCE_BYTES, Workspace, WorkspaceError
    monkeypatch.delenv("HEGUI_MAX_EVIDENCE_BYTES", raising=False)
    with Workspace(str(tmp_path / "a.db")) as ws:
        assert ws.max_evidence_bytes == MAX_EVIDENCE_BYTES == 10_000_000
    monkeypatch.setenv("HEGUI_MAX_EVIDENCE_BYTES", "5000")
    with Workspace(str(tmp_path / "b.db")) as ws:
        assert ws.max_evidence_bytes == 5000
    with Workspace(str(tmp_path / "c.db"), max_evidence_bytes=70) as ws:   # given: wins
        assert ws.max_evidence_bytes == 70
    for bad in ("lots", "-1", "0", "1e6"):
        monkeypatch.setenv("HEGUI_MAX_EVIDENCE_BYTES", bad)
        with pytest.raises(WorkspaceError, match=f"HEGUI_MAX_EVIDENCE_BYTES: expected a positive number of bytes, got '{bad}'"):
            Workspace(str(tmp_path / "d.db"))
