"""hegui serve: the HTTP API and the web questionnaire."""

from __future__ import annotations

import ipaddress
import os

import click

from hegui.cli.base import cli

APP = "hegui.api.app:app_from_environment"
PROTOCOL = "hegui.api.server:Protocol"
UNAUTHENTICATED = ("the server has no authentication, and ?record=true appends to its ledger: put it behind "
                   "an authenticating proxy, or bind 127.0.0.1")


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and localhost; any other name or address can be reached from the network."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to bind; the default answers this machine only. Any other address needs "
                   "--allow-unauthenticated-network.")
@click.option("--allow-unauthenticated-network", "allow_network", is_flag=True,
              help="Bind a non-loopback --host although the server has no authentication (only behind an "
                   "authenticating proxy).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--ledger", "ledger", type=click.Path(dir_okay=False), default=None,
              help="Record assessments made with ?record=true in this ledger, and serve it under /v1/ledger.")
@click.option("--max-body", "max_body", type=click.IntRange(min=1), default=2_000_000, show_default=True,
              metavar="BYTES", help="The largest request body accepted (larger ones get 413).")
@click.option("--request-timeout", "request_timeout", type=click.FloatRange(min=0, min_open=True), default=30.0,
              show_default=True, metavar="SECONDS",
              help="The longest a request's work may take; past it the work stops and the answer is 503.")
@click.option("--header-timeout", "header_timeout", type=click.FloatRange(min=0, min_open=True), default=10.0,
              show_default=True, metavar="SECONDS",
              help="A client must send a request's headers within this (from the connection or its first "
                   "byte); else 408 and the connection is closed.")
@click.option("--body-timeout", "body_timeout", type=click.FloatRange(min=0, min_open=True), default=30.0,
              show_default=True, metavar="SECONDS",
              help="A client must send a request's body within this of its headers; else 408 and close.")
@click.option("--keep-alive-timeout", "keep_alive", type=click.IntRange(min=1), default=5, show_default=True,
              metavar="SECONDS", help="An idle connection between requests is closed after this.")
@click.option("--screen-max-rows", "screen_rows", type=click.IntRange(min=1), default=10_000, show_default=True,
              metavar="ROWS", help="The most rows /v1/screen accepts in one table (more: 422).")
@click.option("--screen-max-output", "screen_output", type=click.IntRange(min=1), default=20_000_000,
              show_default=True, metavar="BYTES", help="The largest result /v1/screen returns (larger: 422).")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes (one per core serves the most assessments per second).")
@click.option("--access-log/--no-access-log", default=True, show_default=True,
              help="Log every request to standard error.")
@click.option("--workspace", "workspace", default=None, metavar="URL",
              help="Serve the team workspace under /v1/workspace from this SQLite file or postgresql://... "
                   "database; its ledger is --ledger (default: beside an SQLite file).")
@click.option("--max-evidence", "max_evidence", type=click.IntRange(min=1), default=None, metavar="BYTES",
              help="The largest evidence file the workspace accepts (larger: 413)  [default: 10,000,000]. "
                   "An upload is a request body too: --max-body must be larger still.")
def serve(host, allow_network, port, ledger, max_body, request_timeout, header_timeout, body_timeout, keep_alive,
          screen_rows, screen_output, workers, access_log, workspace, max_evidence):
    """Serve the API (/v1/...), its OpenAPI description (/openapi.json, /docs) and the web page (/).

    The server has no authentication: it binds this machine only unless told otherwise, and must
    sit behind an authenticating proxy if it is reachable from a network.
    """
    import uvicorn

    from hegui.cli.ledger import open_ledger
    if not is_loopback(host) and not allow_network:
        raise click.UsageError(f"--host {host} can be reached from the network, but {UNAUTHENTICATED}; "
                               f"to bind it anyway, add --allow-unauthenticated-network")
    if max_evidence:   # each worker's workspace reads it (and the one opened here to check)
        from hegui.workspace.store import MAX_EVIDENCE_VARIABLE
        os.environ[MAX_EVIDENCE_VARIABLE] = str(max_evidence)
    shown = workspace
    if workspace:
        from hegui.workspace.store import safe_url
        workspace = workspace if "://" in workspace else os.path.abspath(workspace)
        ledger, shown = _open_workspace(workspace, ledger), safe_url(workspace)
    if ledger:
        ledger = os.path.abspath(ledger)
        with open_ledger(ledger, create=True):  # fail here, with a message, not in a worker
            pass
    # Each worker builds its app (hegui.api.app:app_from_environment, hegui.api.limits.Limits) and
    # its protocol (hegui.api.server) from these.
    os.environ.update({"HEGUI_MAX_BODY": str(max_body), "HEGUI_REQUEST_TIMEOUT": str(request_timeout),
                       "HEGUI_SCREEN_MAX_ROWS": str(screen_rows), "HEGUI_SCREEN_MAX_OUTPUT": str(screen_output),
                       "HEGUI_HEADER_TIMEOUT": str(header_timeout), "HEGUI_BODY_TIMEOUT": str(body_timeout)})
    if ledger:
        os.environ["HEGUI_LEDGER"] = ledger
    else:
        os.environ.pop("HEGUI_LEDGER", None)
    if workspace:
        os.environ["HEGUI_WORKSPACE"] = workspace
    else:
        os.environ.pop("HEGUI_WORKSPACE", None)
    if not is_loopback(host):
        click.echo(f"hegui: warning: {UNAUTHENTICATED}", err=True)
    click.echo(f"hegui: serving on http://{host}:{port}/ ({workers} worker{'s' if workers > 1 else ''}"
               f"{', ledger ' + ledger if ledger else ''}{', workspace ' + shown if shown else ''}); "
               f"Ctrl-C stops", err=True)
    # The application and its protocol are named for uvicorn to import (in each worker), so the
    # CLI does not import the API: the two doors stand side by side.
    uvicorn.run(APP, factory=True, host=host, port=port, workers=workers,
                access_log=access_log, log_level="info" if access_log else "warning",
                http=PROTOCOL, timeout_keep_alive=keep_alive, timeout_graceful_shutdown=5)


def _open_workspace(url: str, ledger: str | None) -> str:
    """Open (and migrate) the workspace once here, so a bad URL fails with a message, not in a worker;
    its ledger's path, which /v1/ledger then serves too."""
    from hegui.cli.workspace import _open
    with _open(url, ledger) as ws:
        return ws.ledger_path
