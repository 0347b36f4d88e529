"""Screen a table of flattened manifests: read it, check every cell, compute every status in SQL.

DuckDB (embedded, the default) streams the table through one query, so inputs larger than
memory spill to disk instead of failing; the same compiled SQL runs on Spark (spark.py).
"""

from __future__ import annotations

import datetime
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlglot import exp

from hegui.batch.compile import status_query
from hegui.batch.table import Column, ColumnError, columns_of
from hegui.batch.typing_sql import allowed, typed
from hegui.manifest.errors import InputError, Problem
from hegui.manifest.types import parse_day
from hegui.rulebook import Rulebook, default_rulebook
from hegui.rulebook.decision import APPLIES, DOES_NOT_APPLY, NOT_IN_FORCE, UNKNOWN

STATUSES = (APPLIES, DOES_NOT_APPLY, UNKNOWN, NOT_IN_FORCE)   # the SQL enum's order
READERS = {".csv": "csv", ".parquet": "parquet", ".jsonl": "json", ".ndjson": "json", ".json": "json"}
ROW = "__hegui_row"


@dataclass
class Plan:
    """The compiled screening: typed cells, their checks, and one status column per obligation."""
    columns: list[Column]
    typed: list[tuple[str, exp.Expression]]
    checks: list[tuple[str, exp.Expression, str]]
    rulebook: Rulebook
    as_of: datetime.date
    id_expr: exp.Expression


def plan(names: list[str], as_of: datetime.date, rulebook: Rulebook | None = None, source: str = "table",
         types: dict[str, str] | None = None) -> Plan:
    try:
        columns = columns_of([n for n in names if n != ROW])
    except ColumnError as e:
        raise InputError([Problem(source, "", None, str(e))]) from None
    typed_cols, checks = [], []
    for c in columns:
        value, invalid, expected = typed(c, (types or {}).get(c.name, "VARCHAR"))
        typed_cols.append((c.name, value))
        checks.append((c.name, invalid, expected))
    id_expr = exp.column("id", quoted=True) if "id" in names else exp.cast(exp.column(ROW, quoted=True), "VARCHAR")
    return Plan(columns, typed_cols, checks, rulebook or default_rulebook(), as_of, id_expr)


def typed_select(p: Plan, source: exp.Expression) -> exp.Select:
    """The source with every cell as its fact's type, and the row number kept."""
    return exp.select(exp.column(ROW, quoted=True),
                      *[exp.alias_(v, name, quoted=True) for name, v in p.typed]).from_(source)


def checks_select(p: Plan, source: exp.Expression) -> exp.Select:
    """For each column, the first row whose filled cell is not what the fact needs."""
    return exp.select(*[exp.alias_(exp.Min(this=exp.Case(ifs=[exp.If(this=bad, true=exp.column(ROW, quoted=True))])),
                                   name, quoted=True) for name, bad, _ in p.checks]).from_(source)


def status_select(p: Plan, typed_source: exp.Expression) -> exp.Select:
    return status_query(p.rulebook, p.as_of, p.columns, typed_source, p.id_expr)[1]


def distinct_selects(p: Plan, source: exp.Expression) -> list[tuple[str, object, exp.Select]]:
    """(column, test of a value, query for its distinct filled values) for columns checked that way."""
    out = []
    for c in p.columns:
        test = allowed(c)
        if test is not None:
            value = dict(p.typed)[c.name]
            out.append((c.name, test, exp.select(exp.alias_(value, "v")).distinct().from_(source).where(
                exp.Not(this=exp.Is(this=exp.column(c.name, quoted=True), expression=exp.Null())))))
    return out


def first_row_with(column: str, values, source: exp.Expression, p: Plan) -> exp.Select:
    value = dict(p.typed)[column]
    return exp.select(exp.Min(this=exp.Case(ifs=[exp.If(this=exp.In(this=value, expressions=[
        exp.Literal.string(v) for v in sorted(values)]), true=exp.column(ROW, quoted=True))]))).from_(source)


def problems_from(p: Plan, first_bad: dict, raw_value, source: str) -> list[Problem]:
    problems = []
    kinds = {c.name: c.type.kind if c.type else None for c in p.columns}
    for name, _, expected in p.checks:
        row = first_bad.get(name)
        if row is not None:
            value = raw_value(name, row)
            problems.append(Problem(source, name, None, f"row {row}: {_expected(kinds[name], expected, value)}"))
    return problems


def _expected(kind: str | None, expected: str, value) -> str:
    """What a bad cell should have been; a date that does not exist says why, as in a manifest."""
    if kind == "date" and isinstance(value, str):
        try:
            parse_day(value.strip())
        except ValueError as e:
            return str(e)
    return f"expected {expected}, got {value!r}"


# -- DuckDB ---------------------------------------------------------------------------------

def _duckdb_source(con, path: Path) -> str:
    kind = READERS.get(path.suffix.lower())
    if kind is None:
        raise InputError([Problem(str(path), "", None, "expected a .csv, .parquet or .jsonl file")])
    quoted = str(path).replace("'", "''")
    if kind == "parquet":
        return f"(SELECT * EXCLUDE (file_row_number), file_row_number + 1 AS {ROW} " \
               f"FROM read_parquet('{quoted}', file_row_number = true))"
    reader = f"read_csv('{quoted}', header = true, all_varchar = true)" if kind == "csv" else \
        f"read_json('{quoted}', format = 'newline_delimited')"
    return f"(SELECT *, row_number() OVER () AS {ROW} FROM {reader})"


def connect(memory_limit: str = "1GB"):
    import duckdb
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute(f"SET temp_directory = '{tempfile.gettempdir()}/hegui-duckdb'")
    con.execute(f"SET enable_progress_bar = {str(os.isatty(2)).lower()}")
    return con


def screen_duckdb(path: str | Path, as_of: datetime.date, out: str | Path | None = None,
                  rulebook: Rulebook | None = None, con=None):
    """Screen a table with DuckDB. With `out`, stream the result to Parquet or CSV and return the row
    count; without, return the result as an Arrow table."""
    path = Path(path)
    if not path.exists():
        raise InputError([Problem(str(path), "", None, "cannot read the file: no such file")])
    con = con or connect()
    try:
        source_sql = _duckdb_source(con, path)
        names, types = _describe(con, source_sql)
    except Exception as e:  # duckdb's errors for unreadable input
        raise InputError([Problem(str(path), "", None, f"cannot read the table: {_first_line(e)}")]) from None
    p = plan(names, as_of, rulebook, str(path), types)
    con.execute(f"CREATE OR REPLACE TEMP VIEW hegui_source AS SELECT * FROM {source_sql}")
    view = exp.to_table("hegui_source")
    first_bad = dict(zip([n for n, _, _ in p.checks],
                         con.execute(checks_select(p, view).sql("duckdb")).fetchall()[0], strict=True))
    for name, test, query in distinct_selects(p, view):
        wrong = {r[0] for r in con.execute(query.sql("duckdb")).fetchall() if not test(r[0])}
        if wrong:
            first_bad[name] = con.execute(first_row_with(name, wrong, view, p).sql("duckdb")).fetchall()[0][0]
    if any(v is not None for v in first_bad.values()):
        def raw_value(name, row):
            q = f'SELECT "{name}" FROM hegui_source WHERE {ROW} = {int(row)}'
            return con.execute(q).fetchall()[0][0]
        raise InputError(problems_from(p, first_bad, raw_value, str(path)))
    query = status_select(p, exp.Subquery(this=typed_select(p, view), alias=exp.TableAlias(
        this=exp.to_identifier("typed")))).sql("duckdb")
    if out is None:
        return con.sql(query).to_arrow_table()
    out = Path(out)
    fmt = {".parquet": "PARQUET", ".csv": "CSV"}.get(out.suffix.lower())
    if fmt is None:
        raise InputError([Problem(str(out), "", None, "expected an output file ending in .parquet or .csv")])
    target = str(out).replace("'", "''")
    if fmt == "PARQUET":
        # Statuses as an enum: Parquet stores them dictionary-encoded, far cheaper than strings.
        con.execute(f"CREATE TYPE IF NOT EXISTS hegui_status AS ENUM ({', '.join(repr(s) for s in STATUSES)})")
        obligations = [name for name in con.execute(f"DESCRIBE {query}").fetchall()]
        enum = ", ".join(f'CAST("{r[0]}" AS hegui_status) AS "{r[0]}"' if r[0] != "id" else '"id"'
                         for r in obligations)
        query = f"SELECT {enum} FROM ({query})"
        options = "FORMAT PARQUET, COMPRESSION SNAPPY"
    else:
        options = "FORMAT CSV, HEADER"
    con.execute(f"COPY ({query}) TO '{target}' ({options})")
    return con.execute("SELECT count(*) FROM hegui_source").fetchall()[0][0]


def typed_rows(path: str | Path, as_of: datetime.date, con=None) -> tuple[list[Column], list[dict]]:
    """The table's rows with typed cells (for the equality tests)."""
    con = con or connect()
    columns, query = _typed_query(con, path, as_of)
    cur = con.execute(query)
    keys = [d[0] for d in cur.description]
    return columns, [dict(zip(keys, r, strict=True)) for r in cur.fetchall()]


def typed_batches(path: str | Path, as_of: datetime.date, rows_per_batch: int = 2048, con=None):
    """The table's rows with typed cells, in row order, as a stream of Arrow record batches (so a
    table larger than memory can be read row by row): (columns, pyarrow.RecordBatchReader)."""
    con = con or connect()
    columns, query = _typed_query(con, path, as_of)
    return columns, con.sql(query).to_arrow_reader(rows_per_batch)


def _typed_query(con, path: str | Path, as_of: datetime.date) -> tuple[list[Column], str]:
    path = Path(path)
    source_sql = _duckdb_source(con, path)
    names, types = _describe(con, source_sql)
    p = plan(names, as_of, source=str(path), types=types)
    con.execute(f"CREATE OR REPLACE TEMP VIEW hegui_rows AS SELECT * FROM {source_sql}")
    return p.columns, typed_select(p, exp.to_table("hegui_rows")).order_by(exp.column(ROW, quoted=True)).sql("duckdb")


def _describe(con, source_sql: str) -> tuple[list[str], dict[str, str]]:
    rows = con.execute(f"DESCRIBE SELECT * FROM {source_sql}").fetchall()
    return [r[0] for r in rows], {r[0]: r[1] for r in rows}


def _first_line(e: Exception) -> str:
    return str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
