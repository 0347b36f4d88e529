"""The engine's answer for a table row: the test oracle the SQL backends must equal."""

from __future__ import annotations

import datetime

from hegui.batch.table import Column, kinds_present, row_to_manifest
from hegui.engine import assess
from hegui.manifest.model import Manifest
from hegui.rulebook import Rulebook, default_rulebook


def engine_statuses(row: dict, columns: list[Column], number: int, as_of: datetime.date,
                    rulebook: Rulebook | None = None) -> dict[str, str]:
    """obligation id -> status, as `assess` decides it for the manifest the row stands for."""
    rulebook = rulebook or default_rulebook()
    manifest = Manifest.model_validate(row_to_manifest(row, columns, number))
    kinds = kinds_present(columns)
    return {f.obligation: f.status for f in assess(manifest, as_of, rulebook).findings
            if rulebook.obligations[f.obligation].subject in kinds}
