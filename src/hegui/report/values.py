"""Values as text, the same in every language: facts and parameters as reasons, explanations and
notices show them."""

from __future__ import annotations


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
