"""Cells as typed values, and the test that finds a cell that is not what its fact needs.

Built as sqlglot trees so DuckDB and Spark run the same checks, in the same pass as the
statuses. A cell gets the verdict the same value gets in a manifest (issue 14 §10):

- text (CSV) is read as a manifest's YAML would read the plain scalar: a count is digits only
  (`5.0` and `1e6` are decimals, so not counts), a date is YYYY-MM-DD, a flag true or false
  (also 1 or 0, the one table convention);
- JSON Lines keep their JSON types (every column is read as JSON): `true` is no count, `5.0`
  is no count, the text "5" is no number;
- typed cells (Parquet) are used as they are when their type fits: a floating-point column
  cannot hold a count, a flag is no number.
Every number and date must also lie within the bounds the manifest sets (manifest/types.py).
"""

from __future__ import annotations

import datetime
import re
import typing
from functools import lru_cache

import pycountry
from sqlglot import exp

from hegui.batch.table import Column
from hegui.manifest import types as manifest_types
from hegui.manifest.facts import excluded_values, model_field, number_measures

# The manifest's bounds (manifest/types.py), so a cell and a manifest value get one verdict.
COUNT_MAX = getattr(manifest_types, "COUNT_MAX", 2 ** 63 - 1)
MONEY_MAX = getattr(manifest_types, "MONEY_MAX", None)
DATE_MIN = getattr(manifest_types, "DATE_MIN", datetime.date.min)
DATE_MAX = getattr(manifest_types, "DATE_MAX", datetime.date.max)


@lru_cache(maxsize=1)
def _countries() -> tuple[str, ...]:
    return tuple(sorted(c.alpha_2 for c in pycountry.countries))


def _str(value: str) -> exp.Expression:
    return exp.Literal.string(value)


def _num(value) -> exp.Expression:
    return exp.Literal.number(value)


def _date(day: datetime.date) -> exp.Expression:
    return exp.cast(_str(day.isoformat()), "DATE")


INTEGER = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
           "UBIGINT", "UHUGEINT", "INT", "LONG", "SHORT", "BYTE")
FLOATING = ("FLOAT", "DOUBLE", "DECIMAL", "REAL")
TEXT = ("VARCHAR", "STRING", "TEXT")
JSON = "JSON"


def typed(column: Column, source_type: str = "VARCHAR") -> tuple[exp.Expression, exp.Expression, str]:
    """(the typed value, a condition true when a filled cell is invalid, what was expected).

    `source_type` is the column's type in the source: text (CSV), JSON (JSON Lines) or a typed
    Parquet column.
    """
    raw = exp.column(column.name, quoted=True)
    base = source_type.upper().split("(")[0]
    t = column.type
    if t is None:  # id and name columns
        text = exp.JSONExtractScalar(this=raw, expression=_str("$")) if base == JSON else raw
        return exp.cast(text, "VARCHAR"), exp.false(), "text"
    filled = exp.Not(this=exp.Is(this=raw, expression=exp.Null()))
    if base == JSON:
        kind = _json_type(raw)
        text = exp.JSONExtractScalar(this=raw, expression=_str("$"))
    else:
        kind = None
        text = exp.Trim(this=exp.cast(raw, "VARCHAR"))
    if t.kind == "number":
        value, bad, expected = _number(column, raw, text, base, kind)
    elif t.kind == "bool":
        value, bad, expected = _flag(raw, text, base, kind)
    elif t.kind == "date":
        value, bad, expected = _day(raw, text, base, kind)
    else:
        value, bad, expected = _text(column, text, base, kind)
    return value, exp.And(this=filled, expression=exp.Paren(this=bad)), expected


def _json_type(raw: exp.Expression) -> exp.Expression:
    return exp.Anonymous(this="JSON_TYPE", expressions=[raw])


def _number(column: Column, raw, text, base: str, kind) -> tuple[exp.Expression, exp.Expression, str]:
    measure = number_measures().get(column.fact, "money")
    if measure == "count":
        expected = f"a whole number >= 0 and <= {COUNT_MAX}"
        if base in INTEGER or (kind is not None):
            source = raw if base in INTEGER else text
            whole = exp.TryCast(this=source, to=exp.DataType.build("BIGINT"))
            bad = [exp.Is(this=whole, expression=exp.Null())]
            if kind is not None:   # a JSON integer, not 5.0, not true, not "5"
                bad.insert(0, exp.Not(this=exp.In(this=kind, expressions=[_str("BIGINT"), _str("UBIGINT")])))
        elif base in TEXT:
            # Digits only, as a YAML count is: the text must be the number written plainly (leading
            # zeros aside), which DuckDB's lenient cast ('5.5' -> 6, '1e6', '+5') does not check.
            whole = exp.TryCast(this=text, to=exp.DataType.build("BIGINT"))
            plain = exp.Coalesce(this=exp.Nullif(this=exp.Trim(this=text, expression=_str("0"), position="LEADING"),
                                                 expression=_str("")), expressions=[_str("0")])
            bad = [exp.Is(this=whole, expression=exp.Null()),
                   exp.NEQ(this=exp.cast(whole, "VARCHAR"), expression=plain)]
        else:   # a floating-point, flag or other column: no count, as a manifest's 5.0 or true is none
            return exp.cast(exp.Null(), "BIGINT"), exp.true(), expected
        bad += [exp.LT(this=whole, expression=_num(0)), exp.GT(this=whole, expression=_num(COUNT_MAX))]
        return whole, _any(bad), expected
    if base in INTEGER or base in FLOATING:
        number = exp.cast(raw, "DOUBLE")
        bad = []
    elif kind is not None:
        number = exp.TryCast(this=text, to=exp.DataType.build("DOUBLE"))
        bad = [exp.Not(this=exp.In(this=kind, expressions=[_str("BIGINT"), _str("UBIGINT"), _str("DOUBLE")]))]
    elif base in TEXT:
        number = exp.TryCast(this=text, to=exp.DataType.build("DOUBLE"))
        bad = []
    else:
        return exp.cast(exp.Null(), "DOUBLE"), exp.true(), _number_expected(measure)
    bad += [exp.Is(this=number, expression=exp.Null()), exp.LT(this=number, expression=_num(0)),
            exp.Anonymous(this="ISNAN", expressions=[number]), _infinite(number)]
    if measure == "ratio":
        bad.append(exp.GT(this=number, expression=_num(1)))
    elif MONEY_MAX is not None:
        # Compared exactly where the cell is a whole number (10^18 + 1 is 10^18 as a DOUBLE).
        exact = raw if base in INTEGER else exp.TryCast(this=text, to=exp.DataType.build("DECIMAL(38, 0)"))
        bad += [exp.GT(this=number, expression=_num(MONEY_MAX)), exp.GT(this=exact, expression=_num(MONEY_MAX))]
    return number, _any(bad), _number_expected(measure)


def _number_expected(measure: str) -> str:
    if measure == "ratio":
        return "a decimal ratio from 0 to 1"
    return "an amount in RMB >= 0" + (f" and <= {MONEY_MAX}" if MONEY_MAX is not None else "")


def _flag(raw, text, base: str, kind) -> tuple[exp.Expression, exp.Expression, str]:
    expected = "true or false"
    if base == "BOOLEAN":
        return raw, exp.false(), expected
    if kind is not None:   # a JSON true or false, not the text "true"
        return exp.TryCast(this=text, to=exp.DataType.build("BOOLEAN")), \
            exp.NEQ(this=kind, expression=_str("BOOLEAN")), expected
    lowered = exp.Lower(this=text)
    ok = exp.In(this=lowered, expressions=[_str(v) for v in ("true", "false", "1", "0")])
    value = exp.Case(ifs=[exp.If(this=exp.In(this=lowered, expressions=[_str("true"), _str("1")]), true=exp.true()),
                          exp.If(this=exp.In(this=lowered, expressions=[_str("false"), _str("0")]),
                                 true=exp.false())], default=exp.cast(exp.Null(), "BOOLEAN"))
    return value, exp.Not(this=ok), expected


def _day(raw, text, base: str, kind) -> tuple[exp.Expression, exp.Expression, str]:
    expected = "a date YYYY-MM-DD"
    if base == "DATE":
        value, bad = raw, []
    else:
        value = exp.TryCast(this=text, to=exp.DataType.build("DATE"))
        iso = exp.RegexpLike(this=text, expression=_str(r"^\d{4}-\d{2}-\d{2}$"))
        bad = [exp.Is(this=value, expression=exp.Null()), exp.Not(this=iso)]
        if kind is not None:
            bad.insert(0, exp.NEQ(this=kind, expression=_str("VARCHAR")))
    # A day a manifest cannot hold (DuckDB's dates reach far past 9999, and before year 1).
    bad += [exp.LT(this=value, expression=_date(DATE_MIN)), exp.GT(this=value, expression=_date(DATE_MAX))]
    return value, _any(bad), expected


def _text(column: Column, text, base: str, kind) -> tuple[exp.Expression, exp.Expression, str]:
    t = column.type
    not_text = [exp.NEQ(this=kind, expression=_str("VARCHAR"))] if kind is not None else []
    if t.kind == "country":
        never = excluded_values(column.fact)
        codes = [c for c in _countries() if c not in never]
        # DuckDB and Spark test a long IN list with a hash set, so this costs little per row.
        bad = exp.Not(this=exp.In(this=text, expressions=[_str(c) for c in codes]))
        return text, _any([*not_text, bad]), "an ISO 3166-1 alpha-2 country code" + (
            f" other than {', '.join(sorted(never))}" if never else "")
    if t.kind == "list":
        compact = exp.Anonymous(this="REPLACE", expressions=[text, _str(" "), _str("")])
        one = "(" + "|".join(re.escape(v) for v in sorted(t.values)) + ")?"
        bad = exp.Not(this=exp.RegexpLike(this=compact, expression=_str(f"^{one}(;{one})*$")))
        return compact, _any([*not_text, bad]), f"values from {', '.join(sorted(t.values))} separated by ;"
    if t.values:
        bad = exp.Not(this=exp.In(this=text, expressions=[_str(v) for v in sorted(t.values)]))
        return text, _any([*not_text, bad]), f"one of {', '.join(sorted(t.values))}"
    blank = exp.EQ(this=exp.Trim(this=text), expression=_str(""))   # a manifest's text is never blank
    pattern = text_pattern(column.fact)
    if pattern is not None:
        return text, _any([*not_text, blank, exp.Not(this=exp.RegexpLike(this=text, expression=_str(pattern)))]), \
            f"text matching {pattern}"
    return text, _any([*not_text, blank]), "text"


@lru_cache(maxsize=None)
def text_pattern(fact: str) -> str | None:
    """The pattern the manifest's model holds a text fact to (listing.venue: an exchange code), if any."""
    info = model_field(fact)
    for arg in typing.get_args(info.annotation) or (info.annotation,) if info else ():
        for meta in getattr(arg, "__metadata__", ()):
            pattern = getattr(meta, "pattern", None)
            if pattern:
                return pattern
    return None


def _infinite(number: exp.Expression) -> exp.Expression:
    # Written this way because DuckDB and Spark share no isinf().
    return exp.EQ(this=exp.Abs(this=number), expression=exp.cast(exp.Literal.string("Infinity"), "DOUBLE"))


def _any(conditions) -> exp.Expression:
    return exp.or_(*conditions, copy=False)
