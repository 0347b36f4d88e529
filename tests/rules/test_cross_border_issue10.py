"""Cross-border data, issue 10: expectations from the law, with the article in each comment.

Sources (under /work/shared/regulations unless said):
- texts/个人信息保护法(2021-08-20).md: PIPL Art. 13 ¶1(2), (4) and ¶2 (no consent needed on those
  bases), Art. 18 ¶2 (emergency notice afterwards), Art. 39 (notice and separate consent), Arts. 55(4), 56;
- CAC Order 16 (verbatim extract, luxingjiang1993/FreshLatch p1-cac-o16.md): Art. 6 (FTZ processors,
  data outside the negative list), Art. 7(2) ("以上" includes the number), Art. 8, Art. 10 (restates the
  PIPL duties "按照法律、行政法规的规定");
- CAC-SAMR Order 20 (p1-cac-o20.md): Art. 2 (governs exports by certification), Art. 5; addendum §11.2
  (Art. 8: certificate valid 3 years);
- texts/网络数据安全管理条例(2024-09-24).md: NDSMR Art. 37 (important data only after the assessment),
  Art. 64 (in force 2025-01-01);
- addendum §10.3 (CAC Q&A, January 2026: apply once cumulative exports reach the thresholds), §10.4 (the
  2026 Automotive Data Export Guidelines, made public 2026-02-03), §10.5 (FTZ lists bind processors in
  that zone);
- GBA (mainland-Hong Kong) standard contract guidelines: announcement of 2023-12-10 published and in force
  2023-12-13; processors registered in the nine mainland GBA cities, recipients in Hong Kong; important
  data excluded; no volume band; filing within 10 working days after the contract takes effect.
"""

from __future__ import annotations

import datetime

import pytest

from builders import DROP, merge
from hegui.engine import assess
from hegui.manifest.model import Manifest
from hegui.report.notices import texts
from hegui.report.deadlines import basis_text
from test_cross_border_rules import NOTICE, O16_DAY, SA, SCC, exports, org, run, transfer

D = datetime.date
GBA = "gba-pi.standard-contract-filing"
STORAGE = "auto-data.domestic-storage"


# ========================================================================
# pipl.transfer-notice-consent-pia: PIPL throughout, judged when the export started
# ========================================================================

class TestNoticeCitation:

    def test_export_started_2024_03_21_cites_pipl_alone(self):
        # Order 16 took effect 2024-03-22 (Art. 14); an export begun the day before is judged by PIPL alone.
        f = run(NOTICE, O16_DAY, t=transfer(started_on="2024-03-21"))
        assert f.status == "applies"
        assert (f.citation["short"], f.citation["article"]) == ("PIPL", "39, 55(4), 56")

    def test_export_started_2024_03_22_cites_the_restatement(self):
        f = run(NOTICE, O16_DAY, t=transfer(started_on="2024-03-22"))
        assert (f.citation["short"], f.citation["article"]) == (
            "PIPL", "39, 55(4), 56 (restated by CAC Order 16 Art. 10)")

    def test_deadline_before_2024_is_never_cited_to_order_16(self):
        # Export started 2023-01-10, assessed in 2025: due 2023-01-09, under PIPL only.
        f = run(NOTICE, D(2025, 6, 1), t=transfer(started_on="2023-01-10"))
        assert f.deadline.date == D(2023, 1, 9)
        assert "Order 16" not in f.citation["article"]
        assert "Order 16" not in (f.deadline.article or "")
        assert f.compliance == "overdue"

    def test_planned_export_judged_on_the_as_of_date(self):
        f = run(NOTICE, O16_DAY, t=transfer(started_on="2024-07-01"))
        assert "restated by CAC Order 16 Art. 10" in f.citation["article"]
        assert f.deadline.date == D(2024, 6, 30)

    def test_start_unknown_judged_on_the_as_of_date(self):
        f = run(NOTICE, O16_DAY, t=transfer(started_on=DROP))
        assert f.status == "applies"
        assert "restated" in f.citation["article"]
        assert f.deadline.date is None and "transfer.started_on" in basis_text(f.deadline)

    @pytest.mark.parametrize("started", ["2024-03-21", "2024-03-22"])
    def test_fine_is_pipl_art_66_either_side_of_order_16(self, started):
        # PIPL Art. 66 ¶2: up to RMB 50 million or 5% of the previous year's turnover.
        f = run(NOTICE, O16_DAY, t=transfer(started_on=started))
        assert f.penalty["article"] == "66" and f.penalty["max_rmb"] == 50_000_000

    def test_export_running_before_the_pipl_caught_on_2021_11_01(self):
        # PIPL Art. 74: in force 2021-11-01, no grace period: an export running then is caught that day.
        f = run(NOTICE, D(2022, 3, 1), t=transfer(started_on="2020-05-01"))
        assert f.status == "applies"
        assert f.deadline.date == D(2021, 11, 1)


class TestNoticeSeparateConsent:

    def test_no_basis_owes_separate_consent(self):
        # Art. 39: notice and separate consent; Art. 55(4): impact assessment before the export.
        f = run(NOTICE, O16_DAY, t=transfer(started_on="2024-07-01", basis="none"))
        assert "obtain separate consent" in f.deadline.says
        assert f.deadline.date == D(2024, 6, 30)

    @pytest.mark.parametrize("basis", ["contract_with_individual", "cross_border_hr"])
    def test_art_13_1_2_basis_needs_no_consent(self, basis):
        # Art. 13 ¶1(2) (a contract with the individual; HR under lawful labour rules) and ¶2: no consent;
        # the Art. 39 notice and the Art. 55(4) assessment remain.
        f = run(NOTICE, O16_DAY, t=transfer(started_on="2024-07-01", basis=basis))
        assert f.status == "applies"
        assert "no separate consent is needed" in f.deadline.says
        assert "notify" in f.deadline.says and "impact assessment" in f.deadline.says
        assert "13 ¶2" in f.deadline.article
        assert f.deadline.date == D(2024, 6, 30)

    def test_emergency_needs_no_consent_and_may_notify_afterwards(self):
        # Art. 13 ¶1(4) with ¶2: no consent; Art. 18 ¶2: notice once the emergency is over if not possible in time.
        f = run(NOTICE, O16_DAY, t=transfer(started_on="2024-07-01", basis="emergency"))
        assert "no separate consent is needed" in f.deadline.says
        assert "18 ¶2" in f.deadline.article

    def test_unknown_basis_owes_the_most_and_keeps_the_date(self):
        f = run(NOTICE, O16_DAY, t=transfer(started_on="2024-07-01", basis=DROP))
        assert f.status == "applies"
        assert "obtain separate consent" in f.deadline.says
        assert f.deadline.date == D(2024, 6, 30)

    def test_no_consent_case_in_the_2021_version_too(self):
        # Art. 13 ¶2 has applied since 2021-11-01.
        f = run(NOTICE, D(2022, 3, 1), t=transfer(started_on="2022-04-01", basis="cross_border_hr"))
        assert f.citation["article"] == "39, 55(4), 56"
        assert "no separate consent is needed" in f.deadline.says


# ========================================================================
# cbdt.standard-contract-or-certification: the finding cites the route taken
# ========================================================================

BAND = {"pi_individuals_current_year": 200_000}


def band_run(as_of, **transfer_changes):
    return run(SCC, as_of, e=exports(**BAND), t=transfer(**transfer_changes))


class TestContractRouteCitation:

    def test_certification_cites_order_20_from_2026_01_01(self):
        # Order 20 Art. 2: applies to exports by certification; Art. 19: in force 2026-01-01.
        f = band_run(D(2026, 1, 1), mechanism="certification", mechanism_effective_on="2025-12-20")
        assert (f.citation["short"], f.citation["article"]) == ("CAC-SAMR Order 20", "5")

    def test_certification_on_2025_12_31_cites_order_16(self):
        f = band_run(D(2025, 12, 31), mechanism="certification", mechanism_effective_on="2025-12-20")
        assert (f.citation["short"], f.citation["article"]) == ("CAC Order 16", "8")

    @pytest.mark.parametrize("as_of", [D(2025, 12, 31), D(2026, 1, 1)])
    def test_standard_contract_cites_order_16_and_order_13(self, as_of):
        # Order 16 Art. 8 sets the duty; Order 13 Arts. 6-7 the contract and its filing. Order 20 does not govern it.
        f = band_run(as_of, mechanism="standard_contract", mechanism_effective_on="2025-12-01")
        assert f.citation["short"] == "CAC Order 16"
        assert f.citation["article"] == "8 (standard contract: CAC Order 13 Arts. 6-7)"

    @pytest.mark.parametrize("mechanism", ["none", DROP])
    def test_route_not_chosen_cites_both_from_2026(self, mechanism):
        f = band_run(D(2026, 1, 1), mechanism=mechanism)
        assert f.status == "applies"
        assert f.citation["short"] == "CAC-SAMR Order 20"
        assert f.citation["article"].startswith("5 (certification")
        assert "CAC Order 16 Art. 8" in f.citation["article"] and "CAC Order 13 Arts. 6-7" in f.citation["article"]

    def test_route_not_chosen_cites_order_16_art_8_before_2026(self):
        assert band_run(D(2025, 12, 31), mechanism="none").citation["article"] == "8"

    def test_standard_contract_filing_deadline_unchanged_in_2026(self):
        # Order 13 Art. 7: 10 working days after the contract takes effect (2026-03-02 Mon -> 2026-03-16 Mon).
        f = band_run(D(2026, 3, 5), mechanism="standard_contract", mechanism_effective_on="2026-03-02",
                     started_on="2026-03-10")
        assert f.deadline.date == D(2026, 3, 16)
        assert f.deadline.article == "Order 13 Art. 7"

    @pytest.mark.parametrize("as_of, expected", [(D(2029, 1, 5), "satisfied"), (D(2029, 1, 6), "overdue")])
    def test_certificate_valid_three_years(self, as_of, expected):
        # Order 20 Art. 8: valid 3 years from 2026-01-05, so through 2029-01-05.
        f = band_run(as_of, mechanism="certification", mechanism_effective_on="2026-01-05")
        assert f.compliance == expected


# ========================================================================
# cbdt.security-assessment: the day the year's exports reached the threshold
# ========================================================================

REACHED = {"pi_individuals_current_year": 1_200_000, "threshold_reached_on": "2024-05-15"}


class TestThresholdReachedDuringTheYear:

    def test_flow_begun_earlier_owes_it_before_the_exports_that_reach_it(self):
        # Art. 7(2) "100万人以上" includes the number, so the export that reaches it already needs the approval;
        # the duty dates from reaching it, not from the flow's start (CAC Q&A, January 2026).
        f = run(SA, O16_DAY, e=exports(**REACHED), t=transfer(started_on="2024-01-10"))
        assert f.status == "applies"
        assert f.deadline.date == D(2024, 5, 14)
        assert f.deadline.article == "7(2)"

    @pytest.mark.parametrize("as_of, expected", [(D(2024, 5, 14), "open"), (D(2024, 5, 15), "overdue")])
    def test_open_until_the_day_before_it_is_reached(self, as_of, expected):
        e = exports(pi_individuals_current_year=1_000_000, threshold_reached_on="2024-05-15")
        assert run(SA, as_of, e=e, t=transfer(started_on="2024-01-10")).compliance == expected

    def test_without_the_date_the_start_of_the_flow_decides(self):
        f = run(SA, O16_DAY, e=exports(pi_individuals_current_year=1_200_000), t=transfer(started_on="2024-01-10"))
        assert f.deadline.date == D(2024, 1, 9)

    @pytest.mark.parametrize("started, due", [("2024-05-15", D(2024, 5, 14)), ("2024-06-01", D(2024, 5, 31))])
    def test_flow_begun_on_or_after_reaching_it_owes_it_before_it_starts(self, started, due):
        f = run(SA, O16_DAY, e=exports(**REACHED), t=transfer(started_on=started))
        assert f.deadline.date == due

    def test_important_data_needs_it_from_the_start(self):
        # Art. 7(2): important data needs the assessment whatever the count.
        f = run(SA, O16_DAY, e=exports(**REACHED), t=transfer(started_on="2024-01-10", includes_important_data=True))
        assert f.deadline.date == D(2024, 1, 9)

    def test_ciio_needs_it_from_the_start(self):
        # Art. 7(1): a CIIO needs it for any PI.
        f = run(SA, O16_DAY, o=org(ciio=True), e=exports(**REACHED), t=transfer(started_on="2024-01-10"))
        assert f.deadline.date == D(2024, 1, 9)

    def test_same_rule_in_2025(self):
        e = exports(pi_individuals_current_year=1_200_000, threshold_reached_on="2025-04-01")
        f = run(SA, D(2025, 6, 1), e=e, t=transfer(started_on="2025-01-05"))
        assert f.deadline.date == D(2025, 3, 31)


# ========================================================================
# Order 16 Art. 6: registration in the FTZ; important data from 2025-01-01 (NDSMR Art. 37)
# ========================================================================

BIG = {"pi_individuals_current_year": 2_000_000}


class TestFtzExemption:

    def test_registered_in_the_zone_and_data_off_the_list(self):
        # Art. 6 ¶2: "自由贸易试验区内数据处理者" exporting data outside the negative list.
        f = run(SA, O16_DAY, o=org(registered_in_pilot_ftz=True), e=exports(**BIG), t=transfer(ftz_exempt=True))
        assert f.status == "does_not_apply"

    def test_not_registered_in_a_zone(self):
        # A zone's list binds only processors in that zone (addendum §10.5).
        f = run(SA, O16_DAY, o=org(registered_in_pilot_ftz=False), e=exports(**BIG), t=transfer(ftz_exempt=True))
        assert f.status == "applies"

    def test_the_claim_covers_registration_when_it_is_not_given(self):
        # manifest.md: ftz_exempt means "exporter in a pilot FTZ and the data is not on its negative
        # list", so the claim alone decides; registered_in_pilot_ftz: false would defeat it.
        f = run(SA, O16_DAY, o=org(registered_in_pilot_ftz=DROP), e=exports(**BIG), t=transfer(ftz_exempt=True))
        assert f.status == "does_not_apply"

    def test_exemption_unknown_names_the_claim(self):
        f = run(SA, O16_DAY, o=org(registered_in_pilot_ftz=True), e=exports(**BIG), t=transfer(ftz_exempt=DROP))
        assert f.status == "unknown"
        assert "transfer.ftz_exempt" in f.missing_facts

    def test_contract_band_needs_registration_too(self):
        f = run(SCC, O16_DAY, o=org(registered_in_pilot_ftz=False), e=exports(**BAND), t=transfer(ftz_exempt=True))
        assert f.status == "applies"

    def test_important_data_off_the_list_exempt_on_2024_12_31(self):
        # Art. 6 has no important-data carve-out (compare Art. 5 ¶2): the negative list decides.
        f = run(SA, D(2024, 12, 31), o=org(registered_in_pilot_ftz=True),
                t=transfer(ftz_exempt=True, includes_important_data=True))
        assert f.status == "does_not_apply"

    def test_important_data_needs_the_assessment_from_2025_01_01(self):
        # NDSMR Art. 37 (in force 2025-01-01, Art. 64): important data leaves only after the assessment.
        f = run(SA, D(2025, 1, 1), o=org(registered_in_pilot_ftz=True),
                t=transfer(ftz_exempt=True, includes_important_data=True))
        assert f.status == "applies"
        assert (f.citation["short"], f.citation["article"]) == ("CAC Order 16", "7 (important data: NDSMR Art. 37)")

    def test_other_data_still_exempt_from_2025_01_01(self):
        f = run(SA, D(2025, 1, 1), o=org(registered_in_pilot_ftz=True), e=exports(**BIG), t=transfer(ftz_exempt=True))
        assert f.status == "does_not_apply"


# ========================================================================
# gba-pi.standard-contract-filing: the Greater Bay Area (mainland-Hong Kong) standard contract
# ========================================================================

def gba_org(**changes) -> dict:
    return org(registered_in_gba_mainland_city=True, **changes)


def gba_transfer(**changes) -> dict:
    return transfer(**merge({"destination": "HK", "mechanism": "gba_standard_contract",
                             "mechanism_effective_on": "2024-01-08", "started_on": "2024-01-15"}, changes))


def gba_run(obligation, as_of, o=None, e=None, **changes):
    return run(obligation, as_of, o=o or gba_org(), e=e or exports(), t=gba_transfer(**changes))


class TestGbaStandardContract:

    def test_not_in_force_2023_12_12(self):
        assert gba_run(GBA, D(2023, 12, 12)).status == "not_in_force"

    def test_in_force_2023_12_13(self):
        # Published, and in force, on 2023-12-13.
        f = gba_run(GBA, D(2023, 12, 13))
        assert f.status == "applies"
        assert f.citation["short"] == "GBA Standard Contract Guidelines"

    def test_filing_within_10_working_days(self):
        # 10 working days after 2024-01-08 (Mon): 9-12 Jan (4), 15-19 Jan (9), 22 Jan (10).
        f = gba_run(GBA, D(2024, 1, 10))
        assert f.deadline.date == D(2024, 1, 22)
        assert f.compliance == "open"
        assert gba_run(GBA, D(2024, 1, 23)).compliance == "overdue"

    def test_filing_record_satisfies(self):
        f = run(GBA, D(2024, 2, 1), o=gba_org(), t=gba_transfer(),
                compliance=[{"obligation": GBA, "subject": "transfer:t", "done_on": "2024-01-19"}])
        assert f.compliance == "satisfied"

    def test_without_effective_date_due_before_the_transfer(self):
        assert gba_run(GBA, D(2024, 1, 10), mechanism_effective_on=DROP).deadline.date == D(2024, 1, 14)

    @pytest.mark.parametrize("counts", [
        {},                                            # below the Order 16 Art. 5(4) exemption line
        {"pi_individuals_current_year": 2_000_000},    # above the Order 16 Art. 7(2) line
    ])
    def test_no_volume_band(self, counts):
        assert gba_run(GBA, O16_DAY, e=exports(**counts)).status == "applies"

    def test_sensitive_pi_not_excluded(self):
        assert gba_run(GBA, O16_DAY, includes_sensitive_pi=True).status == "applies"

    def test_important_data_excluded(self):
        assert gba_run(GBA, O16_DAY, includes_important_data=True).status == "does_not_apply"

    def test_only_to_hong_kong(self):
        # Macao has its own guidelines (2024-09-10), not this contract.
        assert gba_run(GBA, O16_DAY, destination="MO").status == "does_not_apply"

    def test_only_for_processors_registered_in_the_nine_cities(self):
        f = gba_run(GBA, O16_DAY, o=org(registered_in_gba_mainland_city=False))
        assert f.status == "does_not_apply"

    def test_registration_unknown_is_named(self):
        f = gba_run(GBA, O16_DAY, o=org(registered_in_gba_mainland_city=DROP))
        assert f.status == "unknown"
        assert "organisation.registered_in_gba_mainland_city" in f.missing_facts

    def test_other_routes_do_not_trigger_it(self):
        assert gba_run(GBA, O16_DAY, mechanism="standard_contract").status == "does_not_apply"

    def test_unconfirmed_text_warns(self):
        assert any(w.startswith("unverified rule") for w in texts(gba_run(GBA, O16_DAY).warnings))

    def test_meets_the_order_16_contract_band(self):
        f = gba_run(SCC, O16_DAY, e=exports(**BAND))
        assert f.status == "applies" and f.compliance == "satisfied"
        assert f.citation["short"] == "GBA Standard Contract Guidelines"

    def test_meets_the_order_20_era_band_without_a_validity_limit(self):
        # Order 20 Art. 8's three years are the certificate's; the GBA contract has none of its own here.
        f = gba_run(SCC, D(2029, 6, 1), e=exports(**BAND), mechanism_effective_on="2026-01-05")
        assert f.compliance == "satisfied"

    def test_not_met_where_the_guidelines_do_not_reach(self):
        f = gba_run(SCC, O16_DAY, o=org(registered_in_gba_mainland_city=False), e=exports(**BAND))
        assert f.status == "applies" and f.compliance != "satisfied"

    def test_not_taken_as_replacing_the_security_assessment(self):
        f = gba_run(SA, O16_DAY, e=exports(**BIG))
        assert f.status == "applies" and f.compliance != "satisfied"

    @pytest.mark.parametrize("effective, expected", [("2023-12-13", "satisfied"), ("2023-12-12", "overdue")])
    def test_meets_the_order_13_band_only_from_2023_12_13(self, effective, expected):
        f = gba_run(SCC, D(2024, 1, 10), mechanism_effective_on=effective, started_on="2023-12-20")
        assert f.citation["short"] == "CAC Order 13"
        assert f.compliance == expected


# ========================================================================
# auto-data.domestic-storage: the 2026 Automotive Data Export Guidelines
# ========================================================================

def car_manifest(**service) -> Manifest:
    s = merge({"id": "car", "automotive_data_processor": True, "automotive_important_data": False,
               "automotive_pi_individuals": 150_000}, service)
    return Manifest.model_validate({"format": "hegui/1", "organisation": org(), "services": [s]})


def car_finding(as_of, **service):
    return next(f for f in assess(car_manifest(**service), as_of).findings
                if f.obligation == STORAGE and f.subject == "service:car")


class TestAutomotiveExportGuidelines:

    def test_provisions_on_2026_02_02(self):
        f = car_finding(D(2026, 2, 2))
        assert f.citation["short"] == "Automotive Data Provisions"

    def test_guidelines_from_2026_02_03(self):
        f = car_finding(D(2026, 2, 3))
        assert f.status == "applies"
        assert f.citation["short"] == "Automotive Data Export Guidelines 2026"

    def test_pi_count_alone_judged_at_the_general_thresholds(self):
        # Guidelines: assessment from 1,000,000 / 10,000 individuals this year or a CIIO (Order 16 Art. 7).
        duty = car_finding(D(2026, 2, 3)).standing_duty
        assert "1,000,000" in duty and "10,000" in duty and "not by that count" in duty

    def test_other_important_data_needs_the_assessment(self):
        # Guidelines, first assessment case: important data.
        duty = car_finding(D(2026, 2, 3), automotive_important_data=True).standing_duty
        assert "after passing the CAC security assessment" in duty

    @pytest.mark.parametrize("n, expected", [
        (99_999, "does_not_apply"),
        (100_000, "does_not_apply"),    # Provisions Art. 3(5) "超过10万人" excludes the number
        (100_001, "applies"),
    ])
    def test_provisions_count_still_defines_important_data(self, n, expected):
        assert car_finding(D(2026, 3, 1), automotive_pi_individuals=n).status == expected

    def test_unknown_count_is_named(self):
        f = car_finding(D(2026, 3, 1), automotive_pi_individuals=DROP)
        assert f.status == "unknown"
        assert "service.automotive_pi_individuals" in f.missing_facts

    def test_export_of_150000_individuals_pi_needs_the_contract_not_the_assessment(self):
        # 150,000 non-sensitive individuals this year: Order 16 Art. 8 band, below Art. 7(2).
        e = exports(pi_individuals_current_year=150_000)
        assert run(SA, D(2026, 3, 1), e=e).status == "does_not_apply"
        assert run(SCC, D(2026, 3, 1), e=e).status == "applies"
