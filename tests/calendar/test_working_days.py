"""Working days and Civil Code periods, checked against the State Council holiday notices.

Sources (expected values are taken from these, not from the code):
- 国务院办公厅关于2023年部分节假日安排的通知 (国办发明电〔2022〕16号)
- 国务院办公厅关于2024年部分节假日安排的通知 (国办发明电〔2023〕7号)
- 民法典 Arts. 201-203 (periods), interface.md "Deadlines".
"""

import datetime

import pytest

from hegui.calendar.periods import after_days, after_months, after_working_days, day_before
from hegui.calendar.working_days import calendar_years, is_working_day

D = datetime.date


# ---------------------------------------------------------------------------
# is_working_day: the notices' holidays and make-up working days (调休)
# ---------------------------------------------------------------------------

HOLIDAYS = [
    # 2023 notice: 春节 1月21日至27日放假调休
    *[D(2023, 1, d) for d in range(21, 28)],
    # 2023 notice: 劳动节 4月29日至5月3日
    D(2023, 4, 29), D(2023, 5, 1), D(2023, 5, 2), D(2023, 5, 3),
    # 2023 notice: 端午节 6月22日至24日
    D(2023, 6, 22), D(2023, 6, 23),
    # 2023 notice: 中秋节、国庆节 9月29日至10月6日
    D(2023, 9, 29), *[D(2023, 10, d) for d in range(1, 7)],
    # 2024 notice: 元旦 1月1日放假
    D(2024, 1, 1),
    # 2024 notice: 春节 2月10日至17日放假调休 (weekdays among them)
    *[D(2024, 2, d) for d in range(12, 17)],
    # 2024 notice: 清明节 4月4日至6日
    D(2024, 4, 4), D(2024, 4, 5),
    # 2024 notice: 劳动节 5月1日至5日
    *[D(2024, 5, d) for d in range(1, 4)],
    # 2024 notice: 中秋节 9月15日至17日
    D(2024, 9, 16), D(2024, 9, 17),
    # 2024 notice: 国庆节 10月1日至7日
    *[D(2024, 10, d) for d in range(1, 8)],
]

MAKE_UP_WORKING_DAYS = [
    D(2023, 1, 28), D(2023, 1, 29),    # 2023 notice: 1月28日（星期六）、1月29日（星期日）上班
    D(2023, 4, 23), D(2023, 5, 6),     # 2023 notice: 4月23日（星期日）、5月6日（星期六）上班
    D(2023, 6, 25),                    # 2023 notice: 6月25日（星期日）上班
    D(2023, 10, 7), D(2023, 10, 8),    # 2023 notice: 10月7日（星期六）、10月8日（星期日）上班
    D(2024, 2, 4), D(2024, 2, 18),     # 2024 notice: 2月4日（星期日）、2月18日（星期日）上班
    D(2024, 4, 7),                     # 2024 notice: 4月7日（星期日）上班
    D(2024, 4, 28), D(2024, 5, 11),    # 2024 notice: 4月28日（星期日）、5月11日（星期六）上班
    D(2024, 9, 14),                    # 2024 notice: 9月14日（星期六）上班
    D(2024, 9, 29), D(2024, 10, 12),   # 2024 notice: 9月29日（星期日）、10月12日（星期六）上班
]


@pytest.mark.parametrize("day", HOLIDAYS, ids=str)
def test_notice_holidays_are_not_working_days(day):
    assert not is_working_day(day)


@pytest.mark.parametrize("day", MAKE_UP_WORKING_DAYS, ids=str)
def test_make_up_weekend_days_are_working_days(day):
    assert day.weekday() >= 5, "the notice names a Saturday or Sunday"
    assert is_working_day(day)


@pytest.mark.parametrize("day,working", [
    (D(2023, 7, 1), False),   # ordinary Saturday, no notice touches it
    (D(2023, 7, 2), False),   # ordinary Sunday
    (D(2023, 7, 3), True),    # ordinary Monday
    (D(2024, 2, 9), True),    # 2024 除夕 Friday: the notice's holiday starts 2月10日, so a working day
    (D(2024, 9, 28), False),  # 2024 notice: only 9月29日 is a make-up day; Sat 09-28 is rest
    (D(2024, 10, 13), False), # 2024 notice: only 10月12日 is a make-up day; Sun 10-13 is rest
])
def test_ordinary_days(day, working):
    assert is_working_day(day) is working


# ---------------------------------------------------------------------------
# after_working_days: "N working days" = the N-th working day after the event
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("event,n,expected", [
    # 2023 Spring Festival: 01-17..01-20 (4), holidays 01-21..27, make-up Sat 01-28 (5) and
    # Sun 01-29 (6), 01-30 (7), 01-31 (8), 02-01 (9), 02-02 (10). 2023 notice.
    (D(2023, 1, 16), 10, D(2023, 2, 2)),
    # 2024 Spring Festival: 02-08 (1), 02-09 (2), holidays 02-10..17, make-up Sun 02-18 (3). 2024 notice.
    (D(2024, 2, 7), 3, D(2024, 2, 18)),
    # 2024 Spring Festival: make-up Sun 02-04 counts: 02-02 Fri -> 02-04 Sun is the 1st. 2024 notice.
    (D(2024, 2, 2), 1, D(2024, 2, 4)),
    # National Day 2023: 09-28 (1), holidays 09-29..10-06, make-up Sat 10-07 (2), Sun 10-08 (3). 2023 notice.
    (D(2023, 9, 27), 3, D(2023, 10, 8)),
    (D(2023, 9, 28), 1, D(2023, 10, 7)),
    # National Day 2024: Sat 09-28 rest, make-up Sun 09-29 (1), 09-30 (2), holidays 10-01..07, 10-08 (3),
    # 10-09 (4), 10-10 (5), 10-11 (6), make-up Sat 10-12 (7). 2024 notice.
    (D(2024, 9, 27), 1, D(2024, 9, 29)),
    (D(2024, 9, 27), 3, D(2024, 10, 8)),
    (D(2024, 9, 27), 7, D(2024, 10, 12)),
    # Ordinary week: Fri 2023-06-02 + 3 working days = Wed 06-07 (Civil Code Art. 201: event day not counted)
    (D(2023, 6, 2), 3, D(2023, 6, 7)),
    # Event on a holiday: counting starts the next day; 2023-01-25 (holiday) + 1 = make-up Sat 01-28. 2023 notice.
    (D(2023, 1, 25), 1, D(2023, 1, 28)),
])
def test_after_working_days(event, n, expected):
    period = after_working_days(event, n)
    assert period.date == expected
    assert period.beyond_calendar is False


def test_working_day_count_never_lands_on_a_rest_day():
    # interface.md: "N working days" means the N-th working day, so the end is always a working day.
    for offset in range(0, 366, 7):
        event = D(2023, 1, 1) + datetime.timedelta(days=offset)
        for n in (1, 3, 5, 10, 15):
            assert is_working_day(after_working_days(event, n).date)


# ---------------------------------------------------------------------------
# after_months: Civil Code Arts. 201-203
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("event,months,expected", [
    # Art. 202: corresponding day 2023-07-01 is a Saturday; Art. 203 moves it to Monday 2023-07-03.
    (D(2022, 1, 1), 18, D(2023, 7, 3)),
    # Art. 202: corresponding day 2023-03-01, a Wednesday working day.
    (D(2022, 9, 1), 6, D(2023, 3, 1)),
    # Art. 202: no 2023-02-31, so the month's last day 2023-02-28 (Tuesday).
    (D(2023, 1, 31), 1, D(2023, 2, 28)),
    # Art. 202 in a leap year: 2024-02-29 (Thursday).
    (D(2024, 1, 31), 1, D(2024, 2, 29)),
    # Art. 202: 2023-03-31 + 6 months -> no 09-31 -> 2023-09-30; 2023 notice: 09-29..10-06 holiday,
    # so Art. 203 moves it past the holiday to the make-up Saturday 2023-10-07.
    (D(2023, 3, 31), 6, D(2023, 10, 7)),
    # Across the year end: 2023-08-15 + 6 months = 2024-02-15, inside the 2024 Spring Festival holiday
    # (02-10..17, 2024 notice); Art. 203: the day after the holiday ends, make-up Sunday 2024-02-18.
    (D(2023, 8, 15), 6, D(2024, 2, 18)),
    # 12 months = one year: 2023-06-20 -> 2024-06-20 (Thursday).
    (D(2023, 6, 20), 12, D(2024, 6, 20)),
])
def test_after_months(event, months, expected):
    period = after_months(event, months)
    assert period.date == expected
    assert period.beyond_calendar is False


# ---------------------------------------------------------------------------
# after_days: calendar days, last day moved off a rest day (Art. 203)
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("event,days,expected", [
    # 2023-09-25 + 7 = 2023-10-02, a National Day holiday (2023 notice) -> make-up Sat 2023-10-07.
    (D(2023, 9, 25), 7, D(2023, 10, 7)),
    # 2024-01-31 + 10 = 2024-02-10, first day of the Spring Festival holiday (2024 notice)
    # -> the day after the holiday ends, make-up Sun 2024-02-18.
    (D(2024, 1, 31), 10, D(2024, 2, 18)),
    # 2023-01-23 + 5 = Sat 2023-01-28, a make-up working day (2023 notice): it does not move.
    (D(2023, 1, 23), 5, D(2023, 1, 28)),
    # 2023-06-24 + 7 = Sat 2023-07-01, an ordinary weekend -> Monday 2023-07-03.
    (D(2023, 6, 24), 7, D(2023, 7, 3)),
    # 2023-06-01 + 5 = Tue 2023-06-06, a working day: no move (Art. 201: event day not counted).
    (D(2023, 6, 1), 5, D(2023, 6, 6)),
    # 2024-04-01 + 30 = 2024-05-01, Labour Day holiday 05-01..05 (2024 notice) -> Mon 2024-05-06.
    (D(2024, 4, 1), 30, D(2024, 5, 6)),
])
def test_after_days(event, days, expected):
    period = after_days(event, days)
    assert period.date == expected
    assert period.beyond_calendar is False


# ---------------------------------------------------------------------------
# day_before: a duty to act before an event; the deadline does not move (interface.md)
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("event,expected", [
    (D(2024, 6, 3), D(2024, 6, 2)),     # the day before is a Sunday: stays (interface.md, Deadlines)
    (D(2023, 10, 7), D(2023, 10, 6)),   # the day before is a National Day holiday (2023 notice): stays
    (D(2023, 1, 10), D(2023, 1, 9)),    # ordinary weekday
    (D(2024, 3, 1), D(2024, 2, 29)),    # leap day
])
def test_day_before_does_not_move(event, expected):
    period = day_before(event)
    assert period.date == expected
    assert period.beyond_calendar is False


# ---------------------------------------------------------------------------
# Beyond the schedule's last known year: weekends only, and flagged (interface.md, Deadlines)
# ---------------------------------------------------------------------------

def _first_weekday(year, month, weekday):
    day = D(year, month, 1)
    while day.weekday() != weekday:
        day += datetime.timedelta(days=1)
    return day


def test_calendar_years_cover_the_notices_used_here():
    years = calendar_years()
    assert 2023 in years and 2024 in years


def test_beyond_calendar_weekends_only_working_days():
    year = max(calendar_years()) + 1
    # Beyond the known years only Saturday and Sunday are rest days: Jan 1 (a holiday every year
    # in practice) is counted as a working day if it is a weekday.
    jan1 = D(year, 1, 1)
    assert is_working_day(jan1) is (jan1.weekday() < 5)
    friday = _first_weekday(year, 6, 4)
    period = after_working_days(friday, 1)
    assert period.date == friday + datetime.timedelta(days=3)   # Sat, Sun skipped -> Monday
    assert period.beyond_calendar is True
    period = after_working_days(friday, 6)
    assert period.date == friday + datetime.timedelta(days=10)  # Mon..Fri (5) + next Monday (6)
    assert period.beyond_calendar is True


def test_beyond_calendar_days_and_months_flagged():
    year = max(calendar_years()) + 1
    saturday = _first_weekday(year, 6, 5)
    period = after_days(saturday - datetime.timedelta(days=3), 3)
    assert period.date == saturday + datetime.timedelta(days=2)  # Sat -> Monday (weekends only)
    assert period.beyond_calendar is True
    period = after_months(D(year - 1, 6, 15), 12)
    expected = D(year, 6, 15)
    while expected.weekday() >= 5:
        expected += datetime.timedelta(days=1)
    assert period.date == expected
    assert period.beyond_calendar is True


def test_period_crossing_into_unknown_year_is_flagged():
    last = max(calendar_years())
    # 20 working days from mid-December of the last known year must reach into the next year.
    period = after_working_days(D(last, 12, 15), 20)
    assert period.date.year == last + 1
    assert period.beyond_calendar is True


def test_period_within_known_years_not_flagged():
    last = max(calendar_years())
    assert after_working_days(D(last, 3, 2), 3).beyond_calendar is False
