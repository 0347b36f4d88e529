"""Every rule text a person reads has its Chinese beside it (issue 12 §4, the `*_zh` convention).

An English prose field (`note`, `issuer`, `description`, `text`, `says`, a one-line `continuous`)
needs a sibling `<field>_zh` in the same mapping, and an `article` with words beyond article
numbers, paragraphs and items ("26 (PIPL Art. 53)", "whole text") an `article_zh`: without them a
Chinese view shows English. A `_zh` field must be Chinese, not empty or left in English.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

import hegui
from hegui.rulebook.model import Prose, article_is_plain, fold_zh, in_lang

RULES = Path(hegui.__file__).parent / "rules"
NOT_RULE_FILES = ("catalogue.yaml", "boundary-words.yaml")
RULE_FILES = sorted(p.name for p in RULES.glob("*.yaml")
                    if p.name not in NOT_RULE_FILES and not p.name.endswith(".cases.yaml"))


PROSE = ("note", "issuer", "description", "text", "says", "continuous")
# The sections keyed by names the file declares: their keys are names, not fields.
NAMED = ("parameters", "penalties", "aggregates")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def untranslated(document: dict) -> list[str]:
    """Each place of a rule file where a Chinese reader would meet English: field paths."""
    return [f"{where}: {problem}" for where, problem, _ in _gaps(document)]


def english_texts(document: dict) -> list[str]:
    """The English a Chinese view of the file would show: its prose and worded articles lacking Chinese."""
    return [text for _, _, text in _gaps(document) if text]


def _gaps(document: dict) -> list[tuple[str, str, str | None]]:
    """(field path, problem, the English shown instead) for each gap."""
    found: list[tuple[str, str, str | None]] = []

    def walk(node, path: str):
        if isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, f"{path}[{i}]")
            return
        if not isinstance(node, dict):
            return
        for key, value in node.items():
            where = f"{path}.{key}" if path else str(key)
            if key in PROSE and isinstance(value, str) and f"{key}_zh" not in node:
                found.append((where, f"no {key}_zh", value))
            elif key == "article" and isinstance(value, str) and not article_is_plain(value) \
                    and "article_zh" not in node:
                found.append((where, f"{value!r} has words beyond article numbers: no article_zh", value))
            elif str(key).endswith("_zh") and key != "title_zh":
                texts = value if isinstance(value, list) else [value]
                if not all(isinstance(x, str) and CHINESE.search(x) for x in texts):
                    found.append((where, "empty or not Chinese", node.get(key[:-3])))
            if key == "definitions":
                continue   # conditions, not prose
            if key in NAMED and isinstance(value, dict) and not path:
                for name, item in value.items():
                    walk(item, f"{where}.{name}")
            else:
                walk(value, where)

    walk(document, "")
    return found


@pytest.mark.parametrize("name", RULE_FILES)
def test_rule_text_has_its_chinese(name):
    document = yaml.safe_load((RULES / name).read_text(encoding="utf-8"))
    missing = untranslated(document)
    assert not missing, f"{name}:\n  " + "\n  ".join(missing)


def test_the_check_finds_each_kind_of_gap():
    document = {
        "instrument": {"issuer": "CAC", "issuer_zh": "国家互联网信息办公室", "note": "a note"},
        "parameters": {"text": {"description": "a count", "values": [{"article": "7(2)", "quote": "以上"}]}},
        "definitions": {"note": "organisation.ciio"},
        "versions": [{
            "article": "26 (PIPL Art. 53)", "text": "summary", "text_zh": "概述",
            "continuous": [{"when": "organisation.ciio", "says": "keep it", "says_zh": "保持"},
                           {"says": "keep it too"}],
            "unless": [{"article": "29 ¶2", "says": "exempt", "says_zh": "exempt"}],
            "penalty": {"article": "whole text", "article_zh": "全文", "says": "a fine", "says_zh": ""},
        }],
    }
    assert untranslated(document) == [
        "instrument.note: no note_zh",
        "parameters.text.description: no description_zh",
        "versions[0].article: '26 (PIPL Art. 53)' has words beyond article numbers: no article_zh",
        "versions[0].continuous[1].says: no says_zh",
        "versions[0].unless[0].says_zh: empty or not Chinese",
        "versions[0].penalty.says_zh: empty or not Chinese",
    ]


@pytest.mark.parametrize("article,plain", [
    ("7", True), ("55, 56", True), ("29 ¶2", True), ("62(8)", True), ("5(1)-(3)", True),
    ("13 ¶2-4", True), ("7 ¶2-3, 8 ¶3", True), ("2-5, 8, 9, 11", True), ("39(4)-(7)", True),
    ("26 (PIPL Art. 53)", False), ("whole text", False), ("Order 11 Art. 20", False),
    ("6(1); Decision §1(3)1", False), ("CSL Art. 61 ¶1, ¶3", False),
])
def test_plain_articles(article, plain):
    assert article_is_plain(article) is plain


def test_the_loader_carries_the_chinese_beside_the_english(tmp_path):
    from small_rulebook import EXTRA_INSTRUMENT, shipped_plus
    from hegui.rulebook import load_rulebook
    text = EXTRA_INSTRUMENT.replace("  issuer: nobody\n", "  issuer: nobody\n  issuer_zh: 无人\n") + """\
  note: A test.
  note_zh: 测试用。
versions:
  - obligation: pipl.breach-notice
    until: 2021-11-01   # the PIPL's own version follows
    article: "9 (PIPL Art. 57)"
    article_zh: 第9条（《个人信息保护法》第57条）
    text: Tell them.
    text_zh: 告知他们。
    applies_when: ["organisation.pi_individuals > 0"]
    unless:
      - {article: "9 ¶2", test: organisation.ciio, says: a CIIO, says_zh: 关键信息基础设施运营者}
    continuous: tell them at once
    continuous_zh: >-
      立即
      告知
    deadline:
      - {before: organisation.credit.business_started_on, says: in time, says_zh: 按时}
    penalty: {article: "10", max_rmb: 1000, says: a fine, says_zh: 罚款}
    review: verified
    confidence: H
    note: none
    note_zh: 无
"""
    rulebook = load_rulebook(shipped_plus(tmp_path, text))
    version = rulebook.obligations["pipl.breach-notice"].versions[0]
    assert version.instrument.issuer == "nobody" and in_lang(version.instrument.issuer, "zh") == "无人"
    assert in_lang(version.instrument.note, "zh") == "测试用。"
    assert version.article == "9 (PIPL Art. 57)" and in_lang(version.article, "zh") == "第9条（《个人信息保护法》第57条）"
    assert in_lang(version.unless[0].says, "zh") == "关键信息基础设施运营者"
    assert in_lang(version.continuous[0][1], "zh") == "立即告知"   # a folded line break is no space in Chinese
    assert in_lang(version.deadline[0].says, "zh") == "按时"
    assert in_lang(version.penalties[0].says, "zh") == "罚款"
    assert in_lang(version.note, "zh") == "无" and in_lang(version.note, "en") == "none"


def test_continuous_zh_goes_beside_one_line(tmp_path):
    from small_rulebook import EXTRA_INSTRUMENT, load_error, shipped_plus
    text = EXTRA_INSTRUMENT + """\
versions:
  - obligation: pipl.breach-notice
    article: "9"
    applies_when: ["organisation.pi_individuals > 0"]
    continuous: [{says: tell them, says_zh: 告知}]
    continuous_zh: 告知
    review: verified
    confidence: H
"""
    assert "continuous_zh goes beside a one-line continuous" in load_error(shipped_plus(tmp_path, text))


def test_english_stands_where_no_chinese_is_given():
    assert in_lang(Prose("tell them"), "zh") == "tell them"
    assert in_lang("plain", "zh") == "plain"
    assert fold_zh("中文 English\n  词") == "中文 English 词"
