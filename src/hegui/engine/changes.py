"""What changes between two dates: in the rulebook, and in one organisation's findings.

The rulebook's own changes are data (versions that start or end, parameters that take a new
value); a finding changes when its status, the version that governs it, its deadline or its
compliance differs between the two dates, and the rulebook changes in between that touch its
obligation are named as the cause, as are the compliance records dated in between.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from hegui.engine.assess import Assessment, assess
from hegui.engine.finding import Finding
from hegui.manifest.model import Manifest
from hegui.rulebook import Rulebook, default_rulebook
from hegui.rulebook.model import cite


@dataclass(frozen=True)
class RuleChange:
    day: datetime.date
    kind: str                 # takes_effect | ends | threshold
    instrument: str           # short name
    obligations: tuple[str, ...]
    article: str
    detail: str
    # The same as data, for views in other languages (report/changes.py): the citation of the
    # version concerned (or of the parameter's new value), the version it replaces, and a
    # parameter's name with its old and new values.
    citation: dict | None = None
    replaces: dict | None = None
    parameter: str | None = None
    values: tuple = ()


@dataclass
class FindingChange:
    obligation: str
    subject: str
    before: Finding
    after: Finding
    what: list[str]                       # status | version | deadline | compliance
    causes: list[RuleChange] = field(default_factory=list)
    done_on: list[datetime.date] = field(default_factory=list)   # its compliance records dated in between


@dataclass
class Diff:
    start: datetime.date
    end: datetime.date
    changes: list[FindingChange]
    rule_changes: list[RuleChange]
    before: Assessment
    after: Assessment


def rule_changes(start: datetime.date, end: datetime.date, rulebook: Rulebook | None = None) -> list[RuleChange]:
    """Every change in the rulebook that takes effect after `start` and on or before `end`."""
    rulebook = rulebook or default_rulebook()
    out = []
    for ob in rulebook.obligations.values():
        for i, v in enumerate(ob.versions):
            if start < v.start <= end:
                previous = ob.versions[i - 1] if i else None
                verb = f"replaces {cite(previous.instrument.short, previous.article)}" if previous else "takes effect"
                out.append(RuleChange(v.start, "takes_effect", v.instrument.short, (ob.id,), v.article,
                                      f"{ob.id}: {cite(v.instrument.short, v.article)} {verb}",
                                      v.citation, previous.citation if previous else None))
        last = ob.versions[-1]
        if last.end is not None and start < last.end <= end:
            out.append(RuleChange(last.end, "ends", last.instrument.short, (ob.id,), last.article,
                                  f"{ob.id}: {cite(last.instrument.short, last.article)} no longer in force",
                                  last.citation))
    for name, values in rulebook.parameters.items():
        for earlier, later in zip(values, values[1:], strict=False):
            if start < later.start <= end:
                source = rulebook.instruments[later.instrument]
                instrument = source.short
                users = tuple(sorted(_users_of(rulebook, name)))
                out.append(RuleChange(later.start, "threshold", instrument, users, later.article,
                                      f"{name}: {earlier.value:,} -> {later.value:,} "
                                      f"({cite(instrument, later.article)}; used by "
                                      f"{', '.join(users) or 'no obligation'})",
                                      {"short": instrument, "instrument_zh": source.title_zh, "article": later.article},
                                      parameter=name, values=(earlier.value, later.value)))
    return sorted(out, key=lambda c: (c.day, c.obligations, c.detail))


def _users_of(rulebook: Rulebook, parameter: str) -> set[str]:
    return {ob.id for ob in rulebook.obligations.values() for v in ob.versions
            for c in (*v.applies_when, *v.unless) if parameter in c.parameters}


def diff(manifest: Manifest, start: datetime.date, end: datetime.date,
         rulebook: Rulebook | None = None, source: str = "<manifest>") -> Diff:
    rulebook = rulebook or default_rulebook()
    return diff_of(manifest, assess(manifest, start, rulebook, source), assess(manifest, end, rulebook, source))


def diff_of(manifest: Manifest, before: Assessment, after: Assessment) -> Diff:
    """The diff between two assessments of the manifest on one rulebook, already made (a caller
    that keeps assessments, such as the workspace's dashboard, does not make them again)."""
    start, end, rulebook = before.as_of, after.as_of, after.rulebook
    in_between = rule_changes(start, end, rulebook)
    earlier = {(f.obligation, f.subject): f for f in before.findings}
    changes = []
    for f in after.findings:
        old = earlier.get((f.obligation, f.subject))
        if old is None:
            continue
        what = what_changed(old, f)
        if what:
            causes = [c for c in in_between if f.obligation in c.obligations]
            done = _records_between(manifest, f, start, end) if "compliance" in what else []
            changes.append(FindingChange(f.obligation, f.subject, old, f, what, causes, done))
    return Diff(start, end, changes, in_between, before, after)


def what_changed(before: Finding, after: Finding) -> list[str]:
    """What differs between two findings of one obligation and subject: status, version, deadline,
    compliance (in that order; empty when nothing a reader sees changed)."""
    what = []
    if before.status != after.status:
        what.append("status")
    if before.citation != after.citation:
        what.append("version")
    if _due(before) != _due(after):
        what.append("deadline")
    if before.compliance != after.compliance:
        what.append("compliance")
    return what


def _records_between(manifest: Manifest, f: Finding, start: datetime.date, end: datetime.date) -> list:
    """The dates of the finding's compliance records after `start` and on or before `end`."""
    return sorted(r.done_on for r in manifest.compliance if (r.obligation, r.subject) == (f.obligation, f.subject)
                  and r.done_on is not None and start < r.done_on <= end)


def _due(f: Finding):
    return f.deadline.date if f.deadline is not None else None
