"""The dashboard and the calendar feed over HTTP: what each user sees, and what changed since."""

from __future__ import annotations

import datetime

import pytest
from fastapi.testclient import TestClient

from workspace_support import JOBS

W = "/v1/workspace"


@pytest.fixture
def team(workspace, terminal):
    """Jobs Platform (admin and a viewer) and Other Co (its own member only), with tokens."""
    from hegui.api import create_app
    from hegui.workspace import auth
    from hegui.workspace.store import Actor
    text = JOBS.read_text(encoding="utf-8")
    jobs = workspace.import_text(text, terminal)["organisation_id"]
    workspace.set_member(jobs, terminal.email, "admin")
    outsider = workspace.create_user("other@example.com", "a long enough password")
    other_actor = Actor(outsider.id, outsider.email, False, "token")
    other = workspace.create_organisation("Other Co", other_actor)["id"]
    workspace.save_version(other, text.replace("Jobs Platform Inc.", "Other Co"), 0, other_actor)
    with TestClient(create_app(workspace=workspace)) as client:
        client.jobs, client.other = jobs, other
        client.admin = {"Authorization": f"Bearer {auth.create_token(workspace, terminal, 't')['token']}"}
        client.outsider = {"Authorization": f"Bearer {auth.create_token(workspace, other_actor, 't')['token']}"}
        yield client


def test_the_dashboard_shows_the_overdue_duty_of_the_users_organisations_only(team):
    mine = team.get(f"{W}/dashboard", params={"as_of": "2024-06-20"}, headers=team.admin).json()
    assert [o["name"] for o in mine["organisations"]] == ["Jobs Platform Inc."]
    # From the README's assessment of this manifest: the standard contract was due 2023-12-04.
    overdue = {(d["organisation"], d["obligation"], d["subject"]): d for d in mine["overdue"]}
    duty = overdue[("Jobs Platform Inc.", "cbdt.standard-contract-or-certification", "transfer:crm-to-us")]
    assert duty["date"] == "2023-12-04" and duty["days"] == (datetime.date(2023, 12, 4) - datetime.date(2024, 6, 20)).days
    theirs = team.get(f"{W}/dashboard", params={"as_of": "2024-06-20"}, headers=team.outsider).json()
    assert [o["name"] for o in theirs["organisations"]] == ["Other Co"]
    assert all(d["organisation"] == "Other Co" for d in theirs["overdue"] + theirs["due_soon"] + theirs["waiting"])


def test_what_changed_since_the_last_visit_names_the_edit(team, workspace, terminal):
    first = team.get(f"{W}/dashboard", headers=team.admin).json()   # today: remembered as the visit
    assert first["changes"] == []
    workspace.add_record(team.jobs, terminal, obligation="cbdt.standard-contract-or-certification",
                         subject="transfer:crm-to-us", done_on=datetime.date(2024, 7, 1), owner="dpo@example.com")
    again = team.get(f"{W}/dashboard", headers=team.admin).json()
    changed = [c for c in again["changes"] if c["obligation"] == "cbdt.standard-contract-or-certification"]
    assert changed and changed[0]["cause"] == "manifest" and changed[0]["subject"] == "transfer:crm-to-us"
    assert team.get(f"{W}/dashboard", headers=team.admin).json()["changes"] == []   # seen now


def test_the_feed_is_a_calendar_of_the_users_deadlines_until_its_address_is_replaced(team):
    import icalendar
    url = team.post(f"{W}/feed", headers=team.admin).json()["url"]
    assert url.startswith("http://testserver/v1/workspace/feed/") and url.endswith(".ics")
    path = url.removeprefix("http://testserver")
    answer = team.get(path)   # no login: the address is the key
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/calendar")
    events = icalendar.Calendar.from_ical(answer.content).walk("VEVENT")
    assert events and all("Jobs Platform Inc." in str(e["SUMMARY"]) for e in events)
    assert not any("Other Co" in str(e["SUMMARY"]) for e in events)
    team.post(f"{W}/feed", headers=team.admin)   # a new address
    assert team.get(path).status_code == 404
    assert team.delete(f"{W}/feed", headers=team.admin).status_code == 204


def test_a_new_rulebook_since_the_last_visit_shows_what_it_changed_on_the_same_manifest(team, workspace, terminal):
    """The last visit was under a rulebook whose officer report fell due 20 working days after the
    millionth individual, not 30 (kept in the database): today's rulebook moves that deadline."""
    from hegui.calendar.clock import today
    from hegui.rulebook.load import compile_rulebook
    from hegui.rulebook.sources import read_sources, shipped_folder
    from hegui.workspace.overview import _rulebook
    shipped = read_sources(shipped_folder())
    name = "cac-pipo-reporting-announcement-2025.yaml"
    files = dict(shipped.rule_files)
    before = b"working_days_after: organisation.pi_individuals_1m_reached_on\n        count: 30"
    assert before in files[name]
    files[name] = files[name].replace(before, before[:-2] + b"20")
    older = type(shipped)(shipped.catalogue, tuple(sorted(files.items())), shipped.boundary_words)
    workspace.keep_rulebook(older, "older")
    text = JOBS.read_text(encoding="utf-8").replace(
        "  pi_individuals: 50000000\n", "  pi_individuals: 50000000\n  pi_individuals_1m_reached_on: 2026-10-26\n")
    version = workspace.save_version(team.jobs, text, 1, terminal, "the millionth individual")["number"]
    # Seen today (on the mainland's calendar, as a visit is), so only the rulebook differs since.
    workspace.mark_visited(terminal.user_id, {team.jobs: version}, today(), older.digest)
    assert compile_rulebook(older).digest == older.digest != _rulebook().digest
    changes = team.get(f"{W}/dashboard", headers=team.admin).json()["changes"]
    officer = [c for c in changes if c["obligation"] == "pipl.pi-protection-officer"]
    assert [c["cause"] for c in officer] == ["rulebook"]
    assert officer[0]["rulebooks"] == [older.digest, _rulebook().digest]
    # That visit is now under today's rulebook, which is kept in its turn for the next upgrade.
    assert workspace.kept_rulebook(_rulebook().digest).digest == _rulebook().digest


def dashboard(team, who, **params) -> dict:
    answer = team.get(f"{W}/dashboard", params=params, headers=who)
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    return answer.json()


def overdue_keys(doc) -> set:
    return {(d["organisation"], d["obligation"], d["subject"]) for d in doc["overdue"]}


def test_a_kept_dashboard_is_rebuilt_after_a_new_version_or_record(team, workspace, terminal):
    """On a day given (no visit is recorded), the same request is answered from the kept document:
    an edit must still show in the next answer."""
    filing = ("Jobs Platform Inc.", "cbdt.standard-contract-or-certification", "transfer:crm-to-us")
    assert filing in overdue_keys(dashboard(team, team.admin, as_of="2024-06-20"))
    assert dashboard(team, team.admin, as_of="2024-06-20")["organisations"][0]["name"] == "Jobs Platform Inc."
    # A record of the filing, done before that day: the duty is done, not overdue.
    workspace.add_record(team.jobs, terminal, obligation=filing[1], subject=filing[2],
                         done_on=datetime.date(2023, 12, 1), owner="dpo@example.com")
    assert filing not in overdue_keys(dashboard(team, team.admin, as_of="2024-06-20"))
    # A new version without the transfer abroad: no filing at all, not even done.
    current = workspace.version(team.jobs)
    text = current["text"].replace("includes_pi: true", "includes_pi: false")
    assert text != current["text"]
    workspace.save_version(team.jobs, text, current["number"], terminal, "no personal information abroad")
    doc = dashboard(team, team.admin, as_of="2024-06-20")
    assert not any(d["obligation"] == filing[1] for d in doc["overdue"] + doc["due_soon"] + doc["waiting"])


def test_one_users_kept_dashboard_is_never_anothers(team, workspace, terminal):
    """The admin sees Jobs Platform, the outsider Other Co; whatever was kept for one, the other gets
    their own, also as their memberships change."""
    mine = dashboard(team, team.admin, as_of="2024-06-20")
    theirs = dashboard(team, team.outsider, as_of="2024-06-20")
    assert [o["name"] for o in mine["organisations"]] == ["Jobs Platform Inc."]
    assert [o["name"] for o in theirs["organisations"]] == ["Other Co"]
    assert {d["organisation"] for d in theirs["overdue"]} == {"Other Co"}
    workspace.set_member(team.jobs, "other@example.com", "viewer")
    both = dashboard(team, team.outsider, as_of="2024-06-20")
    assert [o["name"] for o in both["organisations"]] == ["Jobs Platform Inc.", "Other Co"]
    assert [o["name"] for o in dashboard(team, team.admin, as_of="2024-06-20")["organisations"]] == \
        ["Jobs Platform Inc."]
    outsider = workspace.user("other@example.com")
    workspace.remove_member(team.jobs, outsider.id)
    assert [o["name"] for o in dashboard(team, team.outsider, as_of="2024-06-20")["organisations"]] == ["Other Co"]


def test_a_dashboard_seen_again_costs_two_queries_however_many_organisations(workspace, terminal):
    """Who is asking, and whether anything the dashboard is made from moved: no query per
    organisation, no write, no text read."""
    from sqlalchemy import event

    from hegui.workspace import auth
    from hegui.workspace.overview import dashboard_json
    token = auth.create_token(workspace, terminal, "t")["token"]
    text = JOBS.read_text(encoding="utf-8")
    counts = []
    for n in (1, 4):
        while len(workspace.organisations_of(terminal.user_id)) < n:
            name = f"Company {len(workspace.organisations_of(terminal.user_id)) + 1}"
            workspace.import_text(text.replace("Jobs Platform Inc.", name), terminal)
        for _ in range(2):   # the first sees them (a visit written), the next builds what is then kept
            dashboard_json(workspace, auth.actor_for(workspace, "token", token))
        statements = []
        engines = {workspace.engine, getattr(workspace, "_write_engine", workspace.engine)}
        listen = lambda conn, cursor, statement, *rest: statements.append(statement)   # noqa: E731
        for engine in engines:
            event.listen(engine, "before_cursor_execute", listen)
        try:
            kept = dashboard_json(workspace, auth.actor_for(workspace, "token", token))
        finally:
            for engine in engines:
                event.remove(engine, "before_cursor_execute", listen)
        assert len(__import__("json").loads(kept)["organisations"]) == n
        assert all(s.lstrip().upper().startswith("SELECT") for s in statements), statements
        assert not any("manifest_versions.text" in s for s in statements)
        counts.append(len(statements))
    assert counts == [2, 2]


def test_two_users_of_the_same_organisations_each_get_what_changed_since_their_own_visit(team, workspace, terminal):
    workspace.set_member(team.other, terminal.email, "viewer")
    workspace.set_member(team.jobs, "other@example.com", "viewer")
    dashboard(team, team.admin)                     # the admin's visit, at version 1 of each
    record = {"obligation": "cbdt.standard-contract-or-certification", "subject": "transfer:crm-to-us"}
    workspace.add_record(team.jobs, terminal, **record, done_on=datetime.date(2024, 7, 1))
    theirs = dashboard(team, team.outsider)         # a first visit: nothing changed since
    mine = dashboard(team, team.admin)
    assert [o["name"] for o in theirs["organisations"]] == [o["name"] for o in mine["organisations"]] == \
        ["Jobs Platform Inc.", "Other Co"]
    assert theirs["changes"] == [] and theirs["organisations"][0]["edits"] == []
    assert {(c["organisation"], c["cause"], c["obligation"]) for c in mine["changes"]} >= \
        {("Jobs Platform Inc.", "manifest", record["obligation"])}
    assert dashboard(team, team.outsider)["changes"] == []


def test_the_dashboard_goes_gzipped_to_a_client_that_takes_it_and_plain_to_one_that_does_not(team):
    plain = team.get(f"{W}/dashboard", params={"as_of": "2024-06-20"}, headers={**team.admin, "Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.headers["vary"] == "Accept-Encoding"
    packed = team.get(f"{W}/dashboard", params={"as_of": "2024-06-20"}, headers={**team.admin, "Accept-Encoding": "gzip"})
    assert packed.headers["content-encoding"] == "gzip" and packed.headers["vary"] == "Accept-Encoding"
    assert packed.content == plain.content                       # the same document, unpacked by the client
    assert packed.num_bytes_downloaded < plain.num_bytes_downloaded / 2


@pytest.mark.parametrize("header, takes", [
    ("gzip, deflate, br", True), ("GZIP", True), ("br;q=1.0, gzip;q=0.8", True), ("*", True), ("*;q=0.5", True),
    ("", False), ("identity", False), ("br", False), ("gzip;q=0", False), ("gzip;q=0.000", False),
    ("br, *;q=0", False), ("gzip;q=0, *", False), ("gzip;q=lots", False),
])
def test_which_accept_encoding_takes_gzip(header, takes):
    from hegui.workspace.routes import accepts_gzip
    assert accepts_gzip(header) is takes


def _another_worker_inserts_first(workspace, table: str, row: dict):
    """A hook that, just before this workspace inserts into table, has another connection insert row
    and commit: a second worker (or tab) that found the row missing at the same moment."""
    from sqlalchemy import event, text

    def first(conn, cursor, statement, *rest):
        if statement.lstrip().upper().startswith(f"INSERT INTO {table.upper()}") and not done:
            done.append(True)
            with workspace.engine.begin() as other:
                other.execute(text(f"INSERT INTO {table} ({', '.join(row)}) VALUES "
                                   f"({', '.join(':' + k for k in row)})"), row)
    done: list = []
    event.listen(workspace.engine, "before_cursor_execute", first)
    return lambda: event.remove(workspace.engine, "before_cursor_execute", first) or done


def test_two_first_visits_at_once_both_succeed_and_the_later_one_stands(workspace, terminal, database):
    """On PostgreSQL two transactions can both find no visit row, and both insert it (two tabs
    opened at once, or the two server workers): the later one updates the row instead of failing on
    the unique key. (SQLite's writers take turns, BEGIN IMMEDIATE: the race cannot happen there.)"""
    if not database.startswith("postgresql"):
        pytest.skip("SQLite's writers take turns: no two of them find the row missing")
    from sqlalchemy import select

    from hegui.workspace.models import Visit
    org = workspace.import_text(JOBS.read_text(encoding="utf-8"), terminal)["organisation_id"]
    stop = _another_worker_inserts_first(workspace, "visits", {
        "user_id": terminal.user_id, "organisation_id": org, "version": 1, "seen_on": datetime.date(2026, 1, 1),
        "rulebook_digest": "older", "at": datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)})
    try:
        workspace.mark_visited(terminal.user_id, {org: 1}, datetime.date(2026, 2, 2), "newer")
    finally:
        assert stop() == [True]   # the other insert did come first
    with workspace.transaction() as s:
        visits = [(v.version, v.seen_on, v.rulebook_digest) for v in s.scalars(select(Visit))]
    assert visits == [(1, datetime.date(2026, 2, 2), "newer")]


def test_a_rulebook_kept_by_another_worker_in_between_is_not_an_error(workspace, database):
    if not database.startswith("postgresql"):
        pytest.skip("SQLite's writers take turns: no two of them find the row missing")
    from hegui.rulebook.sources import read_sources, shipped_folder
    from hegui.workspace.store import _packed
    shipped = read_sources(shipped_folder())
    stop = _another_worker_inserts_first(workspace, "rulebooks", {
        "digest": shipped.digest, "version": "theirs", "sources": _packed(shipped),
        "kept_at": datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)})
    try:
        workspace.keep_rulebook(shipped, "ours")
    finally:
        assert stop() == [True]
    assert workspace.kept_rulebook(shipped.digest).digest == shipped.digest
