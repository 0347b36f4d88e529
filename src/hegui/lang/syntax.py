"""Condition trees, and parse() from text to a tree (the parser itself is lang/parser.py).

The tree is plain frozen dataclasses. Each node class names the fields that hold its
sub-trees (`child_fields`, as sqlglot's `arg_types` do), so one generic `walk()` reaches every
node: walks that only collect (facts read, parameters used, obligations referred to) are filters
over it, and only walks that compute (type check, evaluation, SQL) dispatch over node classes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator


class SyntaxProblem(ValueError):
    """Condition text that does not parse; carries the column for the message."""

    def __init__(self, text: str, column: int | None, expected: str):
        self.text, self.column, self.expected = text, column, expected
        where = f" at column {column}" if column else ""
        super().__init__(f"cannot parse {text!r}{where}: {expected}")


class Node:
    """What every node shares: its sub-trees, and the walks over them."""

    child_fields: tuple[str, ...] = ()   # fields holding a node or a tuple of nodes, in reading order

    @property
    def reads(self) -> str | None:
        """The fact path this node reads by itself (not through its sub-trees), if any."""
        return None

    def children(self) -> Iterator["Node"]:
        for name in self.child_fields:
            value = getattr(self, name)
            if isinstance(value, tuple):
                yield from value
            else:
                yield value

    def walk(self) -> Iterator["Node"]:
        """This node and every node below it, pre-order: a node before its sub-trees, left to right."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(tuple(node.children())))

    def find_all(self, *types: type) -> Iterator["Node"]:
        """The nodes of these classes, in walk order."""
        return (n for n in self.walk() if isinstance(n, types))


@dataclass(frozen=True)
class Literal(Node):
    value: object  # bool | int | Decimal | str | datetime.date


@dataclass(frozen=True)
class Fact(Node):
    path: str  # e.g. "organisation.pi_individuals"

    @property
    def reads(self) -> str:
        return self.path


@dataclass(frozen=True)
class Name(Node):
    """A parameter or a definition, resolved when the rulebook loads."""
    name: str


@dataclass(frozen=True)
class Compare(Node):
    op: str  # == != > >= < <=
    left: "Expr"
    right: "Expr"
    child_fields = ("left", "right")


@dataclass(frozen=True)
class Member(Node):
    item: "Expr"
    options: tuple  # of Literal values
    negated: bool = False
    child_fields = ("item",)


@dataclass(frozen=True)
class And(Node):
    items: tuple
    child_fields = ("items",)


@dataclass(frozen=True)
class Or(Node):
    items: tuple
    child_fields = ("items",)


@dataclass(frozen=True)
class Not(Node):
    item: "Expr"
    child_fields = ("item",)


@dataclass(frozen=True)
class Applies(Node):
    """True when another obligation applies to the same subject on the same date."""
    obligation: str


@dataclass(frozen=True)
class Known(Node):
    """True when a fact is given; never unknown itself."""
    path: str

    @property
    def reads(self) -> str:
        return self.path


@dataclass(frozen=True)
class Sum(Node):
    """The sum of a number over a list's items: sum(concentration.parties.turnover_china_rmb)."""
    path: str

    @property
    def reads(self) -> str:
        return self.path.rsplit(".", 1)[0]   # the list; its items' field is read from each item


@dataclass(frozen=True)
class Count(Node):
    """How many items of a list meet a condition about the item: count(concentration.parties, ...).

    Over one of the manifest's lists of subjects (count(services, ...) in an organisation rule)
    the condition reads each item with its subject kind's own facts (service.commercial); `kind`
    is that subject kind, set by the checker. Over a list of records it is None.
    """
    items: str
    condition: "Expr"
    kind: str | None = None
    child_fields = ("condition",)

    @property
    def reads(self) -> str:
        return self.items

    @property
    def item_prefixes(self) -> tuple[str, ...]:
        """How the condition names a field of each item: concentration.parties.x, or service.x."""
        return tuple(f"{p}." for p in (self.items, self.kind) if p)


@dataclass(frozen=True)
class Overlaps(Node):
    """Whether a list fact holds any of the given values: overlaps(service.content, ['news'])."""
    path: str
    options: tuple

    @property
    def reads(self) -> str:
        return self.path


Expr = Literal | Fact | Name | Compare | Member | And | Or | Not | Applies | Known | Sum | Count | Overlaps


def parse(text: str) -> Expr:
    """Parse one condition. Raises SyntaxProblem with the column on bad text."""
    # lark loads only when text is parsed: a rulebook read from the cache needs no parser.
    from hegui.lang.parser import parse_condition
    return parse_condition(text)


def render(node: Expr) -> str:
    """Text for a node, in the language's own syntax (for traces and messages)."""
    match node:
        case Literal(value=v):
            return _literal(v)
        case Fact(path=p):
            return p
        case Name(name=n):
            return n
        case Compare(op=op, left=l, right=r):
            return f"{render(l)} {op} {render(r)}"
        case Member(item=i, options=opts, negated=neg):
            return f"{render(i)} {'not in' if neg else 'in'} [{', '.join(_literal(o) for o in opts)}]"
        case And(items=items):
            return " and ".join(_group(i) for i in items)
        case Or(items=items):
            return " or ".join(_group(i) for i in items)
        case Not(item=i):
            return f"not {_group(i)}"
        case Applies(obligation=o):
            return f"applies({o})"
        case Known(path=p):
            return f"known({p})"
        case Sum(path=p):
            return f"sum({p})"
        case Count(items=i, condition=c):
            return f"count({i}, {render(c)})"
        case Overlaps(path=p, options=opts):
            return f"overlaps({p}, [{', '.join(_literal(o) for o in opts)}])"
    raise TypeError(node)


def _group(node: Expr) -> str:
    return f"({render(node)})" if isinstance(node, (And, Or)) else render(node)


def _literal(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return f"'{v}'"
    return str(v)
