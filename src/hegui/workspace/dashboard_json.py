"""The dashboard (workspace/dashboard.py) as JSON, for the workspace's routes and the web page.

Codes stay codes (statuses, compliance, causes, what changed); titles, citations, deadline bases
and the facts awaited are worded in the reader's language, as `hegui calendar --format json` does.
Dates are written by report/command_json.dumps.
"""

from __future__ import annotations

from hegui.report.command_json import dumps, rule_change_dict
from hegui.report.json_report import _encode
from hegui.report.deadlines import basis_text
from hegui.report.reasons import citation_text, needed_text
from hegui.workspace.dashboard import WINDOW_DAYS, Change, Dashboard, Duty, Waiting


def dashboard_dict(dash: Dashboard, lang: str = "en") -> dict:
    """Each item names its organisation and carries its key (the store's id, for a link to its page)."""
    keys = {v.name: v.key for v in dash.organisations}
    items = {"overdue": [_duty(d, dash, lang) for d in dash.overdue],
             "due_soon": [_duty(d, dash, lang) for d in dash.due_soon],
             "waiting": [_waiting(w, lang) for w in dash.waiting],
             "changes": [_change(c, lang) for c in dash.changes]}
    for listed in items.values():
        for item in listed:
            item["organisation_key"] = keys[item["organisation"]]
    return {
        "as_of": dash.as_of, "window_days": WINDOW_DAYS, "rulebook": dash.rulebook,
        "organisations": [{"key": v.key, "name": v.name, "edits": [
            {"subject": e.subject, "fact": e.fact, "before": e.before, "after": e.after} for e in v.edits]}
            for v in dash.organisations],
        **items,
    }


def _title(item, lang: str) -> str:
    return item.title if lang == "en" else item.title_zh


def _duty(d: Duty, dash: Dashboard, lang: str) -> dict:
    e = d.entry
    return {"organisation": d.organisation, "obligation": e.obligation, "subject": e.subject,
            "title": _title(e, lang), "date": e.date, "days": (e.date - dash.as_of).days, "shown_on": e.shown_on,
            "citation": citation_text(e.citation, lang), "basis": basis_text(e.deadline, lang),
            "compliance": e.compliance, "every_years": e.every_years, "owner": d.owner}


def _waiting(w: Waiting, lang: str) -> dict:
    f = w.finding
    return {"organisation": w.organisation, "obligation": f.obligation, "subject": f.subject, "title": _title(f, lang),
            "citation": citation_text(f.citation, lang), "owner": w.owner, "waits_for": w.waits_for,
            "facts": [{"fact": path, "text": needed_text(f, path, lang), "owner": owner} for path, owner in w.facts]}


def _change(c: Change, lang: str) -> dict:
    f = c.after or c.before
    return {"organisation": c.organisation, "cause": c.cause, "obligation": c.obligation, "subject": c.subject,
            "title": _title(f, lang), "changed": list(c.what), "before": _side(c.before, lang), "after": _side(c.after, lang),
            "causes": [rule_change_dict(r) for r in c.rule_changes], "records_done_on": list(c.done_on),
            "since": c.since, "rulebooks": list(c.rulebooks) if c.rulebooks else None}


def _side(f, lang: str) -> dict | None:
    """A finding as a change shows it: what a reader compares, not its trace or citation record."""
    if f is None:
        return None
    return {"status": f.status, "citation": citation_text(f.citation, lang),
            "deadline": f.deadline.date if f.deadline else None, "compliance": f.compliance}


def encoded(value: dict) -> bytes:
    """The document as compact UTF-8 JSON (orjson: several times faster than json on a dashboard of
    many organisations), dates as report/command_json.dumps writes them; json for what orjson
    refuses (an integer past 64 bits in a fact edited)."""
    import orjson
    try:
        return orjson.dumps(value, default=_encode)
    except TypeError:
        return dumps(value, indent=None).encode("utf-8")
