"""The team workspace in the browser: `hegui serve --workspace` on a temporary SQLite file, seeded
through the store, driven in Debian's Chromium: logging in and out, the dashboard, an
organisation's page with its history, records and evidence, editing its answers in the
questionnaire and the conflict of two writers, a viewer's page, Chinese and a phone's width.
Screenshots: tests/artifacts/web-workspace-*.png.

The seeded organisations hold the jobs-platform example with dates set around 2026-12-03 (the
page is opened with ?as_of=2026-12-03), as tests/workspace/test_dashboard.py sets them:
- the standard contract took effect on Monday 2026-10-12; it is filed within 10 working days
  (CAC Order 13 Art. 7), so by Monday 2026-10-26: on 2026-12-03 that is 38 days overdue;
- 1,000,000 individuals were reached on Monday 2026-10-26; the PI protection officer is reported
  within 30 working days (CAC announcement of 2025-07-18), so by Monday 2026-12-07: due in 4 days.
"""

from __future__ import annotations

import datetime
import os
import pathlib
import re
import sys

import pytest
from playwright.sync_api import expect

from workspace_browser import Visitors

ROOT = pathlib.Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"

AS_OF = "2026-12-03"
PASSWORD = "a long enough password"
ADMIN, EDITOR, VIEWER, LIMITED = "admin@example.com", "editor@example.com", "viewer@example.com", "limited@example.com"
FILING = ("cbdt.standard-contract-or-certification", "transfer:crm-to-us")
OFFICER = ("pipl.pi-protection-officer", "organisation")
LOCAL_REP = ("pipl.local-representative", "organisation")
MAX_BODY = 200_000   # the server's --max-body: a larger manifest is refused with 413
MAX_EVIDENCE = 100_000   # its --max-evidence: a larger evidence file is refused with 413


def jobs_text(name: str) -> str:
    text = (ROOT / "examples" / "jobs-platform.yaml").read_text(encoding="utf-8")
    text = text.replace("name: Jobs Platform Inc.", f"name: {name}")
    text = text.replace("  sensitive_pi_individuals: 2000000\n",
                        "  sensitive_pi_individuals: 2000000\n  pi_individuals_1m_reached_on: 2026-10-26\n")
    text = text.replace("mechanism_effective_on: 2023-11-20", "mechanism_effective_on: 2026-10-12")
    assert text.count("2026-10-") == 2
    return text


def older_rulebook():
    """The shipped rule files with the PI protection officer reported within 20 working days."""
    from hegui.rulebook.sources import read_sources, shipped_folder
    shipped = read_sources(shipped_folder())
    name = "cac-pipo-reporting-announcement-2025.yaml"
    files = dict(shipped.rule_files)
    count = b"working_days_after: organisation.pi_individuals_1m_reached_on\n        count: 30"
    assert count in files[name]
    files[name] = files[name].replace(count, count[:-2] + b"20")
    return type(shipped)(shipped.catalogue, tuple(sorted(files.items())), shipped.boundary_words)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """The workspace's database: users, and organisations by name -> id."""
    from argon2 import PasswordHasher

    from hegui.workspace import auth
    from hegui.workspace.store import Actor, Workspace
    # Cheap password hashes: the server checks each against the cost it was made with.
    auth._hasher, kept = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1), auth._hasher
    db = str(tmp_path_factory.mktemp("workspace") / "hegui.db")
    try:
        with Workspace(db) as ws:
            users = {e: ws.create_user(e, PASSWORD, is_admin=e == ADMIN) for e in (ADMIN, EDITOR, VIEWER, LIMITED)}
            admin = Actor(users[ADMIN].id, ADMIN, True, "terminal")
            ids = {}
            for name in ("Jobs Platform Inc.", "Edit Co", "Conflict Co", "Evidence Co"):
                ids[name] = ws.import_text(jobs_text(name), admin)["organisation_id"]
                ws.set_member(ids[name], ADMIN, "admin")
                ws.set_member(ids[name], EDITOR, "editor")
            ws.set_member(ids["Jobs Platform Inc."], VIEWER, "viewer")
            # Who answers for the local representative, whose duty waits for a fact.
            ws.add_record(ids["Jobs Platform Inc."], admin, obligation=LOCAL_REP[0], subject=LOCAL_REP[1],
                          owner="Wang Fang")
            # The viewer last looked on 2026-12-03 under an older rulebook, whose officer was reported
            # within 20 working days, not 30: today's rulebook moved that deadline since.
            older = older_rulebook()
            ws.keep_rulebook(older, "older")
            ws.mark_visited(users[VIEWER].id, {ids["Jobs Platform Inc."]: 2}, datetime.date(2026, 12, 3), older.digest)
    finally:
        auth._hasher = kept
    return db, ids


@pytest.fixture(scope="module")
def site(seeded):
    """`hegui serve --workspace` on the seeded database, for the whole module."""
    from serving import running_server
    db, _ = seeded
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with open(ARTIFACTS / "web-workspace-server.log", "w") as log, running_server(
            lambda port: [sys.executable, "-m", "hegui", "serve", "--workspace", db, "--port", str(port),
                          "--max-body", str(MAX_BODY), "--max-evidence", str(MAX_EVIDENCE),
                          "--no-access-log"],
            ready_path="/w/login", output=log, env={**os.environ, "PYTHONUNBUFFERED": "1"}) as base:
        yield base


@pytest.fixture
def visitors(browser, site):
    # An organisation's first look assesses it and appends to the ledger: on two busy cores that can take
    # longer than playwright's 5 s for an expectation, which is no fault of the page.
    expect.set_options(timeout=15_000)
    v = Visitors(browser, site)
    try:
        yield v
        v.check_and_close()
    finally:
        expect.set_options(timeout=5_000)


@pytest.fixture
def ids(seeded):
    return seeded[1]


def shot(page, name: str, full_page: bool = True):
    # A picture for a person to look at, not an assertion (a full page on a busy machine is slow).
    page.screenshot(path=str(ARTIFACTS / f"web-workspace-{name}.png"), full_page=full_page, timeout=90_000)


def item(page, section: str, obligation_subject: tuple[str, str], organisation: int):
    obligation, subject = obligation_subject
    return page.locator(f'#{section} li[data-obligation="{obligation}"][data-subject="{subject}"]'
                        f'[data-organisation="{organisation}"]')


def no_horizontal_scroll(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


# --- logging in, the dashboard ----------------------------------------------------------------

def test_a_wrong_password_is_refused_then_the_right_one_opens_the_dashboard(visitors, ids):
    page = visitors.open()
    page.goto(f"/w/?as_of={AS_OF}")
    expect(page).to_have_url(re.compile(r"/w/login\?next="))   # no session: to the login page
    page.fill("#email", ADMIN)
    page.fill("#password", "not the password")
    page.click("#login-submit")
    expect(page.locator("#error")).to_have_text("Wrong e-mail or password.")
    expect(page.locator("#password")).to_be_focused()
    shot(page, "login-wrong")
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    expect(page).to_have_url(re.compile(rf"/w/\?as_of={AS_OF}$"))   # back where the user was going
    jobs = ids["Jobs Platform Inc."]
    overdue = item(page, "overdue", FILING, jobs)
    expect(overdue).to_contain_text("38 day(s) overdue")
    expect(overdue).to_contain_text("Due 2026-10-26")
    expect(overdue.locator("a.org-link")).to_have_text("Jobs Platform Inc.")
    soon = item(page, "due-soon", OFFICER, jobs)
    expect(soon).to_contain_text("due in 4 day(s)")
    expect(soon).to_contain_text("Due 2026-12-07")
    expect(page.locator("#due-soon h2")).to_contain_text("Due in the next 30 days")
    # The findings waiting for facts, folded by organisation: the one with an owner comes first.
    group = page.locator(f'#waiting li.waiting-group[data-organisation="{jobs}"]')
    expect(group.locator("summary")).to_contain_text("1 with an owner")
    group.locator("summary").click()
    waiting = item(page, "waiting", LOCAL_REP, jobs)
    expect(group.locator("li.waiting").first).to_have_attribute("data-obligation", LOCAL_REP[0])
    expect(waiting).to_contain_text("Owner: Wang Fang")
    expect(waiting.locator("li[data-fact]").first).to_be_visible()
    # Every seeded organisation the admin belongs to is there, each linked to its page.
    for name, number in ids.items():
        expect(page.locator(f'#organisations li[data-organisation="{number}"] a')).to_have_text(name)
    expect(page.locator("#who")).to_have_text(f"Signed in as {ADMIN}")
    shot(page, "dashboard")
    overdue.locator("a.org-link").click()
    expect(page).to_have_url(re.compile(rf"/w/organisations/{jobs}$"))
    expect(page.locator("#org-name")).to_have_text("Jobs Platform Inc.")


def test_too_many_failed_logins_are_refused_even_with_the_right_password(visitors):
    from hegui.workspace.auth import FAILURES_PER_USER
    page = visitors.open()
    page.goto("/w/login")
    page.fill("#email", LIMITED)
    for _ in range(FAILURES_PER_USER):
        page.fill("#password", "a wrong password")
        with page.expect_response("**/v1/workspace/login") as answer:
            page.click("#login-submit")
        assert answer.value.status == 401
        expect(page.locator("#error")).to_have_text("Wrong e-mail or password.")
    page.fill("#password", PASSWORD)
    with page.expect_response("**/v1/workspace/login") as answer:
        page.click("#login-submit")
    assert answer.value.status == 429
    expect(page.locator("#error")).to_contain_text("Too many failed logins. Try again in")
    assert re.search(r"in \d+ seconds", page.locator("#error").inner_text())
    expect(page).to_have_url(re.compile(r"/w/login"))


def test_logging_out_and_an_invalid_session_lead_back_to_login(visitors, site):
    page = visitors.open(ADMIN, PASSWORD)
    page.goto("/w/login")   # logged in already: on to the dashboard
    expect(page).to_have_url(re.compile(r"/w/$"))
    expect(page.locator("#logout")).to_be_visible()
    page.click("#logout")
    expect(page).to_have_url(re.compile(r"/w/login$"))
    page.goto("/w/")
    expect(page).to_have_url(re.compile(r"/w/login\?next=%2Fw%2F"))
    # A cookie that names no session (expired, or made up) is no session either.
    page.context.add_cookies([{"name": "hegui_session", "value": "not-a-session", "url": site}])
    page.goto("/w/organisations/1")
    expect(page).to_have_url(re.compile(r"/w/login\?next=%2Fw%2Forganisations%2F1"))


def test_login_by_keyboard_alone(visitors):
    page = visitors.open()
    page.goto("/w/login")
    expect(page.locator("#email")).to_be_focused()
    page.keyboard.type(EDITOR)
    page.keyboard.press("Tab")
    expect(page.locator("#password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/w/$"))
    expect(page.locator("#overdue li.duty").first).to_be_visible()
    # Tab reaches the first organisation link, and Enter follows it.
    first = page.locator("#overdue li.duty a.org-link").first
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('org-link')"):
            break
    expect(first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/w/organisations/\d+$"))


# --- editing, and two writers ------------------------------------------------------------------

def add_service(page, service_id: str):
    """Add a service in the questionnaire: a change to the answers that does not depend on which
    question is asked first."""
    page.fill("#add-id", service_id)
    page.click("#add-subject button[type=submit]")
    expect(page.locator("#answers li")).to_have_count(1)


def test_edit_answers_and_save_makes_version_2_in_the_history(visitors, ids):
    org = ids["Edit Co"]
    page = visitors.open(EDITOR, PASSWORD)
    page.goto(f"/w/organisations/{org}")
    expect(page.locator("#org-meta")).to_have_text("Version 1 · your role: editor")
    page.click("#edit-answers")
    expect(page).to_have_url(re.compile(rf"/w/organisations/{org}/edit$"))
    expect(page.locator("#org-title")).to_have_text("Edit Co")
    expect(page.locator("#ws-editing")).to_have_text("Editing Edit Co, version 1.")
    expect(page.locator("li.finding").first).to_be_visible()
    add_service(page, "main-app")
    page.fill("#ws-message", "The main app is a service")
    page.click("#ws-save-button")
    expect(page.locator("#ws-saved")).to_have_text("Saved as version 2.")
    expect(page.locator("#ws-editing")).to_have_text("Editing Edit Co, version 2.")
    shot(page, "questionnaire-saved", full_page=False)
    page.click("#ws-back")
    expect(page.locator("#org-meta")).to_have_text("Version 2 · your role: editor")
    newest = page.locator("#versions li.version").first
    expect(newest).to_have_attribute("data-version", "2")
    expect(newest).to_contain_text(EDITOR)
    expect(newest.locator(".version-message")).to_have_text("The main app is a service")
    expect(page.locator('#versions li[data-version="1"] .version-message')).to_have_text("imported")
    page.select_option("#diff-from", "1")
    page.select_option("#diff-to", "2")
    page.click("#diff-form button[type=submit]")
    expect(page.locator("#diff-heading")).to_have_text("Changes from version 1 to version 2")
    expect(page.locator("#diff-text span.add", has_text="main-app")).to_have_count(1)
    # The file's opening comments are kept: the diff shows the answers changed, not comments lost.
    expect(page.locator("#diff-text span.del", has_text="# A recruitment platform")).to_have_count(0)
    shot(page, "organisation-history", full_page=False)


def test_the_second_of_two_writers_gets_the_conflict_and_keeps_the_answers(visitors, ids):
    org = ids["Conflict Co"]
    first, second = visitors.open(ADMIN, PASSWORD), visitors.open(EDITOR, PASSWORD)
    for page in (first, second):
        page.goto(f"/w/organisations/{org}/edit")
        expect(page.locator("#ws-editing")).to_have_text("Editing Conflict Co, version 1.")
    add_service(first, "first-app")
    first.click("#ws-save-button")
    expect(first.locator("#ws-saved")).to_have_text("Saved as version 2.")
    add_service(second, "second-app")
    second.fill("#ws-message", "my edit")
    second.click("#ws-save-button")
    problem = second.locator("#ws-problem")
    expect(problem).to_be_visible()
    expect(problem).to_contain_text(f"{ADMIN} saved version 2 since you opened version 1. Nothing was saved")
    # Nothing is lost: the answers and the message stay on the page.
    expect(second.locator("#answers li")).to_have_count(1)
    assert [s["id"] for s in second.evaluate("window.hegui.state.manifest.services")] == ["second-app"]
    expect(second.locator("#ws-message")).to_have_value("my edit")
    expect(second.locator("#ws-reload")).to_have_text("Load version 2 (replaces the answers on this page)")
    expect(second.locator("#ws-see-diff")).to_have_attribute("href", f"/w/organisations/{org}?from=1&to=2")
    shot(second, "conflict", full_page=False)
    with second.context.expect_page() as opened:
        second.click("#ws-see-diff")
    diff = opened.value
    expect(diff.locator("#diff-heading")).to_have_text("Changes from version 1 to version 2")
    expect(diff.locator("#diff-text span.add", has_text="first-app")).to_have_count(1)
    # Loading the newest version replaces the page's answers with it.
    second.click("#ws-reload")
    expect(second.locator("#ws-editing")).to_have_text("Editing Conflict Co, version 2.")
    expect(second.locator("#answers li")).to_have_count(0)
    assert [s["id"] for s in second.evaluate("window.hegui.state.manifest.services")] == ["first-app"]


# --- records and evidence ------------------------------------------------------------------------

def test_evidence_is_uploaded_and_downloaded_and_a_refused_file_says_why(visitors, ids):
    org = ids["Evidence Co"]
    page = visitors.open(EDITOR, PASSWORD)
    page.goto(f"/w/organisations/{org}")
    record = page.locator('#records li.record[data-obligation="csrc.overseas-listing-filing"]')
    expect(record).to_contain_text("Done 2024-06-05")
    pdf = b"%PDF-1.4\n% a filing receipt\n%%EOF\n"
    record.locator("input[type=file]").set_input_files(
        {"name": "receipt.pdf", "mimeType": "application/pdf", "buffer": pdf})
    record.locator(".upload button").click()
    expect(page.locator("#status")).to_have_text("Attached receipt.pdf.")
    link = record.locator("li.evidence a")
    expect(link).to_have_text("receipt.pdf")
    with page.expect_download() as download:
        link.click()
    assert open(download.value.path(), "rb").read() == pdf
    # A page is not evidence (the server stores nothing a browser would run): 415.
    record.locator("input[type=file]").set_input_files(
        {"name": "notes.html", "mimeType": "text/html", "buffer": b"<p>notes</p>"})
    record.locator(".upload button").click()
    refused = record.locator(".upload-error")
    expect(refused).to_contain_text(
        "notes.html was refused: this kind of file is not accepted. evidence of type text/html is not accepted")
    # Over the evidence limit: 413, naming it.
    record.locator("input[type=file]").set_input_files(
        {"name": "scan.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n" + b"0" * MAX_EVIDENCE})
    record.locator(".upload button").click()
    expect(refused).to_contain_text("scan.pdf was refused: the file is too large.")
    expect(refused).to_contain_text(f"at most {MAX_EVIDENCE:,} bytes here (hegui serve --max-evidence)")
    expect(record.locator("input[type=file]")).to_be_focused()
    refused.scroll_into_view_if_needed()
    shot(page, "evidence-refused", full_page=False)
    page.reload()   # what the server kept: the one accepted file only
    expect(record.locator("li.evidence")).to_have_count(1)


def test_a_record_added_on_the_page_is_a_new_version(visitors, ids):
    org = ids["Evidence Co"]
    page = visitors.open(EDITOR, PASSWORD)
    page.goto(f"/w/organisations/{org}")
    before = int(page.locator("#versions li.version").first.get_attribute("data-version"))
    page.select_option("#record-duty", f"{OFFICER[0]}|{OFFICER[1]}")
    page.fill("#record-done-on", "2026-11-30")
    page.fill("#record-owner", "Li Lei")
    page.fill("#record-reference", "CAC filing 2026-118")
    page.click("#add-record button[type=submit]")
    expect(page.locator("#status")).to_have_text(f"Record added: version {before + 1}.")
    added = page.locator(f'#records li.record[data-obligation="{OFFICER[0]}"]')
    expect(added).to_contain_text("Done 2026-11-30")
    expect(added).to_contain_text("Owner: Li Lei")
    expect(page.locator("#versions li.version").first).to_have_attribute("data-version", str(before + 1))
    # A finding waiting for facts gets an owner with an undated record; the dashboard shows the owner.
    page.select_option("#record-duty", f"{LOCAL_REP[0]}|{LOCAL_REP[1]}")
    page.fill("#record-owner", "Zhao Lei")
    page.click("#add-record button[type=submit]")
    expect(page.locator("#status")).to_have_text(f"Record added: version {before + 2}.")
    expect(page.locator(f'#records li.record[data-obligation="{LOCAL_REP[0]}"]')).to_contain_text("Not dated")
    page.goto(f"/w/?as_of={AS_OF}")
    group = page.locator(f'#waiting li.waiting-group[data-organisation="{org}"]')
    group.locator("summary").click()
    expect(item(page, "waiting", LOCAL_REP, org)).to_contain_text("Owner: Zhao Lei")


def test_a_save_after_the_session_ended_keeps_the_answers_and_says_to_log_in(visitors, ids):
    page = visitors.open(EDITOR, PASSWORD)
    page.goto(f"/w/organisations/{ids['Edit Co']}/edit")
    expect(page.locator("#ws-editing")).to_contain_text("Editing Edit Co")
    add_service(page, "late-app")
    page.context.clear_cookies()   # as when the session expires
    page.click("#ws-save-button")
    expect(page.locator("#ws-problem")).to_contain_text("Your session has ended, so nothing was saved.")
    expect(page.locator("#ws-login")).to_be_visible()
    expect(page.locator("#answers li")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"/edit$"))   # not sent away from the answers


# --- what changed since the last visit ---------------------------------------------------------

def test_a_new_rulebook_since_the_last_visit_shows_on_the_dashboard_in_both_languages(visitors, ids):
    jobs = ids["Jobs Platform Inc."]
    page = visitors.open(VIEWER, PASSWORD)
    page.goto(f"/w/?as_of={AS_OF}")
    expect(page.locator("#rulebook-change")).to_contain_text("The rulebook changed since your last visit")
    change = page.locator(f'#changes li[data-cause="rulebook"][data-obligation="{OFFICER[0]}"][data-organisation="{jobs}"]')
    expect(change).to_contain_text("new rulebook version")
    # 20 working days after Monday 2026-10-26 is Monday 2026-11-23; 30 are Monday 2026-12-07.
    expect(change).to_contain_text("deadline 2026-11-23 → 2026-12-07")
    expect(change).to_contain_text("overdue → open")
    expect(change.locator("a.org-link")).to_have_attribute("href", f"/w/organisations/{jobs}")
    shot(page, "dashboard-changes")
    # Seen once, the change is remembered as seen; it stays on this page in the other language.
    page.click("#lang-toggle")
    expect(page.locator("#changes h2")).to_contain_text("自上次访问以来的变化")
    expect(change).to_contain_text("规则库新版本")
    expect(change.locator(".item-title")).to_have_text("指定个人信息保护负责人并报送")


# --- the account page ------------------------------------------------------------------------------

def test_a_calendar_address_is_made_and_stopped_on_the_account_page(visitors):
    page = visitors.open(EDITOR, PASSWORD)
    page.goto("/w/")
    page.click("#account-link")
    expect(page).to_have_url(re.compile(r"/w/account$"))
    page.click("#feed-new")
    expect(page.locator("#feed-status")).to_contain_text("it is shown only once")
    url = page.locator("#feed-url").input_value()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/v1/workspace/feed/[\w-]+\.ics", url), url
    calendar = page.context.request.get(url)
    assert calendar.status == 200 and calendar.headers["content-type"].startswith("text/calendar")
    import icalendar
    events = icalendar.Calendar.from_ical(calendar.body()).walk("VEVENT")
    assert any("Edit Co" in str(e["SUMMARY"]) for e in events)
    page.click("#feed-stop")
    expect(page.locator("#feed-status")).to_have_text("Your calendar address no longer works.")
    expect(page.locator("#feed")).to_be_hidden()
    assert page.context.request.get(url).status == 404


def test_a_button_pressed_before_the_page_knows_who_is_in_still_sends_the_csrf_token(visitors):
    """Who is logged in (and the CSRF token) comes from GET /me as the page opens; a button pressed
    before that answer waits for it rather than being refused for a missing token."""
    page = visitors.open(EDITOR, PASSWORD)
    held = []
    page.route("**/v1/workspace/me", lambda route: held.append(route))   # held back until the button is pressed
    page.goto("/w/account", wait_until="domcontentloaded")
    page.click("#feed-new")
    page.wait_for_timeout(300)   # time for a request sent without the token to go
    assert len(held) == 1, "the page did not ask who is logged in"
    held[0].continue_()
    expect(page.locator("#feed-status")).to_contain_text("it is shown only once")
    expect(page.locator("#error")).to_be_hidden()


def test_an_api_token_is_shown_once_works_for_a_script_and_is_revoked(visitors, site):
    page = visitors.open(EDITOR, PASSWORD)
    page.goto("/w/account")
    expect(page.locator("#administration")).to_be_hidden()   # not a workspace administrator
    page.fill("#token-name", "nightly export")
    page.click("#token-form button[type=submit]")
    expect(page.locator("#status")).to_have_text("Token made for nightly export: copy it now, it is not shown again.")
    secret = page.locator("#token-secret").input_value()
    shot(page, "account")
    token = page.locator("#token-list li.token", has_text="nightly export")
    expect(token).to_contain_text("made ")
    script = page.context.browser.new_context()   # a script: no cookie, only the token
    try:
        me = script.request.get(f"{site}/v1/workspace/me", headers={"Authorization": f"Bearer {secret}"})
        assert me.status == 200 and me.json()["user"]["email"] == EDITOR
        token.get_by_role("button", name="Revoke the token nightly export").click()
        expect(page.locator("#status")).to_have_text("The token nightly export no longer works.")
        expect(token).to_contain_text("revoked ")
        again = script.request.get(f"{site}/v1/workspace/me", headers={"Authorization": f"Bearer {secret}"})
        assert again.status == 401
    finally:
        script.close()
    page.reload()   # shown once: the list names the token, never its secret again
    expect(page.locator("#token-list li.token", has_text="nightly export")).to_be_visible()
    assert secret not in page.content()


def test_an_administrator_creates_an_organisation_answers_it_and_adds_a_user(visitors):
    page = visitors.open(ADMIN, PASSWORD)
    page.goto("/w/account")
    page.fill("#organisation-name", "New Shop Ltd.")
    page.fill("#organisation-group", "Shop Group")
    page.click("#organisation-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/w/organisations/\d+$"))
    expect(page.locator("#org-name")).to_have_text("New Shop Ltd.")
    expect(page.locator("#org-meta")).to_have_text("No manifest yet · your role: admin")
    expect(page.locator("#org-group")).to_have_text("Group: Shop Group")
    expect(page.locator("#findings-summary")).to_have_text("No manifest yet: edit the answers to make the first version.")
    # Its first version is made in the questionnaire, starting from its name.
    page.click("#edit-answers")
    expect(page.locator("#ws-editing")).to_have_text("Editing New Shop Ltd.: no version saved yet.")
    expect(page.locator("#org-title")).to_have_text("New Shop Ltd.")
    add_service(page, "shop-app")
    page.fill("#ws-message", "first answers")
    page.click("#ws-save-button")
    expect(page.locator("#ws-saved")).to_have_text("Saved as version 1.")
    page.click("#ws-back")
    expect(page.locator("#org-meta")).to_have_text("Version 1 · your role: admin")
    expect(page.locator("#versions li.version .version-message")).to_have_text(["first answers"])
    # A new user, who can then log in.
    page.goto("/w/account")
    page.fill("#user-email", "counsel@example.com")
    page.fill("#user-password", "another long password")
    page.click("#user-form button[type=submit]")
    expect(page.locator("#status")).to_contain_text("counsel@example.com can now log in")
    counsel = visitors.open("counsel@example.com", "another long password")
    counsel.goto("/w/")
    expect(counsel.locator("#organisations li.empty")).to_contain_text("not a member of any organisation yet")


def test_an_admin_adds_changes_and_removes_a_member(visitors, ids):
    page = visitors.open(ADMIN, PASSWORD)
    page.goto(f"/w/organisations/{ids['Evidence Co']}")
    expect(page.locator(f'#members li[data-email="{EDITOR}"]')).to_contain_text("editor")
    page.fill("#member-email", LIMITED)
    page.select_option("#member-role", "viewer")
    page.click("#add-member button[type=submit]")
    expect(page.locator("#status")).to_have_text(f"{LIMITED} is now viewer.")
    member = page.locator(f'#members li[data-email="{LIMITED}"]')
    expect(member).to_contain_text("viewer")
    page.fill("#member-email", LIMITED)
    page.select_option("#member-role", "editor")
    page.click("#add-member button[type=submit]")
    expect(member).to_contain_text("editor")
    member.get_by_role("button", name=f"Remove {LIMITED}").click()
    expect(page.locator("#status")).to_have_text(f"{LIMITED} is no longer a member.")
    expect(member).to_have_count(0)
    # No one can remove themselves here (an organisation keeps its admin).
    expect(page.locator(f'#members li[data-email="{ADMIN}"] button')).to_have_count(0)


def test_a_record_added_on_a_page_read_before_another_save_is_refused_and_kept_in_the_form(visitors, ids):
    org = ids["Evidence Co"]
    mine, theirs = visitors.open(EDITOR, PASSWORD), visitors.open(ADMIN, PASSWORD)
    for page in (mine, theirs):
        page.goto(f"/w/organisations/{org}")
        expect(page.locator("#record-duty option").nth(1)).to_be_attached()
    opened = int(mine.locator("#versions li.version").first.get_attribute("data-version"))
    theirs.select_option("#record-duty", f"{FILING[0]}|{FILING[1]}")
    theirs.click("#add-record button[type=submit]")
    expect(theirs.locator("#status")).to_have_text(f"Record added: version {opened + 1}.")
    mine.select_option("#record-duty", f"{OFFICER[0]}|{OFFICER[1]}")
    mine.fill("#record-reference", "my receipt")
    mine.click("#add-record button[type=submit]")
    expect(mine.locator("#error")).to_have_text(
        f"Someone saved version {opened + 1} since this page showed version {opened}, so the record was not added. "
        f"The page now shows version {opened + 1}: check it, then add the record again.")
    expect(mine.locator("#versions li.version").first).to_have_attribute("data-version", str(opened + 1))
    expect(mine.locator("#record-reference")).to_have_value("my receipt")
    expect(mine.locator("#record-duty")).to_have_value(f"{OFFICER[0]}|{OFFICER[1]}")


# --- a viewer --------------------------------------------------------------------------------------

def test_a_viewer_sees_no_edit_control_and_a_forced_save_shows_the_refusal(visitors, ids):
    org = ids["Jobs Platform Inc."]
    page = visitors.open(VIEWER, PASSWORD)
    page.goto(f"/w/organisations/{org}")
    expect(page.locator("#org-meta")).to_have_text("Version 2 · your role: viewer")
    expect(page.locator("#viewer-note")).to_be_visible()
    filing = page.locator(f'li.finding[data-obligation="{FILING[0]}"][data-subject="{FILING[1]}"]')
    expect(filing).to_have_attribute("data-status", "applies")
    expect(filing).to_contain_text("Deadline 2026-10-26")
    expect(filing.locator(".badge-overdue")).to_have_text("overdue")
    expect(page.locator("#records li.record").first).to_be_visible()
    expect(page.locator("#edit-answers")).to_be_hidden()
    expect(page.locator("#add-record")).to_be_hidden()
    expect(page.locator("#records .upload")).to_have_count(0)
    expect(page.locator("#add-member")).to_be_hidden()
    expect(page.locator("#members .remove-member")).to_have_count(0)
    shot(page, "viewer", full_page=False)
    # The questionnaire on this organisation shows its answers but no save control...
    page.goto(f"/w/organisations/{org}/edit")
    expect(page.locator("#org-title")).to_have_text("Jobs Platform Inc.")
    expect(page.locator("#ws-viewer")).to_be_visible()
    expect(page.locator("#ws-save-form")).to_be_hidden()
    # ...and a save forced past the page is refused by the server, which the page says.
    page.evaluate("document.querySelector('#ws-save-form').hidden = false")
    page.click("#ws-save-button")
    expect(page.locator("#ws-problem")).to_contain_text("Not saved: this needs the editor role in the organisation")


UNNAMED = """() => Array.from(document.querySelectorAll('input, select, button, a, summary'))
    .filter((el) => el.offsetParent !== null)
    .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                    && !el.getAttribute('aria-labelledby') && !el.textContent.trim())
    .map((el) => el.outerHTML)"""


def test_every_control_of_every_page_has_a_name(visitors, ids):
    page = visitors.open()
    page.goto("/w/login")
    assert page.evaluate(UNNAMED) == []
    page = visitors.open(ADMIN, PASSWORD)
    for path, ready in ((f"/w/?as_of={AS_OF}", "#overdue li.duty"), (f"/w/organisations/{ids['Evidence Co']}", "li.record"),
                        ("/w/account", "#administration h2")):
        page.goto(path)
        expect(page.locator(ready).first).to_be_visible()
        assert page.evaluate(UNNAMED) == [], path


def test_an_organisation_of_which_one_is_not_a_member_is_not_shown(visitors, ids):
    page = visitors.open(VIEWER, PASSWORD)
    for organisation in (ids["Edit Co"], 999):   # another's, and none: the same answer
        page.goto(f"/w/organisations/{organisation}")
        expect(page.locator("#error")).to_have_text("There is no such organisation, or you are not a member of it.")
        expect(page.locator("#edit-answers")).to_be_hidden()
        page.goto(f"/w/organisations/{organisation}/edit")
        expect(page.locator("#error")).to_have_text("There is no such organisation, or you are not a member of it.")
        expect(page.locator("#ws-save")).to_be_hidden()


def ledger_size(seeded) -> int:
    import sqlite3
    con = sqlite3.connect(f"file:{seeded[0]}.ledger?mode=ro", uri=True)   # the server's, beside its database
    try:
        return con.execute("SELECT size FROM head WHERE id = 0").fetchone()[0]
    finally:
        con.close()


def test_viewing_an_organisation_again_and_switching_language_grows_the_ledger_by_one_at_most(visitors, seeded, ids):
    """Every assessment made is in the ledger, once: the page's views show the one recorded for the
    current version and day (by its save, or the first look), not a new entry each time."""
    org = ids["Jobs Platform Inc."]
    page = visitors.open(VIEWER, PASSWORD)
    before = ledger_size(seeded)
    filing = page.locator(f'li.finding[data-obligation="{FILING[0]}"][data-subject="{FILING[1]}"] .finding-title')
    for _ in range(3):
        page.goto(f"/w/organisations/{org}")
        expect(filing).to_have_text("Export personal information under the CAC standard contract (filed) or a certification")
        page.click("#lang-toggle")
        expect(filing).to_have_text("个人信息出境标准合同备案或个人信息保护认证")
        page.click("#lang-toggle")
        expect(filing).to_have_text("Export personal information under the CAC standard contract (filed) or a certification")
    assert before <= ledger_size(seeded) <= before + 1


# --- Chinese, and a phone ---------------------------------------------------------------------------

def test_the_pages_in_chinese(visitors, ids):
    jobs = ids["Jobs Platform Inc."]
    page = visitors.open()
    page.goto("/w/login")
    page.click("#lang-toggle")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("label[for=email]")).to_have_text("电子邮箱")
    expect(page.locator("#login-submit")).to_have_text("登录")
    page.fill("#email", ADMIN)
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    expect(page).to_have_url(re.compile(r"/w/$"))
    page.goto(f"/w/?as_of={AS_OF}")   # the language is remembered
    expect(page.locator("#title")).to_have_text("总览")
    expect(page.locator("#overdue h2")).to_contain_text("已逾期")
    expect(page.locator("#due-soon h2")).to_contain_text("未来 30 天内到期")
    expect(page.locator("#waiting h2")).to_contain_text("待补充事实")
    expect(item(page, "overdue", FILING, jobs)).to_contain_text("已逾期 38 天")
    expect(item(page, "due-soon", OFFICER, jobs)).to_contain_text("4 天后到期")
    expect(item(page, "waiting", LOCAL_REP, jobs)).to_contain_text("负责人：Wang Fang")
    expect(page.locator("#logout")).to_have_text("退出登录")
    shot(page, "dashboard-zh")
    page.goto(f"/w/organisations/{jobs}")
    expect(page.locator("#findings-title")).to_have_text("评估结论")
    expect(page.locator("#records-title")).to_have_text("履行记录和证明材料")
    expect(page.locator("#history-title")).to_have_text("版本历史")
    expect(page.locator("#edit-answers")).to_have_text("编辑回答")
    expect(page.locator("#org-meta")).to_have_text("第 2 版 · 您的角色：管理员")
    page.click("#edit-answers")
    expect(page.locator("#ws-save")).to_be_visible()
    expect(page.locator("#org-title")).to_have_text("Jobs Platform Inc.")
    expect(page.locator("li.finding").first).to_be_visible()
    expect(page.locator("#ws-save-title")).to_have_text("保存到工作区")
    expect(page.locator("#ws-editing")).to_have_text("正在编辑 Jobs Platform Inc.，第 2 版。")
    expect(page.locator("#ws-save-button")).to_have_text("保存为新版本")
    shot(page, "questionnaire-zh", full_page=False)


def test_the_dashboard_and_an_organisation_fit_a_phone(visitors, ids):
    phone = visitors.open(ADMIN, PASSWORD, phone=True)
    phone.goto(f"/w/?as_of={AS_OF}")
    expect(phone.locator("#overdue li.duty").first).to_be_visible()
    assert no_horizontal_scroll(phone) <= 360
    shot(phone, "phone-dashboard")
    phone.goto(f"/w/organisations/{ids['Evidence Co']}")
    expect(phone.locator("#records li.record").first).to_be_visible()
    expect(phone.locator("li.finding").first).to_be_visible()
    assert no_horizontal_scroll(phone) <= 360
    shot(phone, "phone-organisation")
    phone.goto(f"/w/organisations/{ids['Evidence Co']}/edit")
    expect(phone.locator("#ws-save")).to_be_visible()
    expect(phone.locator("li.finding").first).to_be_visible()
    assert no_horizontal_scroll(phone) <= 360
    shot(phone, "phone-questionnaire", full_page=False)
    phone.goto("/w/account")
    expect(phone.locator("#administration")).to_be_visible()
    assert no_horizontal_scroll(phone) <= 360
    stranger = visitors.open(phone=True)   # logged out: the login page itself
    stranger.goto("/w/login")
    expect(stranger.locator("#login-form")).to_be_visible()
    assert no_horizontal_scroll(stranger) <= 360
