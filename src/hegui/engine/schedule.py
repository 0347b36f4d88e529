"""The organisation's deadlines as a calendar: what falls due when, and an iCalendar export.

Entries are the applying findings with a dated deadline that still need attention (open or
overdue on the as-of date: a record dated after it does not count yet, and a present breach is
dated from the day the duty began to bind), plus recurring duties (annual reports, two-yearly
audits), whose next date is shown even when the last cycle was done. Recurring entries carry their cycle, so calendar programs
repeat them.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from icalendar import Calendar, Event, vRecur

from hegui import __version__
from hegui.engine.assess import Assessment
from hegui.engine.finding import APPLIES
from hegui.rulebook.model import cite


@dataclass(frozen=True)
class Entry:
    date: datetime.date
    obligation: str
    subject: str
    title: str
    citation: str
    basis: str
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
        entries.append(Entry(d.date, f.obligation, f.subject, f.title, cite(f.citation["short"], f.citation["article"]),
                             d.basis, f.compliance, d.interval_years if d.recurring else None))
    return sorted(entries, key=lambda e: (e.date, e.obligation, e.subject))


def to_ics(entries: list[Entry], assessment: Assessment) -> bytes:
    """An RFC 5545 calendar: one all-day event per deadline, repeating for recurring duties."""
    cal = Calendar()
    cal.add("prodid", f"-//hegui//hegui {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"hegui: {assessment.organisation}")
    # Stamped with the as-of date, so the same assessment always gives the same file.
    stamp = datetime.datetime.combine(assessment.as_of, datetime.time(), tzinfo=datetime.timezone.utc)
    for e in entries:
        event = Event()
        key = f"{e.obligation}|{e.subject}|{e.date}|{assessment.organisation}".encode()
        event.add("uid", f"{hashlib.sha256(key).hexdigest()[:32]}@hegui")
        event.add("dtstamp", stamp)
        event.add("dtstart", e.date)
        event.add("dtend", e.date + datetime.timedelta(days=1))
        prefix = "OVERDUE: " if e.overdue else ""
        event.add("summary", f"{prefix}{e.title} ({e.subject})")
        event.add("description", "\n".join([
            f"Obligation: {e.obligation}", f"Subject: {e.subject}", f"Source: {e.citation}",
            f"Deadline: {e.basis}", f"Compliance on {assessment.as_of}: {e.compliance}",
            "hegui is not legal advice."]))
        event.add("categories", ["compliance", e.obligation.split(".")[0]])
        event.add("transp", "TRANSPARENT")
        if e.every_years:
            event.add("rrule", vRecur({"freq": "yearly", "interval": e.every_years}))
        cal.add_component(event)
    return cal.to_ical()
