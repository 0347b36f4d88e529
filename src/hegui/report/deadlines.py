"""A deadline in words: how its date was counted, and a working-day count day by day.

The engine states both as data (engine/deadlines.py basis parts, calendar/periods.py steps);
the wording is report/messages/deadlines.yaml's, in the reader's language.
"""

from __future__ import annotations

from hegui.calendar.periods import Step
from hegui.calendar.working_days import Day
from hegui.engine.finding import Deadline
from hegui.report.i18n import t
from hegui.report.reasons import article_text


# Every message key spelled out, so a test can tell which messages are used.
COUNTED = {"before": "deadline.counted.before", "by": "deadline.counted.by",
           "working_days_after": "deadline.counted.working_days_after",
           "working_days_before": "deadline.counted.working_days_before",
           "days_after": "deadline.counted.days_after", "months_after": "deadline.counted.months_after",
           "hours_after": "deadline.counted.hours_after", "every_years": "deadline.counted.every_years"}
PARTS = {"needs": "deadline.needs", "needs_which": "deadline.needs_which", "annually": "deadline.annually",
         "every_years": "deadline.every_years", "since_last_done": "deadline.since_last_done",
         "since_start": "deadline.since_start", "counted_from_in_force": "deadline.counted_from_in_force",
         "under_way": "deadline.under_way", "counted_back_past": "deadline.counted_back_past",
         "hours_latest": "deadline.hours_latest", "valid_years": "deadline.valid_years",
         "broken_since": "deadline.broken_since"}
STEPS = {"counted": "step.counted", "counted_back": "step.counted_back", "not_counted": "step.not_counted",
         "moves_on": "step.moves_on"}
DAYS = {"weekday": "day.weekday", "weekend": "day.weekend", "holiday": "day.holiday", "make_up": "day.make_up"}


def basis_text(deadline: Deadline, lang: str = "en") -> str:
    """The basis of a deadline on one line: "3 working days after listing.application_date (2023-06-12)"."""
    return parts_text(deadline.basis, lang)


def parts_text(parts, lang: str = "en") -> str:
    return t("deadline.join", lang).join(_part(p, lang) for p in parts)


def _part(p, lang: str) -> str:
    f = p.fields
    if p.code == "counted":
        where = f["fact"] or f["date"]
        if f["on"] is not None:
            where = t("deadline.where_on", lang, where=where, on=f["on"])
        return t(COUNTED[f["kind"]], lang, where=where, count=f["count"], date=f["date"])
    if p.code in ("needs", "needs_which"):
        return t(PARTS[p.code], lang, facts=", ".join(f["facts"]))
    if p.code == "since_start":
        fact = f["fact"] or t("deadline.the_start", lang)
        return t("deadline.since_start", lang, count=f["count"], fact=fact, day=f["day"])
    if p.code == "valid_years":
        return t("deadline.valid_years", lang, **{**f, "article": article_text(f["article"], lang)})
    if p.code == "broken_since" and f["fact"] is not None:
        return t("deadline.broken_since_event", lang, **f)
    return t(PARTS[p.code], lang, **f)


def day_step_text(step: Step, lang: str = "en") -> str:
    """One day of a count: "working day 2 (weekday)", "not counted (National Day holiday)"."""
    return t(STEPS[step.event], lang, count=step.count, day=day_text(step.day, lang))


def day_text(day: Day, lang: str = "en") -> str:
    holiday = day.holiday_zh if lang == "zh" and day.holiday_zh else day.holiday
    return t(DAYS[day.kind], lang, holiday=holiday)
