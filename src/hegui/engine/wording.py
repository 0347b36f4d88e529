"""Values as text, for the few English sentences the engine itself writes (compliance warnings,
a standing duty or penalty left open). Reasons and explanations are made in report/reasons.py."""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*")


def show(value) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, tuple):
        return "[" + ", ".join(show(v) for v in value) + "]"
    if isinstance(value, list):   # records or subjects (a count's items): each by its id or name
        return "[" + ", ".join(_label(item) for item in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _label(item: dict) -> str:
    return next((str(v) for k, v in item.items() if k.endswith((".id", ".name"))), "?")


def substituted(clause, ctx) -> str:
    """The clause text on one line, each named fact or parameter followed by its value."""
    values = {**{p: ctx.params.get(p) for p in clause.parameters}, **{f: ctx.facts.get(f) for f in clause.facts}}
    return _WORD.sub(lambda m: f"{m.group(0)}={show(values[m.group(0)])}" if m.group(0) in values
                     else m.group(0), " ".join(clause.text.split()))
