"""Synthetic inventories: realistic rows of flattened manifests, for tests and benchmarks.

Generated inside DuckDB from a hash of (seed, column, row), so the same seed gives the same
table on any machine and the work runs in parallel. Sizes are log-uniform (a few giants, many
small firms), a share of cells is left empty (unknown), and one number cell in ten sits on a
threshold of the rulebook or next to it, where mistakes hide.
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

from ruamel.yaml import YAML

from hegui.batch.table import NAMES, all_facts
from hegui.manifest.facts import derivations, excluded_values, item_path, number_measures
from hegui.manifest.model import SUBJECT_LISTS
from hegui.rulebook import Rulebook, default_rulebook

PRIME = 1_000_003
ITEMS = 3   # items of each list of records (parties of a concentration)
UNKNOWN_SHARE = 0.12
COUNTRIES = ["CN", "US", "HK", "GB", "SG", "KY", "JP", "DE", "MO", "TW", "NL", "BM"]
# share of true among filled cells, where 0.5 would be implausible
LIKELY_TRUE = YAML(typ="safe").load(resources.files("hegui.batch").joinpath("likely_true.yaml").read_text(encoding="utf-8"))


def _key(seed: int, name: str, salt: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{seed}|{name}|{salt}".encode()).digest()[:6], "big")


def _u(seed: int, name: str, salt: str = "value") -> str:
    """A uniform number in [0, 1) for each row i, fixed by seed and column."""
    return f"((hash(i, {_key(seed, name, salt)}::UBIGINT) % {PRIME}) / {PRIME}.0)"


def _thresholds(rulebook: Rulebook) -> list:
    values = {v.value for values in rulebook.parameters.values() for v in values
              if isinstance(v.value, int) and not isinstance(v.value, bool)}
    return sorted({max(0, n + d) for n in values for d in (-1, 0, 1)})


def _column(name: str, fact: str, t, seed: int, boundaries: list) -> str:
    u, pick = _u(seed, name), _u(seed, name, "pick")
    if t.kind == "bool":
        value = f"{u} < {LIKELY_TRUE.get(fact, 0.5)}"
    elif t.kind == "number":
        measure = number_measures().get(fact, "money")
        if measure == "ratio":
            value = f"CASE WHEN {pick} < 0.1 THEN [0.49, 0.5, 0.51][1 + floor({u} * 3)::INT] " \
                    f"ELSE round({u}, 2) END"
        else:
            top = 1e9 if measure == "count" else 2e11
            spread = f"floor(exp({u} * ln({top})) - 1)"
            near = f"{boundaries}[1 + floor({u} * {len(boundaries)})::INT]"
            value = f"CASE WHEN {pick} < 0.1 THEN {near} ELSE {spread} END"
            value = f"({value})::BIGINT" if measure == "count" else f"({value})::DOUBLE"
    elif t.kind == "date":
        value = f"DATE '2016-01-01' + floor({u} * 4383)::INT"
    elif t.kind == "country":
        # Never a value the fact cannot take (derived.yaml: a listing's country is never CN).
        countries = [c for c in COUNTRIES if c not in excluded_values(fact)]
        value = f"{countries}[1 + floor({u} * {len(countries)})::INT]"
    elif t.kind == "list":
        options = sorted(t.values)
        value = f"CASE WHEN {pick} < 0.5 THEN {options}[1 + floor({u} * {len(options)})::INT] " \
                f"ELSE {options}[1 + floor({u} * {len(options)})::INT] || ';' || " \
                f"{options}[1 + floor({pick} * {len(options)})::INT] END"
    else:
        options = sorted(t.values) if t.values else free_text_values(fact)
        value = f"{options}[1 + floor({u} * {len(options)})::INT]"
    empty = _u(seed, name, "empty")
    return f'CASE WHEN {empty} < {UNKNOWN_SHARE} THEN NULL ELSE {value} END AS "{name}"'


def free_text_values(fact: str) -> list[str]:
    """Values for a fact of free text: those a derivation reads from it (the exchange codes of
    listing.venue), so derived facts are exercised; else a few made-up ones."""
    known = sorted({key for d in derivations().values() if d.source == fact for key in d.table})
    return known or [f"{fact.rsplit('.', 1)[1]}-{n}" for n in range(1, 4)]


def synth_sql(rows: int, seed: int, rulebook: Rulebook | None = None) -> str:
    boundaries = _thresholds(rulebook or default_rulebook())
    selects = ["'r' || i AS id"]
    for fact, t in all_facts().items():
        if t.kind == "items":
            continue
        if t.within:
            for i in range(ITEMS):
                selects.append(_column(item_path(fact, i), fact, t, seed, boundaries))
            continue
        selects.append(_column(fact, fact, t, seed, boundaries))
    selects += [f"'{kind}-' || i AS \"{kind}.id\"" for kind in SUBJECT_LISTS if f"{kind}.id" in NAMES]
    return f"SELECT {', '.join(selects)} FROM range({int(rows)}) t(i)"


def synth(rows: int, seed: int, out: str | Path, con=None) -> int:
    from hegui.batch.screen import connect
    out = Path(out)
    formats = {".parquet": "FORMAT PARQUET, COMPRESSION SNAPPY", ".csv": "FORMAT CSV, HEADER",
               ".jsonl": "FORMAT JSON", ".ndjson": "FORMAT JSON"}
    options = formats.get(out.suffix.lower())
    if options is None:
        raise ValueError(f"{out}: expected a name ending in .parquet, .csv or .jsonl")
    con = con or connect()
    target = str(out).replace("'", "''")
    con.execute(f"COPY ({synth_sql(rows, seed)}) TO '{target}' ({options})")
    return rows
