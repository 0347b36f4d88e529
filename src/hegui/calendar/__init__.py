"""The official mainland working-day calendar and Civil Code periods."""

from hegui.calendar.periods import Period, after_days, after_months, after_working_days, day_before
from hegui.calendar.working_days import calendar_years, is_working_day, is_known

__all__ = ["Period", "after_days", "after_months", "after_working_days", "day_before",
           "calendar_years", "is_working_day", "is_known"]
