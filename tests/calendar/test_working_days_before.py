"""`before_working_days`: "N working days before" an event (在...N个工作日前), counted back.

Expected values come from the State Council holiday notices, not from the code:
- 国务院办公厅关于2025年部分节假日安排的通知: National Day and Mid-autumn 10-01 to 10-08 off,
  Sun 09-28 and Sat 10-11 worked;
- 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04): Spring Festival 02-15 to 02-23 off,
  Sat 02-14 and Sat 02-28 worked.
The event day is not counted (the mirror of Civil Code Art. 201), so the result is the N-th
working day before the event and is always a working day.
"""

import datetime

import pytest

from hegui.calendar.periods import after_working_days, before_working_days
from hegui.calendar.working_days import is_working_day

D = datetime.date


@pytest.mark.parametrize("event, n, expected", [
    # An ordinary week: Wed 2023-06-07 less 3 working days: 06-06 (1), 06-05 (2), Fri 06-02 (3).
    (D(2023, 6, 7), 3, D(2023, 6, 2)),
    # The event day is not counted even when it is a working day: Mon 2023-06-05 less 1 is Fri 06-02.
    (D(2023, 6, 5), 1, D(2023, 6, 2)),
    # 2026 Spring Festival: back from Mon 03-02: Sat 02-28 worked (1), 02-27 (2) .. 02-24 (5);
    # 02-23 .. 02-15 off; Sat 02-14 worked (6); Fri 02-13 (7).
    (D(2026, 3, 2), 1, D(2026, 2, 28)),
    (D(2026, 3, 2), 5, D(2026, 2, 24)),
    (D(2026, 3, 2), 6, D(2026, 2, 14)),
    (D(2026, 3, 2), 7, D(2026, 2, 13)),
    # 2025 National Day: back from Tue 10-14: 10-13 (1), Sat 10-11 worked (2), 10-10 (3), 10-09 (4);
    # 10-08 .. 10-01 off; 09-30 (5), 09-29 (6), Sun 09-28 worked (7), Fri 09-26 (8).
    (D(2025, 10, 14), 2, D(2025, 10, 11)),
    (D(2025, 10, 14), 5, D(2025, 9, 30)),
    (D(2025, 10, 14), 7, D(2025, 9, 28)),
    (D(2025, 10, 14), 8, D(2025, 9, 26)),
    # An event on a holiday: counting starts the day before; 2025-10-05 less 1 is Tue 09-30.
    (D(2025, 10, 5), 1, D(2025, 9, 30)),
])
def test_before_working_days(event, n, expected):
    period = before_working_days(event, n)
    assert period.date == expected
    assert period.beyond_calendar is False


def test_it_mirrors_working_days_after_for_a_working_day():
    # For an event on a working day, N working days before it and N working days after that are the event.
    for offset in range(0, 366, 5):
        event = D(2025, 1, 1) + datetime.timedelta(days=offset)
        if not is_working_day(event):
            continue
        for n in (1, 5, 20, 30):
            back = before_working_days(event, n).date
            assert is_working_day(back)
            assert after_working_days(back, n).date == event


def test_counting_back_into_an_unknown_year_is_flagged():
    # Days after the bundled schedule are counted on weekends alone and say so.
    period = before_working_days(D(2028, 1, 20), 20)
    assert period.beyond_calendar is True
