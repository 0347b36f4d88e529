"""Who may call what: every workspace endpoint × (admin, editor, viewer, a member of another
organisation, anonymous), on SQLite and PostgreSQL.

The table is checked against the app's routes, so an endpoint added without its row fails here.
The callers use API tokens (Bearer, no CSRF); the cookie session and its CSRF token are tested in
test_sessions.py.
"""

from __future__ import annotations

import itertools
import re

import pytest
from fastapi.testclient import TestClient

from workspace_support import BACKENDS, JOBS, new_database

ROLES = ("admin", "editor", "viewer", "other", "anonymous")
ORG = "/v1/workspace/organisations/{organisation_id}"
PDF = ("receipt.pdf", b"%PDF-1.7 receipt", "application/pdf")
_unique = itertools.count(1)


def statuses(admin, editor, viewer, other, anonymous=401):
    return dict(zip(ROLES, (admin, editor, viewer, other, anonymous)))


def read(ok=200):
    """An organisation's page: any member reads it; no one else learns it exists."""
    return statuses(ok, ok, ok, 404)


def edit(ok):
    return statuses(ok, ok, 403, 404)


def manage(ok):
    return statuses(ok, 403, 403, 404)


def fresh_version(state):
    current = state.ws.organisation(state.org)["version"]
    return {"json": {"text": JOBS.read_text(encoding="utf-8") + f"# edit {next(_unique)}\n",
                     "expected_version": current, "message": "edit"}}


def fresh_record(state):
    return {"json": {"obligation": "pipl.impact-assessment", "subject": "organisation",
                     "done_on": f"2024-01-{next(_unique) % 28 + 1:02d}", "reference": f"PIA-{next(_unique)}",
                     "owner": "dpo@example.com"}}


def spare_member(state):
    """A member to remove: put back before each attempt."""
    state.ws.set_member(state.org, "spare@example.com", "viewer")
    return {"path": {"user_id": state.users["spare"]}}


def own_token(state, role):
    from hegui.workspace import auth
    caller = state.actors.get(role) or state.actors["admin"]
    return {"path": {"token_id": auth.create_token(state.ws, caller, "to revoke")["id"]}}


def login_body(state, role):
    who = "viewer" if role == "anonymous" else role
    return {"json": {"email": f"{who}@example.com", "password": state.password}}


def feed_address(state, role):
    """The caller's own feed secret; anonymous, one made up."""
    from hegui.workspace import auth
    if role == "anonymous":
        return {"path": {"token": "made-up-secret"}}
    return {"path": {"token": auth.create_feed_token(state.ws, state.actors[role])}}


# (method, path) -> (expected status per caller, the request's parts for that caller)
TABLE = {
    ("POST", "/v1/workspace/login"): (statuses(200, 200, 200, 200, 200), login_body),
    ("POST", "/v1/workspace/logout"): (statuses(204, 204, 204, 204), None),
    ("GET", "/v1/workspace/me"): (statuses(200, 200, 200, 200), None),
    ("POST", "/v1/workspace/users"): (statuses(201, 403, 403, 403),
                                      lambda s: {"json": {"email": f"new{next(_unique)}@example.com",
                                                          "password": "a long enough password"}}),
    ("GET", "/v1/workspace/tokens"): (statuses(200, 200, 200, 200), None),
    ("POST", "/v1/workspace/tokens"): (statuses(201, 201, 201, 201), lambda s: {"json": {"name": "ci"}}),
    ("DELETE", "/v1/workspace/tokens/{token_id}"): (statuses(204, 204, 204, 204), own_token),
    ("GET", "/v1/workspace/dashboard"): (statuses(200, 200, 200, 200), lambda s: {"params": {"as_of": "2024-06-20"}}),
    ("POST", "/v1/workspace/feed"): (statuses(201, 201, 201, 201), None),
    ("DELETE", "/v1/workspace/feed"): (statuses(204, 204, 204, 204), None),
    ("GET", "/v1/workspace/feed/{token}.ics"): (statuses(200, 200, 200, 200, 404), feed_address),
    ("GET", "/v1/workspace/organisations"): (statuses(200, 200, 200, 200), None),
    ("POST", "/v1/workspace/organisations"): (statuses(201, 403, 403, 403),
                                              lambda s: {"json": {"name": f"New Co {next(_unique)}",
                                                                  "group": "Group"}}),
    ("GET", ORG): (read(), None),
    ("GET", ORG + "/members"): (read(), None),
    ("PUT", ORG + "/members"): (manage(200), lambda s: {"json": {"email": "spare@example.com", "role": "viewer"}}),
    ("DELETE", ORG + "/members/{user_id}"): (manage(204), spare_member),
    ("GET", ORG + "/manifests"): (read(), None),
    ("POST", ORG + "/manifests"): (edit(201), fresh_version),
    ("GET", ORG + "/manifests/{number}"): (read(), lambda s: {"path": {"number": 1}}),
    ("GET", ORG + "/diff"): (read(), lambda s: {"params": {"from": 1, "to": 2}}),
    ("GET", ORG + "/export"): (read(), None),
    ("POST", ORG + "/assess"): (read(), lambda s: {"params": {"as_of": "2024-06-20"}}),
    ("GET", ORG + "/assessment"): (read(), lambda s: {"params": {"as_of": "2024-06-20"}}),
    ("GET", ORG + "/records"): (read(), None),
    ("POST", ORG + "/records"): (edit(201), fresh_record),
    ("POST", ORG + "/records/{record_id}/evidence"): (edit(201), lambda s: {"files": {"file": PDF}}),
    ("GET", ORG + "/evidence/{evidence_id}"): (read(), None),
}


class State:
    """One workspace with organisation A (admin, editor, viewer), B (other) and their tokens."""


@pytest.fixture(scope="module", params=BACKENDS)
def state(request, tmp_path_factory):
    from argon2 import PasswordHasher

    from hegui.api import create_app
    from hegui.workspace import auth
    from hegui.workspace.store import Actor, Workspace
    folder = tmp_path_factory.mktemp("access")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
        ws = Workspace(new_database(request.param, request, folder), str(folder / "w.ledger"))
        s = State()
        s.ws, s.password = ws, "a long enough password"
        s.users, s.actors, s.tokens = {}, {}, {}
        for name in ("admin", "editor", "viewer", "other", "spare"):
            user = ws.create_user(f"{name}@example.com", s.password, is_admin=name == "admin")
            s.users[name] = user.id
            s.actors[name] = Actor(user.id, user.email, user.is_admin, "token")
        s.org = ws.import_text(JOBS.read_text(encoding="utf-8"), s.actors["admin"])["organisation_id"]
        ws.save_version(s.org, JOBS.read_text(encoding="utf-8") + "# two\n", 1, s.actors["admin"], "two")
        ws.set_member(s.org, "editor@example.com", "editor")
        ws.set_member(s.org, "viewer@example.com", "viewer")
        ws.create_organisation("B Co", s.actors["other"])
        for name in ("admin", "editor", "viewer", "other"):
            s.tokens[name] = auth.create_token(ws, s.actors[name], "tests")["token"]
        s.record = ws.records(s.org)[0]["id"]
        s.evidence = ws.add_evidence(s.org, s.record, s.actors["admin"], filename="a.pdf",
                                     content_type="application/pdf", data=b"%PDF-1.7")["id"]
        with TestClient(create_app(workspace=ws)) as client:
            s.client = client
            yield s
    ws.close()


def workspace_routes(app) -> set[tuple[str, str]]:
    """Every (method, path) the app serves under /v1/workspace, as its OpenAPI description lists them."""
    return {(method.upper(), path) for path, operations in app.openapi()["paths"].items()
            if path.startswith("/v1/workspace") for method in operations}


def test_every_workspace_endpoint_has_a_row(state):
    routes = workspace_routes(state.client.app)
    assert routes - set(TABLE) == set(), "endpoints without a row in the access table"
    assert set(TABLE) - routes == set(), "rows for endpoints that are not there"


@pytest.mark.parametrize("method, path", list(TABLE), ids=[f"{m} {p}" for m, p in TABLE])
def test_who_may_call_each_endpoint(state, method, path):
    expected, parts = TABLE[(method, path)]
    failures = []
    for role in ROLES:
        # "other" is an admin of another organisation: even so, organisation A does not exist for them.
        request = {}
        if parts is not None:
            request = parts(state, role) if parts.__code__.co_argcount == 2 else parts(state)
        values = {"organisation_id": state.org, "record_id": state.record, "evidence_id": state.evidence,
                  **request.pop("path", {})}
        url = re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)
        headers = {"Authorization": f"Bearer {state.tokens[role]}"} if role in state.tokens else {}
        answer = state.client.request(method, url, headers=headers, **request)
        if answer.status_code != expected[role]:
            failures.append(f"{role}: {answer.status_code} (expected {expected[role]}): {answer.text[:200]}")
        elif answer.status_code >= 400:
            assert answer.json()["errors"][0]["message"], "a refusal says why"
    assert not failures, "\n".join(failures)


def test_a_refusal_for_another_organisation_is_the_same_as_for_none(state):
    other = {"Authorization": f"Bearer {state.tokens['other']}"}
    theirs = state.client.get(f"/v1/workspace/organisations/{state.org}", headers=other)
    missing = state.client.get("/v1/workspace/organisations/999999", headers=other)
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json()["errors"][0]["message"].replace(str(state.org), "N") == \
        missing.json()["errors"][0]["message"].replace("999999", "N")
