"""Running a real HTTP server for the API and web tests."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_async(coro):
    """asyncio.run(coro) on a thread of its own: after a browser test in the same process (pytest-xdist
    puts files where it likes), Playwright's loop runs on the main thread and asyncio.run refuses."""
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coro).result()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_server(argv_for_port, ready_path: str = "/healthz", output=subprocess.DEVNULL, env=None):
    """A real HTTP server on a free loopback port, started by argv_for_port(port): its base URL.

    Waits (at most 60 s) until ready_path answers 200; stops the server afterwards.
    """
    port = free_port()
    process = subprocess.Popen(argv_for_port(port), cwd=ROOT, stdout=output,
                               stderr=subprocess.STDOUT if output is not subprocess.DEVNULL else subprocess.PIPE,
                               env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"the server exited with {process.returncode} before answering")
            try:
                with urllib.request.urlopen(base + ready_path, timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("the server did not start within 60 s")
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
