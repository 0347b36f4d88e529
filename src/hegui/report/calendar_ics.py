"""The calendar as an RFC 5545 file: one all-day event per deadline, in the reader's language.

An overdue duty is an event on the as-of date (a calendar shows what is still to do, not a past
day nobody looks at), without repetition; a recurring duty repeats on its cycle. Every event
carries reminders (VALARM) before it, so calendar programs alert the person in time.
"""

from __future__ import annotations

import datetime
import hashlib

from icalendar import Alarm, Calendar, Event, vRecur

from hegui import __version__
from hegui.engine.assess import Assessment
from hegui.report.deadlines import basis_text
from hegui.report.i18n import t
from hegui.report.reasons import citation_text
from hegui.report.text_report import COMPLIANCE, label

# Reminders before an event that is still ahead: a week and a working day's notice.
REMINDERS = (datetime.timedelta(days=7), datetime.timedelta(days=1))


def to_ics(entries, assessment: Assessment, lang: str = "en") -> bytes:
    cal = new_calendar(t("ics.name", lang, organisation=assessment.organisation), lang)
    for e in entries:
        key = f"{e.obligation}|{e.subject}|{e.date}|{assessment.organisation}"
        cal.add_component(entry_event(e, assessment.as_of, lang, uid(key)))
    return cal.to_ical()


def new_calendar(name: str, lang: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", f"-//hegui//hegui {__version__}//{lang.upper()}")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    return cal


def uid(key: str) -> str:
    """An event's UID from what identifies it: the same key, the same UID, so a calendar program
    updates the event instead of adding it again."""
    return f"{hashlib.sha256(key.encode()).hexdigest()[:32]}@hegui"


def entry_event(e, as_of, lang: str, event_uid: str, organisation: str | None = None) -> Event:
    """One schedule entry (engine/schedule.py) as an all-day event; `organisation`, when given,
    is named in its summary and description (a feed over several organisations)."""
    title = e.title if lang == "en" else e.title_zh
    event = Event()
    event.add("uid", event_uid)
    # Stamped with the as-of date, so the same assessment always gives the same file.
    event.add("dtstamp", datetime.datetime.combine(as_of, datetime.time(), tzinfo=datetime.timezone.utc))
    event.add("dtstart", e.shown_on)
    event.add("dtend", e.shown_on + datetime.timedelta(days=1))
    summary = t("ics.summary", lang, title=title, subject=e.subject)
    if organisation is not None:
        summary = t("ics.of_organisation", lang, organisation=organisation, summary=summary)
    event.add("summary", t("ics.overdue", lang, date=e.date, summary=summary) if e.overdue else summary)
    lines = [t("ics.organisation", lang, organisation=organisation)] if organisation is not None else []
    event.add("description", "\n".join(lines + [
        t("ics.obligation", lang, obligation=e.obligation), t("ics.subject", lang, subject=e.subject),
        t("ics.source", lang, citation=citation_text(e.citation, lang)),
        t("ics.deadline", lang, date=e.date, basis=basis_text(e.deadline, lang)),
        t("ics.compliance", lang, as_of=as_of, compliance=label(COMPLIANCE, e.compliance, lang)),
        t("notice", lang)]))
    event.add("categories", ["compliance", e.obligation.split(".")[0]])
    event.add("transp", "TRANSPARENT")
    if e.every_years and not e.overdue:
        event.add("rrule", vRecur({"freq": "yearly", "interval": e.every_years}))
    for before in () if e.overdue else REMINDERS:
        event.add_component(_alarm(-before, summary))
    if e.overdue:
        event.add_component(_alarm(datetime.timedelta(0), summary))
    return event


def _alarm(trigger: datetime.timedelta, text: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", trigger)
    alarm.add("description", text)
    return alarm
