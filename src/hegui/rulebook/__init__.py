"""The rulebook: instruments, dated parameters and obligation versions, loaded from rules/*.yaml."""

from hegui.rulebook.model import Clause, DeadlineRule, Instrument, Obligation, Rulebook, Version
from hegui.rulebook.load import RulebookError, default_rulebook, load_rulebook

__all__ = ["Clause", "DeadlineRule", "Instrument", "Obligation", "Rulebook", "Version",
           "RulebookError", "default_rulebook", "load_rulebook"]
