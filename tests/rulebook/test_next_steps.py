"""Each obligation's next step (catalogue.yaml `next_step`): what clears the duty and where, in
English and Chinese, with the article that names the authority where the law names one; and the
loader's checks on it and on the days a derived count is a legal test (aggregates' from/until).
"""

from __future__ import annotations

import re

import pytest

from hegui.rulebook import default_rulebook, load_rulebook
from small_rulebook import EXTRA_INSTRUMENT, load_error, shipped_plus

# Authorities and portals as the English next steps name them.
AUTHORITY = re.compile(r"\bCAC\b|CSRC|MIIT|public security|People's Bank|SAMR|NPPA|communications administration|"
                       r"Cybersecurity Review Office|publication authority|competent (PRC )?authority|"
                       r"competent department|protection work department|supervision department")
# Named without an article we have read: the GBA Guidelines' filing article is unread (summaries
# agree on the Guangdong CAC, [M]); the CSL localisation article was renumbered on 2026-01-01
# (Art. 37 -> 39), so no one number is right on every date.
UNSOURCED = {"gba-pi.standard-contract-filing", "csl.ciio-localisation"}
# Cited whole: the CAC announcement of 2025-07-18 and the MIIT app filing notice have no articles.
WHOLE_NOTICES = {"pipl.pi-protection-officer", "app-filing.filing"}
# What a Chinese text may keep in Latin letters: official abbreviations and codes.
LATIN_ALLOWED = {"App"}


def test_every_obligation_has_a_next_step_in_english_and_chinese():
    rulebook = default_rulebook()
    assert len(rulebook.obligations) > 80
    for ob in rulebook.obligations.values():
        step = ob.next_step
        assert step is not None, ob.id
        assert step.en.strip() and step.zh.strip(), ob.id
        assert re.search(r"[\u4e00-\u9fff]", step.zh), ob.id
        words = re.sub(r"\b[a-z0-9-]+(\.[a-z0-9-]+)+\b", "", step.zh)     # a portal's address is a code
        assert set(re.findall(r"[A-Za-z]{2,}", words)) <= LATIN_ALLOWED, ob.id
        assert not re.search(r"[\u4e00-\u9fff]", step.en), ob.id


def test_a_next_step_naming_an_authority_cites_the_article_that_names_it():
    for ob in default_rulebook().obligations.values():
        step = ob.next_step
        if AUTHORITY.search(step.en) and ob.id not in UNSOURCED:
            assert step.instrument is not None, ob.id
            # A notice without numbered articles is cited whole; an instrument with articles by one.
            assert step.article or ob.id in WHOLE_NOTICES, ob.id
        if step.instrument is not None:
            # The cited instrument is one of the obligation's own, or one its versions name.
            assert step.instrument.id in {v.instrument.id for v in ob.versions} | CITED_BESIDE.get(ob.id, set()), ob.id


# Next steps citing an instrument beside the ones whose versions decide the obligation: the CAC
# standard-contract filing (Order 13 Art. 7) under Order 16's band; the Regulations' yearly test.
CITED_BESIDE = {"cbdt.standard-contract-or-certification": {"cac-order-13"},
                "cii.annual-security-assessment": {"cii-regulations"}}


CATALOGUE_ENTRY = """\
  test.duty:
    subject: organisation
    title: A test duty
    title_zh: 测试义务
"""
VERSION = """
versions:
  - obligation: test.duty
    article: "1"
    applies_when: ["organisation.ciio"]
    review: verified
    confidence: H
"""


def _with_entry(tmp_path, entry: str):
    folder = shipped_plus(tmp_path, EXTRA_INSTRUMENT + VERSION)
    catalogue = folder / "catalogue.yaml"
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace("obligations:\n", "obligations:\n" + entry, 1),
                         encoding="utf-8")
    return folder


def test_a_next_step_is_loaded_with_its_source(tmp_path):
    folder = _with_entry(tmp_path, CATALOGUE_ENTRY + "    next_step:\n      en: file it\n      zh: 备案\n"
                                                    "      source: {instrument: test-instrument, article: \"1\"}\n")
    step = load_rulebook(folder).obligations["test.duty"].next_step
    assert (step.en, step.zh, step.instrument.id, step.article) == ("file it", "备案", "test-instrument", "1")


def test_a_next_step_may_cite_a_whole_instrument(tmp_path):
    # A notice without numbered articles (the MIIT app filing notice, the CAC PIPO announcement).
    folder = _with_entry(tmp_path, CATALOGUE_ENTRY + "    next_step:\n      en: file it\n      zh: 备案\n"
                                                    "      source: {instrument: test-instrument}\n")
    step = load_rulebook(folder).obligations["test.duty"].next_step
    assert (step.instrument.id, step.article) == ("test-instrument", None)


@pytest.mark.parametrize("step, says", [
    ("    next_step:\n      en: file it\n      zh: 备案\n      source: {instrument: test-instrument, article: whole}\n",
     "obligations.test.duty.next_step.source.article"),
    ("    next_step:\n      en: file it\n", "obligations.test.duty.next_step.zh"),
    ("    next_step:\n      en: file it\n      zh: \"  \"\n", "obligations.test.duty.next_step.zh"),
    ("    next_step:\n      en: file it\n      zh: 备案\n      source: {instrument: no-such-law, article: \"1\"}\n",
     "obligations.test.duty.next_step.source.instrument: no instrument 'no-such-law'"),
    ("    next_step:\n      en: file it\n      zh: 备案\n      where: CAC\n", "obligations.test.duty.next_step.where"),
])
def test_a_bad_next_step_stops_the_load_naming_the_field(tmp_path, step, says):
    assert says in load_error(_with_entry(tmp_path, CATALOGUE_ENTRY + step))


def test_an_aggregate_window_that_ends_before_it_starts_stops_the_load(tmp_path):
    text = EXTRA_INSTRUMENT + """
aggregates:
  organisation.exports.pi_individuals_current_year:
    description: test
    sums: transfer.pi_individuals_current_year
    counting: "true"
    article: "1"
    until: 2019-01-01
"""
    message = load_error(shipped_plus(tmp_path, text))
    assert "aggregates.organisation.exports.pi_individuals_current_year" in message
    assert "until 2019-01-01 is not after its first day 2020-02-01" in message


def test_order_11s_previous_year_count_is_a_test_until_order_16():
    # manifest.md, "Aggregates": the since-previous-year window is CAC Orders 11 and 13's,
    # 2022-09-01 to 2024-03-21; Order 16 counts the current year from 2024-03-22.
    import datetime
    count = default_rulebook().aggregates["organisation.exports.pi_individuals_since_previous_year"]
    assert count.tests_on(datetime.date(2024, 3, 21)) and not count.tests_on(datetime.date(2024, 3, 22))
    assert count.tests_on(datetime.date(2022, 9, 1)) and not count.tests_on(datetime.date(2022, 8, 31))
