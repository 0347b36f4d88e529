"""Condition text to trees (lang/syntax.py), with lark and the grammar in grammar.lark.

A module of its own so that lark is imported only when text is parsed: a process that reads
the compiled rulebook from the cache (rulebook/cache.py) parses nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from lark import Lark, Transformer, v_args
from lark.exceptions import LarkError, UnexpectedInput

from hegui.lang.syntax import (
    And, Applies, Compare, Count, Expr, Fact, Known, Literal, Member, Name, Not, Or, Overlaps, Sum, SyntaxProblem,
)


@v_args(inline=True)
class _ToTree(Transformer):
    def or_(self, *items):
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_(self, *items):
        return items[0] if len(items) == 1 else And(tuple(items))

    def not_(self, item):
        return Not(item)

    def compare(self, left, op, right):
        return Compare(str(op), left, right)

    def member(self, item, options):
        return Member(item, options)

    def not_member(self, item, options):
        return Member(item, options, negated=True)

    def list(self, *items):
        return tuple(i.value for i in items if i is not None)

    def date(self, token):
        try:
            return Literal(datetime.date.fromisoformat(str(token)))
        except ValueError:
            raise SyntaxProblem(str(token), token.column, "a real calendar date YYYY-MM-DD") from None

    def number(self, token):
        text = str(token).replace("_", "")
        return Literal(Decimal(text) if "." in text else int(text))

    def string(self, token):
        return Literal(str(token)[1:-1])

    def true(self):
        return Literal(True)

    def false(self):
        return Literal(False)

    def applies(self, token):
        return Applies(str(token))

    def known(self, token):
        return Known(str(token))

    def sum_(self, token):
        return Sum(str(token))

    def count_(self, token, condition):
        return Count(str(token), condition)

    def overlaps(self, token, options):
        return Overlaps(str(token), options)

    def path(self, token):
        text = str(token)
        return Fact(text) if "." in text else Name(text)


@lru_cache(maxsize=1)
def _parser() -> Lark:
    grammar = resources.files("hegui.lang").joinpath("grammar.lark").read_text(encoding="utf-8")
    # cache=True keeps the LALR tables in a temporary file keyed by the grammar's hash,
    # so later starts skip building them.
    return Lark(grammar, parser="lalr", maybe_placeholders=False, cache=True)


def parse_condition(text: str) -> Expr:
    """Parse one condition. Raises SyntaxProblem with the column on bad text."""
    try:
        tree = _parser().parse(text)
    except UnexpectedInput as e:
        expected = getattr(e, "expected", None) or getattr(e, "allowed", None)
        hint = f"expected one of {sorted(expected)}" if expected else "unexpected text"
        raise SyntaxProblem(text, getattr(e, "column", None), hint) from None
    except LarkError as e:  # pragma: no cover - lark's other failures
        raise SyntaxProblem(text, None, str(e)) from None
    try:
        return _ToTree().transform(tree)
    except LarkError as e:
        inner = getattr(e, "orig_exc", None)
        if isinstance(inner, SyntaxProblem):
            raise SyntaxProblem(text, inner.column, inner.expected) from None
        raise SyntaxProblem(text, None, str(e)) from None
