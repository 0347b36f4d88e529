"""A penalty stated once in a file's `penalties` and named by versions, in that file or one importing it."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from hegui.rulebook import default_rulebook, load_rulebook

from small_rulebook import EXTRA_INSTRUMENT, load_error, shipped_plus

VERSION = """\
versions:
  - obligation: csl.ciio-localisation
    from: 2030-01-01
    article: '1'
    applies_when:
      - organisation.ciio
    penalty: {penalty}
    review: verified
    confidence: H
"""


def folder_with(tmp_path: Path, body: str, penalty: str) -> Path:
    return shipped_plus(tmp_path, EXTRA_INSTRUMENT + textwrap.dedent(body) + VERSION.format(penalty=penalty))


def penalties_of(rulebook, obligation="csl.ciio-localisation"):
    return rulebook.obligations[obligation].versions[-1].penalties


def test_versions_naming_one_penalty_share_it():
    # PIPL Art. 66 ¶2: in serious cases up to RMB 50 million or 5% of the previous year's turnover.
    rulebook = default_rulebook()
    for obligation in ("pipl.impact-assessment", "pipl.breach-notice", "pipl.large-platform-duties"):
        (penalty,) = rulebook.obligations[obligation].versions[0].penalties
        assert (penalty.article, penalty.max_rmb, penalty.max_turnover_share) == ("66", 50_000_000, Decimal("0.05"))


def test_an_export_rule_names_the_pipl_penalty_it_imports():
    rulebook = default_rulebook()
    for version in rulebook.obligations["cbdt.security-assessment"].versions:
        (penalty,) = version.penalties
        assert (penalty.article, penalty.max_rmb) == ("PIPL Art. 66(2)", 50_000_000)


def test_a_named_penalty_of_this_file(tmp_path):
    body = """\
    penalties:
      test_fine:
        article: '9'
        max_rmb: 100000
        says: a fine of up to RMB 100,000
    """
    (penalty,) = penalties_of(load_rulebook(folder_with(tmp_path, body, "test_fine")))
    assert (penalty.article, penalty.max_rmb, penalty.says) == ("9", 100_000, "a fine of up to RMB 100,000")


def test_named_cases_read_their_conditions_with_their_own_files_names(tmp_path):
    # The cases' `when` uses a definition of the test file; a file importing the penalty need not import it.
    body = """\
    definitions:
      test_big: "organisation.pi_individuals >= 1000"
    penalties:
      test_cases:
        - {when: test_big, article: '9 ¶2', max_rmb: 500000, says: the larger fine}
        - {article: '9 ¶1', max_rmb: 100000, says: the smaller fine}
    """
    first, second = penalties_of(load_rulebook(folder_with(tmp_path, body, "test_cases")))
    assert (first.article, first.when.text, second.article, second.when) == ("9 ¶2", "test_big", "9 ¶1", None)


def test_another_files_penalty_needs_an_import(tmp_path):
    message = load_error(folder_with(tmp_path, "", "pipl_66"))
    assert ("zz-test.yaml: versions[0] (csl.ciio-localisation): penalty: 'pipl_66' is a penalty of "
            "personal-information-protection-law-2021.yaml, which this file does not import; "
            "add imports: [{from: pipl, names: [pipl_66]}]") in message


def test_an_imported_penalty_is_the_same_penalty(tmp_path):
    rulebook = load_rulebook(folder_with(tmp_path, "imports: [{from: pipl, names: [pipl_66]}]\n", "pipl_66"))
    (penalty,) = penalties_of(rulebook)
    (pipl,) = rulebook.obligations["pipl.breach-notice"].versions[0].penalties
    assert penalty == pipl


@pytest.mark.parametrize(("body", "name", "expected"), [
    ("", "no_such_penalty", "penalty: 'no_such_penalty' is not declared in any rule file"),
    ("definitions: {test_ciio: organisation.ciio}\n", "test_ciio",
     "penalty: 'test_ciio' is a definition of zz-test.yaml"),
])
def test_a_penalty_name_must_name_a_penalty(tmp_path, body, name, expected):
    assert expected in load_error(folder_with(tmp_path, body, name))


def test_a_penalty_is_not_a_condition(tmp_path):
    body = """\
    penalties:
      test_fine: {article: '9', max_rmb: 100000, says: a fine}
    definitions:
      test_wrong: test_fine
    """
    assert "zz-test.yaml: definitions.test_wrong: 'test_fine' is a penalty, not a parameter or definition" \
        in load_error(folder_with(tmp_path, body, "test_fine"))


def test_a_named_penalty_is_checked_where_it_is_written(tmp_path):
    body = """\
    penalties:
      test_fine: {article: '9', max_turnover_share: 0.05, turnover: organisation.ciio, says: a share}
    """
    assert "zz-test.yaml: penalties.test_fine.turnover must name the organisation's turnover fact" \
        in load_error(folder_with(tmp_path, body, "test_fine"))


def test_a_named_penalty_no_version_names_is_a_load_error(tmp_path):
    body = """\
    penalties:
      test_fine: {article: '9', max_rmb: 100000, says: a fine}
      test_unused: {article: '10', max_rmb: 200000, says: another fine}
    """
    assert "zz-test.yaml: penalties.test_unused: no version names it" \
        in load_error(folder_with(tmp_path, body, "test_fine"))
