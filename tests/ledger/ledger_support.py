"""Constants and helpers the ledger tests import (a module of its own name: `from conftest import`
finds another directory's conftest when several test directories run together)."""

import datetime
import json
import pathlib
import shutil
import sqlite3
import sys

from hegui.ledger import Ledger

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "jobs-platform.yaml"
AS_OF = datetime.date(2024, 6, 20)
HEGUI = shutil.which("hegui", path=str(pathlib.Path(sys.executable).parent)) or shutil.which("hegui")


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


def sql(path, *statements):
    """Change the file as an attacker with SQLite would: the append-only triggers dropped first."""
    con = sqlite3.connect(path)
    con.execute("DROP TRIGGER IF EXISTS entries_no_update")
    con.execute("DROP TRIGGER IF EXISTS entries_no_delete")
    for s in statements:
        con.execute(*s) if isinstance(s, tuple) else con.execute(s)
    con.commit()
    con.close()
