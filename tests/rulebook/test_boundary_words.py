"""The boundary-word table (rules/boundary-words.yaml) is law as data, read by the rulebook.

Civil Code Art. 1259: 以上, 以下, 以内 include the stated number; 不满, 超过 exclude it. A worded
threshold allows its own comparator and the exact complement (which splits at the same number).
达到 ("reaches") is not in Art. 1259; read by its ordinary meaning, like 以上.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

import hegui
from hegui.rulebook import RulebookError, default_rulebook, load_rulebook
from hegui.rulebook.load import boundary_words

RULES = Path(hegui.__file__).parent / "rules"
LANG = Path(hegui.__file__).parent / "lang"


@pytest.mark.parametrize("word,allowed", [
    ("以上", {">=", "<"}),    # n or more: n is in
    ("达到", {">=", "<"}),
    ("超过", {">", "<="}),    # more than n: n is out
    ("不满", {"<", ">="}),    # less than n: n is out
    ("以下", {"<=", ">"}),    # n or less: n is in
    ("以内", {"<=", ">"}),
])
def test_each_word_allows_its_comparator_and_the_complement(word, allowed):
    assert boundary_words(RULES)[word].comparators == allowed


def test_the_article_is_the_source_of_the_civil_code_words():
    table = boundary_words(RULES)
    assert {w for w, m in table.items() if m.source == "Civil Code Art. 1259"} == {"以上", "超过", "不满", "以下", "以内"}


def test_lang_holds_no_table_of_words():
    # The checker learns the words from the rulebook; no word of the law is written in lang's code.
    for path in LANG.glob("*.py"):
        strings = [n.value for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                   if isinstance(n, ast.Constant) and isinstance(n.value, str)]
        assert not any(w in s for s in strings for w in ("以上", "超过", "不满", "以下", "以内", "达到")), path


def copied(tmp_path) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    return folder


def test_the_table_is_not_part_of_the_digest(tmp_path):
    # It decides whether rules load, never a finding, so the ledger's rulebook digest ignores it.
    folder = copied(tmp_path)
    path = folder / "boundary-words.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("review: unverified", "review: verified"),
                    encoding="utf-8")
    assert load_rulebook(folder).digest == default_rulebook().digest


def test_the_checker_applies_the_table_of_the_rulebook(tmp_path):
    # Reading 超过 as including the number would allow >= and < only, so every > of a 超过 threshold
    # (the merger thresholds' "超过120亿元", ...) becomes a fault.
    folder = copied(tmp_path)
    path = folder / "boundary-words.yaml"
    text = path.read_text(encoding="utf-8")
    over = text.index("超过:")
    path.write_text(text[:over] + text[over:].replace("includes_number: false", "includes_number: true", 1),
                    encoding="utf-8")
    with pytest.raises(RulebookError, match="worded 超过, so compare with < or >="):
        load_rulebook(folder)


def test_a_wording_missing_from_the_table_is_a_load_error(tmp_path):
    # CAC Order 16 words its lower PI threshold 不满 ("less than"); without the word it cannot be read.
    folder = copied(tmp_path)
    path = folder / "boundary-words.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("  不满:"), text.index("  达到:")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(RulebookError, match="wording '不满' is not in boundary-words.yaml"):
        load_rulebook(folder)


def test_a_malformed_table_names_the_file_and_field(tmp_path):
    folder = copied(tmp_path)
    path = folder / "boundary-words.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("reaches: above", "reaches: upward", 1),
                    encoding="utf-8")
    with pytest.raises(RulebookError, match=r"boundary-words.yaml: words\.以上\.reaches"):
        load_rulebook(folder)
