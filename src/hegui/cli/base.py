"""The `hegui` command group and what every command shares: dates, loading, exit codes.

Commands live beside this module, one module per area, and stay thin: parse arguments, call
the library, render. Exit codes (interface.md): 0 ran, 2 bad input (no traceback), 1 a bug,
3 `check` found an overdue duty.
"""

from __future__ import annotations

import datetime
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


def load(manifest: str, as_of):
    from hegui.calendar.clock import today
    from hegui.engine import assess
    from hegui.manifest import read_manifest
    return assess(read_manifest(manifest), as_of or today(), source="<stdin>" if manifest == "-" else manifest)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hegui")
def cli():
    """Which of China's digital-economy rules apply to an organisation, why, and by when.

    hegui is not legal advice.
    """


def json_text(value) -> str:
    """JSON for a command's output, with dates and derived values written as the assess contract does."""
    from hegui.report.command_json import dumps
    return dumps(value)


def bad(message: str):
    """Stop with a bad-input error (exit 2)."""
    from hegui.manifest import Problem
    raise InputError([Problem("hegui", "", None, message)])


def main(argv=None) -> int:
    import hegui.cli.commands  # noqa: F401  (each module registers its commands on the group)
    import hegui.cli.over_time  # noqa: F401
    import hegui.cli.questions  # noqa: F401
    import hegui.cli.batch  # noqa: F401
    import hegui.cli.ledger  # noqa: F401
    import hegui.cli.serve  # noqa: F401
    try:
        # Outside standalone mode click returns a command's exit code rather than exiting.
        code = cli.main(args=argv, prog_name="hegui", standalone_mode=False)
        if isinstance(code, int):
            return code
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
