"""The decision of one obligation as a tree: the one structure the evaluator and the SQL compiler walk.

An obligation is decided in layers (interface.md): outside its in-force window it is not in force;
an event-triggered one is judged by the version in force on the event's date, an event before the
rule reaching it only through a transitional provision; the governing version then judges, with a
Kleene `and` over its conditions and an `or` over its exemptions. Each layer is a node here, built
once when the rulebook loads; `engine/decide.py` and `batch/compile.py` are the two walks.
"""

from __future__ import annotations

import bisect
import datetime
from dataclasses import dataclass

from hegui.lang.evaluate import obligations_referred
from hegui.rulebook.model import Clause, Obligation, Transitional, Version

# The status names, defined here once; everything else imports them.
APPLIES, DOES_NOT_APPLY, UNKNOWN, NOT_IN_FORCE = "applies", "does_not_apply", "unknown", "not_in_force"
STATUSES = (APPLIES, UNKNOWN, DOES_NOT_APPLY, NOT_IN_FORCE)


@dataclass(frozen=True)
class Judge:
    """One version's test: every condition holds (Kleene and) and no exemption does (Kleene or)."""
    version: Version
    conditions: tuple[Clause, ...]
    exemptions: tuple[Clause, ...]
    refers: tuple[str, ...] = ()   # obligations its clauses name with applies(...), for the trace


@dataclass(frozen=True)
class Versions:
    """The versions by the days they govern: (start, end, judge), end None or the first day no longer
    governed. A day before the first start, or in a gap after an end, has no version."""
    spans: tuple[tuple[datetime.date, datetime.date | None, Judge], ...]

    def __post_init__(self):
        object.__setattr__(self, "_starts", tuple(s[0] for s in self.spans))

    def on(self, day: datetime.date) -> Judge | None:
        spans = self.spans
        if len(spans) == 1:
            start, end, judge = spans[0]
            return judge if start <= day and (end is None or day < end) else None
        i = bisect.bisect_right(self._starts, day) - 1
        if i < 0:
            return None
        _start, end, judge = spans[i]
        return judge if end is None or day < end else None


@dataclass(frozen=True)
class Gate:
    """An event before the rule took effect: only a transitional provision brings it within the rule."""
    transitionals: tuple[Transitional, ...]


@dataclass(frozen=True)
class ByEvent:
    """Judged by the version in force on the event's date, when the event is known and not later
    than the as-of day; an event before `first` goes through the gate and is judged on `first`."""
    event: str
    first: datetime.date
    gate: Gate
    versions: Versions


@dataclass(frozen=True)
class Window:
    """In force from `first` until `last` (exclusive; None: no end)."""
    first: datetime.date
    last: datetime.date | None
    inner: ByEvent | Versions

    def holds_on(self, day: datetime.date) -> bool:
        return self.first <= day and (self.last is None or day < self.last)


def build(ob: Obligation) -> Window:
    """The obligation's tree, from its versions ordered by start (rulebook loading does that)."""
    versions = Versions(tuple((v.start, v.end, _judge(v)) for v in ob.versions))
    inner = ByEvent(ob.event, ob.in_force_from, Gate(ob.transitional), versions) if ob.event else versions
    return Window(ob.in_force_from, ob.in_force_until, inner)


def _judge(v: Version) -> Judge:
    refers = sorted({o for c in (*v.applies_when, *v.unless) for o in obligations_referred(c.tree)})
    return Judge(v, v.applies_when, v.unless, tuple(refers))
