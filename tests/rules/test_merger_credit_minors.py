"""Merger exemptions, credit start dates, minors online (issue 10): expectations from the law, not hegui.

Sources (all under /work/shared unless noted):
- regulations/texts/反垄断法(2022-06-24).md Art. 27; the 2007 AML text Art. 22 (Theonefkguy/Chinese-Laws
  经济法/反垄断法(2007-08-30).md); regulations/texts/国务院关于经营者集中申报标准的规定(2018-09-18).md and
  (2024-01-22).md (the 2024 text is headed 第二次修订: a revision, not a repeal).
- regulations/texts/征信业管理条例(2013-01-21).md Art. 46 (6 months for existing bodies); Credit Reporting
  Business Measures Art. 51 (18 months from 2022-01-01): addendum-2026-11.md §1.4.
- regulations/texts/未成年人网络保护条例(2023-10-16).md Arts. 23-25, 43, 55, 56, 60.
- Minors Protection Law, consolidated texts of 2020-10-17 and 2024-04-26 (Theonefkguy/Chinese-Laws 社会法/):
  Arts. 51, 75, 121, 127; the 2024 decision changed Art. 9 only among these.
- Classification Measures for online information that may affect minors (国信办通字〔2025〕5号, dated
  2025-12-26, in force 2026-03-01): CAC release of 2026-01-23 as reported.

Boundary words (Civil Code Art. 1259): 以上 includes the number. Periods (Civil Code Arts. 201-203): counted
from the next day; a last day on a rest day moves to the next working day.
"""

from __future__ import annotations

import datetime

import pytest

from hegui.engine import assess
from hegui.manifest.model import Manifest
from hegui.rulebook.load import default_rulebook
from hegui.report.reasons import reason, steps
from hegui.rulebook import default_rulebook

from builders import DROP, merge

D = datetime.date
AML = "aml.merger-notification"
LICENCE = "credit.personal-credit-licence"
DIRECT = "credit.no-direct-connection"
APPROVAL = "games.publication-approval"
MINOR_MODE = "minors-online.minor-mode"
WARNING = "minors-online.harmful-info-warning"
DEDICATED = "minors-online.none-in-minors-products"
PROMINENT = "minors-online.no-prominent-display"
PUSH = "minors-online.no-push-to-minors"

BN = 1_000_000_000
M = 1_000_000


def find(doc: dict, as_of: datetime.date, obligation: str, subject: str):
    a = assess(Manifest.model_validate({"format": "hegui/1", **doc}), as_of)
    matches = [x for x in a.findings if x.obligation == obligation and x.subject == subject]
    assert len(matches) == 1
    return matches[0]


def exemption_steps(f) -> dict:
    return {s.article: s.value for s in steps(f, default_rulebook()) if s.role == "exemption"}


# ========================================================================
# aml.merger-notification: intra-group exemptions (AML 2007 Art. 22, 2022 Art. 27)
# ========================================================================

# Notifiable on the thresholds in any year: China combined 4.5bn, both parties above 800m in China.
PARTIES = [{"name": "A", "turnover_worldwide_rmb": 3500 * M, "turnover_china_rmb": 3500 * M},
           {"name": "B", "turnover_worldwide_rmb": 1 * BN, "turnover_china_rmb": 1 * BN}]


def aml(as_of, **changes):
    deal = merge({"id": "d", "acquires_control": True, "parties": PARTIES}, changes)
    return find({"organisation": {"name": "Buyer"}, "concentrations": [deal]}, as_of, AML, "concentration:d")


class TestMergerIntraGroup:

    @pytest.mark.parametrize("fact", ["intra_group_party_holding", "intra_group_outsider_holding"])
    @pytest.mark.parametrize("holding, expected", [
        (0.49, "applies"),          # n-1: below half
        (0.5, "does_not_apply"),    # n: 百分之五十以上 includes 50% (Civil Code Art. 1259)
        (0.51, "does_not_apply"),   # n+1
    ])
    def test_fifty_percent(self, fact, holding, expected):
        # AML Art. 27(1): one party holds 50%+ of the voting shares or assets of every other party;
        # 27(2): 50%+ of every party held by the same undertaking that is not a party.
        assert aml(D(2024, 6, 1), **{fact: holding}).status == expected

    def test_not_invoked_when_not_given(self):
        # Art. 27: such a concentration "may" go unnotified (可以不申报); without the holdings the duty stands.
        f = aml(D(2024, 6, 1))
        assert f.status == "applies"
        assert f.missing_facts == []

    def test_no_common_holder(self):
        assert aml(D(2024, 6, 1), intra_group_party_holding=0.0, intra_group_outsider_holding=0.0).status == "applies"

    @pytest.mark.parametrize("day, limb1, limb2, article", [
        (D(2022, 7, 31), "22(1)", "22(2)", "22"),   # AML 2007 Art. 22, the day before the amendment
        (D(2022, 8, 1), "27(1)", "27(2)", "27"),    # AML 2022 Art. 27, from the amendment's in-force day
    ])
    def test_article_follows_the_amendment(self, day, limb1, limb2, article):
        f = aml(day, intra_group_outsider_holding=1.0)
        assert f.status == "does_not_apply"
        assert exemption_steps(f) == {limb1: False, limb2: True}
        params = {n: p for s in steps(f, default_rulebook()) for n, p in s.parameters.items()}
        assert params["aml_intra_group_holding"]["article"] == article
        assert params["aml_intra_group_holding"]["wording"] == "以上"

    def test_exemption_from_the_first_thresholds(self):
        # 2008-08-03: Order 529 in force; Art. 22 applies from the start.
        assert aml(D(2008, 8, 3), intra_group_party_holding=0.6).status == "does_not_apply"
        assert aml(D(2008, 8, 3)).status == "applies"


class TestMergerThresholdsRevisedNotRepealed:

    def test_2008_provisions_not_repealed(self):
        # Order 773 (2024-01-22) is the Provisions' second revision (第二次修订), not a repeal.
        instruments = default_rulebook().instruments
        assert instruments["merger-thresholds-2008"].repealed is None
        assert "merger-thresholds-2008" not in instruments["merger-thresholds-2024"].supersedes

    @pytest.mark.parametrize("day, china_each", [
        (D(2024, 1, 21), 400 * M),   # the day before Order 773: the 2008/2018 values
        (D(2024, 1, 22), 800 * M),   # the day itself: the revised values
    ])
    def test_values_switch_on_the_revision(self, day, china_each):
        f = aml(day)
        params = {n: p for s in steps(f, default_rulebook()) for n, p in s.parameters.items()}
        assert params["aml_each_china_turnover"]["value"] == china_each


# ========================================================================
# credit: the start of the business decides the transition
# ========================================================================

def credit_org(**changes) -> dict:
    return {"name": "X", "credit": merge({"provides_personal_credit_info_to_financial_institutions": True,
                                          "personal_credit_reporting_licence": False,
                                          "via_licensed_credit_agency": False}, changes)}


def credit(obligation, as_of, **changes):
    return find({"organisation": credit_org(**changes)}, as_of, obligation, "organisation")


class TestCreditMeasuresStart:

    @pytest.mark.parametrize("obligation", [LICENCE, DIRECT])
    def test_started_the_day_before_the_measures(self, obligation):
        # Art. 51: bodies in the business before 2022-01-01 (施行前) had 18 months: 2023-07-01, a Saturday,
        # so Monday 2023-07-03.
        f = credit(obligation, D(2023, 7, 3), business_started_on="2021-12-31")
        assert f.deadline.date == D(2023, 7, 3)
        assert f.deadline.article == "51"
        assert f.compliance == "open"

    @pytest.mark.parametrize("obligation", [LICENCE, DIRECT])
    def test_started_on_the_day_itself(self, obligation):
        # Started on 2022-01-01: not before the Measures, no transition; compliant before starting.
        f = credit(obligation, D(2022, 3, 1), business_started_on="2022-01-01")
        assert f.status == "applies"
        assert f.deadline.date == D(2021, 12, 31)
        assert f.compliance == "overdue"

    @pytest.mark.parametrize("obligation, article", [(LICENCE, "4"), (DIRECT, "4, 5")])
    def test_started_later(self, obligation, article):
        f = credit(obligation, D(2022, 5, 1), business_started_on="2022-06-01")
        assert f.deadline.date == D(2022, 5, 31)
        assert f.deadline.article == article
        assert f.compliance == "open"
        assert credit(obligation, D(2022, 6, 1), business_started_on="2022-06-01").compliance == "overdue"

    def test_started_later_but_routed(self):
        f = credit(DIRECT, D(2022, 7, 1), business_started_on="2022-06-01", via_licensed_credit_agency=True)
        assert f.compliance == "satisfied"

    def test_start_unknown_shows_the_transition(self):
        # Without the start date the Art. 51 date, the later of the two, is shown.
        f = credit(LICENCE, D(2023, 1, 1))
        assert f.deadline.date == D(2023, 7, 3)


class TestCreditRegulationStart:

    def test_started_before_the_regulation(self):
        # Regulation Art. 46 ¶1: existing bodies apply for the licence within 6 months of 2013-03-15:
        # 2013-09-15 is a Sunday, so Monday 2013-09-16.
        f = credit(LICENCE, D(2013, 9, 16), business_started_on="2013-03-14")
        assert f.deadline.date == D(2013, 9, 16)
        assert f.deadline.article == "46"
        assert f.compliance == "open"
        assert credit(LICENCE, D(2013, 9, 17), business_started_on="2013-03-14").compliance == "overdue"

    def test_started_on_the_day_itself(self):
        f = credit(LICENCE, D(2013, 6, 1), business_started_on="2013-03-15")
        assert f.deadline.date == D(2013, 3, 14)
        assert f.deadline.article == "6, 7"
        assert f.compliance == "overdue"

    def test_started_later_licensed(self):
        f = credit(LICENCE, D(2015, 6, 1), business_started_on="2014-01-10", personal_credit_reporting_licence=True)
        assert f.compliance == "satisfied"


# ========================================================================
# games.publication-approval: the Minors Protection Law as amended 2024-04-26
# ========================================================================

GAME = {"id": "s", "kind": "game", "online_game": True, "serves_minors": True, "launched_on": "2022-05-01",
        "game_publication_approval": False}


def svc(obligation, as_of, **changes):
    return find({"organisation": {"name": "X"}, "services": [merge(GAME, changes)]}, as_of, obligation, "service:s")


class TestMinorsProtectionLaw2024:

    def test_day_before_the_amendment(self):
        f = svc(APPROVAL, D(2024, 4, 25))
        assert f.citation["short"] == "Minors Protection Law"
        assert str(f.citation["version"]) == "2020-10-17"

    def test_amended_text_from_2024_04_26(self):
        # Art. 75 ¶1 and Art. 127 are word for word the same in the 2024 text: same status and duty.
        before, after = svc(APPROVAL, D(2024, 4, 25)), svc(APPROVAL, D(2024, 4, 26))
        assert after.citation["short"] == "Minors Protection Law (2024 amendment)"
        assert str(after.citation["version"]) == "2024-04-26"
        assert after.citation["article"] == before.citation["article"] == "75"
        assert after.status == before.status == "applies"
        assert after.penalty["article"] == before.penalty["article"] == "Minors Protection Law Art. 127"
        assert after.deadline.date == before.deadline.date == D(2022, 4, 30)

    def test_still_every_game(self):
        assert svc(APPROVAL, D(2025, 1, 1), serves_minors=False).status == "applies"
        assert svc(APPROVAL, D(2025, 1, 1), kind="app", online_game=False).status == "does_not_apply"


# ========================================================================
# minors-online.minor-mode: live streaming and social networking (Regulations Art. 43)
# ========================================================================

NEWS_APP = {"kind": "app", "online_game": False, "content": ["news"], "live_streaming": False,
            "social_networking": False}


class TestMinorModeServices:

    @pytest.mark.parametrize("flag", ["live_streaming", "social_networking"])
    def test_named_services(self, flag):
        assert svc(MINOR_MODE, D(2024, 1, 1), **{**NEWS_APP, flag: True}).status == "applies"

    def test_none_of_the_four(self):
        assert svc(MINOR_MODE, D(2024, 1, 1), **NEWS_APP).status == "does_not_apply"

    @pytest.mark.parametrize("flag", ["live_streaming", "social_networking"])
    def test_unknown_named(self, flag):
        f = svc(MINOR_MODE, D(2024, 1, 1), **{**NEWS_APP, flag: DROP})
        assert f.status == "unknown"
        assert f.missing_facts == [f"service.{flag}"]

    def test_not_serving_minors(self):
        assert svc(MINOR_MODE, D(2024, 1, 1), **{**NEWS_APP, "live_streaming": True,
                                                "serves_minors": False}).status == "does_not_apply"

    def test_day_before(self):
        assert svc(MINOR_MODE, D(2023, 12, 31), **{**NEWS_APP, "social_networking": True}).status == "not_in_force"


# ========================================================================
# Regulations Arts. 23-25 (2024-01-01) and the Classification Measures (2026-03-01)
# ========================================================================

VIDEO = {"id": "s", "kind": "app", "serves_minors": True, "carries_info_affecting_minors": True,
         "dedicated_to_minors": False, "algorithmic_recommendation": False, "generative_ai": False}


def info(obligation, as_of, **changes):
    return find({"organisation": {"name": "X"}, "services": [merge(VIDEO, changes)]}, as_of, obligation, "service:s")


class TestHarmfulInfoWarning:

    def test_day_before_the_regulations(self):
        assert info(WARNING, D(2023, 12, 31)).status == "not_in_force"

    def test_regulations_art_23(self):
        f = info(WARNING, D(2024, 1, 1))
        assert f.status == "applies"
        assert f.citation["short"] == "Minors Online Protection Regulations"
        assert f.citation["article"] == "23"
        # Arts. 53-56 do not list Art. 23; MPL Art. 121 fines the same duty (MPL Art. 51), with a multiple
        # of illegal gains above RMB 1 million: no fixed ceiling.
        assert "121" in f.penalty["article"] and f.penalty["max_rmb"] is None

    @pytest.mark.parametrize("day, short, article", [
        (D(2026, 2, 28), "Minors Online Protection Regulations", "23"),   # the day before the Measures
        (D(2026, 3, 1), "Minors' Information Classification Measures", "7"),   # the day itself
    ])
    def test_measures_from_2026_03_01(self, day, short, article):
        f = info(WARNING, day)
        assert f.status == "applies"
        assert (f.citation["short"], f.citation["article"]) == (short, article)

    def test_measures_say_how(self):
        f = info(WARNING, D(2026, 3, 1))
        assert f.citation["document"] == "国信办通字〔2025〕5号"
        assert "before displaying" in f.standing_duty and "video" in f.standing_duty

    def test_no_such_information(self):
        assert info(WARNING, D(2026, 3, 1), carries_info_affecting_minors=False).status == "does_not_apply"

    def test_any_audience(self):
        # Art. 23 binds whoever publishes such information, not only services for minors.
        assert info(WARNING, D(2026, 3, 1), serves_minors=False).status == "applies"

    def test_unknown_named(self):
        f = info(WARNING, D(2024, 6, 1), carries_info_affecting_minors=DROP)
        assert f.status == "unknown"
        assert f.missing_facts == ["service.carries_info_affecting_minors"]


class TestNoneInMinorsProducts:

    def test_day_before(self):
        assert info(DEDICATED, D(2023, 12, 31), dedicated_to_minors=True).status == "not_in_force"

    def test_dedicated_service_carrying_it_breaches(self):
        # Art. 24 ¶1: no such information in products dedicated to minors; the facts show it there.
        f = info(DEDICATED, D(2024, 1, 1), dedicated_to_minors=True)
        assert f.status == "applies"
        assert f.citation["article"] == "24 ¶1"
        assert f.compliance == "overdue"
        assert f.penalty["article"] == "Minors Online Protection Regulations Art. 55"
        assert f.penalty["max_rmb"] is None

    def test_dedicated_service_without_it_complies(self):
        f = info(DEDICATED, D(2026, 3, 1), dedicated_to_minors=True, carries_info_affecting_minors=False)
        assert f.status == "applies"
        assert f.compliance == "satisfied"

    def test_not_dedicated(self):
        assert info(DEDICATED, D(2024, 6, 1)).status == "does_not_apply"

    def test_dedicated_unknown_named(self):
        f = info(DEDICATED, D(2024, 6, 1), dedicated_to_minors=DROP)
        assert f.status == "unknown"
        assert f.missing_facts == ["service.dedicated_to_minors"]

    def test_content_unknown_leaves_it_open(self):
        f = info(DEDICATED, D(2024, 6, 1), dedicated_to_minors=True, carries_info_affecting_minors=DROP)
        assert f.status == "applies"
        assert f.compliance == "open"


class TestNoProminentDisplay:

    def test_day_before(self):
        assert info(PROMINENT, D(2023, 12, 31)).status == "not_in_force"

    def test_regulations_places(self):
        f = info(PROMINENT, D(2026, 2, 28))
        assert f.citation["article"] == "24 ¶2"
        assert "first screen" in f.standing_duty and "rankings" not in f.standing_duty

    def test_measures_add_rankings_and_recommendations(self):
        f = info(PROMINENT, D(2026, 3, 1))
        assert f.citation["article"] == "8"
        assert "rankings" in f.standing_duty and "recommendations" in f.standing_duty

    def test_no_such_information(self):
        assert info(PROMINENT, D(2026, 3, 1), carries_info_affecting_minors=False).status == "does_not_apply"


class TestNoPushToMinors:

    def test_regulations_art_25(self):
        f = info(PUSH, D(2024, 1, 1))
        assert f.status == "applies"
        assert f.citation["article"] == "25"

    def test_day_before(self):
        assert info(PUSH, D(2023, 12, 31)).status == "not_in_force"

    def test_not_used_by_minors(self):
        assert info(PUSH, D(2026, 3, 1), serves_minors=False).status == "does_not_apply"

    @pytest.mark.parametrize("flag", ["algorithmic_recommendation", "generative_ai"])
    @pytest.mark.parametrize("day, expected, article", [
        (D(2026, 2, 28), "does_not_apply", "25"),   # Regulations: only a service carrying such information
        (D(2026, 3, 1), "applies", "9"),            # Measures: recommending and generative services too
    ])
    def test_algorithms_and_generative_ai(self, flag, day, expected, article):
        f = info(PUSH, day, carries_info_affecting_minors=False, **{flag: True})
        assert f.status == expected
        assert f.citation["article"] == article

    def test_measures_unknown_named(self):
        f = info(PUSH, D(2026, 3, 1), carries_info_affecting_minors=False, algorithmic_recommendation=DROP)
        assert f.status == "unknown"
        assert f.missing_facts == ["service.algorithmic_recommendation"]
