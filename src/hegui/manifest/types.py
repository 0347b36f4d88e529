"""Field types with the exact checks and messages the manifest contract asks for.

Each is a plain validator so that a wrong value yields one clear message
("expected a whole number >= 0") rather than a list of union alternatives.
"""

from __future__ import annotations

import calendar
import datetime
import math
import re
from typing import Annotated

import pycountry
from pydantic import PlainValidator, WithJsonSchema


# The bounds of every number and date a manifest holds, shared by each reader of manifest
# values (these models, and the SQL that screens tables of them), so a value gets one verdict.
# A count is exact in a JSON number for every reader (JavaScript's safe integers) and in SQL's
# BIGINT and DOUBLE; no count of people or users comes near it.
COUNT_MIN, COUNT_MAX = 0, 2**53 - 1
# An amount in RMB: 10^18 is over a thousand times the world's yearly output, and sums of
# amounts (a concentration's parties) stay finite.
MONEY_MIN, MONEY_MAX = 0, 10**18
RATIO_MIN, RATIO_MAX = 0, 1
# Dates: no rule in the rulebook reaches back before the People's Republic, and every period
# counted from a day up to 2199 (years, months, working days) stays inside what dates can hold.
DATE_MIN, DATE_MAX = datetime.date(1949, 10, 1), datetime.date(2199, 12, 31)

_COUNT_EXPECTED = f"expected a whole number >= {COUNT_MIN} and <= {COUNT_MAX}"
_MONEY_EXPECTED = f"expected an amount in RMB >= {MONEY_MIN} and <= {MONEY_MAX} (10^18)"


class FactKind:
    """Marks a field with the condition-language type its value has (and, for numbers, what they measure)."""

    def __init__(self, kind: str, measure: str | None = None):
        self.kind, self.measure = kind, measure


def _count(value):
    if isinstance(value, int) and not isinstance(value, bool) and COUNT_MIN <= value <= COUNT_MAX:
        return int(value)
    if isinstance(value, float) and value.is_integer() and COUNT_MIN <= value <= COUNT_MAX:
        # 5.0, or 1e6 (YAML and JSON read an exponent as a decimal): a count is written in digits.
        raise ValueError(f"{_COUNT_EXPECTED} written in digits alone, such as {int(value)}")
    raise ValueError(_COUNT_EXPECTED)


def _money(value):
    if (isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
            and MONEY_MIN <= value <= MONEY_MAX):
        return value
    raise ValueError(_MONEY_EXPECTED)


def _ratio(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and 0 <= value <= 1:
        return value
    raise ValueError("expected a decimal ratio from 0 to 1")


def _date(value):
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return _in_range(value, value.isoformat())
    if isinstance(value, str):
        return parse_day(value)
    raise ValueError("expected a date YYYY-MM-DD")


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def parse_day(text: str) -> datetime.date:
    """YYYY-MM-DD as a date from DATE_MIN to DATE_MAX, for manifest fields and options alike.

    A well-formed text naming a day that does not exist says why ("2024-02-30 is not a day:
    February 2024 has 29 days"): "expected YYYY-MM-DD" would send the reader to check the format.
    """
    if not isinstance(text, str) or not _DAY.fullmatch(text):
        raise ValueError(f"expected a date YYYY-MM-DD, got {text!r}")
    year, month, day = (int(part) for part in text.split("-"))
    if year < datetime.MINYEAR:
        raise ValueError(f"{text} is not a day: years start at 0001")
    if not 1 <= month <= 12:
        raise ValueError(f"{text} is not a day: there is no month {month}")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise ValueError(f"{text} is not a day: {_MONTHS[month - 1]} {year} has {days} days")
    return _in_range(datetime.date(year, month, day), text)


def _in_range(day: datetime.date, text: str) -> datetime.date:
    if not DATE_MIN <= day <= DATE_MAX:
        raise ValueError(f"{text} is outside the dates hegui works with, {DATE_MIN} to {DATE_MAX}")
    return day


def _country(value):
    if isinstance(value, str) and len(value) == 2 and value.isupper() and pycountry.countries.get(alpha_2=value):
        return value
    raise ValueError("expected an ISO 3166-1 alpha-2 country code such as CN, HK, US, GB")


def _bool(value):
    if isinstance(value, bool):
        return value
    raise ValueError("expected true or false")


def _text(value):
    if isinstance(value, str) and value.strip():
        return value
    raise ValueError("expected text")


Count = Annotated[int, PlainValidator(_count), WithJsonSchema({"type": "integer", "minimum": COUNT_MIN, "maximum": COUNT_MAX}),
                  FactKind("number", "count")]
Money = Annotated[float, PlainValidator(_money), WithJsonSchema({"type": "number", "minimum": MONEY_MIN, "maximum": MONEY_MAX}),
                  FactKind("number", "money")]
Ratio = Annotated[float, PlainValidator(_ratio),
                  WithJsonSchema({"type": "number", "minimum": 0, "maximum": 1}), FactKind("number", "ratio")]
Date = Annotated[datetime.date, PlainValidator(_date),
                 WithJsonSchema({"type": "string", "format": "date", "formatMinimum": DATE_MIN.isoformat(),
                                 "formatMaximum": DATE_MAX.isoformat()}), FactKind("date")]
Country = Annotated[str, PlainValidator(_country),
                    WithJsonSchema({"type": "string", "pattern": "^[A-Z]{2}$"}), FactKind("country")]
Flag = Annotated[bool, PlainValidator(_bool), WithJsonSchema({"type": "boolean"}), FactKind("bool")]
Text = Annotated[str, PlainValidator(_text), WithJsonSchema({"type": "string", "minLength": 1})]
