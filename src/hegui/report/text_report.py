"""Human views in the terminal: the assessment grouped by status, one finding explained, the rules."""

from __future__ import annotations

import datetime
import shutil
import sys

from rich.console import Console, Group
from rich.padding import Padding
from rich.text import Text

from hegui.engine import Assessment, Finding
from hegui.report.next_steps import next_step_lines
from hegui.report.values import show
from hegui.report.notices import open_case, standing_text, texts
from hegui.report.deadlines import basis_text, day_step_text
from hegui.report.reasons import article_text, citation_text, reason, step_text, steps
from hegui.report.i18n import t
from hegui.rulebook import Rulebook
from hegui.rulebook.decision import APPLIES, DOES_NOT_APPLY, NOT_IN_FORCE, UNKNOWN
from hegui.rulebook.model import in_lang

HEADINGS = {
    APPLIES: ("status.applies", "bold red"),
    UNKNOWN: ("status.unknown", "bold yellow"),
    DOES_NOT_APPLY: ("status.does_not_apply", "green"),
    NOT_IN_FORCE: ("status.not_in_force", "dim"),
}
COMPLIANCE = {"satisfied": "compliance.satisfied", "open": "compliance.open", "overdue": "compliance.overdue"}
REVIEW = {"verified": "review.verified", "unverified": "review.unverified"}
# Trace roles whose test text is hegui's own (in force, the event that fixes the date), not a rule's.
OWN_WORDS = ("in_force", "event")
MARKS = {True: "view.mark.yes", False: "view.mark.no", None: "view.mark.unknown"}
INDENT = 6            # the lines under a finding's heading


def late_text(f: Finding, lang: str = "en") -> str | None:
    """The late marker of a duty satisfied by a record dated after its deadline, or None."""
    done = f.compliance_detail
    return t("compliance.late", lang, date=done.done_on) if done and done.late else None


def compliance_text(f: Finding, lang: str = "en") -> str:
    """The compliance state in the language, with the late marker where there is one."""
    if not f.compliance:
        return "-"
    late = late_text(f, lang)
    state = label(COMPLIANCE, f.compliance, lang)
    return t("compliance.with_late", lang, state=state, late=late) if late else state


def label(table: dict, value, lang: str) -> str:
    """A status, compliance or review value in the language (as it is when it has no message)."""
    return t(table[value], lang) if value in table else str(value)


def title_of(f_or_row, lang: str = "en") -> str:
    """The obligation's title in the language (a finding or a rules row)."""
    get = f_or_row.get if isinstance(f_or_row, dict) else lambda k: getattr(f_or_row, k)
    return get("title") if lang == "en" else get("title_zh")


def indented(text: str | Text, indent: int = INDENT, style: str = "") -> Padding:
    """A line under a heading: on a terminal it wraps at the width, its continuation under its start."""
    return Padding(text if isinstance(text, Text) else Text(text, style=style), (0, 0, 0, indent), expand=False)


def assessment_view(a: Assessment, lang: str = "en") -> Group:
    """Findings grouped by status, each as `finding_block` shows it."""
    parts = [Text.assemble(("hegui ", "bold"), t("view.assess.heading", lang, organisation=a.organisation,
                                                 as_of=a.as_of),
                           (t("view.assess.rulebook", lang, version=a.rulebook.version), "dim"))]
    for status, (heading, style) in HEADINGS.items():
        findings = [f for f in a.findings if f.status == status]
        if not findings:
            continue
        parts.append(Text(""))
        parts.append(Text(t("view.assess.count", lang, heading=t(heading, lang), count=len(findings)), style=style))
        for f in findings:
            parts += finding_block(f, a.rulebook, lang)
    parts.append(Text(""))
    for w in texts(a.warnings, lang):
        parts.append(indented(t("view.warning", lang, text=w), 0, "yellow"))
    parts.append(indented(t("notice", lang), 0, "dim"))
    return Group(*parts)


def finding_block(f: Finding, rulebook: Rulebook, lang: str = "en") -> list:
    """A finding in the terminal views (assess, check): its id and title, then under them the
    subject (with the deadline and compliance of a duty that applies), the reason, what clears an
    open or overdue duty, and the finding's warnings."""
    heading = indented(Text.assemble((f.obligation, "bold"), f"  {title_of(f, lang)}"), 2)
    where = Text(f.subject)
    if f.status == APPLIES:
        where.append(t("view.assess.due", lang, date=deadline_text(f, lang)))
        if f.compliance:
            where.append(f"  {compliance_text(f, lang)}", style=COMPLIANCE_STYLE.get(f.compliance, ""))
    lines = [heading, indented(where), indented(reason(f, rulebook, lang), style="dim" if f.status != APPLIES else "")]
    lines += [indented(line, style="cyan") for line in next_step_lines(f, rulebook, lang)]
    lines += [indented(f"! {w}", style="yellow") for w in texts(f.warnings, lang)]
    return lines


def check_view(a: Assessment, strict: bool, found: list[Finding], lang: str = "en") -> Group:
    """`hegui check`: the duties that fail the check, each as `assess` shows it."""
    what = t("check.overdue_or_open" if strict else "check.overdue", lang)
    if not found:
        return Group(indented(t("check.none", lang, what=what, as_of=a.as_of), 0))
    parts = [indented(t("check.found", lang, count=len(found), what=what, as_of=a.as_of), 0)]
    for f in found:
        parts += finding_block(f, a.rulebook, lang)
    return Group(*parts)


COMPLIANCE_STYLE = {"overdue": "bold red", "open": "yellow", "satisfied": "green"}


def deadline_text(f: Finding, lang: str = "en") -> str:
    """The deadline as the views show it: a date, "continuing" for a standing duty, or "-"."""
    if f.deadline is None:
        return t("deadline.continuing", lang) if f.standing_duty else "-"
    return str(f.deadline.date) if f.deadline.date else t("deadline.needs_facts", lang)


def weekday(day: datetime.date, lang: str = "en") -> str:
    return t("weekdays", lang).split()[day.weekday()]


def explain_view(f: Finding, as_of: datetime.date, lang: str = "en", *, rulebook: Rulebook) -> Group:
    c = f.citation
    lines = [
        Text.assemble((f"{f.obligation}", "bold"), t("view.explain.on", lang, subject=f.subject, as_of=as_of)),
        Text(f.title if lang == "en" else f.title_zh),
        Text.assemble((t("view.explain.status", lang), "bold"),
                      (label(HEADINGS_SHORT, f.status, lang) if lang != "en" else f.status, HEADINGS[f.status][1]),
                      t("view.explain.compliance", lang, compliance=compliance_text(f, lang),
                        review=label(REVIEW, f.review, lang))),
        Text(t("view.explain.governing", lang, instrument=c["instrument"], instrument_zh=c["instrument_zh"],
               document=c["document"] or "", version=c["version"], in_force=c["in_force"],
               citation=citation_text(c, lang))),
        Text(t("view.explain.judged_on", lang, day=f.judged_on)),
        Text(""),
        Text(t("view.explain.reasoning", lang), style="bold"),
    ]
    for step in steps(f, rulebook, lang):
        mark = t(MARKS[step.value], lang) if step.value in MARKS else str(step.value)
        role = t(ROLES[step.role], lang, article=article_text(step.article, lang))
        test, sentence = step_text(step), step.sentence
        if lang != "en" and step.role in OWN_WORDS and sentence:
            # These steps' tests are hegui's own English, not a rule's condition: the sentence says
            # the same in the reader's language, with the facts it read.
            test, sentence = f"{sentence} [{', '.join(step.facts)}]" if step.facts else sentence, None
        lines.append(indented(t("view.explain.step", lang, mark=mark, role=role, test=test), 2))
        if sentence:
            lines.append(indented(f"= {sentence}", 8))
        if step.says:
            lines.append(indented(in_lang(step.says, lang), 8, "dim"))
        for name, p in step.parameters.items():
            wording = t("view.explain.worded", lang, wording=p["wording"]) if p["wording"] else ""
            lines.append(indented(t("view.explain.parameter", lang, name=name, value=show(p["value"]),
                                    article=article_text(p["article"], lang), wording=wording), 8, "dim"))
    if f.missing_facts:
        lines += [Text(""), indented(t("view.explain.missing", lang, facts=", ".join(f.missing_facts)), 0, "yellow")]
    if f.deadline is not None:
        lines += [Text(""), Text(t("view.explain.deadline", lang,
                                   date=f.deadline.date or t("view.explain.no_date", lang),
                                   basis=basis_text(f.deadline, lang)),
                                 style="bold")]
        if f.deadline.says:
            lines.append(indented(in_lang(f.deadline.says, lang), 2, "dim"))
        for s in f.deadline.steps:
            lines.append(Text("  " + t("view.explain.day", lang, date=s.date, weekday=weekday(s.date, lang),
                                       text=day_step_text(s, lang)), style="dim"))
    elif f.standing_duty and f.status == APPLIES:
        lines += [Text(""), Text(t("view.explain.standing", lang, text=standing_text(f, lang)), style="bold")]
    clears = next_step_lines(f, rulebook, lang)
    if clears:
        lines += [Text("")] + [indented(line, 0, "cyan") for line in clears]
    if f.penalty:
        lines += [Text(""), Text(t("view.explain.penalty", lang, article=article_text(f.penalty["article"], lang),
                                   ceiling=penalty_text(f.penalty, lang)), style="bold"),
                  indented(open_case(f.penalty['says'], f.penalty.get('open_if'), lang), 2, "dim")]
    if f.note:
        lines += [Text(""), indented(t("view.explain.note", lang, text=in_lang(f.note, lang)), 0, "dim")]
    for w in texts(f.warnings, lang):
        lines.append(Text(t("view.warning", lang, text=w), style="yellow"))
    lines += [Text(""), Text(t("notice", lang), style="dim")]
    return Group(*lines)


HEADINGS_SHORT = {APPLIES: "status.applies", UNKNOWN: "view.mark.unknown",
                  DOES_NOT_APPLY: "status.does_not_apply", NOT_IN_FORCE: "status.not_in_force"}
ROLES = {"condition": "view.role.condition", "exemption": "view.role.exemption", "event": "view.role.event",
         "transitional": "view.role.transitional", "in_force": "view.role.in_force"}


def penalty_text(p: dict, lang: str = "en") -> str:
    """The most the law allows as a fine: a sum, a share of turnover (with its figure), or both."""
    ceiling = [t("view.explain.rmb", lang, amount=f"{p['max_rmb']:,}")] if p.get("max_rmb") else []
    if p.get("max_turnover_share") is not None:
        share = t("view.explain.turnover_share", lang, share=f"{float(p['max_turnover_share']):.0%}")
        if p.get("turnover_based_max_rmb") is not None:
            share += t("view.explain.turnover_based", lang, amount=f"{p['turnover_based_max_rmb']:,}",
                       fact=p["turnover_fact"], turnover=f"{p['turnover_rmb']:,}")
        ceiling.append(share)
    return t("view.explain.or", lang).join(ceiling)


def rules_rows(rulebook: Rulebook, as_of: datetime.date | None, search: str | None) -> list[dict]:
    rows = []
    for ob in rulebook.obligations.values():
        text = f"{ob.id} {ob.title} {ob.title_zh} " + " ".join(
            f"{v.instrument.title} {v.instrument.title_zh} {v.instrument.short}" for v in ob.versions)
        if search and search.lower() not in text.lower():
            continue
        current = ob.version_on(as_of) if as_of else ob.versions[-1] if ob.versions else None
        rows.append({
            "obligation": ob.id,
            "subject": ob.subject,
            "title": ob.title,
            "title_zh": ob.title_zh,
            "in_force_from": ob.in_force_from.isoformat() if ob.versions else None,
            "in_force_until": ob.in_force_until.isoformat() if ob.versions and ob.in_force_until else None,
            "in_force_on_as_of": (current is not None) if as_of else None,
            "governing": ({"instrument": current.instrument.short, "article": current.article,
                           "from": current.start.isoformat(), "review": current.review} if current else None),
            "versions": [{"from": v.start.isoformat(), "until": v.end.isoformat() if v.end else None,
                          "instrument": v.instrument.title, "instrument_zh": v.instrument.title_zh,
                          "short": v.instrument.short,
                          "article": v.article, "review": v.review, "confidence": v.confidence}
                         for v in ob.versions],
        })
    return rows


def rules_view(rows: list[dict], rulebook: Rulebook, as_of: datetime.date | None, lang: str = "en") -> Group:
    """Each obligation with its in-force window, then one line per dated version."""
    title = t("view.rules.title", lang, version=rulebook.version, count=len(rows)) + \
        (t("view.rules.as_of", lang, as_of=as_of) if as_of else "")
    parts = [Text(title, style="bold"), Text("")]
    for r in rows:
        window = t("view.rules.window", lang, start=r["in_force_from"]) + \
            (f" {r['in_force_until']}" if r["in_force_until"] else "")
        if as_of and not r["in_force_on_as_of"]:
            window += t("view.rules.not_in_force", lang, as_of=as_of)
        parts.append(indented(Text.assemble((r["obligation"], "bold"), f"  {title_of(r, lang)}  ", r["subject"],
                                            "  ", (window, "dim")), 0))
        for v in r["versions"]:
            current = r["governing"] and r["governing"]["from"] == v["from"] and as_of
            review = Text(label(REVIEW, v["review"], lang), style="yellow" if v["review"] == "unverified" else "green")
            where = citation_text({"short": v["short"], "instrument_zh": v["instrument_zh"],
                                   "article": v["article"]}, lang)
            parts.append(indented(Text.assemble(("> " if current else "  "), f"{v['from']}  {where}  ", review,
                                                f" ({v['confidence']})"), 4))
    if rulebook.uncovered:
        parts.append(indented(t("view.rules.uncovered", lang, ids=", ".join(rulebook.uncovered)), 0, "yellow"))
    parts.append(Text(t("view.rules.digest", lang, digest=rulebook.digest), style="dim"))
    return Group(*parts)


def console(stderr: bool = False) -> Console:
    """Where the views print. A terminal wraps at its width between words, so an id, a date or a
    number is never split; piped output is not wrapped at all (a reader's tools wrap it, or not)."""
    stream = sys.stderr if stderr else sys.stdout
    # The terminal's own width (or $COLUMNS): rich would take 80 for any TERM=dumb terminal.
    width, height = shutil.get_terminal_size() if stream.isatty() else (UNWRAPPED, 25)
    return Console(stderr=stderr, soft_wrap=False, highlight=False, width=width, height=height)


UNWRAPPED = 1_000_000   # columns: wider than any line a view prints
