"""Explanations beside a screen's statuses: missing facts for unknowns, deadlines for duties that apply.

These come from the engine, row by row, for the rows that need them: the SQL decides the
statuses at scale, and the engine (which the statuses provably equal) says why.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from hegui.batch.screen import typed_rows
from hegui.batch.table import row_to_manifest


def add_explanations(table: str | Path, out: str | Path, as_of: datetime.date) -> None:
    out = Path(out)
    result = pq.read_table(out) if out.suffix.lower() == ".parquet" else pacsv.read_csv(out)
    columns, rows = typed_rows(table, as_of)
    statuses = result.to_pylist()
    obligations = [name for name in result.column_names if name != "id"]
    extra = {f"{ob}.{what}": [] for ob in obligations for what in ("missing_facts", "deadline")}
    for number, (row, status) in enumerate(zip(rows, statuses, strict=True), 1):
        needs = any(status[ob] in ("unknown", "applies") for ob in obligations)
        found = {f.obligation: f for f in _findings(row, columns, number, as_of)} if needs else {}
        for ob in obligations:
            f = found.get(ob)
            extra[f"{ob}.missing_facts"].append(";".join(f.missing_facts) if f and f.status == "unknown" else None)
            due = f.deadline.date if f and f.status == "applies" and f.deadline and f.deadline.date else None
            extra[f"{ob}.deadline"].append(due)
    for name, values in extra.items():
        result = result.append_column(name, pa.array(values, type=pa.date32() if name.endswith("deadline")
                                                     else pa.string()))
    if out.suffix.lower() == ".parquet":
        pq.write_table(result, out, compression="zstd")
    else:
        pacsv.write_csv(result, out)


def _findings(row: dict, columns, number: int, as_of: datetime.date):
    from hegui.engine import assess
    from hegui.manifest.model import Manifest
    from hegui.rulebook import default_rulebook
    return assess(Manifest.model_validate(row_to_manifest(row, columns, number)), as_of, default_rulebook()).findings
