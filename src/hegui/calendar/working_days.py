"""Which days are working days in mainland China.

The State Council publishes each year's holidays and make-up working days
(调休) late in the year before. The `chinesecalendar` package carries those
notices as data; years it does not know yet are encoded here, one file a year
(2027.yaml), and their dates replace the package's. A year whose notice is not
confirmed carries a warning for every period counted through it. Beyond the
known years only weekends are rest days, and callers are told so.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, NamedTuple

import yaml
from chinese_calendar import constants

ONE_DAY = datetime.timedelta(days=1)


class Day(NamedTuple):
    """What a day is on the official calendar, as data: views word it. (A named tuple: a deadline
    count makes one for every day it passes, and an assessment makes dozens of counts.)"""
    kind: str                  # weekday | weekend | holiday | make_up (a make-up working day)
    holiday: str | None = None     # the holiday it is, or makes up for (English name)
    holiday_zh: str | None = None  # the same in Chinese


@dataclass(frozen=True)
class Calendar:
    holidays: dict        # date -> holiday name
    make_up_workdays: dict  # date -> name of the holiday it makes up for
    years: range          # the years whose official schedule is known
    warnings: dict        # year -> caveat on that year's data
    names_zh: dict = field(default_factory=dict)  # holiday name -> its Chinese name
    warnings_zh: dict = field(default_factory=dict)  # year -> the caveat in Chinese (`warning_zh`)

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.make_up_workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def describe(self, day: datetime.date) -> Day:
        if day in self.make_up_workdays:
            name = self.make_up_workdays[day]
            return Day("make_up", name, self.names_zh.get(name))
        if day in self.holidays:
            name = self.holidays[day]
            return Day("holiday", name, self.names_zh.get(name))
        return Day("weekday" if day.weekday() < 5 else "weekend")


def build(files: Iterable[Path]) -> Calendar:
    """chinesecalendar's data with each year file's dates over it."""
    holidays, make_up = dict(constants.holidays), dict(constants.workdays)
    names_zh = {h.value: h.chinese for h in constants.Holiday}
    years = {d.year for d in holidays} | {d.year for d in make_up}
    warnings, warnings_zh = {}, {}
    for path in files:
        # Our own files, read with libyaml's C loader (ruamel's pure-Python one is slower to start).
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        year = data["year"]
        years.add(year)
        if data.get("warning"):
            warnings[year] = " ".join(data["warning"].split())
            if data.get("warning_zh"):
                warnings_zh[year] = " ".join(data["warning_zh"].split())   # written on one line
        for entry in data["holidays"]:
            day = entry["from"]
            while day <= entry["to"]:
                holidays[day] = entry["name"]
                if entry.get("name_zh"):
                    names_zh[entry["name"]] = entry["name_zh"]
                make_up.pop(day, None)
                day += ONE_DAY
        for entry in data["make_up_working_days"]:
            make_up[entry["date"]] = entry["for"]
            holidays.pop(entry["date"], None)
    return Calendar(holidays, make_up, range(min(years), max(years) + 1), warnings, names_zh, warnings_zh)


def data_files() -> list[Path]:
    folder = resources.files("hegui.calendar")
    return sorted(Path(str(f)) for f in folder.iterdir() if f.name[:4].isdigit() and f.name.endswith(".yaml"))


@lru_cache(maxsize=1)
def official() -> Calendar:
    return build(data_files())


def calendar_years() -> range:
    """The years for which the official schedule is known."""
    return official().years


def is_known(day: datetime.date) -> bool:
    return day.year in official().years


def is_working_day(day: datetime.date) -> bool:
    return official().is_working_day(day)


def warning(day: datetime.date) -> str | None:
    """The caveat on the data this day was judged by, if its year's notice is not confirmed."""
    return official().warnings.get(day.year)


def caveat_zh(caveat: str) -> str | None:
    """The Chinese of a year's caveat (as `warning` gave it), for the views; None if it has none."""
    cal = official()
    return next((cal.warnings_zh[year] for year, text in cal.warnings.items()
                 if text == caveat and year in cal.warnings_zh), None)


@lru_cache(maxsize=4096)
def describe(day: datetime.date) -> Day:
    """Why a day is or is not a working day, for explanations (the official calendar never changes
    within a process, so each day is described once)."""
    return official().describe(day)
