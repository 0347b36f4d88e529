"""`hegui assess --format json` imports only what it uses: the web server, the batch engines,
the calendar exporter and the Markdown templates stay unloaded, so a whole process starts fast.

A behaviour test, not a timed one: it runs the command in a fresh interpreter and lists the
modules it loaded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "jobs-platform.yaml"

# Packages only other commands need: `serve` (fastapi, starlette, uvicorn), `screen` (duckdb,
# pyspark), `calendar` (icalendar), the Markdown and HTML reports (jinja2).
NOT_FOR_ASSESS = ("fastapi", "starlette", "uvicorn", "duckdb", "pyspark", "icalendar", "jinja2")

PROGRAM = """
import contextlib, io, json, sys
from hegui.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = main(["assess", sys.argv[1], "--as-of", "2024-06-20", "--format", "json"])
json.dump({"code": code, "report": out.getvalue(), "modules": sorted(sys.modules)}, sys.__stdout__)
"""


def _run_assess() -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    done = subprocess.run([sys.executable, "-c", PROGRAM, str(EXAMPLE)], capture_output=True, text=True,
                          env=env, check=True, timeout=120)
    return json.loads(done.stdout)


def test_assess_json_loads_no_server_batch_calendar_or_template_packages():
    run = _run_assess()
    assert run["code"] == 0
    assert json.loads(run["report"])["findings"]  # the command really assessed the manifest
    loaded = {name.split(".")[0] for name in run["modules"]}
    assert sorted(loaded & set(NOT_FOR_ASSESS)) == []


def test_every_command_is_in_the_table_of_command_modules():
    """A command missing from COMMAND_MODULES would be unknown to `hegui <command>` unless
    some other command had loaded its module first."""
    from hegui.cli.base import COMMAND_MODULES, cli, load_all_commands
    load_all_commands()
    assert {name: command.callback.__module__ for name, command in cli.commands.items()} == \
        {name: f"hegui.cli.{module}" for name, module in COMMAND_MODULES.items()}


def test_assess_loads_only_its_own_command_module():
    loaded = set(_run_assess()["modules"])
    assert "hegui.cli.commands" in loaded
    assert sorted(loaded & {"hegui.cli.questions", "hegui.cli.batch", "hegui.cli.serve"}) == []
