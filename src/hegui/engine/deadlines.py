"""Deadlines from a version's deadline rules: the first rule whose condition holds decides."""

from __future__ import annotations

import datetime

from hegui.calendar import periods
from hegui.engine.finding import Deadline
from hegui.lang.evaluate import Context, residual
from hegui.rulebook.model import DeadlineRule, Validity, article_label

_UNITS = {"working_days_after": "working days", "days_after": "days", "months_after": "months",
          "hours_after": "hours"}


def compute_deadline(rules, facts: dict, ctx: Context, in_force_from: datetime.date,
                     event_judged: bool, as_of: datetime.date, last_done: datetime.date | None) -> Deadline | None:
    for rule in rules:
        deadline = _first(rule, facts, ctx, in_force_from, event_judged, as_of, last_done)
        if deadline is not None:
            deadline.says = rule.says
            return deadline
    return None


def _first(rule, facts, ctx, in_force_from, event_judged, as_of, last_done) -> Deadline | None:
    """This rule's deadline, or None when its condition does not hold."""
    if rule.when is not None:
        holds = rule.when.run(ctx)
        if holds is False:
            return None
        if holds is None:
            needs = tuple(residual(rule.when.tree, ctx))
            return Deadline(None, f"{_describe(rule)}; needs {', '.join(needs)} to tell which deadline applies",
                            rule.article, needs=needs)
    if rule.kind == "annually":
        return _annual(rule, as_of, last_done)
    anchor = rule.anchor_date if rule.anchor is None else facts.get(rule.anchor)
    if anchor is None:
        return Deadline(None, f"{_describe(rule)}; needs {rule.anchor}", rule.article, needs=(rule.anchor,))
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
    return Deadline(due, f"each year by {due:%m-%d}", rule.article, recurring=True, covered=covered)


def _on(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, min(day, 28) if (month, day) == (2, 29) else day)


def _cycle(rule: DeadlineRule, anchor: datetime.date, as_of: datetime.date,
           last_done: datetime.date | None) -> Deadline:
    """Every N years: due N years after the last time it was done, or after the cycle began."""
    start = last_done or anchor
    p = periods.after_months(start, 12 * rule.count, "")
    since = f"the last time it was done ({last_done})" if last_done else f"{rule.anchor or 'the start'} ({anchor})"
    return Deadline(p.date, f"every {rule.count} years: due {rule.count} years after {since}", rule.article,
                    p.steps, p.beyond_calendar, recurring=True, covered=last_done is not None and p.date >= as_of,
                    interval_years=rule.count, calendar_warnings=p.warnings)


def _period(rule: DeadlineRule, anchor: datetime.date, in_force_from: datetime.date,
            event_judged: bool) -> Deadline:
    basis = f"{_describe(rule)} ({anchor})" if rule.anchor else _describe(rule)
    if rule.kind.endswith("_after") and rule.anchor and not event_judged and anchor < in_force_from:
        # Something that began before the duty existed is counted from the day the duty took effect.
        basis += f"; began before the duty took effect, so counted from {in_force_from}"
        anchor = in_force_from
    if rule.kind == "before":
        if not event_judged and anchor < in_force_from:
            # A continuing activity that began before the duty existed must comply from the first day.
            return Deadline(in_force_from, f"{basis}; already under way when the duty took effect on "
                                           f"{in_force_from}", rule.article)
        p = periods.day_before(anchor, basis)
    elif rule.kind == "by":
        p = periods.fixed(anchor, basis)
    elif rule.kind == "working_days_after":
        p = periods.after_working_days(anchor, rule.count, basis)
    elif rule.kind == "working_days_before":
        p = periods.before_working_days(anchor, rule.count, basis)
        if p.date < in_force_from:
            # Counted back past the day the duty took effect: it could bind only from that day.
            return Deadline(in_force_from, f"{basis}; counted back to {p.date}, before the duty took effect, "
                                           f"so due on {in_force_from}", rule.article, p.steps, p.beyond_calendar,
                            calendar_warnings=p.warnings)
    elif rule.kind == "days_after":
        p = periods.after_days(anchor, rule.count, basis)
    elif rule.kind == "hours_after":
        p = periods.after_hours(anchor, rule.count, basis)
    else:
        p = periods.after_months(anchor, rule.count, basis)
    return Deadline(p.date, p.basis, rule.article, p.steps, p.beyond_calendar, calendar_warnings=p.warnings)


def _describe(rule: DeadlineRule) -> str:
    where = rule.anchor or str(rule.anchor_date)
    if rule.kind == "before":
        return f"before {where}"
    if rule.kind == "by":
        return f"by {rule.anchor_date}, a date the rule sets"
    if rule.kind == "every_years":
        return f"every {rule.count} years from {where}"
    if rule.kind == "working_days_before":
        return f"{rule.count} working days before {where}"
    return f"{rule.count} {_UNITS[rule.kind]} after {where}"


def validity_end(validity: Validity, facts: dict) -> Deadline | None:
    since = facts.get(validity.since)
    if since is None:
        return None
    p = periods.after_months(since, 12 * validity.years, "")
    return Deadline(p.date, f"valid {validity.years} years from {validity.since} {since} "
                            f"({article_label(validity.article)})", validity.article)
