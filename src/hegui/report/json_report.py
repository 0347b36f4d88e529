"""The JSON contract of `assess --format json` (interface.md).

With lang="zh" the same keys carry Chinese: titles, reasons, notices and the rule files' own
text (`says`, `standing_duty`, a penalty's `says`) from their `*_zh` fields. An `article` stays the
rule file's identifier in every language ("26 (PIPL Art. 53)", "7(2)"); in Chinese an `article_zh`
beside it gives its label as the views show it ("第26条（《个人信息保护法》第53条）", "第7条第（二）项").
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

from hegui import __version__
from hegui.engine import Assessment, Finding
from hegui.lang.values import Bounds
from hegui.report.next_steps import next_step
from hegui.report.notices import penalty_shown, standing_text, texts
from hegui.report.deadlines import basis_text
from hegui.report.reasons import article_text, citation_text, reason, steps
from hegui.report.i18n import t
from hegui.rulebook.decision import APPLIES, UNKNOWN
from hegui.rulebook.model import in_lang


def _encode(value):
    """What JSON makes of the values findings hold besides its own types (json's default hook)."""
    if isinstance(value, Bounds):
        out = {"at_least": value.at_least, "at_most": value.at_most}
        if value.source:
            out["items"], out["derived_from"] = value.source
        return out
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _article(out: dict, article, lang: str) -> None:
    """An article where the JSON names one: the identifier, and in Chinese its label beside it."""
    out["article"] = article
    if lang == "zh":
        out["article_zh"] = article_text(article, lang)


def finding_dict(f: Finding, lang: str = "en", *, rulebook) -> dict:
    deadline = None
    if f.deadline is not None:
        deadline = {"date": f.deadline.date, "basis": basis_text(f.deadline, lang)}
        if f.deadline.article:
            _article(deadline, f.deadline.article, lang)
        if f.deadline.recurring:
            deadline["recurring"] = True
        if f.deadline.says:
            deadline["says"] = in_lang(f.deadline.says, lang)
    because, said = [], {}
    for step in steps(f, rulebook, lang, said):
        item = {"test": " ".join(step.test.split()), "value": step.value, "facts": step.facts, "role": step.role}
        if step.sentence:
            item["sentence"] = step.sentence   # the test as a sentence about the subject, in `lang`
        if step.parameters:
            item["parameters"] = step.parameters
            if lang == "zh":
                item["parameters"] = {name: {**p, "article_zh": article_text(p["article"], lang)}
                                      for name, p in step.parameters.items()}
        if step.article:
            _article(item, step.article, lang)
        if step.says:
            item["says"] = in_lang(step.says, lang)
        because.append(item)
    # `text` is the citation as every view words it (report/reasons.py citation_text), so the web
    # page does not word it a second time.
    citation = {**f.citation, "text": citation_text(f.citation, lang)}
    if lang == "zh":
        citation["article_zh"] = article_text(citation["article"], lang)
    out = {
        "obligation": f.obligation,
        "subject": f.subject,
        "status": f.status,
        "title": f.title if lang == "en" else f.title_zh,
        "citation": citation,
        "review": f.review,
        "deadline": deadline,
        "compliance": f.compliance,
        "compliance_detail": f.compliance_detail.to_dict() if f.compliance_detail else None,
        "missing_facts": f.missing_facts,
        "because": because,
        "reason": reason(f, rulebook, lang, said),
        "judged_on": f.judged_on,
        "warnings": texts(f.warnings, lang),
        "next_step": next_step(f, rulebook, lang),
    }
    if f.standing_duty and f.status == APPLIES:
        out["standing_duty"] = standing_text(f, lang)
    if f.penalty and f.status in (APPLIES, UNKNOWN):
        out["penalty"] = penalty_shown(f.penalty, lang)
    return out


def assessment_dict(a: Assessment, lang: str = "en") -> dict:
    """The contract's document. With lang="zh" the same keys carry Chinese titles, reasons and notice."""
    out = {
        "hegui": __version__,
        "rulebook": {"version": a.rulebook.version, "digest": a.rulebook.digest},
        "as_of": a.as_of.isoformat(),
        "organisation": a.organisation,
        "findings": [finding_dict(f, lang, rulebook=a.rulebook) for f in a.findings],
        "warnings": texts(a.warnings, lang),
        "notice": t("notice", lang),
    }
    if lang != "en":
        out["lang"] = lang
    return out


def render_json(a: Assessment, indent: int | None = 2, lang: str = "en") -> str:
    """The JSON text; indent=None gives compact output through json's C encoder."""
    return json.dumps(assessment_dict(a, lang), ensure_ascii=False, indent=indent, default=_encode)


def render_finding_json(f: Finding, indent: int | None = 2, lang: str = "en", *, rulebook) -> str:
    return json.dumps(finding_dict(f, lang, rulebook=rulebook), ensure_ascii=False, indent=indent, default=_encode)
