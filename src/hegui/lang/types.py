"""The types a fact, parameter or literal can have."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Type:
    kind: str  # bool | number | date | string | country | list (of strings) | items (of records)
    values: frozenset | None = None  # the allowed strings of an enumerated string or list
    within: str | None = None        # for a field of each item of a list: that list's path

    def __str__(self) -> str:
        if self.kind in ("list", "items"):
            return f"a list{' of ' + ', '.join(sorted(self.values)) if self.values else ''}"
        if self.values:
            return f"one of {', '.join(sorted(self.values))}"
        return self.kind

    def accepts(self, value) -> bool:
        """Whether a literal value may stand beside a fact of this type."""
        match self.kind:
            case "bool":
                return isinstance(value, bool)
            case "number":
                return isinstance(value, (int, Decimal)) and not isinstance(value, bool)
            case "date":
                return isinstance(value, datetime.date)
            case "country":
                return isinstance(value, str) and len(value) == 2 and value.isalpha() and value.isupper()
            case "string" | "list":
                return isinstance(value, str) and (self.values is None or value in self.values)
        return False

    def comparable_with(self, other: "Type") -> bool:
        if self.kind in ("list", "items") or other.kind in ("list", "items"):
            return False
        if self.kind == other.kind:
            return True
        return {self.kind, other.kind} <= {"string", "country"}


BOOL = Type("bool")
NUMBER = Type("number")
DATE = Type("date")
STRING = Type("string")
COUNTRY = Type("country")


def type_of_literal(value) -> Type:
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, (int, Decimal)):
        return NUMBER
    if isinstance(value, datetime.date):
        return DATE
    return STRING
