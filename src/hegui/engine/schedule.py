"""The organisation's deadlines as a calendar: what falls due when.

Entries are the applying findings with a dated deadline that still need attention (open or
overdue on the as-of date: a record dated after it does not count yet, and a present breach is
dated from the day the duty began to bind), plus recurring duties (annual reports, two-yearly
audits), whose next date is shown even when the last cycle was done. Recurring entries carry
their cycle, so calendar programs repeat them. An overdue entry is shown on the as-of date, the
first day anyone can still act on it; it keeps the date it fell due. Wording, and the iCalendar
file, are report/'s (report/calendar_ics.py).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from hegui.engine.assess import Assessment
from hegui.engine.finding import APPLIES, Deadline


@dataclass(frozen=True)
class Entry:
    date: datetime.date          # the day it falls (or fell) due
    shown_on: datetime.date      # the day a calendar shows it: the as-of date when overdue
    obligation: str
    subject: str
    title: str
    title_zh: str
    citation: dict               # the finding's citation
    deadline: Deadline
    compliance: str | None
    every_years: int | None      # the cycle of a recurring duty

    @property
    def overdue(self) -> bool:
        return self.compliance == "overdue"


def schedule(assessment: Assessment) -> list[Entry]:
    entries = []
    for f in assessment.findings:
        d = f.deadline
        if f.status != APPLIES or d is None or d.date is None:
            continue
        if f.compliance == "satisfied" and not d.recurring:
            continue
        overdue = f.compliance == "overdue"
        entries.append(Entry(d.date, max(d.date, assessment.as_of) if overdue else d.date, f.obligation,
                             f.subject, f.title, f.title_zh, f.citation, d, f.compliance,
                             d.interval_years if d.recurring else None))
    return sorted(entries, key=lambda e: (e.shown_on, e.date, e.obligation, e.subject))
