"""Answers typed in an interview, read as manifest values of the question's type.

Yes/no in English or Chinese, whole numbers with thousands separators, ratios as decimals or
percentages, ISO dates, choices by value or number, country codes in any case, the areas of
activity carried on (or none); `s` skips, `q` stops, `?` asks why the question is asked and `<`
goes back one question. An answer that does not fit raises BadAnswer naming the message that
says why.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

SKIP, QUIT, WHY, BACK = object(), object(), object(), object()
_SKIP_WORDS = {"s", "skip", "跳过"}
QUIT_WORDS = {"q", "quit", "exit", "退出"}
_WHY_WORDS = {"?", "？", "why", "为什么"}
_BACK_WORDS = {"<", "back", "返回"}
_NONE_WORDS = {"none", "无", "没有", "都没有"}
_YES = {"y", "yes", "true", "是", "对"}
_NO = {"n", "no", "false", "否", "不"}


class BadAnswer(ValueError):
    """An answer that does not fit the question: `key` names its interview.bad.* message."""

    def __init__(self, key: str, **fields):
        super().__init__(key)
        self.key, self.fields = key, fields


def parse_answer(q, text: str):
    """The manifest value of a typed answer; SKIP or QUIT for s and q; BadAnswer if it does not fit."""
    answer = text.strip()
    if answer.lower() in _SKIP_WORDS:
        return SKIP
    if answer.lower() in QUIT_WORDS:
        return QUIT
    if answer.lower() in _WHY_WORDS:
        return WHY
    if answer.lower() in _BACK_WORDS:
        return BACK
    if not answer:
        raise BadAnswer("empty")
    kind = q.unit if q.type == "number" else q.type
    return _PARSERS[kind](answer, q)


def _bool(answer, q):
    word = answer.lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise BadAnswer("bool")


def _decimal(answer: str, key: str) -> Decimal:
    cleaned = re.sub(r"[\s,_，]", "", answer)
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise BadAnswer(key) from None
    if not value.is_finite() or value < 0:
        raise BadAnswer(key)
    return value


def _count(answer, q):
    value = _decimal(answer, "count")
    if value != value.to_integral_value() or "." in answer or "e" in answer.lower():
        raise BadAnswer("count")
    return int(value)


def _money(answer, q):
    value = _decimal(answer, "money")
    return int(value) if value == value.to_integral_value() else float(value)


def _ratio(answer, q):
    percent = answer.endswith("%")
    value = _decimal(answer.rstrip("%"), "ratio")
    if percent:
        value = value / 100
    if value > 1:
        raise BadAnswer("ratio")
    return int(value) if value in (0, 1) and not percent and "." not in answer else float(value)


def _date(answer, q):
    try:
        if len(answer) == 10:
            return datetime.date.fromisoformat(answer)
    except ValueError:
        pass
    raise BadAnswer("date")


def _pick(word: str, values) -> str | None:
    word = word.strip()
    if word.isdigit() and 1 <= int(word) <= len(values):
        return values[int(word) - 1]
    return next((v for v in values if v == word.lower()), None)


def _choice(answer, q):
    picked = _pick(answer, q.values)
    if picked is None:
        raise BadAnswer("choice", values=", ".join(q.values))
    return picked


def _choices(answer, q):
    words = [w for w in re.split(r"[,，、\s]+", answer) if w]
    picked = [_pick(w, q.values) for w in words]
    if not picked or None in picked:
        raise BadAnswer("choices", values=", ".join(q.values))
    return list(dict.fromkeys(picked))


def _activities(answer, q):
    """The areas carried on, by code or number, or none: every area offered becomes true or false,
    as {gate fact path: flag}."""
    if answer.lower() in _NONE_WORDS:
        picked = []
    else:
        try:
            picked = _choices(answer, q)
        except BadAnswer:
            raise BadAnswer("activities", values=", ".join(q.values)) from None
    return {f"{q.path}.{code}": code in picked for code in q.values}


def _country(answer, q):
    import pycountry
    code = answer.upper()
    if len(code) == 2 and code.isalpha() and pycountry.countries.get(alpha_2=code):
        return code
    raise BadAnswer("country")


def _text(answer, q):
    code = answer.upper()
    if re.fullmatch(r"[A-Z][A-Z0-9]*", code):
        return code
    raise BadAnswer("text")


def _items(answer, q):
    names = [n.strip() for n in re.split(r"[,，、]", answer) if n.strip()]
    if not names:
        raise BadAnswer("items")
    return [{"name": n} for n in names]


_PARSERS = {"bool": _bool, "count": _count, "money": _money, "ratio": _ratio, "date": _date,
            "choice": _choice, "choices": _choices, "activities": _activities, "country": _country, "text": _text,
            "items": _items}


# --- the manifest document -------------------------------------------------------------------

