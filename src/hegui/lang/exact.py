"""Exact three-valued decisions: `unknown` only when the missing facts could really change the answer.

Kleene evaluation is sound but not complete: `(x and y) or (not x and y)` stays unknown while x is,
although y settles it. A decision here is the Kleene test "all conditions hold and no exemption
does" over a handful of atoms, so it is decided exactly by cutting each fact into the regions its
atoms cannot tell apart (a number: between and at the thresholds it is compared with; a code: each
value named plus "any other"; a flag: true or false; a fact that `known(...)` reads: also "absent"),
evaluating the decision once per combination of regions (a cell), and writing two covers as
conditions in the language itself:

  not_applies   a disjunction of cubes covering every cell that does not apply
  not_dna       a disjunction of cubes covering every cell that is not does_not_apply

A cube is an `and` of "this fact is in these regions" literals. Kleene-evaluated on partial
facts, a cover is false exactly when no completion of the missing facts reaches any of its cells
(a literal is false only when the known value, or its bounds, is outside its regions): so the
decision applies when `not_applies` is false, does not apply when `not_dna` is false, and is
unknown otherwise, when completions disagree. Any cover works (no prime implicants needed); cells
are merged into cubes along each fact to keep the conditions small. Because the covers are ordinary
trees, the engine (compile_expr) and the SQL compiler evaluate them with their usual walks.

Atoms that are not a fact compared with a constant (counts, sums, overlaps, two facts compared,
another obligation's status not inlined) stay opaque: each is a flag of its own. Relations through
them are lost, which leaves some unknowns (never a wrong definite status).
"""

from __future__ import annotations

import dataclasses
import datetime
import operator
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from hegui.lang.evaluate import Compiled, Context, compile_expr, context_facts, dependencies, residual
from hegui.lang.syntax import (
    And, Applies, Compare, Count, Expr, Fact, Known, Literal, Member, Name, Not, Or,
)

# The work is one evaluation per cell; beyond this many cells a decision keeps Kleene's answer
# (tests/engine/test_exact.py counts how many of the shipped rulebook's decisions do).
MAX_CELLS = 20_000

_OPS = {"==": operator.eq, "!=": operator.ne, ">": operator.gt, ">=": operator.ge, "<": operator.lt,
        "<=": operator.le}
_FLIP = {">": "<", "<": ">", ">=": "<=", "<=": ">=", "==": "==", "!=": "!="}
_OTHER = "\x00any other value"   # stands for every code the conditions do not name


@dataclass(frozen=True)
class Form:
    """The two covers of one decision, and the facts it cuts into regions."""
    not_applies: Expr
    not_dna: Expr
    facts: tuple[str, ...]     # facts split into regions, in reading order
    cells: int
    known: tuple[str, ...] = ()   # facts known(...) reads: their absence is given, not completed
    # For tests and traces: the decision with opaque atoms as stand-in facts (~atom0, ...), each
    # variable's path and one value per region (None: absent), and the parameters fixed.
    stand_in: Expr | None = dataclasses.field(default=None, compare=False, repr=False)
    variables: tuple = dataclasses.field(default=(), compare=False, repr=False)
    params: dict = dataclasses.field(default_factory=dict, compare=False, repr=False, hash=False)
    # The relations taking part; when the given facts meet one, Kleene's answer stands.
    contradiction: Expr = Literal(False)
    # Every fact read by one atom and no relation taking part: Kleene is exact already (a read-once
    # formula), so the covers are not built and the walks keep Kleene's answer.
    read_once: bool = False

    @property
    def run_not_applies(self) -> Compiled:
        return compile_expr(self.not_applies)

    @property
    def run_not_dna(self) -> Compiled:
        return compile_expr(self.not_dna)

    def decide(self, ctx: Context) -> bool | None:
        """True: applies on every completion; False: on none; None: completions disagree (or the
        given facts contradict a relation)."""
        if compile_expr(self.contradiction)(ctx) is True:
            return None
        if self.run_not_applies(ctx) is False:
            return True
        if self.run_not_dna(ctx) is False:
            return False
        return None

    def missing(self, ctx: Context, kleene: list[str]) -> list[str]:
        """The facts that matter, of those Kleene named (`kleene`, in its order) and any others left
        open in the cubes still reachable."""
        needed = residual(self.not_applies, ctx)
        needed += [p for p in residual(self.not_dna, ctx) if p not in needed]
        # A fact known(...) reads is not completed when absent, but when Kleene names it, its other
        # tests stay open inside a cell: it is still the fact to ask for.
        return [p for p in kleene if p in needed or p in self.known] + [p for p in needed if p not in kleene]


def decision(conditions: list[Expr], exemptions: list[Expr]) -> Expr:
    """Every condition holds and no exemption does, as one tree."""
    items = list(conditions)
    if exemptions:
        items.append(Not(exemptions[0] if len(exemptions) == 1 else Or(tuple(exemptions))))
    if not items:
        return Literal(True)
    return items[0] if len(items) == 1 else And(tuple(items))


def inline(node: Expr, replace: Callable[[str], Expr | None], depth: int = 4) -> Expr:
    """The tree with each applies(o) that `replace` can give replaced by o's own decision, so
    relations through another obligation's facts are seen (depth-limited; cycles are refused at load)."""
    if isinstance(node, Applies):
        inner = replace(node.obligation) if depth > 0 else None
        return node if inner is None else inline(inner, replace, depth - 1)
    if not node.child_fields or isinstance(node, Compare | Member | Count):
        return node   # a count's condition is about each item, not this subject: left alone
    changes = {}
    for name in node.child_fields:
        value = getattr(node, name)
        changes[name] = tuple(inline(v, replace, depth) for v in value) if isinstance(value, tuple) \
            else inline(value, replace, depth)
    return dataclasses.replace(node, **changes)


# -- the facts' regions --------------------------------------------------------------------

@dataclass
class _Numeric:
    """A number or date cut by its thresholds: below t1, t1, between t1 and t2, ..., above tk."""
    path: str
    thresholds: dict = dataclasses.field(default_factory=dict)   # value -> the node naming it
    tests: set = dataclasses.field(default_factory=set)          # (op, value) of each atom on it
    fine: list = dataclasses.field(default_factory=list)         # its regions, before grouping

    def groups(self, floor) -> list[tuple]:
        """The regions, those no atom tells apart merged (x >= t never separates t from above it),
        each a tuple of fine regions; none below `floor` when given."""
        self.fine, self._values = [], {}
        for r in self.regions():
            v = self.value(r)
            if v is not None and floor is not None and v < floor:
                # keep the part of the region from the floor up, if there is one: the floor itself
                top = {"below": r[1], "between": r[-1], "at": r[1]}.get(r[0])
                v = floor if top is None or (top > floor and r[0] != "at") else None
            if v is not None:
                self.fine.append(r)
                self._values[r] = v
        by_answers: dict[tuple, list] = {}
        for r in self.fine:
            v = self._values[r]
            by_answers.setdefault(tuple(_OPS[op](v, t) for op, t in sorted(self.tests, key=repr)), []).append(r)
        return [tuple(g) for g in by_answers.values()]

    def group_value(self, group: tuple):
        return self._values[group[0]]

    def group_literal(self, groups: list, chosen: set[int]) -> Expr:
        fine = {self.fine.index(r) for i in chosen for r in groups[i]}
        return self.literal(self.fine, fine)

    def regions(self) -> list[tuple]:
        ts = sorted(self.thresholds)
        out = [("below", ts[0])]
        for a, b in zip(ts, ts[1:]):
            out += [("at", a), ("between", a, b)]
        return out + [("at", ts[-1]), ("above", ts[-1])]

    def value(self, region: tuple):
        step = datetime.timedelta(days=1) if isinstance(region[1], datetime.date) else 1
        match region:
            case ("below", t):
                return t - step
            case ("at", t):
                return t
            case ("above", t):
                return t + step
            case ("between", a, b):
                if isinstance(a, datetime.date):
                    return a + datetime.timedelta(days=(b - a).days // 2) if (b - a).days > 1 else None
                return (Decimal(a) + Decimal(b)) / 2
        raise ValueError(region)

    def literal(self, regions: list[tuple], chosen: set[int]) -> Expr:
        fact, runs, run = Fact(self.path), [], []
        for i in range(len(regions)):
            if i in chosen:
                run.append(i)
            elif run:
                runs.append(run)
                run = []
        if run:
            runs.append(run)
        parts = []
        for r in runs:
            first, last, bounds = regions[r[0]], regions[r[-1]], []
            if first[0] == "at":
                bounds.append(Compare(">=", fact, self.thresholds[first[1]]))
            elif first[0] in ("between", "above"):
                bounds.append(Compare(">", fact, self.thresholds[first[1]]))
            if last[0] == "at":
                bounds.append(Compare("<=", fact, self.thresholds[last[1]]))
            elif last[0] in ("between", "below"):
                bounds.append(Compare("<", fact, self.thresholds[last[-1]]))
            parts.append(_all(bounds))
        return _any(parts)


@dataclass
class _Code:
    """A fact taking one of some values: each value the conditions name, and (codes) any other."""
    path: str
    names: dict = dataclasses.field(default_factory=dict)
    flag: bool = False    # true/false only: no other value

    def regions(self) -> list:
        values = [True, False] if self.flag else list(self.names)
        return values if self.flag else values + [_OTHER]

    def value(self, region):
        return region

    def literal(self, regions: list, chosen: set[int]) -> Expr:
        values = [regions[i] for i in sorted(chosen)]
        fact = Fact(self.path)
        if self.flag:
            return fact if values == [True] else Not(fact)
        if _OTHER in values:
            excluded = tuple(v for v in regions if v not in values)
            return Member(fact, excluded, negated=True)
        return Member(fact, tuple(values))


@dataclass
class _Opaque:
    """An atom kept whole: a flag of its own."""
    node: Expr

    def regions(self) -> list:
        return [True, False]

    def literal(self, regions: list, chosen: set[int]) -> Expr:
        return self.node if regions[min(chosen)] is True else Not(self.node)


def _all(items: list[Expr]) -> Expr:
    return Literal(True) if not items else items[0] if len(items) == 1 else And(tuple(items))


def _any(items: list[Expr]) -> Expr:
    return Literal(False) if not items else items[0] if len(items) == 1 else Or(tuple(items))


class _Atoms:
    """The facts a decision reads, as region variables, and the tree with opaque atoms as stand-in facts."""

    def __init__(self, params: dict, nonnegative: frozenset[str] = frozenset()):
        self.params, self.nonnegative = params, nonnegative
        self.facts: dict[str, _Numeric | _Code] = {}
        self.known: set[str] = set()       # facts known(...) reads: absence is one of their regions
        self.opaque: dict[Expr, str] = {}  # atom -> its stand-in fact path
        self.reads: dict[str, int] = {}    # fact or stand-in path -> how many atoms read it

    def constant(self, node: Expr):
        if isinstance(node, Literal):
            return node.value
        if isinstance(node, Name) and node.name in self.params:
            return self.params[node.name]
        return None

    def visit(self, node: Expr) -> Expr:
        """The tree with every opaque atom replaced by a stand-in fact; fact atoms recorded."""
        out = self._visit(node)
        if not isinstance(node, (And, Or, Not, Literal)):
            path = out.path if isinstance(out, (Fact, Known)) else next(
                n.reads for n in node.walk() if n.reads)
            self.reads[path] = self.reads.get(path, 0) + 1
        return out

    def _visit(self, node: Expr) -> Expr:
        match node:
            case And(items=items):
                return And(tuple(self.visit(i) for i in items))
            case Or(items=items):
                return Or(tuple(self.visit(i) for i in items))
            case Not(item=i):
                return Not(self.visit(i))
            case Literal():
                return node
            case Fact(path=p):
                if self._code(p, flag=True) is not None:
                    return node
            case Known(path=p):
                self.known.add(p)
                return node
            case Compare(op=op, left=left, right=right):
                if isinstance(right, Fact) and not isinstance(left, Fact):
                    left, right, op = right, left, _FLIP[op]
                value = self.constant(right)
                if isinstance(left, Fact) and value is not None and not isinstance(value, bool):
                    if isinstance(value, str) and op in ("==", "!="):
                        code = self._code(left.path)
                        if code is not None:
                            code.names.setdefault(value, right)
                            return node
                    elif isinstance(value, (int, Decimal, datetime.date)):
                        numeric = self._numeric(left.path)
                        if numeric is not None:
                            numeric.thresholds.setdefault(value, right)
                            numeric.tests.add((op, value))
                            return node
            case Member(item=Fact(path=p), options=options) if all(isinstance(o, str) for o in options):
                code = self._code(p)
                if code is not None:
                    for o in options:
                        code.names.setdefault(o, Literal(o))
                    return node
        path = self.opaque.setdefault(node, f"~atom{len(self.opaque)}")
        return Fact(path)

    def _code(self, path: str, flag: bool = False) -> _Code | None:
        found = self.facts.setdefault(path, _Code(path, flag=flag))
        if not isinstance(found, _Code) or found.flag != flag:
            return None
        return found

    def _numeric(self, path: str) -> _Numeric | None:
        found = self.facts.setdefault(path, _Numeric(path))
        return found if isinstance(found, _Numeric) else None

    def variables(self) -> list[tuple[str, object, list]]:
        """(fact or stand-in path, its kind, its regions): a region is a value to evaluate with;
        None is "absent" for a fact known(...) reads."""
        out = []
        for path, kind in self.facts.items():
            if isinstance(kind, _Numeric) and not kind.thresholds or isinstance(kind, _Code) and \
                    not kind.flag and not kind.names:
                continue   # every atom on it turned out opaque
            regions = kind.groups(0 if path in self.nonnegative else None) if isinstance(kind, _Numeric) \
                else kind.regions()
            out.append((path, kind, regions + ([None] if path in self.known else [])))
        for path in sorted(self.known - set(self.facts)):
            out.append((path, None, ["present", None]))
        for node, path in self.opaque.items():
            out.append((path, _Opaque(node), [True, False]))
        return out


def build(tree: Expr, params: dict, impossible: tuple[Expr, ...] = (),
          nonnegative: frozenset[str] = frozenset(), whole: bool = False) -> Form | None:
    """The exact form of a decision tree (conditions and not exemptions), its parameters fixed
    to `params`; None when it has more than MAX_CELLS cells (then Kleene's answer stands).

    `impossible`: conditions no subject meets (relations between facts); those sharing a fact with
    the tree take part: cells meeting one are left out of both covers (no completion lands there).
    `nonnegative`: number facts that are never below 0 (counts, amounts): no regions below 0.
    A read-once decision gets no covers (Kleene is exact for it) unless `whole` asks for them.
    """
    atoms = _Atoms(params, nonnegative)
    stand_in = atoms.visit(tree)
    read = set(context_facts(tree))   # not the fields a count reads of each item
    relations = tuple(r for r in impossible if read & set(dependencies(r)))
    excluded = [compile_expr(atoms.visit(r)) for r in relations]
    variables = atoms.variables()
    values = tuple((path, tuple(None if r is None else True if kind is None else
                                _value(kind, r) if isinstance(kind, (_Numeric, _Code)) else r for r in regions))
                   for path, kind, regions in variables)
    facts = tuple(p for p, kind, _r in variables if not isinstance(kind, _Opaque))
    if not whole and not relations and all(n == 1 for n in atoms.reads.values()):
        return Form(Literal(True), Literal(True), facts, 0, tuple(sorted(atoms.known)), stand_in, values,
                    dict(params), read_once=True)
    cells = 1
    for _path, _kind, regions in variables:
        cells *= len(regions)
    if cells > MAX_CELLS:
        return None
    not_applies, not_dna = _cells(compile_expr(stand_in), excluded, variables, params)
    return Form(_cover(not_applies, variables), _cover(not_dna, variables), facts, cells, tuple(sorted(atoms.known)),
                stand_in, values, dict(params), _any(list(relations)))


def _cells(run: Compiled, excluded: list, variables: list, params: dict) -> tuple[list, list]:
    """The cubes that do not apply and those that are not does_not_apply, by splitting one fact at a
    time and stopping where Kleene already decides the whole cube (it is sound: true on partial facts
    means true on every completion). Facts known(...) reads are split first: for them a missing value
    means absent, not "any". A cube some relation may rule out in part is split until it cannot."""
    order = sorted(range(len(variables)), key=lambda v: variables[v][2][-1] is not None)
    givens = sum(1 for _p, _k, regions in variables if regions[-1] is None)
    not_applies, not_dna = [], []

    def split(depth: int, facts: dict, cube: tuple) -> None:
        if depth >= givens:
            ctx = Context(facts, params)
            ruled_out = [rule(ctx) for rule in excluded]
            if True in ruled_out:
                return                       # no subject has these facts
            if None not in ruled_out:
                value = run(ctx)
                if value is not None or depth == len(order):
                    if value is not True:
                        not_applies.append(cube)
                    if value is not False:
                        not_dna.append(cube)
                    return
        v = order[depth]
        path, kind, regions = variables[v]
        for i, region in enumerate(regions):
            here = dict(facts)
            if region is not None:           # None: absent, a fact known(...) reads left out
                here[path] = True if kind is None else region if isinstance(kind, _Opaque) else _value(kind, region)
            split(depth + 1, here, cube[:v] + (frozenset((i,)),) + cube[v + 1:])

    split(0, {}, tuple(frozenset(range(len(r))) for _p, _k, r in variables))
    return not_applies, not_dna


def _value(kind, region):
    return kind.group_value(region) if isinstance(kind, _Numeric) else kind.value(region)


def _cover(cubes: list[tuple[frozenset, ...]], variables: list) -> Expr:
    """These cubes, merged along each variable in turn (cubes alike but in one variable are one
    cube), as a condition."""
    cubes = set(cubes)
    for v in range(len(variables)):
        merged: dict[tuple, set] = {}
        for cube in cubes:
            key = cube[:v] + cube[v + 1:]
            merged.setdefault(key, set()).update(cube[v])
        cubes = {key[:v] + (frozenset(s),) + key[v:] for key, s in merged.items()}
    return _any([_all([lit for v, chosen in enumerate(cube) if (lit := _literal(variables[v], chosen)) is not None])
                 for cube in sorted(cubes, key=_order)])


def _order(cube) -> tuple:
    return tuple(sorted(s) for s in cube)


def _literal(variable, chosen: frozenset) -> Expr | None:
    """The test "this variable is in the chosen regions"; None when all are chosen."""
    path, kind, regions = variable
    if len(chosen) == len(regions):
        return None
    if regions[-1] is not None:
        return _kind_literal(kind, regions, set(chosen))
    # A fact known(...) reads; its last region is "absent". Absent, its value tests are unknown, so
    # the known(...) test comes first: the literal is false (or true) on an absent fact, not unknown.
    absent, known = len(regions) - 1, Known(path)
    present = {i for i in chosen if i != absent}
    inner = None if kind is None or len(present) in (0, absent) else _kind_literal(kind, regions[:-1], present)
    if absent in chosen:
        return Not(known) if not present else Or((Not(known), inner))   # inner: not every value chosen
    return known if inner is None else And((known, inner))


def _kind_literal(kind, regions, chosen: set[int]) -> Expr:
    return kind.group_literal(regions, chosen) if isinstance(kind, _Numeric) else kind.literal(regions, chosen)
