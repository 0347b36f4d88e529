"""hegui serve: the HTTP API and the web questionnaire."""

from __future__ import annotations

import os

import click

from hegui.cli.base import cli

APP = "hegui.api.app:app_from_environment"
PROTOCOL = "hegui.api.server:H11NoDelay"


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to bind; the default answers this machine only.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--ledger", "ledger", type=click.Path(dir_okay=False), default=None,
              help="Record assessments made with ?record=true in this ledger, and serve it under /v1/ledger.")
@click.option("--max-body", "max_body", type=click.IntRange(min=1), default=2_000_000, show_default=True,
              metavar="BYTES", help="The largest request body accepted (larger ones get 413).")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes (one per core serves the most assessments per second).")
@click.option("--access-log/--no-access-log", default=True, show_default=True,
              help="Log every request to standard error.")
@click.option("--workspace", "workspace", default=None, metavar="URL",
              help="Serve the team workspace under /v1/workspace from this SQLite file or postgresql://... "
                   "database; its ledger is --ledger (default: beside an SQLite file).")
def serve(host, port, ledger, max_body, workers, access_log, workspace):
    """Serve the API (/v1/...), its OpenAPI description (/openapi.json, /docs) and the web page (/)."""
    import uvicorn

    from hegui.cli.ledger import open_ledger
    shown = workspace
    if workspace:
        from hegui.workspace.store import safe_url
        workspace = workspace if "://" in workspace else os.path.abspath(workspace)
        ledger, shown = _open_workspace(workspace, ledger), safe_url(workspace)
    if ledger:
        ledger = os.path.abspath(ledger)
        with open_ledger(ledger, create=True):  # fail here, with a message, not in a worker
            pass
    # Each worker builds its app from these, through hegui.api.app:app_from_environment.
    os.environ["HEGUI_MAX_BODY"] = str(max_body)
    if ledger:
        os.environ["HEGUI_LEDGER"] = ledger
    else:
        os.environ.pop("HEGUI_LEDGER", None)
    if workspace:
        os.environ["HEGUI_WORKSPACE"] = workspace
    else:
        os.environ.pop("HEGUI_WORKSPACE", None)
    click.echo(f"hegui: serving on http://{host}:{port}/ ({workers} worker{'s' if workers > 1 else ''}"
               f"{', ledger ' + ledger if ledger else ''}{', workspace ' + shown if shown else ''}); "
               f"Ctrl-C stops", err=True)
    # The application and its protocol are named for uvicorn to import (in each worker), so the
    # CLI does not import the API: the two doors stand side by side.
    uvicorn.run(APP, factory=True, host=host, port=port, workers=workers,
                access_log=access_log, log_level="info" if access_log else "warning",
                http=PROTOCOL, timeout_graceful_shutdown=5)


def _open_workspace(url: str, ledger: str | None) -> str:
    """Open (and migrate) the workspace once here, so a bad URL fails with a message, not in a worker;
    its ledger's path, which /v1/ledger then serves too."""
    from hegui.cli.workspace import _open
    with _open(url, ledger) as ws:
        return ws.ledger_path
