"""Type-check a parsed condition against the manifest's facts and the rulebook's names.

Runs once when the rulebook loads, so a rule that names a fact the manifest
does not have, compares a date with a number, or uses a comparator its legal
wording does not allow, never reaches a user.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from difflib import get_close_matches
from typing import Callable, Mapping

from hegui.lang.syntax import (
    And, Applies, Compare, Count, Expr, Fact, Known, Literal, Member, Name, Not, Or, Overlaps, Sum, render,
)
from hegui.lang.types import BOOL, NUMBER, Type, type_of_literal


class LanguageError(ValueError):
    pass


# A comparator and its exact complement split the numbers at the same boundary
# (x >= n is false exactly where x < n is true).
_COMPLEMENT = {">=": "<", "<": ">=", ">": "<=", "<=": ">"}
_OPERATOR = {("above", True): ">=", ("above", False): ">", ("below", True): "<=", ("below", False): "<"}


@dataclass(frozen=True)
class Wording:
    """A boundary word of a threshold, from the rulebook's data: the side of the number it
    reaches and whether the number itself is inside, with the law that says so."""
    word: str
    reaches: str            # above | below
    includes_number: bool
    source: str             # e.g. "Civil Code Art. 1259"

    @property
    def comparators(self) -> frozenset[str]:
        """The comparator the word gives, and its exact complement."""
        op = _OPERATOR[(self.reaches, self.includes_number)]
        return frozenset({op, _COMPLEMENT[op]})


_FLIP = {">": "<", "<": ">", ">=": "<=", "<=": ">=", "==": "==", "!=": "!="}


@dataclass(frozen=True)
class Parameter:
    """What the checker needs of a parameter: its type and legal wording."""
    name: str
    type: Type
    wording: str | None


@dataclass
class Scope:
    facts: dict[str, Type]                   # fact path -> type, for this subject kind
    parameters: dict[str, Parameter]
    definitions: Callable[[str], Expr | None]  # name -> checked expression
    obligations: Callable[[str], bool]       # does this obligation id exist for the subject kind
    open_lists: frozenset = field(default=frozenset())  # lists whose item fields are in reach
    # The manifest's lists of subjects a rule may count over (an organisation rule reading its
    # services): list name -> (the subject kind, the scope an item's condition is checked in).
    subject_lists: Callable[[str], "tuple[str, Scope] | None"] = lambda name: None
    wordings: Mapping[str, Wording] = field(default_factory=dict)   # boundary word -> its meaning


def check(node: Expr, scope: Scope, want: Type | None = BOOL) -> Expr:
    """Return the tree with definitions inlined; raise LanguageError on any fault."""
    resolved, got = _walk(node, scope)
    if want is not None and got.kind != want.kind:
        raise LanguageError(f"{render(node)!r} is {got}, expected {want}")
    return resolved


def _walk(node: Expr, scope: Scope) -> tuple[Expr, Type]:
    match node:
        case Literal(value=v):
            return node, type_of_literal(v)
        case Fact(path=p):
            t = _fact(p, scope)
            if t.kind == "items":
                raise LanguageError(f"{p} is a list of records: use sum({p}.FIELD) or count({p}, ...)")
            if t.within and t.within not in scope.open_lists:
                raise LanguageError(f"{p} is a field of each item of {t.within}: use sum({p}) "
                                    f"or count({t.within}, ...)")
            return node, t
        case Name(name=n):
            if n in scope.parameters:
                return node, scope.parameters[n].type
            definition = scope.definitions(n)
            if definition is None:
                known = list(scope.parameters)
                near = get_close_matches(n, known, n=1)
                hint = f"; did you mean {near[0]}?" if near else ""
                raise LanguageError(f"unknown name {n!r} (not a parameter or definition){hint}")
            return _walk(definition, scope)
        case Compare(op=op, left=l, right=r):
            left, lt = _walk(l, scope)
            right, rt = _walk(r, scope)
            _check_comparable(node, lt, rt, left, right)
            if op not in ("==", "!=") and lt.kind not in ("number", "date"):
                raise LanguageError(f"{render(node)!r}: {op} needs numbers or dates, not {lt}")
            _check_wording(node, left, right, scope)
            return Compare(op, left, right), BOOL
        case Member(item=i, options=opts, negated=neg):
            item, it = _walk(i, scope)
            for o in opts:
                if not it.accepts(o):
                    raise LanguageError(f"{render(node)!r}: {o!r} is not a value of {render(i)} ({it})")
            return Member(item, opts, neg), BOOL
        case And(items=items) | Or(items=items):
            checked = []
            for item in items:
                sub, t = _walk(item, scope)
                if t.kind != "bool":
                    raise LanguageError(f"{render(item)!r} is {t}, but and/or need true/false")
                checked.append(sub)
            return type(node)(tuple(checked)), BOOL
        case Not(item=i):
            sub, t = _walk(i, scope)
            if t.kind != "bool":
                raise LanguageError(f"{render(i)!r} is {t}, but not needs true/false")
            return Not(sub), BOOL
        case Applies(obligation=o):
            if not scope.obligations(o):
                raise LanguageError(f"applies({o}): no such obligation on this subject kind")
            return node, BOOL
        case Known(path=p):
            _fact(p, scope)
            return node, BOOL
        case Sum(path=p):
            t = _fact(p, scope)
            if t.kind != "number" or not t.within:
                raise LanguageError(f"sum({p}): needs a number field of a list's items")
            return node, NUMBER
        case Count(items=items, condition=c) if "." not in items:
            found = scope.subject_lists(items)
            if found is None:
                raise LanguageError(f"count({items}, ...): {items} is not a list of subjects this rule can read")
            kind, inner = found   # the item scope knows no obligations: applies() is not asked of items
            sub, t = _walk(c, inner)
            if t.kind != "bool":
                raise LanguageError(f"count({items}, ...): the condition must be true/false, not {t}")
            return Count(items, sub, kind), NUMBER
        case Count(items=items, condition=c):
            if _fact(items, scope).kind != "items":
                raise LanguageError(f"count({items}, ...): {items} is not a list of records")
            inner = replace(scope, open_lists=scope.open_lists | {items})
            sub, t = _walk(c, inner)
            if t.kind != "bool":
                raise LanguageError(f"count({items}, ...): the condition must be true/false, not {t}")
            return Count(items, sub), NUMBER
        case Overlaps(path=p, options=opts):
            t = _fact(p, scope)
            if t.kind != "list":
                raise LanguageError(f"overlaps({p}, ...): {p} is not a list of values")
            for o in opts:
                if not t.accepts(o):
                    raise LanguageError(f"overlaps({p}, ...): {o!r} is not a value of {p} ({t})")
            return node, BOOL
    raise LanguageError(f"not a condition: {node!r}")


def _fact(path: str, scope: Scope) -> Type:
    if path not in scope.facts:
        near = get_close_matches(path, scope.facts, n=1)
        hint = f"; did you mean {near[0]}?" if near else ""
        raise LanguageError(f"unknown fact {path!r} for this subject{hint}")
    return scope.facts[path]


def _check_comparable(node, lt: Type, rt: Type, left, right) -> None:
    if not lt.comparable_with(rt):
        raise LanguageError(f"{render(node)!r} compares {lt} with {rt}")
    for side, other, other_type in ((left, right, rt), (right, left, lt)):
        if isinstance(side, Literal) and not other_type.accepts(side.value):
            raise LanguageError(f"{render(node)!r}: {side.value!r} is not a value of {render(other)} "
                                f"({other_type})")


def _check_wording(node: Compare, left, right, scope: Scope) -> None:
    """A threshold's comparator must be the one its legal wording gives (or its complement)."""
    for side, op in ((right, node.op), (left, _FLIP[node.op])):
        if isinstance(side, Name) and side.name in scope.parameters:
            wording = scope.parameters[side.name].wording
            if wording is None:
                continue
            meaning = scope.wordings.get(wording)
            if meaning is None:
                raise LanguageError(f"{render(node)!r}: parameter {side.name} is worded {wording}, "
                                    f"which the boundary-word table does not hold")
            allowed = meaning.comparators
            if op not in allowed:
                raise LanguageError(
                    f"{render(node)!r}: parameter {side.name} is worded {wording}, "
                    f"so compare with {' or '.join(sorted(allowed))} ({meaning.source})")
