"""Shared fixtures for the ledger tests: real assessments, and ledgers filled quickly."""

import json

import pytest
from ledger_support import AS_OF, EXAMPLE, fill

from hegui.engine import assess
from hegui.ledger import canonical_json, canonical_manifest
from hegui.manifest import read_manifest
from hegui.report.json_report import assessment_dict


@pytest.fixture(scope="session")
def real():
    """(manifest JSON, Assessment as dict, rulebook) for examples/jobs-platform.yaml on 2024-06-20."""
    manifest = read_manifest(str(EXAMPLE))
    result = assess(manifest, AS_OF)
    # Through the ledger's own encoder, so the dict holds what `assess --record` stores (a Decimal
    # share as a number, not a string).
    return canonical_manifest(manifest), json.loads(canonical_json(assessment_dict(result))), result.rulebook


@pytest.fixture
def filled(tmp_path, real):
    """A closed ledger file of 10 entries (WAL checkpointed into the main file)."""
    path = tmp_path / "ten.ledger"
    fill(path, real, 10).close()
    return path
