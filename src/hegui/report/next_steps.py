"""What clears an open or overdue duty: what to do and where (the catalogue's `next_step`), and the
compliance record that shows it done (manifest.md: a record names its obligation and subject).

Every view words it from here, so the terminal, the JSON and the reports cannot drift apart.
"""

from __future__ import annotations

from hegui.engine import Finding
from hegui.report.i18n import t
from hegui.report.reasons import citation_text
from hegui.rulebook.decision import APPLIES

# What a reader writes in place of the date the duty was done.
DONE_ON = "YYYY-MM-DD"


def needs_action(f: Finding) -> bool:
    """A duty that applies and is not yet shown done."""
    return f.status == APPLIES and f.compliance in ("open", "overdue")


def record_text(f: Finding) -> str:
    """The manifest's `compliance:` entry that shows the duty done, as one line of YAML."""
    return f"- {{obligation: {f.obligation}, subject: {f.subject}, done_on: {DONE_ON}}}"


def next_step(f: Finding, rulebook, lang: str = "en") -> dict | None:
    """For a duty that needs action: what to do and where (`do`), the article naming the authority
    (`source`, or None), and the record to add (`record`); None for every other finding."""
    if not needs_action(f):
        return None
    ob = rulebook.obligations.get(f.obligation)
    step = ob.next_step if ob is not None else None
    source = None
    if step is not None and step.instrument is not None:
        i = step.instrument
        source = citation_text({"short": i.short, "instrument_zh": i.title_zh, "article": step.article}, lang) \
            if step.article else t("next_step.instrument", lang, title=i.short if lang == "en" else i.title_zh)
    return {"do": (step.en if lang == "en" else step.zh) if step is not None else None,
            "source": source,
            "record": {"obligation": f.obligation, "subject": f.subject, "done_on": DONE_ON},
            "record_line": record_text(f)}


def next_step_lines(f: Finding, rulebook, lang: str = "en") -> list[str]:
    """The next step in words: what to do and where, then how to record it; [] when none is due."""
    step = next_step(f, rulebook, lang)
    if step is None:
        return []
    lines = []
    if step["do"]:
        lines.append(t("next_step.do_cited" if step["source"] else "next_step.do", lang, do=step["do"],
                       source=step["source"]))
    lines.append(t("next_step.record", lang, record=record_text(f)))
    return lines
