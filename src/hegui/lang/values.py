"""Values the evaluator knows besides plain ones: a number known only within bounds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

N = TypeVar("N")


@dataclass(frozen=True)
class Bounds(Generic[N]):
    """A count known to lie in [at_least, at_most]; at_most None means no upper bound.

    Comparisons are three-valued: `Bounds(5, 20) >= 10` is unknown (None), `>= 3` is true,
    `>= 30` is false. Used for organisation-wide counts derived from individual transfers.

    The bounds may be numbers (the evaluator) or expressions computing them (the SQL compiler,
    where `known` is the expression saying whether there is a count at all; the comparison
    operators here are for numbers only).
    """
    at_least: N
    at_most: N | None
    source: tuple = ()     # (how many items, the path they are items of or the fact summed), as data
    known: object = True

    def __ge__(self, n):
        if self.at_least >= n:
            return True
        if self.at_most is not None and self.at_most < n:
            return False
        return None

    def __gt__(self, n):
        return True if self.at_least > n else (False if self.at_most is not None and self.at_most <= n else None)

    def __le__(self, n):
        gt = self.__gt__(n)
        return None if gt is None else not gt

    def __lt__(self, n):
        ge = self.__ge__(n)
        return None if ge is None else not ge

    def __eq__(self, n):
        if isinstance(n, Bounds):
            return NotImplemented
        if self.at_least == self.at_most:
            return self.at_least == n
        if n < self.at_least or (self.at_most is not None and n > self.at_most):
            return False
        return None

    def __ne__(self, n):
        eq = self.__eq__(n)
        return None if eq is None or eq is NotImplemented else not eq

    __hash__ = None

    def __str__(self) -> str:
        top = "no upper bound" if self.at_most is None else f"{self.at_most:,}"
        return f"between {self.at_least:,} and {top}"
