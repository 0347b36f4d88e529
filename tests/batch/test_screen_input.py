"""screen refuses what assess refuses, cell for cell (issue 14 §10), and reads and writes the files
it is given and no others (issue 14 §11)."""

from __future__ import annotations

import datetime
import json
import re
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hegui.batch.screen import REPORTED, screen_duckdb
from hegui.batch.table import columns_of, row_to_manifest
from hegui.manifest.errors import InputError
from hegui.manifest.load import parse_manifest
from hegui.manifest.model import SUBJECT_LISTS
from hegui.manifest.types import COUNT_MAX, DATE_MAX, DATE_MIN, MONEY_MAX

HEGUI = str(Path(sys.executable).parent / "hegui")
AS_OF = datetime.date(2024, 6, 20)
KINDS = {attr: kind for kind, attr in SUBJECT_LISTS.items()}


def run(*args):
    return subprocess.run([HEGUI, *args], capture_output=True, text=True)


def refused_by_screen(path: Path) -> set[str]:
    """The columns screen refuses a cell of (empty: the table is screened)."""
    try:
        screen_duckdb(path, AS_OF)
    except InputError as e:
        return {p.path for p in e.problems if p.path}
    return set()


def refused_by_assess(row: dict) -> set[str]:
    """The columns whose value the manifest the row stands for is refused at, as `assess` reads it."""
    manifest = row_to_manifest(row, columns_of(list(row)), 1)
    try:
        parse_manifest(json.dumps(manifest), "row.json")
    except InputError as e:
        return {_column(p.path) for p in e.problems}
    return set()


def _column(path: str) -> str:
    """transfers[0].pi_individuals_current_year -> transfer.pi_individuals_current_year, a list's
    value (services[0].content[1]) -> its column (service.content)"""
    path = re.sub(r"\[\d+\]$", "", path)
    m = re.fullmatch(r"(\w+)\[0\]\.(.+)", path)
    return f"{KINDS[m.group(1)]}.{m.group(2)}" if m else path


def jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


# One column of each kind of fact, and JSON values of every type for each: a count, an amount, a
# ratio, a flag, a date, a country (never CN for a listing), a choice, free text, a list.
FACTS = ["organisation.pi_individuals", "transfer.pi_individuals_current_year", "organisation.turnover_china_rmb",
         "organisation.foreign_ownership", "organisation.ciio", "listing.application_date",
         "listing.venue_country", "listing.kind", "listing.venue", "service.content"]
ONE_DAY = datetime.timedelta(days=1)
EDGE_DAYS = [DATE_MIN - ONE_DAY, DATE_MIN, DATE_MAX, DATE_MAX + ONE_DAY]
CELLS = st.one_of(
    st.none(), st.booleans(),
    st.integers(-3, 3), st.sampled_from([COUNT_MAX, COUNT_MAX + 1, 2 ** 63, 2 ** 64, MONEY_MAX, MONEY_MAX + 1]),
    st.integers(-2 ** 70, 2 ** 70),
    st.floats(allow_nan=False, allow_infinity=False), st.sampled_from([0.5, 1.0, 5.0, 1e6, 1.5]),
    st.sampled_from(["2024-06-03", "2024-02-30", "3 June", " 2024-06-03", "0000-01-01"]),
    st.sampled_from([d.isoformat() for d in EDGE_DAYS]),
    st.sampled_from(["US", "CN", "HK", "us", "ipo", "spac", "NASDAQ", "", " ", "5", "true", "1e6"]),
    st.sampled_from(["news", "news;games", "news;;", "news;nonsense", " news ; games ",
                     "ne ws", "\tnews", "news\u3000", "news;\u00a0;"]),
)


# Each example is one row of ten cells, so fifteen examples try 150 cells (a few seconds on a quiet machine).
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(row=st.fixed_dictionaries({fact: CELLS for fact in FACTS}))
def test_screen_refuses_the_cells_assess_refuses_and_no_others(tmp_path, row):
    row = {"id": "r1", **row}
    assert refused_by_screen(jsonl(tmp_path / "t.jsonl", [row])) == refused_by_assess(row)


@pytest.mark.parametrize("cell", ["true", "5.0", "1e6", str(COUNT_MAX + 1), str(2 ** 63), "-1"])
def test_a_json_cell_that_is_no_count_is_refused_with_column_and_row(tmp_path, cell):
    path = tmp_path / "t.jsonl"
    path.write_text('{"id": "a", "organisation.pi_individuals": 5}\n'
                    f'{{"id": "b", "organisation.pi_individuals": {cell}}}\n', encoding="utf-8")
    with pytest.raises(InputError) as e:
        screen_duckdb(path, AS_OF)
    assert [(p.path, p.message.split(":")[0]) for p in e.value.problems] == [("organisation.pi_individuals", "row 2")]


@pytest.mark.parametrize("cell, refused", [("5", False), ("007", False), ("5.0", True), ("1e6", True), ("+5", True),
                                           ("5.5", True), (str(COUNT_MAX), False), (str(COUNT_MAX + 1), True),
                                           (str(2 ** 63), True), ("true", True)])
def test_a_csv_count_is_digits_alone(tmp_path, cell, refused):
    path = tmp_path / "t.csv"
    path.write_text(f"id,organisation.pi_individuals\na,{cell}\n", encoding="utf-8")
    assert refused_by_screen(path) == ({"organisation.pi_individuals"} if refused else set())


def test_parquet_dates_outside_the_manifests_range_are_refused(tmp_path):
    epoch = datetime.date(1970, 1, 1)
    days = [(d - epoch).days for d in (DATE_MIN, DATE_MAX, datetime.date(2024, 6, 3))] + \
        [(DATE_MIN - epoch).days - 1, (DATE_MAX - epoch).days + 1, 3_000_000]   # the last: year 10183
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"id": [str(i) for i in range(1, 7)],
                             "listing.application_date": pa.array(days, pa.date32())}), path)
    with pytest.raises(InputError) as e:
        screen_duckdb(path, AS_OF)
    assert [p.message.split(":")[0] for p in e.value.problems] == ["row 4", "row 5", "row 6"]


def test_parquet_counts_beyond_the_bound_and_floats_are_refused(tmp_path):
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"id": ["a", "b"], "organisation.pi_individuals": pa.array([5, 2 ** 63], pa.uint64()),
                             "organisation.registered_users": pa.array([5.0, None], pa.float64())}), path)
    with pytest.raises(InputError) as e:
        screen_duckdb(path, AS_OF)
    assert {(p.path, p.message.split(":")[0]) for p in e.value.problems} == {
        ("organisation.pi_individuals", "row 2"), ("organisation.registered_users", "row 1")}


def test_a_bad_count_beside_an_empty_count_is_refused(tmp_path):
    # The range tests of a row's counts are taken together; an empty cell must not hide the others.
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"id": ["a", "b", "c"],
                             "organisation.pi_individuals": pa.array([-1, 5, None], pa.int64()),
                             "organisation.registered_users": pa.array([None, None, COUNT_MAX + 1], pa.int64())}), path)
    with pytest.raises(InputError) as e:
        screen_duckdb(path, AS_OF)
    assert {(p.path, p.message.split(":")[0]) for p in e.value.problems} == {
        ("organisation.pi_individuals", "row 1"), ("organisation.registered_users", "row 3")}


@pytest.mark.parametrize("column_type, checked", [
    ("BOOLEAN", False),        # a flag column holds nothing but flags
    ("UTINYINT", False),       # 0 to 255: never below 0 nor above 2^53 - 1
    ("UINTEGER", False),       # 0 to 2^32 - 1
    ("INTEGER", True),         # may be negative
    ("UBIGINT", True),         # may pass 2^53 - 1
    ("VARCHAR", True)])        # text may be anything
def test_a_check_the_columns_type_cannot_fail_is_not_made(column_type, checked):
    from hegui.batch.screen import plan
    fact = "organisation.ciio" if column_type == "BOOLEAN" else "organisation.pi_individuals"
    p = plan(["id", fact], AS_OF, types={"id": "VARCHAR", fact: column_type})
    assert [name for name, _, _ in p.checks] == ([fact] if checked else [])


def test_every_bad_row_is_reported_up_to_a_bound_then_counted(tmp_path):
    few, many = tmp_path / "few.csv", tmp_path / "many.csv"
    few.write_text("id,organisation.ciio,listing.kind\n" + "".join(
        f"r{i},{'maybe' if i % 3 == 0 else 'true'},{'spac' if i in (4, 5) else 'ipo'}\n" for i in range(1, 10)),
        encoding="utf-8")
    with pytest.raises(InputError) as e:
        screen_duckdb(few, AS_OF)
    assert str(e.value.problems[0]) == f"{few}: organisation.ciio: row 3: expected true or false, got 'maybe'"
    assert [(p.path, p.message.split(":")[0]) for p in e.value.problems] == [
        ("organisation.ciio", "row 3"), ("listing.kind", "row 4"), ("listing.kind", "row 5"),
        ("organisation.ciio", "row 6"), ("organisation.ciio", "row 9")]
    bad_rows = 3 * REPORTED
    many.write_text("id,organisation.ciio\n" + "".join(f"r{i},{'maybe' if i % 2 else 'true'}\n"
                                                       for i in range(1, 2 * bad_rows + 1)), encoding="utf-8")
    with pytest.raises(InputError) as e:
        screen_duckdb(many, AS_OF)
    problems = e.value.problems
    assert len(problems) == REPORTED + 2
    assert [p.message.split(":")[0] for p in problems[:REPORTED]] == [f"row {2 * i + 1}" for i in range(REPORTED)]
    assert problems[REPORTED].message == f"{bad_rows - REPORTED:,} more bad cells"
    assert problems[-1].message == f"{bad_rows:,} bad cells in all; the first {REPORTED} are listed by row"


# -- files (issue 14 §11) -------------------------------------------------------------------

def test_a_table_name_is_a_file_name_not_a_pattern(tmp_path):
    (tmp_path / "a[1].csv").write_text("id,organisation.ciio\nliteral,true\n", encoding="utf-8")
    (tmp_path / "a1.csv").write_text("id,organisation.ciio\nmatched-by-the-pattern,true\n", encoding="utf-8")
    out = tmp_path / "o.csv"
    done = run("screen", str(tmp_path / "a[1].csv"), "--as-of", "2024-06-20", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert pacsv.read_csv(out).column("id").to_pylist() == ["literal"]


def test_out_may_not_be_the_table(tmp_path):
    table = tmp_path / "x.csv"
    table.write_text("id,organisation.ciio\na,true\n", encoding="utf-8")
    before = table.read_bytes()
    done = run("screen", str(table), "--out", str(tmp_path / "." / "x.csv"))
    assert done.returncode == 2 and "--out" in done.stderr and "the table being screened" in done.stderr
    assert "Traceback" not in done.stderr
    assert table.read_bytes() == before


def test_a_failed_explain_leaves_the_earlier_result_as_it_was(tmp_path, monkeypatch):
    from hegui.cli.base import cli
    import hegui.screen_explain
    table, out = tmp_path / "in.csv", tmp_path / "out.csv"
    table.write_text("id,organisation.ciio\na,true\n", encoding="utf-8")
    out.write_text("an earlier result\n", encoding="utf-8")

    def fails(*args, **kwargs):
        raise RuntimeError("explaining failed")
    monkeypatch.setattr(hegui.screen_explain, "add_explanations", fails)
    result = CliRunner().invoke(cli, ["screen", str(table), "--out", str(out), "--explain"])
    assert isinstance(result.exception, RuntimeError)
    assert out.read_text(encoding="utf-8") == "an earlier result\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]   # no partial file left


def test_a_bad_cell_leaves_no_partial_output(tmp_path):
    table, out = tmp_path / "in.csv", tmp_path / "out.parquet"
    table.write_text("id,organisation.ciio\na,true\nb,maybe\n", encoding="utf-8")
    done = run("screen", str(table), "--out", str(out))
    assert done.returncode == 2 and "row 2" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


@pytest.mark.parametrize("out", ["no-such-folder/o.csv", "in.csv/o.parquet"])
def test_an_unwritable_out_exits_2_naming_it(tmp_path, out):
    table = tmp_path / "in.csv"
    table.write_text("id,organisation.ciio\na,true\n", encoding="utf-8")
    done = run("screen", str(table), "--out", str(tmp_path / out))
    assert done.returncode == 2, done.stderr
    assert str(tmp_path / out) in done.stderr and "cannot write" in done.stderr
    assert "Traceback" not in done.stderr


def test_obligations_screens_only_those_and_refuses_unknown_ids(tmp_path):
    table, out = tmp_path / "in.csv", tmp_path / "out.csv"
    table.write_text("id,organisation.ciio,transfer.includes_pi\na,true,true\n", encoding="utf-8")
    done = run("screen", str(table), "--as-of", "2024-06-20", "--out", str(out),
               "--obligations", "cbdt.security-assessment,csl.ciio-localisation")
    assert done.returncode == 0, done.stderr
    assert sorted(pacsv.read_csv(out).column_names) == ["cbdt.security-assessment", "csl.ciio-localisation", "id"]
    done = run("screen", str(table), "--out", str(out), "--obligations", "cbdt.security-asessment")
    assert done.returncode == 2 and "did you mean 'cbdt.security-assessment'" in done.stderr
    done = run("screen", str(table), "--out", str(out), "--obligations", "crm.listing-review")
    assert done.returncode == 2 and "no listing.* column" in done.stderr


def test_the_whitespace_screen_strips_from_a_list_value_is_what_python_strips():
    from hegui.batch.typing_sql import PYTHON_WHITESPACE_CODES
    assert set(PYTHON_WHITESPACE_CODES) == {c for c in range(0x110000) if chr(c).isspace()}


@pytest.mark.parametrize("cell, refused", [("ne ws", True), ("\tnews", False), ("news\u3000", False),
                                           (" news ; ", False), ("news;\u00a0;", False), ("news; nonsense", True)])
def test_a_list_cell_is_refused_as_assess_refuses_it(tmp_path, cell, refused):
    """Whitespace round a value goes (any that str.strip() takes); inside a value it is refused."""
    row = {"id": "r1", "service.content": cell}
    assert refused_by_assess(row) == ({"service.content"} if refused else set())
    assert refused_by_screen(jsonl(tmp_path / "t.jsonl", [row])) == refused_by_assess(row)
