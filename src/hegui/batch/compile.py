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

from sqlglot import exp

from hegui.batch.table import Column, kinds_present
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
    return exp.Coalesce(this=_p(e), expressions=[exp.false()])


def _is_false(e):
    return exp.Not(this=exp.Coalesce(this=_p(e), expressions=[exp.true()]))


def _code(e) -> exp.Expression:
    """A three-valued condition as one number, so it is computed once: 1 true, 0 false, 2 unknown."""
    return exp.Coalesce(this=exp.cast(_p(e), "INT"), expressions=[exp.Literal.number(2)])


def _col(name: str) -> exp.Expression:
    return exp.column(name, quoted=True)


def _case(branches, default) -> exp.Expression:
    return exp.Case(ifs=[exp.If(this=c, true=v) for c, v in branches], default=default)


def _and(items):
    return exp.and_(*items, copy=False)   # sqlglot brackets the parts where precedence needs it


def _or(items):
    return exp.or_(*items, copy=False)


_COMPARE = {"==": exp.EQ, "!=": exp.NEQ, ">": exp.GT, ">=": exp.GTE, "<": exp.LT, "<=": exp.LTE}
_FLIP = {">": "<", "<": ">", ">=": "<=", "<=": ">=", "==": "==", "!=": "!="}


class Compiler:
    """Status expressions for the obligations a table's columns can speak to."""

    def __init__(self, rulebook: Rulebook, as_of: datetime.date, columns: list[Column]):
        self.rulebook, self.as_of = rulebook, as_of
        self.columns = {c.fact: c.name for c in columns if c.fact and c.item is None}
        self.parties: dict[int, dict[str, str]] = {}   # item index -> field fact -> column, for the list of records
        for c in columns:
            if c.item is not None:
                self.parties.setdefault(c.item, {})[c.fact] = c.name
        self._item_fields = {c.fact for c in columns if c.item is not None}
        self.kinds = kinds_present(columns)
        self._statuses: dict[str, exp.Expression] = {}
        self._party: int | None = None   # which item's columns the fields of a list's items read
        # Work computed once per row in earlier stages of the query, so no expression is repeated:
        # derived facts, then per dependency level the three-valued codes and the statuses.
        self.derived: list[tuple[str, exp.Expression]] = []
        self.values: dict[int, list[tuple[str, exp.Expression]]] = {}
        self.codes: dict[int, list[tuple[str, exp.Expression]]] = {}
        self.levels: dict[str, int] = {}
        self._level = 0

    def obligations(self) -> list[Obligation]:
        return [ob for ob in self.rulebook.obligations.values() if ob.subject in self.kinds]

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
        codes = self.codes.setdefault(self._level, [])
        name = f"~c{self._level}.{len(codes)}"
        codes.append((name, _code(e)))
        return _col(name)

    # The walk over the decision tree (rulebook/decision.py), one method per node type; the
    # engine's walk is engine/decide.py. The as-of day is a constant, an event's day a column.

    def _status(self, ob: Obligation) -> exp.Expression:
        return self._window(ob.decision)

    def _window(self, node: Window) -> exp.Expression:
        if not node.holds_on(self.as_of):
            return _lit(NOT_IN_FORCE)
        if type(node.inner) is ByEvent:
            return self._by_event(node.inner)
        return self._versions_on(node.inner, self.as_of)

    def _versions_on(self, node: Versions, day: datetime.date) -> exp.Expression:
        judge = node.on(day)
        return _lit(NOT_IN_FORCE) if judge is None else self._judge(judge, day)

    def _by_event(self, node: ByEvent) -> exp.Expression:
        as_of = self.as_of
        event = self._fact(node.event)
        branches = [(exp.Or(this=exp.Is(this=event, expression=exp.Null()),
                            expression=exp.GT(this=event, expression=_lit(as_of))),
                     self._versions_on(node.versions, as_of)),
                    (exp.LT(this=event, expression=_lit(node.first)), self._gate(node.gate, node))]
        # The latest version started by the event's day decides, unless it ended before that day.
        for start, end, judge in reversed([s for s in node.versions.spans if s[0] <= as_of]):
            if end is not None:
                branches.append((exp.GTE(this=event, expression=_lit(end)), _lit(NOT_IN_FORCE)))
            branches.append((exp.GTE(this=event, expression=_lit(start)), self._judge(judge, event)))
        return _case(branches, _lit(NOT_IN_FORCE))

    def _gate(self, gate: Gate, node: ByEvent) -> exp.Expression:
        """An event before the rule existed: only a transitional provision can reach it."""
        if not gate.transitionals:
            return _lit(DOES_NOT_APPLY)
        day = node.first
        code = self._once(_or(self._bool(t.when.tree, day) for t in gate.transitionals))
        judge = node.versions.on(day)
        return _case([(exp.EQ(this=code, expression=_lit(0)), _lit(DOES_NOT_APPLY))],
                     self._judge(judge, day, code) if judge is not None else _lit(NOT_IN_FORCE))

    def _judge(self, judge: Judge, day, gate_code=None) -> exp.Expression:
        base = self._once(_and(self._bool(c.tree, day) for c in judge.conditions))
        if gate_code is not None:   # Kleene and of two codes: 0 if either is 0, 1 if both 1, else 2
            base = _case([(exp.Or(this=exp.EQ(this=base, expression=_lit(0)),
                                  expression=exp.EQ(this=gate_code, expression=_lit(0))), _lit(0)),
                          (exp.And(this=exp.EQ(this=base, expression=_lit(1)),
                                   expression=exp.EQ(this=gate_code, expression=_lit(1))), _lit(1))], _lit(2))
        exempt = self._once(_or(self._bool(c.tree, day) for c in judge.exemptions)) if judge.exemptions \
            else _lit(0)
        return _case([(exp.Or(this=exp.EQ(this=base, expression=_lit(0)),
                              expression=exp.EQ(this=exempt, expression=_lit(1))), _lit(DOES_NOT_APPLY)),
                      (exp.And(this=exp.EQ(this=base, expression=_lit(1)),
                               expression=exp.EQ(this=exempt, expression=_lit(0))), _lit(APPLIES))],
                     _lit(UNKNOWN))

    # -- conditions -----------------------------------------------------------------------

    def _bool(self, node, day) -> exp.Expression:
        match node:
            case Literal(value=v):
                return _lit(v)
            case Fact(path=p):
                return self._fact(p)
            case Compare(op=op, left=left, right=right):
                return self._compare(op, left, right, day)
            case Member(item=item, options=options, negated=negated):
                test = exp.In(this=_p(self._value(item, day)), expressions=[_lit(o) for o in options])
                return exp.Not(this=_p(test)) if negated else test
            case And(items=items):
                return _and(self._bool(i, day) for i in items)
            case Or(items=items):
                return _or(self._bool(i, day) for i in items)
            case Not(item=item):
                return exp.Not(this=_p(self._bool(item, day)))
            case Applies(obligation=o):
                self.status(self.rulebook.obligations[o])   # compiled into its own, earlier level
                status = _col(f"~s:{o}")
                return _case([(exp.EQ(this=_p(status), expression=_lit(APPLIES)), exp.true()),
                              (exp.EQ(this=_p(status), expression=_lit(UNKNOWN)), exp.cast(_null(), "BOOLEAN"))],
                             exp.false())
            case Known(path=p):
                interval = self._interval_of_fact(p)
                if interval is not None:
                    return interval.known
                return exp.Not(this=exp.Is(this=self._fact(p), expression=exp.Null()))
            case Overlaps(path=p, options=options):
                cell = exp.Concat(expressions=[_lit(";"), exp.Anonymous(
                    this="REPLACE", expressions=[self._fact(p), _lit(" "), _lit("")]), _lit(";")])
                return _or(exp.Like(this=cell, expression=_lit(f"%;{o};%")) for o in options)
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
        """A value worked out once per row in this level's stage (it may depend on an event date)."""
        values = self.values.setdefault(self._level, [])
        name = f"~v{self._level}.{len(values)}"
        values.append((name, e))
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
            return _COMPARE[op](this=_p(self._value(left, day)), expression=_p(self._value(right, day)))
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
        low_name, high_name = f"~lo:{path}", f"~hi:{path}"
        if low_name not in dict(self.derived):
            given = self._fact(path)
            counted = _code(self._bool(aggregate.counting.tree, self.as_of))
            value = self._fact(aggregate.sums)
            low = _case([(exp.EQ(this=counted, expression=_lit(1)), exp.Coalesce(this=value, expressions=[_lit(0)]))],
                        _lit(0))
            high = _case([(exp.EQ(this=counted, expression=_lit(0)), _lit(0))], value)
            missing = exp.Is(this=given, expression=exp.Null())
            self.derived += [(low_name, _case([(missing, low)], given)), (high_name, _case([(missing, high)], given))]
        return _bounds(_col(low_name), _col(high_name), exp.true())

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
            missing.append(exp.And(this=_p(exists), expression=exp.Is(this=cell, expression=exp.Null())))
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
            lows.append(_case([(exp.And(this=_p(exists), expression=_is_true(test)), _lit(1))], _lit(0)))
            highs.append(_case([(exp.And(this=_p(exists), expression=exp.Not(this=_is_false(test))), _lit(1))],
                               _lit(0)))
        low, high = lows[0], highs[0]
        for a, b in zip(lows[1:], highs[1:], strict=True):
            low, high = exp.Add(this=low, expression=a), exp.Add(this=high, expression=b)
        return _bounds(self._column_here(low), self._column_here(high),
                        self._derive("~parties", _or(self._party_exists(i) for i in sorted(self.parties))))

    def _count_subjects(self, kind: str, condition, day) -> Bounds:
        """count(services, ...) in an organisation rule. A row holds one entity of a kind when the
        table has any column of that kind (its empty cells are unknown facts) and none otherwise,
        so the count is 0 or 1: 0 without such columns, else as the condition holds for the row's."""
        if kind not in self.kinds:
            return _bounds(_lit(0), _lit(0), exp.true())
        test = self._bool(condition, day)
        low = _case([(_is_true(test), _lit(1))], _lit(0))
        high = _case([(_is_false(test), _lit(0))], _lit(1))
        return _bounds(self._column_here(low), self._column_here(high), exp.true())


def status_query(rulebook: Rulebook, as_of: datetime.date, columns: list[Column], source: exp.Expression,
                 id_expr: exp.Expression) -> tuple[list[str], exp.Select]:
    """The obligations the table's columns speak to, and one query giving `id` and their statuses.

    The query is staged: derived facts, then for each dependency level the codes of its
    conditions and the statuses they decide, each stage selecting from the one before.
    """
    compiler = Compiler(rulebook, as_of, columns)
    obligations = compiler.obligations()
    statuses = {ob.id: compiler.status(ob) for ob in obligations}
    stages: list[list[tuple[str, exp.Expression]]] = []
    for _depth, group in _by_depth(compiler.derived):
        stages.append(group)
    top = max(compiler.levels.values(), default=0)
    for level in range(top + 1):
        stages.append(compiler.values.get(level, []))
        stages.append(compiler.codes.get(level, []))
        here = [ob.id for ob in obligations if compiler.levels[ob.id] == level]
        stages.append([(f"~s:{o}", statuses[o]) for o in here])
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
