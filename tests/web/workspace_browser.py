"""Browser pages on the workspace server for tests/web/test_workspace_*.py, each checked when the
test ends as the questionnaire's pages are (tests/web/conftest.py)."""

from __future__ import annotations


# Answers a workspace page expects and shows (a wrong password, a viewer's save, a conflict, a file
# refused, the login limit): the browser logs each as a console error, which is no fault of the page.
SHOWN_STATUSES = (401, 403, 409, 413, 415, 429)


class Visitors:
    """Browser pages on the workspace server, each in its own context (its own cookies), checked
    when the test ends: no request outside the server, no script error, and every state-changing
    request to the workspace but the login sent the session's CSRF token."""

    def __init__(self, browser, base: str):
        self.browser, self.base = browser, base
        self.opened: list[tuple] = []

    def open(self, email: str | None = None, password: str | None = None, phone: bool = False):
        options = (dict(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True)
                   if phone else dict(viewport={"width": 1280, "height": 900}))
        context = self.browser.new_context(accept_downloads=True, base_url=self.base, **options)
        outside: list[str] = []

        base = self.base

        def route(r):
            url = r.request.url
            if url.startswith(base + "/") or url == base or url.startswith(("blob:", "data:")):
                r.continue_()
            else:
                outside.append(url)
                r.abort()
        context.route("**/*", route)
        page = context.new_page()
        errors: list[str] = []
        unguarded: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" and not any(
            f"status of {s}" in m.text for s in SHOWN_STATUSES) else None)

        def guarded(request):
            if (request.method not in ("GET", "HEAD") and "/v1/workspace/" in request.url
                    and not request.url.endswith("/v1/workspace/login") and not request.headers.get("x-csrf-token")):
                unguarded.append(f"{request.method} {request.url}")
        page.on("request", guarded)
        page.set_default_timeout(15_000)
        if email:
            answer = context.request.post(f"{self.base}/v1/workspace/login", data={"email": email, "password": password})
            assert answer.status == 200, answer.text()
        self.opened.append((context, outside, errors, unguarded))
        return page

    def check_and_close(self):
        for context, outside, errors, unguarded in self.opened:
            context.close()
            assert not outside, f"the page reached outside the server: {outside}"
            assert not errors, f"errors in the page: {errors}"
            assert not unguarded, f"state-changing requests without the CSRF token: {unguarded}"
