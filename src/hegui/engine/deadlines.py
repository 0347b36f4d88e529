"""Deadlines from a version's deadline rules: the first rule whose condition holds decides.

A deadline's basis is data: Notice parts (engine/notices.py) saying how the date was counted,
worded in the reader's language by report/deadlines.py.
"""

from __future__ import annotations

import datetime

from hegui.calendar import periods
from hegui.engine.finding import Deadline
from hegui.engine.notices import notice
from hegui.lang.evaluate import Context, residual
from hegui.rulebook.model import DeadlineRule, Validity


def compute_deadline(rules, facts: dict, ctx: Context, in_force_from: datetime.date,
                     event_judged: bool, as_of: datetime.date, last_done: datetime.date | None) -> Deadline | None:
    for rule in rules:
        deadline = _first(rule, facts, ctx, in_force_from, event_judged, as_of, last_done)
        if deadline is not None:
            return deadline
    return None


def _first(rule, facts, ctx, in_force_from, event_judged, as_of, last_done) -> Deadline | None:
    """This rule's deadline, or None when its condition does not hold."""
    if rule.when is not None:
        holds = rule.when.run(ctx)
        if holds is False:
            return None
        if holds is None:
            needs = tuple(residual(rule.when.tree, ctx, undecided=True))
            return Deadline(None, (_counted(rule), notice("needs_which", facts=needs)), rule.article,
                            says=rule.says)
    if rule.kind == "annually":
        return _annual(rule, as_of, last_done)
    anchor = rule.anchor_date if rule.anchor is None else facts.get(rule.anchor)
    if anchor is None:
        return Deadline(None, (_counted(rule), notice("needs", facts=(rule.anchor,))), rule.article,
                        says=rule.says)
    if rule.kind == "every_years":
        return _cycle(rule, anchor, as_of, last_done)
    return _period(rule, anchor, in_force_from, event_judged)


def _annual(rule: DeadlineRule, as_of: datetime.date, last_done: datetime.date | None) -> Deadline:
    """The next fixed day of the year on or after the as-of date; a record since the last one covers it."""
    month, day = rule.month_day
    due = _on(as_of.year, month, day)
    if due < as_of:
        due = _on(as_of.year + 1, month, day)
    previous = _on(due.year - 1, month, day)
    covered = last_done is not None and previous < last_done <= due
    return Deadline(due, (notice("annually", month=due.month, day=due.day),), rule.article, recurring=True,
                    covered=covered, says=rule.says)


def _on(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, min(day, 28) if (month, day) == (2, 29) else day)


def _cycle(rule: DeadlineRule, anchor: datetime.date, as_of: datetime.date,
           last_done: datetime.date | None) -> Deadline:
    """Every N years: due N years after the last time it was done, or after the cycle began."""
    p = periods.after_months(last_done or anchor, 12 * rule.count)
    since = (notice("since_last_done", count=rule.count, day=last_done) if last_done else
             notice("since_start", count=rule.count, fact=rule.anchor, day=anchor))
    return Deadline(p.date, (notice("every_years", count=rule.count), since), rule.article,
                    p.steps, p.beyond_calendar, recurring=True, covered=last_done is not None and p.date >= as_of,
                    interval_years=rule.count, says=rule.says, calendar_warnings=p.warnings)


def _period(rule: DeadlineRule, anchor: datetime.date, in_force_from: datetime.date,
            event_judged: bool) -> Deadline:
    basis = (_counted(rule, anchor if rule.anchor else None),)
    if rule.kind.endswith("_after") and rule.anchor and not event_judged and anchor < in_force_from:
        # Something that began before the duty existed is counted from the day the duty took effect.
        basis += (notice("counted_from_in_force", day=in_force_from),)
        anchor = in_force_from
    if rule.kind == "before":
        if not event_judged and anchor < in_force_from:
            # A continuing activity that began before the duty existed must comply from the first day.
            return Deadline(in_force_from, basis + (notice("under_way", day=in_force_from),), rule.article,
                            says=rule.says)
        p = periods.day_before(anchor)
    elif rule.kind == "by":
        p = periods.fixed(anchor)
    elif rule.kind == "working_days_after":
        p = periods.after_working_days(anchor, rule.count)
    elif rule.kind == "working_days_before":
        p = periods.before_working_days(anchor, rule.count)
        if p.date < in_force_from:
            # Counted back past the day the duty took effect: it could bind only from that day.
            return Deadline(in_force_from, basis + (notice("counted_back_past", day=p.date, due=in_force_from),),
                            rule.article, p.steps, p.beyond_calendar, says=rule.says, calendar_warnings=p.warnings)
    elif rule.kind == "days_after":
        p = periods.after_days(anchor, rule.count)
    elif rule.kind == "hours_after":
        p = periods.after_hours(anchor, rule.count)
        # The manifest gives the day, not the hour: the period ends on this day at the latest.
        basis += (notice("hours_latest", day=p.date),)
    else:
        p = periods.after_months(anchor, rule.count)
    return Deadline(p.date, basis, rule.article, p.steps, p.beyond_calendar, says=rule.says,
                    calendar_warnings=p.warnings)


def _counted(rule: DeadlineRule, anchor: datetime.date | None = None):
    """How the rule counts: its kind, its count, and the fact (or date) it counts from."""
    return notice("counted", kind=rule.kind, count=rule.count, fact=rule.anchor, date=rule.anchor_date, on=anchor)


def validity_end(validity: Validity, facts: dict) -> Deadline | None:
    since = facts.get(validity.since)
    if since is None:
        return None
    p = periods.after_months(since, 12 * validity.years)
    return Deadline(p.date, (notice("valid_years", years=validity.years, fact=validity.since, day=since,
                                    article=validity.article),), validity.article)
