"""The flat table format: which columns a table may have, and a row as a manifest.

Columns are fact paths (`organisation.pi_individuals`, `transfer.basis`), a party of a
concentration is `concentration.parties[0].turnover_china_rmb`, and `id` names the row. An
entity of a kind exists in every row when the table has any column of that kind; a party
exists in a row when any of its cells is filled. Empty cells are unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import get_close_matches

from hegui.lang.types import Type
from hegui.manifest.facts import SUBJECT_KINDS, fact_types
from hegui.manifest.model import SUBJECT_LISTS

PARTY = re.compile(r"^concentration\.parties\[(\d+)\]\.([a-z_]+)$")
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
    party: int | None = None  # index of the concentration party


def all_facts() -> dict[str, Type]:
    out: dict[str, Type] = {}
    for kind in SUBJECT_KINDS:
        out.update(fact_types(kind))
    return out


def columns_of(names: list[str]) -> list[Column]:
    """Check a table's column names; raise ColumnError naming the column and the closest fact."""
    facts = all_facts()
    out = []
    for name in names:
        if name in NAMES:
            out.append(Column(name, None, None, name.split(".")[0] if "." in name else "organisation"))
            continue
        party = PARTY.match(name)
        if party:
            fact = f"concentration.parties.{party.group(2)}"
            if fact not in facts:
                raise ColumnError(f"column {name!r}: concentration parties have no field {party.group(2)!r}")
            out.append(Column(name, fact, facts[fact], "concentration", int(party.group(1))))
            continue
        t = facts.get(name)
        if t is None or t.kind == "items" or t.within:
            near = get_close_matches(name, list(facts) + sorted(NAMES), n=1)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            raise ColumnError(f"column {name!r} names no fact{hint}")
        out.append(Column(name, name, t, name.split(".")[0]))
    return out


def kinds_present(columns: list[Column]) -> set[str]:
    return {"organisation"} | {c.kind for c in columns if c.kind != "organisation"}


def row_to_manifest(row: dict, columns: list[Column], number: int) -> dict:
    """The hegui/1 manifest a row stands for (as plain data, for Manifest.model_validate)."""
    org: dict = {"name": row.get("organisation.name") or f"row {number}"}
    lists: dict[str, dict] = {kind: {"id": row.get(f"{kind}.id") or kind}
                              for kind in kinds_present(columns) if kind != "organisation"}
    parties: dict[int, dict] = {}
    for c in columns:
        value = row.get(c.name)
        if c.fact is None or value is None:
            continue
        if c.type.kind == "list" and isinstance(value, str):
            value = [v.strip() for v in value.split(LIST_SEPARATOR) if v.strip()]
        if c.party is not None:
            parties.setdefault(c.party, {})[c.fact.rsplit(".", 1)[1]] = value
            continue
        target = org if c.kind == "organisation" else lists[c.kind]
        *path, leaf = c.fact.split(".")[1:]
        for part in path:
            target = target.setdefault(part, {})
        target[leaf] = value
    if parties and "concentration" in lists:
        lists["concentration"]["parties"] = [parties[i] for i in sorted(parties)]
    manifest = {"format": "hegui/1", "organisation": org}
    for kind, entity in lists.items():
        manifest[SUBJECT_LISTS[kind]] = [entity]
    return manifest


def manifest_to_row(manifest: dict) -> dict:
    """A manifest with at most one entity of each list kind, as one row (the inverse of row_to_manifest)."""
    row: dict = {}

    def put(prefix: str, data: dict):
        for key, value in data.items():
            if isinstance(value, dict):
                put(f"{prefix}.{key}", value)
            elif key == "parties" and prefix == "concentration":
                for i, party in enumerate(value):
                    for field, v in party.items():
                        if field != "name" and v is not None:
                            row[f"concentration.parties[{i}].{field}"] = v
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
