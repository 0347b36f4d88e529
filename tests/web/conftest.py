"""Browser tests of the web page at `/`: a real server (uvicorn) and Debian's headless Chromium.

The tests skip when /usr/bin/chromium is missing, except with CI=true, where they fail:
`make test` installs Debian's chromium (make browser). Screenshots go to tests/artifacts/web-*.png
for a human to look at.
"""

from __future__ import annotations

import os
import pathlib
import socket
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
EXAMPLES = ROOT / "examples"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str:
    if os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is missing in CI: `make test` installs Debian's chromium (make browser)")
    pytest.skip("chromium is not installed at /usr/bin/chromium (make browser installs it as root on Debian)")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server():
    """`hegui.api.app:create_app` on uvicorn, on a free loopback port, for the whole session."""
    from serving import running_server
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with open(ARTIFACTS / "web-server.log", "w") as log, running_server(
            lambda port: [sys.executable, "-m", "uvicorn", "--factory", "hegui.api.app:create_app",
                          "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
            ready_path="/", output=log, env={**os.environ, "PYTHONUNBUFFERED": "1"}) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    from playwright.sync_api import sync_playwright
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


class Outside:
    """Requests the page made to anywhere but the test server (there must be none)."""

    def __init__(self):
        self.urls: list[str] = []


def _context(browser, server, **options):
    context = browser.new_context(accept_downloads=True, base_url=server, **options)
    outside = Outside()

    def route(r):
        url = r.request.url
        if url.startswith(server + "/") or url == server or url.startswith(("blob:", "data:")):
            r.continue_()
        else:
            outside.urls.append(url)
            r.abort()
    context.route("**/*", route)
    return context, outside


@pytest.fixture
def page(browser, server):
    context, outside = _context(browser, server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    # A 422 is the server's answer to a bad manifest, which the page shows; anything else is an error.
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "status of 422" not in m.text else None)
    page.set_default_timeout(15_000)
    yield page
    context.close()
    assert not outside.urls, f"the page reached outside the server: {outside.urls}"
    assert not errors, f"errors in the page: {errors}"


@pytest.fixture
def phone(browser, server):
    context, outside = _context(browser, server, viewport={"width": 360, "height": 740}, device_scale_factor=2,
                                is_mobile=True, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_default_timeout(15_000)
    yield page
    context.close()
    assert not outside.urls, f"the page reached outside the server: {outside.urls}"
    assert not errors, f"errors in the page: {errors}"

