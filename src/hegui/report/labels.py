"""How facts and their values read in a sentence, from manifest/labels.yaml (beside the questions).

A fact's label is a sentence about the organisation (or the service, transfer, ...): one for
true and one for false, or one with `{value}` where its value goes. Values are shown readably in
each language: numbers grouped, money with its currency, shares as percentages, countries by
name with their code, coded values by the words the data gives them.
"""

from __future__ import annotations

import datetime
import gettext
import re
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pycountry
import yaml

from hegui.cache import cached
from hegui.lang.values import Bounds
from hegui.manifest.facts import fact_types, number_measures
from hegui.manifest.model import SUBJECT_LISTS
from hegui.report.i18n import LANGUAGES, t

UNKNOWN_VALUE = "…"   # stands for a value not yet known, inside a fact's sentence


class LabelError(Exception):
    pass


@lru_cache(maxsize=1)
def labels() -> dict:
    """The labels file, checked: every entry has both languages, in the right form. Read once,
    then from the per-user cache (hegui/cache.py)."""
    data = (resources.files("hegui.manifest") / "labels.yaml").read_bytes()
    return cached("labels", (data, Path(__file__).read_bytes()), lambda: checked(
        yaml.load(data.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))), dict)


def checked(data: dict) -> dict:
    """The labels as read, or LabelError naming the first entry that lacks a language or its form."""
    for section in ("facts", "sums"):
        for path, entry in data[section].items():
            for lang in LANGUAGES:
                form = entry.get(lang) if isinstance(entry, dict) else None
                if isinstance(form, dict) and set(form) == {True, False}:
                    continue
                if isinstance(form, str) and "{value}" in form:
                    continue
                if isinstance(form, dict) and set(form) == {"one", "other"} and all(
                        isinstance(v, str) and "{value}" in v for v in form.values()):
                    continue   # a count in English: the sentence for 1, and for any other number
                raise LabelError(f"labels.yaml: {section}.{path}.{lang}: needs a sentence with {{value}} "
                                 "(or one for 1 and one for other numbers), or one for true and one for false")
    for section in ("lists", "countries"):
        for key, entry in data[section].items():
            if set(entry) != set(LANGUAGES):
                raise LabelError(f"labels.yaml: {section}.{key}: needs exactly {', '.join(LANGUAGES)}")
    for path, words in data["values"].items():
        for value, entry in words.items():
            if set(entry) != set(LANGUAGES):
                raise LabelError(f"labels.yaml: values.{path}.{value}: needs exactly {', '.join(LANGUAGES)}")
    return data


_ITEM = re.compile(r"\[\d+\]")
_LIST_KIND = {name: kind for kind, name in SUBJECT_LISTS.items()}


@lru_cache(maxsize=4096)   # a pure function of the path, asked for every sentence
def generic_path(path: str) -> str:
    """The fact a path names, without list positions: services[1].commercial -> service.commercial."""
    plain = _ITEM.sub("", path)
    head, _, rest = plain.partition(".")
    return f"{_LIST_KIND[head]}.{rest}" if head in _LIST_KIND and rest else plain


def _form(path: str, lang: str, value=None):
    """The label in a language: for a count, the sentence for 1 or for any other number."""
    form = labels()["facts"][generic_path(path)][lang]
    if isinstance(form, dict) and "other" in form:
        return form["one"] if value == 1 and not isinstance(value, bool) else form["other"]
    return form


def fact_sentence(path: str, value, lang: str) -> str:
    """The fact's sentence with its value; a true/false fact not yet known says so."""
    form = _form(path, lang, value)
    if isinstance(form, dict):
        if value is None:
            return t("reason.unknown_whether", lang, text=form[True])
        return form[bool(value)]
    if value is None:
        return t("reason.not_known", lang, text=form.format(value=UNKNOWN_VALUE))
    return form.format(value=value_text(path, value, lang))


def fact_with(path: str, text: str, lang: str, value=None) -> str:
    """The sentence of a fact with a value, with `text` in the value's place (the value shown, a
    test, or …); `value`, when known, picks the singular for 1."""
    form = _form(path, lang, value)
    if isinstance(form, dict):
        return form[True]
    return form.format(value=text)


def is_yes_no(path: str) -> bool:
    form = labels()["facts"][generic_path(path)]["en"]
    return isinstance(form, dict) and True in form


def sum_sentence(path: str, text: str, lang: str) -> str:
    return labels()["sums"][generic_path(path)][lang].format(value=text)


def list_words(path: str, lang: str) -> str:
    return labels()["lists"][generic_path(path)][lang]


def _fact_type(path: str):
    generic = generic_path(path)
    return fact_types(generic.split(".", 1)[0]).get(generic)


def value_text(path: str | None, value, lang: str) -> str:
    """A value as a reader sees it, shown as the fact `path` measures it (money, share, country, ...)."""
    if value is None:
        return t("reason.value_unknown", lang)
    if isinstance(value, Bounds):
        low, high = value_text(path, value.at_least, lang), value.at_most
        return t("reason.bounds", lang, low=low, high=value_text(path, high, lang)) if high is not None \
            else t("reason.bounds_open", lang, low=low)
    if isinstance(value, bool):
        return t("reason.yes" if value else "reason.no", lang)
    if isinstance(value, (list, tuple)):
        if value and isinstance(value[0], dict):   # records or subjects: each by its id or name
            return t("reason.list_separator", lang).join(_item_name(v) for v in value)
        if not value:
            return t("reason.none_listed", lang)
        return t("reason.list_separator", lang).join(value_text(path, v, lang) for v in value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    generic = generic_path(path) if path else None
    if isinstance(value, str):
        words = labels()["values"].get(generic, {}).get(value)
        if words:
            return words[lang]
        type_ = _fact_type(path) if path else None
        if type_ is not None and type_.kind == "country":
            return t("reason.country", lang, name=country_name(value, lang), code=value)
        return value
    if isinstance(value, (int, float, Decimal)):
        measure = number_measures().get(generic) if generic else None
        if measure == "ratio":
            return f"{format((Decimal(str(value)) * 100).normalize(), 'f')}%"
        shown = _chinese_number(value) if lang == "zh" else None
        if measure == "money":
            return t("reason.money", lang, amount=shown or _grouped(value))
        return shown or _grouped(value)
    return str(value)


def _chinese_number(value) -> str | None:
    """A whole number as the law writes it in Chinese, in 万 and 亿 (100万, 3.8亿), when that is exact;
    None for a number that is not a round one (1,000,001 stays in digits: a boundary is exact)."""
    number = Decimal(str(value))
    if number != number.to_integral_value() or number < 10_000:
        return None
    n = int(number)
    if n >= 10**8 and n % 10**6 == 0:
        return f"{format((Decimal(n) / 10**8).normalize(), 'f')}亿"
    if n % 10**4 == 0:
        return f"{n // 10**4}万"
    return None


def _grouped(value) -> str:
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,}"


def _item_name(item: dict) -> str:
    return next((str(v) for k, v in item.items() if k.endswith((".id", ".name"))), "?")


@lru_cache(maxsize=None)
def country_name(code: str, lang: str) -> str:
    """A country's or region's name: ours where the ISO list's is not a mainland reader's, else the ISO list's."""
    own = labels()["countries"].get(code)
    if own:
        return own[lang]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    name = getattr(country, "common_name", None) or country.name
    if lang == "zh":
        return _zh_names().gettext(country.name)
    return name


@lru_cache(maxsize=1)
def _zh_names():
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)
