"""The rulebook: instruments, dated parameters and obligation versions, loaded from rules/*.yaml."""

from hegui.rulebook.model import Clause, DeadlineRule, Instrument, Obligation, Rulebook, Version
from hegui.rulebook.cache import default_rulebook

__all__ = ["Clause", "DeadlineRule", "Instrument", "Obligation", "Rulebook", "Version",
           "RulebookError", "default_rulebook", "load_rulebook"]


def __getattr__(name: str):
    # The compiler (the rule files' pydantic models, lark) is imported when first named: a process
    # that reads the compiled rulebook from the cache never needs it.
    if name in ("RulebookError", "load_rulebook"):
        from hegui.rulebook import load
        return getattr(load, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
