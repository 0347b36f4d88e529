"""The shape of a rule file, validated before any rule is compiled.

One file per instrument: what the instrument is, the thresholds it sets (each
with its article and legal wording), and the obligation versions it makes.

Every English prose field has an optional Chinese sibling `<field>_zh` (issue 12 §4), and an
`article` with words beyond article numbers an `article_zh`: the complete Chinese label
("第26条（《个人信息保护法》第53条）"). tests/rulebook/test_chinese_text.py checks they are all there.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

INSTRUMENT_ID = r"^[a-z0-9][a-z0-9-]*$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class InstrumentSpec(Strict):
    id: str = Field(pattern=INSTRUMENT_ID)
    title: str
    title_zh: str
    short: str                              # how citations name it: "Order 16", "PIPL"
    issuer: str
    issuer_zh: str | None = None
    document: str | None = None             # order or document number
    promulgated: datetime.date
    in_force: datetime.date
    repealed: datetime.date | None = None
    supersedes: list[str] = []
    source: str                             # where a reader can check the text: publisher, URL or gazette, number, date
    note: str | None = None
    note_zh: str | None = None

    @field_validator("source")
    @classmethod
    def _no_machine_paths(cls, source: str) -> str:
        found = machine_paths(source)
        if found:
            raise ValueError(
                f"names a file on our machines ({', '.join(found)}); a source says where any reader can check "
                "the text (the publisher and its URL or gazette, the document number and date): put the "
                "research trail (which notes, which copy was read) in the file's header comment or note")
        return source


def machine_paths(text: str) -> list[str]:
    """The words of `text` that are file paths rather than web addresses.

    A web address starts with a host name (cac.gov.cn/...) or a scheme (https://...); a word
    with a slash that starts otherwise (texts/..., ../shared/..., LawRefBook/Laws) is a path
    on someone's disk or in a repository, and so is a bare file name such as sector.md.
    """
    found = []
    for word in re.split(r"[\s;,()（）]+", text):
        word = word.rstrip(".:")
        first = word.split("/")[0]
        if word.startswith(("/", "./", "../", "~")) or re.match(r"^[A-Za-z]:\\", word):
            found.append(word)
        elif "/" in word and not (first.endswith(":") or re.fullmatch(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+", first)):
            found.append(word)
        elif "/" not in word and re.search(r"\.(md|ya?ml|txt|json|csv|py)$", word, re.IGNORECASE):
            found.append(word)
    return found


class ImportSpec(Strict):
    """Names declared in another instrument's file that this file uses: parameters, definitions, penalties."""
    from_: str = Field(alias="from", pattern=INSTRUMENT_ID)   # the instrument id of the file that declares them
    names: list[str] = Field(min_length=1)


class ParameterValue(Strict):
    value: int | Decimal | datetime.date
    article: str
    article_zh: str | None = None
    wording: str | None = None              # a boundary word of boundary-words.yaml (以上, 超过, ...)
    quote: str | None = None                # the few words of the text that fix the comparator
    from_: datetime.date | None = Field(default=None, alias="from")


class BoundaryWord(Strict):
    """One entry of boundary-words.yaml: the side of the number the word reaches, and whether
    the number itself is inside (Civil Code Art. 1259)."""
    reaches: Literal["above", "below"]
    includes_number: bool
    source: str
    review: Literal["verified", "unverified"]
    note: str | None = None


class BoundaryWords(Strict):
    words: dict[str, BoundaryWord]


class ParameterSpec(Strict):
    description: str
    description_zh: str | None = None
    values: list[ParameterValue]


class ExemptionSpec(Strict):
    article: str
    article_zh: str | None = None
    test: str
    says: str
    says_zh: str | None = None
    text: str | None = None                         # what the article provides, in our words, checked against it
    text_zh: str | None = None


class DeadlineSpec(Strict):
    when: str | None = None
    before: str | None = None                       # a date fact: act by the day before it
    working_days_after: str | datetime.date | None = None   # a date fact, or a date
    working_days_before: str | None = None          # a date fact: act by the N-th working day before it
    days_after: str | datetime.date | None = None
    months_after: str | datetime.date | None = None
    count: int | None = None
    by: datetime.date | None = None                 # a fixed date set by the rule
    annually: str | None = Field(default=None, pattern=r"^\d{2}-\d{2}$")  # MM-DD, each year
    every_years: str | datetime.date | None = None  # a cycle of `count` years from a date fact or date
    hours_after: str | None = None                  # a date fact: `count` hours from a moment on that day
    article: str | None = None
    article_zh: str | None = None
    says: str | None = None
    says_zh: str | None = None

    @model_validator(mode="after")
    def _one_kind(self):
        kinds = [k for k in DEADLINE_KINDS if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError(f"a deadline needs exactly one of {', '.join(DEADLINE_KINDS)} (got {kinds or 'none'})")
        if (kinds[0].endswith(("_after", "_before")) or kinds[0] == "every_years") and not self.count:
            raise ValueError(f"{kinds[0]} needs count")
        if kinds[0] == "annually":
            datetime.date.fromisoformat(f"2024-{self.annually}")  # a real day (2024 allows 02-29)
        return self


DEADLINE_KINDS = ("before", "working_days_after", "working_days_before", "days_after", "months_after", "by",
                  "annually", "every_years", "hours_after")


class PenaltySpec(Strict):
    """The most the law lets a regulator fine for breaching the duty."""
    when: str | None = None                         # in a list of cases: the first that holds decides
    article: str
    max_rmb: int | None = None                      # a fixed ceiling
    max_turnover_share: Decimal | None = None       # or a share of a turnover
    turnover: str | None = None                     # the fact that turnover is read from
    article_zh: str | None = None
    says: str
    says_zh: str | None = None


class StandingCase(Strict):
    when: str | None = None
    says: str
    says_zh: str | None = None


class ValiditySpec(Strict):
    since: str                                      # a date fact: when the approval took effect
    years: int
    article: str
    article_zh: str | None = None
    when: str | None = None                         # the approval it limits, where routes differ


class CiteCase(Strict):
    """A citation that depends on the facts (e.g. the route a transfer takes)."""
    when: str
    instrument: str | None = None                   # another instrument's id; default: this file's
    article: str
    article_zh: str | None = None


class TransitionalSpec(Strict):
    article: str
    article_zh: str | None = None
    when: str
    deadline: list[DeadlineSpec] = []
    says: str
    says_zh: str | None = None


class VersionSpec(Strict):
    obligation: str
    from_: datetime.date | None = Field(default=None, alias="from")
    until: datetime.date | None = None
    article: str
    article_zh: str | None = None
    text: str | None = None                         # what the article provides, in our words, checked against it
    text_zh: str | None = None
    applies_when: list[str]
    # Cited instead of `article` when a case's `when` holds (the first that does); otherwise `article`.
    cites: list[CiteCase] = []
    unless: list[ExemptionSpec] = []
    event: str | None = None                        # a date fact: judged by the rules in force on it
    transitional: list[TransitionalSpec] = []
    deadline: list[DeadlineSpec] = []
    # What the standing duty is, when it has no date; or cases whose first true `when` decides.
    continuous: str | list[StandingCase] | None = None
    continuous_zh: str | None = None                # beside a one-line `continuous`; cases carry their own says_zh
    satisfied_when: str | None = None
    satisfied_since: str | None = None              # a date fact: satisfied_when counts only from this date
    valid_for: ValiditySpec | None = None
    # One penalty, or cases (a different law fines different subjects) whose first true `when` decides;
    # or the name of one in this file's `penalties` (or imported), when several versions share it.
    penalty: str | PenaltySpec | list[PenaltySpec] | None = None
    review: Literal["verified", "unverified"]
    confidence: Literal["H", "M", "L"]
    note: str | None = None
    note_zh: str | None = None

    @model_validator(mode="after")
    def _continuous_zh_beside_text(self):
        if self.continuous_zh is not None and not isinstance(self.continuous, str):
            raise ValueError("continuous_zh goes beside a one-line continuous; each case of a list has its own says_zh")
        return self


class DefinitionSpec(Strict):
    """A named test with how a reason says it: `says` (English) and `says_zh`, each a sentence for
    when the test holds (true) and one for when it fails (false). A sentence may show the value of a
    fact the test reads by naming it in braces: {listing.venue_country}."""
    test: str
    says: dict[bool, str]
    says_zh: dict[bool, str]

    @field_validator("says", "says_zh")
    @classmethod
    def _both_outcomes(cls, says: dict[bool, str]) -> dict[bool, str]:
        if set(says) != {True, False}:
            raise ValueError("needs a sentence for true and one for false")
        return says


class AggregateSpec(Strict):
    """How an organisation-wide count is bounded from the transfers when it is not given."""
    description: str
    description_zh: str | None = None
    sums: str            # a transfer count, e.g. transfer.pi_individuals_current_year
    counting: str        # which transfers the law counts (three-valued; unknown widens the bounds)
    article: str
    article_zh: str | None = None
    # The days on which the count is a legal test, so its caveat goes only with findings judged on
    # them: by default the instrument's own in-force window; `until` is the first day it no longer is.
    from_: datetime.date | None = Field(default=None, alias="from")
    until: datetime.date | None = None


class RuleFile(Strict):
    instrument: InstrumentSpec
    imports: list[ImportSpec] = []
    parameters: dict[str, ParameterSpec] = {}
    definitions: dict[str, str | DefinitionSpec] = {}   # a test, or a test with its wording
    aggregates: dict[str, AggregateSpec] = {}
    penalties: dict[str, PenaltySpec | list[PenaltySpec]] = {}   # stated once, named by versions' `penalty`
    versions: list[VersionSpec] = []


class ArticleRef(Strict):
    """An article of one of the rulebook's instruments (its `instrument.id`); without `article`,
    the instrument as a whole (a notice or announcement without numbered articles)."""
    instrument: str = Field(pattern=INSTRUMENT_ID)
    article: str | None = Field(default=None, pattern=r"^\d")


class NextStep(Strict):
    """What clears an open or overdue duty, and where: the authority or portal, in both languages.

    `source` is the article that names the authority or the way to do it, where the law names one.
    """
    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)
    source: ArticleRef | None = None

    @field_validator("en", "zh")
    @classmethod
    def _one_line(cls, text: str) -> str:
        if not text.strip():
            raise ValueError("is empty")
        return " ".join(text.split())


class CatalogueEntry(Strict):
    subject: Literal["organisation", "service", "transfer", "listing", "concentration"]
    title: str
    title_zh: str
    next_step: NextStep | None = None   # the shipped catalogue gives one for every obligation


class Catalogue(Strict):
    rulebook_version: str
    obligations: dict[str, CatalogueEntry]
