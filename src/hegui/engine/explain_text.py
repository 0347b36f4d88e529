"""Plain-language renderings of a finding's reasoning: the one-line reason and substituted tests."""

from __future__ import annotations

import re

from hegui.engine.finding import DOES_NOT_APPLY, NOT_IN_FORCE, UNKNOWN
from hegui.lang.syntax import (
    And, Applies, Compare, Count, Fact, Known, Literal, Member, Name, Not, Or, Overlaps, Sum, render,
)

_WORD = re.compile(r"[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*")


def show(value) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, tuple):
        return "[" + ", ".join(show(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def substituted(clause, ctx) -> str:
    """The clause text with each fact and parameter followed by its value."""
    def value_of(m):
        name = m.group(0)
        if name in clause.facts:
            return f"{name}={show(ctx.facts.get(name))}"
        if name in clause.parameters:
            return f"{name}={show(ctx.params.get(name))}"
        return name
    return _WORD.sub(value_of, " ".join(clause.text.split()))


def step_text(step) -> str:
    """A step's test with the values used, compact enough for one line."""
    text = " ".join(step.test.split())
    values = {**{k: v for k, v in step.facts.items()},
              **{k: p["value"] for k, p in step.parameters.items()}}
    shown = _WORD.sub(lambda m: f"{m.group(0)}={show(values[m.group(0)])}" if m.group(0) in values
                      else m.group(0), text)
    hidden = [f"{k}={show(v)}" for k, v in step.facts.items() if k not in text]
    return f"{shown} [{', '.join(hidden)}]" if hidden else shown


def citation_text(citation: dict) -> str:
    article = citation["article"]
    # Most citations are article numbers; a few instruments (notices, announcements) have none.
    return f"{citation['short']} Art. {article}" if article[:1].isdigit() else f"{citation['short']}, {article}"


def claim(node, ctx) -> str:
    """What a node asserts, with the values it reads, whether or not it holds."""
    match node:
        case Fact(path=p):
            return p
        case Compare(op=op, left=l, right=r):
            return f"{_side(l, ctx)} {op} {_side(r, ctx)}"
        case Member(item=i, options=opts, negated=neg):
            return f"{_side(i, ctx)} {'not in' if neg else 'in'} [{', '.join(str(o) for o in opts)}]"
        case Not(item=Fact(path=p)):
            return f"not {p}"
        case Not(item=Applies(obligation=o)):
            return f"{o} does not apply"
        case Not(item=i):
            return f"not ({claim(i, ctx)})"
        case Applies(obligation=o):
            return f"{o} applies"
        case Known(path=p):
            return f"{p} given"
        case Overlaps(path=p, options=opts):
            return f"{p} {show(ctx.facts.get(p))} includes one of [{', '.join(opts)}]"
        case And(items=items):
            return " and ".join(_grouped(i, ctx) for i in items)
        case Or(items=items):
            return " or ".join(_grouped(i, ctx) for i in items)
        case Literal(value=v):
            return show(v)
    return render(node)


def _grouped(node, ctx) -> str:
    return f"({claim(node, ctx)})" if isinstance(node, (And, Or)) else claim(node, ctx)


def why(node, ctx) -> str:
    """The decisive part of a condition, with values: a true `or` shows the branch that held,
    a false `and` the part that failed, so a reason fits on a line."""
    from hegui.lang.evaluate import compile_expr
    value = compile_expr(node)(ctx)
    if isinstance(node, (And, Or)):
        parts = [(i, compile_expr(i)(ctx)) for i in node.items]
        decisive = False if isinstance(node, And) else True
        if value is decisive:
            return why(next(i for i, v in parts if v is decisive), ctx)
        if value is None:
            return "; ".join(why(i, ctx) for i, v in parts if v is None)
        if isinstance(node, And):
            return "; ".join(why(i, ctx) for i, _ in parts)
        return "none of: " + "; ".join(claim(i, ctx) for i, _ in parts)
    if isinstance(node, Not) and isinstance(node.item, Fact):
        p = node.item.path
        return f"{p} is false" if value else f"{p} is true" if value is False else f"{p} unknown"
    text = claim(node, ctx)
    return text if value else f"{text} is false" if value is False else f"{text} unknown"


def _side(node, ctx) -> str:
    from hegui.lang.evaluate import compile_expr
    match node:
        case Sum() | Count():
            return f"{render(node)} {show(compile_expr(node)(ctx))}"
        case Fact(path=p):
            return f"{p} {show(ctx.facts.get(p))}"
        case Name(name=n):
            return show(ctx.params.get(n))
        case Literal(value=v):
            return show(v)
    return render(node)


def one_line_reason(finding) -> str:
    steps = finding.because
    cite = citation_text(finding.citation)
    if finding.status == NOT_IN_FORCE:
        return f"{steps[-1].test} ({cite})"
    if finding.status == UNKNOWN:
        return f"needs {', '.join(finding.missing_facts)} ({cite})"
    if finding.status == DOES_NOT_APPLY:
        exempt = next((s for s in steps if s.role == "exemption" and s.value is True), None)
        if exempt:
            article = f"Art. {exempt.article}" if exempt.article[:1].isdigit() else exempt.article
            return f"exempt under {article}: {exempt.says} ({cite})"
        gate = next((s for s in steps if s.role == "event" and s.value is False), None)
        if gate:
            return gate.test
        failed = next((c for c in finding.version.applies_when if c.run(finding.context) is False), None)
        return f"{why(failed.tree, finding.context)} ({cite})" if failed else f"does not apply ({cite})"
    met = [why(c.tree, finding.context) for c in finding.version.applies_when]
    return f"{'; '.join(met)} ({cite}, in force {finding.citation['in_force']})"
