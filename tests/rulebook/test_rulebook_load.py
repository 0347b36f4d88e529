"""The rulebook refuses faulty rule files when it loads, naming the file and the fault."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from hegui.rulebook import RulebookError, default_rulebook, load_rulebook

RULES = Path(__import__("hegui").__file__).parent / "rules"

INSTRUMENT = """\
instrument:
  id: test-instrument
  title: Test Instrument
  title_zh: 测试
  short: Test
  issuer: nobody
  promulgated: 2020-01-01
  in_force: 2020-02-01
  source: test
"""


def rulebook_with(tmp_path: Path, extra: str) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    (folder / "zz-test.yaml").write_text(INSTRUMENT + textwrap.dedent(extra), encoding="utf-8")
    return folder


def version(applies_when: str, **more) -> str:
    lines = [
        "versions:",
        "  - obligation: csl.ciio-localisation",
        "    from: 2030-01-01",
        "    article: '1'",
        "    applies_when:",
        f"      - \"{applies_when}\"",
        "    review: verified",
        "    confidence: H",
    ]
    lines += [f"    {k}: {v}" for k, v in more.items()]
    return "\n".join(lines) + "\n"


def test_the_shipped_rulebook_loads_with_a_digest():
    rulebook = default_rulebook()
    assert rulebook.digest.startswith("sha256:") and len(rulebook.digest) == len("sha256:") + 64
    assert all(ob.versions for ob in rulebook.obligations.values())


def test_the_digest_changes_when_a_rule_changes(tmp_path):
    folder = rulebook_with(tmp_path, version("organisation.ciio"))
    assert load_rulebook(folder).digest != default_rulebook().digest


def test_an_unknown_fact_is_a_load_error_with_a_suggestion(tmp_path):
    folder = rulebook_with(tmp_path, version("organisation.cioo"))
    with pytest.raises(RulebookError, match=r"zz-test.yaml.*unknown fact 'organisation.cioo'.*organisation.ciio"):
        load_rulebook(folder)


def test_a_fact_of_another_subject_kind_is_a_load_error(tmp_path):
    folder = rulebook_with(tmp_path, version("listing.structure == 'direct'"))
    with pytest.raises(RulebookError, match="unknown fact 'listing.structure'"):
        load_rulebook(folder)


def test_an_enum_value_that_does_not_exist_is_a_load_error(tmp_path):
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    text = (folder / "csrc-overseas-listing-trial-measures-2023.yaml").read_text(encoding="utf-8")
    (folder / "csrc-overseas-listing-trial-measures-2023.yaml").write_text(
        text.replace("listing.structure == 'direct'", "listing.structure == 'drect'"), encoding="utf-8")
    with pytest.raises(RulebookError, match="'drect' is not a value of listing.structure"):
        load_rulebook(folder)


def test_a_comparator_contradicting_the_legal_wording_is_a_load_error(tmp_path):
    # Art. 7 says 超过 (more than): >= would wrongly catch exactly 1,000,000 users.
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    path = folder / "cybersecurity-review-measures-2021.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "organisation.pi_individuals > review_platform_users", "organisation.pi_individuals >= review_platform_users"),
        encoding="utf-8")
    with pytest.raises(RulebookError, match="worded 超过"):
        load_rulebook(folder)


def test_rule_text_is_parsed_not_evaluated(tmp_path):
    folder = rulebook_with(tmp_path, version("__import__('os').system('true')"))
    with pytest.raises(RulebookError, match="cannot parse"):
        load_rulebook(folder)


def test_an_obligation_missing_from_the_catalogue_is_a_load_error(tmp_path):
    folder = rulebook_with(tmp_path, version("organisation.ciio").replace("csl.ciio-localisation", "csl.no-such-duty"))
    with pytest.raises(RulebookError, match="not in catalogue.yaml"):
        load_rulebook(folder)


def test_two_versions_starting_on_one_day_are_a_load_error(tmp_path):
    folder = rulebook_with(tmp_path, version("organisation.ciio").replace("2030-01-01", "2026-01-01"))
    with pytest.raises(RulebookError, match="two versions start on 2026-01-01"):
        load_rulebook(folder)


def test_unknown_keys_in_a_rule_file_are_load_errors(tmp_path):
    folder = rulebook_with(tmp_path, version("organisation.ciio", aplies_when="[]"))
    with pytest.raises(RulebookError, match="aplies_when"):
        load_rulebook(folder)


def test_a_version_ends_where_the_next_begins():
    ob = default_rulebook().obligations["cbdt.security-assessment"]
    order_11, order_16 = ob.versions[:2]
    assert order_11.end == order_16.start
    assert ob.version_on(order_16.start) is order_16
    assert ob.version_on(order_16.start.fromordinal(order_16.start.toordinal() - 1)) is order_11


# cross-border data (issue 10): a citation case naming an instrument no file defines
def test_a_citation_case_must_name_a_known_instrument(tmp_path):
    cites = "[{when: \"organisation.ciio\", instrument: no-such-instrument, article: '2'}]"
    folder = rulebook_with(tmp_path, version("organisation.ciio", cites=cites))
    with pytest.raises(RulebookError, match="no instrument 'no-such-instrument'"):
        load_rulebook(folder)


def test_a_citation_case_is_checked_like_any_condition(tmp_path):
    folder = rulebook_with(tmp_path, version("organisation.ciio", cites="[{when: \"organisation.no_such_fact\", article: '2'}]"))
    with pytest.raises(RulebookError, match="no_such_fact"):
        load_rulebook(folder)
