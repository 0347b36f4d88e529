"""The flat table format: which columns a table may have, and a row as a manifest.

Columns are fact paths (`organisation.pi_individuals`, `transfer.basis`), a field of an item of
a list of records is indexed (`concentration.parties[0].turnover_china_rmb`), and `id` names the
row. A row holds at most one entity of each kind (service, transfer, listing, concentration).
With a `<kind>.id` column, a row has that entity exactly when its `<kind>.id` cell is filled: an
empty one (NULL or '') means the organisation has none, as a manifest without `listings` has no
listing. Without one, an entity exists in every row when the table has any column of its kind.
An item exists in a row when any of its cells is filled. Other empty cells are unknown facts.
Which lists of records there are comes from the manifest models (manifest/facts.py), so no list
is named here.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import get_close_matches

from hegui.lang.types import Type
from hegui.manifest.facts import all_fact_types, item_lists, item_path, split_item
from hegui.manifest.model import SUBJECT_LISTS

NAMES = {"id", "organisation.name"} | {f"{kind}.id" for kind in SUBJECT_LISTS}
LIST_SEPARATOR = ";"


class ColumnError(ValueError):
    pass


@dataclass(frozen=True)
class Column:
    name: str
    fact: str | None          # the fact path it holds (None for id and name columns)
    type: Type | None
    kind: str                 # subject kind it belongs to
    item: int | None = None   # for a field of a list's items: the item's index in its list

    @property
    def items(self) -> str | None:
        """The list of records the column's item belongs to (concentration.parties), if any."""
        return self.type.within if self.item is not None else None


def all_facts() -> dict[str, Type]:
    return all_fact_types()


def columns_of(names: list[str]) -> list[Column]:
    """Check a table's column names; raise ColumnError naming the column and the closest fact."""
    facts = all_facts()
    out = []
    for name in names:
        if name in NAMES:
            out.append(Column(name, None, None, name.split(".")[0] if "." in name else "organisation"))
            continue
        item = split_item(name)
        if item:
            items, index, fact = item
            if fact not in facts:
                raise ColumnError(f"column {name!r}: the items of {items} have no field {fact[len(items) + 1:]!r}")
            out.append(Column(name, fact, facts[fact], items.split(".")[0], index))
            continue
        t = facts.get(name)
        if t is None or t.kind == "items" or t.within:
            near = get_close_matches(name, list(facts) + sorted(NAMES), n=1)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            raise ColumnError(f"column {name!r} names no fact{hint}")
        out.append(Column(name, name, t, name.split(".")[0]))
    return out


def kinds_present(columns: list[Column]) -> set[str]:
    """The subject kinds a row of the table may hold an entity of."""
    return {"organisation"} | {c.kind for c in columns if c.kind != "organisation"}


def id_columns(columns: list[Column]) -> dict[str, str]:
    """kind -> its `<kind>.id` column, for the kinds whose entity a row holds only when that cell is filled."""
    return {c.kind: c.name for c in columns if c.fact is None and c.name == f"{c.kind}.id"}


def _filled(value) -> bool:
    return value is not None and str(value).strip() != ""


def row_to_manifest(row: dict, columns: list[Column], number: int) -> dict:
    """The hegui/1 manifest a row stands for (as plain data, for Manifest.model_validate)."""
    org: dict = {"name": row.get("organisation.name") or f"row {number}"}
    ids = id_columns(columns)
    lists: dict[str, dict] = {kind: {"id": row.get(f"{kind}.id") or kind}
                              for kind in kinds_present(columns) if kind != "organisation"
                              and (kind not in ids or _filled(row.get(ids[kind])))}
    items: dict[str, dict[int, dict]] = {}   # list of records -> item index -> the item's fields
    for c in columns:
        value = row.get(c.name)
        if c.fact is None or value is None:
            continue
        if c.type.kind == "list" and isinstance(value, str):
            value = [v.strip() for v in value.split(LIST_SEPARATOR) if v.strip()]
        if c.item is not None:
            items.setdefault(c.items, {}).setdefault(c.item, {})[c.fact.rsplit(".", 1)[1]] = value
            continue
        if c.kind == "organisation" or c.kind in lists:
            _put(org if c.kind == "organisation" else lists[c.kind], c.fact, value)
    for path, found in items.items():
        kind = path.split(".")[0]
        if kind == "organisation" or kind in lists:
            _put(org if kind == "organisation" else lists[kind], path, [found[i] for i in sorted(found)])
    manifest = {"format": "hegui/1", "organisation": org}
    for kind, entity in lists.items():
        manifest[SUBJECT_LISTS[kind]] = [entity]
    return manifest


def _put(target: dict, fact: str, value) -> None:
    """Set a fact (its path without the subject kind) in an entity's plain data."""
    *path, leaf = fact.split(".")[1:]
    for part in path:
        target = target.setdefault(part, {})
    target[leaf] = value


def manifest_to_row(manifest: dict) -> dict:
    """A manifest with at most one entity of each list kind, as one row (the inverse of row_to_manifest)."""
    row: dict = {}

    def put(prefix: str, data: dict):
        for key, value in data.items():
            if isinstance(value, dict):
                put(f"{prefix}.{key}", value)
            elif f"{prefix}.{key}" in item_lists():
                fields = item_lists()[f"{prefix}.{key}"]
                for i, item in enumerate(value):
                    for field, v in item.items():
                        fact = f"{prefix}.{key}.{field}"
                        if fact in fields and v is not None:   # an item's name is no fact
                            row[item_path(fact, i)] = v
            elif isinstance(value, list):
                row[f"{prefix}.{key}"] = LIST_SEPARATOR.join(value)
            elif value is not None:
                row[f"{prefix}.{key}"] = value

    put("organisation", {k: v for k, v in manifest["organisation"].items()})
    for kind, attr in SUBJECT_LISTS.items():
        entities = manifest.get(attr) or []
        if len(entities) > 1:
            raise ValueError(f"a row holds at most one entity of each kind; this manifest has {len(entities)} {attr}")
        if entities:
            put(kind, dict(entities[0]))
    return row
