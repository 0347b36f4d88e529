"""The workspace's web pages: login (/w/login), dashboard (/w/), an organisation (/w/organisations/ID),
the questionnaire editing its manifest (/w/organisations/ID/edit) and the user's account (/w/account:
calendar feed, API tokens, and for administrators new organisations and users), with their files under
/w/static. Plain HTML and JavaScript, no build step, as the questionnaire at / is; every page gets
its data from the JSON routes under /v1/workspace (routes.py), which check who may see what, so a
page itself holds nothing and is served to anyone.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from fastapi import Path as PathParameter
from fastapi.responses import FileResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(str(resources.files("hegui") / "workspace" / "static"))
# The questionnaire's page: editing an organisation's answers is the questionnaire, told by its
# address which organisation it loads from and saves to.
QUESTIONNAIRE = Path(str(resources.files("hegui") / "api" / "static" / "index.html"))
LARGEST_ID = 2_147_483_647


# A page of a logged-in user runs only this site's own scripts and styles, talks only to this site,
# and is never shown inside another site's frame (which could trick a click on it).
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                               "form-action 'self'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    # no-cache: a page is checked again on each visit, so a new version is never mixed with old scripts
    "Cache-Control": "no-cache",
}


def _page(path: Path) -> FileResponse:
    return FileResponse(path, media_type="text/html; charset=utf-8", headers=HEADERS)


def mount_pages(app: FastAPI) -> None:
    app.mount("/w/static", StaticFiles(directory=STATIC), name="workspace-static")

    @app.get("/w", include_in_schema=False)
    def home_without_slash():
        return RedirectResponse("/w/", status_code=307)

    @app.get("/w/", include_in_schema=False)
    def dashboard_page():
        return _page(STATIC / "dashboard.html")

    @app.get("/w/login", include_in_schema=False)
    def login_page():
        return _page(STATIC / "login.html")

    @app.get("/w/account", include_in_schema=False)
    def account_page():
        return _page(STATIC / "account.html")

    @app.get("/w/organisations/{organisation_id}", include_in_schema=False)
    def organisation_page(organisation_id: int = PathParameter(ge=1, le=LARGEST_ID)):
        return _page(STATIC / "organisation.html")

    @app.get("/w/organisations/{organisation_id}/edit", include_in_schema=False)
    def edit_page(organisation_id: int = PathParameter(ge=1, le=LARGEST_ID)):
        return _page(QUESTIONNAIRE)
