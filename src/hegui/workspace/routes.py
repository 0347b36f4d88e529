"""The workspace over HTTP, under /v1/workspace: `mount(app, workspace)` adds it to the API.

Access, for every endpoint: an anonymous caller gets 401 (but the calendar feed, whose address
holds its own secret, since a calendar app cannot log in: an unknown or revoked one is a 404); a user who is not a member of the
organisation gets 404, exactly as for an organisation that does not exist (no telling which
exist); a member whose role is too low gets 403 (viewer reads and assesses, editor also saves
manifests, records and evidence, admin also manages members). A request with the session cookie
that changes anything must send the session's CSRF token in X-CSRF-Token (403 without it); one
with `Authorization: Bearer TOKEN` needs none. Errors come as {"errors": [{"path", "line",
"message"}]}, as every other endpoint's.
"""

# No `from __future__ import annotations`: FastAPI reads the endpoints' annotations at run time,
# and Who is defined inside router().
import asyncio
import datetime
import re
from typing import Annotated, Literal

import anyio
import anyio.to_thread
from fastapi import APIRouter, Depends, FastAPI, File, Path, Query, Request, Response, UploadFile
from fastapi.responses import JSONResponse
from pydantic import AfterValidator, BaseModel, Field

from hegui.workspace import auth
from hegui.workspace.models import ROLES
from hegui.workspace.store import (
    Actor, Conflict, Invalid, NotFound, RefusedType, TooLarge, Workspace, WorkspaceError,
)

PREFIX = "/v1/workspace"
EVIDENCE_UPLOAD = re.compile(re.escape(PREFIX) + r"/organisations/[0-9]+/records/[0-9]+/evidence")
MULTIPART_SLACK = 64 * 1024
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Dashboards a worker makes at once, the others waiting their turn in order. A dashboard seen again
# is half a millisecond of Python: 16 requests on 16 threads (concurrency 32 over two workers) only
# pass the GIL among themselves in no order, and the unlucky one waits for many turns. With 4, at
# concurrency 32 on the loaded 2-core machine, alternating runs: p99 25-29 ms (one run 106) instead
# of 39-91 on SQLite, and 37-81 instead of 105-198 on PostgreSQL, at the same or more answers a second.
DASHBOARD_THREADS = 4
Role = Literal["viewer", "editor", "admin"]


class Refused(Exception):
    """An answer other than 2xx: status, the field it is about, and the message."""

    def __init__(self, status: int, message: str, path: str = "", headers: dict | None = None,
                 line: int | None = None):
        super().__init__(message)
        self.status, self.path, self.message, self.headers, self.line = status, path, message, headers, line


def _refused(e: WorkspaceError) -> Refused:
    if isinstance(e, NotFound):
        return Refused(404, str(e))
    if isinstance(e, Conflict):
        return Refused(409, str(e), "expected_version")
    if isinstance(e, TooLarge):
        return Refused(413, str(e), "file")
    if isinstance(e, RefusedType):
        return Refused(415, str(e), "file")
    if isinstance(e, Invalid):
        return Refused(422, e.reason, e.field, line=e.line)
    return Refused(422, str(e))


# -- request bodies -----------------------------------------------------------------------------

def _storable(value: str) -> str:
    """Text any database keeps as sent: no NUL (PostgreSQL refuses it) and no unpaired surrogate."""
    if "\x00" in value:
        raise ValueError("expected text without NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise ValueError(f"expected UTF-8 text (an unpaired surrogate at character {e.start})") from None
    return value


Text = Annotated[str, AfterValidator(_storable)]
# Ids and version numbers are the databases' 32-bit integers: a larger one names nothing (422, not a
# database error).
LARGEST = 2_147_483_647
Id = Annotated[int, Path(ge=1, le=LARGEST)]


class LoginBody(BaseModel):
    email: Text = Field(max_length=320)
    password: Text = Field(max_length=1000)


class UserBody(BaseModel):
    email: Text = Field(max_length=320)
    password: Text = Field(max_length=1000)
    is_admin: bool = False


class OrganisationBody(BaseModel):
    name: Text = Field(max_length=200)
    group: Text | None = Field(None, max_length=200)


class MemberBody(BaseModel):
    email: Text = Field(max_length=320)
    role: Role


class VersionBody(BaseModel):
    text: Text = Field(description="The whole manifest, YAML or JSON, as the file would hold it.")
    expected_version: int = Field(ge=0, le=LARGEST, description="The version this text was edited from (0: the first).")
    message: Text = Field("", max_length=2000)


class RecordBody(BaseModel):
    obligation: Text = Field(max_length=200)
    subject: Text = Field(max_length=200)
    done_on: datetime.date | None = None
    reference: Text | None = Field(None, max_length=2000)
    owner: Text | None = Field(None, max_length=320)
    note: Text | None = Field(None, max_length=10000)
    expected_version: int | None = Field(None, ge=1, le=LARGEST)


class TokenBody(BaseModel):
    name: Text = Field(max_length=200)


# -- the router ---------------------------------------------------------------------------------

def mount(app: FastAPI, workspace: Workspace) -> None:
    """Serve the workspace under /v1/workspace in app."""
    app.state.workspace = workspace

    @app.exception_handler(Refused)
    async def refused(request: Request, e: Refused):
        return JSONResponse({"errors": [{"path": e.path, "line": e.line, "message": e.message}]},
                            status_code=e.status, headers=e.headers)

    app.include_router(router(workspace), prefix=PREFIX, tags=["workspace"])
    # An evidence file up to --max-evidence, in a multipart body whose boundaries and part headers
    # add a little: not refused by the server's body limit (--max-body) before the store can say
    # which limit it is over.
    app.state.larger_bodies.append((EVIDENCE_UPLOAD, workspace.max_evidence_bytes + MULTIPART_SLACK))
    from hegui.workspace.pages import mount_pages
    mount_pages(app)   # the web pages over these routes (/w/...)


def router(ws: Workspace) -> APIRouter:
    r = APIRouter()
    dashboards: dict = {}   # the event loop -> its limiter (a limiter belongs to one loop)

    def actor(request: Request) -> Actor:
        """Who asks (401 when no one); a cookie session changing state must show its CSRF token."""
        header = request.headers.get("authorization", "")
        try:
            if header.lower().startswith("bearer "):
                return auth.actor_for(ws, "token", header[7:].strip())
            secret = request.cookies.get(auth.SESSION_COOKIE)
            if not secret:
                raise auth.Unauthenticated("log in, or send Authorization: Bearer TOKEN")
            who = auth.actor_for(ws, "session", secret)
        except auth.Unauthenticated as e:
            raise Refused(401, str(e), headers={"WWW-Authenticate": "Bearer"}) from None
        if request.method not in SAFE_METHODS and not auth.csrf_matches(who, request.headers.get(auth.CSRF_HEADER)):
            raise Refused(403, f"missing or wrong {auth.CSRF_HEADER} header (the session's csrf_token, "
                               f"from the login answer or GET {PREFIX}/me)", auth.CSRF_HEADER)
        return who

    Who = Annotated[Actor, Depends(actor)]

    def member(organisation_id: Id, who: Actor, need: str = "viewer") -> str:
        role = ws.role(organisation_id, who.user_id)
        if role is None:
            raise Refused(404, f"no organisation {organisation_id}")
        if ROLES.index(role) < ROLES.index(need):
            raise Refused(403, f"this needs the {need} role in the organisation; you are {role}")
        return role

    def call(fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except WorkspaceError as e:
            raise _refused(e) from None

    def workspace_admin(who: Actor) -> None:
        if not who.is_admin:
            raise Refused(403, "only a workspace administrator can do this")

    # -- sessions ----------------------------------------------------------------------------

    @r.post("/login", summary="Log in: sets the session cookie; the answer holds the CSRF token")
    def login(body: LoginBody, request: Request, response: Response) -> dict:
        address = request.client.host if request.client else "unknown"
        try:
            secret, who = auth.login(ws, body.email, body.password, address)
        except auth.RateLimited as e:
            raise Refused(429, str(e), "email", {"Retry-After": str(e.retry_after)}) from None
        except auth.Unauthenticated as e:
            raise Refused(401, str(e), "password") from None
        response.set_cookie(auth.SESSION_COOKIE, secret, max_age=int(auth.SESSION_LIFETIME.total_seconds()),
                            path="/", httponly=True, samesite="strict", secure=request.url.scheme == "https")
        return _me(ws, who)

    @r.post("/logout", status_code=204, summary="End this session (its cookie no longer opens anything)")
    def logout(request: Request, who: Who) -> Response:
        secret = request.cookies.get(auth.SESSION_COOKIE)
        if who.via == "session" and secret:
            auth.logout(ws, secret)
        response = Response(status_code=204)
        response.delete_cookie(auth.SESSION_COOKIE, path="/")
        return response

    @r.get("/me", summary="Who you are, your organisations and roles, and the session's CSRF token")
    def me(who: Who) -> dict:
        return _me(ws, who)

    @r.post("/users", status_code=201, summary="Add a user (workspace administrators)")
    def add_user(body: UserBody, who: Who) -> dict:
        workspace_admin(who)
        user = call(ws.create_user, body.email, body.password, is_admin=body.is_admin)
        return {"id": user.id, "email": user.email, "is_admin": user.is_admin}

    # -- API tokens --------------------------------------------------------------------------

    @r.get("/tokens", summary="Your API tokens (never their secrets)")
    def list_tokens(who: Who) -> dict:
        return {"tokens": auth.tokens(ws, who)}

    @r.post("/tokens", status_code=201, summary="A new API token: its secret is shown in this answer only")
    def new_token(body: TokenBody, who: Who) -> dict:
        return call(auth.create_token, ws, who, body.name)

    @r.delete("/tokens/{token_id}", status_code=204, summary="Revoke one of your API tokens")
    def revoke(token_id: Id, who: Who) -> Response:
        call(auth.revoke_token, ws, who, token_id)
        return Response(status_code=204)

    # -- the team's view and calendar --------------------------------------------------------

    @r.get("/dashboard", summary="Across your organisations: overdue, due in 30 days, waiting for facts, "
                                 "changed since your last visit")
    async def dashboard(request: Request, as_of: datetime.date | None = None,
                        lang: Literal["en", "zh"] = "en") -> Response:
        """Seeing it (on today's date) is your visit: what changed is told once. The answer, rows
        only, codes as codes and wording (titles, citations, bases, facts) in `lang`:

        - `as_of`, `window_days` (30: due_soon runs from as_of to as_of + 30, both included),
          `rulebook` (the current rulebook's digest);
        - `organisations`: [{key, name, edits: [{subject, fact, before, after}]}], by name; `edits`
          are the facts and records changed since your last visit;
        - `overdue` (longest overdue first) and `due_soon` (soonest first): [{organisation,
          organisation_key, obligation, subject, title, date, days (from as_of; negative when
          overdue), shown_on, citation, basis, compliance, every_years, owner}];
        - `waiting`: [{organisation, organisation_key, obligation, subject, title, citation, owner,
          waits_for (status: whether it applies; deadline: its date), facts: [{fact, text, owner}]}];
        - `changes`: [{organisation, organisation_key, cause (time | manifest | rulebook),
          obligation, subject, title, changed (status | version | deadline | compliance, or added |
          removed), before and after ({status, citation, deadline, compliance}, or null),
          causes (the rules' own changes in between: [{date, kind, instrument, obligations,
          article, detail}]), records_done_on, since (time: the last visit's day), rulebooks
          (rulebook: [then, now] digests)}].
        """
        from hegui.workspace.overview import dashboard_json
        packed = accepts_gzip(request.headers.get("accept-encoding", ""))

        # Who asks and the dashboard in one hop to a worker thread, on one connection: a dashboard
        # seen again is two small reads, and a second hop or checkout would cost about as much.
        def answer() -> bytes:
            with ws.reading():
                return dashboard_json(ws, actor(request), as_of, lang, compressed=packed)
        headers = {"Vary": "Accept-Encoding", **({"Content-Encoding": "gzip"} if packed else {})}
        loop = asyncio.get_running_loop()
        if loop not in dashboards:
            dashboards.clear()   # a loop before this one has ended (a worker has one)
            dashboards[loop] = anyio.CapacityLimiter(DASHBOARD_THREADS)
        body = await anyio.to_thread.run_sync(answer, limiter=dashboards[loop])
        return Response(body, media_type="application/json", headers=headers)

    @r.post("/feed", status_code=201,
            summary="A new calendar feed address for you (iCalendar); the one before stops working")
    def new_feed(request: Request, who: Who) -> dict:
        secret = auth.create_feed_token(ws, who)
        return {"url": str(request.url_for("feed", token=secret))}

    @r.delete("/feed", status_code=204, summary="Stop your calendar feed address")
    def stop_feed(who: Who) -> Response:
        auth.revoke_feed_token(ws, who)
        return Response(status_code=204)

    @r.get("/feed/{token}.ics", name="feed", response_class=Response,
           summary="Your deadlines across your organisations, for a calendar app to subscribe to "
                   "(the address is the key: no login)")
    def feed(token: Annotated[str, Path(max_length=100)], lang: Literal["en", "zh"] = "en") -> Response:
        from hegui.workspace.overview import feed_for
        try:
            who = auth.actor_for(ws, "feed", token)
        except auth.Unauthenticated as e:
            raise Refused(404, str(e)) from None
        return Response(feed_for(ws, who, lang), media_type="text/calendar; charset=utf-8",
                        headers={"Cache-Control": "private, max-age=300"})

    # -- organisations and members -----------------------------------------------------------

    @r.get("/organisations", summary="The organisations you are a member of")
    def organisations(who: Who) -> dict:
        return {"organisations": ws.organisations_of(who.user_id)}

    @r.post("/organisations", status_code=201, summary="Create an organisation (workspace administrators)")
    def create_organisation(body: OrganisationBody, who: Who) -> dict:
        workspace_admin(who)
        return call(ws.create_organisation, body.name, who, body.group)

    @r.get("/organisations/{organisation_id}", summary="One organisation: name, group, current version")
    def organisation(organisation_id: Id, who: Who) -> dict:
        role = member(organisation_id, who)
        return call(ws.organisation, organisation_id, role)

    @r.get("/organisations/{organisation_id}/members", summary="The organisation's members and roles")
    def members(organisation_id: Id, who: Who) -> dict:
        member(organisation_id, who)
        return {"members": call(ws.members, organisation_id)}

    @r.put("/organisations/{organisation_id}/members", summary="Give a user a role here (admins)")
    def set_member(organisation_id: Id, body: MemberBody, who: Who) -> dict:
        member(organisation_id, who, "admin")
        return call(ws.set_member, organisation_id, body.email, body.role)

    @r.delete("/organisations/{organisation_id}/members/{user_id}", status_code=204,
              summary="Remove a member (admins)")
    def remove_member(organisation_id: Id, user_id: Id, who: Who) -> Response:
        member(organisation_id, who, "admin")
        call(ws.remove_member, organisation_id, user_id)
        return Response(status_code=204)

    # -- manifest versions -------------------------------------------------------------------

    @r.get("/organisations/{organisation_id}/manifests", summary="Every saved version, oldest first")
    def versions(organisation_id: Id, who: Who) -> dict:
        member(organisation_id, who)
        return {"versions": call(ws.versions, organisation_id)}

    @r.get("/organisations/{organisation_id}/manifests/{number}", summary="One version with its text")
    def version(organisation_id: Id, number: Id, who: Who) -> dict:
        member(organisation_id, who)
        return call(ws.version, organisation_id, number)

    @r.post("/organisations/{organisation_id}/manifests", status_code=201,
            summary="Save a new version; 409 when expected_version is not the current one (nothing saved)")
    def save(organisation_id: Id, body: VersionBody, who: Who) -> dict:
        member(organisation_id, who, "editor")
        return call(ws.save_version, organisation_id, body.text, body.expected_version, who, body.message)

    @r.get("/organisations/{organisation_id}/diff", summary="The text changed between two versions")
    def diff(organisation_id: Id, who: Who, start: Annotated[int, Query(alias="from", ge=1, le=LARGEST)],
             end: Annotated[int, Query(alias="to", ge=1, le=LARGEST)]) -> dict:
        member(organisation_id, who)
        return call(ws.diff, organisation_id, start, end)

    @r.get("/organisations/{organisation_id}/export", summary="The current manifest as a file")
    def export(organisation_id: Id, who: Who) -> Response:
        member(organisation_id, who)
        text = call(ws.export, organisation_id)
        kind = "application/json" if text.lstrip().startswith("{") else "application/yaml"
        return Response(text, media_type=f"{kind}; charset=utf-8")

    @r.post("/organisations/{organisation_id}/assess",
            summary="Assess the current manifest (the JSON of hegui assess), recorded in the ledger")
    def assess(organisation_id: Id, who: Who, as_of: datetime.date | None = None,
               lang: Literal["en", "zh"] = "en") -> Response:
        member(organisation_id, who)
        return _assessment_response(call(ws.assess, organisation_id, who, as_of), lang)

    @r.get("/organisations/{organisation_id}/assessment",
           summary="The current manifest's assessment to show: recorded in the ledger once per version, "
                   "day and rulebook (the first look), the same one shown after")
    def shown_assessment(organisation_id: Id, who: Who, as_of: datetime.date | None = None,
                         lang: Literal["en", "zh"] = "en") -> Response:
        """A page view: the ledger still holds every assessment made (a version saved today has its
        assessment recorded already), without one more entry per view or language switch. Safe to
        repeat, so a GET (a cross-site request can at most make the one entry the first look would).
        X-Ledger-Recorded says whether this request appended it."""
        member(organisation_id, who)
        assessed, recorded = call(ws.shown_assessment, organisation_id, who, as_of)
        return _assessment_response(assessed, lang, {"X-Ledger-Recorded": "true" if recorded else "false"})

    # -- records and evidence ----------------------------------------------------------------

    @r.get("/organisations/{organisation_id}/records", summary="The current manifest's compliance records")
    def records(organisation_id: Id, who: Who) -> dict:
        member(organisation_id, who)
        return {"records": call(ws.records, organisation_id)}

    @r.post("/organisations/{organisation_id}/records", status_code=201,
            summary="Add a compliance record (a new manifest version holding it)")
    def add_record(organisation_id: Id, body: RecordBody, who: Who) -> dict:
        member(organisation_id, who, "editor")
        fields = body.model_dump()
        fields["expected"] = fields.pop("expected_version")
        return call(ws.add_record, organisation_id, who, **fields)

    @r.post("/organisations/{organisation_id}/records/{record_id}/evidence", status_code=201,
            summary="Attach an evidence file to a record (413 over the limit, 415 a refused type)")
    def add_evidence(organisation_id: Id, record_id: Id, who: Who, file: UploadFile = File(...)) -> dict:
        member(organisation_id, who, "editor")
        data = file.file.read(ws.max_evidence_bytes + 1)   # never more than the limit in memory
        return call(ws.add_evidence, organisation_id, record_id, who, filename=file.filename or "",
                    content_type=file.content_type or "", data=data)

    @r.get("/organisations/{organisation_id}/evidence/{evidence_id}", summary="Download an evidence file")
    def evidence(organisation_id: Id, evidence_id: Id, who: Who) -> Response:
        member(organisation_id, who)
        meta, data = call(ws.evidence, organisation_id, evidence_id)
        return Response(data, media_type=meta["content_type"], headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{_quoted(meta['filename'])}",
            "X-Content-Type-Options": "nosniff"})

    return r


def _assessment_response(assessed, lang: str, headers: dict | None = None) -> Response:
    from hegui.report.command_json import dumps
    from hegui.report.json_report import render_json
    # English is the document the ledger recorded: written once, not built again.
    text = dumps(assessed.document, indent=None) if lang == "en" else render_json(assessed.result, None, lang)
    return Response(text, media_type="application/json", headers=headers)


def accepts_gzip(header: str) -> bool:
    """Whether an Accept-Encoding header takes gzip (every browser's does): named, or `*`, with a
    weight above 0 (RFC 9110 12.5.3)."""
    weights = {}
    for item in header.split(","):
        name, _, params = item.strip().partition(";")
        weight = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        weights[name.strip().lower()] = weight
    return weights.get("gzip", weights.get("*", 0.0)) > 0


def _me(ws: Workspace, who: Actor) -> dict:
    return {"user": {"id": who.user_id, "email": who.email, "is_admin": who.is_admin}, "via": who.via,
            "csrf_token": who.csrf_token, "organisations": ws.organisations_of(who.user_id)}


def _quoted(name: str) -> str:
    from urllib.parse import quote
    return quote(name, safe="")
