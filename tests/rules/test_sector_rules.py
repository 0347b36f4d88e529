"""Sector rules: automotive data, credit reporting, minors and online games, minors online.

Expectations are derived from the law and the research notes, not from hegui's output.
Sources (all under /work/shared):
- regulations/data-and-cyber.md §12 (Automotive Data Provisions, Order No. 7: Art. 3 important data,
  "涉及个人信息主体超过10万人"; Art. 11 storage; Art. 13 report by 15 December; in force 2021-10-01);
- regulations/texts/征信业管理条例(2013-01-21).md (Arts. 2, 6, 7, 36; in force 2013-03-15);
- regulations/sector.md §1 and addendum-2026-11.md §1 (Credit Reporting Business Measures, PBoC Order
  [2021] No. 4: Art. 4 licence, Art. 5, Art. 46, Art. 51 transition of 18 months from 2022-01-01);
- regulations/sector.md §2 and addendum-2026-11.md §§3-4 (NPPA notices 2019 (effective date [L])
  and 2021 No. 14 (effective 2021-09-01); Online Publishing Services Provisions Art. 27, in force
  2016-03-10; Minors Protection Law Arts. 75, 127, in force 2021-06-01);
- regulations/texts/未成年人网络保护条例(2023-10-16).md (Arts. 37, 43, 56, 60; in force 2024-01-01);
- spec/catalogue.md (ids, in-force dates), spec/manifest.md (facts), cases/licensed-credit-route.yaml.

Boundary words (Civil Code Art. 1259): 超过 excludes the number. Periods (Civil Code Arts. 201-203):
counted from the day after; a last day on a rest day moves to the next working day.
"""

from __future__ import annotations

import datetime

from hegui.engine import assess
from hegui.manifest.model import Manifest
from hegui.report.notices import texts
from hegui.report.deadlines import basis_text

from builders import DROP, merge

D = datetime.date
STORAGE = "auto-data.domestic-storage"
REPORT = "auto-data.annual-report"
LICENCE = "credit.personal-credit-licence"
DIRECT = "credit.no-direct-connection"
HOURS = "minors-gaming.time-limits"
SPEND = "minors-gaming.spending-limits"
APPROVAL = "games.publication-approval"
AUDIT = "minors-online.annual-pi-audit"
MINOR_MODE = "minors-online.minor-mode"



# ---------------------------------------------------------------- builders



def car_service(**changes) -> dict:
    """An automotive data processor with no important data and few individuals."""
    return merge({"id": "s", "kind": "app", "automotive_data_processor": True,
                   "automotive_important_data": False, "automotive_pi_individuals": 1_000}, changes)


def game(**changes) -> dict:
    """An online game that minors use, launched in 2022, without an approval."""
    return merge({"id": "s", "kind": "game", "online_game": True, "serves_minors": True,
                   "launched_on": "2022-05-01", "game_publication_approval": False,
                   "content": ["other"]}, changes)


def credit(**changes) -> dict:
    """A platform passing personal credit information directly to lenders, unlicensed."""
    return merge({"provides_personal_credit_info_to_financial_institutions": True,
                   "personal_credit_reporting_licence": False,
                   "via_licensed_credit_agency": False}, changes)


def manifest(service: dict | None = None, organisation: dict | None = None,
             compliance: list | None = None) -> Manifest:
    doc = {"format": "hegui/1", "organisation": {"name": "X", **(organisation or {})}}
    if service is not None:
        doc["services"] = [service]
    if compliance:
        doc["compliance"] = compliance
    return Manifest.model_validate(doc)


def finding(obligation: str, as_of: datetime.date, service: dict | None = None,
            organisation: dict | None = None, compliance: list | None = None):
    subject = "organisation" if obligation in (LICENCE, DIRECT, AUDIT) else "service:s"
    a = assess(manifest(service, organisation, compliance), as_of)
    return next(x for x in a.findings if x.obligation == obligation and x.subject == subject)


AUTO_DAY = D(2023, 3, 1)


# ========================================================================
# Automotive Data Provisions (Order No. 7), in force 2021-10-01
# ========================================================================

class TestAutomotiveDomesticStorage:

    def test_not_in_force_day_before(self):
        # Order No. 7: effective 2021-10-01 (notes §12).
        f = finding(STORAGE, D(2021, 9, 30), car_service(automotive_important_data=True))
        assert f.status == "not_in_force"

    def test_in_force_on_2021_10_01(self):
        f = finding(STORAGE, D(2021, 10, 1), car_service(automotive_important_data=True))
        assert f.status == "applies"
        assert f.citation["short"] == "Automotive Data Provisions"
        assert f.citation["article"] == "3, 11"
        assert f.citation["in_force"] == "2021-10-01"

    def test_other_important_data(self):
        # Art. 3(4): exterior video with faces or plates is important data, whatever the PI count.
        assert finding(STORAGE, AUTO_DAY, car_service(automotive_important_data=True)).status == "applies"

    def test_pi_threshold_n_minus_1(self):
        # Art. 3(5): 超过10万人 - 99,999 is not important data.
        f = finding(STORAGE, AUTO_DAY, car_service(automotive_pi_individuals=99_999))
        assert f.status == "does_not_apply"

    def test_pi_threshold_n(self):
        # 超过 excludes the number: exactly 100,000 is not "more than 100,000".
        f = finding(STORAGE, AUTO_DAY, car_service(automotive_pi_individuals=100_000))
        assert f.status == "does_not_apply"

    def test_pi_threshold_n_plus_1(self):
        f = finding(STORAGE, AUTO_DAY, car_service(automotive_pi_individuals=100_001))
        assert f.status == "applies"
        assert f.standing_duty and "mainland China" in f.standing_duty
        assert f.deadline is None          # a standing duty (catalogue: continuous)

    def test_not_an_automotive_data_processor(self):
        f = finding(STORAGE, AUTO_DAY, car_service(automotive_data_processor=False,
                                                   automotive_pi_individuals=5_000_000))
        assert f.status == "does_not_apply"

    def test_unknown_count_named(self):
        f = finding(STORAGE, AUTO_DAY, car_service(automotive_pi_individuals=DROP))
        assert f.status == "unknown"
        assert "service.automotive_pi_individuals" in f.missing_facts

    def test_unknown_count_irrelevant_when_other_important_data(self):
        # true or unknown is true (Kleene).
        f = finding(STORAGE, AUTO_DAY, car_service(automotive_pi_individuals=DROP, automotive_important_data=True))
        assert f.status == "applies"

    def test_no_penalty_figure(self):
        # Art. 18 refers to the CSL/DSL; the notes give no figure for these Provisions.
        assert finding(STORAGE, AUTO_DAY, car_service(automotive_important_data=True)).penalty is None


class TestAutomotiveAnnualReport:

    def test_not_in_force_day_before(self):
        assert finding(REPORT, D(2021, 9, 30), car_service(automotive_important_data=True)).status == "not_in_force"

    def test_first_report_due_2021_12_15(self):
        # Art. 13: by 15 December each year; first year in force 2021.
        f = finding(REPORT, D(2021, 10, 1), car_service(automotive_important_data=True))
        assert f.status == "applies"
        assert f.citation["article"] == "3, 13"
        assert f.deadline.date == D(2021, 12, 15)
        assert f.deadline.recurring
        assert f.compliance == "open"

    def test_due_on_the_day_itself(self):
        f = finding(REPORT, D(2022, 12, 15), car_service(automotive_pi_individuals=100_001))
        assert f.deadline.date == D(2022, 12, 15)

    def test_next_due_after_the_day(self):
        f = finding(REPORT, D(2022, 12, 16), car_service(automotive_pi_individuals=100_001))
        assert f.deadline.date == D(2023, 12, 15)

    def test_threshold_n_does_not_trigger(self):
        assert finding(REPORT, AUTO_DAY, car_service(automotive_pi_individuals=100_000)).status == "does_not_apply"

    def test_record_since_previous_due_date_covers(self):
        rec = [{"obligation": REPORT, "subject": "service:s", "done_on": "2022-11-01"}]
        f = finding(REPORT, D(2022, 12, 1), car_service(automotive_important_data=True), compliance=rec)
        assert f.deadline.date == D(2022, 12, 15)
        assert f.compliance == "satisfied"

    def test_last_years_record_does_not_cover(self):
        rec = [{"obligation": REPORT, "subject": "service:s", "done_on": "2021-12-10"}]
        f = finding(REPORT, D(2022, 12, 1), car_service(automotive_important_data=True), compliance=rec)
        assert f.compliance == "open"


# ========================================================================
# Credit reporting: Regulation (2013-03-15) and Measures (2022-01-01)
# ========================================================================

class TestPersonalCreditLicence:

    def test_not_in_force_day_before_regulation(self):
        # Regulation Art. 45 / Order No. 631: in force 2013-03-15.
        assert finding(LICENCE, D(2013, 3, 14), organisation={"credit": credit()}).status == "not_in_force"

    def test_regulation_version_on_2013_03_15(self):
        # Regulation Arts. 6-7: approval and licence needed for personal credit reporting.
        f = finding(LICENCE, D(2013, 3, 15), organisation={"credit": credit()})
        assert f.status == "applies"
        assert f.citation["short"] == "Credit Reporting Regulation"
        assert f.citation["article"] == "6, 7"
        # Art. 46 ¶1: a body already in the business before 2013-03-15 applies for the licence within
        # 6 months; without the start date hegui shows that date (the later one). 2013-09-15 is a
        # Sunday, so the period ends on Monday 2013-09-16 (Civil Code Art. 203).
        assert f.deadline.date == D(2013, 9, 16)
        assert f.deadline.article == "46"
        assert f.compliance == "open"

    def test_regulation_still_cited_2021_12_31(self):
        f = finding(LICENCE, D(2021, 12, 31), organisation={"credit": credit()})
        assert f.citation["short"] == "Credit Reporting Regulation"

    def test_measures_version_on_2022_01_01(self):
        # Measures Art. 4 (addendum §1.2), in force 2022-01-01 (Art. 53).
        f = finding(LICENCE, D(2022, 1, 1), organisation={"credit": credit()})
        assert f.status == "applies"
        assert f.citation["short"] == "Credit Reporting Business Measures"
        assert f.citation["article"] == "4"

    def test_no_credit_business(self):
        f = finding(LICENCE, D(2020, 1, 1), organisation={"credit": credit(
            provides_personal_credit_info_to_financial_institutions=False)})
        assert f.status == "does_not_apply"

    def test_unknown_business_named(self):
        f = finding(LICENCE, D(2020, 1, 1), organisation={"credit": credit(
            provides_personal_credit_info_to_financial_institutions=DROP)})
        assert f.status == "unknown"
        assert "organisation.credit.provides_personal_credit_info_to_financial_institutions" in f.missing_facts

    def test_licence_decides_compliance_not_status(self):
        f = finding(LICENCE, D(2020, 1, 1), organisation={"credit": credit(personal_credit_reporting_licence=True)})
        assert f.status == "applies"
        assert f.compliance == "satisfied"

    def test_licence_unknown_leaves_status(self):
        # The licence decides compliance, never the status; unknown, the Art. 46 date decides: still open
        # on 2013-09-16, overdue from the next day when no record shows the duty met.
        org = {"credit": credit(personal_credit_reporting_licence=DROP, via_licensed_credit_agency=DROP)}
        f = finding(LICENCE, D(2013, 9, 16), organisation=org)
        assert f.status == "applies"
        assert f.missing_facts == []
        assert f.compliance == "open"
        assert finding(LICENCE, D(2020, 1, 1), organisation=org).compliance == "overdue"

    def test_licensed_route_means_not_carrying_on_the_business(self):
        # The information reaches lenders through a licensed bureau: the platform supplies a bureau.
        f = finding(LICENCE, D(2024, 1, 10), organisation={"credit": credit(via_licensed_credit_agency=True)})
        assert f.status == "applies"
        assert f.compliance == "satisfied"

    def test_regulation_penalty(self):
        # Regulation Art. 36: RMB 50,000-500,000 and confiscation.
        f = finding(LICENCE, D(2020, 1, 1), organisation={"credit": credit()})
        assert f.penalty["article"] == "Credit Reporting Regulation Art. 36"
        assert f.penalty["max_rmb"] == 500_000

    def test_measures_penalty(self):
        # Measures Art. 46 ¶1 -> Regulation Art. 36.
        f = finding(LICENCE, D(2024, 1, 1), organisation={"credit": credit()})
        assert "Art. 46" in f.penalty["article"]
        assert f.penalty["max_rmb"] == 500_000

    def test_measures_transition_deadline(self):
        # Art. 51: 18 months from 2022-01-01 -> 2023-07-01 (Sat) -> 2023-07-03 (Civil Code Art. 203).
        f = finding(LICENCE, D(2023, 7, 3), organisation={"credit": credit()})
        assert f.deadline.date == D(2023, 7, 3)
        assert f.compliance == "open"
        assert finding(LICENCE, D(2023, 7, 4), organisation={"credit": credit()}).compliance == "overdue"


class TestNoDirectConnection:

    def test_not_in_force_day_before_measures(self):
        assert finding(DIRECT, D(2021, 12, 31), organisation={"credit": credit()}).status == "not_in_force"

    def test_in_force_2022_01_01(self):
        f = finding(DIRECT, D(2022, 1, 1), organisation={"credit": credit()})
        assert f.status == "applies"
        assert f.citation["short"] == "Credit Reporting Business Measures"
        assert f.citation["in_force"] == "2022-01-01"
        assert f.compliance == "open"

    def test_shared_case_licensed_route(self):
        # cases/licensed-credit-route.yaml: applies and satisfied on 2024-01-10.
        f = finding(DIRECT, D(2024, 1, 10), organisation={"credit": credit(via_licensed_credit_agency=True)})
        assert f.status == "applies"
        assert f.compliance == "satisfied"

    def test_route_decides_compliance_not_status(self):
        direct = finding(DIRECT, D(2024, 1, 10), organisation={"credit": credit()})
        routed = finding(DIRECT, D(2024, 1, 10), organisation={"credit": credit(via_licensed_credit_agency=True)})
        assert direct.status == routed.status == "applies"
        assert direct.compliance == "overdue"

    def test_licensed_bureau_itself_complies(self):
        f = finding(DIRECT, D(2024, 1, 10), organisation={"credit": credit(personal_credit_reporting_licence=True)})
        assert f.compliance == "satisfied"

    def test_does_not_provide(self):
        f = finding(DIRECT, D(2024, 1, 10), organisation={"credit": credit(
            provides_personal_credit_info_to_financial_institutions=False)})
        assert f.status == "does_not_apply"

    def test_unknown_named(self):
        f = finding(DIRECT, D(2024, 1, 10), organisation={})
        assert f.status == "unknown"
        assert f.missing_facts == ["organisation.credit.provides_personal_credit_info_to_financial_institutions"]

    def test_transition_end_day_before(self):
        # Art. 51 (addendum §1.4): 18 months; market date 2023-06-30 is still inside the period.
        f = finding(DIRECT, D(2023, 6, 30), organisation={"credit": credit()})
        assert f.deadline.date == D(2023, 7, 3)
        assert f.deadline.article == "51"
        assert f.compliance == "open"

    def test_transition_end_day(self):
        # Civil Code Arts. 201-203: 2023-07-01 is a Saturday, so the last day is Monday 2023-07-03.
        f = finding(DIRECT, D(2023, 7, 3), organisation={"credit": credit()})
        assert f.compliance == "open"

    def test_transition_end_day_after(self):
        assert finding(DIRECT, D(2023, 7, 4), organisation={"credit": credit()}).compliance == "overdue"

    def test_penalty(self):
        f = finding(DIRECT, D(2024, 1, 10), organisation={"credit": credit()})
        assert f.penalty["max_rmb"] == 500_000                     # Regulation Art. 36 via Measures Art. 46 ¶1
        assert "30,000" in f.penalty["says"]                        # the lender: Art. 46 ¶2


# ========================================================================
# Minors and online games: NPPA notices 2019 and 2021
# ========================================================================

class TestGamingTimeLimits:

    def test_not_in_force_day_before_2019_notice(self):
        # Catalogue in-force date 2019-11-01 ([L] per addendum §3.2).
        assert finding(HOURS, D(2019, 10, 31), game()).status == "not_in_force"

    def test_2019_version_unverified(self):
        f = finding(HOURS, D(2019, 11, 1), game())
        assert f.status == "applies"
        assert f.citation["short"] == "NPPA 2019 notice"
        assert f.review == "unverified"
        assert any("unverified" in w for w in texts(f.warnings))
        assert "1.5 hours" in f.standing_duty and "22:00" in f.standing_duty
        assert f.penalty is None

    def test_2019_version_day_before_2021_notice(self):
        f = finding(HOURS, D(2021, 8, 31), game())
        assert f.citation["short"] == "NPPA 2019 notice"

    def test_2021_version_on_2021_09_01(self):
        # Notice No. 14 item 1, effective 2021-09-01 (closing clause).
        f = finding(HOURS, D(2021, 9, 1), game())
        assert f.status == "applies"
        assert f.citation["short"] == "NPPA Notice No. 14 (2021)"
        assert f.citation["document"] == "国新出发〔2021〕14号"
        assert f.citation["article"] == "1"
        assert f.review == "verified"
        assert "20:00 to 21:00" in f.standing_duty and "Fridays, Saturdays, Sundays" in f.standing_duty

    def test_2021_penalty_minors_protection_law(self):
        # Minors Protection Law Art. 127: illegal gains of RMB 1 million or more (以上) are fined 1-10
        # times the gains, so the law sets no fixed ceiling; RMB 100,000-1,000,000 applies only below.
        f = finding(HOURS, D(2024, 1, 1), game())
        assert f.penalty["max_rmb"] is None
        assert "127" in f.penalty["article"]
        assert "1-10 times" in f.penalty["says"] and "RMB 100,000-1,000,000" in f.penalty["says"]

    def test_kind_game_without_flag(self):
        assert finding(HOURS, D(2024, 1, 1), game(online_game=DROP)).status == "applies"

    def test_flag_without_kind(self):
        assert finding(HOURS, D(2024, 1, 1), game(kind="app")).status == "applies"

    def test_not_a_game(self):
        assert finding(HOURS, D(2024, 1, 1), game(kind="app", online_game=False)).status == "does_not_apply"

    def test_not_serving_minors(self):
        assert finding(HOURS, D(2024, 1, 1), game(serves_minors=False)).status == "does_not_apply"

    def test_unknown_minors_named(self):
        f = finding(HOURS, D(2024, 1, 1), game(serves_minors=DROP))
        assert f.status == "unknown"
        assert f.missing_facts == ["service.serves_minors"]


class TestGamingSpendingLimits:

    def test_not_in_force_day_before(self):
        assert finding(SPEND, D(2019, 10, 31), game()).status == "not_in_force"

    def test_in_force_2019_11_01_unverified(self):
        f = finding(SPEND, D(2019, 11, 1), game())
        assert f.status == "applies"
        assert f.review == "unverified"
        assert f.citation["document"] == "国新出发〔2019〕34号"

    def test_still_the_2019_limits_after_2021_notice(self):
        # The 2021 notice does not address spending (notes §2b).
        f = finding(SPEND, D(2026, 1, 1), game())
        assert f.citation["short"] == "NPPA 2019 notice"
        for figure in ("under 8", "RMB 50", "RMB 200", "RMB 100", "RMB 400"):
            assert figure in f.standing_duty

    def test_not_a_game(self):
        assert finding(SPEND, D(2024, 1, 1), game(kind="website", online_game=False)).status == "does_not_apply"

    def test_not_serving_minors(self):
        assert finding(SPEND, D(2024, 1, 1), game(serves_minors=False)).status == "does_not_apply"


# ========================================================================
# Game publication approval: Provisions Art. 27 (2016-03-10); MPL Art. 75 (2021-06-01)
# ========================================================================

class TestPublicationApproval:

    def test_not_in_force_day_before(self):
        assert finding(APPROVAL, D(2016, 3, 9), game()).status == "not_in_force"

    def test_provisions_on_2016_03_10(self):
        f = finding(APPROVAL, D(2016, 3, 10), game(launched_on="2017-01-01"))
        assert f.status == "applies"
        assert f.citation["short"] == "Online Publishing Services Provisions"
        assert f.citation["article"] == "27"
        assert f.penalty is None

    def test_provisions_day_before_mpl(self):
        assert finding(APPROVAL, D(2021, 5, 31), game()).citation["short"] == "Online Publishing Services Provisions"

    def test_mpl_version_on_2021_06_01(self):
        f = finding(APPROVAL, D(2021, 6, 1), game())
        assert f.citation["short"] == "Minors Protection Law"
        assert f.citation["article"] == "75"
        assert f.penalty["max_rmb"] is None               # MPL Art. 127: 1-10x gains, no fixed ceiling
        assert "1-10 times" in f.penalty["says"]

    def test_every_game_not_only_those_for_minors(self):
        assert finding(APPROVAL, D(2023, 1, 1), game(serves_minors=False)).status == "applies"

    def test_not_a_game(self):
        assert finding(APPROVAL, D(2023, 1, 1), game(kind="app", online_game=False)).status == "does_not_apply"

    def test_unknown_game_named(self):
        f = finding(APPROVAL, D(2023, 1, 1), game(kind=DROP, online_game=DROP))
        assert f.status == "unknown"
        assert set(f.missing_facts) == {"service.online_game", "service.kind"}

    def test_approval_decides_compliance(self):
        f = finding(APPROVAL, D(2023, 1, 1), game(game_publication_approval=True))
        assert f.status == "applies"
        assert f.compliance == "satisfied"

    def test_deadline_before_launch_open(self):
        # Art. 27: approval before online publication -> last day 2022-04-30.
        f = finding(APPROVAL, D(2022, 4, 1), game())
        assert f.deadline.date == D(2022, 4, 30)
        assert f.compliance == "open"

    def test_deadline_before_launch_overdue(self):
        f = finding(APPROVAL, D(2022, 6, 1), game())
        assert f.compliance == "overdue"

    def test_launched_before_provisions(self):
        # Already online on 2016-03-10: due from the day the Provisions took effect.
        f = finding(APPROVAL, D(2016, 3, 10), game(launched_on="2015-01-01"))
        assert f.deadline.date == D(2016, 3, 10)

    def test_launch_date_unknown(self):
        f = finding(APPROVAL, D(2023, 1, 1), game(launched_on=DROP))
        assert f.status == "applies"
        assert f.deadline.date is None
        assert "service.launched_on" in basis_text(f.deadline)


# ========================================================================
# Regulations on the Protection of Minors Online, in force 2024-01-01 (Art. 60)
# ========================================================================

class TestAnnualMinorsPiAudit:

    def test_not_in_force_day_before(self):
        assert finding(AUDIT, D(2023, 12, 31), organisation={"minors_pi": True}).status == "not_in_force"

    def test_in_force_2024_01_01(self):
        f = finding(AUDIT, D(2024, 1, 1), organisation={"minors_pi": True})
        assert f.status == "applies"
        assert f.citation["short"] == "Minors Online Protection Regulations"
        assert f.citation["article"] == "37"
        assert f.deadline.date == D(2024, 12, 31)        # each calendar year
        assert f.deadline.recurring
        assert f.penalty is None                        # Arts. 53-56 do not list Art. 37

    def test_no_minors_pi(self):
        assert finding(AUDIT, D(2024, 6, 1), organisation={"minors_pi": False}).status == "does_not_apply"

    def test_unknown_named(self):
        f = finding(AUDIT, D(2024, 6, 1))
        assert f.status == "unknown"
        assert f.missing_facts == ["organisation.minors_pi"]

    def test_this_years_audit_covers(self):
        rec = [{"obligation": AUDIT, "subject": "organisation", "done_on": "2024-06-01"}]
        f = finding(AUDIT, D(2024, 12, 31), organisation={"minors_pi": True}, compliance=rec)
        assert f.compliance == "satisfied"

    def test_next_year_due_again(self):
        rec = [{"obligation": AUDIT, "subject": "organisation", "done_on": "2024-06-01"}]
        f = finding(AUDIT, D(2025, 1, 1), organisation={"minors_pi": True}, compliance=rec)
        assert f.deadline.date == D(2025, 12, 31)
        assert f.compliance == "open"


class TestMinorMode:

    def test_not_in_force_day_before(self):
        assert finding(MINOR_MODE, D(2023, 12, 31), game()).status == "not_in_force"

    def test_game_on_2024_01_01(self):
        f = finding(MINOR_MODE, D(2024, 1, 1), game())
        assert f.status == "applies"
        assert f.citation["article"] == "43"
        assert "minor mode" in f.standing_duty

    def test_audio_video_service(self):
        svc = game(kind="app", online_game=False, content=["audiovisual"])
        assert finding(MINOR_MODE, D(2024, 1, 1), svc).status == "applies"

    def test_news_app_not_covered(self):
        # Art. 43 names game, live-streaming, audio-video and social services only.
        svc = game(kind="app", online_game=False, content=["news"], live_streaming=False, social_networking=False)
        assert finding(MINOR_MODE, D(2024, 1, 1), svc).status == "does_not_apply"

    def test_not_serving_minors(self):
        assert finding(MINOR_MODE, D(2024, 1, 1), game(serves_minors=False)).status == "does_not_apply"

    def test_unknown_content_named(self):
        svc = game(kind="app", online_game=False, content=DROP)
        f = finding(MINOR_MODE, D(2024, 1, 1), svc)
        assert f.status == "unknown"
        assert "service.content" in f.missing_facts

    def test_penalty(self):
        # Art. 56: illegal gains of RMB 1 million or more (100万元以上) are fined 1-10 times the gains, so
        # there is no fixed ceiling; no gains or gains under RMB 1 million: RMB 100,000-1,000,000.
        f = finding(MINOR_MODE, D(2024, 1, 1), game())
        assert f.penalty["article"] == "Minors Online Protection Regulations Art. 56"
        assert f.penalty["max_rmb"] is None
        assert "1-10 times" in f.penalty["says"] and "RMB 100,000-1,000,000" in f.penalty["says"]
