"""assess(manifest, as_of): every obligation in the rulebook decided for every subject.

This module orchestrates: it goes through the subjects, gives each obligation's decision tree
(rulebook/decision.py) to the walk in engine/decide.py with the subject's contexts, and makes
each finding once, with its deadline and compliance (interface.md).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from hegui.engine.aggregates import derived_counts
from hegui.engine.compliance import compliance_of, records_on
from hegui.engine.deadlines import compute_deadline
from hegui.engine.decide import decide
from hegui.engine.finding import APPLIES, NOT_IN_FORCE, UNKNOWN, Finding
from hegui.engine.notices import Notice, notice
from hegui.lang.evaluate import Context, residual
from hegui.lang.values import Bounds
from hegui.manifest.facts import subjects
from hegui.manifest.model import Manifest
from hegui.rulebook import Rulebook, default_rulebook
from hegui.rulebook.model import Obligation, Version


@dataclass
class Assessment:
    as_of: datetime.date
    organisation: str
    rulebook: Rulebook
    findings: list[Finding]
    warnings: list[Notice] = field(default_factory=list)


def assess(manifest: Manifest, as_of: datetime.date, rulebook: Rulebook | None = None,
           source: str = "<manifest>") -> Assessment:
    rulebook = rulebook or default_rulebook()
    records, later = records_on(manifest, rulebook, source, as_of)
    findings: list[Finding] = []
    everyone = subjects(manifest)
    derived = derived_counts(everyone, rulebook, as_of)
    for kind, subject, facts in everyone:
        for path, bounds in derived.items():
            facts.setdefault(path, bounds)
        decider = _Subject(rulebook, subject, facts, as_of, records, later, has_bounds=bool(derived))
        for obligation in rulebook.for_subject(kind):
            findings.append(decider.finding(obligation))
        # Its contexts refer back to it (applies() is its method): without them the subject, its
        # verdicts and the findings are freed as soon as unused, not left to the cycle collector.
        decider.contexts.clear()
    return Assessment(as_of, manifest.organisation.name, rulebook, findings,
                      _overall_warnings(findings) + _exports_without_transfers(everyone)
                      + _activities_contradicted(everyone))


class _Subject:
    """One subject on one date: its contexts by day, and its findings, remembered for applies()."""

    def __init__(self, rulebook: Rulebook, subject: str, facts: dict, as_of: datetime.date, records: dict,
                 later: dict, has_bounds: bool):
        self.rulebook, self.subject, self.facts, self.as_of = rulebook, subject, facts, as_of
        self.records, self.later, self.has_bounds = records, later, has_bounds
        self.contexts: dict[datetime.date, Context] = {}
        self.verdicts: dict[str, Finding] = {}

    def finding(self, obligation: Obligation) -> Finding:
        f = self.verdicts.get(obligation.id)
        if f is None:
            f = self.verdicts[obligation.id] = self._finding(obligation)
        return f

    def _applies(self, obligation_id: str) -> bool | None:
        status = self.finding(self.rulebook.obligations[obligation_id]).status
        return None if status == UNKNOWN else status == APPLIES

    def _applies_missing(self, obligation_id: str) -> list[str]:
        return self.finding(self.rulebook.obligations[obligation_id]).missing_facts

    def context(self, day: datetime.date) -> Context:
        ctx = self.contexts.get(day)
        if ctx is None:
            ctx = self.contexts[day] = Context(self.facts, self.rulebook.parameters_on(day), self._applies,
                                               self._applies_missing)
        return ctx

    def _finding(self, ob: Obligation) -> Finding:
        status, version, judged_on, ctx, transitional, missing, events = decide(
            ob.decision, self.as_of, self.facts, self.context)
        deadline = compliance = detail = None
        warnings = [Notice("unverified_rule", (("note", version.note),))] if version.review == "unverified" else []
        if self.has_bounds:
            # A derived count's caveat goes with a finding judged on a day the count is a legal test:
            # not with one of 2026 whose condition merely names a count of the pre-2024 regime.
            aggregates, facts, used = self.rulebook.aggregates, self.facts, {}
            for role, node, value in events:
                if role != "condition" and role != "exemption":
                    continue
                derived = [p for p in node.facts if isinstance(facts.get(p), Bounds)]
                if derived and _bounds_decide(node, value, ctx, derived):
                    used.update((p, facts[p]) for p in derived if p not in aggregates or aggregates[p].tests_on(judged_on))
            for path, bounds in used.items():
                warnings.append(notice("derived", fact=path, transfers=bounds.source[0], sums=bounds.source[1],
                                       at_least=bounds.at_least, at_most=bounds.at_most))
        if status == APPLIES:
            key = (ob.id, self.subject)
            record = self.records.get(key)
            rules = transitional.deadline if transitional else version.deadline
            deadline = compute_deadline(rules, self.facts, ctx, ob.in_force_from, event_judged=ob.event is not None,
                                        as_of=self.as_of, last_done=record.done_on if record else None)
            if deadline is not None:
                if deadline.beyond_calendar:
                    warnings.append(notice("beyond_calendar", year=deadline.date.year))
                warnings.extend(notice("calendar", text=w) for w in deadline.calendar_warnings)
            compliance, detail, deadline, more = compliance_of(ob, self.subject, version, ctx, deadline, record,
                                                               self.later.get(key), self.as_of)
            warnings.extend(more)
        standing, standing_open = _standing_duty(version, ctx) if status == APPLIES else (None, None)
        return Finding(ob.id, self.subject, status, ob.title, ob.title_zh, version.citation_for(ctx) if version.cites else version.citation, version.review,
                       deadline, compliance, missing, events, judged_on,
                       judged_on if judged_on >= version.start else version.start,
                       warnings, version.note,
                       standing, _penalty(version, self.facts, ctx) if status in (APPLIES, UNKNOWN) else None,
                       detail, self.facts, standing_open)


def _bounds_decide(clause, value, ctx: Context, derived: list[str]) -> bool:
    """Whether a clause's value rests on the derived counts it reads (`derived`): it is left open, or
    it would be without them (a clause true on another ground, e.g. a listed transfer, does not)."""
    if value is None:
        return True
    without = Context({**ctx.facts, **dict.fromkeys(derived)}, ctx.params, ctx.applies, ctx.applies_missing)
    return clause.run(without) != value


def _standing_duty(version: Version, ctx: Context) -> tuple[str | None, dict | None]:
    """The standing duty's wording: the first case whose condition holds, or the first left open
    with its condition and the facts that would decide it."""
    for when, says in version.continuous:
        holds = True if when is None else when.run(ctx)
        if holds is True:
            return says, None
        if holds is None:
            return says, _open_if(when, ctx)
    return None, None


def _open_if(when, ctx: Context) -> dict:
    return {"when": " ".join(when.text.split()), "needs": residual(when.tree, ctx, undecided=True)}


def _penalty(version: Version, facts: dict, ctx: Context) -> dict | None:
    """The most the law allows as a fine, with the turnover-based figure where the manifest gives it.

    Among cases the first that holds decides; one left open by an unknown fact is shown with what
    it needs, since it may be the ceiling that applies."""
    p, open_if = None, None
    for case in version.penalties:
        holds = True if case.when is None else case.when.run(ctx)
        if holds is not False:
            p, open_if = case, _open_if(case.when, ctx) if holds is None else None
            break
    if p is None:
        return None
    out = {"article": p.article, "max_rmb": p.max_rmb, "says": p.says}
    if open_if is not None:
        out["open_if"] = open_if   # worded with `says` in report/
    if p.max_turnover_share is not None:
        out["max_turnover_share"] = p.max_turnover_share
        turnover = facts.get(p.turnover)
        out["turnover_fact"] = p.turnover
        out["turnover_rmb"] = turnover
        out["turnover_based_max_rmb"] = (round(turnover * float(p.max_turnover_share))
                                         if isinstance(turnover, (int, float)) else None)
    return out


def _exports_without_transfers(everyone: list) -> list[Notice]:
    """Export counts above zero with no transfer listed: the cross-border rules are decided per
    transfer, so without one they have no subject and nothing says so."""
    org = everyone[0][2]
    if any(k == "transfer" for k, _, _ in everyone[1:]):
        return []
    given = tuple((path, value) for path, value in org.items()
                  if path.startswith("organisation.exports.") and isinstance(value, int) and value > 0)
    return [notice("exports_without_transfers", counts=given)] if given else []


def _activities_contradicted(everyone: list) -> list[Notice]:
    """An area declared absent while the manifest lists its entities or gives one of its facts
    otherwise: the facts given are used, and the reader is told the manifest disagrees with itself."""
    from hegui.manifest.facts import areas
    from hegui.manifest.model import SUBJECT_LISTS
    org = everyone[0][2]
    out = []
    for area in areas().values():
        if org.get(area.gate) is not False:
            continue
        given = [f"{SUBJECT_LISTS[kind]} ({subject})" for kind, subject, _ in everyone[1:]
                 if area.entities == SUBJECT_LISTS[kind]]
        for kind, subject, facts in everyone:
            for fact, value in area.absent.items():
                if fact.split(".", 1)[0] == kind and facts.get(fact) not in (None, value):
                    given.append(fact if kind == "organisation" else f"{fact} ({subject})")
        if given:
            out.append(notice("activity_contradicted", gate=area.gate, given=tuple(dict.fromkeys(given))))
    return out


def _overall_warnings(findings: list[Finding]) -> list[Notice]:
    out = []
    unverified = sorted({f.obligation for f in findings if f.review == "unverified" and f.status != NOT_IN_FORCE})
    if unverified:
        out.append(notice("unverified_rules", obligations=tuple(unverified)))
    if any(f.deadline is not None and f.deadline.beyond_calendar for f in findings):
        out.append(notice("some_beyond_calendar"))
    out.extend(notice("calendar", text=w) for w in
               dict.fromkeys(w for f in findings if f.deadline is not None for w in f.deadline.calendar_warnings))
    return out
