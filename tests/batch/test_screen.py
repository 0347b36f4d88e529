"""hegui screen and synth through the installed command: cases, bad input, outputs."""

from __future__ import annotations

import datetime
import subprocess
import sys
from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
import yaml

from hegui.batch.screen import screen_duckdb
from hegui.batch.table import manifest_to_row
from hegui.engine import assess
from hegui.manifest.model import Manifest

HEGUI = str(Path(sys.executable).parent / "hegui")
CASES = Path(__file__).resolve().parents[3] / "shared" / "cases"


def run(*args):
    return subprocess.run([HEGUI, *args], capture_output=True, text=True)


def case_runs():
    if not CASES.exists():
        return []
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(case["manifest"], dict):
            out += [(path.stem, case["manifest"], run_["as_of"]) for run_ in case["runs"]]
    return out


@pytest.mark.skipif(not CASES.exists(), reason="the shared cases are not beside this checkout")
@pytest.mark.parametrize("name, manifest, as_of", case_runs(), ids=[f"{n}@{a}" for n, _, a in case_runs()])
def test_screen_equals_assess_on_every_shared_case(tmp_path, name, manifest, as_of):
    row = {k: (str(v) if not isinstance(v, bool) else ("true" if v else "false")) for k, v in
           manifest_to_row(manifest).items()}
    path = tmp_path / "case.csv"
    header = ["id", *row]
    path.write_text(",".join(f'"{h}"' for h in header) + "\n" +
                    ",".join(f'"{v}"' for v in ["case", *row.values()]) + "\n", encoding="utf-8")
    got = screen_duckdb(path, as_of).to_pylist()[0]
    expected = {f.obligation: f.status for f in assess(Manifest.model_validate(manifest), as_of).findings}
    assert {ob: got[ob] for ob in got if ob != "id"} == {ob: expected[ob] for ob in got if ob != "id"}


def test_a_screen_says_one_line_on_standard_error_and_nothing_at_exit(tmp_path):
    table = tmp_path / "in.csv"
    table.write_text("id,organisation.name\na,A\n", encoding="utf-8")
    done = run("screen", str(table), "--as-of", "2024-06-20", "--out", str(tmp_path / "out.csv"))
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith("hegui: screened 1 rows") and done.stderr.count("\n") == 1, done.stderr


def test_synth_then_screen_to_parquet_and_csv(tmp_path):
    table = tmp_path / "in.parquet"
    assert run("synth", "--rows", "500", "--seed", "9", "--out", str(table)).returncode == 0
    for out in (tmp_path / "out.parquet", tmp_path / "out.csv"):
        done = run("screen", str(table), "--as-of", "2024-06-20", "--out", str(out))
        assert done.returncode == 0, done.stderr
        result = pq.read_table(out) if out.suffix == ".parquet" else pacsv.read_csv(out)
        assert result.num_rows == 500
        assert result.column_names[0] == "id" and "cbdt.security-assessment" in result.column_names
        assert set(result.column("crm.listing-review").to_pylist()) <= {
            "applies", "does_not_apply", "unknown", "not_in_force"}


def test_explain_adds_missing_facts_and_deadlines(tmp_path):
    table, out = tmp_path / "in.csv", tmp_path / "out.csv"
    table.write_text("id,listing.venue,listing.kind,listing.structure,listing.application_date,"
                     "organisation.china_nexus.revenue_share,organisation.china_nexus.main_business_in_mainland\n"
                     "a,NASDAQ,ipo,indirect,2024-06-03,0.9,true\n"
                     "b,NASDAQ,ipo,indirect,2024-06-03,,true\n", encoding="utf-8")
    assert run("screen", str(table), "--as-of", "2024-06-20", "--out", str(out), "--explain").returncode == 0
    rows = {r["id"]: r for r in pacsv.read_csv(out).to_pylist()}
    # CSRC Trial Measures Art. 16: 3 working days after 2024-06-03.
    assert rows["a"]["csrc.overseas-listing-filing"] == "applies"
    assert str(rows["a"]["csrc.overseas-listing-filing.deadline"]) == "2024-06-06"
    assert rows["b"]["csrc.overseas-listing-filing"] == "unknown"
    assert "organisation.china_nexus.total_profit_share" in rows["b"]["csrc.overseas-listing-filing.missing_facts"]


def test_the_same_seed_gives_the_same_table(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    for path in (a, b):
        assert run("synth", "--rows", "300", "--seed", "4", "--out", str(path)).returncode == 0
    assert a.read_bytes() == b.read_bytes()
    c = tmp_path / "c.csv"
    run("synth", "--rows", "300", "--seed", "5", "--out", str(c))
    assert c.read_bytes() != a.read_bytes()


@pytest.mark.parametrize("content, needles", [
    ("id,organisation.pi_individual\n1,5\n", ["organisation.pi_individual", "organisation.pi_individuals"]),
    ("id,organisation.pi_individuals\n1,5\n2,many\n", ["organisation.pi_individuals", "row 2", "whole number"]),
    ("id,organisation.pi_individuals\n1,1.5\n", ["row 1", "whole number"]),
    ("id,listing.kind\n1,ipo\n2,spac\n", ["listing.kind", "row 2", "one of"]),
    # A day that does not exist says so, as in a manifest; another text names the format.
    ("id,listing.application_date\n1,2024-02-30\n", ["listing.application_date: row 1: 2024-02-30 is not a day: "
                                                      "February 2024 has 29 days"]),
    ("id,listing.application_date\n1,2024-02-28\n2,3 June\n", ["listing.application_date: row 2: expected a date "
                                                                "YYYY-MM-DD, got '3 June'"]),
    ("id,listing.venue_country\n1,CN\n", ["listing.venue_country", "row 1", "other than CN"]),
    ("id,organisation.ciio\n1,maybe\n", ["organisation.ciio", "true or false"]),
])
def test_bad_cells_and_columns_exit_2_naming_column_and_row(tmp_path, content, needles):
    table = tmp_path / "bad.csv"
    table.write_text(content, encoding="utf-8")
    done = run("screen", str(table), "--out", str(tmp_path / "o.parquet"))
    assert done.returncode == 2
    for needle in needles:
        assert needle in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "o.parquet").exists()


def test_unreadable_and_missing_files_exit_2(tmp_path):
    assert run("screen", str(tmp_path / "none.csv"), "--out", str(tmp_path / "o.csv")).returncode == 2
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"not parquet")
    done = run("screen", str(broken), "--out", str(tmp_path / "o.csv"))
    assert done.returncode == 2 and "cannot read" in done.stderr and "Traceback" not in done.stderr
    assert run("screen", str(broken), "--out", str(tmp_path / "o.xlsx")).returncode == 2


def test_spark_cli_writes_the_same_result(tmp_path, spark):
    table = tmp_path / "in.parquet"
    run("synth", "--rows", "200", "--seed", "2", "--out", str(table))
    as_of = datetime.date(2026, 11, 25)
    from hegui.batch.spark import screen_spark
    out = tmp_path / "spark.parquet"
    assert screen_spark(table, as_of, out, spark=spark) == 200
    duck = {r["id"]: r for r in screen_duckdb(table, as_of).to_pylist()}
    sparked = {r["id"]: r for r in pq.read_table(out).to_pylist()}
    assert sparked == duck


def test_spark_reports_a_bad_cell_with_its_row(tmp_path, spark):
    from hegui.batch.spark import screen_spark
    from hegui.manifest.errors import InputError
    table = tmp_path / "bad.csv"
    table.write_text("id,organisation.pi_individuals,listing.kind\na,5,ipo\nb,many,ipo\nc,7,spac\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        screen_spark(table, datetime.date(2024, 6, 20), spark=spark)
    text = str(e.value)
    assert "organisation.pi_individuals: row 2" in text and "listing.kind: row 3" in text


def _jsonl(path: Path, rows: list[dict]) -> Path:
    import json
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize("rows, expected", [
    # FITE Art. 6 ¶2 with IIS Measures Arts. 4, 7: the row's one service decides when it needs an ICP licence.
    ([{"id": "paid", "organisation.foreign_ownership": 0.6, "organisation.telecom_services": "",
       "service.kind": "website", "service.commercial": True},
      {"id": "open", "organisation.foreign_ownership": 0.6, "organisation.telecom_services": "",
       "service.kind": "website", "service.commercial": None},
      {"id": "free", "organisation.foreign_ownership": 0.6, "organisation.telecom_services": "ecommerce",
       "service.kind": "website", "service.commercial": False},
      {"id": "asks", "organisation.foreign_ownership": 0.6, "organisation.telecom_services": None,
       "service.kind": "website", "service.commercial": False}],
     {"paid": "applies", "open": "unknown", "free": "does_not_apply", "asks": "unknown"}),
    # Without service columns a row has no services: its categories alone decide.
    ([{"id": "idc", "organisation.foreign_ownership": 0.6, "organisation.telecom_services": "idc"},
      {"id": "shop", "organisation.foreign_ownership": 0.6, "organisation.telecom_services": "ecommerce"},
      {"id": "none", "organisation.foreign_ownership": 0.6, "organisation.telecom_services": "none"},
      {"id": "empty", "organisation.foreign_ownership": 0.6, "organisation.telecom_services": ""},
      {"id": "asks", "organisation.foreign_ownership": 0.6, "organisation.telecom_services": None}],
     {"idc": "applies", "shop": "does_not_apply", "none": "does_not_apply", "empty": "does_not_apply",
      "asks": "unknown"}),
])
def test_the_vats_cap_reads_the_rows_service(tmp_path, rows, expected):
    as_of = datetime.date(2024, 6, 20)
    got = {r["id"]: r["vats.foreign-ownership-cap"] for r in screen_duckdb(_jsonl(tmp_path / "t.jsonl", rows),
                                                                             as_of).to_pylist()}
    assert got == expected
    from reference import engine_statuses
    from hegui.batch.screen import typed_rows
    columns, typed = typed_rows(tmp_path / "t.jsonl", as_of)
    assert {r["id"]: engine_statuses(r, columns, n, as_of)["vats.foreign-ownership-cap"]
            for n, r in enumerate(typed, 1)} == expected
