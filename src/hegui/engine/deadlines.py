"""Deadlines from a version's deadline rules: the first rule whose condition holds decides."""

from __future__ import annotations

import datetime

from hegui.calendar import periods
from hegui.engine.finding import Deadline
from hegui.lang.evaluate import Context, residual
from hegui.rulebook.model import DeadlineRule, Validity

_UNITS = {"working_days_after": "working days", "days_after": "days", "months_after": "months"}


def compute_deadline(rules, continuous: str | None, facts: dict, ctx: Context,
                     in_force_from: datetime.date, event_judged: bool) -> Deadline | None:
    for rule in rules:
        if rule.when is not None:
            holds = rule.when.run(ctx)
            if holds is False:
                continue
            if holds is None:
                needs = ", ".join(residual(rule.when.tree, ctx))
                return Deadline(None, f"{_describe(rule)}; needs {needs} to tell which deadline applies",
                                rule.article)
        anchor = rule.anchor_date if rule.anchor is None else facts.get(rule.anchor)
        if anchor is None:
            return Deadline(None, f"{_describe(rule)}; needs {rule.anchor}", rule.article)
        return _period(rule, anchor, in_force_from, event_judged)
    if continuous:
        return None
    return None


def _period(rule: DeadlineRule, anchor: datetime.date, in_force_from: datetime.date,
            event_judged: bool) -> Deadline:
    basis = f"{_describe(rule)} ({anchor})" if rule.anchor else _describe(rule)
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
    elif rule.kind == "days_after":
        p = periods.after_days(anchor, rule.count, basis)
    else:
        p = periods.after_months(anchor, rule.count, basis)
    return Deadline(p.date, p.basis, rule.article, p.steps, p.beyond_calendar)


def _describe(rule: DeadlineRule) -> str:
    where = rule.anchor or str(rule.anchor_date)
    if rule.kind == "before":
        return f"before {where}"
    if rule.kind == "by":
        return f"by {rule.anchor_date}, a date the rule sets"
    return f"{rule.count} {_UNITS[rule.kind]} after {where}"


def validity_end(validity: Validity, facts: dict) -> Deadline | None:
    since = facts.get(validity.since)
    if since is None:
        return None
    p = periods.after_months(since, 12 * validity.years, "")
    return Deadline(p.date, f"valid {validity.years} years from {validity.since} {since} "
                            f"(Art. {validity.article})", validity.article)
