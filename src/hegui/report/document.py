"""What the markdown and HTML reports show, worked out once from an assessment and a language.

The templates (report/templates/) only lay it out: every word comes from the messages
(report/messages/*.yaml) or from the rulebook's own titles, so the Chinese report uses the
official Chinese titles of the instruments and obligations.
"""

from __future__ import annotations

import datetime

from hegui import __version__
from hegui.engine import Assessment, Finding
from hegui.report.deadlines import basis_text
from hegui.report.next_steps import next_step, record_text
from hegui.report.notices import texts
from hegui.report.reasons import citation_text, reason
from hegui.rulebook.decision import STATUSES
from hegui.report.i18n import t
from hegui.report.text_report import COMPLIANCE, HEADINGS, deadline_text, label, late_text
from hegui.rulebook.decision import APPLIES

COMPLIANCE_ORDER = ("overdue", "open", "satisfied")


def finding_item(f: Finding, lang: str, rulebook) -> dict:
    c = f.citation
    deadline = None
    if f.status == APPLIES:
        date = deadline_text(f, lang)
        deadline = {"date": date,
                    "text": t("report.deadline_basis", lang, date=date, basis=basis_text(f.deadline, lang))
                    if f.deadline is not None else date}
    return {
        "obligation": f.obligation,
        "subject": f.subject,
        "status": f.status,
        "title": f.title if lang == "en" else f.title_zh,
        "compliance": f.compliance,
        "compliance_label": label(COMPLIANCE, f.compliance, lang) if f.compliance else None,
        "late": late_text(f, lang),
        "deadline": deadline,
        "reason": reason(f, rulebook, lang),
        "citation": citation_text(c, lang),
        "citation_detail": t("report.citation_detail", lang, document=c["document"] or c["short"],
                             version=c["version"], in_force=c["in_force"]),
        "missing_facts": f.missing_facts,
        "warnings": texts(f.warnings, lang),
        "next_step": next_step(f, rulebook, lang),
        "record": record_text(f),
        "unverified": f.review == "unverified",
    }


def _sort_key(item: dict):
    """Deadlines by date; standing duties and undated ones after them."""
    date = item["deadline"]["date"]
    try:
        return (0, datetime.date.fromisoformat(date), item["obligation"])
    except ValueError:
        return (1, datetime.date.max, item["obligation"])


def report_document(a: Assessment, lang: str = "en") -> dict:
    items = [finding_item(f, lang, a.rulebook) for f in a.findings]
    sections = []
    for status in STATUSES:
        in_status = [(f, i) for f, i in zip(a.findings, items, strict=True) if f.status == status]
        groups: dict[str, dict] = {}
        for f, item in in_status:
            c = f.citation
            key = c["instrument"]
            if key not in groups:
                # The English report gives the official Chinese title too; the Chinese one no English
                # (the templates leave out an other_title equal to the title).
                groups[key] = {"title": c["instrument"] if lang == "en" else c["instrument_zh"],
                               "other_title": c["instrument_zh"], "findings": []}
            groups[key]["findings"].append(item)
        sections.append({"status": status, "heading": t(HEADINGS[status][0], lang), "count": len(in_status),
                         "instruments": list(groups.values())})
    applies = [i for i in items if i["status"] == APPLIES]
    return {
        "lang": lang,
        "html_lang": "zh-CN" if lang == "zh" else "en",
        "organisation": a.organisation,
        "as_of": a.as_of.isoformat(),
        "rulebook_version": a.rulebook.version,
        "digest": a.rulebook.digest,
        "hegui_version": __version__,
        "summary": [{"status": s["status"], "label": s["heading"], "count": s["count"]} for s in sections],
        "total": len(items),
        "obligations": len({f.obligation for f in a.findings}),
        "subjects": len({f.subject for f in a.findings}),
        "applies_count": len(applies),
        "compliance": [{"key": k, "label": t(COMPLIANCE[k], lang),
                        "count": sum(1 for i in applies if i["compliance"] == k)} for k in COMPLIANCE_ORDER],
        "deadlines": sorted(applies, key=_sort_key),
        "sections": sections,
        "warnings": texts(a.warnings, lang),
        "notice": t("notice", lang),
        "m": lambda key, **fields: t(key, lang, **fields),
    }
