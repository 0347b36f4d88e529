"""Hostile manifests (issue 14 §1-5, §10, §11): each gives exit 2 on the command line and 422 from
the API, naming the field, with no traceback, in bounded time and memory measured here."""

from __future__ import annotations

import io
import pathlib
import sys
import time
import tracemalloc
from dataclasses import dataclass

import pytest

from hegui.cli.base import main

ROOT = pathlib.Path(__file__).resolve().parents[2]
JOBS = ROOT / "examples" / "jobs-platform.yaml"
BASE = "format: hegui/1\norganisation:\n  name: Example Co.\n"   # lines 1-3

# "No hang, no blow-up": far above what these inputs need (milliseconds to a second, a few
# megabytes, on a loaded machine with tracemalloc on), far below what the defects took (minutes;
# gigabytes).
SECONDS = 30
PEAK_BYTES = 64 * 1024 * 1024


@dataclass
class Run:
    code: int
    err: str
    out: str
    seconds: float
    peak: int

    @property
    def lines(self) -> list[str]:
        return self.err.splitlines()


def bounded(call):
    """call(), timed, with the peak of memory Python allocated during it."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        value = call()
    finally:
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return value, seconds, peak


@pytest.fixture(scope="session", autouse=True)
def _imported():
    """Every command's code imported before any run is measured: the first import is not the input's cost."""
    from hegui.cli.base import load_all_commands
    load_all_commands()
    import hegui.engine  # noqa: F401
    import hegui.manifest.limits  # noqa: F401


@pytest.fixture
def hegui(capsys, monkeypatch):
    """hegui(*args, stdin=bytes or a stream): main() run here, as the console script runs it."""
    def run(*args, stdin=None) -> Run:
        if stdin is not None:
            stream = io.BytesIO(stdin) if isinstance(stdin, bytes) else stdin
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(stream, encoding="utf-8"))
        code, seconds, peak = bounded(lambda: main([str(a) for a in args]))
        captured = capsys.readouterr()
        return Run(code, captured.err, captured.out, seconds, peak)
    return run


def refused(result: Run, where: str, says: str) -> str:
    """The run exited 2 with no traceback, quickly and in little memory, and its first error names
    `where` (file:line: path) and says `says`."""
    assert result.code == 2, result.err[-2000:]
    assert "Traceback" not in result.err
    assert result.seconds < SECONDS, result.seconds
    assert result.peak < PEAK_BYTES, result.peak
    first = result.lines[0]
    assert first.startswith(f"hegui: error: {where}"), first
    assert says in first, first
    return first


@pytest.fixture(scope="session")
def api():
    from fastapi.testclient import TestClient

    from hegui.api import create_app
    with TestClient(create_app(max_body_bytes=2_000_000)) as client:
        yield client


def posted(api, text: str, json_body: bool = False):
    kind = "application/json" if json_body else "application/yaml"
    response, seconds, _ = bounded(lambda: api.post("/v1/assess", params={"as_of": "2024-06-20"},
                                                    content=text.encode("utf-8", "surrogatepass"),
                                                    headers={"content-type": kind}))
    assert seconds < SECONDS
    return response
