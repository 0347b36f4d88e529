"""`screen --explain` streams: batches of any size give the same file, and the engine runs only
on rows with an `unknown` or `applies` status."""

from __future__ import annotations

import datetime
import shutil

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

import hegui.screen_explain as explain
from hegui.batch.screen import screen_duckdb
from hegui.batch.synth import synth

AS_OF = datetime.date(2024, 6, 20)


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    path = tmp_path_factory.mktemp("explain") / "in.parquet"
    synth(40, 11, str(path))
    return path


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_batch_size_does_not_change_the_result(table, tmp_path, suffix):
    screened = tmp_path / f"screened{suffix}"
    screen_duckdb(table, AS_OF, screened)
    results = []
    for rows_per_batch in (1, 7, 40, 1000):
        out = tmp_path / f"out-{rows_per_batch}{suffix}"
        shutil.copy(screened, out)
        explain.add_explanations(table, out, AS_OF, rows_per_batch=rows_per_batch)
        results.append(pq.read_table(out) if suffix == ".parquet" else pacsv.read_csv(out))
        assert not list(tmp_path.glob("*.explaining")), "the partial file is left behind"
    assert all(r.equals(results[0]) for r in results[1:])
    assert results[0].num_rows == 40
    obligations = [n for n in pq.read_schema(screened).names if n != "id"] if suffix == ".parquet" else \
        [n for n in pacsv.read_csv(screened).column_names if n != "id"]
    assert results[0].column_names[len(obligations) + 1:] == [
        f"{ob}.{what}" for ob in obligations for what in ("missing_facts", "deadline")]


def test_the_engine_runs_only_on_rows_that_need_it(tmp_path, monkeypatch):
    # In 1990 no instrument of the rulebook is in force: every status is not_in_force and the
    # engine has nothing to explain. In 2024 duties apply to the same row: it runs once.
    table = tmp_path / "in.csv"
    table.write_text("id,organisation.operates_in_mainland\na,true\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    calls = []
    real = explain._findings
    monkeypatch.setattr(explain, "_findings", lambda *a: calls.append(a[2]) or real(*a))
    early = datetime.date(1990, 1, 1)
    screen_duckdb(table, early, out)
    assert set(pacsv.read_csv(out).to_pylist()[0].values()) - {"a"} == {"not_in_force"}
    explain.add_explanations(table, out, early)
    assert calls == []
    screen_duckdb(table, AS_OF, out)
    explain.add_explanations(table, out, AS_OF)
    assert calls == [1]
