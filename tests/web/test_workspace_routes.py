"""The workspace's pages as files and routes, without a browser: each page and everything it loads
is served, with headers that keep a logged-in page to this site's own scripts and out of other
sites' frames; a bad address is a 4xx, never a 500; without --workspace there are no pages; and
every text of the pages is there in English and in Chinese."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "src" / "hegui" / "workspace" / "static"
PAGES = {"/w/login": "login.html", "/w/": "dashboard.html", "/w/account": "account.html",
         "/w/organisations/1": "organisation.html",
         "/w/organisations/1/edit": None}   # None: the questionnaire's page


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from hegui.api import create_app
    from hegui.workspace.store import Workspace
    ws = Workspace(str(tmp_path_factory.mktemp("pages") / "hegui.db"))
    with TestClient(create_app(workspace=ws)) as c:
        yield c
    ws.close()


@pytest.mark.parametrize("path", PAGES)
def test_each_page_and_what_it_loads_is_served(client, path):
    answer = client.get(path)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    policy = answer.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert answer.headers["x-frame-options"] == "DENY"
    loaded = re.findall(r'(?:src|href)="(/(?:w/)?static/[^"]+)"', answer.text)
    assert loaded, "a page loads its scripts and styles from this server"
    for asset in loaded:
        assert client.get(asset).status_code == 200, asset


def test_w_without_the_slash_goes_to_the_dashboard(client):
    answer = client.get("/w", follow_redirects=False)
    assert answer.status_code in (307, 308) and answer.headers["location"] == "/w/"


@pytest.mark.parametrize("path", ["/w/organisations/0", "/w/organisations/abc", "/w/organisations/99999999999",
                                  "/w/organisations/1/edit/more", "/w/static/../pages.py"])
def test_a_bad_address_is_refused_not_an_error(client, path):
    assert 400 <= client.get(path).status_code < 500


def test_without_a_workspace_there_are_no_workspace_pages():
    from hegui.api import create_app
    with TestClient(create_app()) as c:
        assert c.get("/w/login").status_code == 404
        assert c.get("/w/static/common.js").status_code == 404
        assert c.get("/").status_code == 200   # the questionnaire stays


def _strings(path: Path, start: str) -> dict[str, set[str]]:
    """The keys of each language's table in a page script's STRINGS (`  en: {` ... `  zh: {` ...)."""
    text = path.read_text(encoding="utf-8")
    body = text[text.index(start):]
    en = body[body.index("\n  en: {"):body.index("\n  zh: {")]
    zh = body[body.index("\n  zh: {"):body.index("\n  },\n};")]
    key = re.compile(r"^    (\w+):", re.M)
    return {"en": set(key.findall(en)), "zh": set(key.findall(zh))}


def test_every_text_of_the_workspace_pages_is_in_english_and_chinese():
    tables = _strings(STATIC / "common.js", "const STRINGS")
    assert tables["en"] == tables["zh"]
    used = set()
    for page in STATIC.glob("*.html"):
        used |= set(re.findall(r'data-i18n="(\w+)"', page.read_text(encoding="utf-8")))
    for script in STATIC.glob("*.js"):
        used |= set(re.findall(r'\bt\("(\w+)"', script.read_text(encoding="utf-8")))
    assert used <= tables["en"], used - tables["en"]


def test_the_questionnaires_workspace_texts_are_in_english_and_chinese():
    app = ROOT / "src" / "hegui" / "api" / "static"
    tables = _strings(app / "app.js", "const STRINGS")
    assert tables["en"] == tables["zh"]
    used = {k for k in re.findall(r'data-i18n="(\w+)"', (app / "index.html").read_text(encoding="utf-8"))
            if k.startswith("ws_")}
    used |= set(re.findall(r'\bt\("(ws_\w+)"', (app / "app.js").read_text(encoding="utf-8")))
    assert used and used <= tables["en"], used - tables["en"]
