"""Bad input, reported so a person can fix it: file, field path, line, what was expected."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import get_close_matches


@dataclass(frozen=True)
class Problem:
    file: str
    path: str          # dotted field path with list indexes: services[0].kind
    line: int | None   # 1-based, where the format allows
    message: str       # what was expected

    def __str__(self) -> str:
        # A problem with a command's options has no file: it reads "--subject: ...".
        where = (f"{self.file}:{self.line}" if self.line else self.file) if self.file else ""
        field = f"{self.path}:" if self.path else ""
        return " ".join(part for part in (f"{where}:" if where else "", field, self.message) if part)


class InputError(Exception):
    """One or more problems with user input; the CLI prints them and exits 2."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def did_you_mean(word: str, known) -> str:
    """"; did you mean 'x'?" for the closest of the known names, or "" when none is close."""
    near = get_close_matches(word, sorted(known), n=1, cutoff=0.6)
    return f"; did you mean {near[0]!r}?" if near else ""
