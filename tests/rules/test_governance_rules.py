"""PI and data governance, incident reporting and CII rules: expectations from the law notes, not the code.

Sources (all under /work/shared):
- regulations/texts/个人信息保护法 (PIPL Arts. 3, 37, 52-58, 64, 66), 网络数据安全管理条例 (NDSMR Arts. 2, 10,
  11, 21-26, 28-30, 33, 44, 55, 57, 58, 62(8), 64), 关键信息基础设施安全保护条例 (CII Regulations Arts. 14-18,
  39, 40, 51), 网络安全法 (CSL Arts. 25, 38, 59), 数据安全法 (DSL Arts. 27, 29, 30, 45), 民法典 Art. 201 ¶2;
- 个人信息保护合规审计管理办法 (Audit Measures Arts. 4, 5, 8-12, 19, 20), read in the Theonefkguy/Chinese-Laws
  copy (cac.gov.cn origin);
- regulations/data-and-cyber.md §3.4 (PIPO announcement 2025-07-18: by 2025-08-29), §11 (Audit Measures),
  §13, §14 (Incident Reporting Measures Art. 4: 1 h / 2 h / 4 h, in force 2025-11-01);
- regulations/addendum-2026-11.md §9 (CSL amendment from 2026-01-01: Art. 38 -> 40, Art. 61 tiers),
  §11.1 (Audit Measures Arts. 4, 12, 20);
- spec/catalogue.md (ids, in-force dates), spec/manifest.md (facts).

Boundary words (Civil Code Art. 1259): 以上 includes the number, 超过 excludes it.
"""

from __future__ import annotations

import datetime

import pytest

from hegui.engine import assess
from hegui.manifest.model import Manifest
from hegui.report.notices import penalty_shown, standing_text
from hegui.report.deadlines import basis_text

from builders import DROP

D = datetime.date
REP = "pipl.local-representative"
PIA = "pipl.impact-assessment"
PIPO = "pipl.pi-protection-officer"
AUDIT = "pipl.compliance-audit"
PLATFORM = "pipl.large-platform-duties"
DSO = "ndsmr.data-security-officer"
RISK = "ndsmr.annual-risk-assessment"
INCIDENT = "incident.reporting"
CII_ASSESS = "cii.annual-security-assessment"
CII_BODY = "cii.security-management-body"



def org(**changes) -> dict:
    """A small domestic operator with every governance trigger explicitly absent."""
    base = {"name": "X", "incorporated_in": "CN", "operates_in_mainland": True,
            "targets_mainland_individuals": False, "ciio": False, "state_organ": False,
            "processes_important_data": False, "automated_decision_making": False,
            "pi_individuals": 50_000, "sensitive_pi_individuals": 0,
            "registered_users": 100_000, "monthly_active_users": 10_000,
            "complex_business_and_significant_impact": False, "network_platform_operator": False,
            "huge_user_base": False, "public_body": False, "minors_pi": False,
            "turnover_worldwide_rmb": 2_000_000_000,
            "exports": {"pi_individuals_current_year": 0, "sensitive_pi_individuals_current_year": 0,
                        "pi_individuals_since_previous_year": 0,
                        "sensitive_pi_individuals_since_previous_year": 0}}
    for key, value in changes.items():
        if value is DROP:
            base.pop(key, None)
        else:
            base[key] = value
    return base


def run(obligation: str, as_of: datetime.date, compliance: list | None = None, **changes):
    doc = {"format": "hegui/1", "organisation": org(**changes)}
    if compliance:
        doc["compliance"] = compliance
    a = assess(Manifest.model_validate(doc), as_of)
    return next(f for f in a.findings if f.obligation == obligation and f.subject == "organisation")


def done(obligation: str, day: str) -> list:
    return [{"obligation": obligation, "subject": "organisation", "done_on": day}]


PIPL_MAX = 50_000_000        # PIPL Art. 66 ¶2: up to RMB 50M or up to 5% of the previous year's turnover


def assert_pipl_penalty(f):
    assert f.penalty["max_rmb"] == PIPL_MAX
    assert float(f.penalty["max_turnover_share"]) == 0.05
    assert f.penalty["turnover_fact"] == "organisation.turnover_worldwide_rmb"
    assert f.penalty["turnover_based_max_rmb"] == 100_000_000     # 5% of RMB 2bn
    assert "66" in f.penalty["article"]


# ========================================================================
# pipl.local-representative: PIPL Art. 53 (2021-11-01); NDSMR Art. 26 (2025-01-01)
# ========================================================================

class TestLocalRepresentative:
    ABROAD = {"incorporated_in": "US", "operates_in_mainland": False, "targets_mainland_individuals": True}

    def test_not_in_force_day_before_pipl(self):
        assert run(REP, D(2021, 10, 31), **self.ABROAD).status == "not_in_force"

    def test_pipl_version_on_2021_11_01(self):
        f = run(REP, D(2021, 11, 1), **self.ABROAD)
        assert f.status == "applies"
        assert f.citation["short"] == "PIPL" and f.citation["article"].startswith("53")

    def test_pipl_version_on_2024_12_31(self):
        assert run(REP, D(2024, 12, 31), **self.ABROAD).citation["short"] == "PIPL"

    def test_ndsmr_version_on_2025_01_01(self):
        f = run(REP, D(2025, 1, 1), **self.ABROAD)   # NDSMR Art. 64: in force 2025-01-01
        assert f.status == "applies"
        assert f.citation["short"] == "NDSMR" and f.citation["article"].startswith("26")
        assert "districted city" in f.standing_duty   # NDSMR Art. 26: report to the districted-city CAC

    def test_hong_kong_is_abroad(self):
        assert run(REP, D(2025, 6, 1), **{**self.ABROAD, "incorporated_in": "HK"}).status == "applies"

    def test_foreign_entity_operating_in_mainland_still_needs_one(self):
        # Art. 53 follows where the processor is established; a mainland affiliate may be designated.
        f = run(REP, D(2025, 6, 1), **{**self.ABROAD, "operates_in_mainland": True})
        assert f.status == "applies"

    def test_domestic_processor_does_not_need_one(self):
        f = run(REP, D(2025, 6, 1), incorporated_in="CN", targets_mainland_individuals=True)
        assert f.status == "does_not_apply"

    def test_not_targeting_mainland_individuals(self):
        f = run(REP, D(2025, 6, 1), **{**self.ABROAD, "targets_mainland_individuals": False})
        assert f.status == "does_not_apply"   # outside PIPL Art. 3 ¶2

    def test_no_incorporation_but_no_mainland_operations_is_abroad(self):
        f = run(REP, D(2025, 6, 1), **{**self.ABROAD, "incorporated_in": DROP})
        assert f.status == "applies"

    def test_unknown_incorporation_with_mainland_operations(self):
        f = run(REP, D(2025, 6, 1), **{**self.ABROAD, "incorporated_in": DROP, "operates_in_mainland": True})
        assert f.status == "unknown"
        assert "organisation.incorporated_in" in f.missing_facts

    def test_unknown_targeting_named(self):
        f = run(REP, D(2025, 6, 1), **{**self.ABROAD, "targets_mainland_individuals": DROP})
        assert f.status == "unknown"
        assert "organisation.targets_mainland_individuals" in f.missing_facts

    def test_compliance_record_decides_compliance_not_status(self):
        f = run(REP, D(2025, 6, 1), compliance=done(REP, "2022-01-10"), **self.ABROAD)
        assert f.status == "applies" and f.compliance == "satisfied"
        g = run(REP, D(2025, 6, 1), **self.ABROAD)
        assert g.status == "applies" and g.compliance == "open"   # standing duty, no date

    def test_penalty(self):
        assert_pipl_penalty(run(REP, D(2022, 6, 1), **self.ABROAD))
        assert_pipl_penalty(run(REP, D(2025, 6, 1), **self.ABROAD))


# ========================================================================
# pipl.impact-assessment: PIPL Arts. 55-56 (2021-11-01)
# ========================================================================

class TestImpactAssessment:

    def test_not_in_force_day_before(self):
        assert run(PIA, D(2021, 10, 31), automated_decision_making=True).status == "not_in_force"

    def test_in_force_2021_11_01(self):
        f = run(PIA, D(2021, 11, 1), automated_decision_making=True)
        assert f.status == "applies" and f.citation["article"] == "55, 56"

    @pytest.mark.parametrize("n, expected", [(0, "does_not_apply"), (1, "applies"), (2, "applies")])
    def test_any_sensitive_pi(self, n, expected):
        # Art. 55(1): processing sensitive PI at all; there is no threshold.
        assert run(PIA, D(2024, 1, 10), sensitive_pi_individuals=n).status == expected

    def test_automated_decision_making(self):
        assert run(PIA, D(2024, 1, 10), automated_decision_making=True).status == "applies"

    def test_none_of_the_triggers(self):
        assert run(PIA, D(2024, 1, 10)).status == "does_not_apply"

    @pytest.mark.parametrize("field", ["pi_individuals_since_previous_year",
                                       "sensitive_pi_individuals_since_previous_year"])
    def test_exports_since_previous_year(self, field):
        e = {"pi_individuals_current_year": 0, "sensitive_pi_individuals_current_year": 0,
             "pi_individuals_since_previous_year": 0, "sensitive_pi_individuals_since_previous_year": 0}
        e[field] = 1    # Art. 55(4): any export
        assert run(PIA, D(2024, 1, 10), exports=e).status == "applies"

    def test_current_year_export_shows_exports_when_window_unknown(self):
        f = run(PIA, D(2024, 1, 10), exports={"pi_individuals_current_year": 5})
        assert f.status == "applies"

    def test_exports_unknown_named(self):
        f = run(PIA, D(2024, 1, 10), exports=DROP)
        assert f.status == "unknown"
        assert "organisation.exports.pi_individuals_since_previous_year" in f.missing_facts

    def test_current_year_zero_does_not_rule_out_exports(self):
        # Current-year counts leave exempt transfers out, so zero there proves nothing.
        f = run(PIA, D(2024, 1, 10), exports={"pi_individuals_current_year": 0,
                                              "sensitive_pi_individuals_current_year": 0})
        assert f.status == "unknown"

    @pytest.mark.parametrize("includes_pi, expected", [(True, "applies"), (False, "does_not_apply")])
    def test_a_listed_transfer_of_pi_is_an_export(self, includes_pi, expected):
        # Art. 55(4): providing PI abroad; a transfer in the manifest's data map shows it without counts.
        doc = {"format": "hegui/1", "organisation": org(),
               "transfers": [{"id": "t", "includes_pi": includes_pi, "includes_sensitive_pi": False}]}
        f = next(x for x in assess(Manifest.model_validate(doc), D(2024, 1, 10)).findings
                 if x.obligation == PIA and x.subject == "organisation")
        assert f.status == expected

    def test_a_listed_transfer_of_sensitive_pi_is_sensitive_processing(self):
        # Art. 55(1): sensitive PI is processed when it is exported, whatever the organisation's own count says.
        doc = {"format": "hegui/1", "organisation": org(sensitive_pi_individuals=DROP),
               "transfers": [{"id": "t", "includes_pi": False, "includes_sensitive_pi": True}]}
        f = next(x for x in assess(Manifest.model_validate(doc), D(2024, 1, 10)).findings
                 if x.obligation == PIA and x.subject == "organisation")
        assert f.status == "applies"

    def test_unknown_sensitive_named(self):
        f = run(PIA, D(2024, 1, 10), sensitive_pi_individuals=DROP)
        assert f.status == "unknown" and "organisation.sensitive_pi_individuals" in f.missing_facts

    def test_true_limb_decides_despite_unknown(self):
        f = run(PIA, D(2024, 1, 10), sensitive_pi_individuals=DROP, automated_decision_making=True)
        assert f.status == "applies"

    def test_standing_duty_mentions_three_years(self):
        f = run(PIA, D(2024, 1, 10), automated_decision_making=True)
        assert "3 years" in f.standing_duty   # Art. 56: keep at least 3 years

    def test_penalty(self):
        assert_pipl_penalty(run(PIA, D(2024, 1, 10), automated_decision_making=True))


# ========================================================================
# pipl.pi-protection-officer: Audit Measures Art. 12 (2025-05-01); CAC announcement (2025-07-18)
# ========================================================================

class TestPIProtectionOfficer:

    def test_not_in_force_day_before_audit_measures(self):
        assert run(PIPO, D(2025, 4, 30), pi_individuals=5_000_000).status == "not_in_force"

    def test_audit_measures_version_on_2025_05_01(self):
        f = run(PIPO, D(2025, 5, 1), pi_individuals=5_000_000)
        assert f.status == "applies" and f.citation["article"].startswith("12")
        assert f.deadline is None   # no filing deadline before the announcement

    def test_audit_measures_version_on_2025_07_17(self):
        assert run(PIPO, D(2025, 7, 17), pi_individuals=5_000_000).citation["in_force"] == "2025-05-01"

    def test_announcement_version_on_2025_07_18(self):
        f = run(PIPO, D(2025, 7, 18), pi_individuals=5_000_000)
        assert f.citation["in_force"] == "2025-07-18"
        # The day 1,000,000 was reached is not given: 2025-08-29, the deadline of those already over it,
        # which is also the 30th working day after 2025-07-18, so no later arrival's deadline is earlier.
        assert f.deadline.date == D(2025, 8, 29)
        assert "30 working days" in f.standing_duty
        assert f.compliance == "open"

    def test_reached_the_day_before_the_announcement(self):
        f = run(PIPO, D(2025, 8, 1), pi_individuals=2_000_000, pi_individuals_1m_reached_on="2025-07-17")
        assert f.deadline.date == D(2025, 8, 29) and "before the announcement" in f.deadline.says

    def test_reached_on_the_day_of_the_announcement(self):
        # 自该公告发布之日起: from 2025-07-18 itself, 30 working days from the day it was reached.
        f = run(PIPO, D(2025, 8, 1), pi_individuals=2_000_000, pi_individuals_1m_reached_on="2025-07-18")
        assert f.deadline.date == D(2025, 8, 29) and "on or after" in f.deadline.says

    def test_reached_later_counts_thirty_working_days(self):
        # From Mon 2025-09-01: the National Day holiday (Oct 1-8) is not counted, the make-up working days
        # Sun Sep 28 and Sat Oct 11 are; the 30th working day is Fri 2025-10-17.
        f = run(PIPO, D(2025, 10, 17), pi_individuals=2_000_000, pi_individuals_1m_reached_on="2025-09-01")
        assert f.deadline.date == D(2025, 10, 17) and f.compliance == "open"
        g = run(PIPO, D(2025, 10, 20), pi_individuals=2_000_000, pi_individuals_1m_reached_on="2025-09-01")
        assert g.compliance == "overdue"

    def test_cited_as_a_whole_announcement(self):
        f = run(PIPO, D(2025, 8, 1), pi_individuals=2_000_000)
        assert f.citation["article"].startswith("whole text")

    @pytest.mark.parametrize("n, expected", [(999_999, "does_not_apply"), (1_000_000, "applies"),
                                             (1_000_001, "applies")])
    def test_threshold_includes_one_million(self, n, expected):
        assert run(PIPO, D(2025, 8, 1), pi_individuals=n).status == expected   # 100万人以上

    def test_overdue_after_2025_08_29(self):
        assert run(PIPO, D(2025, 8, 30), pi_individuals=2_000_000).compliance == "overdue"

    def test_reported_on_time(self):
        f = run(PIPO, D(2025, 9, 30), compliance=done(PIPO, "2025-08-20"), pi_individuals=2_000_000)
        assert f.status == "applies" and f.compliance == "satisfied"

    def test_unknown_count_named(self):
        f = run(PIPO, D(2025, 8, 1), pi_individuals=DROP)
        assert f.status == "unknown" and f.missing_facts == ["organisation.pi_individuals"]

    def test_penalty(self):
        assert_pipl_penalty(run(PIPO, D(2025, 8, 1), pi_individuals=2_000_000))


# ========================================================================
# pipl.compliance-audit: Audit Measures Art. 4 (2025-05-01)
# ========================================================================

class TestComplianceAudit:

    def test_not_in_force_day_before(self):
        assert run(AUDIT, D(2025, 4, 30), pi_individuals=20_000_000).status == "not_in_force"

    def test_in_force_on_2025_05_01(self):
        f = run(AUDIT, D(2025, 5, 1), pi_individuals=20_000_000)
        assert f.status == "applies" and f.citation["article"].startswith("4")

    @pytest.mark.parametrize("n, expected", [(9_999_999, "does_not_apply"), (10_000_000, "does_not_apply"),
                                             (10_000_001, "applies")])
    def test_threshold_excludes_ten_million(self, n, expected):
        assert run(AUDIT, D(2025, 6, 1), pi_individuals=n).status == expected   # 超过1000万人

    def test_first_cycle_two_years_from_entry_into_force(self):
        f = run(AUDIT, D(2025, 6, 1), pi_individuals=20_000_000)
        # 2027-05-01 is a Saturday: the period ends on the next working day (Civil Code Art. 203);
        # the 2027 holiday schedule is not yet published, so at least Monday 2027-05-03.
        assert f.deadline.recurring
        assert f.deadline.date >= D(2027, 5, 3) and f.deadline.date.weekday() < 5
        assert f.compliance == "open"

    def test_next_due_two_years_after_last_audit(self):
        f = run(AUDIT, D(2026, 3, 1), compliance=done(AUDIT, "2025-11-10"), pi_individuals=20_000_000)
        assert f.deadline.date == D(2027, 11, 10)   # a Wednesday
        assert f.compliance == "satisfied"

    def test_overdue_when_last_audit_more_than_two_years_ago(self):
        f = run(AUDIT, D(2028, 1, 10), compliance=done(AUDIT, "2025-11-10"), pi_individuals=20_000_000)
        assert f.compliance == "overdue"

    def test_unknown_count_named(self):
        f = run(AUDIT, D(2025, 6, 1), pi_individuals=DROP)
        assert f.status == "unknown" and "organisation.pi_individuals" in f.missing_facts

    def test_state_organs_and_public_affairs_bodies_are_outside_the_measures(self):
        # Art. 19: audits of state organs and bodies authorised by law or regulation to administer public affairs.
        assert run(AUDIT, D(2025, 6, 1), pi_individuals=20_000_000, public_body=True).status == "does_not_apply"

    def test_public_body_unknown_named(self):
        f = run(AUDIT, D(2025, 6, 1), pi_individuals=20_000_000, public_body=DROP)
        assert f.status == "unknown" and f.missing_facts == ["organisation.public_body"]

    def test_a_unit_affiliated_to_a_state_organ_is_not_exempt_by_that_alone(self):
        # state_organ is the Incident Measures' class (organs and directly affiliated units), not Art. 19's.
        f = run(AUDIT, D(2025, 6, 1), pi_individuals=20_000_000, state_organ=True, public_body=False)
        assert f.status == "applies"

    def test_penalty(self):
        assert_pipl_penalty(run(AUDIT, D(2025, 6, 1), pi_individuals=20_000_000))


# ========================================================================
# pipl.large-platform-duties: NDSMR Arts. 44, 62(8) (2025-01-01)
# ========================================================================

class TestLargePlatform:
    BIG = {"registered_users": 60_000_000, "monthly_active_users": 0,
           "complex_business_and_significant_impact": True}
    # PIPL Art. 58: important internet platform services, a huge number of users, complex business; no numbers.
    ART58 = {"network_platform_operator": True, "complex_business_and_significant_impact": True,
             "huge_user_base": True}

    def test_not_in_force_before_pipl(self):
        assert run(PLATFORM, D(2021, 10, 31), **self.ART58).status == "not_in_force"

    def test_pipl_version_on_2021_11_01(self):
        f = run(PLATFORM, D(2021, 11, 1), **self.ART58)
        assert f.status == "applies" and f.citation["short"] == "PIPL" and f.citation["article"] == "58"
        assert f.deadline is None   # 定期: regularly, no frequency before the NDSMR
        assert "regular" in f.standing_duty
        assert_pipl_penalty(f)

    def test_pipl_version_on_2024_12_31(self):
        assert run(PLATFORM, D(2024, 12, 31), **self.ART58).citation["short"] == "PIPL"

    @pytest.mark.parametrize("fact", ["network_platform_operator", "complex_business_and_significant_impact",
                                      "huge_user_base"])
    def test_pipl_version_needs_every_limb(self, fact):
        assert run(PLATFORM, D(2023, 6, 1), **{**self.ART58, fact: False}).status == "does_not_apply"

    def test_pipl_version_huge_users_unknown_named(self):
        # Before 2025 no rule gives numbers, so a large user count alone cannot decide it.
        f = run(PLATFORM, D(2023, 6, 1), **{**self.ART58, "huge_user_base": DROP, "registered_users": 60_000_000})
        assert f.status == "unknown" and f.missing_facts == ["organisation.huge_user_base"]

    def test_in_force_on_2025_01_01(self):
        f = run(PLATFORM, D(2025, 1, 1), **self.BIG)
        assert f.status == "applies" and f.citation["short"] == "NDSMR"

    @pytest.mark.parametrize("n, expected", [(49_999_999, "does_not_apply"), (50_000_000, "applies"),
                                             (50_000_001, "applies")])
    def test_registered_users(self, n, expected):
        f = run(PLATFORM, D(2025, 6, 1), **{**self.BIG, "registered_users": n})
        assert f.status == expected   # 注册用户5000万以上

    @pytest.mark.parametrize("n, expected", [(9_999_999, "does_not_apply"), (10_000_000, "applies"),
                                             (10_000_001, "applies")])
    def test_monthly_active_users(self, n, expected):
        f = run(PLATFORM, D(2025, 6, 1), **{**self.BIG, "registered_users": 0, "monthly_active_users": n})
        assert f.status == expected   # 月活跃用户1000万以上

    def test_qualitative_limbs_needed(self):
        f = run(PLATFORM, D(2025, 6, 1), **{**self.BIG, "complex_business_and_significant_impact": False})
        assert f.status == "does_not_apply"

    def test_qualitative_limbs_unknown_named(self):
        f = run(PLATFORM, D(2025, 6, 1), **{**self.BIG, "complex_business_and_significant_impact": DROP})
        assert f.status == "unknown"
        assert "organisation.complex_business_and_significant_impact" in f.missing_facts

    def test_yearly_report_due_by_year_end(self):
        f = run(PLATFORM, D(2025, 6, 1), **self.BIG)
        assert f.deadline.recurring and f.deadline.date == D(2025, 12, 31)
        assert f.compliance == "open"

    def test_report_this_year_covers_it(self):
        f = run(PLATFORM, D(2025, 12, 1), compliance=done(PLATFORM, "2025-06-30"), **self.BIG)
        assert f.compliance == "satisfied"

    def test_last_years_report_does_not_cover_this_year(self):
        f = run(PLATFORM, D(2026, 2, 1), compliance=done(PLATFORM, "2025-06-30"), **self.BIG)
        assert f.deadline.date == D(2026, 12, 31) and f.compliance == "open"

    def test_penalty(self):
        assert_pipl_penalty(run(PLATFORM, D(2025, 6, 1), **self.BIG))


# ========================================================================
# ndsmr.data-security-officer: NDSMR Arts. 28, 30 (2025-01-01)
# ========================================================================

class TestDataSecurityOfficer:

    def test_not_in_force_day_before(self):
        assert run(DSO, D(2024, 12, 31), processes_important_data=True).status == "not_in_force"

    def test_important_data_on_2025_01_01(self):
        f = run(DSO, D(2025, 1, 1), processes_important_data=True)
        assert f.status == "applies" and f.citation["article"] == "28, 30"

    @pytest.mark.parametrize("n, expected", [(9_999_999, "does_not_apply"), (10_000_000, "applies"),
                                             (10_000_001, "applies")])
    def test_large_pi_processor(self, n, expected):
        assert run(DSO, D(2025, 6, 1), pi_individuals=n).status == expected   # 1000万人以上 (Art. 28)

    def test_unknown_named(self):
        f = run(DSO, D(2025, 6, 1), processes_important_data=DROP)
        assert f.status == "unknown" and "organisation.processes_important_data" in f.missing_facts

    def test_important_data_decides_despite_unknown_count(self):
        assert run(DSO, D(2025, 6, 1), processes_important_data=True, pi_individuals=DROP).status == "applies"

    def test_compliance_record(self):
        f = run(DSO, D(2025, 6, 1), compliance=done(DSO, "2025-02-01"), processes_important_data=True)
        assert f.status == "applies" and f.compliance == "satisfied"

    def test_penalty(self):
        f = run(DSO, D(2025, 6, 1), processes_important_data=True)
        assert f.penalty["max_rmb"] == 2_000_000   # NDSMR Art. 57 / DSL Art. 45: up to RMB 2M

    def test_responsible_persons_in_two_tiers(self):
        # Art. 57: persons RMB 10,000-100,000 with the first tier, RMB 50,000-200,000 with the second.
        says = run(DSO, D(2025, 6, 1), processes_important_data=True).penalty["says"]
        assert "RMB 10,000-100,000" in says and "RMB 50,000-200,000" in says
        assert "10,000-200,000" not in says


# ========================================================================
# ndsmr.annual-risk-assessment: NDSMR Art. 33 (2025-01-01)
# ========================================================================

class TestAnnualRiskAssessment:

    def test_not_in_force_day_before(self):
        assert run(RISK, D(2024, 12, 31), processes_important_data=True).status == "not_in_force"

    def test_in_force_on_2025_01_01(self):
        f = run(RISK, D(2025, 1, 1), processes_important_data=True)
        assert f.status == "applies" and f.citation["article"].startswith("33")

    def test_large_pi_processor_alone_is_not_caught(self):
        # Art. 28 extends Arts. 30 and 32 only, not Art. 33.
        assert run(RISK, D(2025, 6, 1), pi_individuals=50_000_000).status == "does_not_apply"

    def test_unknown_named(self):
        f = run(RISK, D(2025, 6, 1), processes_important_data=DROP)
        assert f.status == "unknown" and f.missing_facts == ["organisation.processes_important_data"]

    def test_due_each_calendar_year(self):
        f = run(RISK, D(2025, 3, 1), processes_important_data=True)
        assert f.deadline.date == D(2025, 12, 31) and f.compliance == "open"

    def test_assessment_this_year_covers_it(self):
        f = run(RISK, D(2025, 11, 1), compliance=done(RISK, "2025-04-15"), processes_important_data=True)
        assert f.compliance == "satisfied"

    def test_next_year_due_again(self):
        f = run(RISK, D(2026, 1, 1), compliance=done(RISK, "2025-04-15"), processes_important_data=True)
        assert f.deadline.date == D(2026, 12, 31) and f.compliance == "open"

    def test_penalty(self):
        f = run(RISK, D(2025, 6, 1), processes_important_data=True)
        assert f.penalty["max_rmb"] == 2_000_000 and "45" in f.penalty["article"]   # DSL Art. 45 ¶1
        # DSL Art. 45 ¶1: persons RMB 10,000-100,000, then RMB 50,000-200,000.
        assert "10,000-200,000" not in f.penalty["says"] and "RMB 50,000-200,000" in f.penalty["says"]


# ========================================================================
# incident.reporting: Incident Reporting Measures Art. 4 (2025-11-01)
# ========================================================================

class TestIncidentReporting:

    def test_not_in_force_day_before(self):
        assert run(INCIDENT, D(2025, 10, 31)).status == "not_in_force"

    def test_in_force_on_2025_11_01(self):
        f = run(INCIDENT, D(2025, 11, 1))
        assert f.status == "applies" and f.citation["short"] == "Incident Reporting Measures"

    def test_other_operator_four_hours(self):
        assert "4 hours" in run(INCIDENT, D(2025, 11, 1)).standing_duty

    def test_state_organ_two_hours(self):
        assert "2 hours" in run(INCIDENT, D(2025, 11, 1), state_organ=True).standing_duty

    def test_ciio_one_hour(self):
        assert "1 hour" in run(INCIDENT, D(2025, 11, 1), ciio=True).standing_duty

    def test_unknown_ciio_is_named_in_the_duty(self):
        f = run(INCIDENT, D(2025, 11, 1), ciio=DROP)
        assert f.status == "applies" and "organisation.ciio" in standing_text(f)

    def test_no_mainland_operations(self):
        f = run(INCIDENT, D(2025, 11, 1), operates_in_mainland=False)
        assert f.status == "does_not_apply"

    def test_unknown_operations_named(self):
        f = run(INCIDENT, D(2025, 11, 1), operates_in_mainland=DROP)
        assert f.status == "unknown" and f.missing_facts == ["organisation.operates_in_mainland"]

    def test_penalty_before_csl_amendment_for_a_ciio(self):
        f = run(INCIDENT, D(2025, 12, 31), ciio=True)
        assert f.penalty["max_rmb"] == 1_000_000 and "CII Regulations Art. 40" in f.penalty["article"]

    def test_penalty_before_csl_amendment_for_other_operators(self):
        # CII Regs Art. 40 fines CII operators only; others: CSL Art. 59 ¶1, RMB 10,000-100,000.
        f = run(INCIDENT, D(2025, 11, 1))
        assert f.penalty["max_rmb"] == 100_000 and "59" in f.penalty["article"]

    def test_penalty_before_csl_amendment_ciio_unknown(self):
        f = run(INCIDENT, D(2025, 11, 1), ciio=DROP)
        assert f.penalty["max_rmb"] == 1_000_000 and "needs organisation.ciio" in penalty_shown(f.penalty)["says"]

    def test_penalty_from_csl_amendment(self):
        f = run(INCIDENT, D(2026, 1, 1))
        assert f.citation["in_force"] == "2026-01-01"
        assert f.penalty["max_rmb"] == 10_000_000   # CSL Art. 61 ¶3 especially serious: up to RMB 10M

    # Art. 4: the window runs from discovery; the manifest holds the day, not the hour (Civil Code
    # Art. 201 ¶2: an hour period runs from the moment), so the deadline is the last day it can end,
    # the day after discovery, and it does not move off a weekend.
    FRIDAY = "2025-11-07"

    @pytest.mark.parametrize("grade", ["relatively_major", "major", "especially_major"])
    def test_graded_relatively_major_or_above_four_hours(self, grade):
        f = run(INCIDENT, D(2025, 11, 7), incident={"discovered_on": self.FRIDAY, "grade": grade})
        assert f.deadline.date == D(2025, 11, 8) and "4 hours" in f.deadline.says
        assert "not the hour" in basis_text(f.deadline)

    def test_general_incident_has_no_window(self):
        f = run(INCIDENT, D(2025, 11, 7), incident={"discovered_on": self.FRIDAY, "grade": "general"})
        assert f.status == "applies" and f.deadline is None

    def test_no_incident_no_window(self):
        assert run(INCIDENT, D(2025, 11, 7)).deadline is None

    def test_ciio_incident_touching_cii_one_hour(self):
        f = run(INCIDENT, D(2025, 11, 7), ciio=True,
                incident={"discovered_on": self.FRIDAY, "grade": "major", "involves_cii": True})
        assert f.deadline.date == D(2025, 11, 8) and "1 hour" in f.deadline.says

    def test_ciio_incident_outside_its_cii_four_hours(self):
        f = run(INCIDENT, D(2025, 11, 7), ciio=True,
                incident={"discovered_on": self.FRIDAY, "grade": "major", "involves_cii": False})
        assert "4 hours" in f.deadline.says

    def test_state_organ_two_hours_deadline(self):
        f = run(INCIDENT, D(2026, 2, 2), state_organ=True,
                incident={"discovered_on": "2026-02-02", "grade": "relatively_major"})
        assert f.deadline.date == D(2026, 2, 3) and "2 hours" in f.deadline.says

    def test_grade_unknown_named(self):
        f = run(INCIDENT, D(2025, 11, 7), incident={"discovered_on": self.FRIDAY})
        assert f.deadline.date is None and "organisation.incident.grade" in basis_text(f.deadline)

    def test_ciio_without_involves_cii_named(self):
        f = run(INCIDENT, D(2025, 11, 7), ciio=True, incident={"discovered_on": self.FRIDAY, "grade": "major"})
        assert f.deadline.date is None and "organisation.incident.involves_cii" in basis_text(f.deadline)

    def test_overdue_after_the_last_possible_day(self):
        incident = {"discovered_on": self.FRIDAY, "grade": "major"}
        assert run(INCIDENT, D(2025, 11, 8), incident=incident).compliance == "open"
        assert run(INCIDENT, D(2025, 11, 9), incident=incident).compliance == "overdue"
        reported = done(INCIDENT, self.FRIDAY)
        assert run(INCIDENT, D(2025, 11, 9), compliance=reported, incident=incident).compliance == "satisfied"


# ========================================================================
# cii.annual-security-assessment: CSL Art. 38 (2017); CII Regs Art. 17 (2021); CSL Art. 40 (2026)
# ========================================================================

class TestCIIAnnualAssessment:

    def test_not_in_force_before_csl(self):
        assert run(CII_ASSESS, D(2017, 5, 31), ciio=True).status == "not_in_force"

    def test_csl_version_on_2017_06_01(self):
        f = run(CII_ASSESS, D(2017, 6, 1), ciio=True)
        assert f.status == "applies" and f.citation["short"] == "CSL" and f.citation["article"] == "38"
        assert f.penalty["max_rmb"] == 1_000_000   # CSL Art. 59 ¶2

    def test_csl_version_on_2021_08_31(self):
        assert run(CII_ASSESS, D(2021, 8, 31), ciio=True).citation["short"] == "CSL"

    def test_cii_regulations_version_on_2021_09_01(self):
        f = run(CII_ASSESS, D(2021, 9, 1), ciio=True)
        assert f.citation["short"] == "CII Regulations" and f.citation["article"].startswith("17")
        assert f.penalty["max_rmb"] == 1_000_000   # CII Regs Art. 39(8)

    def test_cii_regulations_version_on_2025_12_31(self):
        assert run(CII_ASSESS, D(2025, 12, 31), ciio=True).citation["short"] == "CII Regulations"

    def test_amended_csl_version_on_2026_01_01(self):
        f = run(CII_ASSESS, D(2026, 1, 1), ciio=True)
        assert f.citation["short"] == "CSL (2025 amendment)" and f.citation["article"].startswith("40")
        assert f.penalty["max_rmb"] == 10_000_000   # CSL Art. 61 ¶3

    def test_not_a_ciio(self):
        assert run(CII_ASSESS, D(2024, 6, 1)).status == "does_not_apply"

    def test_unknown_ciio_named(self):
        f = run(CII_ASSESS, D(2024, 6, 1), ciio=DROP)
        assert f.status == "unknown" and f.missing_facts == ["organisation.ciio"]

    def test_once_each_year(self):
        f = run(CII_ASSESS, D(2024, 6, 1), ciio=True)
        assert f.deadline.recurring and f.deadline.date == D(2024, 12, 31) and f.compliance == "open"

    def test_covered_by_this_years_assessment(self):
        f = run(CII_ASSESS, D(2024, 6, 1), compliance=done(CII_ASSESS, "2024-02-01"), ciio=True)
        assert f.compliance == "satisfied"

    def test_last_years_assessment_not_enough(self):
        f = run(CII_ASSESS, D(2024, 6, 1), compliance=done(CII_ASSESS, "2023-12-30"), ciio=True)
        assert f.compliance == "open"


# ========================================================================
# cii.security-management-body: CSL Art. 34(1) (2017-06-01); CII Regs Arts. 14-15 (2021-09-01); CSL Art. 36 penalties (2026-01-01)
# ========================================================================

class TestCIISecurityBody:

    def test_csl_art_34_1_from_2017_06_01(self):
        # CSL 2016 Art. 34(1) (设置专门安全管理机构和安全管理负责人) bound CIIOs before the Regulations did.
        assert run(CII_BODY, D(2017, 5, 31), ciio=True).status == "not_in_force"
        f = run(CII_BODY, D(2017, 6, 1), ciio=True)
        assert f.status == "applies" and (f.citation["short"], f.citation["article"]) == ("CSL", "34(1)")
        assert f.penalty["max_rmb"] == 1_000_000   # CSL Art. 59 ¶2

    def test_day_before_the_regulations_cites_the_csl(self):
        f = run(CII_BODY, D(2021, 8, 31), ciio=True)
        assert f.status == "applies" and f.citation["short"] == "CSL"

    def test_in_force_on_2021_09_01(self):
        f = run(CII_BODY, D(2021, 9, 1), ciio=True)
        assert f.status == "applies" and f.citation["article"] == "14, 15"
        assert f.penalty["max_rmb"] == 1_000_000   # CII Regs Art. 39(4)

    def test_amended_csl_penalty_from_2026_01_01(self):
        assert run(CII_BODY, D(2025, 12, 31), ciio=True).citation["short"] == "CII Regulations"
        f = run(CII_BODY, D(2026, 1, 1), ciio=True)
        assert f.citation["in_force"] == "2026-01-01" and f.penalty["max_rmb"] == 10_000_000

    def test_not_a_ciio(self):
        assert run(CII_BODY, D(2024, 6, 1)).status == "does_not_apply"

    def test_unknown_ciio_named(self):
        f = run(CII_BODY, D(2024, 6, 1), ciio=DROP)
        assert f.status == "unknown" and f.missing_facts == ["organisation.ciio"]

    def test_compliance_record(self):
        f = run(CII_BODY, D(2024, 6, 1), compliance=done(CII_BODY, "2021-10-01"), ciio=True)
        assert f.status == "applies" and f.compliance == "satisfied"


BREACH = "pipl.breach-notice"
ORDERED = "pipl.ordered-compliance-audit"
RECTIFY = "pipl.audit-rectification-report"
VULN = "ndsmr.vulnerability-remediation"
DATA_INCIDENT = "ndsmr.incident-notice"
IDENTIFY = "ndsmr.important-data-identification"
PI_RULES = "ndsmr.pi-processing-rules"
CONSENT = "ndsmr.consent-rules"
ABROAD = {"incorporated_in": "US", "operates_in_mainland": False, "targets_mainland_individuals": True}


# ========================================================================
# pipl.breach-notice: PIPL Art. 57 (2021-11-01)
# ========================================================================

class TestBreachNotice:
    LEAK = {"discovered_on": "2024-03-04", "pi_compromised": True}

    def test_not_in_force_day_before(self):
        assert run(BREACH, D(2021, 10, 31)).status == "not_in_force"

    def test_in_force_on_2021_11_01(self):
        f = run(BREACH, D(2021, 11, 1))
        assert f.status == "applies" and f.citation["short"] == "PIPL" and f.citation["article"] == "57"

    @pytest.mark.parametrize("n, expected", [(0, "does_not_apply"), (1, "applies"), (2, "applies")])
    def test_any_processor_of_pi(self, n, expected):
        # Art. 57 reaches every PI processor; no threshold.
        assert run(BREACH, D(2024, 3, 4), pi_individuals=n).status == expected

    def test_a_recorded_leak_decides_it(self):
        f = run(BREACH, D(2024, 3, 4), pi_individuals=0, incident=self.LEAK)
        assert f.status == "applies" and "recorded incident" in f.standing_duty

    def test_without_a_leak_the_standing_duty(self):
        f = run(BREACH, D(2024, 3, 4), incident={**self.LEAK, "pi_compromised": False})
        assert f.status == "applies" and "recorded incident" not in f.standing_duty
        assert "authority" in f.standing_duty and "individuals" in f.standing_duty

    def test_immediately_has_no_date(self):
        # 立即: the law sets no hour or day count.
        f = run(BREACH, D(2024, 3, 4), incident=self.LEAK)
        assert f.deadline is None and f.compliance == "open"

    def test_unknown_named(self):
        f = run(BREACH, D(2024, 3, 4), pi_individuals=DROP)
        assert f.status == "unknown" and "organisation.pi_individuals" in f.missing_facts

    def test_penalty(self):
        assert_pipl_penalty(run(BREACH, D(2024, 3, 4), incident=self.LEAK))


# ========================================================================
# pipl.ordered-compliance-audit: PIPL Art. 64 ¶1 (2021-11-01); Audit Measures Arts. 5, 8-10 (2025-05-01)
# pipl.audit-rectification-report: Audit Measures Art. 11 (2025-05-01)
# ========================================================================

class TestOrderedAudit:

    def test_not_in_force_before_pipl(self):
        assert run(ORDERED, D(2021, 10, 31), compliance_audit_ordered=True).status == "not_in_force"

    def test_pipl_version_on_2021_11_01(self):
        f = run(ORDERED, D(2021, 11, 1), compliance_audit_ordered=True)
        assert f.status == "applies" and f.citation["short"] == "PIPL" and f.citation["article"] == "64 ¶1"

    def test_measures_version_on_2025_05_01(self):
        assert run(ORDERED, D(2025, 4, 30), compliance_audit_ordered=True).citation["short"] == "PIPL"
        f = run(ORDERED, D(2025, 5, 1), compliance_audit_ordered=True)
        assert f.citation["short"] == "PI Compliance Audit Measures" and f.citation["article"].startswith("5")
        assert f.deadline is None   # Art. 9: the time the authority sets
        assert "Art. 10" in f.standing_duty

    def test_not_ordered(self):
        assert run(ORDERED, D(2025, 6, 1), compliance_audit_ordered=False).status == "does_not_apply"

    def test_an_incident_alone_does_not_order_it(self):
        # Art. 5(3): an incident of 1,000,000 individuals' PI lets the authority require an audit; it is its choice.
        f = run(ORDERED, D(2025, 6, 1), compliance_audit_ordered=DROP, pi_individuals=20_000_000,
                incident={"discovered_on": "2025-06-01", "pi_compromised": True, "grade": "relatively_major"})
        assert f.status == "unknown" and f.missing_facts == ["organisation.compliance_audit_ordered"]

    def test_public_body_keeps_the_pipl_duty(self):
        # Art. 19 takes public bodies out of the Measures, not out of PIPL Art. 64.
        f = run(ORDERED, D(2025, 6, 1), compliance_audit_ordered=True, public_body=True)
        assert f.status == "applies" and "Art. 64" in f.standing_duty and "Art. 19" in f.standing_duty

    def test_penalty(self):
        assert_pipl_penalty(run(ORDERED, D(2025, 6, 1), compliance_audit_ordered=True))


class TestRectificationReport:
    # Fri 2025-09-26: Sun Sep 28 and Sat Oct 11 are make-up working days, Oct 1-8 the National Day holiday;
    # the 15th working day after it is Thu 2025-10-23.
    DONE = "2025-09-26"

    def test_not_in_force_day_before(self):
        assert run(RECTIFY, D(2025, 4, 30), compliance_audit_ordered=True).status == "not_in_force"

    def test_in_force_on_2025_05_01(self):
        f = run(RECTIFY, D(2025, 5, 1), compliance_audit_ordered=True)
        assert f.status == "applies" and f.citation["article"] == "11"

    def test_fifteen_working_days_after_rectification(self):
        f = run(RECTIFY, D(2025, 10, 23), compliance_audit_ordered=True, audit_rectification_completed_on=self.DONE)
        assert f.deadline.date == D(2025, 10, 23) and f.compliance == "open"
        g = run(RECTIFY, D(2025, 10, 24), compliance_audit_ordered=True, audit_rectification_completed_on=self.DONE)
        assert g.compliance == "overdue"

    def test_reported(self):
        f = run(RECTIFY, D(2025, 11, 1), compliance=done(RECTIFY, "2025-10-20"), compliance_audit_ordered=True,
                audit_rectification_completed_on=self.DONE)
        assert f.compliance == "satisfied"

    def test_completion_day_unknown_named(self):
        f = run(RECTIFY, D(2025, 10, 1), compliance_audit_ordered=True)
        assert f.deadline.date is None and "organisation.audit_rectification_completed_on" in basis_text(f.deadline)

    def test_only_after_an_audit_the_authority_required(self):
        assert run(RECTIFY, D(2025, 10, 1), compliance_audit_ordered=False).status == "does_not_apply"

    def test_public_body_outside_the_measures(self):
        f = run(RECTIFY, D(2025, 10, 1), compliance_audit_ordered=True, public_body=True)
        assert f.status == "does_not_apply"   # Art. 19

    def test_penalty(self):
        assert_pipl_penalty(run(RECTIFY, D(2025, 10, 1), compliance_audit_ordered=True))


# ========================================================================
# NDSMR Arts. 10, 11, 21-25, 29 ¶2 (2025-01-01)
# ========================================================================

NDSMR_DUTIES = [VULN, DATA_INCIDENT, IDENTIFY, PI_RULES, CONSENT]


class TestNDSMRProcessorDuties:

    @pytest.mark.parametrize("obligation", NDSMR_DUTIES)
    def test_not_in_force_day_before(self, obligation):
        assert run(obligation, D(2024, 12, 31)).status == "not_in_force"

    @pytest.mark.parametrize("obligation", NDSMR_DUTIES)
    def test_in_force_on_2025_01_01(self, obligation):
        f = run(obligation, D(2025, 1, 1))
        assert f.status == "applies" and f.citation["short"] == "NDSMR"

    @pytest.mark.parametrize("obligation", NDSMR_DUTIES)
    def test_processing_abroad_of_mainland_individuals_pi(self, obligation):
        # Art. 2 ¶2: caught by PIPL Art. 3 ¶2.
        assert run(obligation, D(2025, 6, 1), **ABROAD).status == "applies"

    @pytest.mark.parametrize("obligation", NDSMR_DUTIES)
    def test_outside_the_regulations(self, obligation):
        f = run(obligation, D(2025, 6, 1), **{**ABROAD, "targets_mainland_individuals": False})
        assert f.status == "does_not_apply"

    @pytest.mark.parametrize("obligation", NDSMR_DUTIES)
    def test_unknown_scope_named(self, obligation):
        f = run(obligation, D(2025, 6, 1), operates_in_mainland=DROP, targets_mainland_individuals=DROP)
        assert f.status == "unknown" and "organisation.operates_in_mainland" in f.missing_facts

    def test_vulnerability_24_hours(self):
        f = run(VULN, D(2025, 6, 1))
        assert f.citation["article"] == "10" and "24 hours" in f.standing_duty
        assert f.penalty["max_rmb"] == 2_000_000 and "DSL Art. 45" in f.penalty["article"]   # via Art. 58

    def test_incident_harming_others_notified(self):
        f = run(DATA_INCIDENT, D(2025, 6, 1), incident={"discovered_on": "2025-06-01", "harms_others": True})
        assert "recorded incident harms" in f.standing_duty and "(¶2)" in f.standing_duty
        g = run(DATA_INCIDENT, D(2025, 6, 1))
        assert "incident plan" in g.standing_duty and "recorded" not in g.standing_duty
        assert g.penalty["max_rmb"] == 2_000_000   # DSL Art. 45 ¶1 via Art. 58

    def test_identify_important_data_binds_every_processor(self):
        # Art. 29 ¶2: 网络数据处理者应当…识别、申报重要数据 — not only holders of notified important data.
        f = run(IDENTIFY, D(2025, 6, 1), processes_important_data=False)
        assert f.status == "applies" and f.citation["article"] == "29 ¶2"
        assert f.penalty["max_rmb"] == 2_000_000 and f.penalty["article"] == "57"

    @pytest.mark.parametrize("obligation", [PI_RULES, CONSENT])
    @pytest.mark.parametrize("n, expected", [(0, "does_not_apply"), (1, "applies"), (2, "applies")])
    def test_pi_duties_for_any_pi(self, obligation, n, expected):
        assert run(obligation, D(2025, 6, 1), pi_individuals=n).status == expected

    def test_pi_count_unknown_named(self):
        f = run(PI_RULES, D(2025, 6, 1), pi_individuals=DROP)
        assert f.status == "unknown" and f.missing_facts == ["organisation.pi_individuals"]

    def test_dedicated_rules_for_children(self):
        # Art. 21 ¶2: dedicated rules for children under 14; minors_pi (under 18) shows they may be needed.
        assert "under 14" in run(PI_RULES, D(2025, 6, 1), minors_pi=True).standing_duty
        assert "under 14" not in run(PI_RULES, D(2025, 6, 1), minors_pi=False).standing_duty

    def test_pi_rules_penalty_via_pipl(self):
        assert_pipl_penalty(run(PI_RULES, D(2025, 6, 1)))   # Art. 58: no fine of its own for Arts. 21, 23-25

    def test_consent_penalty_article_55(self):
        f = run(CONSENT, D(2025, 6, 1))
        assert f.penalty["max_rmb"] == 1_000_000 and f.penalty["article"] == "55"
        assert "separate consent" in f.standing_duty


# ========================================================================
# How `hegui rules` names an instrument without article numbers
# ========================================================================

def test_rules_view_cites_the_announcement_as_a_whole():
    from hegui.report.text_report import console, rules_rows, rules_view
    from hegui.rulebook import default_rulebook

    rulebook = default_rulebook()
    out = console()
    with out.capture() as captured:
        out.print(rules_view(rules_rows(rulebook, None, "PIPO Announcement"), rulebook, None))
    text = " ".join(captured.get().split())
    assert "CAC PIPO Announcement 2025, whole text" in text
    assert "Art. whole" not in text and "Art. Announcement" not in text
