"""Cells as typed values, and the test that finds a cell that is not what its fact needs.

Built as sqlglot trees so DuckDB and Spark run the same checks. A table's cells may come as
text (CSV, JSON Lines) or typed (Parquet); either way a cell that is filled but cannot be read
as its fact's type is an error naming the column and the row.
"""

from __future__ import annotations

from functools import lru_cache

import pycountry
from sqlglot import exp

from hegui.batch.table import Column
from hegui.manifest.facts import excluded_values, number_measures


@lru_cache(maxsize=1)
def _countries() -> tuple[str, ...]:
    return tuple(sorted(c.alpha_2 for c in pycountry.countries))


def _str(value: str) -> exp.Expression:
    return exp.Literal.string(value)


NUMERIC = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
           "UBIGINT", "FLOAT", "DOUBLE", "DECIMAL", "INT", "LONG", "SHORT", "BYTE")
INTEGER = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
           "UBIGINT", "INT", "LONG", "SHORT", "BYTE")


def typed(column: Column, source_type: str = "VARCHAR") -> tuple[exp.Expression, exp.Expression, str]:
    """(the typed value, a condition true when a filled cell is invalid, what was expected).

    A cell already stored with its fact's type (Parquet) is used as it is; text (CSV, JSON) is read.
    """
    raw = exp.column(column.name, quoted=True)
    filled = exp.Not(this=exp.Is(this=raw, expression=exp.Null()))
    text = exp.Trim(this=exp.cast(raw, "VARCHAR"))
    t = column.type
    base_type = source_type.upper().split("(")[0]
    if t is None:  # id and name columns
        return exp.cast(raw, "VARCHAR"), exp.false(), "text"
    if t.kind == "bool" and base_type == "BOOLEAN":
        return raw, exp.false(), "true or false"
    if t.kind == "date" and base_type == "DATE":
        return raw, exp.false(), "a date YYYY-MM-DD"
    if t.kind == "number" and base_type in NUMERIC:
        measure = number_measures().get(column.fact, "money")
        if measure == "count":
            if base_type in INTEGER:
                return exp.cast(raw, "BIGINT"), exp.LT(this=raw, expression=exp.Literal.number(0)), \
                    "a whole number >= 0"
        else:
            number = exp.cast(raw, "DOUBLE")
            bad = exp.LT(this=number, expression=exp.Literal.number(0))
            if measure == "ratio":
                bad = exp.Or(this=bad, expression=exp.GT(this=number, expression=exp.Literal.number(1)))
            bad = exp.Or(this=bad, expression=exp.Or(this=exp.Anonymous(this="ISNAN", expressions=[number]),
                                                     expression=_infinite(number)))
            return number, bad, "a decimal ratio from 0 to 1" if measure == "ratio" else "an amount >= 0"
    if t.kind == "number":
        number = exp.TryCast(this=raw, to=exp.DataType.build("DOUBLE"))
        measure = number_measures().get(column.fact, "money")
        bad = [exp.Is(this=number, expression=exp.Null()), exp.LT(this=number, expression=exp.Literal.number(0)),
               exp.Anonymous(this="ISNAN", expressions=[number]), _infinite(number)]
        if measure == "count":
            bad.append(exp.NEQ(this=number, expression=exp.Floor(this=number)))
            value, expected = exp.cast(number, "BIGINT"), "a whole number >= 0"
        elif measure == "ratio":
            bad.append(exp.GT(this=number, expression=exp.Literal.number(1)))
            value, expected = number, "a decimal ratio from 0 to 1"
        else:
            value, expected = number, "an amount >= 0"
        return value, exp.And(this=filled, expression=exp.Paren(this=_any(bad))), expected
    if t.kind == "bool":
        lowered = exp.Lower(this=text)
        ok = exp.In(this=lowered, expressions=[_str(v) for v in ("true", "false", "1", "0")])
        value = exp.Case(ifs=[exp.If(this=exp.In(this=lowered, expressions=[_str("true"), _str("1")]),
                                     true=exp.true()),
                              exp.If(this=exp.In(this=lowered, expressions=[_str("false"), _str("0")]),
                                     true=exp.false())], default=exp.cast(exp.Null(), "BOOLEAN"))
        return value, exp.And(this=filled, expression=exp.Not(this=ok)), "true or false"
    if t.kind == "date":
        value = exp.TryCast(this=text, to=exp.DataType.build("DATE"))
        iso = exp.RegexpLike(this=text, expression=_str(r"^\d{4}-\d{2}-\d{2}$"))
        bad = exp.Or(this=exp.Is(this=value, expression=exp.Null()), expression=exp.Not(this=iso))
        return value, exp.And(this=filled, expression=exp.Paren(this=bad)), "a date YYYY-MM-DD"
    if t.kind == "country":
        # Checked against its distinct values (see allowed_values): a 249-code IN list on every row
        # costs more than the whole screening of the column.
        never = excluded_values(column.fact)
        return text, exp.false(), "an ISO 3166-1 alpha-2 country code" + (
            f" other than {', '.join(sorted(never))}" if never else "")
    if t.kind == "list":   # checked by its distinct values (see allowed)
        compact = exp.Anonymous(this="REPLACE", expressions=[text, _str(" "), _str("")])
        return compact, exp.false(), f"values from {', '.join(sorted(t.values))} separated by ;"
    if t.values:           # checked by its distinct values (see allowed)
        return text, exp.false(), f"one of {', '.join(sorted(t.values))}"
    return text, exp.false(), "text"


def allowed(column: Column):
    """For a column checked by its distinct values (few, so this beats a test on every row):
    a function telling whether a value is acceptable; None for other columns."""
    t = column.type
    if t is None:
        return None
    if t.kind == "country":
        # As in the manifest: values derived.yaml says the fact never takes are refused.
        countries = frozenset(_countries()) - excluded_values(column.fact)
        return countries.__contains__
    if t.kind == "list":
        return lambda cell: all(v in t.values for v in cell.split(";") if v)
    if t.kind == "string" and t.values:
        return t.values.__contains__
    return None


def _infinite(number: exp.Expression) -> exp.Expression:
    # Written this way because DuckDB and Spark share no isinf().
    return exp.EQ(this=exp.Abs(this=number), expression=exp.cast(exp.Literal.string("Infinity"), "DOUBLE"))


def _any(conditions) -> exp.Expression:
    return exp.or_(*conditions, copy=False)
