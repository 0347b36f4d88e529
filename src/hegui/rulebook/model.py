"""The compiled rulebook: every condition parsed, type-checked and compiled once."""

from __future__ import annotations

import bisect
import datetime
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache, partial

from hegui.lang.evaluate import Compiled, compile_expr
from hegui.lang.syntax import Expr


class Prose(str):
    """Rule text in English that carries its Chinese as `.zh` (None where the file gives none).

    It is a str, so the engine hands rule text (a note, a deadline's or penalty's `says`, an
    article) into findings as before, and report/ picks the reader's language with `in_lang`.
    """

    def __new__(cls, en: str, zh: str | None = None):
        self = super().__new__(cls, en)
        self.zh = zh
        return self

    def __reduce__(self):
        return Prose, (str(self), self.zh)


def prose(en: str | None, zh: str | None = None) -> Prose | None:
    """The rule file's English with its Chinese, whitespace folded as YAML's `>-` leaves it."""
    return None if en is None else Prose(" ".join(en.split()), fold_zh(zh))


# Compiled on first use (by re's own cache): only compiling rule files folds text.
_BETWEEN_CJK = r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u9fff\uff00-\uffef])"


def fold_zh(text: str | None) -> str | None:
    """Chinese folded onto one line: a line break between two Chinese characters is no space."""
    if text is None:
        return None
    return re.sub(_BETWEEN_CJK, "", " ".join(text.split()))


def in_lang(text, lang: str):
    """The text in the reader's language: its Chinese for zh where the rule file gives it."""
    if lang == "zh" and getattr(text, "zh", None):
        return text.zh
    return text


_NUMBERS = re.compile(r"^\d[\d()\-, ]*")          # "39, 55(4), 56" of "39, 55(4), 56 (restated by ...)"
_ARTICLE_RANGE = re.compile(r"\d\s*-\s*\d")        # 2-5 is several articles; 5(1)-(3) is one


# One article of a plain citation: "7", "2-5", "62(8)", "5(1)-(3)", "29 ¶2", "13 ¶2-4"; several are
# joined by ", ". Anything more ("26 (PIPL Art. 53)", "whole text") is words, and a rule file gives
# its Chinese label as `article_zh`.
_PLAIN_PART = re.compile(r"(?P<article>\d+)(?:-(?P<to>\d+))?(?:\((?P<item>\d+)\)(?:-\((?P<item_to>\d+)\))?)?"
                         r"(?: ¶(?P<para>\d+)(?:-(?P<para_to>\d+))?)?")


def article_is_plain(article: str) -> bool:
    """Only article numbers, paragraphs (¶) and items ((n)): a view words it in any language."""
    return all(_PLAIN_PART.fullmatch(part) for part in article.split(", "))


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 -> 一, 12 -> 十二, 20 -> 二十: how paragraphs (款) and items (项) are counted."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return f"{'' if tens == 1 else _DIGITS[tens]}十{_DIGITS[ones] if ones else ''}"


def _zh_part(m: re.Match) -> str:
    """One plain article in Chinese: 第29条第二款, 第62条第（八）项, 第5条第（一）至（三）项."""
    out = f"第{m['article']}" + (f"至{m['to']}" if m["to"] else "") + "条"
    if m["para"]:
        out += f"第{chinese_number(int(m['para']))}" + (f"至{chinese_number(int(m['para_to']))}"
                                                       if m["para_to"] else "") + "款"
    if m["item"]:
        out += f"第（{chinese_number(int(m['item']))}）" + (f"至（{chinese_number(int(m['item_to']))}）"
                                                          if m["item_to"] else "") + "项"
    return out


def article_label_zh(article: str | None) -> str:
    """How an article reads in Chinese: the rule file's `article_zh` where it gives one; otherwise
    第7条, 第55、56条 (bare articles share one 第...条), 第29条第二款, 第44条、第62条第（八）项."""
    if not article:
        return ""
    if getattr(article, "zh", None):
        return article.zh
    if not article_is_plain(article):
        return article    # English until the rule file gives article_zh (tests/rulebook/test_chinese_text.py)
    parts = [_PLAIN_PART.fullmatch(part) for part in article.split(", ")]
    if all(not (m["item"] or m["para"]) for m in parts):
        return "第" + "、".join(m["article"] + (f"至{m['to']}" if m["to"] else "") for m in parts) + "条"
    return "、".join(_zh_part(m) for m in parts)


@lru_cache(maxsize=4096)   # a pure function of text, asked for every finding of every report
def article_label(article: str | None) -> str:
    """How an article reads in English: "Art. 7", "Art. 5(1)-(3)", "Arts. 2, 15" for several, and a
    label that is not a number ("telecoms and internet item", "whole text") as it stands."""
    if not article or not article[:1].isdigit():
        return article or ""
    head = _NUMBERS.match(article).group(0)
    numbers = {int(n) for n in re.findall(r"(?:^|,)\s*(\d+)", head)}
    several = len(numbers) > 1 or _ARTICLE_RANGE.search(head) is not None
    return f"{'Arts.' if several else 'Art.'} {article}"


@lru_cache(maxsize=4096)   # a pure function of text, asked for every finding of every report
def cite(short: str, article: str | None) -> str:
    """How a citation reads, in every renderer: "CAC Order 16 Art. 7", "PIPL Arts. 39, 55(4), 56",
    or the instrument's own label where it has no numbers: "Negative List 2024, telecoms and internet item"."""
    if not article:
        return short
    return f"{short} {article_label(article)}" if article[:1].isdigit() else f"{short}, {article}"


@dataclass(frozen=True)
class Instrument:
    id: str
    title: str
    title_zh: str
    short: str
    issuer: str
    document: str | None
    promulgated: datetime.date
    in_force: datetime.date
    repealed: datetime.date | None
    supersedes: tuple[str, ...]
    source: str
    note: str | None
    file: str


@dataclass(frozen=True)
class DefinitionLabel:
    """How a reason says a named test of a rule file: for each language, a sentence for when it
    holds and one for when it fails (wording only: findings never carry it)."""
    name: str
    texts: tuple[tuple[str, bool, str], ...]   # (language, outcome, sentence)

    def says(self, lang: str, outcome: bool) -> str:
        return next(text for lg, value, text in self.texts if lg == lang and value is outcome)


@dataclass(frozen=True)
class Clause:
    text: str            # as written in the rule file
    tree: Expr           # checked, definitions inlined
    run: Compiled = field(compare=False)   # the tree compiled: the same clause whichever closure runs it
    facts: tuple[str, ...]
    parameters: tuple[str, ...]
    article: str | None = None
    says: str | None = None
    # The worded definitions inlined in `tree`: (the checked sub-tree, its label). Not compared:
    # wording never decides.
    labels: tuple = field(default=(), compare=False)

    # `run` is a closure, which pickle cannot keep (hegui/cache.py): a clause read from the cache
    # gets a stand-in that compiles the tree when first run (a process runs only some of them)
    # and puts the closure in its place. Not a __getattr__: a class with one has every attribute
    # read the slow way, and an assessment reads clauses hundreds of times.
    def __getstate__(self):
        return {k: v for k, v in self.__dict__.items() if k != "run"}

    def __setstate__(self, state):
        # One attribute at a time, as hegui/cache.py sets every object's (why is said there).
        for name, value in state.items():
            object.__setattr__(self, name, value)
        object.__setattr__(self, "run", partial(_compile_then_run, self))


def _compile_then_run(clause: Clause, ctx):
    run = compile_expr(clause.tree)
    object.__setattr__(clause, "run", run)
    return run(ctx)


@dataclass(frozen=True)
class DeadlineRule:
    when: Clause | None
    kind: str            # before | working_days_after | working_days_before | days_after | months_after | by
                         # | annually | every_years | hours_after
    anchor: str | None   # a date fact path, or None when anchor_date is a literal
    anchor_date: datetime.date | None
    count: int | None
    article: str | None
    says: str | None
    month_day: tuple[int, int] | None = None   # for annually


@dataclass(frozen=True)
class Penalty:
    article: str
    max_rmb: int | None
    max_turnover_share: object | None
    turnover: str | None
    says: str
    when: Clause | None = None   # among cases: the subjects this ceiling is for


@dataclass(frozen=True)
class Transitional:
    article: str
    when: Clause
    deadline: tuple[DeadlineRule, ...]
    says: str


@dataclass(frozen=True)
class Validity:
    since: str
    years: int
    article: str
    when: Clause | None = None   # limits only the approvals for which it holds


def _citation(instrument: Instrument, article: str, start: datetime.date) -> dict:
    return {"instrument": instrument.title, "instrument_zh": instrument.title_zh, "short": instrument.short,
            "article": article, "version": str(instrument.promulgated), "in_force": str(start),
            "document": instrument.document}


@dataclass(frozen=True)
class Version:
    obligation: str
    instrument: Instrument
    start: datetime.date
    end: datetime.date | None          # first day it no longer governs
    article: str
    applies_when: tuple[Clause, ...]
    unless: tuple[Clause, ...]
    deadline: tuple[DeadlineRule, ...]
    continuous: tuple[tuple[Clause | None, str], ...]   # (when, says) cases of a standing duty
    satisfied_when: Clause | None
    satisfied_since: str | None        # the date fact from which satisfied_when counts (valid_for.since by default)
    valid_for: Validity | None
    penalties: tuple[Penalty, ...]     # one, or cases tried in order
    review: str
    confidence: str
    note: str | None
    cites: tuple[tuple[Clause, Instrument, str], ...] = ()   # (when, instrument, article) cases

    @cached_property
    def citation(self) -> dict:
        """Shared by every finding this version governs; read, never changed."""
        return _citation(self.instrument, self.article, self.start)

    @cached_property
    def _case_citations(self) -> tuple[tuple[Clause, dict], ...]:
        return tuple((when, _citation(instrument, article, self.start)) for when, instrument, article in self.cites)

    def citation_for(self, ctx) -> dict:
        """The citation of the first case that holds on these facts, or the version's own."""
        for when, citation in self._case_citations:
            if when.run(ctx) is True:
                return citation
        return self.citation


@dataclass(frozen=True)
class NextStep:
    """What clears the duty and where, in both languages; `instrument` and `article` cite the
    provision naming the authority, where the law names one."""
    en: str
    zh: str
    instrument: Instrument | None = None
    article: str | None = None


@dataclass
class Obligation:
    id: str
    subject: str
    title: str
    title_zh: str
    versions: list[Version] = field(default_factory=list)
    next_step: NextStep | None = None
    event: str | None = None
    transitional: tuple[Transitional, ...] = ()

    # Set once the versions are ordered (rulebook loading); read on every decision.
    in_force_from: datetime.date | None = None
    in_force_until: datetime.date | None = None
    refers_to: frozenset = frozenset()   # obligations its conditions name with applies(...)
    decision: object = None              # its rulebook.decision tree, built once the versions are ordered

    def version_on(self, day: datetime.date) -> Version | None:
        if len(self.versions) == 1:
            i = 0 if self.versions[0].start <= day else -1
        else:
            i = bisect.bisect_right([v.start for v in self.versions], day) - 1
        if i < 0:
            return None
        v = self.versions[i]
        return v if v.end is None or day < v.end else None


@dataclass(frozen=True)
class ParameterValue:
    value: object
    start: datetime.date
    article: str
    wording: str | None
    quote: str | None
    instrument: str


@dataclass(frozen=True)
class Aggregate:
    target: str          # organisation fact, e.g. organisation.exports.pi_individuals_current_year
    sums: str            # transfer fact
    counting: Clause     # evaluated per transfer
    article: str
    instrument: str
    start: datetime.date | None = None   # the days on which the count is a legal test: [start, end)
    end: datetime.date | None = None

    def tests_on(self, day: datetime.date) -> bool:
        """Whether the count is a legal test on the day (a finding judged then rests on it)."""
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass
class Rulebook:
    version: str
    digest: str
    instruments: dict[str, Instrument]
    obligations: dict[str, Obligation]         # in catalogue order
    parameters: dict[str, list[ParameterValue]]  # name -> values, by start date
    aggregates: dict[str, Aggregate] = field(default_factory=dict)
    uncovered: tuple[str, ...] = ()              # catalogue ids no rule file decides yet
    boundary_words: dict = field(default_factory=dict)   # word -> its lang.check.Wording, as the rules were checked
    _by_subject: dict = field(default_factory=dict, repr=False)
    _parameters_by_day: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        for ob in self.obligations.values():
            self._by_subject.setdefault(ob.subject, []).append(ob)

    def for_subject(self, kind: str) -> list[Obligation]:
        return self._by_subject.get(kind, [])

    def parameter_on(self, name: str, day: datetime.date) -> ParameterValue | None:
        values = self.parameters[name]
        i = bisect.bisect_right([v.start for v in values], day) - 1
        return values[i] if i >= 0 else None

    def parameters_on(self, day: datetime.date) -> dict:
        """Every parameter's value on a day (remembered: assessments ask for few distinct days)."""
        values = self._parameters_by_day.get(day)
        if values is None:
            values = {name: found.value for name in self.parameters
                      if (found := self.parameter_on(name, day)) is not None}
            if len(self._parameters_by_day) < 4096:
                self._parameters_by_day[day] = values
        return values
