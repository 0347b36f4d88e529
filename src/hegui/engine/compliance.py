"""Compliance on the as-of date (interface.md, Deadlines).

A record or a fact counts from its date: one dated after the as-of date does not count on it.
A record dated after the deadline still satisfies, marked late. A continuing duty the facts show
broken is a present breach, overdue since the day the duty began to bind the subject.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from hegui.engine.deadlines import validity_end
from hegui.engine.finding import Deadline, Performance
from hegui.engine.notices import Notice, notice
from hegui.manifest.errors import InputError, Problem, did_you_mean
from hegui.manifest.model import SUBJECT_LISTS, Manifest

# The fact from which a subject is under way: a duty about running a service binds it from its
# launch, a duty about a transfer from the transfer's start.
BEGINS = {"service": "service.launched_on", "transfer": "transfer.started_on"}


def records_on(manifest: Manifest, rulebook, source: str, as_of: datetime.date) -> tuple[dict, dict]:
    """Per (obligation, subject): the record that counts on the as-of date, and the earliest later one.

    The latest record dated on or before the as-of date counts (a recurring duty is covered by its
    most recent performance); a record without a date counts only when no dated one does.
    """
    names = {"organisation"} | {f"{kind}:{entity.id}" for kind, attr in SUBJECT_LISTS.items()
                                for entity in getattr(manifest, attr)}
    counting, later, problems = {}, {}, []
    for i, record in enumerate(manifest.compliance):
        if record.obligation not in rulebook.obligations:
            problems.append(Problem(source, f"compliance[{i}].obligation", None,
                                    f"no obligation {record.obligation!r} in the rulebook"
                                    f"{did_you_mean(record.obligation, rulebook.obligations) or ' (see `hegui rules`)'}"))
        elif record.subject not in names:
            problems.append(Problem(source, f"compliance[{i}].subject", None,
                                    f"no subject {record.subject!r} in this manifest"
                                    f"{did_you_mean(record.subject, names)}"))
        key = (record.obligation, record.subject)
        if record.done_on is not None and record.done_on > as_of:
            if key not in later or record.done_on < later[key].done_on:
                later[key] = record
        elif key not in counting or _order(record) >= _order(counting[key]):
            counting[key] = record
    if problems:
        raise InputError(problems)
    return counting, later


def _order(record) -> datetime.date:
    return record.done_on or datetime.date.min


class Compliance(NamedTuple):
    state: str | None                 # satisfied | open | overdue; None for a finding that does not apply
    detail: Performance | None        # what shows a satisfied duty met
    deadline: Deadline | None         # the deadline, replaced by a lapse or the day a broken duty began to bind
    warnings: tuple[Notice, ...]


def compliance_of(ob, subject: str, version, ctx, deadline: Deadline | None, record, later,
                  as_of: datetime.date) -> Compliance:
    """The compliance of an obligation that applies, worked out before its finding is made."""
    warnings = []
    if later is not None:
        warnings.append(notice("recorded_later", done_on=later.done_on, as_of=as_of))
    met = version.satisfied_when.run(ctx) if version.satisfied_when else None
    since = ctx.facts.get(version.satisfied_since) if version.satisfied_since else None
    shown = _clause(version.satisfied_when, ctx) if met is False else None
    dated = None
    if met is True and since is not None and since > as_of:
        met, dated = False, notice("since_after", fact=version.satisfied_since, day=since)
        warnings.append(dated)
    unmet = shown is not None or dated is not None

    validity = version.valid_for
    if validity is not None and validity.when is not None and validity.when.run(ctx) is not True:
        validity = None   # the route relied on has no validity period of its own
    if met is True:
        end = validity_end(validity, ctx.facts) if validity else None
        if end is not None and end.date < as_of:
            warnings.append(notice("lapsed", day=end.date, basis=end.basis))
            return Compliance("overdue", None, end, tuple(warnings))
        if validity and end is None:
            warnings.append(notice("validity_unchecked", fact=validity.since))
        elif end is not None:
            warnings.append(notice("satisfied_until", day=end.date, basis=end.basis))
        elif version.satisfied_since and since is None:
            warnings.append(notice("since_not_given", fact=version.satisfied_since))
        return Compliance("satisfied", Performance("fact", since, version.satisfied_since), deadline,
                          tuple(warnings))

    if deadline is not None and deadline.recurring:
        due = deadline.date
        if deadline.covered:
            # Covered means done within the current cycle, on or before its due date.
            return Compliance("satisfied", Performance("record", record.done_on, late=False), deadline,
                              tuple(warnings))
        if record is not None and record.done_on is None:
            warnings.append(notice("record_undated_cycle"))
        return Compliance("overdue" if due is not None and due < as_of else "open", None, deadline,
                          tuple(warnings))

    if record is not None:
        detail = Performance("record", record.done_on, late=_late(record.done_on, deadline))
        if record.done_on is None:
            warnings.append(notice("record_undated"))
        elif detail.late:
            warnings.append(notice("late", done_on=record.done_on, deadline=deadline.date))
        if shown is not None and deadline is None:
            # Only a standing duty's fact is the duty itself; a dated duty's fact is one way of
            # meeting it (a certification, where a filed standard contract is another).
            warnings.append(notice("record_but_not_met", **shown))
        return Compliance("satisfied", detail, deadline, tuple(warnings))

    if unmet and deadline is None:
        # A continuing duty the facts show broken is a present breach, not something still open.
        deadline = binding_day(ob, subject, ctx.facts)
        if shown is not None:
            warnings.append(notice("not_met", **shown))
        return Compliance("overdue" if deadline.date <= as_of else "open", None, deadline, tuple(warnings))
    due = deadline.date if deadline else None
    return Compliance("overdue" if due is not None and due < as_of else "open", None, deadline, tuple(warnings))


def _clause(clause, ctx) -> dict:
    """A clause for a notice: its tree and the values it read, so report/ can show it with them."""
    return {"clause": clause.tree, "facts": tuple((p, ctx.facts.get(p)) for p in clause.facts),
            "parameters": tuple((n, ctx.params.get(n)) for n in clause.parameters)}


def _late(done_on: datetime.date | None, deadline: Deadline | None) -> bool | None:
    if deadline is None:
        return False                  # a duty without a deadline cannot be done late
    if done_on is None or deadline.date is None:
        return None
    return done_on > deadline.date


def binding_day(ob, subject: str, facts: dict) -> Deadline:
    """The day a continuing duty began to bind the subject: its entry into force, or the later
    event or start of the subject that brought the subject under it."""
    day, since = ob.in_force_from, None
    for path in (ob.event, BEGINS.get(subject.split(":")[0])):
        value = facts.get(path) if path else None
        if isinstance(value, datetime.date) and value > day:
            day, since = value, path
    return Deadline(day, (notice("broken_since", fact=since, day=day, in_force=ob.in_force_from),))
