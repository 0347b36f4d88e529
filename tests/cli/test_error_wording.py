"""Error wording on the command line (issue 12, part 2): one `hegui: error:` prefix on every path,
the line and a did-you-mean for an unknown obligation or subject, and a day that does not exist
said to not exist. Always exit 2 and no traceback (interface.md).

Most cases run `hegui.cli.base.main` in this process (what the console script runs) to keep the
suite fast; one runs the installed command, as a user does.
"""

from __future__ import annotations

import io
import pathlib
import shutil
import subprocess
import sys

import pytest

from hegui.cli.base import main

ROOT = pathlib.Path(__file__).resolve().parents[2]
JOBS = ROOT / "examples" / "jobs-platform.yaml"
HEGUI = shutil.which("hegui", path=str(pathlib.Path(sys.executable).parent)) or shutil.which("hegui")


def run(capsys, *args, stdin: str | None = None, monkeypatch=None) -> tuple[int, str]:
    """main(args): the exit code and standard error."""
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main([str(a) for a in args])
    return code, capsys.readouterr().err


def variant(tmp_path, old: str, new: str, name: str = "m.yaml") -> tuple[pathlib.Path, int]:
    """The example manifest with old replaced by new: its path and the 1-based line of the change."""
    text = JOBS.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path, next(i for i, row in enumerate(text.splitlines(), 1) if new in row)


def one_error(code: int, err: str) -> str:
    """The single error line, checked for what every error shares."""
    assert code == 2, err
    assert "Traceback" not in err
    first, *rest = err.splitlines()
    assert first.startswith("hegui: error: ") and not first.startswith("hegui: error: hegui:"), first
    assert all(line.startswith("Try 'hegui") for line in rest), err
    return first.removeprefix("hegui: error: ")


# --- one prefix, on every path ---------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["assess", "{typo}", "--as-of", "2024-06-20"],                      # bad manifest
    ["assess", "{jobs}", "--format", "yaml"],                           # bad option value
    ["assess", "{jobs}", "--frmat", "text"],                            # unknown option
    ["assess", "{jobs}", "--as-of", "2024-02-30"],                      # bad --as-of
    ["assess", "{record}", "--as-of", "2024-06-20"],                    # bad compliance record
    ["explain", "{jobs}", "csrc.no-such-obligation"],                   # unknown obligation
    ["explain", "{jobs}", "csrc.overseas-listing-filing", "--subject", "listing:nope"],
    ["diff", "{jobs}", "--from", "2024-06-20", "--to", "2024-01-01"],   # dates out of order
    ["ledger", "list"],                                                 # no ledger given
    ["screen", "{jobs}", "--out", "x.txt"],                             # bad --out
    ["assess"],                                                         # missing argument
    ["asess", "{jobs}"],                                                # unknown command
])
def test_every_error_has_one_prefix(tmp_path, capsys, monkeypatch, args):
    monkeypatch.delenv("HEGUI_LEDGER", raising=False)
    typo, _ = variant(tmp_path, "network_platform_operator", "network_platfrom_operator", "typo.yaml")
    record, _ = variant(tmp_path, "obligation: crm.listing-review", "obligation: crm.no-such-duty", "record.yaml")
    files = {"typo": typo, "record": record, "jobs": JOBS}
    code, err = run(capsys, *(a.format(**files) for a in args))
    message = one_error(code, err)
    assert "hegui:" not in message and "Error:" not in err


@pytest.mark.parametrize("args", [[], ["ledger"]])
def test_a_group_alone_shows_its_help(capsys, args):
    code = main(args)
    captured = capsys.readouterr()
    assert code == 2 and "hegui: error" not in captured.out + captured.err
    assert (captured.out + captured.err).startswith(f"Usage: hegui {' '.join(args) + ' ' if args else ''}[OPTIONS]")


def test_the_installed_command_words_a_bad_option_the_same():
    done = subprocess.run([HEGUI, "assess", str(JOBS), "--as-of", "2024-02-30"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.splitlines() == ["hegui: error: --as-of: 2024-02-30 is not a day: February 2024 has 29 days",
                                        "Try 'hegui assess --help' for help."]


# --- unknown obligations and subjects: the line, and what was meant ----------------------------

def test_a_record_with_a_mistyped_obligation(tmp_path, capsys):
    path, line = variant(tmp_path, "obligation: crm.listing-review", "obligation: crm.listing-reveiw")
    message = one_error(*run(capsys, "check", path, "--as-of", "2024-06-20"))
    assert message == (f"{path}:{line}: compliance[1].obligation: no obligation 'crm.listing-reveiw' in the "
                       "rulebook; did you mean 'crm.listing-review'?")


def test_a_record_with_an_obligation_like_none(tmp_path, capsys):
    path, line = variant(tmp_path, "obligation: crm.listing-review", "obligation: zzz.nothing-like-it")
    message = one_error(*run(capsys, "assess", path, "--as-of", "2024-06-20"))
    assert message == (f"{path}:{line}: compliance[1].obligation: no obligation 'zzz.nothing-like-it' in the "
                       "rulebook (see `hegui rules`)")


def test_a_record_with_a_mistyped_subject_on_standard_input(capsys, monkeypatch):
    text = JOBS.read_text(encoding="utf-8").replace("subject: transfer:crm-to-us", "subject: transfer:crm-to-usa")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "crm-to-usa" in row)
    message = one_error(*run(capsys, "diff", "-", "--from", "2024-01-01", "--to", "2024-06-20", stdin=text,
                             monkeypatch=monkeypatch))
    assert message == (f"<stdin>:{line}: compliance[2].subject: no subject 'transfer:crm-to-usa' in this manifest; "
                       "did you mean 'transfer:crm-to-us'?")


def test_explain_suggests_the_obligation(capsys):
    message = one_error(*run(capsys, "explain", JOBS, "csrc.overseas-listing-filling", "--as-of", "2024-06-20"))
    assert message == "OBLIGATION: no 'csrc.overseas-listing-filling' in the rulebook; did you mean " \
                      "'csrc.overseas-listing-filing'?"


def test_explain_suggests_the_subject(capsys):
    message = one_error(*run(capsys, "explain", JOBS, "cbdt.security-assessment", "--subject", "transfer:crm-to-uss",
                             "--as-of", "2024-06-20"))
    assert message == ("--subject: 'transfer:crm-to-uss' is not a subject of cbdt.security-assessment here; "
                       "did you mean 'transfer:crm-to-us'?")
    message = one_error(*run(capsys, "explain", JOBS, "cbdt.security-assessment", "--subject", "listing:zzz",
                             "--as-of", "2024-06-20"))
    assert message.endswith("; expected one of transfer:crm-to-us, transfer:staff-to-sg-hr")


def test_explain_of_an_obligation_with_no_subject_here(tmp_path, capsys):
    path = tmp_path / "small.yaml"
    path.write_text("format: hegui/1\norganisation:\n  name: Small Co.\n", encoding="utf-8")
    message = one_error(*run(capsys, "explain", path, "cbdt.security-assessment"))
    assert message == ("OBLIGATION: cbdt.security-assessment is decided for each of the manifest's transfers, "
                       "and it lists none")


# --- a day that does not exist ----------------------------------------------------------------

@pytest.mark.parametrize("option", ["--as-of", "--from", "--to"])
@pytest.mark.parametrize("day, says", [
    ("2024-02-30", "2024-02-30 is not a day: February 2024 has 29 days"),
    ("2023-02-29", "2023-02-29 is not a day: February 2023 has 28 days"),
    ("2024-02-29", None),                                                  # a leap day is a day
    ("2024-04-31", "2024-04-31 is not a day: April 2024 has 30 days"),
    ("2024-13-01", "2024-13-01 is not a day: there is no month 13"),
    ("20240101", "expected a date YYYY-MM-DD, got '20240101'"),
    ("1 March", "expected a date YYYY-MM-DD, got '1 March'"),
])
def test_a_day_that_does_not_exist_in_an_option(capsys, option, day, says):
    command = ["assess", JOBS, "--as-of", day] if option == "--as-of" else \
        ["diff", JOBS, "--from", day if option == "--from" else "2021-01-01",
         "--to", day if option == "--to" else "2025-01-01"]
    code, err = run(capsys, *command)
    if says is None:
        assert code == 0, err
    else:
        assert one_error(code, err) == f"{option}: {says}"


@pytest.mark.parametrize("written", ["2024-02-30", "'2024-02-30'", '"2024-02-30"'])
def test_a_day_that_does_not_exist_in_the_manifest(tmp_path, capsys, written):
    path, line = variant(tmp_path, "started_on: 2023-01-10", f"started_on: {written}")
    message = one_error(*run(capsys, "assess", path, "--as-of", "2024-06-20"))
    assert message == f"{path}:{line}: transfers[0].started_on: 2024-02-30 is not a day: February 2024 has 29 days"


def test_a_json_manifest_with_a_day_that_does_not_exist(tmp_path, capsys):
    path = tmp_path / "m.json"
    path.write_text('{"format": "hegui/1",\n "organisation": {"name": "J"},\n'
                    ' "listings": [{"id": "a",\n   "application_date": "2023-02-29"}]}\n', encoding="utf-8")
    message = one_error(*run(capsys, "assess", path, "--as-of", "2024-06-20"))
    assert message == f"{path}:4: listings[0].application_date: 2023-02-29 is not a day: February 2023 has 28 days"


def test_interview_of_a_manifest_with_a_mistyped_record_stops_with_its_line(tmp_path, capsys, monkeypatch):
    path, line = variant(tmp_path, "obligation: crm.listing-review", "obligation: crm.listing-reveiw")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    message = one_error(*run(capsys, "interview", path, "--as-of", "2024-06-20", "--out", tmp_path / "out.yaml"))
    assert message == (f"{path}:{line}: compliance[1].obligation: no obligation 'crm.listing-reveiw' in the "
                       "rulebook; did you mean 'crm.listing-review'?")
