"""The SQL backends give the engine's statuses, row for row (issue 5's equality property).

Hypothesis writes tables of flattened manifests, with unknown cells and values on and next to
every threshold of the rulebook; DuckDB and Spark screen them; the engine assesses each row as
a manifest. Every status of every obligation must be the same. `make equality` runs it longer.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reference import engine_statuses
from hegui.batch.screen import screen_duckdb, typed_rows
from hegui.batch.synth import COUNTRIES, free_text_values
from hegui.batch.table import all_facts
from hegui.manifest.facts import excluded_values, item_path, number_measures, split_item
from hegui.rulebook import default_rulebook

LONG = os.environ.get("HEGUI_EQUALITY") == "long"
settings.register_profile("ci", max_examples=25, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.register_profile("long", max_examples=400, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.load_profile("long" if LONG else "ci")

RULEBOOK = default_rulebook()
THRESHOLDS = sorted({max(0, v.value + d) for values in RULEBOOK.parameters.values() for v in values
                     if isinstance(v.value, int) and not isinstance(v.value, bool) for d in (-1, 0, 1)})
# Dates around every version switch and parameter change, where behaviour changes.
SWITCHES = sorted({v.start + datetime.timedelta(days=d) for ob in RULEBOOK.obligations.values() for v in ob.versions
                   for d in (-1, 0, 1)} | {datetime.date(2021, 5, 24), datetime.date(2026, 11, 25)})
PARTIES = 2


def cell(fact: str, t):
    if t.kind == "bool":
        value = st.booleans()
    elif t.kind == "number":
        measure = number_measures().get(fact, "money")
        if measure == "ratio":
            value = st.sampled_from([0.0, 0.3, 0.49, 0.5, 0.51, 1.0])
        elif measure == "count":
            value = st.one_of(st.sampled_from(THRESHOLDS), st.integers(0, 2_000_000_000))
        else:
            value = st.one_of(st.sampled_from([float(n) for n in THRESHOLDS]), st.floats(0, 2e11))
    elif t.kind == "date":
        value = st.one_of(st.sampled_from(SWITCHES), st.dates(datetime.date(2015, 1, 1), datetime.date(2027, 12, 31)))
    elif t.kind == "country":
        countries = [c for c in COUNTRIES if c not in excluded_values(fact)]   # a listing's: never CN
        value = st.sampled_from(countries)
    elif t.kind == "list":
        value = st.lists(st.sampled_from(sorted(t.values)), min_size=0, max_size=3).map(";".join)
    else:
        value = st.sampled_from(sorted(t.values) if t.values else free_text_values(fact))
    return st.one_of(st.none(), value)   # an empty cell is an unknown fact


def rows(n_min=1, n_max=6, kinds=None):
    """Tables with a column for every fact (of the given subject kinds only, when named)."""
    fields = {}
    for fact, t in all_facts().items():
        if t.kind == "items" or (kinds and fact.split(".")[0] not in kinds):
            continue
        if t.within:
            for i in range(PARTIES):
                fields[item_path(fact, i)] = cell(fact, t)
        else:
            fields[fact] = cell(fact, t)
    return st.lists(st.fixed_dictionaries(fields), min_size=n_min, max_size=n_max)


def write(table: list[dict], path: Path) -> None:
    names = list(table[0])
    columns = {"id": pa.array([f"r{i}" for i in range(len(table))])}
    for name in names:
        values = [r[name] for r in table]
        fact = split_item(name)[2] if split_item(name) else name
        t, kind = all_facts()[fact], number_measures().get(fact, "")
        if t.kind == "number":
            columns[name] = pa.array(values, pa.int64() if kind == "count" else pa.float64())
        elif t.kind == "date":
            columns[name] = pa.array(values, pa.date32())
        elif t.kind == "bool":
            columns[name] = pa.array(values, pa.bool_())
        else:
            columns[name] = pa.array(values, pa.string())
    pq.write_table(pa.table(columns), path)


def engine_table(path: Path, as_of: datetime.date) -> dict[str, dict[str, str]]:
    columns, typed = typed_rows(path, as_of)
    return {row["id"]: engine_statuses(row, columns, n, as_of) for n, row in enumerate(typed, 1)}


def differences(expected: dict, got: dict) -> list:
    return [(i, ob, expected[i][ob], got[i].get(ob)) for i in expected for ob in expected[i]
            if expected[i][ob] != got[i].get(ob)]


@given(table=rows(), as_of=st.sampled_from(SWITCHES))
def test_duckdb_equals_the_engine(tmp_path_factory, table, as_of):
    path = tmp_path_factory.mktemp("eq") / "rows.parquet"
    write(table, path)
    got = {r["id"]: r for r in screen_duckdb(path, as_of).to_pylist()}
    assert differences(engine_table(path, as_of), got) == []


@given(table=rows(kinds=("organisation", "transfer")), as_of=st.sampled_from(SWITCHES))
def test_a_table_without_service_columns_has_no_services(tmp_path_factory, table, as_of):
    # Organisation rules that count services (vats.foreign-ownership-cap) count none in such a row,
    # as assess does for a manifest without services.
    path = tmp_path_factory.mktemp("eq") / "rows.parquet"
    write(table, path)
    got = {r["id"]: r for r in screen_duckdb(path, as_of).to_pylist()}
    assert "vats.foreign-ownership-cap" in next(iter(got.values()))
    assert differences(engine_table(path, as_of), got) == []


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_text_tables_read_as_the_engine_reads_them(tmp_path, fmt):
    # The same synthetic rows as text (every cell a string) give the same statuses.
    from hegui.batch.synth import synth
    path = tmp_path / f"rows.{fmt}"
    synth(150, 5, path)
    as_of = datetime.date(2024, 6, 20)
    got = {r["id"]: r for r in screen_duckdb(path, as_of).to_pylist()}
    assert differences(engine_table(path, as_of), got) == []


@settings(max_examples=4 if not LONG else 40)
@given(table=rows(5, 10), as_of=st.sampled_from(SWITCHES))
def test_spark_equals_the_engine(spark, tmp_path_factory, table, as_of):
    from hegui.batch.spark import screen_spark
    path = tmp_path_factory.mktemp("eq") / "rows.parquet"
    write(table, path)
    got = {r["id"]: r.asDict() for r in screen_spark(path, as_of, spark=spark).collect()}
    assert differences(engine_table(path, as_of), got) == []
