"""Shared fixtures for the ledger tests: real assessments, and ledgers filled quickly."""

import datetime
import json
import pathlib
import shutil
import sys

import pytest

from hegui.engine import assess
from hegui.ledger import Ledger, canonical_json, canonical_manifest
from hegui.manifest import read_manifest
from hegui.report.json_report import assessment_dict

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "jobs-platform.yaml"
AS_OF = datetime.date(2024, 6, 20)
HEGUI = shutil.which("hegui", path=str(pathlib.Path(sys.executable).parent)) or shutil.which("hegui")


@pytest.fixture(scope="session")
def real():
    """(manifest JSON, Assessment as dict, rulebook) for examples/jobs-platform.yaml on 2024-06-20."""
    manifest = read_manifest(str(EXAMPLE))
    result = assess(manifest, AS_OF)
    # Through the ledger's own encoder, so the dict holds what `assess --record` stores (a Decimal
    # share as a number, not a string).
    return canonical_manifest(manifest), json.loads(canonical_json(assessment_dict(result))), result.rulebook


def marked_manifest(manifest_json: str, marker: str) -> str:
    """The same manifest under another organisation name (a unique marker findable in the file)."""
    data = json.loads(manifest_json)
    data["organisation"]["name"] = marker
    return json.dumps(data)


def fill(path, real, n: int, prefix: str = "Org") -> Ledger:
    manifest, assessment, rulebook = real
    ledger = Ledger(path)
    for i in range(n):
        # The assessment names its organisation too (under a marker of its own), so each entry's
        # assessment column can be found in the file even where it spills into overflow pages.
        ledger.append(marked_manifest(manifest, f"{prefix}-{i:04d}-marker"), AS_OF,
                      {**assessment, "organisation": f"{prefix}-{i:04d}-assessed"}, rulebook.version,
                      rulebook.digest)
    return ledger


@pytest.fixture
def filled(tmp_path, real):
    """A closed ledger file of 10 entries (WAL checkpointed into the main file)."""
    path = tmp_path / "ten.ledger"
    fill(path, real, 10).close()
    return path
