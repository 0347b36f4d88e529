"""hegui workspace: the team workspace from the terminal (the first admin, files in and out).

These call hegui.workspace's store directly: whoever can open the database from here is trusted
as its owner, so no login is asked. Changes made here are in the ledger as made from the terminal
(by the --as user when given).
"""

from __future__ import annotations

import sys

import click

from hegui.cli.base import bad, cli

workspace_option = click.option(
    "--workspace", "url", envvar="HEGUI_WORKSPACE", required=True, metavar="URL",
    help="An SQLite file (hegui.db) or postgresql://user@host/db (default: $HEGUI_WORKSPACE).")
ledger_option = click.option(
    "--ledger", "ledger_path", type=click.Path(dir_okay=False), default=None,
    help="The workspace's ledger (default: beside an SQLite file, DB.ledger; required for PostgreSQL).")


@cli.group()
def workspace():
    """The team workspace: organisations, manifest versions, records (see hegui serve --workspace)."""


def _open(url: str, ledger_path: str | None):
    from hegui.workspace.store import Workspace, WorkspaceError
    try:
        return Workspace(url, ledger_path)
    except WorkspaceError as e:
        bad(f"--workspace: {e}")
    except Exception as e:   # the database cannot be reached or read: say which, not a traceback
        from hegui.workspace.store import safe_url
        bad(f"--workspace: cannot open {safe_url(url)}: {type(e).__name__}: {str(e).splitlines()[0]}")


def _actor(ws, email: str | None):
    import getpass

    from hegui.workspace.store import Actor
    if email is None:
        return Actor(None, getpass.getuser(), False, "terminal")
    user = ws.user(email)
    if user is None:
        bad(f"--as: no user {email!r} in this workspace")
    return Actor(user.id, user.email, user.is_admin, "terminal")


def _refused(e, name: str = ""):
    """Stop with exit 2: a problem in the file as every command words one (file:line: path: message)."""
    from hegui.manifest import InputError, Problem
    from hegui.workspace.store import Invalid
    if isinstance(e, Invalid) and e.field.startswith("text"):
        raise InputError([Problem(name, e.field.removeprefix("text").removeprefix("."), e.line, e.reason)])
    bad(str(e))


@workspace.command("create-admin")
@workspace_option
@ledger_option
@click.option("--email", required=True, help="The administrator's e-mail (their login).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (one line).")
def create_admin(url, ledger_path, email, password_stdin):
    """Create a workspace administrator (the first user), asking for the password."""
    from hegui.workspace.store import WorkspaceError
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)
    with _open(url, ledger_path) as ws:
        try:
            user = ws.create_user(email, password, is_admin=True)
        except WorkspaceError as e:
            _refused(e)
    click.echo(f"hegui: {user.email} is an administrator of the workspace at {url}", err=True)


@workspace.command("import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@workspace_option
@ledger_option
@click.option("--organisation", default=None, help="The organisation's name (default: the manifest's).")
@click.option("--message", default="", help="Why this version (kept with it).")
@click.option("--as", "as_email", default=None, metavar="EMAIL", help="Record the change as this user's.")
def import_file(file, url, ledger_path, organisation, message, as_email):
    """Save a manifest file, its compliance records included, as its organisation's next version."""
    from hegui.manifest import read_text
    from hegui.workspace.store import WorkspaceError
    name, text = read_text(file)
    with _open(url, ledger_path) as ws:
        try:
            saved = ws.import_text(text, _actor(ws, as_email), organisation, message)
        except WorkspaceError as e:
            _refused(e, name)
        org = ws.organisation(saved["organisation_id"])
    click.echo(f"hegui: {name} saved as version {saved['number']} of {org['name']} "
               f"(organisation {org['id']})", err=True)


@workspace.command("export")
@workspace_option
@ledger_option
@click.option("--organisation", required=True, help="The organisation's name.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              help="Where to write the manifest (default: standard output).")
def export_file(url, ledger_path, organisation, output):
    """Write an organisation's current manifest, records included, exactly as last saved."""
    from hegui.workspace.store import WorkspaceError
    with _open(url, ledger_path) as ws:
        try:
            text = ws.export(ws.organisation_id(organisation))
        except WorkspaceError as e:
            _refused(e)
    if output == "-":
        click.echo(text, nl=False)
    else:
        with open(output, "w", encoding="utf-8", newline="") as f:
            f.write(text)


@workspace.command("digest")
@workspace_option
@ledger_option
@click.option("--smtp", "smtp_url", required=True, metavar="URL",
              help="smtp://host[:port], smtp+starttls://user:password@host[:port] or smtps://...")
@click.option("--from", "sender", required=True, metavar="ADDRESS", help="The digests' sender.")
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True)
@click.option("--dashboard-url", default=None, metavar="URL", help="Where the digest links to (the web page).")
def digest(url, ledger_path, smtp_url, sender, lang, dashboard_url):
    """Send each member the day's digest (overdue, due soon, waiting for facts, changed): run it daily."""
    from hegui.workspace.overview import digests
    from hegui.workspace.reminders import DigestError, parse_smtp_url, send_digest
    try:
        parse_smtp_url(smtp_url)   # a mistyped URL stops before any work
    except DigestError as e:
        bad(str(e))
    with _open(url, ledger_path) as ws:
        messages = digests(ws, sender, lang, dashboard_url)
        members = len(ws.members_anywhere())
    for message in messages:
        try:
            send_digest(smtp_url, message)
        except DigestError as e:
            bad(str(e))
    click.echo(f"hegui: sent {len(messages)} digest{'s' if len(messages) != 1 else ''} "
               f"({members - len(messages)} member{'s' if members - len(messages) != 1 else ''} had nothing to report)",
               err=True)

