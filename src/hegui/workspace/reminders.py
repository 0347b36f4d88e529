"""Reminders from the dashboard (workspace/dashboard.py): a user's calendar feed over every
organisation they can see, the daily digest e-mail, and sending it over SMTP (the secret in the
feed's URL is auth.py's, as every other secret).

Wording is report/'s (report/messages/workspace.yaml, report/templates/digest.*); nothing here
reads the database: the routes and the daily job fetch, then call these.
"""

from __future__ import annotations

import datetime
import smtplib
import socket
import ssl
from collections.abc import Iterable
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import unquote, urlsplit

from hegui.engine.schedule import schedule
from hegui.report.calendar_ics import entry_event, new_calendar, uid
from hegui.report.changes import finding_change_lines, rule_change_text
from hegui.report.i18n import t
from hegui.report.markdown_report import environment
from hegui.report.reasons import citation_text, needed_text
from hegui.report.text_report import COMPLIANCE, label
from hegui.report.values import show
from hegui.workspace.dashboard import WINDOW_DAYS, Change, Dashboard, Duty, OrganisationView, Waiting

# A digest lists at most this many items per section; the rest are counted, to be read on the dashboard.
DIGEST_ITEMS = 50
# How often a subscribed calendar should fetch the feed again (RFC 7986 REFRESH-INTERVAL, and Apple's
# and Outlook's X-PUBLISHED-TTL): an overdue duty moves to today's date, and an edit moves a deadline,
# so the same day's changes reach the calendar the same day.
FEED_REFRESH = datetime.timedelta(hours=6)


# --- the calendar feed ------------------------------------------------------------------------

def feed_ics(organisations: Iterable[OrganisationView], lang: str = "en", user: str | None = None) -> bytes:
    """One iCalendar file over the organisations' deadlines (engine/schedule.py), each event naming
    its organisation. The UID is the organisation's key, the obligation and the subject, with no
    date in it: when a deadline moves, a subscribed calendar moves the event instead of adding one."""
    cal = new_calendar(t("feed.name_for", lang, user=user) if user else t("feed.name", lang), lang)
    cal.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", f"PT{int(FEED_REFRESH.total_seconds() // 3600)}H")
    for view in organisations:
        for e in schedule(view.assessment):
            event_uid = uid(f"{view.key}|{e.obligation}|{e.subject}")
            cal.add_component(entry_event(e, view.assessment.as_of, lang, event_uid, organisation=view.name))
    return cal.to_ical()


# --- the digest e-mail ------------------------------------------------------------------------

def digest_message(dash: Dashboard, sender: str, recipient: str, lang: str = "en",
                   dashboard_url: str | None = None) -> EmailMessage:
    """The daily digest: a text part and an HTML alternative, from the same document."""
    doc = digest_document(dash, lang, dashboard_url)
    message = EmailMessage()
    message["Subject"] = doc["subject"]
    message["From"] = sender
    message["To"] = recipient
    message.set_content(environment().get_template("digest.txt").render(**doc))
    message.add_alternative(environment().get_template("digest.html").render(**doc), subtype="html")
    return message


def digest_document(dash: Dashboard, lang: str = "en", dashboard_url: str | None = None) -> dict:
    """What the digest says, worded once for both templates: sections of items, each a heading line
    and the lines under it; the disclaimer once, at the end."""
    as_of = dash.as_of
    sections = [
        _section(t("digest.overdue", lang), [_duty(d, as_of, lang) for d in dash.overdue], lang),
        _section(t("digest.due_soon", lang, days=WINDOW_DAYS), [_duty(d, as_of, lang) for d in dash.due_soon], lang),
        _section(t("digest.waiting", lang), [_waiting(w, lang) for w in dash.waiting], lang),
        _section(t("digest.changes", lang), [_change(c, lang) for c in dash.changes], lang),
    ]
    edits = [t("digest.edit", lang, organisation=view.name, fact=e.fact, before=_value(e.before, lang),
               after=_value(e.after, lang)) for view in dash.organisations for e in view.edits]
    if edits:
        sections.append(_section(t("digest.edits", lang), [{"title": line, "lines": []} for line in edits], lang))
    subject = t("digest.subject", lang, as_of=as_of, overdue=len(dash.overdue), due=len(dash.due_soon),
                days=WINDOW_DAYS, waiting=len(dash.waiting), changes=len(dash.changes))
    return {
        "lang": lang, "html_lang": "zh-CN" if lang == "zh" else "en",
        "subject": subject, "heading": t("digest.heading", lang, as_of=as_of),
        "organisations": t("digest.organisations", lang, names=t("digest.list_separator", lang).join(
            v.name for v in dash.organisations)),
        "sections": sections,
        "dashboard": t("digest.open_dashboard", lang, url=dashboard_url) if dashboard_url else None,
        "dashboard_url": dashboard_url,
        "notice": t("notice", lang),
    }


def _section(heading: str, items: list[dict], lang: str) -> dict:
    shown = items[:DIGEST_ITEMS]
    more = len(items) - len(shown)
    return {"heading": heading, "items": shown, "empty": t("digest.none", lang),
            "more": t("digest.more", lang, count=more) if more else None}


def _item_title(organisation: str, title: str, title_zh: str, subject: str, lang: str) -> str:
    return t("digest.item", lang, organisation=organisation, title=title if lang == "en" else title_zh,
             subject=subject)


def _owner(owner: str | None, lang: str) -> str:
    return t("digest.owner", lang, owner=owner) if owner else t("digest.no_owner", lang)


def _duty(d: Duty, as_of: datetime.date, lang: str) -> dict:
    e = d.entry
    days = (e.date - as_of).days
    when = (t("digest.fell_due", lang, date=e.date, days=-days) if d.overdue else
            t("digest.due_today", lang, date=e.date) if days == 0 else t("digest.due_in", lang, date=e.date, days=days))
    return {"title": _item_title(d.organisation, e.title, e.title_zh, e.subject, lang),
            "lines": [when, t("digest.source", lang, citation=citation_text(e.citation, lang)), _owner(d.owner, lang)]}


def _waiting(w: Waiting, lang: str) -> dict:
    f = w.finding
    facts = [t("digest.fact_owner", lang, fact=needed_text(f, path, lang), owner=owner) if owner
             else needed_text(f, path, lang) for path, owner in w.facts]
    needs = t("digest.needs" if w.waits_for == "status" else "digest.needs_date", lang,
              facts=t("digest.list_separator", lang).join(facts))
    return {"title": _item_title(w.organisation, f.title, f.title_zh, f.subject, lang),
            "lines": [needs, _owner(w.owner, lang)]}


def _change(c: Change, lang: str) -> dict:
    f = c.after or c.before
    if c.cause == "time":
        cause = t("digest.cause.time", lang, date=c.since)
    elif c.cause == "rulebook":
        # A digest's first 12 hex digits name a rulebook well enough for a reader.
        before, after = (digest[:len("sha256:") + 12] for digest in c.rulebooks)
        cause = t("digest.cause.rulebook", lang, before=before, after=after)
    else:
        cause = t("digest.cause.manifest", lang)
    lines = [cause, *_what_lines(c, lang)]
    lines += [t("diff.because", lang, cause=f"{r.day} {rule_change_text(r, lang)}") for r in c.rule_changes]
    lines += [t("diff.because_record", lang, date=day) for day in c.done_on]
    return {"title": _item_title(c.organisation, f.title, f.title_zh, c.subject, lang), "lines": lines}


def _what_lines(c: Change, lang: str) -> list[str]:
    def status(s):
        return t(f"digest.status.{s}", lang)
    if "added" in c.what:
        return [t("digest.added", lang, status=status(c.after.status))]
    if "removed" in c.what:
        return [t("digest.removed", lang, status=status(c.before.status))]
    return finding_change_lines(c, lang, status, _compliance)


def _compliance(f, lang: str) -> str:
    return label(COMPLIANCE, f.compliance, lang) if f.compliance else "-"


def _value(value, lang: str) -> str:
    return t("digest.not_given", lang) if value is None else show(value)


# --- sending ----------------------------------------------------------------------------------

class DigestError(Exception):
    """The digest could not be sent: the message says where to and why, never the password."""


SCHEMES = {"smtp": (25, None), "smtp+starttls": (587, "starttls"), "smtps": (465, "tls")}


def send_digest(smtp_url: str, message: EmailMessage, timeout: float = 30,
                ssl_context: ssl.SSLContext | None = None) -> None:
    """Send over SMTP. smtp://host[:port] talks plain SMTP (a relay on the same host or network);
    smtp+starttls://host[:port] upgrades with STARTTLS before anything else (the usual port 587);
    smtps://host[:port] speaks TLS from the start (port 465). user:password@ in the URL logs in,
    over TLS only. `ssl_context` replaces the system's trusted certificates (a private CA).

    A message without a Date or Message-ID gets them here: they belong to the sending, not the digest.
    """
    scheme, host, port, user, password = parse_smtp_url(smtp_url)
    where = f"{scheme}://{f'[{host}]' if ':' in host else host}:{port}"
    if "Date" not in message:
        message["Date"] = formatdate(usegmt=True)
    if "Message-ID" not in message:
        message["Message-ID"] = make_msgid(domain="hegui")
    mode = SCHEMES[scheme][1]
    context = ssl_context or ssl.create_default_context()
    try:
        if mode == "tls":
            client = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        else:
            client = smtplib.SMTP(host, port, timeout=timeout)
        with client:
            if mode == "starttls":
                client.starttls(context=context)   # raises before any login when the server has no STARTTLS
            if user is not None:
                client.login(user, password or "")
            client.send_message(message)
    except smtplib.SMTPAuthenticationError as e:
        raise DigestError(f"could not send the digest to {where}: the server refused the login for {user!r} "
                          f"({e.smtp_code})") from None
    except smtplib.SMTPRecipientsRefused as e:
        raise DigestError(f"could not send the digest to {where}: the server refused the recipients "
                          f"{', '.join(e.recipients)}") from None
    except smtplib.SMTPException as e:
        raise DigestError(f"could not send the digest to {where}: {e}") from None
    except ssl.SSLError as e:
        raise DigestError(f"could not send the digest to {where}: TLS failed ({e.reason or e})") from None
    except socket.gaierror as e:
        raise DigestError(f"could not send the digest to {where}: no such host ({e.strerror})") from None
    except TimeoutError:
        raise DigestError(f"could not send the digest to {where}: no answer within {timeout:g} s") from None
    except OSError as e:
        raise DigestError(f"could not send the digest to {where}: {e.strerror or e}") from None


def parse_smtp_url(smtp_url: str) -> tuple[str, str, int, str | None, str | None]:
    """(scheme, host, port, user, password) from the URL, or DigestError saying what is wrong; a
    server given `--smtp` checks it when it starts, not at the first digest."""
    parts = urlsplit(smtp_url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise DigestError(f"--smtp: expected smtp://, smtp+starttls:// or smtps://host[:port], got "
                          f"{parts.scheme + '://' if parts.scheme else 'no scheme'}")
    try:
        port = parts.port or SCHEMES[scheme][0]
    except ValueError:
        raise DigestError("--smtp: the port must be a number from 1 to 65535") from None
    if not parts.hostname:
        raise DigestError(f"--smtp: no host in the URL (expected {scheme}://host[:port])")
    user = unquote(parts.username) if parts.username is not None else None
    password = unquote(parts.password) if parts.password is not None else None
    if user is not None and SCHEMES[scheme][1] is None:
        raise DigestError("--smtp: a login over smtp:// would send the password in the clear; "
                          "use smtp+starttls:// or smtps://")
    return scheme, parts.hostname, port, user, password
