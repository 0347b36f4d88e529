"""The SQL screen derives an area's detailed facts from organisation.activities.* as the engine does.

A row that declares an area absent and leaves its detailed cells empty has them false or zero in
DuckDB too (manifest/activities.yaml, read through manifest/facts.py by both); a filled cell wins;
a list fact (organisation.telecom_services) derives its `none`.
"""

from __future__ import annotations

import datetime

import pyarrow as pa
import pyarrow.parquet as pq

from test_equality import differences, engine_table
from hegui.batch.screen import screen_duckdb

AS_OF = datetime.date(2026, 12, 3)


def test_declared_absences_screen_as_the_engine_decides_them(tmp_path):
    rows = {
        "id": ["absent", "carried-on", "given-wins", "unknown"],
        "organisation.name": ["A", "B", "C", "D"],
        "organisation.operates_in_mainland": [True, True, True, True],
        "organisation.activities.vehicles": [False, True, False, None],
        "organisation.activities.online_games": [False, True, False, None],
        "organisation.activities.financial_institutions": [False, True, False, None],
        "organisation.activities.telecom": [False, True, False, None],
        "organisation.foreign_ownership": [0.8, 0.8, 0.8, 0.8],
        "service.id": ["s", "s", "s", "s"],
        "service.kind": ["app", "app", "app", "app"],
        "service.commercial": [True, True, True, True],
        "service.online_game": [None, None, True, None],
    }
    path = tmp_path / "rows.parquet"
    pq.write_table(pa.table({k: pa.array(v) for k, v in rows.items()}), path)
    got = {r["id"]: r for r in screen_duckdb(path, AS_OF).to_pylist()}
    expected = engine_table(path, AS_OF)
    assert differences(expected, got) == []
    # The derivation is what decides: the same rows without it would stay unknown.
    for obligation in ("auto-data.domestic-storage", "games.publication-approval", "fhc.licence"):
        assert got["absent"][obligation] == "does_not_apply", obligation
        assert got["unknown"][obligation] == "unknown", obligation
    assert got["carried-on"]["auto-data.domestic-storage"] == "unknown"
    assert got["given-wins"]["games.publication-approval"] != "does_not_apply"
