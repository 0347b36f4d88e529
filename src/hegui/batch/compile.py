"""The rulebook compiled to SQL: one status expression per obligation, a walk over the same trees.

Three-valued logic maps onto SQL's own: an unknown fact is NULL, and SQL's AND, OR, NOT,
comparisons and IN are Kleene already. The as-of date is fixed at compile time, so versions and
parameters that depend only on it fold to constants; an event date in a column picks its
version with a CASE. Counts known only within bounds (a sum with a missing amount, a count of
parties or of the row's service some of whose conditions are unknown, an organisation count
derived from the row's transfer) compile to a pair of expressions, the lowest and highest value, and comparisons
with them are decided only when both agree. Everything is built as a sqlglot tree and printed
for the target dialect: no SQL is pasted together from strings.
"""

from __future__ import annotations

import datetime
import re

from sqlglot import exp

from hegui.batch import codes
from hegui.batch.codes import code_is
from hegui.batch.table import Column, id_columns, kinds_present
from hegui.manifest.facts import derivations
from hegui.lang.syntax import (
    And, Applies, Compare, Count, Fact, Known, Literal, Member, Name, Not, Or, Overlaps, Sum,
)
from hegui.lang.values import Bounds
from hegui.rulebook import Rulebook
from hegui.rulebook.decision import (
    APPLIES, DOES_NOT_APPLY, NOT_IN_FORCE, UNKNOWN, ByEvent, Gate, Judge, Versions, Window,
)
from hegui.rulebook.model import Obligation


class CompileError(ValueError):
    pass


def _bounds(low: exp.Expression, high: exp.Expression, known: exp.Expression) -> Bounds:
    """A number known between `low` and `high` (NULL high: no upper bound), as SQL expressions;
    `known` false: not known at all."""
    return Bounds(low, high, known=known)


def _null() -> exp.Expression:
    return exp.Null()


def _lit(value) -> exp.Expression:
    if isinstance(value, bool):
        return exp.true() if value else exp.false()
    if isinstance(value, datetime.date):
        return exp.cast(exp.Literal.string(value.isoformat()), "DATE")
    if isinstance(value, str):
        return exp.Literal.string(value)
    if isinstance(value, tuple):   # a list fact's value, as a table cell holds it
        return exp.Literal.string(";".join(value))
    return exp.Literal.number(value)


def _p(e: exp.Expression) -> exp.Expression:
    return e if isinstance(e, (exp.Column, exp.Literal, exp.Boolean, exp.Null, exp.Paren)) else exp.Paren(this=e)


def _is_true(e):   # Kleene-true, as a two-valued test
    e = _settle(e, False)
    return e if isinstance(e, exp.Boolean) else exp.Coalesce(this=_p(e), expressions=[exp.false()])


def _is_false(e):
    e = _settle(e, True)
    return _not(e) if isinstance(e, exp.Boolean) else exp.Not(this=exp.Coalesce(this=_p(e), expressions=[exp.true()]))


def _settle(e: exp.Expression, value: bool) -> exp.Expression:
    """`e` with each NULL constant among its and, or and not operands replaced by `value` (the
    opposite under a not). Strong Kleene logic reads every occurrence of an unknown on its own,
    so `e` is false exactly when it is false with each such NULL read as true (value=True), and
    true exactly when it is true with each read as false: a fact with no column then drops out
    of the test instead of being carried through every row."""
    while isinstance(e, exp.Paren):
        e = e.this
    if isinstance(e, exp.Null):
        return exp.true() if value else exp.false()
    if isinstance(e, exp.And):
        return _and([_settle(x, value) for x in _parts(e, exp.And)])
    if isinstance(e, exp.Or):
        return _or([_settle(x, value) for x in _parts(e, exp.Or)])
    if isinstance(e, exp.Not):
        return _not(_settle(e.this, not value))
    return e


def _code(e) -> exp.Expression:
    """A three-valued condition as one number, so it is computed once (batch/codes.py: 3 true,
    1 unknown, 0 false)."""
    return codes.code(e)


def _col(name: str) -> exp.Expression:
    return exp.column(name, quoted=True)


def _case(branches, default) -> exp.Expression:
    """CASE, without the branches a constant condition decides."""
    ifs = []
    for condition, value in branches:
        if _is_const(condition, False) or isinstance(condition, exp.Null):
            continue
        if _is_const(condition, True):
            default = value
            break
        ifs.append(exp.If(this=condition, true=value))
    return exp.Case(ifs=ifs, default=default) if ifs else default


# Kleene and, or and not, folding the constants a table leaves (a fact with no column is NULL,
# so many tests are decided before any row is read): less SQL to plan, less work per row.

def _is_const(e, value) -> bool:
    return isinstance(e, exp.Boolean) and e.this is value


def _and(items):
    items = [i for i in items if not _is_const(i, True)]
    if any(_is_const(i, False) for i in items):
        return exp.false()
    if not items:
        return exp.true()
    return exp.and_(*_one_null(items), copy=False)   # sqlglot brackets the parts where precedence needs it


def _or(items):
    items = [i for i in items if not _is_const(i, False)]
    if any(_is_const(i, True) for i in items):
        return exp.true()
    if not items:
        return exp.false()
    return exp.or_(*_one_null(items), copy=False)


def _one_null(items):
    """In an and or an or, one NULL says all that several do."""
    nulls = [i for i in items if isinstance(i, exp.Null)]
    return [i for i in items if not isinstance(i, exp.Null)] + nulls[:1]


def _factor(e: exp.Expression) -> exp.Expression:
    """An or of ands with the tests most terms share taken out, (a and b) or (a and c) becoming
    a and (b or c): an exact form's cover repeats a few tests in many of its terms. Kleene's
    and and or distribute and absorb as Boolean ones do, so the value is the same."""
    terms = [_parts(t, exp.And) for t in _parts(e, exp.Or)]
    return _factored(terms) if len(terms) > 1 else e


def _parts(e: exp.Expression, kind) -> list[exp.Expression]:
    while isinstance(e, exp.Paren):
        e = e.this
    if isinstance(e, kind):
        return _parts(e.this, kind) + _parts(e.expression, kind)
    return [e]


def _factored(terms: list[list[exp.Expression]]) -> exp.Expression:
    if any(not t for t in terms):   # an empty and is true, and true absorbs the rest
        return exp.true()
    keyed = [{x.sql(): x for x in t} for t in terms]
    counts: dict[str, int] = {}
    for t in keyed:
        for key in t:
            counts[key] = counts.get(key, 0) + 1
    key = max(counts, key=counts.get)
    if counts[key] < 2:
        return _or([_and(t) for t in terms])
    atom = next(t[key] for t in keyed if key in t)
    having = [[x for k, x in t.items() if k != key] for t in keyed if key in t]
    rest = [list(t.values()) for t in keyed if key not in t]
    shared = _and([atom, _factored(having)])
    return _or([shared, _factored(rest)]) if rest else shared


def _is_null(e):
    return exp.true() if isinstance(e, exp.Null) else exp.Is(this=e, expression=exp.Null())


def _not(e):
    if isinstance(e, exp.Boolean):
        return exp.false() if e.this else exp.true()
    if isinstance(e, exp.Null):
        return e
    return exp.Not(this=_p(e))


_COMPARE = {"==": exp.EQ, "!=": exp.NEQ, ">": exp.GT, ">=": exp.GTE, "<": exp.LT, "<=": exp.LTE}
_FLIP = {">": "<", "<": ">", ">=": "<=", "<=": ">=", "==": "==", "!=": "!="}


class Compiler:
    """Status expressions for the obligations a table's columns can speak to."""

    def __init__(self, rulebook: Rulebook, as_of: datetime.date, columns: list[Column],
                 status_type: str | None = None):
        self.rulebook, self.as_of = rulebook, as_of
        # The SQL type of a status: an enum where the engine has one (DuckDB), so a status is one
        # byte and comparing two is comparing numbers; else text.
        self._status_type = exp.DataType.build(status_type, udt=True) if status_type else None
        self.columns = {c.fact: c.name for c in columns if c.fact and c.item is None}
        self.parties: dict[int, dict[str, str]] = {}   # item index -> field fact -> column, for the list of records
        for c in columns:
            if c.item is not None:
                self.parties.setdefault(c.item, {})[c.fact] = c.name
        self._item_fields = {c.fact for c in columns if c.item is not None}
        self.kinds = kinds_present(columns)
        self._ids = id_columns(columns)
        self._statuses: dict[str, exp.Expression] = {}
        self._party: int | None = None   # which item's columns the fields of a list's items read
        # Work computed once per row in earlier stages of the query, so no expression is repeated:
        # derived facts, then per dependency level the three-valued codes and the statuses.
        self.derived: list[tuple[str, exp.Expression]] = []
        self.values: dict[int, list[tuple[str, exp.Expression]]] = {}
        self.codes: dict[int, list[tuple[str, exp.Expression]]] = {}
        self.levels: dict[str, int] = {}
        self._level = 0
        self._sharing = False   # while compiling an exact form's covers: tests become shared columns
        self._atoms: dict[tuple[int, str], str] = {}

    def _st(self, status: str | None) -> exp.Expression:
        """A status as a constant of the status type (NULL: no entity, no status)."""
        value = _lit(status) if status else _null()
        if self._status_type is None:
            return value if status else exp.cast(value, "VARCHAR")
        return exp.cast(value, self._status_type)

    def obligations(self) -> list[Obligation]:
        return [ob for ob in self.rulebook.obligations.values() if ob.subject in self.kinds]

    def exists(self, kind: str) -> exp.Expression:
        """True in a row that holds an entity of kind: its `<kind>.id` cell is filled, or the table has
        no such column (then every row holds one); batch/table.py gives the engine the same rows."""
        if kind not in self._ids:
            return exp.true()
        cell = exp.cast(exp.column(self._ids[kind], quoted=True), "VARCHAR")
        return self._derive(f"~has:{kind}", exp.And(
            this=exp.Not(this=exp.Is(this=cell, expression=exp.Null())),
            expression=exp.NEQ(this=exp.Trim(this=cell), expression=_lit(""))))

    # -- statuses -------------------------------------------------------------------------

    def status(self, ob: Obligation) -> exp.Expression:
        if ob.id not in self._statuses:
            outer, self._level = self._level, self.level(ob)
            try:
                self._statuses[ob.id] = self._status(ob)
            finally:
                self._level = outer
        return self._statuses[ob.id]

    def level(self, ob: Obligation) -> int:
        """0 for an obligation that refers to no other; else one more than those it refers to."""
        if ob.id not in self.levels:
            self.levels[ob.id] = 1 + max((self.level(self.rulebook.obligations[r]) for r in ob.refers_to),
                                         default=-1)
        return self.levels[ob.id]

    def _once(self, e: exp.Expression) -> exp.Expression:
        """Compute a three-valued condition once per row, in this level's stage; refer to its code."""
        c = codes.code(e, test=self._test)
        if isinstance(c, (exp.Literal, exp.Column)):
            return c
        stage = self.codes.setdefault(self._level, [])
        for name, known in stage:   # (two versions of a rule often share their conditions)
            if known == c:
                return _col(name)
        name = f"~c{self._level}.{len(stage)}"
        stage.append((name, c))
        return _col(name)

    # The walk over the decision tree (rulebook/decision.py), one method per node type; the
    # engine's walk is engine/decide.py. The as-of day is a constant, an event's day a column.

    def _status(self, ob: Obligation) -> exp.Expression:
        status = self._window(ob.decision)
        if ob.subject == "organisation" or ob.subject not in self._ids:
            return status
        # No entity in this row, no finding: as assess gives none for a manifest without one.
        return _case([(self.exists(ob.subject), status)], self._st(None))

    def _window(self, node: Window) -> exp.Expression:
        if not node.holds_on(self.as_of):
            return self._st(NOT_IN_FORCE)
        if type(node.inner) is ByEvent:
            return self._by_event(node.inner)
        return self._versions_on(node.inner, self.as_of)

    def _versions_on(self, node: Versions, day: datetime.date) -> exp.Expression:
        judge = node.on(day)
        return self._st(NOT_IN_FORCE) if judge is None else self._judge(judge, day)

    def _by_event(self, node: ByEvent) -> exp.Expression:
        as_of = self.as_of
        event = self._fact(node.event)
        if isinstance(event, exp.Null):   # no column holds the event's day: it is unknown on every row
            return self._versions_on(node.versions, as_of)
        branches = [(exp.Or(this=exp.Is(this=event, expression=exp.Null()),
                            expression=exp.GT(this=event, expression=_lit(as_of))),
                     self._versions_on(node.versions, as_of)),
                    (exp.LT(this=event, expression=_lit(node.first)), self._gate(node.gate, node))]
        # The latest version started by the event's day decides, unless it ended before that day.
        for start, end, judge in reversed([s for s in node.versions.spans if s[0] <= as_of]):
            if end is not None:
                branches.append((exp.GTE(this=event, expression=_lit(end)), self._st(NOT_IN_FORCE)))
            # Within a version, the exact form changes on a few days (a parameter's new value): each
            # stretch of event days has its own, as the engine, knowing the day, uses that day's.
            stretches, last = [], None
            for first in [start, *(d for d in judge.exact_days() if d <= as_of)]:
                decided = self._judge(judge, event, form_day=first)
                if last is None or decided != last:   # (most days change nothing this rule reads)
                    stretches.append((exp.GTE(this=event, expression=_lit(first)), decided))
                last = decided
            branches += reversed(stretches)
        return _case(branches, self._st(NOT_IN_FORCE))

    def _gate(self, gate: Gate, node: ByEvent) -> exp.Expression:
        """An event before the rule existed: only a transitional provision can reach it."""
        if not gate.transitionals:
            return self._st(DOES_NOT_APPLY)
        day = node.first
        code = self._once(_or(self._bool(t.when.tree, day) for t in gate.transitionals))
        judge = node.versions.on(day)
        return _case([(codes.equals(code, codes.FALSE), self._st(DOES_NOT_APPLY))],
                     self._judge(judge, day, code) if judge is not None else self._st(NOT_IN_FORCE))

    def _judge(self, judge: Judge, day, gate_code=None, form_day=None) -> exp.Expression:
        # Applies when every condition holds and no exemption does, Kleene's and of the two: one
        # code, 3 applies, 0 does not, 1 open.
        exempt = _or(self._bool(c.tree, day) for c in judge.exemptions)
        decided = self._once(_and([*(self._bool(c.tree, day) for c in judge.conditions), _not(exempt)]))
        if gate_code is not None:   # and the transitional provision's gate
            decided = codes.code(exp.And(this=codes.from_code(gate_code), expression=codes.from_code(decided)))
        branches = [(codes.equals(decided, codes.FALSE), self._st(DOES_NOT_APPLY)),
                    (codes.equals(decided, codes.TRUE), self._st(APPLIES))]
        if form_day is None and isinstance(day, datetime.date):
            form_day = day
        form = judge.exact_on(form_day) if gate_code is None else None
        if form is not None and not form.read_once:   # what Kleene leaves open, the exact form decides, as engine/decide.py does
            # Inline, not computed in an earlier stage: a CASE evaluates a branch only on the rows the
            # branches before it left, so the covers (large) cost only the rows Kleene leaves open.
            self._sharing = True
            try:
                contradiction = self._bool(form.contradiction, day)
                not_applies = _factor(self._bool(form.not_applies, day))
                not_dna = _factor(self._bool(form.not_dna, day))
            finally:
                self._sharing = False
            undecided = [] if isinstance(contradiction, exp.Boolean) and not contradiction.this else \
                [(code_is(_settle(contradiction, False), codes.TRUE, self._test), self._st(UNKNOWN))]
            branches += undecided + [
                (code_is(_settle(not_applies, True), codes.FALSE, self._test), self._st(APPLIES)),
                (code_is(_settle(not_dna, True), codes.FALSE, self._test), self._st(DOES_NOT_APPLY))]
        return _case(branches, self._st(UNKNOWN))

    # -- conditions -----------------------------------------------------------------------

    def _bool(self, node, day) -> exp.Expression:
        e = self._condition(node, day)
        if self._sharing and isinstance(node, (Compare, Member, Known, Overlaps, Applies)) and \
                not isinstance(e, (exp.Boolean, exp.Null, exp.Column)):
            return self._shared(e)
        return e

    def _test(self, e: exp.Expression) -> exp.Expression:
        """The code of a test (a comparison, a flag, a membership) read from a column of this
        level's stage (or an earlier one), computed once per row however many conditions name it
        or its negation."""
        e, negate = codes.canonical(e)
        column = self._column_here(_code(e))
        return codes.negated(column) if negate else column

    def _shared(self, e: exp.Expression) -> exp.Expression:
        """A test as a shared column (_test), for the covers, which repeat a few tests in many terms."""
        return codes.from_code(self._test(e))

    def _condition(self, node, day) -> exp.Expression:
        match node:
            case Literal(value=v):
                return _lit(v)
            case Fact(path=p):
                return self._fact(p)
            case Compare(op=op, left=left, right=right):
                return self._compare(op, left, right, day)
            case Member(item=item, options=options, negated=negated):
                value = self._value(item, day)
                if isinstance(value, exp.Null):
                    return value
                # x IN ('a') as x = 'a', so it shares its column with the same test written with ==
                test = exp.EQ(this=_p(value), expression=_lit(options[0])) if len(options) == 1 else \
                    exp.In(this=_p(value), expressions=[_lit(o) for o in options])
                return exp.Not(this=_p(test)) if negated else test
            case And(items=items):
                return _and(self._bool(i, day) for i in items)
            case Or(items=items):
                return _or(self._bool(i, day) for i in items)
            case Not(item=item):
                return _not(self._bool(item, day))
            case Applies(obligation=o):
                self.status(self.rulebook.obligations[o])   # compiled into its own, earlier level
                status = _col(f"~s:{o}")
                return _case([(exp.EQ(this=_p(status), expression=self._st(APPLIES)), exp.true()),
                              (exp.EQ(this=_p(status), expression=self._st(UNKNOWN)), exp.cast(_null(), "BOOLEAN"))],
                             exp.false())
            case Known(path=p):
                interval = self._interval_of_fact(p)
                if interval is not None:
                    return interval.known
                fact = self._fact(p)
                return exp.false() if isinstance(fact, exp.Null) else \
                    exp.Not(this=exp.Is(this=fact, expression=exp.Null()))
            case Overlaps(path=p, options=options):
                fact = self._fact(p)
                if isinstance(fact, exp.Null):
                    return fact
                if not options:
                    return exp.false()
                # The typed cell has no spaces (typing_sql.py), so a value it holds lies between its
                # start or a ';' and a ';' or its end: one regular expression reads the cell once for
                # every option, where a LIKE per option read it once each (and ';' || cell || ';' first).
                values = "|".join(re.escape(o) for o in sorted(options))
                return exp.RegexpLike(this=fact, expression=_lit(f"(^|;)({values})(;|$)"))
        raise CompileError(f"cannot compile {node!r} as a condition")

    def _value(self, node, day) -> exp.Expression:
        match node:
            case Literal(value=v):
                return _lit(v)
            case Fact(path=p):
                if self._interval_of_fact(p) is not None:
                    raise CompileError(f"{p} is known only within bounds here; compare it with >=, >, < or <=")
                return self._fact(p)
            case Name(name=n):
                return self._parameter(n, day)
        return self._bool(node, day)

    def _fact(self, path: str) -> exp.Expression:
        if path in self._item_fields and self._party is not None:
            name = self.parties.get(self._party, {}).get(path)
        else:
            name = self.columns.get(path)
        cell = exp.column(name, quoted=True) if name else exp.Null()
        d = derivations().get(path)
        if d is not None and d.source in self.columns:
            # As the manifest does (derived.yaml): a fact left empty follows from its source's value.
            source = exp.column(self.columns[d.source], quoted=True)
            derived = _case([(exp.EQ(this=source, expression=_lit(key)), _lit(value))
                             for key, value in d.table.items()], exp.Null())
            return self._derive(f"~{path}", exp.Coalesce(this=cell, expressions=[derived]))
        return cell

    def _derive(self, name: str, e: exp.Expression) -> exp.Expression:
        """A value worked out once per row, before any condition reads it."""
        if name not in dict(self.derived):
            self.derived.append((name, e))
        return _col(name)

    def _column_here(self, e: exp.Expression) -> exp.Expression:
        """A value worked out once per row in this level's stage (it may depend on an event date),
        or the column of an earlier stage or of this one that already holds it; a constant as itself."""
        if isinstance(e, (exp.Literal, exp.Boolean, exp.Null, exp.Column)):
            return e
        key = e.sql()
        for level in range(self._level + 1):
            name = self._atoms.get((level, key))
            if name is not None:
                return _col(name)
        values = self.values.setdefault(self._level, [])
        name = f"~v{self._level}.{len(values)}"
        values.append((name, e))
        self._atoms[(self._level, key)] = name
        return _col(name)

    def _parameter(self, name: str, day) -> exp.Expression:
        values = self.rulebook.parameters[name]
        if isinstance(day, datetime.date):
            return _lit(self.rulebook.parameter_on(name, day).value)
        # The day is an event date in a column: the value in force on it.
        return _case([(exp.GTE(this=day, expression=_lit(v.start)), _lit(v.value)) for v in reversed(values)],
                     _null())

    # -- numbers known within bounds ------------------------------------------------------

    def _compare(self, op, left, right, day) -> exp.Expression:
        li, ri = self._interval(left, day), self._interval(right, day)
        if li is None and ri is None:
            a, b = self._value(left, day), self._value(right, day)
            if isinstance(a, exp.Null) or isinstance(b, exp.Null):
                return exp.Null()
            return _COMPARE[op](this=_p(a), expression=_p(b))
        if li is not None and ri is not None:
            raise CompileError("two bounded values cannot be compared")
        interval, other, op = (li, self._value(right, day), op) if li is not None else \
            (ri, self._value(left, day), _FLIP[op])
        if op not in (">=", ">", "<", "<="):
            raise CompileError(f"a value known within bounds needs >=, >, < or <=, not {op}")
        low, high = _p(interval.at_least), _p(interval.at_most)
        no_high = exp.Is(this=high, expression=exp.Null())
        if op in (">=", "<"):   # x >= t holds when low >= t, fails when high < t
            holds, fails = exp.GTE(this=low, expression=other), exp.And(
                this=exp.Not(this=no_high), expression=exp.LT(this=high, expression=other))
        else:                    # x > t holds when low > t, fails when high <= t
            holds, fails = exp.GT(this=low, expression=other), exp.And(
                this=exp.Not(this=no_high), expression=exp.LTE(this=high, expression=other))
        yes, no = (exp.true(), exp.false()) if op in (">=", ">") else (exp.false(), exp.true())
        return _case([(_is_false(interval.known), exp.cast(_null(), "BOOLEAN")), (holds, yes), (fails, no)],
                     exp.cast(_null(), "BOOLEAN"))

    def _interval(self, node, day) -> Bounds | None:
        match node:
            case Fact(path=p):
                return self._interval_of_fact(p)
            case Sum(path=p):
                return self._sum(p)
            case Count(condition=c, kind=kind):
                return self._count_subjects(kind, c, day) if kind else self._count(c, day)
        return None

    def _interval_of_fact(self, path: str) -> Bounds | None:
        """An organisation count the row leaves empty is bounded by the row's transfer, as the rulebook says."""
        aggregate = self.rulebook.aggregates.get(path)
        if aggregate is None or "transfer" not in self.kinds:
            return None
        low_name, high_name, known_name = f"~lo:{path}", f"~hi:{path}", f"~known:{path}"
        if low_name not in dict(self.derived):
            given = self._fact(path)
            counting = self._bool(aggregate.counting.tree, self.as_of)
            value = self._fact(aggregate.sums)
            low = _case([(code_is(counting, codes.TRUE), exp.Coalesce(this=value, expressions=[_lit(0)]))], _lit(0))
            high = _case([(code_is(counting, codes.FALSE), _lit(0))], value)
            # A row without its transfer bounds nothing: the count is only what its cell says.
            has = self.exists("transfer")
            bounded = _and([_is_null(given), has])
            known = _or([has, _not(_is_null(given))])
            self.derived += [(low_name, _case([(bounded, low)], given)), (high_name, _case([(bounded, high)], given)),
                             (known_name, known)]
        known = dict(self.derived)[known_name]
        return _bounds(_col(low_name), _col(high_name), known if isinstance(known, exp.Boolean) else _col(known_name))

    def _party_exists(self, index: int) -> exp.Expression:
        return self._derive(f"~party{index}", _or(
            exp.Not(this=exp.Is(this=exp.column(name, quoted=True), expression=exp.Null()))
            for name in self.parties[index].values()))

    def _sum(self, path: str) -> Bounds | None:
        if not self.parties:
            return _bounds(exp.Null(), exp.Null(), exp.false())
        lows, missing = [], []
        for i in sorted(self.parties):
            exists, name = self._party_exists(i), self.parties[i].get(path)
            cell = exp.column(name, quoted=True) if name else exp.Null()
            lows.append(_case([(exists, exp.Coalesce(this=cell, expressions=[_lit(0)]))], _lit(0)))
            missing.append(_and([exists, _is_null(cell)]))
        low = lows[0]
        for item in lows[1:]:
            low = exp.Add(this=low, expression=item)
        low = self._derive(f"~sumlo:{path}", low)
        return _bounds(low, self._derive(f"~sumhi:{path}", _case([(_or(missing), exp.Null())], low)),
                        self._derive("~parties", _or(self._party_exists(i) for i in sorted(self.parties))))

    def _count(self, condition, day) -> Bounds:
        if not self.parties:
            return _bounds(exp.Null(), exp.Null(), exp.false())
        lows, highs = [], []
        for i in sorted(self.parties):
            self._party = i
            try:
                test = self._bool(condition, day)
            finally:
                self._party = None
            exists = self._party_exists(i)
            c = codes.code(test, test=self._test)
            lows.append(codes.counted(c, True, exists))
            highs.append(codes.counted(c, False, exists))
        low, high = lows[0], highs[0]
        for a, b in zip(lows[1:], highs[1:], strict=True):
            low, high = exp.Add(this=low, expression=a), exp.Add(this=high, expression=b)
        return _bounds(self._column_here(low), self._column_here(high),
                        self._derive("~parties", _or(self._party_exists(i) for i in sorted(self.parties))))

    def _count_subjects(self, kind: str, condition, day) -> Bounds:
        """count(services, ...) in an organisation rule. A row holds at most one entity of a kind
        (batch/table.py), so the count is 0 or 1: 0 without one, else as the condition holds for it."""
        if kind not in self.kinds:
            return _bounds(_lit(0), _lit(0), exp.true())
        c, has = codes.code(self._bool(condition, day), test=self._test), self.exists(kind)
        low, high = codes.counted(c, True, has), codes.counted(c, False, has)
        return _bounds(self._column_here(low), self._column_here(high), exp.true())


def status_query(rulebook: Rulebook, as_of: datetime.date, columns: list[Column], source: exp.Expression,
                 id_expr: exp.Expression, only: list[str] | None = None,
                 status_type: str | None = None) -> tuple[list[str], exp.Select]:
    """The obligations the table's columns speak to (or those of `only` among them), and one query
    giving `id` and their statuses.

    The query is staged: derived facts, then for each dependency level the codes of its
    conditions and the statuses they decide, each stage selecting from the one before. An
    obligation another refers to is decided in its stage even when it is not in the result.
    """
    compiler = Compiler(rulebook, as_of, columns, status_type)
    obligations = compiler.obligations()
    if only is not None:
        wanted = set(only)
        obligations = [ob for ob in obligations if ob.id in wanted]
    for ob in obligations:
        compiler.status(ob)
    statuses = compiler._statuses   # the result's and those they refer to
    stages: list[list[tuple[str, exp.Expression]]] = []
    for _depth, group in _by_depth(compiler.derived):
        stages.append(group)
    top = max(compiler.levels.values(), default=0)
    for level in range(top + 1):
        # a level's values may read each other (a test of a count of parties): in groups by depth
        stages += [group for _depth, group in _by_depth(compiler.values.get(level, []))]
        stages.append(compiler.codes.get(level, []))
        stages.append([(f"~s:{o}", e) for o, e in statuses.items() if compiler.levels[o] == level])
    stage = source
    for n, columns_here in enumerate(s for s in stages if s):
        stage = exp.Subquery(this=exp.select(exp.Star(), *[exp.alias_(e, name, quoted=True)
                                                           for name, e in columns_here]).from_(stage),
                             alias=exp.TableAlias(this=exp.to_identifier(f"stage{n}")))
    stage = stage.this if isinstance(stage, exp.Subquery) else exp.select(exp.Star()).from_(stage)
    final = exp.select(exp.alias_(id_expr, "id", quoted=True),
                       *[exp.alias_(_col(f"~s:{ob.id}"), ob.id, quoted=True) for ob in obligations]).from_(
        exp.Subquery(this=stage, alias=exp.TableAlias(this=exp.to_identifier("decided"))))
    return [ob.id for ob in obligations], final


def _by_depth(derived: list[tuple[str, exp.Expression]]):
    """Derived values grouped so that each reads only values of earlier groups (no column aliases
    are referred to in the SELECT that defines them, which not every engine allows)."""
    depth: dict[str, int] = {}
    for name, e in derived:
        refs = {c.name for c in e.find_all(exp.Column) if c.name in depth}
        depth[name] = 1 + max((depth[r] for r in refs), default=-1)
    for d in range(max(depth.values(), default=-1) + 1):
        yield d, [(n, e) for n, e in derived if depth[n] == d]
