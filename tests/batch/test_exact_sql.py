"""The SQL compiler decides with the same exact forms as the engine (lang/exact.py): issue 13's
cases (a) and (b) screened by DuckDB give the engine's definite statuses, row for row."""

from __future__ import annotations

import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reference import engine_statuses
from hegui.batch.screen import screen_duckdb, typed_rows

DAY = datetime.date(2025, 6, 1)
CONTRACT = "cbdt.standard-contract-or-certification"
COLUMNS = ["organisation.ciio", "organisation.operates_in_mainland", "transfer.id", "transfer.destination",
           "transfer.started_on", "transfer.includes_pi", "transfer.includes_sensitive_pi",
           "transfer.includes_important_data", "transfer.pi_individuals_current_year",
           "transfer.sensitive_pi_individuals_current_year", "transfer.basis", "transfer.collected_abroad_only",
           "transfer.ftz_exempt", "transfer.mechanism"]
ROWS = {
    # (a) Order 16 Art. 5(1) basis, important data not given: out of Art. 8 either way
    "a": ["false", "true", "shop", "US", "2024-05-01", "true", "false", "", "150000", "0",
          "contract_with_individual", "false", "false", "none"],
    # the same with no exempt basis: important data decides
    "a-open": ["false", "true", "shop", "US", "2024-05-01", "true", "false", "", "150000", "0",
               "none", "false", "false", "none"],
    # (b) 0 sensitive individuals this year, includes_sensitive_pi not given: the sensitive limb fails
    "b": ["false", "true", "crm", "US", "2024-05-01", "true", "", "false", "50000", "0",
          "none", "false", "false", "none"],
    # 5 sensitive individuals: sensitive PI under 10,000, in the band
    "b-some": ["false", "true", "crm", "US", "2024-05-01", "true", "", "false", "50000", "5",
               "none", "false", "false", "none"],
}
EXPECTED = {"a": "does_not_apply", "a-open": "unknown", "b": "does_not_apply", "b-some": "applies"}


def test_duckdb_decides_the_named_cases_as_the_engine_does(tmp_path):
    table = tmp_path / "cases.csv"
    table.write_text("\n".join([",".join(["id", *COLUMNS])] + [",".join([k, *v]) for k, v in ROWS.items()]) + "\n",
                     encoding="utf-8")
    got = {r["id"]: r for r in screen_duckdb(table, DAY).to_pylist()}
    columns, typed = typed_rows(table, DAY)
    for n, row in enumerate(typed, 1):
        engine = engine_statuses(row, columns, n, DAY)
        assert engine[CONTRACT] == EXPECTED[row["id"]], row["id"]
        assert {ob: got[row["id"]][ob] for ob in engine} == engine, row["id"]


# The cross-border decisions the exact forms settle most, over the values their thresholds and codes
# cut the facts into, each cell possibly empty: DuckDB equals the engine row for row.
CHOICES = {
    "organisation.ciio": ["true", "false"], "organisation.operates_in_mainland": ["true"],
    "transfer.id": ["t"], "transfer.destination": ["US", "SG"], "transfer.started_on": ["2024-05-01"],
    "transfer.includes_pi": ["true", "false"], "transfer.includes_sensitive_pi": ["true", "false"],
    "transfer.includes_important_data": ["true", "false"],
    "transfer.pi_individuals_current_year": ["0", "99999", "100000", "150000", "999999", "1000000"],
    "transfer.sensitive_pi_individuals_current_year": ["0", "5", "9999", "10000"],
    "transfer.basis": ["none", "contract_with_individual", "cross_border_hr", "emergency"],
    "transfer.collected_abroad_only": ["true", "false"], "transfer.ftz_exempt": ["true", "false"],
    "transfer.mechanism": ["none", "standard_contract", "certification"],
}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(table=st.lists(st.fixed_dictionaries({c: st.sampled_from(["", *v]) for c, v in CHOICES.items()}),
                      min_size=1, max_size=8))
def test_duckdb_equals_the_engine_on_the_cross_border_decisions(tmp_path_factory, table):
    path = tmp_path_factory.mktemp("exact") / "rows.csv"
    path.write_text("\n".join([",".join(["id", *CHOICES])] + [",".join([f"r{i}", *(r[c] for c in CHOICES)])
                                                                 for i, r in enumerate(table)]) + "\n",
                    encoding="utf-8")
    got = {r["id"]: r for r in screen_duckdb(path, DAY).to_pylist()}
    columns, typed = typed_rows(path, DAY)
    for n, row in enumerate(typed, 1):
        engine = engine_statuses(row, columns, n, DAY)
        assert {ob: got[row["id"]][ob] for ob in engine} == engine, row
