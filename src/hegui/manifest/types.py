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


class FactKind:
    """Marks a field with the condition-language type its value has (and, for numbers, what they measure)."""

    def __init__(self, kind: str, measure: str | None = None):
        self.kind, self.measure = kind, measure


def _count(value):
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return int(value)
    raise ValueError("expected a whole number >= 0")


def _money(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value >= 0:
        return value
    raise ValueError("expected an amount in RMB >= 0")


def _ratio(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and 0 <= value <= 1:
        return value
    raise ValueError("expected a decimal ratio from 0 to 1")


def _date(value):
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str):
        return parse_day(value)
    raise ValueError("expected a date YYYY-MM-DD")


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def parse_day(text: str) -> datetime.date:
    """YYYY-MM-DD as a date, for manifest fields and options alike.

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
    return datetime.date(year, month, day)


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


Count = Annotated[int, PlainValidator(_count), WithJsonSchema({"type": "integer", "minimum": 0}), FactKind("number", "count")]
Money = Annotated[float, PlainValidator(_money), WithJsonSchema({"type": "number", "minimum": 0}), FactKind("number", "money")]
Ratio = Annotated[float, PlainValidator(_ratio),
                  WithJsonSchema({"type": "number", "minimum": 0, "maximum": 1}), FactKind("number", "ratio")]
Date = Annotated[datetime.date, PlainValidator(_date),
                 WithJsonSchema({"type": "string", "format": "date"}), FactKind("date")]
Country = Annotated[str, PlainValidator(_country),
                    WithJsonSchema({"type": "string", "pattern": "^[A-Z]{2}$"}), FactKind("country")]
Flag = Annotated[bool, PlainValidator(_bool), WithJsonSchema({"type": "boolean"}), FactKind("bool")]
Text = Annotated[str, PlainValidator(_text), WithJsonSchema({"type": "string", "minLength": 1})]
