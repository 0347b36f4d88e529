"""Human views in the terminal: the assessment grouped by status, one finding explained, the rules."""

from __future__ import annotations

import datetime

from rich.console import Console, Group
from rich.text import Text

from hegui.engine import Assessment, Finding
from hegui.engine.explain_text import citation_text, show, step_text
from hegui.report import NOTICE
from hegui.rulebook import Rulebook

HEADINGS = {
    "applies": ("Applies", "bold red"),
    "unknown": ("Unknown: facts needed", "bold yellow"),
    "does_not_apply": ("Does not apply", "green"),
    "not_in_force": ("Not in force on this date", "dim"),
}


def assessment_view(a: Assessment) -> Group:
    """Findings grouped by status; each on one line with its one-line reason under it."""
    parts = [Text.assemble(("hegui ", "bold"), f"assessment of {a.organisation} on {a.as_of}",
                           (f"  rulebook {a.rulebook.version}", "dim"))]
    for status, (heading, style) in HEADINGS.items():
        findings = [f for f in a.findings if f.status == status]
        if not findings:
            continue
        parts.append(Text(""))
        parts.append(Text(f"{heading} ({len(findings)})", style=style))
        for f in findings:
            head = Text.assemble("  ", (f.obligation, "bold"), f"  {f.subject}")
            if status == "applies":
                head.append(f"  due {_deadline(f)}")
                if f.compliance:
                    head.append(f"  {f.compliance}", style=COMPLIANCE_STYLE.get(f.compliance, ""))
            parts.append(head)
            parts.append(Text(f"      {f.reason}", style="dim" if status != "applies" else ""))
            for w in f.warnings:
                parts.append(Text(f"      ! {w}", style="yellow"))
    parts.append(Text(""))
    for w in a.warnings:
        parts.append(Text(f"warning: {w}", style="yellow"))
    parts.append(Text(NOTICE, style="dim"))
    return Group(*parts)


COMPLIANCE_STYLE = {"overdue": "bold red", "open": "yellow", "satisfied": "green"}


def _deadline(f: Finding) -> str:
    if f.deadline is None:
        return "continuing" if f.standing_duty else "-"
    return str(f.deadline.date) if f.deadline.date else "needs facts"


def explain_view(f: Finding, as_of: datetime.date) -> Group:
    c = f.citation
    lines = [
        Text.assemble((f"{f.obligation}", "bold"), f"  on {f.subject}  as of {as_of}"),
        Text(f.title),
        Text.assemble(("status: ", "bold"), (f.status, HEADINGS[f.status][1]),
                      f"   compliance: {f.compliance or '-'}   review: {f.review}"),
        Text(f"governing version: {c['instrument']} ({c['instrument_zh']}), "
             f"{c['document'] or ''} promulgated {c['version']}, this version in force from {c['in_force']}; "
             f"{citation_text(c)}"),
        Text(f"judged on: {f.judged_on}"),
        Text(""),
        Text("reasoning:", style="bold"),
    ]
    for step in f.because:
        mark = {True: "yes", False: "no", None: "unknown"}.get(step.value, str(step.value))
        label = {"condition": "condition", "exemption": f"exemption ({_article(step.article)})",
                 "event": "event", "transitional": "transitional", "in_force": "in force"}[step.role]
        lines.append(Text(f"  [{mark}] {label}: {step_text(step)}"))
        if step.says:
            lines.append(Text(f"        {step.says}", style="dim"))
        for name, p in step.parameters.items():
            wording = f", worded {p['wording']}" if p["wording"] else ""
            lines.append(Text(f"        {name} = {show(p['value'])} ({_article(p['article'])}{wording})",
                              style="dim"))
    if f.missing_facts:
        lines += [Text(""), Text(f"facts that would decide it: {', '.join(f.missing_facts)}", style="yellow")]
    if f.deadline is not None:
        lines += [Text(""), Text(f"deadline: {f.deadline.date or 'cannot be computed'} — {f.deadline.basis}",
                                 style="bold")]
        if f.deadline.says:
            lines.append(Text(f"  {f.deadline.says}", style="dim"))
        for day, note in f.deadline.steps:
            lines.append(Text(f"  {day} {day:%a}: {note}", style="dim"))
    elif f.standing_duty and f.status == "applies":
        lines += [Text(""), Text(f"standing duty: {f.standing_duty}", style="bold")]
    if f.penalty:
        p = f.penalty
        ceiling = [f"RMB {p['max_rmb']:,}"] if p.get("max_rmb") else []
        if p.get("max_turnover_share") is not None:
            share = f"{float(p['max_turnover_share']):.0%} of turnover"
            if p.get("turnover_based_max_rmb") is not None:
                share += f" (RMB {p['turnover_based_max_rmb']:,} on {p['turnover_fact']} {p['turnover_rmb']:,})"
            ceiling.append(share)
        lines += [Text(""), Text(f"maximum penalty ({p['article']}): {' or '.join(ceiling)}", style="bold"),
                  Text(f"  {p['says']}", style="dim")]
    if f.note:
        lines += [Text(""), Text(f"note: {' '.join(f.note.split())}", style="dim")]
    for w in f.warnings:
        lines.append(Text(f"warning: {w}", style="yellow"))
    lines += [Text(""), Text(NOTICE, style="dim")]
    return Group(*lines)


def _article(article: str | None) -> str:
    return f"Art. {article}" if article and article[:1].isdigit() else (article or "")


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
            "in_force_from": ob.in_force_from.isoformat() if ob.versions else None,
            "in_force_until": ob.in_force_until.isoformat() if ob.versions and ob.in_force_until else None,
            "in_force_on_as_of": (current is not None) if as_of else None,
            "governing": ({"instrument": current.instrument.short, "article": current.article,
                           "from": current.start.isoformat(), "review": current.review} if current else None),
            "versions": [{"from": v.start.isoformat(), "until": v.end.isoformat() if v.end else None,
                          "instrument": v.instrument.title, "short": v.instrument.short,
                          "article": v.article, "review": v.review, "confidence": v.confidence}
                         for v in ob.versions],
        })
    return rows


def rules_view(rows: list[dict], rulebook: Rulebook, as_of: datetime.date | None) -> Group:
    """Each obligation with its in-force window, then one line per dated version."""
    title = f"hegui rulebook {rulebook.version}: {len(rows)} obligations" + (f", as of {as_of}" if as_of else "")
    parts = [Text(title, style="bold"), Text("")]
    for r in rows:
        window = f"in force {r['in_force_from']} –" + (f" {r['in_force_until']}" if r["in_force_until"] else "")
        if as_of and not r["in_force_on_as_of"]:
            window += f"  (not in force on {as_of})"
        parts.append(Text.assemble((r["obligation"], "bold"), f"  {r['subject']}  ", (window, "dim")))
        for v in r["versions"]:
            current = r["governing"] and r["governing"]["from"] == v["from"] and as_of
            review = Text(v["review"], style="yellow" if v["review"] == "unverified" else "green")
            parts.append(Text.assemble("    ", ("> " if current else "  "), f"{v['from']}  {v['short']} Art. "
                                       f"{v['article']}  ", review, f" ({v['confidence']})"))
    if rulebook.uncovered:
        parts.append(Text(f"in the catalogue but not yet decided by any rule: {', '.join(rulebook.uncovered)}",
                          style="yellow"))
    parts.append(Text(f"digest {rulebook.digest}", style="dim"))
    return Group(*parts)


def console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, soft_wrap=False, highlight=False)
