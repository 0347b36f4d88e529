"""assess(manifest, as_of): every obligation in the rulebook decided for every subject.

Statuses follow interface.md: an obligation outside its in-force window is
`not_in_force`; one triggered by an event is judged by the rules in force on
the event's date (an event before the rule existed does not trigger it, unless
a transitional provision says so); otherwise the version governing on the
as-of date decides, in three-valued logic, with exemptions as labelled
exceptions to the base rule.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from hegui.engine.aggregates import derived_counts
from hegui.engine.compliance import records_on, set_compliance
from hegui.engine.deadlines import compute_deadline
from hegui.engine.explain_text import substituted
from hegui.engine.finding import (
    APPLIES, DOES_NOT_APPLY, NOT_IN_FORCE, UNKNOWN, Deadline, Finding, Step,
)
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
    warnings: list[str] = field(default_factory=list)


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
        decider = _Decider(rulebook, subject, facts, as_of, records, has_bounds=bool(derived))
        for obligation in rulebook.for_subject(kind):
            finding = decider.finding(obligation)
            key = (obligation.id, subject)
            set_compliance(finding, records.get(key), later.get(key), as_of)
            findings.append(finding)
    return Assessment(as_of, manifest.organisation.name, rulebook, findings, _overall_warnings(findings))


class _Decider:
    """Decides obligations for one subject on one date, remembering verdicts for applies()."""

    def __init__(self, rulebook: Rulebook, subject: str, facts: dict, as_of: datetime.date, records: dict,
                 has_bounds: bool):
        self.rulebook, self.subject, self.facts, self.as_of = rulebook, subject, facts, as_of
        self.records, self.has_bounds = records, has_bounds
        self.contexts: dict[datetime.date, Context] = {}
        self.verdicts: dict[str, Finding] = {}

    def finding(self, obligation: Obligation) -> Finding:
        if obligation.id not in self.verdicts:
            self.verdicts[obligation.id] = self._decide(obligation)
        return self.verdicts[obligation.id]

    def _applies(self, obligation_id: str) -> bool | None:
        status = self.finding(self.rulebook.obligations[obligation_id]).status
        return None if status == UNKNOWN else status == APPLIES

    def _applies_missing(self, obligation_id: str) -> list[str]:
        return self.finding(self.rulebook.obligations[obligation_id]).missing_facts

    def _context(self, day: datetime.date) -> Context:
        ctx = self.contexts.get(day)
        if ctx is None:
            ctx = self.contexts[day] = Context(self.facts, self.rulebook.parameters_on(day), self._applies,
                                               self._applies_missing)
        return ctx

    def _decide(self, ob: Obligation) -> Finding:
        first, last, as_of = ob.in_force_from, ob.in_force_until, self.as_of
        if as_of < first or (last is not None and as_of >= last):
            version = ob.versions[0] if as_of < first else ob.versions[-1]
            test = f"in force from {first}" + (f" until {last}" if last else "")
            return self._finding(ob, version, NOT_IN_FORCE, [Step(test, False, role="in_force")], [], as_of, None)

        judged_on, steps, transitional, gate, gated = as_of, [], None, None, False
        event = self.facts.get(ob.event) if ob.event else None
        if event is not None and event <= as_of:
            judged_on = event
            steps.append(Step(f"judged by the rules in force on {ob.event}", str(event),
                              {ob.event: event}, role="event"))
            if event < first:
                judged_on, gated = first, True
                transitional, gate, gate_step = self._transitional(ob, event)
                steps.append(gate_step)
                if gate is False:
                    return self._finding(ob, ob.versions[0], DOES_NOT_APPLY, steps, [], judged_on, None)

        version = ob.version_on(judged_on)
        if version is None:
            return self._finding(ob, ob.versions[-1], NOT_IN_FORCE,
                                 steps + [Step(f"no version governs on {judged_on}", False, role="in_force")],
                                 [], judged_on, None)
        ctx = self._context(judged_on)
        # Kleene and over the conditions, Kleene or over the exemptions; the results are kept
        # as they are and the readable trace is built only when shown.
        base = gate if gated else True
        for clause in version.applies_when:
            value = clause.run(ctx)
            steps.append((clause, value, "condition"))
            if value is False:
                base = False
            elif value is None and base is True:
                base = None
        exempt = False
        for clause in version.unless:
            value = clause.run(ctx)
            steps.append((clause, value, "exemption"))
            if value is True:
                exempt = True
            elif value is None and exempt is False:
                exempt = None

        if base is False or exempt is True:
            return self._finding(ob, version, DOES_NOT_APPLY, steps, [], judged_on, None, ctx)
        if base is None or exempt is None:
            missing: list[str] = []
            for clause, value, role in (s for s in steps if isinstance(s, tuple)):
                if value is None and (role == "exemption" or base is None):
                    missing += [p for p in residual(clause.tree, ctx) if p not in missing]
            if gated and gate is None:
                for t in ob.transitional:
                    missing += [p for p in residual(t.when.tree, ctx) if p not in missing]
            return self._finding(ob, version, UNKNOWN, steps, missing, judged_on, None, ctx)

        record = self.records.get((ob.id, self.subject))
        deadline = compute_deadline(transitional.deadline if transitional else version.deadline, self.facts, ctx,
                                    first, event_judged=ob.event is not None, as_of=as_of,
                                    last_done=record.done_on if record else None)
        return self._finding(ob, version, APPLIES, steps, [], judged_on, deadline, ctx)

    def _transitional(self, ob: Obligation, event: datetime.date):
        """Whether a transitional provision brings an event from before the rule within it."""
        ctx = self._context(ob.in_force_from)
        values = [(t, t.when.run(ctx)) for t in ob.transitional]
        chosen = next((t for t, v in values if v is True), None)
        gate = True if chosen else (None if any(v is None for _, v in values) else False)
        if chosen:
            step = Step(f"transitional provision ({chosen.article}): {substituted(chosen.when, ctx)}", True,
                        {p: ctx.facts.get(p) for p in chosen.when.facts}, article=chosen.article,
                        says=chosen.says, role="transitional")
        else:
            step = Step(f"{ob.event} {event} is before the obligation took effect on {ob.in_force_from}"
                        + ("; no transitional provision reaches it" if gate is False else
                           "; a transitional provision may reach it"),
                        gate, {ob.event: event}, role="event")
        return chosen, gate, step

    def _finding(self, ob: Obligation, version: Version, status: str, steps: list,
                 missing: list[str], judged_on: datetime.date, deadline: Deadline | None,
                 ctx: Context | None = None) -> Finding:
        warnings = version.warnings[:]
        if self.has_bounds:
            used = {p: self.facts[p] for item in steps if isinstance(item, tuple) for p in item[0].facts
                    if isinstance(self.facts.get(p), Bounds)}
            for path, bounds in used.items():
                warnings.append(f"{path} is not given; derived from {bounds.source}: {bounds} "
                                "(the largest counted transfer to their sum)")
        if deadline is not None and deadline.beyond_calendar:
            warnings.append("deadline counted on weekends alone: the official holiday schedule for "
                            f"{deadline.date.year} is not yet published")
        if deadline is not None:
            warnings.extend(deadline.calendar_warnings)
        ctx = ctx or self._context(max(judged_on, version.start))
        return Finding(ob.id, self.subject, status, ob.title, ob.title_zh, version.citation_for(ctx), version.review,
                       deadline, None, missing, steps, judged_on, warnings, version.note,
                       _standing_duty(version, ctx) if status == APPLIES else None,
                       _penalty(version, self.facts, ctx) if status in (APPLIES, UNKNOWN) else None,
                       version, ctx, self.rulebook)


def _standing_duty(version: Version, ctx: Context) -> str | None:
    """The standing duty's wording: the first case whose condition holds."""
    for when, says in version.continuous:
        holds = True if when is None else when.run(ctx)
        if holds is True:
            return says
        if holds is None:
            return f"{says} (if {when.text}; needs {', '.join(residual(when.tree, ctx))})"
    return None


def _penalty(version: Version, facts: dict, ctx: Context) -> dict | None:
    """The most the law allows as a fine, with the turnover-based figure where the manifest gives it.

    Among cases the first that holds decides; one left open by an unknown fact is shown with what
    it needs, since it may be the ceiling that applies."""
    p, says = None, None
    for case in version.penalties:
        holds = True if case.when is None else case.when.run(ctx)
        if holds is not False:
            p, says = case, case.says
            if holds is None:
                says += f" (if {case.when.text}; needs {', '.join(residual(case.when.tree, ctx))})"
            break
    if p is None:
        return None
    out = {"article": p.article, "max_rmb": p.max_rmb, "says": says}
    if p.max_turnover_share is not None:
        out["max_turnover_share"] = p.max_turnover_share
        turnover = facts.get(p.turnover)
        out["turnover_fact"] = p.turnover
        out["turnover_rmb"] = turnover
        out["turnover_based_max_rmb"] = (round(turnover * float(p.max_turnover_share))
                                         if isinstance(turnover, (int, float)) else None)
    return out


def _overall_warnings(findings: list[Finding]) -> list[str]:
    out = []
    unverified = sorted({f.obligation for f in findings if f.review == "unverified" and f.status != NOT_IN_FORCE})
    if unverified:
        out.append(f"rules resting on unconfirmed facts: {', '.join(unverified)}")
    if any(f.deadline is not None and f.deadline.beyond_calendar for f in findings):
        out.append("some deadlines lie beyond the years of the official holiday schedule and were counted "
                   "on weekends alone")
    out.extend(dict.fromkeys(w for f in findings if f.deadline is not None for w in f.deadline.calendar_warnings))
    return out
