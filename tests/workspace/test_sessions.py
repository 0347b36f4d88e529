"""Sessions, CSRF, API tokens, login limits and uploads over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime
import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from workspace_support import JOBS
from test_access import TABLE

W = "/v1/workspace"
PASSWORD = "a long enough password"


@pytest.fixture
def site(workspace, terminal):
    """The app over a workspace with an admin (terminal's user) and one organisation."""
    from hegui.api import create_app
    org = workspace.import_text(JOBS.read_text(encoding="utf-8"), terminal)["organisation_id"]
    workspace.set_member(org, terminal.email, "admin")
    with TestClient(create_app(workspace=workspace)) as client:
        client.org = org
        yield client


def login(client, email="admin@example.com", password=PASSWORD):
    return client.post(f"{W}/login", json={"email": email, "password": password})


def versions(client, headers) -> int:
    return len(client.get(f"{W}/organisations/{client.org}/manifests", headers=headers).json()["versions"])


def test_login_sets_an_httponly_samesite_cookie_and_answers_with_the_csrf_token(site):
    answer = login(site)
    assert answer.status_code == 200
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith("hegui_session=") and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "Secure" not in cookie   # plain http (a local server): a Secure cookie would never come back
    assert answer.json()["csrf_token"] and answer.json()["user"]["email"] == "admin@example.com"
    assert site.get(f"{W}/me").json()["csrf_token"] == answer.json()["csrf_token"]


def test_over_https_the_cookie_is_secure(workspace, terminal):
    from hegui.api import create_app
    with TestClient(create_app(workspace=workspace), base_url="https://testserver") as client:
        assert "Secure" in login(client).headers["set-cookie"]


def test_a_wrong_password_and_an_unknown_user_get_the_same_401(site):
    wrong, unknown = login(site, password="not the password"), login(site, email="nobody@example.com")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert "hegui_session" not in site.cookies


def test_the_database_holds_no_password_or_secret_only_their_hashes(site, workspace):
    from hegui.workspace.models import ApiToken, Session, User
    login(site)
    csrf = site.get(f"{W}/me").json()["csrf_token"]
    secret = site.post(f"{W}/tokens", json={"name": "ci"}, headers={"X-CSRF-Token": csrf}).json()["token"]
    with workspace.transaction() as s:
        user = s.scalar(select(User))
        assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
        assert secret not in {t.token_hash for t in s.scalars(select(ApiToken))}
        assert site.cookies["hegui_session"] not in {x.token_hash for x in s.scalars(select(Session))}


def test_a_cookie_session_changing_state_without_the_csrf_token_is_refused_and_nothing_changes(site, workspace):
    """Every state-changing endpoint but login (the access table's rows, so a new one is covered)."""
    login(site)
    size, failures = workspace.ledger.size(), []
    for method, path in [k for k in TABLE if k[0] != "GET" and not k[1].endswith("/login")]:
        url = path.replace("{organisation_id}", str(site.org)).replace("{record_id}", "1").replace(
            "{evidence_id}", "1").replace("{user_id}", "1").replace("{token_id}", "1")
        for headers in ({}, {"X-CSRF-Token": "forged"}):
            answer = site.request(method, url, headers=headers, json={})
            if answer.status_code != 403 or answer.json()["errors"][0]["path"] != "X-CSRF-Token":
                failures.append(f"{method} {path} {headers}: {answer.status_code} {answer.text[:100]}")
    assert not failures, "\n".join(failures)
    assert workspace.ledger.size() == size
    assert site.get(f"{W}/me").status_code == 200   # not even logout went through


def test_with_the_csrf_token_the_same_session_saves(site, workspace):
    csrf = login(site).json()["csrf_token"]
    answer = site.post(f"{W}/organisations/{site.org}/manifests", headers={"X-CSRF-Token": csrf},
                       json={"text": JOBS.read_text(encoding="utf-8") + "# two\n", "expected_version": 1})
    assert answer.status_code == 201 and answer.json()["number"] == 2
    assert workspace.ledger.entries()[-1].assessment_dict()["workspace"]["actor"]["email"] == "admin@example.com"


def test_logout_ends_the_session_for_the_cookie_that_held_it(site):
    csrf = login(site).json()["csrf_token"]
    kept = site.cookies["hegui_session"]
    assert site.post(f"{W}/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    site.cookies.clear()
    site.cookies.set("hegui_session", kept)   # a copy of the cookie kept from before the logout
    assert site.get(f"{W}/me").status_code == 401


def test_an_expired_session_opens_nothing(site, workspace):
    from hegui.workspace.models import Session
    login(site)
    with workspace.transaction() as s:
        s.execute(update(Session).values(expires_at=datetime.datetime.now(datetime.timezone.utc)
                                         - datetime.timedelta(seconds=1)))
    assert site.get(f"{W}/me").status_code == 401


def test_an_api_token_needs_no_csrf_is_shown_once_and_stops_when_revoked(site):
    csrf = login(site).json()["csrf_token"]
    made = site.post(f"{W}/tokens", json={"name": "ci"}, headers={"X-CSRF-Token": csrf}).json()
    assert made["token"].startswith("hg_")
    assert all("token" not in t for t in site.get(f"{W}/tokens").json()["tokens"])   # never again
    site.cookies.clear()
    bearer = {"Authorization": f"Bearer {made['token']}"}
    assert site.post(f"{W}/organisations/{site.org}/assess", headers=bearer).status_code == 200
    assert site.delete(f"{W}/tokens/{made['id']}", headers=bearer).status_code == 204
    assert site.get(f"{W}/me", headers=bearer).status_code == 401
    assert site.get(f"{W}/me", headers={"Authorization": "Bearer hg_made-up"}).status_code == 401


def test_failed_logins_are_limited_per_user_even_with_the_right_password_then(site):
    from hegui.workspace.auth import FAILURES_PER_USER
    for _ in range(FAILURES_PER_USER):
        assert login(site, password="wrong password!").status_code == 401
    limited = login(site)
    assert limited.status_code == 429 and 0 < int(limited.headers["Retry-After"]) <= 15 * 60
    assert limited.json()["errors"][0]["message"].startswith("too many failed logins")


def test_failed_logins_are_limited_per_address_across_users(site, workspace, monkeypatch):
    from hegui.workspace import auth
    monkeypatch.setattr(auth, "FAILURES_PER_ADDRESS", 3)
    for n in range(3):
        assert login(site, email=f"guess{n}@example.com", password="wrong password!").status_code == 401
    assert login(site).status_code == 429   # from the same address, another user's right password waits


def test_failures_before_the_window_do_not_count(site, workspace):
    from hegui.workspace.auth import FAILURE_WINDOW, FAILURES_PER_USER
    from hegui.workspace.models import LoginFailure
    for _ in range(FAILURES_PER_USER):
        login(site, password="wrong password!")
    with workspace.transaction() as s:
        s.execute(update(LoginFailure).values(at=datetime.datetime.now(datetime.timezone.utc) - FAILURE_WINDOW))
    assert login(site).status_code == 200


def _bearer(site):
    csrf = login(site).json()["csrf_token"]
    token = site.post(f"{W}/tokens", json={"name": "t"}, headers={"X-CSRF-Token": csrf}).json()["token"]
    site.cookies.clear()
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("name, data, kind, status", [
    ("big.pdf", b"x" * 2_001, "application/pdf", 413),    # the fixture's limit: 2,000 bytes
    ("page.html", b"<script>", "text/html", 415),
    ("a.exe", b"MZ", "application/octet-stream", 415),
])
def test_an_upload_over_the_limit_or_of_a_refused_type_gets_a_clear_answer_and_stores_nothing(
        site, workspace, name, data, kind, status):
    from hegui.workspace.models import Blob, Evidence
    headers = _bearer(site)
    size = workspace.ledger.size()
    answer = site.post(f"{W}/organisations/{site.org}/records/1/evidence", headers=headers,
                       files={"file": (name, data, kind)})
    assert answer.status_code == status
    assert answer.json()["errors"][0]["path"] == "file"
    with workspace.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Blob)) == 0
        assert s.scalar(select(func.count()).select_from(Evidence)) == 0
    assert workspace.ledger.size() == size


def test_evidence_uploaded_comes_back_as_an_attachment_that_cannot_be_sniffed(site):
    headers = _bearer(site)
    made = site.post(f"{W}/organisations/{site.org}/records/1/evidence", headers=headers,
                     files={"file": ("受理通知.pdf", b"%PDF-1.7", "application/pdf")}).json()
    back = site.get(f"{W}/organisations/{site.org}/evidence/{made['id']}", headers=headers)
    assert back.content == b"%PDF-1.7" and back.headers["content-type"] == "application/pdf"
    assert back.headers["x-content-type-options"] == "nosniff"
    assert back.headers["content-disposition"].startswith("attachment; filename*=UTF-8''%E5%8F%97")
    record = site.get(f"{W}/organisations/{site.org}/records", headers=headers).json()["records"][0]
    assert record["evidence"][0]["sha256"] == made["sha256"]


def test_two_writers_from_the_same_version_one_gets_409_and_its_edit_is_not_saved(site):
    headers = _bearer(site)
    text = JOBS.read_text(encoding="utf-8")
    first = site.post(f"{W}/organisations/{site.org}/manifests", headers=headers,
                      json={"text": text + "# alice\n", "expected_version": 1, "message": "alice"})
    second = site.post(f"{W}/organisations/{site.org}/manifests", headers=headers,
                       json={"text": text + "# bob\n", "expected_version": 1, "message": "bob"})
    assert (first.status_code, second.status_code) == (201, 409)
    assert second.json()["errors"][0]["path"] == "expected_version"
    assert "version 2" in second.json()["errors"][0]["message"]
    assert site.get(f"{W}/organisations/{site.org}/export", headers=headers).text.endswith("# alice\n")


def test_a_bad_manifest_is_a_422_naming_the_field_and_line(site):
    headers = _bearer(site)
    text = JOBS.read_text(encoding="utf-8")
    answer = site.post(f"{W}/organisations/{site.org}/manifests", headers=headers, json={
        "text": text.replace("pi_individuals: 50000000", "pi_individuals: -1"), "expected_version": 1})
    assert answer.status_code == 422
    error = answer.json()["errors"][0]
    assert error["path"] == "text.organisation.pi_individuals"
    assert error["line"] == text.splitlines().index("  pi_individuals: 50000000") + 1


@pytest.mark.parametrize("path, body, field", [
    ("/manifests", {"text": "format: hegui/1", "expected_version": 1, "message": "a\x00b"}, "message"),
    ("/records", {"obligation": "pipl.impact-assessment", "subject": "organisation", "note": "a\x00b"}, "note"),
    ("/records", {"obligation": "pipl.impact-assessment", "subject": "organisation", "owner": "\ud800"}, "owner"),
    ("", {"name": "a\x00b"}, "name"),
])
def test_text_no_database_can_keep_is_a_422_naming_the_field(site, workspace, path, body, field):
    headers = _bearer(site)
    url = f"{W}/organisations" + (f"/{site.org}{path}" if path else "")
    # As JSON text with \u escapes: a lone surrogate cannot be sent any other way.
    answer = site.post(url, headers={**headers, "content-type": "application/json"}, content=json.dumps(body))
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["path"] == field
    assert len(site.get(f"{W}/organisations/{site.org}/manifests", headers=headers).json()["versions"]) == 1


def test_a_login_with_a_nul_in_the_email_is_a_422_not_a_server_error(site):
    answer = site.post(f"{W}/login", json={"email": "admin@example.com\x00", "password": PASSWORD})
    assert answer.status_code == 422 and answer.json()["errors"][0]["path"] == "email"


@pytest.mark.parametrize("url", [
    "/organisations/2147483648", "/organisations/9223372036854775808/records",
    "/organisations/{org}/manifests/99999999999999999999", "/organisations/{org}/diff?from=1&to=2147483648",
    "/organisations/{org}/evidence/-1",
])
def test_an_id_beyond_the_databases_integers_is_a_422_not_a_server_error(site, url):
    answer = site.get(W + url.replace("{org}", str(site.org)), headers=_bearer(site))
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["message"]


def test_assess_answers_the_json_of_hegui_assess_in_either_language(site):
    from hegui.engine import assess
    from hegui.manifest import parse_manifest
    from hegui.report.json_report import render_json
    headers = _bearer(site)
    result = assess(parse_manifest(JOBS.read_text(encoding="utf-8")), datetime.date(2024, 6, 20))
    for lang in ("en", "zh"):
        answer = site.post(f"{W}/organisations/{site.org}/assess", headers=headers,
                           params={"as_of": "2024-06-20", "lang": lang})
        assert answer.status_code == 200
        assert answer.json() == json.loads(render_json(result, lang=lang))


def test_a_cross_site_form_cannot_log_a_browser_in(site):
    """A form on another site can post text/plain shaped like JSON, but not application/json (that
    would need CORS, which this server does not grant): the login reads only JSON."""
    body = json.dumps({"email": "admin@example.com", "password": PASSWORD})
    answer = site.post(f"{W}/login", content=body, headers={"content-type": "text/plain"})
    assert answer.status_code == 422 and "hegui_session" not in answer.headers.get("set-cookie", "")
    assert "access-control-allow-origin" not in answer.headers


def test_evidence_up_to_its_limit_passes_a_smaller_body_limit_which_still_bounds_everything_else(workspace, terminal):
    # --max-body bounds manifests; an evidence file may be larger, up to --max-evidence (here
    # 2,000 bytes against a body limit of 1,000), and the store's 413 names that limit.
    from hegui.api import create_app
    org = workspace.import_text(JOBS.read_text(encoding="utf-8"), terminal)["organisation_id"]
    workspace.set_member(org, terminal.email, "admin")
    with TestClient(create_app(workspace=workspace, max_body_bytes=1_000)) as web:
        csrf = login(web).json()["csrf_token"]
        headers = {"X-CSRF-Token": csrf}
        upload = f"{W}/organisations/{org}/records/1/evidence"
        at = web.post(upload, headers=headers, files={"file": ("scan.pdf", b"x" * 2_000, "application/pdf")})
        assert at.status_code == 201, at.text
        over = web.post(upload, headers=headers, files={"file": ("scan.pdf", b"x" * 2_001, "application/pdf")})
        assert over.status_code == 413 and "2,000 bytes" in over.json()["errors"][0]["message"]
        far = web.post(upload, headers=headers, files={"file": ("scan.pdf", b"x" * 200_000, "application/pdf")})
        assert far.status_code == 413   # refused by the body limit as it arrives, not read whole
        text = "organisation:\n  name: " + "x" * 1_000 + "\n"
        manifest = web.post(f"{W}/organisations/{org}/manifests", headers=headers,
                            json={"text": text, "expected_version": 1, "message": "long"})
        assert manifest.status_code == 413 and "larger than 1000 bytes" in manifest.json()["errors"][0]["message"]
