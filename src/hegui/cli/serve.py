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
def serve(host, port, ledger, max_body, workers, access_log):
    """Serve the API (/v1/...), its OpenAPI description (/openapi.json, /docs) and the web page (/)."""
    import uvicorn

    from hegui.cli.ledger import open_ledger
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
    click.echo(f"hegui: serving on http://{host}:{port}/ ({workers} worker{'s' if workers > 1 else ''}"
               f"{', ledger ' + ledger if ledger else ''}); Ctrl-C stops", err=True)
    # The application and its protocol are named for uvicorn to import (in each worker), so the
    # CLI does not import the API: the two doors stand side by side.
    uvicorn.run(APP, factory=True, host=host, port=port, workers=workers,
                access_log=access_log, log_level="info" if access_log else "warning",
                http=PROTOCOL, timeout_graceful_shutdown=5)
