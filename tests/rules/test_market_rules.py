"""Competition, telecoms, investment and finance rules: expectations from the law, not the code.

Sources (all under /work/shared unless noted):
- regulations/texts/反垄断法(2022-06-24).md Arts. 25-27, 58, 63, 70; the 2007 AML text (LawRefBook, Arts. 20-22,
  48, 57); regulations/texts/国务院关于经营者集中申报标准的规定(2018-09-18).md and (2024-01-22).md Art. 3;
  regulations/sector.md §7a-7b.
- regulations/texts/互联网信息服务管理办法(2011-01-08).md Arts. 3, 4, 7, 8, 19, 26, 27; sector.md §8a.
- MIIT app filing notice 工信部信管〔2023〕105号: sector.md §8d, addendum-2026-11.md §2.
- regulations/texts/外商投资电信企业管理规定(2016-02-06).md Arts. 6, 18, 23 and the 2022 consolidated text
  (Arts. 2, 6, 13); sector.md §8b; regulations/texts/电信条例(2016-02-06).md Art. 8 and its catalogue; MIIT
  Notice 工信部通〔2015〕196号 (2015-06-19); Negative List 2019 (Order 25, in force 2019-07-30).
- Negative List 2021 (NDRC/MOFCOM Order 47, in force 2022-01-01) and 2024 (Order 23, in force 2024-11-01):
  sector.md §10, addendum §10.6.
- Blockchain Provisions (CAC Order 3) Arts. 11, 22: sector.md §9.
- FHC Measures (PBoC Order [2020] No. 4) and State Council Decision 国发〔2020〕12号 §1: sector.md §11.

Boundary words (Civil Code Art. 1259): 超过 excludes the number; 以上, and 不少于/至少 ("not less than",
"at least"), include it. Periods: Civil Code Arts. 201-203 (count from the next day).
"""

from __future__ import annotations

import datetime

import pytest

from hegui.engine import assess
from hegui.manifest.model import Manifest
from hegui.report.reasons import reason, steps
from hegui.rulebook import default_rulebook
from hegui.report.deadlines import basis_text

from builders import DROP, merge

D = datetime.date
AML = "aml.merger-notification"
ICP_FILING = "icp.filing"
ICP_LICENCE = "icp.licence"
APP = "app-filing.filing"
VATS = "vats.foreign-ownership-cap"
NL = "negative-list.prohibited-sector"
BC = "blockchain.filing"
FHC = "fhc.licence"

BN = 1_000_000_000
M = 1_000_000




def find(doc: dict, as_of: datetime.date, obligation: str, subject: str):
    a = assess(Manifest.model_validate({"format": "hegui/1", **doc}), as_of)
    return next(x for x in a.findings if x.obligation == obligation and x.subject == subject)


# ========================================================================
# aml.merger-notification
# ========================================================================

def party(name: str, worldwide: int | None, china: int | None) -> dict:
    p = {"name": name}
    if worldwide is not None:
        p["turnover_worldwide_rmb"] = worldwide
    if china is not None:
        p["turnover_china_rmb"] = china
    return p


def deal(parties: list, **changes) -> dict:
    return merge({"id": "d", "acquires_control": True, "parties": parties}, changes)


def aml(as_of, parties=None, org=None, compliance=None, **changes):
    parties = parties if parties is not None else [party("A", 3 * BN, 3 * BN), party("B", 1500 * M, 1500 * M)]
    doc = {"organisation": org or {"name": "Buyer"}, "concentrations": [deal(parties, **changes)]}
    if compliance:
        doc["compliance"] = compliance
    return find(doc, as_of, AML, "concentration:d")


OLD = D(2023, 6, 1)     # 2018 thresholds (Order 529 as revised), AML 2022 Art. 26
NEW = D(2024, 6, 1)     # Order 773 thresholds


class TestMergerInForce:

    def test_not_in_force_before_the_aml(self):
        # AML 2007 Art. 57: in force 2008-08-01.
        assert aml(D(2008, 7, 31)).status == "not_in_force"

    @pytest.mark.parametrize("day", [D(2008, 8, 1), D(2008, 8, 2)])
    def test_no_thresholds_before_order_529(self, day):
        # Art. 21 refers to State Council thresholds; Order 529 was published and took effect 2008-08-03.
        f = aml(day)
        assert f.status == "does_not_apply"
        assert f.citation["short"] == "AML 2007" and f.citation["article"] == "21"

    def test_applies_from_2008_08_03(self):
        # Order 529 Art. 3(2): China combined 4bn > 2bn, both parties > 400m.
        f = aml(D(2008, 8, 3))
        assert f.status == "applies"
        assert f.citation["short"] == "AML 2007" and f.citation["article"] == "21"

    def test_aml_2007_cited_until_2022_07_31(self):
        f = aml(D(2022, 7, 31))
        assert (f.citation["short"], f.citation["article"]) == ("AML 2007", "21")

    def test_aml_2022_cited_from_2022_08_01(self):
        # Amended AML in force 2022-08-01; notification renumbered Art. 26.
        f = aml(D(2022, 8, 1))
        assert f.status == "applies"
        assert (f.citation["short"], f.citation["article"]) == ("AML (2022 amendment)", "26")


def china_pair(total: int, second: int = 500 * M) -> list:
    """Two parties whose China turnover adds up to `total`; worldwide equals China (worldwide limb idle)."""
    return [party("A", total - second, total - second), party("B", second, second)]


def world_pair(total: int, china_each: int) -> list:
    """Two parties with combined worldwide `total` and small China turnover (China limb idle)."""
    return [party("A", total - 1 * BN, china_each), party("B", 1 * BN, china_each)]


class TestMergerThresholds2018:

    @pytest.mark.parametrize("total, expected", [
        (2 * BN - 1, "does_not_apply"),
        (2 * BN, "does_not_apply"),          # Art. 3(2) 合计超过20亿元: 2bn itself is not enough
        (2 * BN + 1, "applies"),
    ])
    def test_china_combined(self, total, expected):
        assert aml(OLD, china_pair(total)).status == expected

    @pytest.mark.parametrize("total, expected", [
        (10 * BN - 1, "does_not_apply"),
        (10 * BN, "does_not_apply"),         # Art. 3(1) 合计超过100亿元
        (10 * BN + 1, "applies"),
    ])
    def test_worldwide_combined(self, total, expected):
        assert aml(OLD, world_pair(total, 500 * M)).status == expected

    @pytest.mark.parametrize("second, expected", [
        (400 * M - 1, "does_not_apply"),
        (400 * M, "does_not_apply"),         # 均超过4亿元: 400m itself is not enough
        (400 * M + 1, "applies"),
    ])
    def test_each_of_two_parties_in_china(self, second, expected):
        parties = [party("A", 3 * BN, 3 * BN), party("B", second, second)]
        assert aml(OLD, parties).status == expected

    def test_worldwide_limb_also_needs_two_parties_above_400m(self):
        # Art. 3(1): the worldwide limb carries the same two-party China test.
        assert aml(OLD, world_pair(20 * BN, 400 * M)).status == "does_not_apply"

    def test_two_of_three_parties_suffice(self):
        # 至少两个: at least two, the third may be small.
        parties = [party("A", 3 * BN, 3 * BN), party("B", 1 * BN, 1 * BN), party("C", 10 * M, 10 * M)]
        assert aml(OLD, parties).status == "applies"

    def test_one_party_above_is_not_enough(self):
        parties = [party("A", 30 * BN, 30 * BN), party("B", 100 * M, 100 * M)]
        assert aml(OLD, parties).status == "does_not_apply"

    def test_no_acquisition_of_control(self):
        # AML Art. 25 (2007: Art. 20): no concentration without a merger or an acquisition of control.
        assert aml(OLD, acquires_control=False).status == "does_not_apply"


class TestMergerThresholds2024:

    @pytest.mark.parametrize("total, expected", [
        (4 * BN - 1, "does_not_apply"),
        (4 * BN, "does_not_apply"),          # Order 773 Art. 3(2) 合计超过40亿元
        (4 * BN + 1, "applies"),
    ])
    def test_china_combined(self, total, expected):
        assert aml(NEW, china_pair(total, 1 * BN)).status == expected

    @pytest.mark.parametrize("total, expected", [
        (12 * BN - 1, "does_not_apply"),
        (12 * BN, "does_not_apply"),         # Art. 3(1) 合计超过120亿元
        (12 * BN + 1, "applies"),
    ])
    def test_worldwide_combined(self, total, expected):
        assert aml(NEW, world_pair(total, 900 * M)).status == expected

    @pytest.mark.parametrize("second, expected", [
        (800 * M - 1, "does_not_apply"),
        (800 * M, "does_not_apply"),         # 均超过8亿元
        (800 * M + 1, "applies"),
    ])
    def test_each_of_two_parties_in_china(self, second, expected):
        parties = [party("A", 5 * BN, 5 * BN), party("B", second, second)]
        assert aml(NEW, parties).status == expected

    def test_switch_on_2024_01_22(self):
        # China combined 3bn, both parties 1.5bn: notifiable under 2018 (> 2bn), not under 2024 (<= 4bn).
        parties = [party("A", 1500 * M, 1500 * M), party("B", 1500 * M, 1500 * M)]
        assert aml(D(2024, 1, 21), parties).status == "applies"
        f = aml(D(2024, 1, 22), parties)
        assert f.status == "does_not_apply"
        assert f.citation["article"] == "26"   # still AML Art. 26; the thresholds changed, not the duty

    def test_2024_parameters_cited(self):
        f = aml(NEW)
        params = {name: p for step in steps(f, default_rulebook()) for name, p in step.parameters.items()}
        assert params["aml_combined_china_turnover"]["value"] == 4 * BN
        assert params["aml_each_china_turnover"]["value"] == 800 * M
        assert params["aml_each_china_turnover"]["wording"] == "超过"

    def test_shared_case_both_regimes(self):
        # ../shared/cases/merger-both-regimes.yaml: China 4.5bn, parties 3.5bn and 1bn.
        parties = [party("Internet Group", 5 * BN, 3500 * M), party("Partner", 1200 * M, 1 * BN)]
        assert aml(OLD, parties).status == "applies"
        assert aml(NEW, parties).status == "applies"


class TestMergerUnknowns:

    def test_unknown_party_turnover_is_named(self):
        # A's 3bn alone passes the China sum; whether B exceeds 400m decides the two-party test.
        f = aml(OLD, [party("A", 3 * BN, 3 * BN), party("B", 1 * BN, None)])
        assert f.status == "unknown"
        assert "concentration.parties[1].turnover_china_rmb" in f.missing_facts

    def test_unknown_control(self):
        f = aml(OLD, acquires_control=DROP)
        assert f.status == "unknown"
        assert "concentration.acquires_control" in f.missing_facts

    def test_no_parties(self):
        f = find(
            {"organisation": {"name": "Buyer"}, "concentrations": [{"id": "d", "acquires_control": True}]},
            OLD, AML, "concentration:d")
        assert f.status == "unknown"
        assert "concentration.parties" in f.missing_facts


ONLY_2018 = [party("A", 1500 * M, 1500 * M), party("B", 1500 * M, 1500 * M)]   # 3bn China, 1.5bn each


class TestMergerEventAndDeadline:

    def test_closed_under_the_2018_thresholds(self):
        # Judged by the thresholds in force on the closing date (Art. 26: may not be implemented unnotified).
        f = aml(NEW, ONLY_2018, closing_date="2023-12-01")
        assert f.status == "applies"
        assert f.judged_on == D(2023, 12, 1)
        assert f.deadline.date == D(2023, 11, 30)       # before closing: the day before
        assert f.compliance == "overdue"

    def test_closed_under_the_2024_thresholds(self):
        assert aml(NEW, ONLY_2018, closing_date="2024-03-01", signing_date="2023-10-01").status == "does_not_apply"

    def test_planned_closing_judged_by_the_rules_of_the_as_of_date(self):
        assert aml(D(2023, 12, 1), ONLY_2018, closing_date="2024-03-01").status == "applies"

    def test_closing_before_the_aml(self):
        assert aml(NEW, closing_date="2008-07-15").status == "does_not_apply"

    def test_deadline_before_planned_closing(self):
        f = aml(NEW, closing_date="2024-09-01")
        assert f.deadline.date == D(2024, 8, 31)
        assert f.compliance == "open"

    def test_unknown_closing_date(self):
        f = aml(NEW)
        assert f.status == "applies"
        assert f.deadline.date is None and "concentration.closing_date" in basis_text(f.deadline)

    def test_compliance_record(self):
        f = aml(NEW, closing_date="2024-03-01",
                compliance=[{"obligation": AML, "subject": "concentration:d", "done_on": "2024-01-10"}])
        assert f.status == "applies" and f.compliance == "satisfied"


class TestMergerPenalty:

    def test_aml_2022_article_58(self):
        # Art. 58: up to 10% of the previous year's sales (anticompetitive) or RMB 5m (not).
        f = aml(NEW, org={"name": "Buyer", "turnover_worldwide_rmb": 20 * BN})
        assert f.penalty["article"] == "58"
        assert f.penalty["max_rmb"] == 5_000_000
        assert float(f.penalty["max_turnover_share"]) == 0.10
        assert f.penalty["turnover_based_max_rmb"] == 2 * BN

    def test_aml_2007_article_48(self):
        # AML 2007 Art. 48: up to RMB 500,000.
        f = aml(D(2021, 6, 1))
        assert f.penalty["article"] == "48" and f.penalty["max_rmb"] == 500_000


# ========================================================================
# icp.filing, icp.licence (IIS Measures)
# ========================================================================

def service(**changes) -> dict:
    return merge({"id": "s", "kind": "website", "commercial": False, "launched_on": "2020-05-01"}, changes)


def svc(obligation, as_of, org=None, compliance=None, **changes):
    doc = {"organisation": org or {"name": "X", "operates_in_mainland": True}, "services": [service(**changes)]}
    if compliance:
        doc["compliance"] = compliance
    return find(doc, as_of, obligation, "service:s")


class TestIcp:

    def test_not_in_force_before_2000_09_25(self):
        # Art. 27: in force on publication, 2000-09-25.
        assert svc(ICP_FILING, D(2000, 9, 24)).status == "not_in_force"
        assert svc(ICP_FILING, D(2000, 9, 25)).status == "applies"

    def test_non_commercial_needs_filing_not_licence(self):
        # Arts. 3-4: free services are filed.
        assert svc(ICP_FILING, D(2024, 1, 1)).status == "applies"
        assert svc(ICP_LICENCE, D(2024, 1, 1)).status == "does_not_apply"

    def test_commercial_needs_licence_not_filing(self):
        # Arts. 3-4, 7: paid services need the licence.
        assert svc(ICP_LICENCE, D(2024, 1, 1), commercial=True).status == "applies"
        assert svc(ICP_FILING, D(2024, 1, 1), commercial=True).status == "does_not_apply"

    @pytest.mark.parametrize("kind", ["app", "mini_program", "game"])
    def test_apps_and_games_are_internet_information_services(self, kind):
        assert svc(ICP_LICENCE, D(2024, 1, 1), kind=kind, commercial=True).status == "applies"

    def test_other_kind_is_not_assumed_to_be_one(self):
        assert svc(ICP_FILING, D(2024, 1, 1), kind="other").status == "does_not_apply"

    def test_unknown_commercial(self):
        f = svc(ICP_LICENCE, D(2024, 1, 1), commercial=DROP)
        assert f.status == "unknown" and "service.commercial" in f.missing_facts

    def test_unknown_kind(self):
        f = svc(ICP_FILING, D(2024, 1, 1), kind=DROP)
        assert f.status == "unknown" and "service.kind" in f.missing_facts

    def test_deadline_before_launch(self):
        f = svc(ICP_LICENCE, D(2020, 1, 1), commercial=True)
        assert f.deadline.date == D(2020, 4, 30)
        assert f.compliance == "open"
        assert svc(ICP_LICENCE, D(2024, 1, 1), commercial=True).compliance == "overdue"

    def test_services_before_the_measures_had_60_days(self):
        # Art. 26: 60 days from publication (2000-09-25), counted from the next day -> 2000-11-24 (a Friday).
        f = svc(ICP_FILING, D(2000, 10, 1), launched_on="1999-03-01")
        assert f.deadline.date == D(2000, 11, 24)

    def test_compliance_record_decides_compliance(self):
        f = svc(ICP_FILING, D(2024, 1, 1),
                compliance=[{"obligation": ICP_FILING, "subject": "service:s", "done_on": "2020-04-01"}])
        assert f.status == "applies" and f.compliance == "satisfied"

    def test_licence_penalty(self):
        # Art. 19: RMB 100,000-1,000,000 without (or with under RMB 50,000 of) illegal gains.
        f = svc(ICP_LICENCE, D(2024, 1, 1), commercial=True)
        assert f.penalty["article"] == "19" and f.penalty["max_rmb"] == 1_000_000
        assert svc(ICP_FILING, D(2024, 1, 1)).penalty is None   # Art. 19 ¶2: correction or closure, no fine


# ========================================================================
# app-filing.filing (MIIT 2023 notice)
# ========================================================================

class TestAppFiling:

    def test_in_force_from_2023_09_01(self):
        # Addendum §2.3: filing opened September 2023; platforms required it from 2023-09-01.
        assert svc(APP, D(2023, 8, 31), kind="app").status == "not_in_force"
        assert svc(APP, D(2023, 9, 1), kind="app").status == "applies"

    @pytest.mark.parametrize("kind, expected", [
        ("app", "applies"), ("mini_program", "applies"),   # addendum §2.4: mini programs covered
        ("website", "does_not_apply"), ("api", "does_not_apply"),
    ])
    def test_scope(self, kind, expected):
        assert svc(APP, D(2024, 6, 1), kind=kind).status == expected

    def test_existing_app_deadline(self):
        # Existing apps: by 2024-03-31 (a Sunday; a date set by the rule does not move).
        f = svc(APP, D(2024, 3, 31), kind="app", launched_on="2019-05-01")
        assert f.deadline.date == D(2024, 3, 31)
        assert f.compliance == "open"
        assert svc(APP, D(2024, 4, 1), kind="app", launched_on="2019-05-01").compliance == "overdue"

    def test_app_launched_before_filing_opened_counts_as_existing(self):
        f = svc(APP, D(2023, 9, 15), kind="app", launched_on="2023-08-20")
        assert f.deadline.date == D(2024, 3, 31)

    def test_new_app_files_before_launch(self):
        f = svc(APP, D(2023, 10, 1), kind="mini_program", launched_on="2023-10-10")
        assert f.deadline.date == D(2023, 10, 9)

    def test_unknown_launch_date(self):
        f = svc(APP, D(2024, 6, 1), kind="app", launched_on=DROP)
        assert f.status == "applies"
        assert f.deadline.date is None and "service.launched_on" in basis_text(f.deadline)


# ========================================================================
# vats.foreign-ownership-cap (FITE Provisions Art. 6)
# ========================================================================

def vats(as_of, services=(), **changes):
    o = merge({"name": "X", "foreign_ownership": 0.3, "telecom_services": ["idc"]}, changes)
    return find({"organisation": o, "services": list(services)}, as_of, VATS, "organisation")


def website(**changes) -> dict:
    return service(**{"id": "web", "kind": "website", "commercial": True, **changes})


# Telecom Regulations Art. 8 and its catalogue; Telecom Services Catalogue (2015) B11-B26.
CAPPED_TODAY = ["idc", "cdn", "domestic_ip_vpn", "isp", "online_data_processing_and_transaction_processing", "icp",
                "information_services_other_networks", "coding_and_protocol_conversion"]


class TestVats:

    def test_in_force_2002_01_01(self):
        # FITE Provisions Art. 23: in force 2002-01-01.
        assert vats(D(2001, 12, 31)).status == "not_in_force"
        f = vats(D(2002, 1, 1))
        assert f.status == "applies" and f.citation["short"] == "FITE Provisions"

    @pytest.mark.parametrize("share, met", [
        (0.49, True),
        (0.5, True),               # Art. 6 ¶2 不得超过50%: exactly 50% is allowed
        (0.51, False),
    ])
    def test_cap_decides_compliance_not_status(self, share, met):
        f = vats(D(2024, 6, 1), foreign_ownership=share)
        assert f.status == "applies"
        # A standing duty with no date: above the cap it is not met (open or, as a present breach, overdue).
        assert (f.compliance == "satisfied") == met
        assert f.compliance in ("satisfied", "open", "overdue")

    def test_no_foreign_investment(self):
        assert vats(D(2024, 6, 1), foreign_ownership=0.0).status == "does_not_apply"

    def test_unknown_foreign_ownership(self):
        f = vats(D(2024, 6, 1), foreign_ownership=DROP)
        assert f.status == "unknown" and "organisation.foreign_ownership" in f.missing_facts

    def test_version_switch_2022_05_01(self):
        # Order 752 revision in force 2022-05-01; penalty moves from Art. 18 to Art. 13 (RMB 100k-500k).
        before, after = vats(D(2022, 4, 30)), vats(D(2022, 5, 1))
        assert before.citation["short"] == "FITE Provisions" and before.penalty["article"] == "18"
        assert after.citation["short"] == "FITE Provisions 2022" and after.penalty["article"] == "13"
        assert after.citation["article"] == "6"
        assert after.penalty["max_rmb"] == 500_000

    # -- who is caught: the VATS it provides or is licensed for, and its services (IIS Measures Arts. 4, 7)

    def test_a_commercial_website_of_a_non_platform_gets_both_the_icp_licence_and_the_cap(self):
        # IIS Measures Arts. 3, 4, 7: a paid internet information service needs the ICP licence, a
        # value-added telecom licence, so FITE Art. 6 ¶2 reaches its operator, platform or not.
        doc = {"organisation": {"name": "X", "foreign_ownership": 0.6, "network_platform_operator": False},
               "services": [website()]}
        assert find(doc, D(2024, 6, 1), ICP_LICENCE, "service:web").status == "applies"
        cap = find(doc, D(2024, 6, 1), VATS, "organisation")
        assert cap.status == "applies" and cap.compliance == "overdue"   # 60% is over the cap

    def test_the_trace_names_the_services_it_read(self):
        from hegui.report.reasons import step_text
        f = vats(D(2024, 6, 1), services=[website()], telecom_services=["none"])
        assert "services=[web]" in step_text(steps(f, default_rulebook())[0])
        assert "services that meet the test “the service is one of a website" in reason(f, default_rulebook())

    def test_a_free_website_alone_does_not_decide_it(self):
        # A non-commercial service needs only the filing (Art. 4): whether the enterprise runs other VATS
        # decides, so without its categories the cap is unknown, and with none it does not apply.
        free = website(commercial=False)
        f = vats(D(2024, 6, 1), services=[free], telecom_services=DROP)
        assert f.status == "unknown" and f.missing_facts == ["organisation.telecom_services"]
        assert vats(D(2024, 6, 1), services=[free], telecom_services=[]).status == "does_not_apply"
        assert vats(D(2024, 6, 1), services=[free], telecom_services=["none"]).status == "does_not_apply"

    def test_a_platform_without_telecom_services_is_not_caught(self):
        # Being a network platform operator is not a telecom licence.
        f = vats(D(2024, 6, 1), network_platform_operator=True, telecom_services=[])
        assert f.status == "does_not_apply"

    def test_an_undecided_service_is_named_by_its_place(self):
        f = vats(D(2024, 6, 1), services=[website(commercial=DROP)], telecom_services=DROP)
        assert f.status == "unknown"
        assert f.missing_facts == ["services[0].commercial", "organisation.telecom_services"]
        # A service that needs the licence decides it, whatever the categories.
        assert vats(D(2024, 6, 1), services=[website(commercial=DROP), website(id="paid")],
                    telecom_services=DROP).status == "applies"

    def test_an_api_is_not_read_as_an_internet_information_service(self):
        # As icp.licence reads the IIS Measures Art. 2 (websites, apps, mini programs, games).
        assert vats(D(2024, 6, 1), services=[website(kind="api")], telecom_services=[]).status == "does_not_apply"

    @pytest.mark.parametrize("category", CAPPED_TODAY)
    def test_capped_categories(self, category):
        assert vats(D(2024, 6, 1), telecom_services=[category]).status == "applies"

    @pytest.mark.parametrize("category", ["ecommerce", "domestic_multiparty_communications", "store_and_forward",
                                          "call_centre"])
    def test_categories_the_negative_list_leaves_out(self, category):
        # Negative List 2021 and 2024 telecom item: VATS foreign share at most 50% except e-commerce, domestic
        # multi-party communications, store-and-forward and call centres (FITE 2022 Art. 6: 国家另有规定的除外).
        assert vats(D(2024, 6, 1), telecom_services=[category]).status == "does_not_apply"
        assert vats(D(2024, 6, 1), telecom_services=[category, "idc"]).status == "applies"

    def test_operating_ecommerce_uncapped_from_2015_06_19(self):
        # MIIT Notice 工信部通〔2015〕196号 of 2015-06-19: operating e-commerce open to 100% nationwide.
        assert vats(D(2015, 6, 18), telecom_services=["ecommerce"]).status == "applies"
        f = vats(D(2015, 6, 19), telecom_services=["ecommerce"])
        assert f.status == "does_not_apply" and "196" in f.citation["article"]
        # The notice opens only the e-commerce kind of B21: the rest stays capped.
        assert vats(D(2015, 6, 19), telecom_services=["online_data_processing_and_transaction_processing"]
                    ).status == "applies"

    @pytest.mark.parametrize("category", ["domestic_multiparty_communications", "store_and_forward", "call_centre"])
    def test_three_categories_uncapped_from_2019_07_30(self, category):
        # Negative List 2019 (NDRC and MOFCOM Order No. 25), in force 2019-07-30.
        assert vats(D(2019, 7, 29), telecom_services=[category]).status == "applies"
        assert vats(D(2019, 7, 30), telecom_services=[category]).status == "does_not_apply"

    def test_a_commercial_service_is_capped_even_for_an_ecommerce_enterprise(self):
        # Whatever else it runs, a paid internet information service needs the ICP licence (capped B25).
        f = vats(D(2024, 6, 1), services=[website()], telecom_services=["ecommerce"])
        assert f.status == "applies"


# ========================================================================
# negative-list.prohibited-sector
# ========================================================================

def nl(as_of, foreign=0.2, org=None, **changes):
    o = merge({"name": "X", "operates_in_mainland": True, "foreign_ownership": foreign,
               "negative_list_exemption_approved": False}, org or {})
    doc = {"organisation": o, "services": [service(**merge({"content": ["news"]}, changes))]}
    if foreign is DROP:
        doc["organisation"].pop("foreign_ownership")
    return find(doc, as_of, NL, "service:s")


class TestNegativeList:

    def test_2021_edition_from_2022_01_01(self):
        assert nl(D(2021, 12, 31)).status == "not_in_force"
        f = nl(D(2022, 1, 1))
        assert f.status == "applies" and f.citation["short"] == "Negative List 2021"

    def test_2024_edition_from_2024_11_01(self):
        assert nl(D(2024, 10, 31)).citation["short"] == "Negative List 2021"
        f = nl(D(2024, 11, 1))
        assert f.status == "applies" and f.citation["short"] == "Negative List 2024"

    @pytest.mark.parametrize("content, expected", [
        (["news"], "applies"), (["publishing"], "applies"), (["audiovisual", "finance"], "applies"),
        (["internet_culture"], "applies"),     # internet culture business is prohibited ...
        (["music"], "does_not_apply"),         # ... except music
        (["music", "news"], "applies"),
        (["education", "other"], "does_not_apply"),
    ])
    def test_prohibited_fields(self, content, expected):
        assert nl(D(2025, 1, 1), content=content).status == expected

    @pytest.mark.parametrize("foreign, expected", [(0.0, "does_not_apply"), (0.01, "applies")])
    def test_any_foreign_share(self, foreign, expected):
        # Prohibited, not capped: any foreign share.
        assert nl(D(2025, 1, 1), foreign=foreign).status == expected

    @pytest.mark.parametrize("as_of", [D(2022, 1, 1), D(2024, 11, 1)])
    def test_state_council_approval_exempts(self, as_of):
        # Explanatory note 5 (2021 and 2024 editions): a specific foreign investment the State Council
        # approves need not follow the list in its field.
        f = nl(as_of, org={"negative_list_exemption_approved": True})
        assert f.status == "does_not_apply"

    def test_unknown_approval(self):
        f = nl(D(2025, 1, 1), org={"negative_list_exemption_approved": DROP})
        assert f.status == "unknown" and f.missing_facts == ["organisation.negative_list_exemption_approved"]
        # An approval cannot matter where nothing is prohibited.
        assert nl(D(2025, 1, 1), org={"negative_list_exemption_approved": DROP}, content=["music"]
                  ).status == "does_not_apply"

    def test_unknown_content(self):
        f = nl(D(2025, 1, 1), content=DROP)
        assert f.status == "unknown" and "service.content" in f.missing_facts

    def test_unknown_foreign_ownership(self):
        f = nl(D(2025, 1, 1), foreign=DROP)
        assert f.status == "unknown" and "organisation.foreign_ownership" in f.missing_facts


# ========================================================================
# blockchain.filing (CAC Order 3 Art. 11)
# ========================================================================

class TestBlockchain:

    def test_in_force_2019_02_15(self):
        assert svc(BC, D(2019, 2, 14), blockchain_information_service=True).status == "not_in_force"
        assert svc(BC, D(2019, 2, 15), blockchain_information_service=True).status == "applies"

    def test_not_blockchain(self):
        assert svc(BC, D(2024, 6, 1), blockchain_information_service=False).status == "does_not_apply"

    def test_unknown(self):
        f = svc(BC, D(2024, 6, 1))
        assert f.status == "unknown" and "service.blockchain_information_service" in f.missing_facts

    def test_ten_working_days_across_national_day(self):
        # Launch Fri 2024-09-27. Working days: Sun 9-29 (make-up) 1, 9-30 2, [10-1..10-7 holiday],
        # 10-8..10-11 3-6, Sat 10-12 (make-up) 7, 10-14 8, 10-15 9, 10-16 10.
        f = svc(BC, D(2024, 9, 30), blockchain_information_service=True, launched_on="2024-09-27")
        assert f.deadline.date == D(2024, 10, 16)

    def test_service_running_before_the_provisions(self):
        # Counted from the day the Provisions took effect (Fri 2019-02-15): 2-18..2-22, 2-25..3-1.
        f = svc(BC, D(2019, 2, 20), blockchain_information_service=True, launched_on="2018-06-01")
        assert f.deadline.date == D(2019, 3, 1)

    def test_penalty(self):
        # Art. 22: warning and RMB 10,000-30,000.
        f = svc(BC, D(2024, 6, 1), blockchain_information_service=True)
        assert f.penalty["article"] == "22" and f.penalty["max_rmb"] == 30_000


# ========================================================================
# fhc.licence
# ========================================================================

def fhc(as_of, **changes):
    group = merge({"financial_institution_types": 2, "controls_bank": False, "financial_assets_rmb": 0,
                    "nonbank_financial_assets_rmb": 0, "trust_assets_under_management_rmb": 0}, changes)
    return find({"organisation": {"name": "G", "financial_group": group}}, as_of, FHC, "organisation")


class TestFhc:

    def test_in_force_2020_11_01(self):
        assert fhc(D(2020, 10, 31), financial_assets_rmb=200 * BN).status == "not_in_force"
        assert fhc(D(2020, 11, 1), financial_assets_rmb=200 * BN).status == "applies"

    @pytest.mark.parametrize("types, expected", [(1, "does_not_apply"), (2, "applies"), (3, "applies")])
    def test_two_or_more_types(self, types, expected):
        # 两个或者两个以上不同类型金融机构
        assert fhc(D(2022, 1, 1), financial_institution_types=types, financial_assets_rmb=200 * BN).status == expected

    @pytest.mark.parametrize("assets, expected", [
        (500 * BN - 1, "does_not_apply"), (500 * BN, "applies"), (500 * BN + 1, "applies"),  # 不少于5000亿元
    ])
    def test_bank_group_total_assets(self, assets, expected):
        assert fhc(D(2022, 1, 1), controls_bank=True, financial_assets_rmb=assets).status == expected

    @pytest.mark.parametrize("nonbank, expected", [
        (100 * BN - 1, "does_not_apply"), (100 * BN, "applies"), (100 * BN + 1, "applies"),
    ])
    def test_bank_group_nonbank_assets(self, nonbank, expected):
        f = fhc(D(2022, 1, 1), controls_bank=True, financial_assets_rmb=300 * BN, nonbank_financial_assets_rmb=nonbank)
        assert f.status == expected

    @pytest.mark.parametrize("trust, expected", [
        (500 * BN - 1, "does_not_apply"), (500 * BN, "applies"), (500 * BN + 1, "applies"),
    ])
    def test_trust_assets(self, trust, expected):
        assert fhc(D(2022, 1, 1), trust_assets_under_management_rmb=trust).status == expected
        assert fhc(D(2022, 1, 1), controls_bank=True, financial_assets_rmb=300 * BN,
                   trust_assets_under_management_rmb=trust).status == expected

    @pytest.mark.parametrize("assets, expected", [
        (100 * BN - 1, "does_not_apply"), (100 * BN, "applies"), (100 * BN + 1, "applies"),
    ])
    def test_group_without_bank(self, assets, expected):
        assert fhc(D(2022, 1, 1), financial_assets_rmb=assets).status == expected

    def test_unknown_bank(self):
        # 200bn: enough without a bank, not with one (unless non-bank assets reach 100bn).
        f = fhc(D(2022, 1, 1), controls_bank=DROP, financial_assets_rmb=200 * BN, nonbank_financial_assets_rmb=50 * BN)
        assert f.status == "unknown"
        assert "organisation.financial_group.controls_bank" in f.missing_facts

    def test_existing_groups_twelve_months(self):
        # Decision §1: 12 months from 2020-11-01; Civil Code Art. 202 -> 2021-11-01 (a Monday).
        # The deadline for groups that met the criteria later: tests/rules/test_issue10_left.py.
        f = fhc(D(2021, 11, 1), financial_assets_rmb=200 * BN, thresholds_met_on="2019-06-30")
        assert f.deadline.date == D(2021, 11, 1)
        assert f.compliance == "open"
        assert fhc(D(2021, 11, 2), financial_assets_rmb=200 * BN, thresholds_met_on="2019-06-30").compliance == "overdue"
