"""Reasons in plain language: each test of a rule as a sentence about the subject, in English and Chinese.

The expected sentences are what a reader must see: the fact's value, the legal test with the law's
boundary word, no double negatives, and no fact path in a one-line reason. The boundary cases
follow the Civil Code (Art. 1259): 以上 and 以下 count the number in, 超过 and 不满 leave it out.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from hegui.engine import assess
from hegui.lang.evaluate import Context
from hegui.lang.values import Bounds
from hegui.lang.syntax import parse
from hegui.manifest import read_manifest
from hegui.manifest.facts import SUBJECT_KINDS, fact_types
from hegui.report.json_report import finding_dict
from hegui.report.labels import labels
from hegui.report.reasons import citation_text, reason
from hegui.report.sentences import WORDS, Sentences
from hegui.rulebook import load_rulebook
from hegui.rulebook.load import default_rulebook
from tests.small_rulebook import EXTRA_INSTRUMENT, load_error, shipped_plus

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "internet-group.yaml"
DAY = datetime.date(2026, 12, 3)


class Book:
    """What sentences read of a rulebook: parameter wordings and obligation titles."""

    def __init__(self, wordings=None):
        self.wordings = wordings or {}
        self.obligations = {"cbdt.security-assessment": SimpleNamespace(
            title="Pass the CAC security assessment before exporting data", title_zh="数据出境安全评估")}

    def parameter_on(self, name, day):
        return SimpleNamespace(wording=self.wordings.get(name))


def say(text, facts, lang="en", params=None, wordings=None, applies=None):
    ctx = Context(facts, params or {}, applies or (lambda o: None))
    return Sentences(ctx, lang, Book(wordings), DAY).state(parse(text))


PI = "organisation.pi_individuals"


# -- comparisons with each boundary word -------------------------------------------------------

# (word, the rule's comparator, the value, what English and Chinese must say): the number itself is
# inside for 以上/以下/以内, outside for 超过/不满. Chinese writes round numbers as the law does (100万);
# a number that is not round stays in digits, so a boundary is shown exactly.
BOUNDARY_CASES = [
    ("超过", ">", 3_000_000, "more than (超过) 1,000,000", "300万", "超过100万"),
    ("超过", ">", 1_000_000, "not more than (超过) 1,000,000", "100万", "未超过100万"),
    ("以上", ">=", 1_000_000, "at least (以上) 1,000,000", "100万", "达到100万以上"),
    ("以上", ">=", 999_999, "less than 1,000,000, not 1,000,000 or more (以上)", "999,999", "不满100万"),
    ("不满", "<", 999_999, "less than (不满) 1,000,000", "999,999", "不满100万"),
    ("不满", "<", 1_000_000, "not less than (不满) 1,000,000", "100万", "达到100万，不属于不满100万"),
    ("以下", "<=", 1_000_000, "at most (以下) 1,000,000", "100万", "在100万以下"),
    ("以下", "<=", 1_000_001, "more than 1,000,000, not 1,000,000 or less (以下)", "1,000,001", "超过100万"),
    ("以内", "<=", 1_000_000, "within (以内) 1,000,000", "100万", "在100万以内"),
    ("以内", "<=", 1_000_001, "more than 1,000,000, not within (以内) 1,000,000", "1,000,001", "超出100万"),
    ("达到", ">=", 1_000_000, "reaching (达到) 1,000,000", "100万", "达到100万"),
    ("达到", ">=", 10, "not reaching (达到) 1,000,000", "10", "未达到100万"),
]


@pytest.mark.parametrize("word,op,value,en,zh_value,zh", BOUNDARY_CASES)
def test_a_threshold_reads_with_the_laws_boundary_word(word, op, value, en, zh_value, zh):
    args = dict(facts={PI: value}, params={"limit": 1_000_000}, wordings={"limit": word})
    assert say(f"{PI} {op} limit", **args) == \
        f"the organisation holds personal information of {value:,} individuals, {en}"
    assert say(f"{PI} {op} limit", lang="zh", **args) == f"该组织处理{zh_value}人的个人信息，{zh}"


def test_chinese_numbers_are_round_in_wan_and_yi_only_when_exact():
    money = "organisation.turnover_china_rmb"
    assert say(f"{money} > 0", {money: 171_500_000_000}, "zh").startswith("该组织上一会计年度在中国境内的营业额为1715亿元")
    assert say(f"{money} > 0", {money: 2_500_000_001}, "zh").startswith("该组织上一会计年度在中国境内的营业额为2,500,000,001元")
    assert say(f"{PI} > 0", {PI: 380_000_000}, "zh").startswith("该组织处理3.8亿人")
    assert say(f"{PI} > 0", {PI: 150_000}, "zh").startswith("该组织处理15万人")
    assert say(f"{PI} > 0", {PI: 9_999}, "zh").startswith("该组织处理9,999人")


def test_the_complement_comparator_reads_with_the_same_word():
    # A rule may write `x < n` where the law says "n 以上": at exactly n, the value is 以上 n.
    args = dict(facts={PI: 1_000_000}, params={"limit": 1_000_000}, wordings={"limit": "以上"})
    assert say(f"{PI} < limit", **args).endswith("at least (以上) 1,000,000")
    assert say(f"limit > {PI}", **args).endswith("at least (以上) 1,000,000")   # the fact on either side


def test_every_boundary_word_of_the_rulebook_has_its_phrasing():
    words = yaml.safe_load((ROOT / "src/hegui/rules/boundary-words.yaml").read_text(encoding="utf-8"))["words"]
    assert set(words) == set(WORDS)


def test_a_comparison_without_a_word_and_a_date_comparison():
    assert say(f"{PI} > 0", {PI: 380_000_000}) == \
        "the organisation holds personal information of 380,000,000 individuals, more than 0"
    assert say("organisation.foreign_ownership > 0", {"organisation.foreign_ownership": 0.0}) == \
        "foreign investors hold 0% of the operating entity, not more than 0%"
    started = {"organisation.credit.business_started_on": datetime.date(2021, 5, 1)}
    assert say("organisation.credit.business_started_on >= 2022-01-01", started) == \
        "the organisation began providing credit information to financial institutions on 2021-05-01, before 2022-01-01"
    assert say("organisation.credit.business_started_on >= 2022-01-01", started, "zh") == \
        "该组织于2021-05-01开始向金融机构提供信用信息，早于2022-01-01"


# -- negation, equality, membership ---------------------------------------------------------------

def test_a_failed_negation_reads_as_the_fact_itself():
    assert say("not organisation.ciio", {"organisation.ciio": True}) == \
        "the organisation is a designated critical information infrastructure operator (CIIO)"
    assert say("not organisation.ciio", {"organisation.ciio": False}) == \
        "the organisation is not a designated critical information infrastructure operator (CIIO)"
    assert say("not organisation.ciio", {"organisation.ciio": True}, "zh") == "该组织是经认定的关键信息基础设施运营者"


def test_a_failed_inequality_reads_as_what_the_value_is():
    cn = {"organisation.incorporated_in": "CN"}
    assert say("organisation.incorporated_in != 'CN'", cn) == "the organisation is incorporated in mainland China (CN)"
    assert say("organisation.incorporated_in != 'CN'", {"organisation.incorporated_in": "KY"}) == \
        "the organisation is incorporated in Cayman Islands (KY), not mainland China (CN)"
    assert say("organisation.incorporated_in != 'CN'", cn, "zh") == "该组织注册地为中国大陆（CN）"


def test_a_true_false_fact_compared_with_a_literal_reads_as_the_fact():
    # `service.commercial == false` failing: the service is operated for profit (not "true == false is false").
    assert say("service.commercial == false", {"service.commercial": True}) == "the service is operated for profit"
    assert say("service.commercial == false", {"service.commercial": True}, "zh") == "该服务为经营性服务"


def test_membership_names_the_value_and_the_list_readably():
    venues = "listing.venue_country in ['CN', 'HK', 'MO', 'TW']"
    assert say(venues, {"listing.venue_country": "HK"}) == \
        "the listing venue is in Hong Kong (HK), one of mainland China (CN), Hong Kong (HK), Macao (MO), Taiwan (TW)"
    assert say(venues, {"listing.venue_country": "US"}) == \
        "the listing venue is in the United States (US), none of mainland China (CN), Hong Kong (HK), Macao (MO), Taiwan (TW)"
    assert say(venues, {"listing.venue_country": "HK"}, "zh") == \
        "上市地为中国香港（HK），属于中国大陆（CN）、中国香港（HK）、中国澳门（MO）、中国台湾（TW）之一"
    assert say("service.kind in ['app', 'mini_program']", {"service.kind": "game"}) == \
        "the service is a game, none of an app, a mini program"


def test_overlaps_names_what_the_list_holds():
    news = "overlaps(service.content, ['news', 'publishing'])"
    assert say(news, {"service.content": ("news", "music")}) == \
        "the service provides news, music content, including news"
    assert say(news, {"service.content": ()}, "zh") == "该服务提供的内容为无，不属于新闻、网络出版中的任何一项"


# -- known() and unknown facts -----------------------------------------------------------------------

def test_known_reads_as_the_fact_or_as_not_given():
    assert say("known(service.changed_on)", {"service.changed_on": None}) == \
        "not given: the service's filed particulars changed on …"
    assert say("known(service.changed_on)", {"service.changed_on": datetime.date(2025, 1, 2)}) == \
        "the service's filed particulars changed on 2025-01-02"
    assert say("known(service.changed_on)", {}, "zh") == "未提供：该服务备案事项于…变更"


def test_an_unknown_fact_says_it_is_not_yet_known():
    assert say("service.online_game", {}) == "not yet known whether the service is an online game"
    assert say("service.online_game", {}, "zh") == "尚未确认：该服务是网络游戏（是或否）"
    assert say(f"{PI} > 0", {}) == "not yet known: the organisation holds personal information of … individuals"


# -- count() and sum() ---------------------------------------------------------------------------------

PARTIES = {"concentration.parties": [
    {"concentration.parties.id": "a", "concentration.parties.turnover_china_rmb": 900_000_000},
    {"concentration.parties.id": "b", "concentration.parties.turnover_china_rmb": 1_000_000_000}],
    "concentration.parties.turnover_worldwide_rmb": None}


def test_a_count_reads_as_the_items_meeting_its_test():
    count = "count(concentration.parties, concentration.parties.turnover_china_rmb > each) >= 2"
    args = dict(params={"each": 800_000_000, "two": 2}, wordings={"each": "超过"})
    assert say(count, PARTIES, **args) == (
        "parties that meet the test “the party's turnover in China last year was more than (超过) RMB 800,000,000”: "
        "2, at least 2")
    assert say(count, PARTIES, "zh", **args) == (
        "符合“该经营者上一会计年度在中国境内的营业额为超过8亿元”的参与集中的经营者：2项，不少于2")


def test_a_sum_reads_as_the_total_with_its_currency():
    facts = {"concentration.parties": [
        {"concentration.parties.id": "a", "concentration.parties.turnover_worldwide_rmb": 10_000_000_000},
        {"concentration.parties.id": "b", "concentration.parties.turnover_worldwide_rmb": 2_000_000_000}]}
    total = "sum(concentration.parties.turnover_worldwide_rmb) > limit"
    args = dict(params={"limit": 12_000_000_000}, wordings={"limit": "超过"})
    assert say(total, facts, **args) == ("the parties' combined worldwide turnover last year was RMB 12,000,000,000, "
                                         "not more than (超过) RMB 12,000,000,000")
    assert say(total, facts, "zh", **args) == \
        "各参与集中的经营者上一会计年度全球营业额合计为120亿元，未超过120亿元"


# -- applies() of another obligation, and/or ------------------------------------------------------------

def test_applies_of_another_obligation_reads_with_its_title():
    test = "not applies(cbdt.security-assessment)"
    assert say(test, {}, applies=lambda o: False) == \
        "“Pass the CAC security assessment before exporting data” (cbdt.security-assessment) does not apply"
    assert say(test, {}, "zh", applies=lambda o: True) == "“数据出境安全评估”（cbdt.security-assessment）适用"


def test_a_failed_or_lists_what_each_part_is_without_none_of():
    test = "service.online_game or service.kind == 'game'"
    facts = {"service.online_game": False, "service.kind": "app"}
    assert say(test, facts) == "the service is not an online game; the service is an app, not a game"
    assert say(test, facts, "zh") == "该服务不是网络游戏；该服务为移动应用程序，而非游戏"


# -- labels: every fact, both languages ---------------------------------------------------------------

def all_facts() -> dict:
    out = {}
    for kind in SUBJECT_KINDS:
        out.update(fact_types(kind))
    return out


def test_every_fact_has_a_label_in_english_and_chinese():
    facts = labels()["facts"]
    assert sorted(p for p in all_facts() if p not in facts) == []
    assert sorted(p for p in facts if p not in all_facts()) == []   # no label for a fact that is gone
    for path, entry in facts.items():
        assert set(entry) == {"en", "zh"}, path
        # Both languages say it the same way: true/false, or a sentence with the value.
        yes_no = [isinstance(entry[lang], dict) and True in entry[lang] for lang in ("en", "zh")]
        assert yes_no[0] == yes_no[1] == (all_facts()[path].kind == "bool"), path


def test_every_coded_value_has_its_words():
    values = labels()["values"]
    for path, type_ in all_facts().items():
        if type_.values and type_.kind != "country":
            assert set(values.get(path, {})) == set(type_.values), path


def test_every_sum_and_count_of_the_rulebook_has_its_words():
    from hegui.lang.syntax import Count, Sum
    rulebook = default_rulebook()
    sums, lists = set(), set()
    for ob in rulebook.obligations.values():
        for version in ob.versions:
            for clause in version.applies_when + version.unless:
                sums |= {n.path for n in clause.tree.find_all(Sum)}
                lists |= {n.items for n in clause.tree.find_all(Count)}
    assert sums and lists
    assert sums <= set(labels()["sums"]) and lists <= set(labels()["lists"])


# -- the worded definitions of rule files --------------------------------------------------------------

def test_a_worded_definition_reads_as_the_rule_file_says():
    a = assess(read_manifest(str(EXAMPLE)), DAY)
    review = next(f for f in a.findings if f.obligation == "crm.listing-review")
    assert reason(review, a.rulebook) == (
        "the venue is in Hong Kong (HK), not a foreign country (国外) for Art. 7: Hong Kong, Macao and Taiwan "
        "are not foreign for it (Cybersecurity Review Measures 2021 Art. 7)")
    assert reason(review, a.rulebook, "zh") == \
        "上市地中国香港（HK）不属于第七条所称国外（香港、澳门、台湾不属于国外）（《网络安全审查办法》第7条）"


WORDED = EXTRA_INSTRUMENT + """\
definitions:
  big:
    test: "organisation.pi_individuals > 5"
    says: {{true: "{true}", false: "small"}}
    says_zh: {{true: "大", false: "小"}}
"""


def test_a_definitions_sentence_may_name_only_facts_its_test_reads(tmp_path):
    error = load_error(shipped_plus(tmp_path, WORDED.format(true="big: {organisation.ciio}")))
    assert "zz-test.yaml: definitions.big.says.true: {organisation.ciio} is not a fact the test reads" in error
    load_rulebook(shipped_plus(tmp_path / "ok", WORDED.format(true="big: {organisation.pi_individuals}")))


def test_a_definition_needs_a_sentence_for_each_outcome(tmp_path):
    text = WORDED.format(true="big").replace('false: "small"', "").replace("{true: \"big\", }", "{true: \"big\"}")
    error = load_error(shipped_plus(tmp_path, text))
    assert "definitions.big" in error and "needs a sentence for true and one for false" in error


# -- the example's reason lines: no fact paths, Chinese without English words -----------------------------

@pytest.fixture(scope="module", params=sorted((ROOT / "examples").glob("*.yaml")), ids=lambda p: p.stem)
def example(request):
    return assess(read_manifest(str(request.param)), DAY)


def test_no_fact_path_appears_in_a_one_line_reason(example):
    paths = re.compile(r"\b(organisation|service|transfer|listing|concentration)s?(\[\d+\])?\.[a-z_]+")
    for lang in ("en", "zh"):
        for f in example.findings:
            line = reason(f, example.rulebook, lang)
            assert not paths.search(line), (f.obligation, f.subject, line)


def test_the_chinese_reasons_have_no_latin_words_beyond_ids_codes_and_abbreviations(example):
    ids = set(example.rulebook.obligations)
    for f in example.findings:
        line = reason(f, example.rulebook, "zh")
        # The citation's article qualifiers, and an exemption's article naming another instrument
        # ("Order 16 Art. 5(1)-(3)"), are the rule files' text (translated by the ZH work): left out here.
        line = line.replace(citation_text(f.citation, "zh"), "")
        for role, node, value in f.trace:
            if role == "exemption" and value is True and not node.article[:1].isdigit():
                line = line.replace(node.article, "")
        for word in re.findall(r"[A-Za-z][A-Za-z0-9_.\-]*", line):
            assert word in ids or word.isupper(), (f.obligation, f.subject, word, line)


def test_the_json_because_keeps_the_test_and_adds_the_sentence():
    example = assess(read_manifest(str(EXAMPLE)), DAY)
    review = next(f for f in example.findings if f.obligation == "crm.listing-review")
    because = finding_dict(review, "en", rulebook=example.rulebook)["because"]
    venue = next(b for b in because if b["test"] == "foreign_venue")   # the rule as written
    assert venue["facts"] == {"listing.venue_country": "HK"} and venue["value"] is False
    assert venue["sentence"].startswith("the venue is in Hong Kong (HK), not a foreign country")
    zh = finding_dict(review, "zh", rulebook=example.rulebook)["because"]
    assert any(b.get("sentence", "").startswith("上市地中国香港（HK）不属于") for b in zh)


def test_a_missing_fact_of_a_listed_service_is_named_by_the_services_id(tmp_path):
    manifest = tmp_path / "m.yaml"
    manifest.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    a = assess(read_manifest(str(manifest)), DAY)
    unknown = next(f for f in a.findings if f.status == "unknown")
    line = reason(unknown, a.rulebook)
    assert line.startswith("needs to know: ")
    fake = SimpleNamespace(**{**unknown._asdict(), "missing_facts": ["services[1].commercial"],
                              "facts": {"services": [{"service.id": "app"}, {"service.id": "game"}]}})
    assert reason(fake, a.rulebook).startswith("needs to know: whether the service is operated for profit (game)")
    assert reason(fake, a.rulebook, "zh").startswith("需要确认：该服务为经营性服务（是或否）（game）")


def test_an_event_before_the_rule_reads_with_the_events_sentence(tmp_path):
    manifest = tmp_path / "m.yaml"
    manifest.write_text(re.sub(r"application_date: \S+", "application_date: 2021-06-01",
                               EXAMPLE.read_text(encoding="utf-8")), encoding="utf-8")
    a = assess(read_manifest(str(manifest)), DAY)
    review = next(f for f in a.findings if f.obligation == "crm.listing-review")
    assert reason(review, a.rulebook) == ("the listing application was submitted on 2021-06-01, before the obligation "
                                          "took effect on 2022-02-15; no transitional provision reaches it")
    assert reason(review, a.rulebook, "zh") == "上市申请于2021-06-01提交，早于该义务生效日 2022-02-15，且无过渡条款适用"
    because = finding_dict(review, "en", rulebook=a.rulebook)["because"]
    assert [b["sentence"] for b in because if b["role"] == "event"] == [
        "judged by the rules in force when the listing application was submitted on 2021-06-01",
        "the listing application was submitted on 2021-06-01, before the obligation took effect on 2022-02-15; "
        "no transitional provision reaches it"]
    assert [b["test"] for b in because][0] == "judged by the rules in force on listing.application_date"


def test_a_count_known_only_within_bounds_says_the_test_is_open():
    exports = "organisation.exports.pi_individuals_current_year"
    args = dict(params={"limit": 100_000}, wordings={"limit": "以上"})
    open_ = {exports: Bounds(50_000, 200_000)}
    assert say(f"{exports} >= limit", open_, **args) == (
        "since 1 January the organisation has exported non-sensitive personal information of between 50,000 and "
        "200,000 individuals, at least (以上) 100,000: not yet known")
    assert say(f"{exports} >= limit", open_, "zh", **args) == \
        "该组织自当年1月1日起累计向境外提供5万至20万人的个人信息（不含敏感个人信息），是否达到10万以上尚未确认"
    assert say(f"{exports} >= limit", {exports: Bounds(150_000, None)}, **args).endswith(
        "of at least 150,000 individuals, at least (以上) 100,000")


def test_an_exemption_reads_with_its_own_words_in_the_readers_language():
    class Said(str):   # rule text carrying its Chinese, as the rule files' says_zh gives it
        zh = "为订立、履行个人作为一方当事人的合同等所必需"
    example = assess(read_manifest(str(ROOT / "examples" / "jobs-platform.yaml")), DAY)
    f = next(f for f in example.findings if f.status == "does_not_apply"
             and any(role == "exemption" and value is True for role, _, value in f.trace))
    exempt = next(node for role, node, value in f.trace if role == "exemption" and value is True)
    assert reason(f, example.rulebook).startswith(f"exempt under Art. 5(1)-(3): {exempt.says} (")
    plain = reason(f, example.rulebook, "zh")
    assert plain.startswith("依第5(1)-(3)条豁免（") or plain.startswith("依第5条")
    said = SimpleNamespace(**{**f._asdict(), "trace": [
        (role, SimpleNamespace(**{**node.__dict__, "says": Said(node.says)}) if node is exempt else node, value)
        for role, node, value in f.trace]})
    assert "豁免：为订立、履行个人作为一方当事人的合同等所必需（" in reason(said, example.rulebook, "zh")


def test_a_part_two_branches_come_to_is_said_once():
    # not X or (not known(X) and ...): when X is given, both branches read as X itself.
    test = "organisation.incorporated_in != 'CN' or (not known(organisation.incorporated_in) and organisation.ciio)"
    assert say(test, {"organisation.incorporated_in": "CN", "organisation.ciio": True}) == \
        "the organisation is incorporated in mainland China (CN)"


def test_a_finding_not_yet_in_force_says_so():
    a = assess(read_manifest(str(EXAMPLE)), datetime.date(2019, 1, 1))
    f = next(f for f in a.findings if f.obligation == "crm.listing-review")
    assert f.status == "not_in_force"
    # Art. 7's listing review came with the 2021 Measures (in force 2022-02-15).
    assert reason(f, a.rulebook).startswith("not yet in force: in force from 2022-02-15 (")
    assert reason(f, a.rulebook, "zh").startswith("尚未施行：自 2022-02-15 起施行（")


def test_overlaps_with_one_value_reads_as_not_that_value():
    assert say("overlaps(service.content, ['audiovisual'])", {"service.content": ("news",)}) == \
        "the service provides news content, not audiovisual"
    assert say("overlaps(service.content, ['audiovisual'])", {"service.content": ("news",)}, "zh") == \
        "该服务提供的内容为新闻，而非网络视听"


def test_explain_keeps_the_test_with_its_paths_and_adds_the_sentence():
    from rich.console import Console

    from hegui.report.text_report import explain_view
    a = assess(read_manifest(str(EXAMPLE)), DAY)
    review = next(f for f in a.findings if f.obligation == "crm.listing-review")
    out = Console(width=400, record=True, highlight=False)
    out.print(explain_view(review, DAY, "en", rulebook=a.rulebook))
    text = out.export_text()
    assert "[no] condition: listing.venue_country=HK not in ['CN', 'HK', 'MO', 'TW']" in text
    assert "= the venue is in Hong Kong (HK), not a foreign country (国外) for Art. 7" in text


def test_a_label_without_its_chinese_or_its_value_is_refused():
    from hegui.report.labels import LabelError, checked
    good = {"facts": {}, "sums": {}, "lists": {}, "countries": {}, "values": {}}
    with pytest.raises(LabelError, match=r"facts.service.online_game.zh"):
        checked({**good, "facts": {"service.online_game": {"en": {True: "a game", False: "not a game"}}}})
    with pytest.raises(LabelError, match=r"needs a sentence with \{value\}"):
        checked({**good, "facts": {"service.mlps_level": {"en": "graded", "zh": "第{value}级"}}})
    with pytest.raises(LabelError, match=r"values.service.kind.app"):
        checked({**good, "values": {"service.kind": {"app": {"en": "an app"}}}})


def test_a_count_of_one_reads_in_the_singular():
    assert say(f"{PI} > 0", {PI: 1}) == "the organisation holds personal information of 1 individual, more than 0"
    assert say(f"{PI} > 0", {PI: 2}) == "the organisation holds personal information of 2 individuals, more than 0"
    assert say(f"{PI} > 0", {}) == "not yet known: the organisation holds personal information of … individuals"
