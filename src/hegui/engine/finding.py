"""A finding: one obligation decided for one subject on one date."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from hegui.rulebook.decision import APPLIES, DOES_NOT_APPLY, NOT_IN_FORCE, STATUSES, UNKNOWN  # noqa: F401 (re-exported)


class Deadline(NamedTuple):
    """When a duty falls due, and how that was counted. (A named tuple: frozen, and cheap to make.)"""
    date: datetime.date | None
    basis: tuple                 # engine/notices.py Notice parts: how the date was counted, worded in report/
    article: str | None = None
    steps: tuple = ()            # calendar/periods.py Step items: how a count was made, for explain
    beyond_calendar: bool = False
    recurring: bool = False      # a duty that falls due again each cycle
    interval_years: int = 1      # the cycle's length, for recurring duties
    covered: bool = False        # a compliance record covers the current cycle
    says: str | None = None      # the rule's own words on what is due
    calendar_warnings: tuple = ()  # caveats on the holiday data the count used (an unconfirmed year)

    @property
    def needs(self) -> tuple:
        """With no date: the facts that would set it (an anchor, or the facts a rule's `when` reads)."""
        return tuple(f for part in self.basis if getattr(part, "code", None) in ("needs", "needs_which")
                     for f in part.get("facts"))


@dataclass
class Performance:
    """What shows a satisfied duty met on the as-of date: a compliance record or a fact of the manifest."""
    by: str                          # record | fact
    done_on: datetime.date | None    # the record's date, or the date the fact took effect; None when not given
    fact: str | None = None          # the date fact read, for a fact
    late: bool | None = None         # done after the deadline; None when either date is unknown

    def to_dict(self) -> dict:
        return {"by": self.by, "done_on": self.done_on, "fact": self.fact, "late": self.late}


class Finding(NamedTuple):
    """One obligation decided for one subject on one date: plain data, no prose.

    `trace` is the walk's events (engine/decide.py); `facts` the subject's facts it read and
    `context_day` the day whose parameters it read, so report/ can show values without a context.
    A named tuple: frozen, and made in one C call (an assessment makes hundreds of findings).
    """
    obligation: str
    subject: str
    status: str
    title: str
    title_zh: str
    citation: dict
    review: str
    deadline: Deadline | None
    compliance: str | None
    missing_facts: list[str]
    trace: tuple
    judged_on: datetime.date = None
    context_day: datetime.date = None
    warnings: list = ()                 # engine/notices.py Notice items, worded in report/
    note: str | None = None
    standing_duty: str | None = None
    penalty: dict | None = None
    compliance_detail: Performance | None = None   # set when compliance is satisfied
    facts: dict = None
    # A standing duty's case left open by unknown facts: {"when": its condition, "needs": the facts},
    # worded with the duty in report/ (a penalty's open case is its dict's "open_if").
    standing_open: dict | None = None

    def __repr__(self) -> str:   # the trace and the facts are long, and say nothing at a glance
        return (f"Finding({self.obligation!r}, {self.subject!r}, {self.status!r}, compliance={self.compliance!r}, "
                f"deadline={self.deadline!r}, missing_facts={self.missing_facts!r})")
