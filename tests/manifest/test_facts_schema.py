"""Schema introspection in one place (manifest/facts.py) and derived facts as data (derived.yaml).

Sources: manifest.md (a listing's venue_country is derived from its venue when omitted; listings are
overseas, so never CN; a concentration lists its parties with their turnovers).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import hegui
from hegui.batch.table import Column, columns_of, manifest_to_row, row_to_manifest
from hegui.batch.typing_sql import typed
from hegui.manifest.facts import (
    all_fact_types, declared_values, derivations, excluded_values, item_lists, item_path, model_field,
    nested_model, split_item, subjects,
)
from hegui.manifest.model import Manifest, Party

SRC = Path(hegui.__file__).parent


def test_lists_of_records_come_from_the_models():
    lists = item_lists()
    assert set(lists) == {"concentration.parties"}
    # a party's turnovers are facts; its name only labels it
    assert set(lists["concentration.parties"]) == {"concentration.parties.turnover_worldwide_rmb",
                                                   "concentration.parties.turnover_china_rmb"}


def test_an_item_path_and_its_split_are_inverse():
    fact = "concentration.parties.turnover_china_rmb"
    assert item_path(fact, 1) == "concentration.parties[1].turnover_china_rmb"
    assert split_item("concentration.parties[1].turnover_china_rmb") == ("concentration.parties", 1, fact)
    assert split_item("services[0].commercial") is None          # a list of subjects, not of records
    assert split_item("concentration.parties.turnover_china_rmb") is None


def test_field_schema():
    assert nested_model(Manifest.model_fields["concentrations"].annotation).__name__ == "Concentration"
    assert nested_model(model_field("concentration.parties").annotation) is Party
    assert model_field("organisation.no_such") is None
    assert declared_values("listing.structure") == ("direct", "indirect")
    assert all_fact_types()["listing.venue_country"].kind == "country"


def listing(**fields):
    doc = {"format": "hegui/1", "organisation": {"name": "X"}, "listings": [{"id": "l", **fields}]}
    return next(f for kind, _, f in subjects(Manifest.model_validate(doc)) if kind == "listing")


def test_venue_country_is_derived_from_the_venue_by_the_table():
    assert derivations()["listing.venue_country"].source == "listing.venue"
    assert listing(venue="NASDAQ")["listing.venue_country"] == "US"
    assert listing(venue="HKEX")["listing.venue_country"] == "HK"     # HK is not mainland China
    assert listing(venue="NASDAQ", venue_country="GB")["listing.venue_country"] == "GB"   # given wins
    assert "listing.venue_country" not in listing(venue="ZZX")          # not in the table: unknown


def test_a_listing_country_is_never_cn_in_batch_cells():
    assert excluded_values("listing.venue_country") == {"CN"}
    venue_country, destination = columns_of(["listing.venue_country", "transfer.destination"])
    assert refused(venue_country, "CN") and not refused(venue_country, "US")
    assert not refused(destination, "CN")


def refused(column: Column, cell: str) -> bool:
    """Whether the screen's SQL check refuses this text cell of the column, run in DuckDB."""
    import duckdb
    _, bad, _ = typed(column)
    name = column.name.replace('"', '""')
    return bool(duckdb.sql(f'SELECT {bad.sql("duckdb")} FROM (SELECT \'{cell}\' AS "{name}")').fetchall()[0][0])


def test_a_row_with_items_is_a_manifest_and_back():
    columns = columns_of(["concentration.id", "concentration.parties[0].turnover_china_rmb",
                          "concentration.parties[1].turnover_china_rmb"])
    assert [c.item for c in columns] == [None, 0, 1]
    assert columns[1] == Column("concentration.parties[0].turnover_china_rmb",
                                "concentration.parties.turnover_china_rmb",
                                all_fact_types()["concentration.parties.turnover_china_rmb"], "concentration", 0)
    row = {"concentration.id": "c", "concentration.parties[0].turnover_china_rmb": 5.0,
           "concentration.parties[1].turnover_china_rmb": 7.0}
    manifest = row_to_manifest(row, columns, 1)
    assert manifest["concentrations"] == [{"id": "c", "parties": [{"turnover_china_rmb": 5.0},
                                                                  {"turnover_china_rmb": 7.0}]}]
    assert manifest_to_row(manifest) == {**row, "organisation.name": "row 1"}


def test_a_field_items_do_not_have_is_a_column_error():
    from hegui.batch.table import ColumnError
    with pytest.raises(ColumnError, match="concentration.parties have no field 'revenue'"):
        columns_of(["concentration.parties[0].revenue"])


def _strings(path: Path) -> list[str]:
    """The string constants of a module's code (docstrings left out: they may give examples)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body
            and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and id(n) not in docs]


@pytest.mark.parametrize("module", ["batch/table.py", "batch/synth.py", "batch/compile.py", "batch/typing_sql.py",
                                    "engine/questions.py", "manifest/edit.py"])
def test_no_code_names_a_list_of_records_or_a_derived_fact(module):
    named = set(item_lists()) | {d.fact for d in derivations().values()} | {d.source for d in derivations().values()}
    strings = _strings(SRC / module)
    assert not [s for s in strings for fact in named if fact in s], module
