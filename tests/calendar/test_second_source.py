"""The working-day calendar checked day by day, 2019-2027, against a second source: python-holidays.

python-holidays (pinned in pyproject's test extra) keeps China's days off from the State Council
notices, and each substituted day off records the weekend day worked for it (its
`weekend_workdays`, which `is_working_day` consults), so both the days off and the make-up working
days are compared. The two sources agree on every day of 2019-2026.

For 2027 neither source has the notice: python-holidays 0.108 computes 2027 from the statutory
days (全国年节及纪念日放假办法 Art. 2) and moves weekend ones to the next working days, which is
where src/hegui/calendar/2027.yaml takes its made-up days from (marked [L] there). For 2027 the
comparison therefore checks the transcription, not the notice; a later python-holidays that
carries the notice will disagree here until 2027.yaml is updated from it.
"""

import datetime

import holidays
import pytest

from hegui.calendar.working_days import is_working_day

YEARS = range(2019, 2028)


def test_the_pinned_version():
    assert holidays.__version__ == "0.108", "pyproject pins holidays==0.108; re-read this file's notes first"


@pytest.fixture(scope="module")
def china():
    return holidays.China(years=YEARS)


@pytest.mark.parametrize("year", YEARS)
def test_every_day_of_the_year_agrees(china, year):
    day, differ = datetime.date(year, 1, 1), []
    while day.year == year:
        if is_working_day(day) != china.is_working_day(day):
            differ.append(f"{day} ({day:%a}): hegui {is_working_day(day)}, python-holidays {china.get(day)}")
        day += datetime.timedelta(days=1)
    assert differ == []


@pytest.mark.parametrize("year", YEARS)
def test_make_up_working_days_agree(china, year):
    day, ours = datetime.date(year, 1, 1), set()
    while day.year == year:
        if day.weekday() >= 5 and is_working_day(day):
            ours.add(day)
        day += datetime.timedelta(days=1)
    theirs = {d for d in china.weekend_workdays if d.year == year}
    assert ours == theirs
    assert year == 2027 or ours, "every notice from 2019 to 2026 names at least one make-up working day"
