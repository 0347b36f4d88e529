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
import functools
from dataclasses import dataclass, field
from importlib import resources

import yaml

from hegui.lang import exact
from hegui.lang.evaluate import obligations_referred
from hegui.lang.syntax import Name, parse
from hegui.manifest.facts import number_measures
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
    # The exact forms (lang/exact.py), built on first use for each stretch of days over which the
    # parameters and the obligations it refers to do not change (rulebook loading sets the builder).
    _exact: dict = field(default_factory=dict, compare=False, repr=False)
    _exact_builder: object = field(default=None, compare=False, repr=False)

    def exact_days(self) -> list[datetime.date]:
        """The days within the version on which its exact form changes (a parameter's value
        starting, say): between two of them one form serves every day (the SQL compiler's event
        dates pick theirs by these)."""
        return [] if self._exact_builder is None else list(self._exact_builder.cuts())

    def exact_on(self, day: datetime.date | None) -> exact.Form | None:
        """The form deciding on this day; None for every day of the version (the SQL compiler's event
        dates) unless one form serves them all. None too when it is too big (Kleene's answer stands)."""
        if self._exact_builder is None:
            return None
        return self._exact_builder(self, day)


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


def attach_exact(rulebook) -> None:
    """Let every Judge build its exact forms when first asked (rulebook loading calls this)."""
    relations = _relations()   # parsed now, so that a rulebook read from the cache parses nothing
    for ob in rulebook.obligations.values():
        for start, end, judge in _spans_of(ob.decision):
            object.__setattr__(judge, "_exact_builder", _Builder(rulebook, ob, start, end, relations))


def _spans_of(window: Window):
    inner = window.inner
    return (inner.versions if type(inner) is ByEvent else inner).spans


class _Builder:
    """Builds a judge's forms, one per stretch of its days between the changes that matter to it:
    a parameter value starting, or a version or window of an obligation it refers to (transitively)
    starting or ending."""

    def __init__(self, rulebook, ob: Obligation, start: datetime.date, end: datetime.date | None, relations: tuple):
        self.rulebook, self.start, self.end, self.relations = rulebook, start, end, relations
        self._cuts = None
        self.ob = ob

    def cuts(self) -> list[datetime.date]:
        if self._cuts is None:
            days, todo, seen = set(), [self.ob.id], set()
            while todo:
                ob = self.rulebook.obligations.get(todo.pop())
                if ob is None or ob.id in seen:
                    continue
                seen.add(ob.id)
                todo += list(ob.refers_to)
                if ob is not self.ob:
                    days |= {d for v in ob.versions for d in (v.start, v.end) if d is not None}
            days |= {v.start for values in self.rulebook.parameters.values() for v in values}
            self._cuts = sorted(d for d in days if self.start < d and (self.end is None or d < self.end))
        return self._cuts

    def __call__(self, judge: Judge, day: datetime.date | None):
        # Asked for every finding Kleene leaves unknown: the common case is one lookup.
        cuts = self._cuts if self._cuts is not None else self.cuts()
        if day is None:
            if cuts:
                return None
            first = self.start
        else:
            i = bisect.bisect_right(cuts, day)
            first = cuts[i - 1] if i else self.start
        form = judge._exact.get(first, _NOT_BUILT)
        if form is _NOT_BUILT:
            i = bisect.bisect_right(cuts, first)
            last = cuts[i] if i < len(cuts) else self.end
            form = judge._exact[first] = _exact_form(self.rulebook, judge, first, last, self.relations)
        return form


_NOT_BUILT = object()


def _exact_form(rulebook, judge: Judge, start: datetime.date, end: datetime.date | None, relations: tuple):
    """The judge's decision with the obligations it refers to inlined where one version of theirs,
    without an event, governs every day this one does; parameters fixed to their values on those days."""
    def within(first, last) -> bool:   # [start, end) lies in [first, last)
        return first <= start and (last is None or (end is not None and end <= last))

    def replace(ob_id: str):
        other = rulebook.obligations.get(ob_id)
        if other is None or type(other.decision.inner) is not Versions:
            return None
        for first, last, j in other.decision.inner.spans:
            if within(first, last) and within(other.decision.first, other.decision.last):
                return exact.decision([c.tree for c in j.conditions], [c.tree for c in j.exemptions])
        return None

    tree = exact.inline(exact.decision([c.tree for c in judge.conditions], [c.tree for c in judge.exemptions]),
                        replace)
    params = {}
    for name in dict.fromkeys(n.name for n in tree.find_all(Name)):
        values = rulebook.parameters.get(name, [])
        if any(start < v.start and (end is None or v.start < end) for v in values):
            return None   # a value changes within the version's days: no single form
        found = rulebook.parameter_on(name, start)
        if found is None:
            return None
        params[name] = found.value
    return exact.build(tree, params, relations, _nonnegative())


@functools.lru_cache(maxsize=1)
def _nonnegative() -> frozenset[str]:
    """Number facts never below 0: every count and amount (ratios are 0 to 1)."""
    return frozenset(number_measures())


@functools.lru_cache(maxsize=1)
def _relations() -> tuple:
    """The combinations of facts no subject has (relations.yaml), as conditions."""
    text = resources.files("hegui.rulebook").joinpath("relations.yaml").read_text(encoding="utf-8")
    entries = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))   # ours, like the rule files
    return tuple(parse(entry["impossible"]) for entry in entries)
