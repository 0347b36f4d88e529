"""Which days are working days in mainland China.

The State Council publishes each year's holidays and make-up working days
(调休) late in the year before. The `chinesecalendar` package carries those
notices as data; beyond the years it knows, only weekends are rest days, and
callers are told so.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

from chinese_calendar import constants


@lru_cache(maxsize=1)
def calendar_years() -> range:
    """The years for which the official schedule is known."""
    years = {d.year for d in constants.holidays} | {d.year for d in constants.workdays}
    return range(min(years), max(years) + 1)


def is_known(day: datetime.date) -> bool:
    return day.year in calendar_years()


# The package's own lookups re-check its whole date range on every call; plain sets
# of its data answer the same question in constant time.
_HOLIDAYS = frozenset(constants.holidays)
_MAKE_UP_WORKDAYS = frozenset(constants.workdays)


def is_working_day(day: datetime.date) -> bool:
    if day in _MAKE_UP_WORKDAYS:
        return True
    return day.weekday() < 5 and day not in _HOLIDAYS


def describe(day: datetime.date) -> str:
    """Why a day is or is not a working day, for explanations."""
    if not is_known(day):
        return "weekday" if day.weekday() < 5 else "weekend"
    if day in constants.workdays:
        return f"make-up working day for {constants.workdays[day]}"
    if day in constants.holidays:
        return f"{constants.holidays[day]} holiday"
    return "weekday" if day.weekday() < 5 else "weekend"
