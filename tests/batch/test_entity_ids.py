"""A row whose `<kind>.id` cell is empty has no entity of that kind (issue 12, part 5).

With a `listing.id` column, a row with a filled `listing.id` is an organisation with that
listing; an empty one (NULL, or '' in a Parquet or JSON table) is an organisation with no
listing, as a manifest without `listings` is: no listing finding, and organisation rules that
count services or transfers count none. The SQL backends must still equal the engine row for row.
"""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import given
from hypothesis import strategies as st

from hegui.batch.screen import screen_duckdb
from hegui.manifest.facts import number_measures, split_item
from hegui.batch.table import all_facts
from hegui.manifest.model import SUBJECT_LISTS
from hegui.rulebook import default_rulebook
from reference import engine_statuses
from test_equality import SWITCHES, engine_table, rows

RULEBOOK = default_rulebook()
AS_OF = datetime.date(2024, 6, 20)
ID_CELLS = st.sampled_from([None, "", " ", "e1"])


def of_kind(kind: str) -> list[str]:
    return [ob.id for ob in RULEBOOK.obligations.values() if ob.subject == kind]


def write_parquet(table: list[dict], path: Path) -> None:
    """Rows of fact cells and `<kind>.id` cells (text) as a typed Parquet table."""
    columns = {"id": pa.array([f"r{i}" for i in range(len(table))])}
    for name in table[0]:
        values = [r[name] for r in table]
        if name.endswith(".id"):
            columns[name] = pa.array(values, pa.string())
            continue
        fact = split_item(name)[2] if split_item(name) else name
        t, measure = all_facts()[fact], number_measures().get(fact, "")
        kind = {"number": pa.int64() if measure == "count" else pa.float64(), "date": pa.date32(),
                "bool": pa.bool_()}.get(t.kind, pa.string())
        columns[name] = pa.array(values, kind)
    pq.write_table(pa.table(columns), path)


def test_an_empty_listing_id_is_no_listing(tmp_path):
    path = tmp_path / "listings.csv"
    header = ["id", "organisation.operates_in_mainland", "organisation.pi_individuals", "listing.id",
              "listing.venue", "listing.kind", "listing.structure", "listing.application_date"]
    listing = ["NASDAQ", "ipo", "indirect", "2024-06-03"]
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerow(["with-listing", "true", "2000000", "nasdaq", *listing])
        w.writerow(["empty-id", "true", "2000000", "", *listing])          # '' in CSV: an empty cell
        w.writerow(["no-listing", "true", "2000000", "", "", "", "", ""])
    got = {r["id"]: r for r in screen_duckdb(path, AS_OF).to_pylist()}
    listing_duties = of_kind("listing")
    assert "csrc.overseas-listing-filing" in listing_duties
    assert got["with-listing"]["csrc.overseas-listing-filing"] in ("applies", "unknown")   # nexus facts not given
    for row in ("empty-id", "no-listing"):
        assert {ob: got[row][ob] for ob in listing_duties} == dict.fromkeys(listing_duties)
        # The organisation's own duties are decided as for any organisation.
        assert got[row]["pipl.breach-notice"] == got["with-listing"]["pipl.breach-notice"] == "applies"


def test_an_empty_transfer_id_counts_no_transfer(tmp_path):
    # An organisation rule counting transfers with PI (PIPL's cross-border duties) counts none in a row
    # whose transfer.id is empty, though the row's transfer cells say includes_pi.
    table = [{"organisation.operates_in_mainland": True, "transfer.id": tid, "transfer.includes_pi": True,
              "transfer.destination": "US"} for tid in ("t1", None, "")]
    path = tmp_path / "transfers.parquet"
    write_parquet(table, path)
    got = screen_duckdb(path, AS_OF).to_pylist()
    expected = engine_table(path, AS_OF)
    for row in got:
        assert {ob: row[ob] for ob in expected[row["id"]]} == expected[row["id"]]
    transfer_duties = of_kind("transfer")
    assert all(got[0][ob] is not None for ob in transfer_duties)
    for row in got[1:]:
        assert all(row[ob] is None for ob in transfer_duties), row
    # The engine, given the manifest without the transfer, agrees on every organisation duty.
    differs = [ob for ob in expected["r1"] if expected["r1"][ob] != expected["r0"][ob]]
    assert differs, "a transfer with PI changes no organisation duty: the test proves nothing"


@given(table=rows(), ids=st.fixed_dictionaries({f"{kind}.id": ID_CELLS for kind in SUBJECT_LISTS}),
       as_of=st.sampled_from(SWITCHES), data=st.data())
def test_duckdb_equals_the_engine_with_entity_ids(tmp_path_factory, table, ids, as_of, data):
    table = [{**row, **{k: data.draw(ID_CELLS) for k in ids}} for row in table]
    path = tmp_path_factory.mktemp("ids") / "rows.parquet"
    write_parquet(table, path)
    got = {r["id"]: r for r in screen_duckdb(path, as_of).to_pylist()}
    expected = engine_table(path, as_of)
    for row_id, statuses in expected.items():
        # Obligations the engine gives no finding for (no entity of their kind) are NULL.
        assert {ob: got[row_id][ob] for ob in got[row_id] if ob != "id"} == \
            {ob: statuses.get(ob) for ob in got[row_id] if ob != "id"}


def test_spark_reads_entity_ids_as_duckdb_does(spark, tmp_path):
    from hegui.batch.spark import screen_spark
    table = [{"organisation.operates_in_mainland": True, "organisation.pi_individuals": 2_000_000,
              "listing.id": tid, "listing.venue": "NASDAQ", "listing.kind": "ipo", "listing.structure": "indirect",
              "transfer.id": tid, "transfer.includes_pi": True, "transfer.destination": "US"}
             for tid in ("e1", None, "")]
    path = tmp_path / "rows.parquet"
    write_parquet(table, path)
    duck = {r["id"]: r for r in screen_duckdb(path, AS_OF).to_pylist()}
    got = {r["id"]: r.asDict() for r in screen_spark(path, AS_OF, spark=spark).collect()}
    assert got == duck
    assert duck["r1"]["csrc.overseas-listing-filing"] is None and duck["r0"]["csrc.overseas-listing-filing"]


def test_screen_help_documents_the_table_format(capsys):
    from hegui.cli.base import main
    assert main(["screen", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    for point in ("One row per organisation", "a fact path", "organisation.pi_individuals",
                  "With a `<kind>.id` column (listing.id), a row has that entity only where the cell is filled: "
                  "an empty cell means none", "concentration.parties[0].turnover_china_rmb", 'separated by ";"',
                  "An empty cell is an unknown fact", "applies, does_not_apply, unknown or not_in_force"):
        assert point in text, point
