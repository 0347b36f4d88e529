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
import hashlib
import re
import typing
from functools import lru_cache

import pycountry
from sqlglot import exp

from hegui.batch.table import Column
from hegui.manifest.facts import excluded_values, model_field, number_measures
# The manifest's bounds, so a cell and a manifest value get one verdict.
from hegui.manifest.types import COUNT_MAX, DATE_MAX, DATE_MIN, MONEY_MAX


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


def typed(column: Column, source_type: str = "VARCHAR", enums: bool = False) -> tuple[exp.Expression, exp.Expression, str]:
    """(the typed value, a condition true when a filled cell is invalid, what was expected).

    `source_type` is the column's type in the source: text (CSV), JSON (JSON Lines) or a typed
    Parquet column. With `enums` (DuckDB, whose database holds the types of enum_types()), a text
    cell of a closed set of values is read as a DuckDB ENUM: one hash lookup checks it, where a
    regular expression over the trimmed text cost four times as much, and a comparison with it is
    a comparison of small integers.
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
    # Each test is NULL, not true, for an empty cell (an empty cell is an unknown fact), so that
    # few need `filled` of their own: the checks of a hundred columns run on every row.
    if t.kind == "number":
        return _number(column, raw, text, base, kind, filled)
    if t.kind == "bool":
        return _flag(raw, text, base, kind)
    if t.kind == "date":
        return _day(raw, text, base, kind, filled)
    return _text(column, raw if enums and base in TEXT else None, text, base, kind)


def _json_type(raw: exp.Expression) -> exp.Expression:
    return exp.Anonymous(this="JSON_TYPE", expressions=[raw])


def _number(column: Column, raw, text, base: str, kind, filled) -> tuple[exp.Expression, exp.Expression, str]:
    measure = number_measures().get(column.fact, "money")
    if measure == "count":
        expected = f"a whole number >= 0 and <= {COUNT_MAX}"
        if base in INTEGER:
            whole = raw if base == "BIGINT" else exp.TryCast(this=raw, to=exp.DataType.build("BIGINT"))
            return whole, _within_type(raw, base, 0, COUNT_MAX), expected
        if kind is not None:   # a JSON integer, not 5.0, not true, not "5"
            whole = exp.TryCast(this=text, to=exp.DataType.build("BIGINT"))
            return whole, _any([exp.Not(this=exp.In(this=kind, expressions=[_str("BIGINT"), _str("UBIGINT")])),
                                _unread(whole, filled), _outside(whole, 0, COUNT_MAX)]), expected
        if base in TEXT:
            # Digits only, as a YAML count is: the text must be the number written plainly (leading
            # zeros aside), which DuckDB's lenient cast ('5.5' -> 6, '1e6', '+5') does not check.
            whole = exp.TryCast(this=text, to=exp.DataType.build("BIGINT"))
            plain = exp.Coalesce(this=exp.Nullif(this=exp.Trim(this=text, expression=_str("0"), position="LEADING"),
                                                 expression=_str("")), expressions=[_str("0")])
            return whole, _any([_unread(whole, filled), exp.NEQ(this=exp.cast(whole, "VARCHAR"), expression=plain),
                                _outside(whole, 0, COUNT_MAX)]), expected
        # A floating-point, flag or other column: no count, as a manifest's 5.0 or true is none.
        return exp.cast(exp.Null(), "BIGINT"), filled, expected
    # NaN is above every number in DuckDB and Spark, and infinity above the largest, so one
    # range test refuses both.
    high = 1 if measure == "ratio" else MONEY_MAX
    if base in INTEGER or base in FLOATING:
        number = exp.cast(raw, "DOUBLE")
        bad = [_within_type(raw, base, 0, high) if base in INTEGER else _outside(number, 0, high)]
    elif kind is not None or base in TEXT:
        number = exp.TryCast(this=text, to=exp.DataType.build("DOUBLE"))
        bad = [_unread(number, filled), _outside(number, 0, high)]
        if kind is not None:
            bad.insert(0, exp.Not(this=exp.In(this=kind, expressions=[_str("BIGINT"), _str("UBIGINT"),
                                                                       _str("DOUBLE")])))
        if measure != "ratio":   # 10^18 + 1 is 10^18 as a DOUBLE: read exactly too
            bad.append(exp.GT(this=exp.TryCast(this=text, to=exp.DataType.build("DECIMAL(38, 0)")),
                              expression=_num(MONEY_MAX)))
    else:
        return exp.cast(exp.Null(), "DOUBLE"), filled, _number_expected(measure)
    return number, _any(bad), _number_expected(measure)


# The values each integer type of the schema can hold: a bound the type cannot pass needs no test.
_INTEGER_RANGES = {"TINYINT": (-2 ** 7, 2 ** 7 - 1), "BYTE": (-2 ** 7, 2 ** 7 - 1),
                   "SMALLINT": (-2 ** 15, 2 ** 15 - 1), "SHORT": (-2 ** 15, 2 ** 15 - 1),
                   "INTEGER": (-2 ** 31, 2 ** 31 - 1), "INT": (-2 ** 31, 2 ** 31 - 1),
                   "BIGINT": (-2 ** 63, 2 ** 63 - 1), "LONG": (-2 ** 63, 2 ** 63 - 1),
                   "HUGEINT": (-2 ** 127, 2 ** 127 - 1), "UTINYINT": (0, 2 ** 8 - 1),
                   "USMALLINT": (0, 2 ** 16 - 1), "UINTEGER": (0, 2 ** 32 - 1), "UBIGINT": (0, 2 ** 64 - 1),
                   "UHUGEINT": (0, 2 ** 128 - 1)}


def _within_type(raw: exp.Expression, base: str, low, high) -> exp.Expression:
    """_outside(raw, low, high) for an integer column, without the tests its type cannot fail (the
    schema is exact, unlike a file's statistics): an unsigned column is never below 0, an
    INTEGER never above 10^18."""
    least, most = _INTEGER_RANGES.get(base, (None, None))
    below, above = least is None or least < low, most is None or most > high
    if below and above:
        return _outside(raw, low, high)
    if below:
        return exp.LT(this=raw, expression=_num(low))
    if above:
        return exp.GT(this=raw, expression=_num(high))
    return exp.false()


def _outside(value: exp.Expression, low, high) -> exp.Expression:
    """NOT (value BETWEEN low AND high): NULL for an empty cell, so no test of its own."""
    bounds = [x if isinstance(x, exp.Expression) else _num(x) for x in (low, high)]
    return exp.Not(this=exp.Paren(this=exp.Between(this=value, low=bounds[0], high=bounds[1])))


def any_outside(checks: list[exp.Expression]) -> exp.Expression:
    """Whether any of the checks fails, the range tests on one bound taken together: LEAST and
    GREATEST (which skip NULLs, in DuckDB and Spark alike) over a row's columns cost two tests
    where one test per column would cost twenty."""
    others, ranges = [], {}
    for check in checks:
        found = _range(check)
        if found is None:
            others.append(check)
        else:
            value, low, high = found
            ranges.setdefault((low.sql(), high.sql()), (low, high, []))[2].append(value)
    for low, high, values in ranges.values():
        if len(values) == 1:
            others.append(_outside(values[0], low, high))
            continue
        # ignore_nulls: as DuckDB and Spark read LEAST; without it sqlglot writes a CASE that gives
        # NULL when any cell is empty, and a bad cell beside an empty one would pass.
        others += [exp.LT(this=exp.Least(this=values[0], expressions=values[1:], ignore_nulls=True), expression=low),
                   exp.GT(this=exp.Greatest(this=values[0], expressions=values[1:], ignore_nulls=True),
                          expression=high)]
    return _any(others) if others else exp.false()


def _range(check: exp.Expression):
    """(value, low, high) of a check that is _outside(value, low, high) alone, else None."""
    if isinstance(check, exp.Not) and isinstance(check.this, exp.Paren) and isinstance(check.this.this, exp.Between):
        between = check.this.this
        return between.this, between.args["low"], between.args["high"]
    return None


def _unread(value: exp.Expression, filled: exp.Expression) -> exp.Expression:
    """A filled cell that could not be read as its type."""
    return exp.And(this=filled, expression=exp.Is(this=value, expression=exp.Null()))


def _number_expected(measure: str) -> str:
    if measure == "ratio":
        return "a decimal ratio from 0 to 1"
    return f"an amount in RMB >= 0 and <= {MONEY_MAX} (10^18)"


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


def _day(raw, text, base: str, kind, filled) -> tuple[exp.Expression, exp.Expression, str]:
    expected = "a date YYYY-MM-DD"
    if base == "DATE":
        value, bad = raw, []
    else:
        value = exp.TryCast(this=text, to=exp.DataType.build("DATE"))
        iso = exp.RegexpLike(this=text, expression=_str(r"^\d{4}-\d{2}-\d{2}$"))
        bad = [_unread(value, filled), exp.Not(this=iso)]
        if kind is not None:
            bad.insert(0, exp.NEQ(this=kind, expression=_str("VARCHAR")))
    # A day a manifest cannot hold (DuckDB's dates reach far past 9999, and before year 1).
    bad.append(_outside(value, _date(DATE_MIN), _date(DATE_MAX)))
    return value, _any(bad), expected


# What str.strip() takes away (the characters str.isspace() holds true: tests/batch check it), as a
# class both DuckDB's (RE2) and Spark's (Java) regular expressions read.
PYTHON_WHITESPACE_CODES = (
    0x9, 0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001,
    0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f,
    0x205f, 0x3000
)
PYTHON_WHITESPACE = "[" + "".join(f"\\x{{{c:x}}}" for c in PYTHON_WHITESPACE_CODES) + "]"


def _text(column: Column, raw, text, base: str, kind) -> tuple[exp.Expression, exp.Expression, str]:
    """`raw`: the text cell, when it may be read as an ENUM."""
    t = column.type
    not_text = [exp.NEQ(this=kind, expression=_str("VARCHAR"))] if kind is not None else []
    if t.kind == "country":
        never = excluded_values(column.fact)
        codes = [c for c in _countries() if c not in never]
        expected = "an ISO 3166-1 alpha-2 country code" + (f" other than {', '.join(sorted(never))}" if never else "")
        if raw is not None:   # every code in the type, so a derived country (derived.yaml) is one too
            value = _as_enum(raw, _countries())
            bad = exp.Not(this=exp.Is(this=raw, expression=exp.Null()))
            bad = exp.And(this=bad, expression=exp.Is(this=value, expression=exp.Null()))
            if never:
                bad = exp.Or(this=bad, expression=exp.In(this=value, expressions=[_str(v) for v in sorted(never)]))
            return value, bad, expected
        bad = _none_of(text, codes)
        return text, _any([*not_text, bad]), expected
    if t.kind == "list":
        # As assess reads a list cell: split at ';', each value stripped of Python's whitespace and
        # the empty ones dropped. So whitespace may stand round a value but not inside one, and
        # once checked it can all go (no value holds any).
        assert not any(ch.isspace() for v in t.values for ch in v), t.values
        one = "(" + "|".join(re.escape(v) for v in sorted(t.values)) + ")?"
        space = PYTHON_WHITESPACE
        bad = exp.Not(this=exp.RegexpLike(this=text, expression=_str(f"^{space}*{one}{space}*(;{space}*{one}{space}*)*$")))
        compact = exp.RegexpReplace(this=text, expression=_str(space), replacement=_str(""), modifiers=_str("g"))
        return compact, _any([*not_text, bad]), f"values from {', '.join(sorted(t.values))} separated by ;"
    if t.values:
        if raw is not None:
            value = _as_enum(raw, sorted(t.values))
            return value, exp.And(this=exp.Not(this=exp.Is(this=raw, expression=exp.Null())),
                                  expression=exp.Is(this=value, expression=exp.Null())), \
                f"one of {', '.join(sorted(t.values))}"
        bad = _none_of(text, sorted(t.values))
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


def enum_type(values) -> str:
    """The name of the DuckDB ENUM type of a closed set of values."""
    return "hegui_enum_" + hashlib.sha256("\n".join(values).encode()).hexdigest()[:12]


@lru_cache(maxsize=1)
def enum_types() -> dict[str, tuple[str, ...]]:
    """Every ENUM type typed(enums=True) reads a cell as: name -> values."""
    from hegui.manifest.facts import all_fact_types
    sets = {_countries()} | {tuple(sorted(t.values)) for t in all_fact_types().values()
                             if t.kind not in ("list", "country", "items") and t.values}
    return {enum_type(values): values for values in sets}


def _as_enum(raw: exp.Expression, values) -> exp.Expression:
    """The cell as the ENUM of `values`, NULL when it is none of them; trimmed only when it must be
    (most cells need no trimming, and trimming copies the text)."""
    kind = exp.DataType.build(enum_type(values), udt=True)
    return exp.Coalesce(this=exp.TryCast(this=raw, to=kind),
                        expressions=[exp.TryCast(this=exp.Trim(this=raw), to=kind)])


def _none_of(text: exp.Expression, values) -> exp.Expression:
    """The text is none of the values. A regular expression, not IN: DuckDB evaluates `f(x) IN (...)`
    in a SELECT as a chain of comparisons, computing f(x) for each, where RE2 reads the text once."""
    return exp.Not(this=exp.RegexpLike(this=text, expression=_str("^(" + "|".join(re.escape(v) for v in values) + ")$")))


def _any(conditions) -> exp.Expression:
    return exp.or_(*conditions, copy=False)
