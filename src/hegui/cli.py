"""The `hegui` command. Thin: parse arguments, call the library, render, choose the exit code.

Exit codes (interface.md): 0 ran, 2 bad input (no traceback), 1 internal error.
"""

from __future__ import annotations

import datetime
import json
import sys

import click

from hegui import __version__
from hegui.manifest import InputError


class _Date(click.ParamType):
    name = "DATE"

    def convert(self, value, param, ctx):
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(value)
        except (TypeError, ValueError):
            self.fail(f"expected a date YYYY-MM-DD, got {value!r}", param, ctx)


DATE = _Date()
as_of_option = click.option("--as-of", type=DATE, default=None,
                            help="The date to assess on (YYYY-MM-DD); default today.")


def _today() -> datetime.date:
    # The only place hegui reads the clock.
    return datetime.date.today()


def _load(manifest: str, as_of):
    from hegui.engine import assess
    from hegui.manifest import read_manifest
    return assess(read_manifest(manifest), as_of or _today(), source="<stdin>" if manifest == "-" else manifest)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hegui")
def cli():
    """Which of China's digital-economy rules apply to an organisation, why, and by when.

    hegui is not legal advice.
    """


@cli.command()
@click.argument("manifest")
@as_of_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def assess(manifest, as_of, fmt):
    """Decide every obligation for MANIFEST (a YAML or JSON file, or - for standard input)."""
    result = _load(manifest, as_of)
    if fmt == "json":
        from hegui.report.json_report import render_json
        click.echo(render_json(result))
    else:
        from hegui.report.text_report import assessment_view, console
        console().print(assessment_view(result))


@cli.command()
@click.argument("manifest")
@click.argument("obligation")
@click.option("--subject", default=None, help="organisation, or KIND:ID such as listing:nyse-ipo.")
@as_of_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def explain(manifest, obligation, subject, as_of, fmt):
    """The full reasoning for one finding: the article, the values compared, the deadline count."""
    result = _load(manifest, as_of)
    matches = [f for f in result.findings if f.obligation == obligation and (subject is None or f.subject == subject)]
    if not matches:
        known = sorted({f.obligation for f in result.findings})
        if obligation not in result.rulebook.obligations:
            _bad(f"obligation: no {obligation!r} in the rulebook (see `hegui rules`)")
        subjects = sorted({f.subject for f in result.findings if f.obligation == obligation}) or known
        _bad(f"--subject: {subject!r} is not a subject of {obligation} here; expected one of {', '.join(subjects)}")
    if len(matches) > 1:
        _bad(f"--subject: {obligation} has several subjects here; name one of "
             f"{', '.join(f.subject for f in matches)}")
    if fmt == "json":
        from hegui.report.json_report import render_finding_json
        click.echo(render_finding_json(matches[0]))
    else:
        from hegui.report.text_report import console, explain_view
        console().print(explain_view(matches[0], result.as_of))


@cli.command()
@click.option("--as-of", type=DATE, default=None, help="Show which version governs on this date.")
@click.option("--search", default=None, help="Only obligations whose id, title or instrument mention TEXT.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules(as_of, search, fmt):
    """The rulebook: every obligation with its instruments, in-force dates, versions and review status."""
    from hegui.report.text_report import console, rules_rows, rules_view
    from hegui.rulebook import default_rulebook
    rulebook = default_rulebook()
    rows = rules_rows(rulebook, as_of, search)
    if fmt == "json":
        click.echo(json.dumps({"rulebook": {"version": rulebook.version, "digest": rulebook.digest},
                               "obligations": rows, "uncovered": list(rulebook.uncovered)},
                              ensure_ascii=False, indent=2))
    else:
        console().print(rules_view(rows, rulebook, as_of))


@cli.command()
def schema():
    """The manifest's JSON Schema, for editors' completion and validation."""
    from hegui.manifest.schema import manifest_schema
    click.echo(json.dumps(manifest_schema(), ensure_ascii=False, indent=2))


def _bad(message: str):
    raise InputError([_problem(message)])


def _problem(message: str):
    from hegui.manifest import Problem
    return Problem("hegui", "", None, message)


def main(argv=None) -> int:
    try:
        cli.main(args=argv, prog_name="hegui", standalone_mode=False)
    except InputError as e:
        for problem in e.problems:
            click.echo(f"hegui: error: {problem}", err=True)
        return 2
    except click.exceptions.Abort:
        click.echo("hegui: aborted", err=True)
        return 130
    except click.ClickException as e:
        e.show()
        return e.exit_code
    except click.exceptions.Exit as e:
        return e.exit_code
    except BrokenPipeError:
        return 0
    return 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
