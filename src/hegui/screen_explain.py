"""`hegui screen --explain`: beside a screen's statuses, why (missing facts) and by when (deadlines).

The SQL decides the statuses at scale; the engine (which the statuses provably equal) says why,
for the rows that need it: a row with an `unknown` status gets its missing facts, one with an
`applies` status its deadlines. This module sits above both `batch` (which must not import the
engine) and `engine`. It streams: the typed table and the result file are read in record
batches and the result is written batch by batch, so no table is ever whole in memory.
"""

from __future__ import annotations

import csv
import datetime
import os
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from hegui.batch.screen import typed_batches
from hegui.batch.table import row_to_manifest
from hegui.engine import assess
from hegui.engine.finding import APPLIES, UNKNOWN
from hegui.manifest.model import Manifest
from hegui.rulebook import Rulebook, default_rulebook

ROWS_PER_BATCH = 65_536     # rows of the result read, explained and written at a time
NEEDS_ENGINE = (UNKNOWN, APPLIES)


def add_explanations(table: str | Path, out: str | Path, as_of: datetime.date,
                     rulebook: Rulebook | None = None, rows_per_batch: int = ROWS_PER_BATCH) -> None:
    """Add `<obligation>.missing_facts` and `<obligation>.deadline` columns to the screen result
    `out` (.parquet or .csv) of `table`, in place."""
    out = Path(out)
    rulebook = rulebook or default_rulebook()
    columns, reader = typed_batches(table, as_of)
    rows = _rows(reader)
    schema = _schema(out)
    partial = out.with_name(out.name + ".explaining")
    try:
        with _writer(out, partial, schema) as writer:
            for number, statuses in _result_batches(out, rows_per_batch):
                extra = _explain(statuses, rows, number, columns, as_of, rulebook)
                writer.write_batch(pa.RecordBatch.from_arrays(statuses.columns + extra, schema=schema))
        if next(rows, None) is not None:
            raise ValueError(f"{out}: fewer result rows than rows in {table}")
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)


def _explain(statuses: pa.RecordBatch, rows: Iterator[dict], number: int, columns, as_of, rulebook) -> list:
    """The explanation columns (Arrow arrays, in _schema's order) for one batch of result rows,
    the first of them row `number` of the table."""
    obligations = [name for name in statuses.schema.names if name != "id"]
    extra: dict[str, list] = {f"{ob}.{what}": [] for ob in obligations for what in ("missing_facts", "deadline")}
    for offset, status in enumerate(statuses.to_pylist()):
        row = next(rows, None)
        if row is None:
            raise ValueError("more result rows than rows in the table")
        needs = any(status[ob] in NEEDS_ENGINE for ob in obligations)
        found = {f.obligation: f for f in _findings(row, columns, number + offset, as_of, rulebook)} \
            if needs else {}
        for ob in obligations:
            f = found.get(ob)
            extra[f"{ob}.missing_facts"].append(";".join(f.missing_facts) if f and f.status == UNKNOWN else None)
            due = f.deadline.date if f and f.status == APPLIES and f.deadline and f.deadline.date else None
            extra[f"{ob}.deadline"].append(due)
    return [pa.array(values, type=_type(name)) for name, values in extra.items()]


def _findings(row: dict, columns, number: int, as_of: datetime.date, rulebook: Rulebook):
    manifest = Manifest.model_validate(row_to_manifest(row, columns, number))
    return assess(manifest, as_of, rulebook).findings


def _type(name: str) -> pa.DataType:
    return pa.date32() if name.endswith(".deadline") else pa.string()


def _rows(reader) -> Iterator[dict]:
    """The typed table's rows one by one, converting one record batch at a time."""
    for batch in reader:
        yield from batch.to_pylist()


def _result_batches(out: Path, rows_per_batch: int) -> Iterator[tuple[int, pa.RecordBatch]]:
    """(number of the batch's first row, counting from 1, batch) over the screen's result file."""
    if out.suffix.lower() == ".parquet":
        batches = pq.ParquetFile(out).iter_batches(batch_size=rows_per_batch)
    else:
        # Every column as text: a type guessed from the first block could fail on a later one,
        # and an id such as 007 must stay 007.
        names = _csv_header(out)
        batches = pacsv.open_csv(out, read_options=pacsv.ReadOptions(block_size=1 << 22),
                                 convert_options=pacsv.ConvertOptions(
                                     column_types={name: pa.string() for name in names}))
    number = 1
    for batch in batches:
        yield number, batch
        number += batch.num_rows


def _csv_header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as f:
        return next(csv.reader(f), [])


def _schema(out: Path) -> pa.Schema:
    """The result's columns, then for each obligation its missing facts and its deadline."""
    if out.suffix.lower() == ".parquet":
        schema = pq.read_schema(out)
    else:
        schema = pa.schema([(name, pa.string()) for name in _csv_header(out)])
    for ob in [name for name in schema.names if name != "id"]:
        for what in ("missing_facts", "deadline"):
            schema = schema.append(pa.field(f"{ob}.{what}", _type(f"{ob}.{what}")))
    return schema


def _writer(out: Path, partial: Path, schema: pa.Schema):
    if out.suffix.lower() == ".parquet":
        return pq.ParquetWriter(partial, schema, compression="zstd")
    return pacsv.CSVWriter(str(partial), schema)
