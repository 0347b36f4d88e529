"""hegui's one clock: "today" is the mainland date (Beijing time, UTC+8 all year), not the host's."""

from __future__ import annotations

import datetime

import pytest

from hegui.calendar.clock import mainland_date, today

UTC = datetime.timezone.utc


@pytest.mark.parametrize("instant, expected", [
    # 15:59:59 UTC is 23:59:59 in Beijing: still the same day.
    (datetime.datetime(2026, 12, 3, 15, 59, 59, tzinfo=UTC), datetime.date(2026, 12, 3)),
    # 16:00 UTC is midnight in Beijing: the next day has begun there.
    (datetime.datetime(2026, 12, 3, 16, 0, 0, tzinfo=UTC), datetime.date(2026, 12, 4)),
    # New Year's Eve in London is already New Year's Day on the mainland.
    (datetime.datetime(2026, 12, 31, 20, 0, tzinfo=UTC), datetime.date(2027, 1, 1)),
    # No summer time on the mainland: July shifts by 8 hours as well.
    (datetime.datetime(2026, 7, 1, 15, 59, tzinfo=UTC), datetime.date(2026, 7, 1)),
    (datetime.datetime(2026, 7, 1, 16, 0, tzinfo=UTC), datetime.date(2026, 7, 2)),
])
def test_mainland_date(instant, expected):
    assert mainland_date(instant) == expected


def test_a_naive_instant_is_refused():
    with pytest.raises(ValueError):
        mainland_date(datetime.datetime(2026, 12, 3, 16, 0))


def test_today_is_the_mainland_date_now():
    beijing = datetime.timezone(datetime.timedelta(hours=8))
    before = datetime.datetime.now(beijing).date()
    got = today()
    assert got in {before, datetime.datetime.now(beijing).date()}
