"""Shared fixtures for the API tests: the app in process, and `hegui serve` on a loopback port."""

from __future__ import annotations

import json
import pathlib
import shutil
import socket
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
JOBS = EXAMPLES / "jobs-platform.yaml"
GROUP = EXAMPLES / "internet-group.yaml"
HEGUI = shutil.which("hegui", path=str(pathlib.Path(sys.executable).parent)) or shutil.which("hegui")
YAML_TYPE = {"content-type": "application/yaml"}
JSON_TYPE = {"content-type": "application/json"}


def as_json_text(path: pathlib.Path) -> str:
    """The manifest as JSON (dates as text, as a JSON client sends them)."""
    import yaml

    def plain(node):
        if isinstance(node, dict):
            return {k: plain(v) for k, v in node.items()}
        if isinstance(node, list):
            return [plain(v) for v in node]
        return node.isoformat() if hasattr(node, "isoformat") else node
    return json.dumps(plain(yaml.safe_load(path.read_text(encoding="utf-8"))), ensure_ascii=False)


def cli(*args, stdin=None):
    assert HEGUI, "the hegui command is not installed next to this Python"
    return subprocess.run([HEGUI, *map(str, args)], input=stdin, capture_output=True, text=True, cwd=ROOT,
                          timeout=120)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def app():
    from hegui.api import create_app
    return create_app(max_body_bytes=200_000)


@pytest.fixture(scope="session")
def client(app):
    from fastapi.testclient import TestClient
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="session")
def server():
    """`hegui serve` with two workers on a free loopback port: its base URL."""
    from serving import running_server
    with running_server(lambda port: [HEGUI, "serve", "--port", str(port), "--workers", "2", "--max-body", "200000",
                                      "--no-access-log"]) as base:
        yield base
