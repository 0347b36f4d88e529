"""Periods counted as the Civil Code counts them (Arts. 200-204).

Counting starts the day after the event (Art. 201). A period in days, months
or years whose last day is a statutory rest day ends on the next working day
(Art. 203). "N working days" is the N-th working day after the event on the
official calendar, so make-up working days count and weekday holidays do not;
"N working days before" an event is its mirror, the N-th working day counted
back from the day before the event.
A period also carries the caveats on the calendar data of the days it consulted, and its
steps as data (a day, what the count did with it, and what the day is), for views to word.
"""

from __future__ import annotations

import calendar as _months
import datetime
from typing import NamedTuple

from hegui.calendar.working_days import Day, describe, is_known, is_working_day, official, warning

ONE_DAY = datetime.timedelta(days=1)

# What a count did with a day (Step.event).
COUNTED = "counted"             # the N-th working day after the event
COUNTED_BACK = "counted_back"   # the N-th working day before it
NOT_COUNTED = "not_counted"     # a rest day inside a working-day count
MOVES_ON = "moves_on"           # a last day on a rest day moves to the next working day (Art. 203)


class Step(NamedTuple):
    """One day of a count. (A named tuple: counts make many, and cheaply.)"""
    date: datetime.date
    event: str           # COUNTED | COUNTED_BACK | NOT_COUNTED | MOVES_ON
    count: int | None    # the working day's number, for COUNTED and COUNTED_BACK
    day: Day


class Period(NamedTuple):
    date: datetime.date
    beyond_calendar: bool = False   # some day counted lies past the official schedule's years
    steps: tuple = ()               # Step items, for explanations
    warnings: tuple = ()            # caveats on the calendar data of the days consulted


def _warnings(days) -> tuple:
    return tuple(dict.fromkeys(w for w in map(warning, days) if w))


def after_working_days(event: datetime.date, n: int) -> Period:
    return _count_working_days(event, n, ONE_DAY, COUNTED)


def before_working_days(event: datetime.date, n: int) -> Period:
    """The N-th working day counted back from the event, which is not itself counted.

    A duty to act "N working days before" an event (在...N个工作日前) is met on that day or earlier;
    the day found is always a working day, so it never moves."""
    return _count_working_days(event, n, -ONE_DAY, COUNTED_BACK)


def _count_working_days(event: datetime.date, n: int, step: datetime.timedelta, counted_as: str) -> Period:
    cal = official()   # looked up once: a count passes a day at a time, for dozens of deadlines
    day, counted, steps = event, 0, []
    while counted < n:
        day += step
        if cal.is_working_day(day):
            counted += 1
            steps.append(Step(day, counted_as, counted, describe(day)))
        else:
            steps.append(Step(day, NOT_COUNTED, None, describe(day)))
    if not steps:   # nothing to count: no day consulted
        return Period(day)
    first = event + step
    # The days counted run from `first` to `day`, and the known years are one range: the ends tell
    # whether any day lies beyond them, and which years' caveats apply.
    beyond = not (is_known(first) and is_known(day))
    years = range(first.year, day.year + 1) if step.days > 0 else range(first.year, day.year - 1, -1)
    return Period(day, beyond, tuple(steps), tuple(dict.fromkeys(w for w in map(cal.warnings.get, years) if w)))


def _roll_to_working_day(day: datetime.date, steps: list) -> tuple[datetime.date, bool, tuple]:
    consulted, beyond = [day], not is_known(day)
    while not is_working_day(day):
        steps.append(Step(day, MOVES_ON, None, describe(day)))
        day += ONE_DAY
        consulted.append(day)
        beyond |= not is_known(day)
    return day, beyond, _warnings(consulted)


def after_days(event: datetime.date, n: int) -> Period:
    steps = []
    day, beyond, warnings = _roll_to_working_day(event + n * ONE_DAY, steps)
    return Period(day, beyond, tuple(steps), warnings)


def after_months(event: datetime.date, n: int) -> Period:
    """The day in the final month corresponding to the event's day, or that month's last day (Art. 202)."""
    month_index = event.month - 1 + n
    year, month = event.year + month_index // 12, month_index % 12 + 1
    last = _months.monthrange(year, month)[1]
    steps = []
    day, beyond, warnings = _roll_to_working_day(datetime.date(year, month, min(event.day, last)), steps)
    return Period(day, beyond, tuple(steps), warnings)


def after_hours(event: datetime.date, n: int) -> Period:
    """N hours from a moment on the event's day, known only by its date: the last day the period can end.

    An hour period runs from the moment itself (Civil Code Art. 201 ¶2) and does not move off a
    rest day; from a moment late on the day it can end up to ceil(N / 24) days later."""
    last = event + -(-n // 24) * ONE_DAY
    # Rest days do not matter to an hour period, so the holiday schedule's years do not either.
    return Period(last)


def day_before(event: datetime.date) -> Period:
    """A duty to act before an event: the last day to act is the day before it. It does not move."""
    return Period(event - ONE_DAY)


def fixed(day: datetime.date) -> Period:
    """A date the rule itself sets; it does not move (interface.md, Deadlines)."""
    return Period(day, not is_known(day))
