"""Bad input, reported so a person can fix it: file, field path, line, what was expected."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    path: str          # dotted field path with list indexes: services[0].kind
    line: int | None   # 1-based, where the format allows
    message: str       # what was expected

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.path}:" if self.path else ""
        return f"{where}:{field} {self.message}"


class InputError(Exception):
    """One or more problems with user input; the CLI prints them and exits 2."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
