"""The one place hegui reads the clock: today's date on the mainland.

Every "default today" (the CLI's --as-of, the API's as_of) means the mainland date, because
deadlines and in-force dates are mainland calendar days: at 01:00 in Beijing a new day has begun
even where the server's local clock (often UTC) still shows the day before.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

MAINLAND = ZoneInfo("Asia/Shanghai")


def mainland_date(instant: datetime.datetime) -> datetime.date:
    """The mainland calendar date at an aware instant."""
    if instant.tzinfo is None:
        raise ValueError("expected an aware datetime (with a time zone)")
    return instant.astimezone(MAINLAND).date()


def today() -> datetime.date:
    return mainland_date(datetime.datetime.now(datetime.timezone.utc))
