"""A rulebook change (engine/changes.py RuleChange) in words, in the reader's language.

The engine keeps an English `detail` for the JSON; views word the change from its data, so a
Chinese `diff` or `rules --changes` names the instruments by their Chinese titles.
"""

from __future__ import annotations

from hegui.report.i18n import t
from hegui.report.reasons import citation_text
from hegui.report.values import show


def rule_change_text(r, lang: str = "en") -> str:
    if lang == "en" or r.citation is None:
        return r.detail
    cite = citation_text(r.citation, lang)
    if r.kind == "threshold":
        return t("change.threshold", lang, parameter=r.parameter, before=show(r.values[0]), after=show(r.values[1]),
                 cite=cite, users=t("change.list_separator", lang).join(r.obligations) if r.obligations
                 else t("change.no_user", lang))
    obligation = r.obligations[0]
    if r.kind == "ends":
        return t("change.ends", lang, obligation=obligation, cite=cite)
    if r.replaces is not None:
        return t("change.replaces", lang, obligation=obligation, cite=cite,
                 before=citation_text(r.replaces, lang))
    return t("change.takes_effect", lang, obligation=obligation, cite=cite)


def finding_change_lines(c, lang: str, status, compliance) -> list[str]:
    """What changed in one finding between two dates (engine/changes.py Change): its status,
    version, deadline and compliance, each before and after. `status` and `compliance` word a
    status code and a finding's compliance as the view shows them."""
    lines = []
    if "status" in c.what:
        lines.append(t("diff.status", lang, before=status(c.before.status), after=status(c.after.status)))
    if "version" in c.what:
        lines.append(t("diff.version", lang, before=citation_text(c.before.citation, lang),
                       after=citation_text(c.after.citation, lang)))
    if "deadline" in c.what:
        lines.append(t("diff.deadline", lang, before=_due(c.before), after=_due(c.after)))
    if "compliance" in c.what:
        lines.append(t("diff.compliance", lang, before=compliance(c.before, lang), after=compliance(c.after, lang)))
    return lines


def _due(f) -> str:
    return str(f.deadline.date) if f.deadline is not None and f.deadline.date else "-"
