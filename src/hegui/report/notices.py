"""Notices (engine/notices.py) in words: each code's message in the reader's language.

A clause a notice names is shown by walking its tree with the values it read (report/reasons.py
`with_values`), as explanations show conditions; never by pasting values into its source text.
"""

from __future__ import annotations

from hegui.calendar.working_days import caveat_zh
from hegui.engine.notices import Notice
from hegui.report.values import show
from hegui.lang.evaluate import Context
from hegui.report.deadlines import parts_text
from hegui.report.i18n import t
from hegui.report.reasons import article_text, with_values
from hegui.rulebook.model import in_lang

# Text that is data of its own (a rule version's `warnings:`, a calendar year's caveat), shown as
# written: a calendar caveat in Chinese as its year file gives it (`warning_zh`).
AS_WRITTEN = ("rule", "calendar")


def notice_text(n: Notice, lang: str = "en") -> str:
    if n.code in AS_WRITTEN:
        text = in_lang(n.get("text"), lang)
        return (caveat_zh(text) or text) if n.code == "calendar" and lang == "zh" else text
    fields = n.fields
    if n.code == "unverified_rule":
        note = in_lang(fields["note"], lang)
        return t("notice.unverified_rule", lang, note=note) if note else t("notice.unverified_rule_no_note", lang)
    if n.code == "derived":
        at_most = fields.pop("at_most")
        fields["bounds"] = t("notice.bounds", lang, at_least=show(fields.pop("at_least")),
                             at_most=t("notice.no_upper_bound", lang) if at_most is None else show(at_most))
    elif n.code == "unverified_rules":
        fields["obligations"] = ", ".join(fields["obligations"])
    elif n.code == "activity_contradicted":
        fields["given"] = ", ".join(fields["given"])
    elif n.code == "exports_without_transfers":
        fields["counts"] = ", ".join(f"{path} {show(value)}" for path, value in fields["counts"])
    if isinstance(fields.get("basis"), tuple):
        fields["basis"] = parts_text(fields["basis"], lang)
    if "clause" in fields:
        ctx = Context(dict(fields.pop("facts")), dict(fields.pop("parameters")))
        fields["clause"] = with_values(fields["clause"], ctx)
    return t(f"notice.{n.code}", lang, **fields)


def texts(notices, lang: str = "en") -> list[str]:
    """Notices in words, in order."""
    return [notice_text(n, lang) for n in notices]


def open_case(says: str, open_if: dict | None, lang: str = "en") -> str:
    """A rule's own words for a case, with its condition and the facts it needs when left open."""
    says = in_lang(says, lang)
    if open_if is None:
        return says
    return t("notice.open_case", lang, says=says, when=open_if["when"], needs=", ".join(open_if["needs"]))


def standing_text(f, lang: str = "en") -> str | None:
    """The finding's standing duty in words, or None."""
    return None if f.standing_duty is None else open_case(f.standing_duty, f.standing_open, lang)


def penalty_shown(p: dict | None, lang: str = "en") -> dict | None:
    """The penalty as the JSON gives it: `says` worded with its open case, if any, in the language;
    in Chinese the article's label beside it (`article_zh`)."""
    if p is None:
        return None
    out = {k: v for k, v in p.items() if k != "open_if"}
    out["says"] = open_case(p["says"], p.get("open_if"), lang)
    if lang == "zh":
        out["article_zh"] = article_text(p["article"], lang)
    return out
