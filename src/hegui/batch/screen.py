"""Screen a table of flattened manifests: read it, check every cell, compute every status in SQL.

DuckDB (embedded, the default) streams the table through one query, so inputs larger than
memory spill to disk instead of failing; the same compiled SQL runs on Spark (spark.py).

The cells are checked in the same pass as the statuses: a row with a bad cell stops the query
(DuckDB's error()), and only then does a second query list every bad cell, with its column and
row. The result is written to a temporary file beside `out` and renamed only when the whole
screen succeeded, so a failed screen leaves no partial output (batch/output.py).
"""

from __future__ import annotations

import datetime
import os
import tempfile
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from sqlglot import exp

from hegui.batch.compile import status_query
from hegui.batch.output import literal_path, replacing
from hegui.batch.table import Column, ColumnError, columns_of, kinds_present
from hegui.batch.typing_sql import any_outside, enum_types, typed
from hegui.manifest.errors import InputError, Problem, did_you_mean
from hegui.manifest.model import SUBJECT_LISTS
from hegui.manifest.types import parse_day
from hegui.rulebook import Rulebook, default_rulebook
from hegui.rulebook.decision import APPLIES, DOES_NOT_APPLY, NOT_IN_FORCE, UNKNOWN

STATUSES = (APPLIES, DOES_NOT_APPLY, UNKNOWN, NOT_IN_FORCE)   # the SQL enum's order
STATUS_TYPE = "hegui_status"
READERS = {".csv": "csv", ".parquet": "parquet", ".jsonl": "json", ".ndjson": "json", ".json": "json"}
ROW = "__hegui_row"
BAD = "~bad"
BAD_CELL = "hegui: a cell is not what its fact needs"   # the message error() stops the query with
REPORTED = 50   # bad cells listed by row; the rest are counted per column


@dataclass
class Plan:
    """The compiled screening: typed cells, their checks, and one status column per obligation."""
    columns: list[Column]
    typed: list[tuple[str, exp.Expression]]
    checks: list[tuple[str, exp.Expression, str]]
    rulebook: Rulebook
    as_of: datetime.date
    id_expr: exp.Expression
    only: list[str] | None = None
    diagnosis: tuple[str, str] | None = None   # the DuckDB queries that list bad cells, once needed


def plan(names: list[str], as_of: datetime.date, rulebook: Rulebook | None = None, source: str = "table",
         types: dict[str, str] | None = None, obligations: list[str] | None = None, enums: bool = False) -> Plan:
    """With `enums` (DuckDB only: the types live in its database, see connect()), text cells of a
    closed set of values are read as ENUMs."""
    try:
        columns = columns_of([n for n in names if n != ROW])
    except ColumnError as e:
        raise InputError([Problem(source, "", None, str(e))]) from None
    rulebook = rulebook or default_rulebook()
    typed_cols, checks = [], []
    for c in columns:
        value, invalid, expected = typed(c, (types or {}).get(c.name, "VARCHAR"), enums)
        typed_cols.append((c.name, value))
        if not (isinstance(invalid, exp.Boolean) and not invalid.this):
            checks.append((c.name, invalid, expected))
    id_expr = exp.column("id", quoted=True) if "id" in names else exp.cast(exp.column(ROW, quoted=True), "VARCHAR")
    if obligations is not None:
        _check_obligations(obligations, rulebook, kinds_present(columns))
    return Plan(columns, typed_cols, checks, rulebook, as_of, id_expr, obligations)


def _check_obligations(ids: list[str], rulebook: Rulebook, kinds: set[str]) -> None:
    problems = []
    for ob in ids:
        if ob not in rulebook.obligations:
            problems.append(Problem("--obligations", "", None, f"no {ob!r} in the rulebook"
                                    f"{did_you_mean(ob, rulebook.obligations) or ' (see `hegui rules`)'}"))
        elif rulebook.obligations[ob].subject not in kinds:
            kind = rulebook.obligations[ob].subject
            problems.append(Problem("--obligations", "", None, f"{ob} is decided for each of a row's "
                                    f"{SUBJECT_LISTS.get(kind, kind)}, and the table has no {kind}.* column"))
    if problems:
        raise InputError(problems)


def typed_select(p: Plan, source: exp.Expression, with_bad: bool = False) -> exp.Select:
    """The source with every cell as its fact's type, and the row number kept; with `with_bad`,
    also whether any cell of the row is bad."""
    extra = [exp.alias_(_any_bad(p), BAD, quoted=True)] if with_bad else []
    return exp.select(exp.column(ROW, quoted=True),
                      *[exp.alias_(v, name, quoted=True) for name, v in p.typed], *extra).from_(source)


def _any_bad(p: Plan) -> exp.Expression:
    return any_outside([bad for _, bad, _ in p.checks])


def status_select(p: Plan, typed_source: exp.Expression, status_type: str | None = None,
                  stop_on_bad: bool = False) -> exp.Select:
    """The statuses; with `stop_on_bad`, the query fails (DuckDB's error()) on a row whose cells
    are not all good, so the checks cost no pass of their own."""
    id_expr = p.id_expr
    if stop_on_bad:
        id_expr = exp.Case(ifs=[exp.If(this=exp.column(BAD, quoted=True), true=exp.Anonymous(
            this="error", expressions=[exp.Literal.string(BAD_CELL)]))], default=id_expr)
    return status_query(p.rulebook, p.as_of, p.columns, typed_source, id_expr, p.only, status_type)[1]


def bad_count_select(p: Plan, source: exp.Expression) -> exp.Select:
    """For each checked column, how many of its cells are bad."""
    return exp.select(*[exp.alias_(exp.Sum(this=exp.Case(ifs=[exp.If(this=bad, true=exp.Literal.number(1))],
                                                         default=exp.Literal.number(0))), name, quoted=True)
                        for name, bad, _ in p.checks]).from_(source)


def bad_cells_select(p: Plan, source: exp.Expression, limit: int = REPORTED) -> exp.Select:
    """The first rows with a bad cell, in row order: the row's mark, then for each checked column
    its raw cell where bad (else NULL)."""
    cells = [exp.alias_(exp.Case(ifs=[exp.If(this=bad, true=exp.cast(exp.column(name, quoted=True), "VARCHAR"))]),
                        name, quoted=True) for name, bad, _ in p.checks]
    return exp.select(exp.column(ROW, quoted=True), *cells).from_(source).where(_any_bad(p)).order_by(
        exp.column(ROW, quoted=True)).limit(limit)


def problems_from(p: Plan, counts: dict[str, int], rows: list[tuple], source: str, row_number=None) -> list[Problem]:
    """Every bad cell of the first rows (`rows` from bad_cells_select), then, when more were found
    than listed, the total per column."""
    kinds = {c.name: c.type.kind if c.type else None for c in p.columns}
    expected = {name: text for name, _, text in p.checks}
    names = [name for name, _, _ in p.checks]
    problems, listed = [], {}
    for mark, *cells in rows:
        number = row_number(mark) if row_number else mark
        for name, value in zip(names, cells, strict=True):
            if value is not None and len(problems) < REPORTED:
                problems.append(Problem(source, name, None, f"row {number}: {_expected(kinds[name], expected[name], value)}"))
                listed[name] = listed.get(name, 0) + 1
    listed_cells, total = len(problems), sum(counts.values())
    if total > listed_cells:
        for name in names:
            left = counts.get(name, 0) - listed.get(name, 0)
            if left:
                problems.append(Problem(source, name, None, f"{left:,} more bad cells"))
        problems.append(Problem(source, "", None, f"{total:,} bad cells in all; the first {listed_cells:,} "
                                                  "are listed by row"))
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
    quoted = str(literal_path(path)).replace("'", "''")
    if kind == "parquet":
        return f"(SELECT * EXCLUDE (file_row_number), file_row_number + 1 AS {ROW} " \
               f"FROM read_parquet('{quoted}', file_row_number = true))"
    if kind == "csv":
        reader = f"read_csv('{quoted}', header = true, all_varchar = true)"
    else:
        # Every field as its JSON text, so a cell keeps its JSON type (true, 5.0, "5" and 5 differ,
        # as in a manifest) whatever type DuckDB would guess for the column.
        names = [r[0] for r in con.execute(
            f"DESCRIBE SELECT * FROM read_json('{quoted}', format = 'newline_delimited')").fetchall()]
        fields = ", ".join(f"""'{n.replace("'", "''")}': 'JSON'""" for n in names)
        reader = f"read_json('{quoted}', format = 'newline_delimited', columns = {{{fields}}})"
    return f"(SELECT *, row_number() OVER () AS {ROW} FROM {reader})"


def connect(memory_limit: str = "1536MB"):
    """An in-memory DuckDB database for screens. Its memory limit bounds a screen's memory (beyond
    it, DuckDB spills to disk); at 1 GB, writing a result of ninety columns in row order ran on one
    thread (DuckDB's ordered Parquet writer holds back when memory is short), at 1.5 GB on both."""
    import duckdb
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute(f"SET temp_directory = '{tempfile.gettempdir()}/hegui-duckdb'")
    con.execute(f"SET enable_progress_bar = {str(os.isatty(2)).lower()}")
    # The status enum lives in the database, made here once: two connections making it at the
    # same time would conflict.
    con.execute(f"CREATE TYPE IF NOT EXISTS {STATUS_TYPE} AS ENUM ({', '.join(repr(s) for s in STATUSES)})")
    for name, values in enum_types().items():   # the closed sets of values a text cell is read as
        con.execute(f"CREATE TYPE IF NOT EXISTS {name} AS ENUM ({', '.join(repr(v) for v in values)})")
    return con


# Plans and their compiled queries by what they depend on: a screen of the same kind of table on
# the same day (a benchmark's repeated runs, a server's requests) is planned and compiled once.
_COMPILED: OrderedDict = OrderedDict()
_DATABASE = None   # one in-process DuckDB database; each screen has its own connection to it


def _compiled(names: list[str], types: dict[str, str], as_of: datetime.date, rulebook: Rulebook | None,
              source: str, obligations: list[str] | None) -> tuple[Plan, str]:
    rulebook = rulebook or default_rulebook()
    key = (id(rulebook), as_of, tuple(names), tuple(sorted(types.items())),
           None if obligations is None else tuple(obligations))
    entry = _COMPILED.get(key)
    if entry is None:
        p = plan(names, as_of, rulebook, source, types, obligations, enums=True)
        typed_source = exp.Subquery(this=typed_select(p, exp.to_table("hegui_source"), with_bad=True),
                                    alias=exp.TableAlias(this=exp.to_identifier("typed")))
        sql = status_select(p, typed_source, STATUS_TYPE, stop_on_bad=True).sql("duckdb")
        entry = _COMPILED[key] = (rulebook, p, sql)   # the rulebook kept, so its id is not reused
        while len(_COMPILED) > 8:   # (a server's threads may evict at once: a lost entry is compiled again)
            _COMPILED.pop(next(iter(_COMPILED), None), None)
    _, p, sql = entry
    return p, sql


def screen_duckdb(path: str | Path, as_of: datetime.date, out: str | Path | None = None,
                  rulebook: Rulebook | None = None, con=None, obligations: list[str] | None = None):
    """Screen a table with DuckDB. With `out`, write the result to Parquet or CSV (whole, or not at
    all) and return the row count; without, return the result as an Arrow table."""
    path = Path(path)
    if not path.is_file():
        raise InputError([Problem(str(path), "", None, "cannot read the file: " + (
            "it is a folder" if path.is_dir() else "no such file"))])
    if out is not None and Path(out).suffix.lower() not in (".parquet", ".csv"):
        raise InputError([Problem(str(out), "", None, "expected an output file ending in .parquet or .csv")])
    con = con or _connection()
    try:
        source_sql = _duckdb_source(con, path)
        names, types = _describe(con, source_sql)
    except InputError:
        raise
    except Exception as e:  # duckdb's errors for unreadable input
        raise InputError([Problem(str(path), "", None, f"cannot read the table: {_first_line(e)}")]) from None
    p, query = _compiled(names, types, as_of, rulebook, str(path), obligations)
    con.execute(f"CREATE OR REPLACE TEMP VIEW hegui_source AS SELECT * FROM {source_sql}")
    try:
        if out is None:
            return con.sql(query).to_arrow_table()
        out = Path(out)
        options = "FORMAT PARQUET, COMPRESSION SNAPPY" if out.suffix.lower() == ".parquet" else "FORMAT CSV, HEADER"
        with replacing(out) as partial:
            target = str(partial).replace("'", "''")
            rows = con.execute(f"COPY ({query}) TO '{target}' ({options})").fetchall()
        return rows[0][0] if rows and rows[0] else con.execute("SELECT count(*) FROM hegui_source").fetchall()[0][0]
    except Exception as e:
        if BAD_CELL not in str(e):
            raise
    raise InputError(_bad_cells(con, p, str(path)))


def _connection():
    """A connection of its own (its temporary views are its own) to the one in-process database,
    which is set up once."""
    global _DATABASE
    if _DATABASE is None:
        _DATABASE = connect()
    con = _DATABASE.cursor()
    con.execute(f"SET enable_progress_bar = {str(os.isatty(2)).lower()}")
    return con


def _bad_cells(con, p: Plan, source: str) -> list[Problem]:
    """Every bad cell (the first REPORTED by row, then totals), found by a second pass, which runs
    only when the screen found one."""
    if p.diagnosis is None:
        view = exp.to_table("hegui_source")
        p.diagnosis = (bad_count_select(p, view).sql("duckdb"), bad_cells_select(p, view).sql("duckdb"))
    totals = con.execute(p.diagnosis[0]).fetchall()[0]
    counts = {name: int(n or 0) for (name, _, _), n in zip(p.checks, totals, strict=True)}
    rows = con.execute(p.diagnosis[1]).fetchall()
    return problems_from(p, counts, rows, source)


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
