"""A finding: one obligation decided for one subject on one date."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property

APPLIES, DOES_NOT_APPLY, UNKNOWN, NOT_IN_FORCE = "applies", "does_not_apply", "unknown", "not_in_force"
STATUSES = (APPLIES, UNKNOWN, DOES_NOT_APPLY, NOT_IN_FORCE)


@dataclass
class Step:
    """One test in the reasoning: what was tested, its three-valued result, and the values used."""
    test: str
    value: bool | None | str
    facts: dict = field(default_factory=dict)
    parameters: dict = field(default_factory=dict)   # name -> {value, article, wording}
    article: str | None = None
    says: str | None = None
    role: str = "condition"                           # condition | exemption | event | transitional | in_force


@dataclass
class Deadline:
    date: datetime.date | None
    basis: str
    article: str | None = None
    steps: tuple = ()            # how a working-day count was made, for explain
    beyond_calendar: bool = False
    recurring: bool = False      # a duty that falls due again each cycle
    interval_years: int = 1      # the cycle's length, for recurring duties
    covered: bool = False        # a compliance record covers the current cycle
    says: str | None = None      # the rule's own words on what is due
    calendar_warnings: tuple = ()  # caveats on the holiday data the count used (an unconfirmed year)


@dataclass
class Performance:
    """What shows a satisfied duty met on the as-of date: a compliance record or a fact of the manifest."""
    by: str                          # record | fact
    done_on: datetime.date | None    # the record's date, or the date the fact took effect; None when not given
    fact: str | None = None          # the date fact read, for a fact
    late: bool | None = None         # done after the deadline; None when either date is unknown

    def to_dict(self) -> dict:
        return {"by": self.by, "done_on": self.done_on, "fact": self.fact, "late": self.late}


@dataclass
class Finding:
    obligation: str
    subject: str
    status: str
    title: str
    title_zh: str
    citation: dict
    review: str
    deadline: Deadline | None
    compliance: str | None
    missing_facts: list[str]
    trace: list = field(repr=False)    # Steps, and (clause, value, role) for conditions and exemptions
    judged_on: datetime.date = None
    warnings: list[str] = field(default_factory=list)
    note: str | None = None
    standing_duty: str | None = None
    penalty: dict | None = None
    version: object = field(default=None, repr=False, compare=False)   # the governing Version
    context: object = field(default=None, repr=False, compare=False)   # facts and parameters used
    rulebook: object = field(default=None, repr=False, compare=False)
    compliance_detail: Performance | None = None   # set when compliance is satisfied

    @cached_property
    def because(self) -> list[Step]:
        """The reasoning as readable steps, with the values and parameters each test used."""
        steps = []
        for item in self.trace:
            if isinstance(item, Step):
                steps.append(item)
                continue
            clause, value, role = item
            parameters = {}
            for name in clause.parameters:
                p = self.rulebook.parameter_on(name, self.context_day)
                parameters[name] = {"value": p.value, "article": p.article, "wording": p.wording}
            steps.append(Step(clause.text, value, {p: self.context.facts.get(p) for p in clause.facts},
                              parameters, clause.article, clause.says, role))
        return steps

    @property
    def context_day(self) -> datetime.date:
        return max(self.judged_on, self.version.start)

    @cached_property
    def reason(self) -> str:
        """The one-line reason; worked out when first shown, not for every finding decided."""
        from hegui.engine.explain_text import one_line_reason
        return one_line_reason(self)
