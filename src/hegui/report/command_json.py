"""The JSON of the commands besides `assess` and `explain`: check, diff, calendar, rules, questions.

Both doors give these: the CLI prints them (`--format json`) and the API returns them, so they
are built here once and the two cannot drift (interface.md is the contract).
"""

from __future__ import annotations

import datetime
import json

from hegui.report.deadlines import basis_text
from hegui.report.json_report import _encode, finding_dict
from hegui.report.reasons import citation_text


def dumps(value, indent: int | None = 2) -> str:
    """JSON text with dates and derived values as the assess contract writes them; indent=None
    gives the compact form the API sends."""
    separators = (",", ":") if indent is None else None
    return json.dumps(value, ensure_ascii=False, indent=indent, separators=separators, default=_encode)


def check_dict(result, strict: bool, failing: list) -> dict:
    """`hegui check --format json`: the duties that fail the check (engine.check.failing)."""
    return {"as_of": result.as_of, "strict": strict, "findings": [finding_dict(f, rulebook=result.rulebook) for f in failing]}


def calendar_dict(result, entries: list, lang: str = "en") -> dict:
    """`hegui calendar --format json`, for engine.schedule entries: each deadline with its due date
    and the day a calendar shows it (the as-of date when overdue)."""
    return {"as_of": result.as_of, "organisation": result.organisation, "deadlines": [
        {"date": e.date, "shown_on": e.shown_on, "obligation": e.obligation, "subject": e.subject,
         "title": e.title if lang == "en" else e.title_zh, "citation": citation_text(e.citation, lang),
         "basis": basis_text(e.deadline, lang), "compliance": e.compliance, "every_years": e.every_years}
        for e in entries]}


def diff_dict(result) -> dict:
    """`hegui diff --format json`, for an engine.changes.Diff."""
    return {"from": result.start, "to": result.end, "organisation": result.after.organisation,
            "changes": [_change_dict(c) for c in result.changes],
            "rule_changes": [rule_change_dict(r) for r in result.rule_changes]}


def rule_changes_dict(start: datetime.date, end: datetime.date, changes: list) -> dict:
    """`hegui rules --changes --format json`."""
    return {"from": start, "to": end, "changes": [rule_change_dict(c) for c in changes]}


def rule_change_dict(r) -> dict:
    return {"date": r.day, "kind": r.kind, "instrument": r.instrument, "obligations": list(r.obligations),
            "article": r.article, "detail": r.detail}


def rules_dict(rulebook, rows: list) -> dict:
    """`hegui rules --format json`, for the rows of report.text_report.rules_rows."""
    return {"rulebook": {"version": rulebook.version, "digest": rulebook.digest},
            "obligations": rows, "uncovered": list(rulebook.uncovered)}


def questions_dict(result, questions: list) -> dict:
    """`hegui questions --format json`, for engine.questions.questions(result, lang)."""
    return {"as_of": result.as_of, "organisation": result.organisation,
            "questions": [q.as_dict() for q in questions]}


def _change_dict(c) -> dict:
    return {"obligation": c.obligation, "subject": c.subject, "changed": c.what,
            "before": _side(c.before), "after": _side(c.after),
            "causes": [rule_change_dict(r) for r in c.causes], "records_done_on": c.done_on}


def _side(f) -> dict:
    return {"status": f.status, "citation": f.citation, "deadline": f.deadline.date if f.deadline else None,
            "compliance": f.compliance}
