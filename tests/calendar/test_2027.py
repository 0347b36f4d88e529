"""The 2027 calendar (src/hegui/calendar/2027.yaml) and the warnings on periods counted through it.

Sources (expected values are taken from these, not from the code):
- 全国年节及纪念日放假办法 (State Council Order 795, in force 2025-01-01) Art. 2: the statutory days off
  (元旦 1 January; 春节 除夕 and 正月初一 to 初三; 清明 the solar term; 劳动节 1-2 May; 端午 五月初五;
  中秋 八月十五; 国庆 1-3 October); Art. 6: one on a Saturday or Sunday is made up on a working day.
- 2027 dates: 春节 (正月初一) 2027-02-06, so 除夕 02-05; 清明 04-05; 端午 06-09; 中秋 09-15.
- Which working days make up the weekend ones only the 2027 notice says; it is not encoded, so these
  tests take the next working days (python-holidays' placement, marked [L] in the data) and check
  that every period counted through 2027 says so.
- 民法典 Arts. 201-203 (periods).
"""

import datetime
import textwrap

import pytest
from ruamel.yaml import YAML

from hegui.calendar import working_days
from hegui.calendar.periods import after_days, after_months, after_working_days
from hegui.calendar.working_days import Day, build, calendar_years, describe, is_working_day
from hegui.engine import assess
from hegui.manifest.model import Manifest
from hegui.rulebook import load_rulebook
from hegui.report.notices import texts
from small_rulebook import INSTRUMENT_HEADER

D = datetime.date
UNCONFIRMED = "2027 make-up working days not confirmed"
BEYOND_2028 = ("deadline counted on weekends alone: the official holiday schedule for 2028 "
               "is not yet published")


# ---------------------------------------------------------------------------
# Each 2027 holiday: the day before, the first day, the last day and the day after
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("first, last, name", [
    (D(2027, 1, 1), D(2027, 1, 1), "New Year's Day"),        # Art. 2(1), a Friday
    (D(2027, 2, 5), D(2027, 2, 10), "Spring Festival"),      # 除夕 to 初三 (Art. 2(2)); Sat/Sun made up 02-09, 02-10
    (D(2027, 4, 5), D(2027, 4, 5), "Tomb-sweeping Day"),     # Art. 2(3), a Monday
    (D(2027, 5, 1), D(2027, 5, 4), "Labour Day"),            # Sat 05-01, Sun 05-02 (Art. 2(4)); made up 05-03, 05-04
    (D(2027, 6, 9), D(2027, 6, 9), "Dragon Boat Festival"),  # Art. 2(5), a Wednesday
    (D(2027, 9, 15), D(2027, 9, 15), "Mid-autumn Festival"), # Art. 2(6), a Wednesday
    (D(2027, 10, 1), D(2027, 10, 5), "National Day"),        # Fri 10-01 to Sun 10-03 (Art. 2(7)); made up 10-04, 10-05
])
def test_each_2027_holiday_from_its_first_day_to_its_last(first, last, name):
    day_before, day_after = first - datetime.timedelta(days=1), last + datetime.timedelta(days=1)
    # The day before and after is an ordinary day: a working day unless it is a weekend.
    assert is_working_day(day_before) is (day_before.weekday() < 5)
    assert is_working_day(day_after) is (day_after.weekday() < 5)
    day = first
    while day <= last:
        assert not is_working_day(day), day
        assert describe(day).kind == "holiday" and describe(day).holiday == name
        day += datetime.timedelta(days=1)


@pytest.mark.parametrize("day, working", [
    (D(2026, 12, 31), True),    # Thursday before New Year's Day, on the 2026 schedule
    (D(2027, 2, 4), True),      # Thursday before 除夕
    (D(2027, 2, 11), True),     # Thursday after the Spring Festival days off
    (D(2027, 4, 4), False),     # Sunday before 清明: a weekend, not a holiday
    (D(2027, 4, 6), True),      # Tuesday after 清明
    (D(2027, 4, 30), True),     # Friday before Labour Day
    (D(2027, 5, 5), True),      # Wednesday after the Labour Day days off
    (D(2027, 9, 30), True),     # Thursday before National Day
    (D(2027, 10, 6), True),     # Wednesday after the National Day days off
])
def test_days_around_the_2027_holidays(day, working):
    assert is_working_day(day) is working


def test_2027_is_known_and_2028_is_not():
    assert max(calendar_years()) == 2027


# ---------------------------------------------------------------------------
# Make-up working days: a weekend day the notice names is counted as a working day
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("day", [D(2026, 2, 14), D(2026, 2, 28), D(2026, 9, 20)])
def test_2026_make_up_weekend_days_count(day):
    # 国办发明电〔2025〕7号: 2月14日（周六）、2月28日（周六）、9月20日（周日）上班.
    assert day.weekday() >= 5 and is_working_day(day)


def test_a_make_up_day_in_a_year_file_counts_and_its_dates_replace_the_packages(tmp_path):
    # A year file as the notice would be encoded: a make-up Sunday and a holiday range, over the
    # package's data. 2026-10-10 (Sat) is a make-up day in the package; the file makes it a holiday.
    (tmp_path / "2028.yaml").write_text(textwrap.dedent("""\
        year: 2028
        holidays:
          - {name: Test Day, name_zh: 测试, from: 2026-10-10, to: 2026-10-10}
          - {name: Spring Festival, name_zh: 春节, from: 2028-01-24, to: 2028-01-28}
        make_up_working_days:
          - {date: 2028-01-23, for: Spring Festival}
        """), encoding="utf-8")
    cal = build([tmp_path / "2028.yaml"])
    assert D(2028, 1, 23).weekday() == 6 and cal.is_working_day(D(2028, 1, 23))
    assert cal.describe(D(2028, 1, 23)) == Day("make_up", "Spring Festival", "春节")
    assert not cal.is_working_day(D(2028, 1, 24)) and not cal.is_working_day(D(2028, 1, 28))
    assert cal.is_working_day(D(2028, 1, 29)) is False     # an ordinary Saturday after it
    assert not cal.is_working_day(D(2026, 10, 10))
    assert 2028 in cal.years and cal.warnings == {}


def test_the_2027_file_is_consistent():
    # Until the notice is encoded the year is unverified and warns; once it is, neither.
    (path,) = [f for f in working_days.data_files() if f.name == "2027.yaml"]
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    confirmed = data["notice"]["number"] is not None
    assert (data["review"] == "verified") is confirmed
    assert (data.get("warning") is None) is confirmed
    assert confirmed or data["warning"].startswith(UNCONFIRMED)
    for entry in data["make_up_working_days"]:
        assert entry["date"].weekday() >= 5
    for entry in data["holidays"]:
        assert entry["from"] <= entry["to"] and entry["from"].year == 2027


# ---------------------------------------------------------------------------
# Periods through 2027 carry the warning; 2026 periods do not
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("event, n, expected", [
    # Wed 02-03: Thu 02-04 (1); 02-05..02-10 off; Thu 02-11 (2), Fri 02-12 (3), Mon 02-15 (4), Tue 02-16 (5).
    (D(2027, 2, 3), 5, D(2027, 2, 16)),
    # Thu 02-04: 02-11 (1), 02-12 (2), 02-15 (3), 02-16 (4), Wed 02-17 (5).
    (D(2027, 2, 4), 5, D(2027, 2, 17)),
    # An event on 除夕 (Art. 201: not counted): 02-11 is the first working day.
    (D(2027, 2, 5), 1, D(2027, 2, 11)),
])
def test_five_working_days_across_the_2027_spring_festival(event, n, expected):
    period = after_working_days(event, n)
    assert period.date == expected
    assert period.beyond_calendar is False
    assert len(period.warnings) == 1 and period.warnings[0].startswith(UNCONFIRMED)


def test_a_count_of_no_working_days_consults_no_day():
    # From the last day of 2026, counting 0 days never reaches 2027; counting 1 does.
    assert after_working_days(D(2026, 12, 31), 0) == (D(2026, 12, 31), False, (), ())
    assert after_working_days(D(2026, 12, 31), 1).warnings[0].startswith(UNCONFIRMED)
    # Nor, from the last day of the last year known, the year after it.
    last = D(calendar_years()[-1], 12, 31)
    assert after_working_days(last, 0).beyond_calendar is False
    assert after_working_days(last, 1).beyond_calendar is True


def test_a_count_ending_on_the_last_day_of_2026_does_not_warn():
    # Mon 2026-12-28 + 3 working days = Thu 12-31; 2027 is never consulted.
    period = after_working_days(D(2026, 12, 28), 3)
    assert period.date == D(2026, 12, 31) and period.warnings == ()
    # One more reaches 2027: 01-01 is New Year's Day, 01-02/03 a weekend, Monday 01-04 is the 4th.
    period = after_working_days(D(2026, 12, 28), 4)
    assert period.date == D(2027, 1, 4) and period.warnings[0].startswith(UNCONFIRMED)


def test_days_and_months_landing_in_2027_warn():
    # 2027-04-30 + 2 days = Sun 05-02 (Labour Day); Art. 203: the next working day, Wed 05-05.
    period = after_days(D(2027, 4, 30), 2)
    assert period.date == D(2027, 5, 5) and period.warnings[0].startswith(UNCONFIRMED)
    # 2026-11-05 + 1 month = Sat 2026-12-05; Art. 203: Mon 12-07, a 2026 day: no warning.
    period = after_months(D(2026, 11, 5), 1)
    assert period.date == D(2026, 12, 7) and period.warnings == ()
    # 2026-09-15 + 12 months = Wed 2027-09-15, Mid-autumn Festival; Art. 203: Thu 09-16.
    period = after_months(D(2026, 9, 15), 12)
    assert period.date == D(2027, 9, 16) and period.warnings[0].startswith(UNCONFIRMED)


# ---------------------------------------------------------------------------
# The warnings on findings: 2027 unconfirmed, 2028 beyond the schedule
# ---------------------------------------------------------------------------

CATALOGUE = """\
rulebook_version: test
obligations:
  test.launch: {subject: service, title: File after launch, title_zh: 备案}
"""

INSTRUMENT = INSTRUMENT_HEADER + """\
  - obligation: test.launch
    article: "1"
    applies_when: [service.algorithmic_recommendation]
    deadline:
      - working_days_after: service.launched_on
        count: 10
    review: verified
    confidence: H
"""


@pytest.fixture(scope="module")
def rulebook(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rules")
    (folder / "catalogue.yaml").write_text(CATALOGUE, encoding="utf-8")
    (folder / "test-instrument.yaml").write_text(INSTRUMENT, encoding="utf-8")
    return load_rulebook(folder)


def assessed(rulebook, launched_on):
    doc = {"format": "hegui/1", "organisation": {"name": "T"},
           "services": [{"id": "s", "algorithmic_recommendation": True, "launched_on": launched_on}]}
    return assess(Manifest.model_validate(doc), D(2026, 12, 2), rulebook)


@pytest.mark.parametrize("launched_on, due, unconfirmed, beyond", [
    # 10 working days from Wed 2026-11-18: 11-19 .. 12-02 (weekends skipped), all in 2026.
    ("2026-11-18", D(2026, 12, 2), False, False),
    # From Wed 2027-02-03: 02-04 (1), 02-11, 02-12, 02-15 .. 02-19 (2-8), 02-22 (9), 02-23 (10).
    ("2027-02-03", D(2027, 2, 23), True, False),
    # From Mon 2027-12-20: 12-21 .. 12-24 (1-4), 12-27 .. 12-31 (5-9), Mon 2028-01-03 (10): both warnings.
    ("2027-12-20", D(2028, 1, 3), True, True),
    # From Wed 2028-03-01: 03-02, 03-03, 03-06 .. 03-10, 03-13 .. 03-15 (10), on weekends alone.
    ("2028-03-01", D(2028, 3, 15), False, True),
])
def test_finding_warnings(rulebook, launched_on, due, unconfirmed, beyond):
    result = assessed(rulebook, launched_on)
    (f,) = result.findings
    assert f.deadline.date == due
    assert any(w.startswith(UNCONFIRMED) for w in texts(f.warnings)) is unconfirmed
    assert (BEYOND_2028 in texts(f.warnings)) is beyond
    assert any(w.startswith(UNCONFIRMED) for w in texts(result.warnings)) is unconfirmed
