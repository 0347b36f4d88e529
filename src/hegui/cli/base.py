"""The `hegui` command group and what every command shares: dates, loading, exit codes.

Commands live beside this module, one module per area, and stay thin: parse arguments, call
the library, render. Exit codes (interface.md): 0 ran, 2 bad input (no traceback), 1 a bug,
3 `check` found an overdue duty.
"""

from __future__ import annotations

import datetime
import errno
import gc
import importlib
import os
import sys

import click

from hegui import __version__
from hegui.manifest import InputError


class _Date(click.ParamType):
    name = "DATE"

    def convert(self, value, param, ctx):
        from hegui.manifest.types import parse_day
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_day(value)
        except ValueError as e:
            self.fail(str(e), param, ctx)


DATE = _Date()
as_of_option = click.option("--as-of", type=DATE, default=None,
                            help="The date to assess on (YYYY-MM-DD); default today.")


def load(manifest: str, as_of):
    from hegui.calendar.clock import today
    from hegui.engine import assess
    return with_manifest(manifest, lambda m, name: assess(m, as_of or today(), source=name))


def with_manifest(manifest: str, work):
    """work(the Manifest, the name problems are reported under) for a path or '-' (standard input).

    A problem found while working (a compliance record naming an unknown obligation) is given
    the line of its field, as problems found while reading are."""
    from hegui.manifest import lines_from, parse_manifest, read_text
    limits = manifest_limits()
    name, text = read_text(manifest, limits)
    with lines_from(text):
        return work(parse_manifest(text, name, limits), name)


def manifest_limits():
    """The manifest limits, with the size from `hegui --max-manifest-bytes` where it was given."""
    from hegui.manifest.limits import current_limits
    ctx = click.get_current_context(silent=True)
    return current_limits(ctx.find_root().params.get("max_manifest_bytes") if ctx else None)


def write_file(path: str, data: str | bytes, option: str, lang: str = "en") -> None:
    """Write a command's output file; a path that cannot be written is bad input (exit 2), named."""
    from pathlib import Path
    try:
        if isinstance(data, bytes):
            Path(path).write_bytes(data)
        else:
            Path(path).write_text(data, encoding="utf-8")
    except OSError as e:
        from hegui.report.i18n import t
        bad(t("output.cannot_write", lang, option=option, path=path, problem=e.strerror or str(e)))


# The module defining each command. A command's module is imported only when it runs, so
# `hegui assess` does not load the interview, ledger, batch and server commands' code (a whole
# process starts faster); help and a mistyped name load them all. tests/cli/test_startup_imports.py checks
# this table against the commands the modules register.
COMMAND_MODULES = {
    "assess": "commands", "explain": "commands", "rules": "commands", "schema": "commands",
    "check": "over_time", "diff": "over_time", "calendar": "over_time",
    "questions": "questions", "interview": "questions",
    "screen": "batch", "synth": "batch",
    "ledger": "ledger",
    "serve": "serve",
    "workspace": "workspace",
}


def load_all_commands() -> None:
    for module in dict.fromkeys(COMMAND_MODULES.values()):
        importlib.import_module(f"hegui.cli.{module}")


class _LazyGroup(click.Group):
    def get_command(self, ctx, cmd_name):
        if cmd_name not in self.commands:
            if cmd_name in COMMAND_MODULES:
                importlib.import_module(f"hegui.cli.{COMMAND_MODULES[cmd_name]}")
            else:  # an unknown name: click's error suggests close ones from every command
                load_all_commands()
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx):
        load_all_commands()
        return super().list_commands(ctx)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hegui")
@click.option("--max-manifest-bytes", type=click.IntRange(min=1), envvar="HEGUI_MAX_MANIFEST_BYTES", default=None,
              metavar="BYTES", help="Refuse a manifest larger than this (default 1048576, 1 MiB).")
@click.pass_context
def cli(ctx, max_manifest_bytes):
    """Which of China's digital-economy rules apply to an organisation, why, and by when.

    hegui is not legal advice.
    """
    if ctx.invoked_subcommand == "serve" and max_manifest_bytes is not None:
        # The server's workers read their settings from the environment (as HEGUI_MAX_BODY).
        from hegui.manifest.limits import SIZE_ENV
        os.environ[SIZE_ENV] = str(max_manifest_bytes)


def json_text(value) -> str:
    """JSON for a command's output, with dates and derived values written as the assess contract does."""
    from hegui.report.command_json import dumps
    return dumps(value)


def bad(message: str):
    """Stop with a bad-input error (exit 2); main() prints it after "hegui: error:"."""
    from hegui.manifest import Problem
    raise InputError([Problem("", "", None, message)])


def _usage_error(e: click.UsageError) -> None:
    """A bad option in the words of every other error: "hegui: error: --as-of: ...", then where help is."""
    if isinstance(e, click.BadParameter) and not isinstance(e, click.MissingParameter) and e.param is not None:
        name = e.param.opts[0] if e.param.param_type_name == "option" else e.param.human_readable_name
        message = f"{name}: {e.message}"
    else:
        message = e.format_message()
    click.echo(f"hegui: error: {message}", err=True)
    if e.ctx is not None:
        click.echo(f"Try '{e.ctx.command_path} {max(e.ctx.help_option_names, key=len)}' for help.", err=True)


def main(argv=None) -> int:
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
    except click.exceptions.NoArgsIsHelpError as e:   # `hegui` or `hegui ledger` alone: the help
        e.show()
        return e.exit_code
    except click.UsageError as e:
        _usage_error(e)
        return e.exit_code
    except click.ClickException as e:
        click.echo(f"hegui: error: {e.format_message()}", err=True)
        return e.exit_code
    except click.exceptions.Exit as e:
        return e.exit_code
    except BrokenPipeError:
        return 0
    except OSError as e:
        if e.errno not in _OUTPUT_FULL:
            raise
        # Standard output sent to a full disk (or /dev/full): the output was not written.
        click.echo(f"hegui: error: cannot write the output: {e.strerror}", err=True)
        return 2
    return 0


_OUTPUT_FULL = (errno.ENOSPC, errno.EDQUOT)


def run() -> None:
    """Console-script entry point."""
    code = main()
    # What a command built (modules, pydantic's schemas, the rulebook) lives until the process ends,
    # yet Python's last collection at exit walks all of it: frozen, it is left alone (a quarter of
    # `hegui assess`'s time). Only here, where the process ends: in a longer-lived caller of main()
    # freezing would keep its garbage forever. Not after DuckDB was loaded: its bindings (nanobind)
    # count the objects never freed at exit and print a screenful of "leaked" warnings.
    if "duckdb" not in sys.modules:
        gc.freeze()
    try:
        sys.stdout.flush()
    except OSError as e:  # the last of the output did not fit either
        if e.errno not in _OUTPUT_FULL:
            raise
        click.echo(f"hegui: error: cannot write the output: {e.strerror}", err=True)
        code = code or 2
    finally:
        # Nothing left for the interpreter to flush (and fail on) at exit.
        sys.stdout = open(os.devnull, "w")
    sys.exit(code)


if __name__ == "__main__":
    run()
