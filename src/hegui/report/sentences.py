"""A test of a rule as a sentence about the subject: what is the case, and the legal test it meets or fails.

`state(node)` says what the facts are for the part of a condition that decided it: a true `or`
by the branch that held, a false `and` by the part that failed. It describes the facts as they
are, so a failed `not X` reads as X and a failed `a != b` as "a is b": no double negatives.
A comparison adds the test after the fact's sentence, with the boundary word of the law
("more than (超过) 1,000,000") when the parameter has one.

The words come from data: fact labels (manifest/labels.yaml), the wording of named tests
(a rule file's `definitions:`), and the phrasing of operators (report/messages/reasons.yaml).
"""

from __future__ import annotations

import datetime
import re
from functools import lru_cache

from hegui.lang.evaluate import compile_expr
from hegui.lang.syntax import (
    And, Applies, Compare, Count, Fact, Known, Literal, Member, Name, Not, Or, Overlaps, Sum, render,
)
from hegui.report.i18n import t
from hegui.report.labels import (
    UNKNOWN_VALUE, fact_sentence, fact_with, is_yes_no, list_words, sum_sentence, value_text,
)

_FLIP = {">": "<", "<": ">", ">=": "<=", "<=": ">=", "==": "==", "!=": "!="}
# The phrase of a comparison as it came out: (numbers or dates, the comparator, whether it holds).
RELATIONS = {
    ("number", ">", True): "reason.number.gt.met", ("number", ">", False): "reason.number.gt.unmet",
    ("number", ">=", True): "reason.number.ge.met", ("number", ">=", False): "reason.number.ge.unmet",
    ("number", "<", True): "reason.number.lt.met", ("number", "<", False): "reason.number.lt.unmet",
    ("number", "<=", True): "reason.number.le.met", ("number", "<=", False): "reason.number.le.unmet",
    ("date", ">", True): "reason.date.gt.met", ("date", ">", False): "reason.date.gt.unmet",
    ("date", ">=", True): "reason.date.ge.met", ("date", ">=", False): "reason.date.ge.unmet",
    ("date", "<", True): "reason.date.lt.met", ("date", "<", False): "reason.date.lt.unmet",
    ("date", "<=", True): "reason.date.le.met", ("date", "<=", False): "reason.date.le.unmet",
}
# A threshold's boundary word (rules/boundary-words.yaml): the phrase when the value is on the
# side the word reaches, and when it is not.
WORDS = {
    "以上": ("reason.word.yishang.met", "reason.word.yishang.unmet"),
    "超过": ("reason.word.chaoguo.met", "reason.word.chaoguo.unmet"),
    "以下": ("reason.word.yixia.met", "reason.word.yixia.unmet"),
    "以内": ("reason.word.yinei.met", "reason.word.yinei.unmet"),
    "不满": ("reason.word.buman.met", "reason.word.buman.unmet"),
    "达到": ("reason.word.dadao.met", "reason.word.dadao.unmet"),
}
_OPERATOR = {("above", True): ">=", ("above", False): ">", ("below", True): "<=", ("below", False): "<"}


@lru_cache(maxsize=1)
def _word_operators() -> dict[str, str]:
    """Each boundary word's comparator (以上 is >=, 超过 is >, ...), from the shipped rulebook's table
    (compiled with it, so a process that reads the rulebook from its cache reads no rule file)."""
    from hegui.rulebook import default_rulebook
    return {w.word: _OPERATOR[(w.reaches, w.includes_number)] for w in default_rulebook().boundary_words.values()}


def _subject_side(node) -> bool:
    return isinstance(node, (Fact, Sum, Count))


class Sentences:
    """The sentences of one finding's tests, in one language."""

    def __init__(self, ctx, lang: str, rulebook=None, day: datetime.date | None = None, labels=()):
        self.ctx, self.lang, self.rulebook, self.day = ctx, lang, rulebook, day
        self.defined = {tree: label for tree, label in labels}

    def value(self, node):
        return compile_expr(node)(self.ctx)

    def join(self, parts) -> str:
        """Sentences one after another; one that two parts both come to is said once."""
        return t("reason.separator", self.lang).join(dict.fromkeys(p for p in parts if p))

    # -- what is the case --------------------------------------------------------------------

    def state(self, node) -> str:
        value = self.value(node)
        label = self.defined.get(node)
        if label is not None and value is not None:
            return self._fill(label.says(self.lang, value))
        match node:
            case And(items=items) | Or(items=items):
                parts = [(i, self.value(i)) for i in items]
                decisive = isinstance(node, Or)
                if value is decisive:
                    return self.state(next(i for i, v in parts if v is decisive))
                if value is None:
                    return self.join(self.state(i) for i, v in parts if v is None)
                return self.join(self.state(i) for i, _ in parts)
            case Not(item=i):
                return self.state(i)   # the facts as they are: a failed `not X` is X
            case Fact(path=p):
                return fact_sentence(p, value, self.lang)
            case Known(path=p):
                given = self.ctx.facts.get(p)
                if given is None:
                    return t("reason.not_given", self.lang, text=fact_with(p, UNKNOWN_VALUE, self.lang))
                return fact_sentence(p, given, self.lang)
            case Applies(obligation=o):
                key = {True: "reason.obligation_applies", False: "reason.obligation_does_not_apply"}.get(
                    value, "reason.obligation_unknown")
                return t(key, self.lang, title=self._title(o), obligation=o)
            case Compare():
                return self._compare(node, value)
            case Member(item=i, options=opts):
                return self._member(i, opts)
            case Overlaps(path=p, options=opts):
                held = self.ctx.facts.get(p)
                text = fact_sentence(p, held, self.lang)   # "not yet known: ..." when not given
                if held is None:
                    return text
                among = [o for o in opts if o in held]
                if set(among) == set(held) and held:   # all it holds are among them: its sentence says so
                    return text
                if among:
                    return t("reason.including", self.lang, text=text, options=self._values(p, among))
                if len(opts) == 1:
                    return t("reason.not_value", self.lang, text=text, other=self._values(p, opts))
                return t("reason.none_among", self.lang, text=text, options=self._values(p, opts))
        return render(node)

    def _compare(self, node: Compare, value) -> str:
        op, left, right = node.op, node.left, node.right
        if not _subject_side(left) and _subject_side(right):
            op, left, right = _FLIP[op], right, left
        have, other = self.value(left), self.value(right)
        path = self._path(left)
        if have is None:
            return t("reason.not_known", self.lang, text=self.describe(left, UNKNOWN_VALUE))
        if isinstance(left, Fact) and is_yes_no(left.path):
            return fact_sentence(left.path, have, self.lang)
        text = self.describe(left, value_text(path, have, self.lang), have)
        if op in ("==", "!="):
            if have == other:
                return text
            return t("reason.not_value", self.lang, text=text, other=value_text(path, other, self.lang))
        relation = self.relation(op, value, right, path, isinstance(have, datetime.date))
        return t("reason.compared", self.lang, text=text, relation=relation)

    def relation(self, op: str, holds, other_node, path, is_date: bool) -> str:
        """The legal test as it came out: "more than (超过) 1,000,000", "not more than (超过) ...", "before ..."."""
        other = value_text(path, self.value(other_node), self.lang)
        word = self._wording(other_node)
        kind = "date" if is_date else "number"
        if holds is None:   # a count known only within bounds: the test as the rule asks it
            asked = t(WORDS[word][0], self.lang, n=other) if word in WORDS and op == _word_operators()[word] \
                else t(RELATIONS[kind, op, True], self.lang, n=other)
            return t("reason.unknown_relation", self.lang, relation=asked)
        if word in WORDS:
            met = (op == _word_operators()[word]) == holds
            return t(WORDS[word][0 if met else 1], self.lang, n=other)
        return t(RELATIONS[kind, op, holds], self.lang, n=other)

    def _member(self, item, options) -> str:
        have = self.value(item)
        path = self._path(item)
        if have is None:
            return t("reason.not_known", self.lang, text=self.describe(item, UNKNOWN_VALUE))
        text = self.describe(item, value_text(path, have, self.lang), have)
        if len(options) == 1:
            return text if have in options else t("reason.not_value", self.lang, text=text,
                                                   other=value_text(path, options[0], self.lang))
        key = "reason.among" if have in options else "reason.none_among"
        return t(key, self.lang, text=text, options=self._values(path, options))

    # -- the test as it is written, without values (inside count()) ---------------------------

    def test(self, node) -> str:
        """What a condition asks, as a sentence about an item: "the party's turnover ... was more than (超过) ..."."""
        match node:
            case Fact(path=p):
                return fact_sentence(p, True, self.lang)
            case Not(item=Fact(path=p)) if is_yes_no(p):
                return fact_sentence(p, False, self.lang)
            case Not(item=i):
                return t("reason.not_the_case", self.lang, text=self.test(i))
            case And(items=items):
                return t("reason.and", self.lang).join(self.test(i) for i in items)
            case Or(items=items):
                return t("reason.or", self.lang).join(self.test(i) for i in items)
            case Compare(op=op, left=left, right=right):
                if not _subject_side(left) and _subject_side(right):
                    op, left, right = _FLIP[op], right, left
                path = self._path(left)
                if op == "==":
                    return self.describe(left, value_text(path, self.value(right), self.lang))
                if op == "!=":
                    return self.describe(left, t("reason.other_than", self.lang,
                                                 other=value_text(path, self.value(right), self.lang)))
                return self.describe(left, self.relation(op, True, right, path, False))
            case Member(item=i, options=opts, negated=neg):
                path = self._path(i)
                key = "reason.none_of_values" if neg else "reason.one_of_values"
                return self.describe(i, t(key, self.lang, options=self._values(path, opts)))
            case Known(path=p):
                return fact_with(p, UNKNOWN_VALUE, self.lang)
        return render(node)

    # -- parts ---------------------------------------------------------------------------------

    def describe(self, node, text: str, value=None) -> str:
        """The sentence of what a comparison reads (a fact, a sum, a count), with `text` as its value."""
        match node:
            case Fact(path=p):
                return fact_with(p, text, self.lang, value)
            case Sum(path=p):
                return sum_sentence(p, text, self.lang)
            case Count(items=items, condition=c):
                return t("reason.count", self.lang, n=text, items=list_words(items, self.lang), test=self.test(c))
        return f"{render(node)} {text}"

    def _path(self, node) -> str | None:
        match node:
            case Fact(path=p) | Sum(path=p):
                return p
        return None

    def _values(self, path, options) -> str:
        return t("reason.list_separator", self.lang).join(value_text(path, o, self.lang) for o in options)

    def _wording(self, node) -> str | None:
        if isinstance(node, Name) and self.rulebook is not None and self.day is not None:
            found = self.rulebook.parameter_on(node.name, self.day)
            return found.wording if found else None
        return None

    def _title(self, obligation: str) -> str:
        ob = self.rulebook.obligations.get(obligation) if self.rulebook else None
        if ob is None:
            return obligation
        return ob.title if self.lang == "en" else ob.title_zh

    def _fill(self, text: str) -> str:
        """A definition's sentence with the values of the facts it names in braces."""
        return re.sub(r"\{([^{}]*)\}", lambda m: value_text(m.group(1), self.ctx.facts.get(m.group(1)), self.lang),
                      text)
