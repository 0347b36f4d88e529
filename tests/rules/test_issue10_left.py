"""Issue 10, the items left: blockchain deregistration, the FHC licence deadline and small PI processors.

Sources (expected values from these, not from the code):
- sector.md §9, Blockchain Information Services Provisions (CAC Order No. 3, in force 2019-02-15)
  Art. 11 para. 3: a provider that ends its service deregisters 30 working days before it ends
  (终止服务三十个工作日前办理注销手续) [H];
- addendum-2026-11.md §10.1 and the CAC draft of 2026-04-03 (Art. 2, as reported by Han Kun and
  others) with a People's Daily summary of the final text: the Small PI Processors Measures (CAC-MPS
  Order No. 25, in force 2026-09-01) define a small processor as one handling the PI of fewer than
  100,000 individuals (不满10万人: 100,000 itself is not small) [M; final text not read];
- the holiday notices of the State Council General Office for 2025 (National Day and Mid-autumn
  10-01 to 10-08 off, Sun 09-28 and Sat 10-11 worked) and 2019 (Spring Festival 02-04 to 02-10 off,
  Sat 02-02 and Sun 02-03 worked).
"Before" periods mirror Civil Code Art. 201: the day of the event is not counted, and the last day
to act is the N-th working day counted back from the day before it.
"""

from __future__ import annotations

import datetime

import pytest

from hegui.engine import assess
from hegui.manifest.model import Manifest
from hegui.report.notices import texts
from hegui.report.deadlines import basis_text

from builders import DROP, merge

D = datetime.date

BC_DEREG = "blockchain.filing-deregistration"
SERVICE = "service:svc"
ORG = "organisation"

BASE = {"id": "svc", "kind": "app", "commercial": True, "public_facing": True, "launched_on": "2019-06-03",
        "blockchain_information_service": True}
ORGANISATION = {"name": "X", "operates_in_mainland": True}


def run(obligation: str, as_of: datetime.date, svc: dict | None = None, org: dict | None = None,
        compliance: list | None = None, subject: str = SERVICE):
    doc = {"format": "hegui/1", "organisation": org or ORGANISATION, "services": [svc or BASE]}
    if compliance:
        doc["compliance"] = compliance
    a = assess(Manifest.model_validate(doc), as_of)
    return next(f for f in a.findings if f.obligation == obligation and f.subject == subject)


def service(**changes) -> dict:
    return merge(BASE, changes)


def record(obligation: str, done_on: str, subject: str = SERVICE) -> list:
    return [{"obligation": obligation, "subject": subject, "done_on": done_on}]


# ========================================================================
# Blockchain Provisions Art. 11 para. 3: deregister 30 working days before the service ends
# ========================================================================

# Ends Mon 2025-11-10. Counted back: 11-07..11-03 (5), 10-31..10-27 (10), 10-24..10-20 (15),
# 10-17..10-13 (20), Sat 10-11 worked (21), 10-10 (22), 10-09 (23); 10-08..10-01 off; 09-30 (24),
# 09-29 (25), Sun 09-28 worked (26), 09-26 (27), 09-25 (28), 09-24 (29), Tue 09-23 (30).
ENDS = "2025-11-10"
LAST_DAY = D(2025, 9, 23)


class TestBlockchainDeregistration:

    def test_not_in_force_day_before(self):
        assert run(BC_DEREG, D(2019, 2, 14), service(terminated_on="2019-06-28")).status == "not_in_force"

    def test_deadline_across_national_day_2025(self):
        f = run(BC_DEREG, D(2025, 9, 1), service(terminated_on=ENDS))
        assert f.status == "applies"
        assert f.citation["article"] == "11"
        assert f.citation["document"] == "CAC Order No. 3"
        assert f.deadline.date == LAST_DAY
        assert f.deadline.article == "11"
        assert "30 working days before service.terminated_on" in basis_text(f.deadline)

    def test_an_ordinary_month(self):
        # Ends Mon 2026-12-14 (no holiday or worked weekend in November-December 2026): 12-11..12-07 (5),
        # 12-04..11-30 (10), 11-27..11-23 (15), 11-20..11-16 (20), 11-13..11-09 (25), 11-06..Mon 11-02 (30).
        assert run(BC_DEREG, D(2026, 10, 1), service(terminated_on="2026-12-14")).deadline.date == D(2026, 11, 2)

    @pytest.mark.parametrize("as_of, expected", [
        (D(2025, 9, 22), "open"),       # the day before the 30th working day before
        (LAST_DAY, "open"),             # the 30th working day before: still in time
        (D(2025, 9, 24), "overdue"),    # the day after: fewer than 30 working days are left
    ])
    def test_thirty_working_days(self, as_of, expected):
        assert run(BC_DEREG, as_of, service(terminated_on=ENDS)).compliance == expected

    def test_record_on_the_last_day_is_on_time(self):
        f = run(BC_DEREG, D(2025, 10, 9), service(terminated_on=ENDS), compliance=record(BC_DEREG, "2025-09-23"))
        assert f.compliance == "satisfied"
        assert f.compliance_detail.late is False

    def test_record_the_day_after_is_late(self):
        f = run(BC_DEREG, D(2025, 10, 9), service(terminated_on=ENDS), compliance=record(BC_DEREG, "2025-09-24"))
        assert f.compliance == "satisfied"
        assert f.compliance_detail.late is True

    def test_ended_before_the_provisions_triggers_nothing(self):
        f = run(BC_DEREG, D(2019, 3, 1), service(launched_on="2018-06-01", terminated_on="2019-02-14"))
        assert f.status == "does_not_apply"

    def test_counted_back_past_entry_into_force_is_due_that_day(self):
        # Ends Fri 2019-03-01: 30 working days back reach January 2019 (02-04..02-10 off), before
        # 2019-02-15, so the duty binds from the day the Provisions took effect.
        f = run(BC_DEREG, D(2019, 2, 15), service(launched_on="2018-06-01", terminated_on="2019-03-01"))
        assert f.status == "applies"
        assert f.deadline.date == D(2019, 2, 15)

    def test_no_end_recorded(self):
        assert run(BC_DEREG, D(2025, 9, 1), service()).status == "does_not_apply"

    def test_not_a_blockchain_service(self):
        f = run(BC_DEREG, D(2025, 9, 1), service(blockchain_information_service=False, terminated_on=ENDS))
        assert f.status == "does_not_apply"

    def test_unknown_named(self):
        f = run(BC_DEREG, D(2025, 9, 1), service(blockchain_information_service=DROP, terminated_on=ENDS))
        assert f.status == "unknown"
        assert f.missing_facts == ["service.blockchain_information_service"]


# ========================================================================
# FHC Measures (PBoC Order [2020] No. 4) and State Council Decision 国发〔2020〕12号: the licence
# application. Decision §1: a group with the criteria applies to the PBoC (应当向中国人民银行提出申请);
# a group that already had them when the Decision took effect (2020-11-01) applies within 12 months
# from that day (Civil Code Art. 202: 2021-11-01, a Monday). The texts read set no period for a group
# that meets the criteria later.
# ========================================================================

FHC = "fhc.licence"
BN = 1_000_000_000


def fhc(as_of: datetime.date, compliance: list | None = None, **changes):
    # A group without a bank whose financial institutions hold RMB 200bn (Art. 6(2): 不少于1000亿元).
    group = merge({"financial_institution_types": 2, "controls_bank": False, "financial_assets_rmb": 200 * BN,
                   "nonbank_financial_assets_rmb": 0, "trust_assets_under_management_rmb": 0}, changes)
    doc = {"format": "hegui/1", "organisation": {"name": "G", "financial_group": group}}
    if compliance:
        doc["compliance"] = compliance
    a = assess(Manifest.model_validate(doc), as_of)
    return next(f for f in a.findings if f.obligation == FHC)


class TestFhcThresholdsMetOn:

    @pytest.mark.parametrize("met_on", ["2018-03-01", "2020-10-31"])
    def test_met_before_the_rules_twelve_months(self, met_on):
        f = fhc(D(2021, 6, 1), thresholds_met_on=met_on)
        assert f.status == "applies"
        assert f.deadline.date == D(2021, 11, 1)
        assert f.deadline.article == "Decision §1 (groups already meeting the criteria)"

    @pytest.mark.parametrize("as_of, expected", [
        (D(2021, 10, 29), "open"), (D(2021, 11, 1), "open"), (D(2021, 11, 2), "overdue"),
    ])
    def test_twelve_months_boundary(self, as_of, expected):
        assert fhc(as_of, thresholds_met_on="2020-10-31").compliance == expected

    @pytest.mark.parametrize("met_on", ["2020-11-01", "2023-05-15"])
    def test_met_on_or_after_the_rules_no_period(self, met_on):
        # No period in the texts read: no deadline date, open until the application is recorded.
        f = fhc(D(2024, 6, 1), thresholds_met_on=met_on)
        assert f.status == "applies"
        assert f.deadline is None
        assert f.compliance == "open"
        assert "no period" in f.standing_duty

    def test_application_recorded(self):
        f = fhc(D(2024, 6, 1), thresholds_met_on="2023-05-15",
                compliance=record(FHC, "2023-09-01", subject=ORG))
        assert f.compliance == "satisfied"

    def test_date_unknown_is_asked_for(self):
        f = fhc(D(2024, 6, 1))
        assert f.status == "applies"
        assert f.deadline.date is None
        assert "organisation.financial_group.thresholds_met_on" in basis_text(f.deadline)

    def test_below_the_thresholds_nothing(self):
        # RMB 100bn less one: 不少于 is not reached.
        f = fhc(D(2024, 6, 1), financial_assets_rmb=100 * BN - 1, thresholds_met_on="2023-05-15")
        assert f.status == "does_not_apply"


# ========================================================================
# Small PI Processors Measures (unverified): fewer than 100,000 individuals (不满)
# ========================================================================

SMALL = "small-pi.simplified-measures"


def small(as_of: datetime.date, **org):
    doc = {"format": "hegui/1", "organisation": merge({"name": "S", "operates_in_mainland": True}, org)}
    a = assess(Manifest.model_validate(doc), as_of)
    return next(f for f in a.findings if f.obligation == SMALL)


class TestSmallPiProcessor:

    def test_not_in_force_day_before(self):
        assert small(D(2026, 8, 31), pi_individuals=5_000).status == "not_in_force"

    def test_in_force_day(self):
        f = small(D(2026, 9, 1), pi_individuals=5_000)
        assert f.status == "applies"
        assert f.citation["article"] == "2"
        assert f.citation["document"] == "CAC-MPS Order No. 25"
        assert f.deadline is None

    @pytest.mark.parametrize("individuals, expected", [
        (99_999, "applies"), (100_000, "does_not_apply"), (100_001, "does_not_apply"),   # 不满10万人
    ])
    def test_threshold(self, individuals, expected):
        assert small(D(2026, 12, 1), pi_individuals=individuals).status == expected

    def test_no_pi_is_not_a_processor(self):
        assert small(D(2026, 12, 1), pi_individuals=0).status == "does_not_apply"

    def test_count_unknown_named(self):
        f = small(D(2026, 12, 1))
        assert f.status == "unknown"
        assert f.missing_facts == ["organisation.pi_individuals"]

    def test_unverified_and_says_the_duties_stay(self):
        f = small(D(2026, 12, 1), pi_individuals=5_000)
        assert f.review == "unverified"
        assert any(w.startswith("unverified rule: Final text not read") for w in texts(f.warnings))
        assert "separate consent for sensitive PI" in f.standing_duty
