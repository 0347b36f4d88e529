"""Three-valued (Kleene) evaluation of a checked tree.

Unknown is None. `false and unknown` is false, `true or unknown` is true, and
any comparison with an unknown side is unknown. Trees are compiled once into
closures, so an assessment walks no parse tree and evaluates no text.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Callable

from hegui.lang.syntax import (
    And, Applies, Compare, Count, Expr, Fact, Known, Literal, Member, Name, Not, Or, Overlaps, Sum,
)
from hegui.lang.values import Bounds

_OPS = {"==": operator.eq, "!=": operator.ne, ">": operator.gt, ">=": operator.ge,
        "<": operator.lt, "<=": operator.le}


@dataclass
class Context:
    facts: dict                       # fact path -> value; absent or None is unknown
    params: dict                      # parameter name -> value on the judging date
    applies: Callable[[str], bool | None] = lambda obligation: None
    applies_missing: Callable[[str], list] = lambda obligation: []


Compiled = Callable[[Context], object]


_compiled: dict[int, tuple[Expr, Compiled]] = {}


def compile_expr(node: Expr) -> Compiled:
    """A closure computing the node's three-valued value.

    Cached by identity: trees are immutable and live as long as the rulebook, and hashing a
    deep frozen tree on every lookup would cost more than the evaluation itself.
    """
    cached = _compiled.get(id(node))
    if cached is not None and cached[0] is node:
        return cached[1]
    fn = _compile(node)
    _compiled[id(node)] = (node, fn)
    return fn


def _compile(node: Expr) -> Compiled:
    match node:
        case Literal(value=v):
            return lambda ctx: v
        case Fact(path=p):
            return lambda ctx: ctx.facts.get(p)
        case Name(name=n):
            return lambda ctx: ctx.params[n]
        # A fact against a literal or a parameter is most of what rules test: read both sides
        # in one closure rather than three.
        case Compare(op=op, left=Fact(path=p), right=Literal(value=b)) if b is not None:
            fn = _OPS[op]

            def compare_fact(ctx):
                a = ctx.facts.get(p)
                return None if a is None else fn(a, b)
            return compare_fact
        case Compare(op=op, left=Fact(path=p), right=Name(name=n)):
            fn = _OPS[op]

            def compare_parameter(ctx):
                a = ctx.facts.get(p)
                if a is None:
                    return None
                b = ctx.params[n]
                return None if b is None else fn(a, b)
            return compare_parameter
        case Compare(op=op, left=l, right=r):
            fn, lf, rf = _OPS[op], compile_expr(l), compile_expr(r)

            def compare(ctx):
                a = lf(ctx)
                if a is None:
                    return None
                b = rf(ctx)
                return None if b is None else fn(a, b)
            return compare
        case Member(item=Fact(path=p), options=opts, negated=neg):
            options = frozenset(opts)

            def member_fact(ctx):
                v = ctx.facts.get(p)
                return None if v is None else (v in options) != neg
            return member_fact
        case Member(item=i, options=opts, negated=neg):
            f, options = compile_expr(i), frozenset(opts)

            def member(ctx):
                v = f(ctx)
                return None if v is None else (v in options) != neg
            return member
        case And(items=items):
            parts = tuple(compile_expr(i) for i in items)

            def all_of(ctx):
                unknown = False
                for part in parts:
                    v = part(ctx)
                    if v is False:
                        return False
                    if v is None:
                        unknown = True
                return None if unknown else True
            return all_of
        case Or(items=items):
            parts = tuple(compile_expr(i) for i in items)

            def any_of(ctx):
                unknown = False
                for part in parts:
                    v = part(ctx)
                    if v is True:
                        return True
                    if v is None:
                        unknown = True
                return None if unknown else False
            return any_of
        case Not(item=i):
            f = compile_expr(i)

            def negate(ctx):
                v = f(ctx)
                return None if v is None else not v
            return negate
        case Applies(obligation=o):
            return lambda ctx: ctx.applies(o)
        case Known(path=p):
            return lambda ctx: ctx.facts.get(p) is not None
        case Sum(path=p):
            items_path = p.rsplit(".", 1)[0]

            def total(ctx):
                items = ctx.facts.get(items_path)
                if items is None:
                    return None
                values = [item.get(p) for item in items]
                known = sum(v for v in values if v is not None)
                # Amounts are never negative, so the known part is a floor when some are missing.
                return known if None not in values else Bounds(known, None, (len(items), items_path))
            return total
        case Count(items=items_path, condition=c):
            test = compile_expr(c)

            def how_many(ctx):
                items = ctx.facts.get(items_path)
                if items is None:
                    return None
                verdicts = [test(_item_context(ctx, item)) for item in items]
                at_least = sum(v is True for v in verdicts)
                at_most = sum(v is not False for v in verdicts)
                return at_least if at_least == at_most else Bounds(at_least, at_most, (len(items), items_path))
            return how_many
        case Overlaps(path=p, options=opts):
            options = frozenset(opts)

            def overlaps(ctx):
                values = ctx.facts.get(p)
                return None if values is None else not options.isdisjoint(values)
            return overlaps
    raise TypeError(node)


def _item_context(ctx: Context, item: dict) -> Context:
    return Context({**ctx.facts, **item}, ctx.params, ctx.applies, ctx.applies_missing)


def residual(node: Expr, ctx: Context, undecided: bool = False) -> list[str]:
    """The unknown facts that leave this node undecided, in the order they are read.

    Empty when the node is decided. Facts that cannot change the outcome (the
    other side of a `false and ...`) are not named. `undecided`: the caller has just
    evaluated the node and found it open, so it is not evaluated again.
    """
    seen: dict[str, None] = {}
    _residual(node, ctx, seen, undecided)
    return list(seen)


def _residual(node: Expr, ctx: Context, out: dict, undecided: bool = False) -> None:
    if isinstance(node, Fact):
        # A fact known only within bounds is still the fact to ask for.
        if isinstance(ctx.facts.get(node.path), (type(None), Bounds)):
            out.setdefault(node.path)
        return
    if not undecided:
        value = compile_expr(node)(ctx)
        if value is not None and not isinstance(value, Bounds):
            return
    match node:
        case Known(path=p) | Overlaps(path=p):
            out.setdefault(p)
        case Compare(left=l, right=r):
            _residual(l, ctx, out)
            _residual(r, ctx, out)
        case Member(item=i) | Not(item=i):
            _residual(i, ctx, out)
        case And(items=items) | Or(items=items):
            for item in items:
                _residual(item, ctx, out)
        case Applies(obligation=o):
            for p in ctx.applies_missing(o):
                out.setdefault(p)
        case Sum(path=p):
            _missing_in_items(p.rsplit(".", 1)[0], ctx, out, lambda item_ctx: [p] if item_ctx.facts.get(p) is None
                              else [])
        case Count(items=items_path, condition=c, kind=kind):
            _missing_in_items(items_path, ctx, out, lambda item_ctx: residual(c, item_ctx), kind or items_path)


def _missing_in_items(items_path: str, ctx: Context, out: dict, missing_of, prefix: str | None = None) -> None:
    """Name unknown item fields with the item's index: concentration.parties[1].turnover_china_rmb, and
    a service's fact read by an organisation rule by its place in the manifest: services[0].commercial."""
    items = ctx.facts.get(items_path)
    if items is None:
        out.setdefault(items_path)
        return
    prefix = (prefix or items_path) + "."
    for i, item in enumerate(items):
        for p in missing_of(_item_context(ctx, item)):
            out.setdefault(p.replace(prefix, f"{items_path}[{i}].", 1) if p.startswith(prefix) else p)


def dependencies(node: Expr) -> list[str]:
    """Every fact path the node reads, in order of first appearance, the fields a count's
    condition reads of each item included (concentration.parties.turnover_china_rmb)."""
    return list(dict.fromkeys(n.reads for n in node.walk() if n.reads))


def context_facts(node: Expr) -> list[str]:
    """The facts read whose values the subject's own facts hold: every dependency but the
    fields read of each item inside a count (those have a value per item, not one)."""
    per_item = tuple(p for c in node.find_all(Count) for p in c.item_prefixes)
    return [p for p in dependencies(node) if not p.startswith(per_item)]


def obligations_referred(node: Expr) -> set[str]:
    """The obligations a condition refers to with applies(...)."""
    return {n.obligation for n in node.find_all(Applies)}


def parameters_used(node: Expr) -> list[str]:
    """The parameters a checked condition compares with (definitions are inlined by then)."""
    return list(dict.fromkeys(n.name for n in node.find_all(Name)))
