"""The HTTP API: the CLI's commands over HTTP, with the CLI's JSON and the CLI's error messages.

`create_app()` builds the FastAPI application; `hegui serve` runs it on uvicorn. Request
bodies are manifests (JSON or YAML) or, for /v1/screen, a table upload; nothing a client sends
is ever evaluated as code. Bad input is a 422 naming the field path, line and what was
expected, exactly as the CLI words it; a body over the configured limit is a 413.

The work of a request (parsing the manifest, assessing, writing the answer) runs off the event
loop on a few threads of the worker (api/work.py), bounded in time: past the bound the answer is
a 503 and the work stops, and /healthz answers all along. A screen is bounded in rows, result
size and time too (api/limits.py Limits). For speed, the findings' JSON rows are reused where a
finding is worded as one before it (api/rows.py), and the common /v1/assess is answered before
FastAPI's routing (api/fast.py), with the same answers.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import os
import shutil
import tempfile
import threading
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from fastapi import FastAPI, File, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import PlainValidator, WithJsonSchema
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from hegui import __version__
from hegui.api.fast import AssessFastPath
from hegui.api.limits import BodyLimit, Limits
from hegui.api.work import Overtime, Pool
from hegui.calendar.clock import today
from hegui.manifest import InputError, Problem, did_you_mean, parse_manifest
from hegui.manifest.load import locate
from hegui.manifest.types import parse_day
from hegui.report.command_json import check_dict, diff_dict, questions_dict, rules_dict
from hegui.report.json_report import _encode

MANIFEST_NAME = "<request>"
JSON_TYPES = ("application/json",)
# The body types the README documents; anything else (text/plain, a form) is a 415, not a guess.
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")
TABLE_SUFFIXES = (".csv", ".parquet", ".jsonl", ".ndjson")
STATIC = Path(str(resources.files("hegui") / "api" / "static"))

Lang = Literal["en", "zh"]
# A date in the query, checked and worded as the CLI's --as-of is ("2024-02-30 is not a day: ...").
Day = Annotated[datetime.date, PlainValidator(parse_day), WithJsonSchema({"type": "string", "format": "date"})]


# --- helpers -----------------------------------------------------------------------------------

class JSONText(Response):
    media_type = "application/json"


def _json_bytes(value) -> bytes:
    """The contract's JSON, compact, through orjson (several times faster than json on a report);
    json for what orjson refuses: an integer past 64 bits, or half a UTF-16 pair echoed from the
    request in an error (written as a \\u escape, which is valid JSON, where UTF-8 has no form)."""
    import orjson
    try:
        return orjson.dumps(value, default=_encode)
    except TypeError:
        return json.dumps(value, ensure_ascii=True, separators=(",", ":"), default=_encode).encode("ascii")


def _json(value, status: int = 200, headers: dict | None = None) -> JSONText:
    return JSONText(_json_bytes(value), status_code=status, headers=headers)


def _errors(problems: list[Problem], status: int = 422) -> JSONText:
    return _json({"errors": [{"path": p.path, "line": p.line, "message": p.message} for p in problems]}, status)


def _bad(path: str, message: str) -> InputError:
    return InputError([Problem(MANIFEST_NAME, path, None, message)])


@lru_cache(maxsize=1)
def _rulebook():
    from hegui.rulebook import default_rulebook
    return default_rulebook()


@lru_cache(maxsize=1)
def _rows():
    from hegui.api.rows import Rows
    return Rows(_rulebook())


def assessment_json(result, lang: str, rows=None) -> bytes:
    """The bytes of `_json_bytes(assessment_dict(result, lang))`, the findings' rows reused where a
    finding of the same shape was worded before (api/rows.py; `rows`: the server's by default)."""
    import orjson

    from hegui.report.json_report import assessment_dict
    rows = rows or _rows()
    if result.rulebook is rows.rulebook:
        findings = [rows.row(f, lang) for f in result.findings]
        if None not in findings:
            document = assessment_dict(dataclasses.replace(result, findings=[]), lang)
            document["findings"] = [orjson.Fragment(row) for row in findings]
            try:
                return orjson.dumps(document, default=_encode)
            except TypeError:   # the organisation's name, say, with half a UTF-16 pair
                pass
    return _json_bytes(assessment_dict(result, lang))


async def _manifest_text(request: Request) -> str:
    """The request body as manifest text, or InputError as the CLI would word it."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind and kind not in JSON_TYPES + YAML_TYPES:
        raise _Unsupported(kind)
    raw = await request.body()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError([Problem(MANIFEST_NAME, "", None,
                                  f"expected UTF-8 text (bad byte at offset {e.start})")]) from None
    request.state.manifest_text = text   # for the lines of problems found later (compliance records)
    return text


def _query_message(item: dict) -> str:
    """A bad query parameter in the words the CLI and the manifest use, not pydantic's."""
    kind = item.get("type")
    if kind == "missing":
        return "required query parameter is missing"
    if kind == "bool_parsing":
        return f"expected true or false, got {item.get('input')!r}"
    if kind == "literal_error":
        return f"expected one of {item['ctx']['expected']}, got {item.get('input')!r}"
    return item.get("msg", "invalid").removeprefix("Value error, ")


class _Located(InputError):
    """Bad input whose problems already carry their lines."""


class _Unsupported(Exception):
    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


def _assess(manifest, as_of: datetime.date | None):
    from hegui.engine import assess
    return assess(manifest, as_of or today(), _rulebook(), source=MANIFEST_NAME)


def _assess_json(text: str, as_of: datetime.date | None, lang: str) -> bytes:
    """POST /v1/assess's answer as JSON (api/fast.py): what the endpoint's work gives for format=json."""
    return assessment_json(_assess(parse_manifest(text, MANIFEST_NAME), as_of), lang)


def _overtime(e: Overtime) -> JSONText:
    return _errors([Problem(MANIFEST_NAME, "", None,
                            f"the request took longer than this server's limit of {e.seconds:g} s "
                            f"(hegui serve --request-timeout); it was stopped")], 503)


def canonical_manifest_json(manifest) -> str:
    """The manifest as the ledger stores it: what the client gave, validated, in one stable form."""
    return json.dumps(manifest.model_dump(mode="json", exclude_unset=True, warnings=False), ensure_ascii=False,
                      sort_keys=True, separators=(",", ":"))


# --- OpenAPI -----------------------------------------------------------------------------------

EXAMPLE_PATH = "examples/jobs-platform.yaml"


@lru_cache(maxsize=1)
def _example_yaml() -> str:
    here = Path(__file__).resolve()
    for folder in here.parents:
        candidate = folder / EXAMPLE_PATH
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    return _FALLBACK_EXAMPLE


# Used when the package is installed without the repository's examples folder.
_FALLBACK_EXAMPLE = """format: hegui/1
organisation:
  name: Jobs Platform Inc.
  operates_in_mainland: true
  network_platform_operator: true
  pi_individuals: 50000000
listings:
  - id: nasdaq
    venue: NASDAQ
    kind: ipo
    structure: indirect
    application_date: 2024-06-03
"""


def _example_json() -> dict:
    import yaml
    document = yaml.safe_load(_example_yaml())

    def dates_as_text(node):
        if isinstance(node, dict):
            return {k: dates_as_text(v) for k, v in node.items()}
        if isinstance(node, list):
            return [dates_as_text(v) for v in node]
        return node.isoformat() if isinstance(node, datetime.date) else node
    return dates_as_text(document)


def _manifest_body() -> dict:
    return {"requestBody": {"required": True, "description": "A manifest (`../shared/spec/manifest.md`), as JSON or YAML.",
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Manifest"},
                                                     "example": _example_json()},
                                "application/yaml": {"schema": {"type": "string"},
                                                     "example": _example_yaml()}}}}


_ERROR_SCHEMA = {"type": "object", "required": ["errors"], "properties": {"errors": {"type": "array", "items": {
    "type": "object", "required": ["path", "line", "message"],
    "properties": {"path": {"type": "string"}, "line": {"type": ["integer", "null"]},
                   "message": {"type": "string"}}}}}}


def _responses(*codes: int, ok: dict | None = None) -> dict:
    words = {413: "The request body is larger than the server's limit.",
             415: "The body is neither JSON nor YAML.",
             422: "Bad input: each error names the field path, the line (for YAML) and what was expected.",
             503: "The request took longer than the server's time bound (`hegui serve --request-timeout`)."}
    out = {}
    if ok is not None:
        out[200] = ok
    for code in codes:
        out[code] = {"description": words[code], "content": {"application/json": {"schema": _ERROR_SCHEMA}}}
    return out


def _object(description: str, required: list[str] | None = None) -> dict:
    schema = {"type": "object"}
    if required:
        schema["required"] = required
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _reports(ok: dict) -> dict:
    """The 200 of /v1/assess, which is also the HTML or Markdown report (format=html|markdown)."""
    text = {"schema": {"type": "string"}}
    return {**ok, "content": {**ok["content"], "text/html": text, "text/markdown": text}}


def _openapi(app: FastAPI):
    if app.openapi_schema:
        return app.openapi_schema
    from fastapi.openapi.utils import get_openapi

    from hegui.manifest.schema import manifest_schema
    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    manifest = json.loads(json.dumps(manifest_schema()).replace('"#/$defs/', '"#/components/schemas/'))
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name, definition in manifest.pop("$defs", {}).items():
        components.setdefault(name, definition)
    for key in ("$schema", "$id"):
        manifest.pop(key, None)
    components["Manifest"] = manifest
    # Query validation errors come back in the same {"errors": [...]} form as manifest errors.
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            if "422" in operation.get("responses", {}):
                operation["responses"]["422"] = {
                    "description": _responses(422)[422]["description"],
                    "content": {"application/json": {"schema": _ERROR_SCHEMA}}}
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    app.openapi_schema = schema
    return schema


# --- the application ---------------------------------------------------------------------------

def create_app(ledger_path: str | None = None, max_body_bytes: int | None = None,
               limits: Limits | None = None, workspace=None, fast_assess: bool = True) -> FastAPI:
    """The HTTP API and the web page; with ledger_path, /v1/assess?record=true appends to the ledger;
    with workspace (a URL, or an open hegui.workspace.store.Workspace), the team workspace under
    /v1/workspace, recording in the same ledger. fast_assess: the common /v1/assess answered
    without FastAPI's per-request machinery (api/fast.py; the same answers, tests/api/test_fast.py)."""
    limits = limits or Limits()
    if max_body_bytes is not None:
        limits = dataclasses.replace(limits, max_body_bytes=max_body_bytes)
    max_body_bytes = limits.max_body_bytes
    pool = Pool(limits.work_threads, limits.request_seconds)
    app = FastAPI(
        title="hegui",
        version=__version__,
        description="China's digital-economy compliance rules as code: which obligations apply, why, "
                    "and by when. Every endpoint returns the JSON of the matching `hegui` command "
                    "(`../shared/spec/interface.md`). hegui is not legal advice.",
    )
    if fast_assess:   # inside the body limit, which counts what it reads
        app.add_middleware(AssessFastPath, work=_assess_json, pool=pool, body_types=("",) + JSON_TYPES + YAML_TYPES,
                           overtime=_overtime)
    # Paths allowed larger bodies than a manifest's (the workspace adds its evidence uploads).
    app.state.larger_bodies = []
    app.add_middleware(BodyLimit, max_body_bytes=max_body_bytes, larger=app.state.larger_bodies)
    app.state.max_body_bytes = max_body_bytes
    app.state.limits = limits
    ledger = _open_ledger(app, ledger_path) if ledger_path else None

    @app.exception_handler(InputError)
    async def input_error(request: Request, e: InputError):
        text = getattr(request.state, "manifest_text", None)
        located = isinstance(e, _Located) or text is None
        return _errors(e.problems if located else locate(e.problems, text))

    async def off_loop(request: Request, fn, *args):
        """fn(*args) on the pool, its bad-input errors given their lines there too (locating a field
        reads the manifest's text again, which is work for the pool, not the event loop)."""
        text = request.state.manifest_text

        def located():
            try:
                return fn(*args)
            except InputError as e:
                raise _Located(locate(e.problems, text)) from None
        return await pool.run(located)

    @app.exception_handler(Overtime)
    async def overtime(request: Request, e: Overtime):
        return _overtime(e)

    @app.exception_handler(_Unsupported)
    async def unsupported(request: Request, e: _Unsupported):
        return _errors([Problem(MANIFEST_NAME, "", None,
                                f"expected a body of type application/json or application/yaml (text/yaml "
                                f"too), got {e.kind}")],
                       415)

    @app.exception_handler(RequestValidationError)
    async def bad_query(request: Request, e: RequestValidationError):
        problems = []
        for item in e.errors():
            loc = [str(part) for part in item.get("loc", ()) if part not in ("query", "body")]
            problems.append(Problem(MANIFEST_NAME, ".".join(loc), None, _query_message(item)))
        return _errors(problems)

    manifest_doc = _manifest_body()
    as_of_query = Query(None, description="The date to assess on (YYYY-MM-DD); default today.")

    @app.post("/v1/assess", tags=["assess"], openapi_extra=manifest_doc,
              responses=_responses(413, 415, 422, 503, ok=_reports(_object(
                  "The assessment: the JSON of `hegui assess --format json`; with format=html or "
                  "markdown, the report.",
                  ["hegui", "rulebook", "as_of", "organisation", "findings", "warnings"]))))
    async def assess_endpoint(request: Request, as_of: Day | None = as_of_query,
                              lang: Lang = Query("en", description="Language of titles, reasons and reports."),
                              format: Literal["json", "html", "markdown"] = Query(  # noqa: A002
                                  "json", description="json (the contract), or the report as html or markdown."),
                              record: bool = Query(False, description="Append the assessment to the server's ledger.")):
        """Decide every obligation for the manifest in the body."""
        if record and ledger is None:
            raise _bad("record", "this server keeps no ledger (start it with `hegui serve --ledger PATH`)")
        text = await _manifest_text(request)

        def work():
            manifest = parse_manifest(text, MANIFEST_NAME)
            result = _assess(manifest, as_of)
            if format == "html":
                from hegui.report.html_report import render_html
                return manifest, result, render_html(result, lang), "text/html; charset=utf-8"
            if format == "markdown":
                from hegui.report.markdown_report import render_markdown
                return manifest, result, render_markdown(result, lang), "text/markdown; charset=utf-8"
            return manifest, result, assessment_json(result, lang), JSONText.media_type
        manifest, result, content, media_type = await off_loop(request, work)
        headers = None
        if record:   # after the timed work, so a time bound never cuts a ledger write short
            entry = await run_in_threadpool(_record, ledger, manifest, result)
            if isinstance(entry, int):
                headers = {"Hegui-Ledger-Entry": str(entry)}
        return Response(content, media_type=media_type, headers=headers)

    @app.post("/v1/explain", tags=["assess"], openapi_extra=manifest_doc,
              responses=_responses(413, 415, 422, 503, ok=_object(
                  "One finding with its full reasoning: `hegui explain --format json`.",
                  ["obligation", "subject", "status", "because"])))
    async def explain_endpoint(request: Request,
                               obligation: str = Query(..., description="An obligation id, e.g. csrc.overseas-listing-filing."),
                               subject: str | None = Query(None, description="organisation, or KIND:ID such as listing:nasdaq."),
                               as_of: Day | None = as_of_query):
        """The full reasoning for one finding."""
        text = await _manifest_text(request)
        return await off_loop(request, _explain, text, obligation, subject, as_of)

    def _explain(text, obligation, subject, as_of):
        from hegui.report.json_report import finding_dict
        result = _assess(parse_manifest(text, MANIFEST_NAME), as_of)
        matches = [f for f in result.findings if f.obligation == obligation
                   and (subject is None or f.subject == subject)]
        if not matches:
            if obligation not in result.rulebook.obligations:
                raise _bad("obligation", f"no {obligation!r} in the rulebook"
                           f"{did_you_mean(obligation, result.rulebook.obligations) or ' (see GET /v1/rules)'}")
            subjects = sorted({f.subject for f in result.findings if f.obligation == obligation})
            hint = did_you_mean(subject, subjects) if subject else ""
            raise _bad("subject", f"{subject!r} is not a subject of {obligation} here" + (hint or "; expected one of "
                       + (", ".join(subjects) or "none: no subject of its kind in this manifest")))
        if len(matches) > 1:
            raise _bad("subject", f"{obligation} has several subjects here; name one of "
                                  f"{', '.join(f.subject for f in matches)}")
        return _json(finding_dict(matches[0], rulebook=result.rulebook))

    @app.post("/v1/questions", tags=["assess"], openapi_extra=manifest_doc,
              responses=_responses(413, 415, 422, 503, ok=_object(
                  "The missing facts that would decide unknown findings, most decisive first: "
                  "`hegui questions --format json`.", ["as_of", "organisation", "questions"])))
    async def questions_endpoint(request: Request, as_of: Day | None = as_of_query,
                                 lang: Lang = Query("en", description="The language of the questions."),
                                 grouped: bool = Query(True, description=(
                                     "Ask the gate facts (organisation.activities.*) as one multi-select "
                                     "(type `activities`); false: one yes/no question each."))):
        """The questions whose answers would decide `unknown` findings or set an applying finding's
        deadline: gate questions first."""
        text = await _manifest_text(request)

        def work():
            from hegui.engine.questions import questions
            result = _assess(parse_manifest(text, MANIFEST_NAME), as_of)
            return _json(questions_dict(result, questions(result, lang, grouped=grouped)))
        return await off_loop(request, work)

    @app.post("/v1/diff", tags=["assess"], openapi_extra=manifest_doc,
              responses=_responses(413, 415, 422, 503, ok=_object(
                  "What changes between two dates, and why: `hegui diff --format json`.",
                  ["from", "to", "organisation", "changes", "rule_changes"])))
    async def diff_endpoint(request: Request,
                            start: Annotated[Day, Query(alias="from", description="The earlier date.")],
                            end: Annotated[Day, Query(alias="to", description="The later date.")]):
        """Findings whose status, governing version or deadline differ between two dates."""
        if end < start:
            raise _bad("to", f"expected a date on or after from ({start}), got {end}")
        text = await _manifest_text(request)

        def work():
            from hegui.engine.changes import diff
            manifest = parse_manifest(text, MANIFEST_NAME)
            return _json(diff_dict(diff(manifest, start, end, _rulebook(), MANIFEST_NAME)))
        return await off_loop(request, work)

    @app.post("/v1/check", tags=["assess"], openapi_extra=manifest_doc,
              responses=_responses(413, 415, 422, 503, ok=_object(
                  "The duties that make `hegui check` fail, and the exit code it would give "
                  "(3 when any, else 0).", ["as_of", "strict", "findings", "exit_code"])))
    async def check_endpoint(request: Request, as_of: Day | None = as_of_query,
                             strict: bool = Query(False, description="Also count duties that are open.")):
        """Overdue duties (with strict: overdue or open), as `hegui check` judges them for CI."""
        text = await _manifest_text(request)

        def work():
            from hegui.engine.check import FAILED_EXIT_CODE, failing
            result = _assess(parse_manifest(text, MANIFEST_NAME), as_of)
            found = failing(result.findings, strict)
            return _json({**check_dict(result, strict, found), "exit_code": FAILED_EXIT_CODE if found else 0})
        return await off_loop(request, work)

    @app.get("/v1/rules", tags=["rulebook"], responses=_responses(422, ok=_object(
        "The rulebook: `hegui rules --format json`.", ["rulebook", "obligations", "uncovered"])))
    async def rules_endpoint(as_of: Day | None = Query(None, description="Show which version governs on this date."),
                             search: str | None = Query(None, description="Only obligations whose id, title or instrument mention this text.")):
        """Every obligation with its instruments, in-force dates, versions and review status."""
        from hegui.report.text_report import rules_rows
        rulebook = _rulebook()
        return _json(rules_dict(rulebook, rules_rows(rulebook, as_of, search)))

    @app.get("/v1/schema", tags=["rulebook"], responses={200: _object("The manifest's JSON Schema.")})
    async def schema_endpoint():
        """The manifest's JSON Schema (`hegui schema`)."""
        return _json(_manifest_schema())

    @app.post("/v1/screen", tags=["batch"], response_class=Response,
              responses={**_responses(413, 422, 503), 200: {
                  "description": "One row per input row: `id` and a status column per obligation.",
                  "content": {"application/vnd.apache.parquet": {"schema": {"type": "string", "format": "binary"}},
                              "text/csv": {"schema": {"type": "string"}}}}})
    async def screen_endpoint(
            table: UploadFile = File(..., description="A .csv, .parquet or .jsonl table, one manifest per row."),
            as_of: Day | None = as_of_query,
            out: Literal["parquet", "csv"] = Query("parquet", description="The result's format.")):
        """Screen a table of flattened manifests (`hegui screen`), returning the result file. The server
        bounds the rows of a table, the size of the result and the time it takes (422, 422, 503)."""
        folder = tempfile.mkdtemp(prefix="hegui-screen-")
        # The folder goes with the response it holds, or once the work has ended without one (its
        # own clean-up could be cut short by the pool's stop).
        return await pool.run(_screen, table, as_of or today(), out, limits, folder,
                              after=lambda delivered: delivered or shutil.rmtree(folder, ignore_errors=True))

    @app.get("/healthz", tags=["service"], responses={200: _object("The service is up.", ["status"])})
    async def healthz():
        """For load balancers and orchestrators: 200 while the service answers."""
        rulebook = _rulebook()
        return _json({"status": "ok", "hegui": __version__, "ledger": ledger is not None,
                      "rulebook": {"version": rulebook.version, "digest": rulebook.digest}})

    @app.get("/", include_in_schema=False)
    async def index():
        page = STATIC / "index.html"
        if not page.is_file():
            return HTMLResponse("<!doctype html><title>hegui</title><p>hegui API: see /docs</p>")
        return FileResponse(page, media_type="text/html; charset=utf-8")

    if STATIC.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC), name="static")
    if ledger is not None:
        from hegui.ledger.api import router
        app.include_router(router(ledger), prefix="/v1/ledger", tags=["ledger"])
    if workspace is not None:
        from hegui.workspace.routes import mount
        from hegui.workspace.store import Workspace
        mount(app, workspace if isinstance(workspace, Workspace) else Workspace(workspace, ledger_path))

    app.openapi = lambda: _openapi(app)
    _rulebook()  # load the rulebook now, not on the first request
    return app


@lru_cache(maxsize=1)
def _manifest_schema() -> dict:
    from hegui.manifest.schema import manifest_schema
    return manifest_schema()


def _open_ledger(app: FastAPI, path: str):
    try:
        from hegui.ledger import Ledger
        import hegui.ledger.api  # noqa: F401
    except ImportError as e:
        raise RuntimeError(f"hegui serve --ledger {path}: the ledger is not available in this "
                           f"installation ({e})") from e
    ledger = Ledger(path)
    app.state.ledger = ledger
    return ledger


def _record(ledger, manifest, result):
    """Append to the ledger as `hegui assess --record` does (hegui.ledger.record when it has it)."""
    import hegui.ledger
    record = getattr(hegui.ledger, "record", None)
    if record is not None:
        return record(ledger, manifest, result)
    from hegui.report.json_report import assessment_dict
    return ledger.append(canonical_manifest_json(manifest), result.as_of, assessment_dict(result),
                         result.rulebook.version, result.rulebook.digest)


def _screen(table: UploadFile, as_of: datetime.date, out: str, limits: Limits, folder: str):
    from hegui.batch.screen import connect, screen_duckdb
    name = Path(table.filename or "table").name
    suffix = Path(name).suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise InputError([Problem(name, "table", None,
                                  f"expected a .csv, .parquet or .jsonl file, got {name!r}")])
    source = Path(folder) / f"table{'.jsonl' if suffix == '.ndjson' else suffix}"
    with source.open("wb") as f:
        shutil.copyfileobj(table.file, f)
    result = Path(folder) / f"result.{out}"
    con = connect()
    # DuckDB works in C, out of reach of the pool's interruption: it has its own.
    timer = threading.Timer(limits.request_seconds, con.interrupt)
    timer.start()
    try:
        _check_rows(con, source, name, limits.screen_max_rows)
        screen_duckdb(source, as_of, result, con=con)
    except InputError as e:
        if not timer.is_alive():
            raise Overtime(limits.request_seconds) from None
        raise InputError([Problem(name, p.path, p.line, p.message.replace(str(source), name))
                          for p in e.problems]) from None
    except Exception as e:
        if not timer.is_alive():
            raise Overtime(limits.request_seconds) from None
        import duckdb
        if isinstance(e, duckdb.Error):   # the table's content, not the server: a 422, never a 500
            raise InputError([Problem(name, "table", None,
                                      f"cannot screen the table: {str(e).splitlines()[0]}")]) from None
        raise
    finally:
        timer.cancel()
        con.close()
    size = result.stat().st_size
    if size > limits.screen_max_output_bytes:
        raise InputError([Problem(name, "table", None,
                                  f"the result would be {size} bytes, over this server's limit of "
                                  f"{limits.screen_max_output_bytes} (hegui serve --screen-max-output); "
                                  f"screen fewer rows per request, or use `hegui screen`")])
    stem = Path(name).stem or "table"
    media = "application/vnd.apache.parquet" if out == "parquet" else "text/csv; charset=utf-8"
    return FileResponse(result, media_type=media, filename=f"{stem}-screened.{out}",
                        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True))


def _check_rows(con, source: Path, name: str, max_rows: int) -> None:
    """Refuse a table of more than max_rows rows before screening it: a small upload of short rows
    would otherwise come back as a result hundreds of times its size (a status per obligation)."""
    quoted = str(source).replace("'", "''")
    reader = {".csv": f"read_csv('{quoted}', header = true, all_varchar = true)",
              ".parquet": f"read_parquet('{quoted}')",
              ".jsonl": f"read_json('{quoted}', format = 'newline_delimited')"}[source.suffix]
    try:
        rows = con.execute(f"SELECT count(*) FROM {reader}").fetchone()[0]
    except Exception:   # an unreadable table: screen_duckdb words that error
        return
    if rows > max_rows:
        raise InputError([Problem(name, "table", None,
                                  f"has {rows} rows; this server screens at most {max_rows} per request "
                                  f"(hegui serve --screen-max-rows); split the table, or use `hegui screen`")])


def app_from_environment() -> FastAPI:
    """The factory `hegui serve` gives uvicorn (each worker process builds its own app)."""
    import gc
    import sys
    app = create_app(ledger_path=os.environ.get("HEGUI_LEDGER") or None, limits=Limits.from_environment(),
                     workspace=os.environ.get("HEGUI_WORKSPACE") or None)
    # What start-up made (the rulebook, the schema's models, the libraries: ~70,000 objects) lives
    # as long as the worker: out of the collector's sight, a full collection takes about 1 ms
    # instead of 25, a pause every request waiting behind it would share.
    gc.freeze()
    # The event loop waits for the GIL while a work thread assesses; with Python's default of 5 ms
    # between hand-overs, a finished answer can wait that long to be sent and the next request to
    # be queued. 1 ms gave more answers a second and a lower p99 in each of six runs in turn at
    # concurrency 32, for the same CPU per request.
    sys.setswitchinterval(0.001)
    return app
