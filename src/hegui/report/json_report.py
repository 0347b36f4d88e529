"""The JSON contract of `assess --format json` (interface.md)."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

from hegui import __version__
from hegui.engine import Assessment, Finding
from hegui.lang.values import Bounds
from hegui.report import NOTICE


def _encode(value):
    """What JSON makes of the values findings hold besides its own types (json's default hook)."""
    if isinstance(value, Bounds):
        return {"at_least": value.at_least, "at_most": value.at_most, "derived_from": value.source}
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def finding_dict(f: Finding) -> dict:
    deadline = None
    if f.deadline is not None:
        deadline = {"date": f.deadline.date, "basis": f.deadline.basis}
        if f.deadline.article:
            deadline["article"] = f.deadline.article
        if f.deadline.recurring:
            deadline["recurring"] = True
        if f.deadline.says:
            deadline["says"] = f.deadline.says
    because = []
    for step in f.because:
        item = {"test": " ".join(step.test.split()), "value": step.value, "facts": step.facts, "role": step.role}
        if step.parameters:
            item["parameters"] = step.parameters
        if step.article:
            item["article"] = step.article
        if step.says:
            item["says"] = step.says
        because.append(item)
    out = {
        "obligation": f.obligation,
        "subject": f.subject,
        "status": f.status,
        "title": f.title,
        "citation": f.citation,
        "review": f.review,
        "deadline": deadline,
        "compliance": f.compliance,
        "missing_facts": f.missing_facts,
        "because": because,
        "reason": f.reason,
        "judged_on": f.judged_on,
        "warnings": f.warnings,
    }
    if f.standing_duty and f.status == "applies":
        out["standing_duty"] = f.standing_duty
    if f.penalty and f.status in ("applies", "unknown"):
        out["penalty"] = f.penalty
    return out


def assessment_dict(a: Assessment) -> dict:
    return {
        "hegui": __version__,
        "rulebook": {"version": a.rulebook.version, "digest": a.rulebook.digest},
        "as_of": a.as_of.isoformat(),
        "organisation": a.organisation,
        "findings": [finding_dict(f) for f in a.findings],
        "warnings": a.warnings,
        "notice": NOTICE,
    }


def render_json(a: Assessment, indent: int | None = 2) -> str:
    """The JSON text; indent=None gives compact output through json's C encoder."""
    return json.dumps(assessment_dict(a), ensure_ascii=False, indent=indent, default=_encode)


def render_finding_json(f: Finding, indent: int | None = 2) -> str:
    return json.dumps(finding_dict(f), ensure_ascii=False, indent=indent, default=_encode)
