"""The evaluator's walk over an obligation's decision tree (rulebook/decision.py), writing a trace.

The trace is one sequence of events (role, node, value), in the order the walk met them:
  in_force      the Window (as-of day outside it) or the Versions (no version on the day): False
  event         the ByEvent node, with the event's date
  gate          the Gate, False or None, when no transitional provision reached the event
  transitional  the Transitional that reached it: True
  condition     a Clause of the governing version and its three-valued value
  exemption     likewise for an exemption
  refers        an obligation id the clauses name with applies(...), and what it was
  either_way    the exact form (lang/exact.py) that settled what Kleene left open, and the open
                facts it was split on: every completion of them gives the status
Missing facts, reasons and the explanation are views over it (report/reasons.py).
"""

from __future__ import annotations

import datetime
from typing import Callable, NamedTuple

from hegui.lang.evaluate import Context, residual
from hegui.rulebook.decision import (
    APPLIES, DOES_NOT_APPLY, NOT_IN_FORCE, UNKNOWN, ByEvent, Gate, Judge, Versions, Window,
)
from hegui.rulebook.model import Transitional, Version


# An event is a plain tuple (role, node, value): made for every clause of every finding, so as
# cheap as Python allows. An outcome likewise:
# (status, version, judged_on, ctx, transitional, missing, events), see `Outcome` for the names.
ROLE, NODE, VALUE = 0, 1, 2


class Outcome(NamedTuple):
    """The names of an outcome's parts (decide returns a plain tuple in this order)."""
    status: str
    version: Version              # the governing version (the nearest one when none governs)
    judged_on: datetime.date
    ctx: Context                  # facts and the parameters of the context day
    transitional: Transitional | None
    missing: list[str]
    events: tuple


Contexts = Callable[[datetime.date], Context]


def decide(window: Window, as_of: datetime.date, facts: dict, context: Contexts) -> tuple:
    """The obligation decided on the as-of day; `context(day)` gives the context of a day."""
    if as_of < window.first or (window.last is not None and as_of >= window.last):   # not window.holds_on
        spans = _spans(window.inner)
        version = (spans[0] if as_of < window.first else spans[-1])[2].version
        return (NOT_IN_FORCE, version, as_of, context(max(as_of, version.start)), None, [],
                (("in_force", window, False),))
    inner = window.inner
    if type(inner) is ByEvent:
        return _by_event(inner, as_of, facts, context)
    judge = inner.on(as_of)   # _versions inlined for the common case: this runs for every finding
    if judge is None:
        return _versions(inner, as_of, context, [], True, None)
    return _judge(judge, as_of, context(as_of), [], True, None)


def _spans(node: ByEvent | Versions):
    return (node.versions if type(node) is ByEvent else node).spans


def _by_event(node: ByEvent, as_of: datetime.date, facts: dict, context: Contexts) -> tuple:
    event = facts.get(node.event)
    if event is None or event > as_of:
        return _versions(node.versions, as_of, context, [], True, None)
    events = [("event", node, event)]
    if event >= node.first:
        return _versions(node.versions, event, context, events, True, None)
    ctx = context(node.first)
    chosen, gate = _gate(node.gate, ctx, events)
    if gate is False:
        return (DOES_NOT_APPLY, node.versions.spans[0][2].version, node.first, ctx, None, [], tuple(events))
    return _versions(node.versions, node.first, context, events, gate, chosen)


def _gate(gate: Gate, ctx: Context, events: list) -> tuple[Transitional | None, bool | None]:
    """The first transitional provision that holds, else False, or None when one may hold."""
    unknown = False
    for t in gate.transitionals:
        value = t.when.run(ctx)
        if value is True:
            events.append(("transitional", t, True))
            return t, True
        if value is None:
            unknown = True
    value = None if unknown else False
    events.append(("gate", gate, value))
    return None, value


def _versions(node: Versions, day: datetime.date, context: Contexts, events: list, base, transitional) -> tuple:
    judge = node.on(day)
    if judge is None:
        events.append(("in_force", node, False))
        version = node.spans[-1][2].version
        return (NOT_IN_FORCE, version, day, context(max(day, version.start)), None, [], tuple(events))
    return _judge(judge, day, context(day), events, base, transitional)


def _judge(judge: Judge, day: datetime.date, ctx: Context, events: list, base, transitional) -> tuple:
    """Kleene and over the conditions (starting from the gate's value), Kleene or over the exemptions;
    when that leaves it unknown, the judge's exact form (lang/exact.py) decides."""
    gate_open = base is True
    for clause in judge.conditions:
        value = clause.run(ctx)
        events.append(("condition", clause, value))
        if value is False:
            base = False
        elif value is None and base is True:
            base = None
    exempt = False
    for clause in judge.exemptions:
        value = clause.run(ctx)
        events.append(("exemption", clause, value))
        if value is True:
            exempt = True
        elif value is None and exempt is False:
            exempt = None
    for o in judge.refers:
        events.append(("refers", o, ctx.applies(o)))
    if base is False or exempt is True:
        return (DOES_NOT_APPLY, judge.version, day, ctx, transitional, [], tuple(events))
    if base is None or exempt is None:
        # Kleene left it open: the exact form says whether the open facts can change it. Not
        # behind an open gate (the transitional provisions are not in the form).
        form = judge.exact_on(day) if gate_open else None
        if form is None or form.read_once:
            return (UNKNOWN, judge.version, day, ctx, transitional, missing(events, base, ctx), tuple(events))
        value = form.decide(ctx)
        if value is None:
            return (UNKNOWN, judge.version, day, ctx, transitional, form.missing(ctx, missing(events, base, ctx)),
                    tuple(events))
        # Settled by a case split: the trace names the open facts it was split on.
        events.append(("either_way", form, tuple(missing(events, base, ctx))))
        return (APPLIES if value else DOES_NOT_APPLY, judge.version, day, ctx, transitional, [], tuple(events))
    return (APPLIES, judge.version, day, ctx, transitional, [], tuple(events))


def missing(events, base, ctx: Context) -> list[str]:
    """The facts that would settle an unknown: those left open in the unknown exemptions, in the
    conditions when they are what is unknown, and in the transitional provisions of an open gate."""
    out: list[str] = []
    for role, node, value in events:
        if value is None and (role == "exemption" or (role == "condition" and base is None)):
            out += [p for p in residual(node.tree, ctx, undecided=True) if p not in out]
    for role, node, value in events:
        if role == "gate" and value is None:
            for t in node.transitionals:
                out += [p for p in residual(t.when.tree, ctx) if p not in out]
    return out
