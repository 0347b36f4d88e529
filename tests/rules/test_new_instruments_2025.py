"""Instruments in force that the rulebook lacked (issue 10): expectations derived from the law, not the code.

Sources:
- MLPS Measures (公通字〔2007〕43号, issued 2007-06-22): Art. 14 (第三级信息系统应当每年至少进行一次等级测评,
  第四级 每半年), Art. 15 (第二级以上信息系统 ... 投入运行后30日内 ... 公安机关 备案), read in a full-text repost
  and several filing guides; CSL Art. 21 and Art. 59 ¶1 (official text, regulations/texts), renumbered
  Arts. 23 and 61 from 2026-01-01 (addendum-2026-11.md §9.2-9.3);
- Facial Recognition Measures (CAC-MPS, full text; in force 2025-06-01 by Art. 20): Arts. 5-8, 9 (事前
  进行个人信息保护影响评估), 10 (不得将人脸识别技术作为唯一验证方式), 15 (存储数量达到10万人之日起30个工作日内);
- Network Identity Measures (MPS, CAC and four others, full text; in force 2025-07-15 by Art. 16):
  Arts. 7 ¶2-3, 8 ¶3 (platforms that have joined), 14 (penalties under CSL, DSL, PIPL);
- Anti-Unfair Competition Law, 2025 revision (full text; in force 2025-10-15 by Art. 41): Art. 13 ¶2-4
  (fines Art. 29: up to RMB 5,000,000), Art. 14 (fines Art. 30: up to RMB 2,000,000), Art. 21 (no fine);
  its 2017 text (full text; in force 2018-01-01 by Art. 33): Art. 12 ¶2 (fines Art. 24: up to RMB 3,000,000);
- App Necessary PI Rules (in force 2021-05-01): Arts. 2 (apps and mini programs), 4; CSL Arts. 41, 64 ¶1
  (up to RMB 1,000,000); from 2021-11-01 PIPL Arts. 16, 66.

Boundary words (Civil Code Art. 1259): 以上 and 达到 include the number. Periods (Civil Code Arts. 201-203):
counting starts the day after the event; a last day on a rest day moves to the next working day; N working
days follow the official holiday calendar.
"""

from __future__ import annotations

import datetime

import pytest

from hegui.engine import assess
from hegui.manifest.model import Manifest
from hegui.report.deadlines import basis_text

from builders import DROP, merge

D = datetime.date

GRADING, FILING, ASSESSMENT = "mlps.grading", "mlps.filing", "mlps.level-assessment"
FACE_NOTICE, FACE_PIA = "face-recognition.notice-and-consent", "face-recognition.impact-assessment"
FACE_ALT, FACE_FILING = "face-recognition.alternative-verification", "face-recognition.filing"
NETWORK_ID = "network-identity.platform-duties"
ONLINE, BELOW_COST, PLATFORM_RULES = ("aucl.online-unfair-competition", "aucl.no-forced-below-cost-pricing",
                                      "aucl.platform-competition-rules")
BASIC = "app-necessary-pi.basic-functions"

SERVICE = "service:svc"

ORG = {"name": "X", "operates_in_mainland": True, "state_organ": False, "face_data_individuals": 0}

# Every triggering fact explicitly false, so each test switches on only what it needs.
SVC = {
    "id": "svc", "kind": "app", "commercial": True, "launched_on": "2021-06-01", "serves_minors": False,
    "facial_recognition": False, "face_verification_alternative": True,
    "face_verification_required_by_law": False, "national_network_identity": False,
    "platform_for_merchants": False, "refuses_basic_functions_without_nonnecessary_pi": False,
}


def run(obligation: str, as_of: datetime.date, svc: dict | None = None, org: dict | None = None,
        compliance: list | None = None):
    doc = {"format": "hegui/1", "organisation": org or ORG, "services": [svc or SVC]}
    if compliance:
        doc["compliance"] = compliance
    a = assess(Manifest.model_validate(doc), as_of)
    subject = "organisation" if obligation == FACE_FILING else SERVICE
    return next(f for f in a.findings if f.obligation == obligation and f.subject == subject)


def svc(**changes) -> dict:
    return merge(SVC, changes)


def org(**changes) -> dict:
    return merge(ORG, changes)


# ========================================================================
# Multi-level protection scheme: MLPS Measures (2007) with CSL Art. 21 / Art. 23
# ========================================================================

class TestMlpsGrading:

    def test_not_in_force_before_the_csl(self):
        # CSL Art. 79 (2017 text): in force 2017-06-01; the grading duty rests on CSL Art. 21.
        assert run(GRADING, D(2017, 5, 31)).status == "not_in_force"

    def test_applies_from_the_csl_and_open_while_ungraded(self):
        f = run(GRADING, D(2017, 6, 1))
        assert f.status == "applies"
        assert f.citation["article"] == "CSL Art. 21"
        assert f.compliance == "open"
        assert f.penalty["max_rmb"] == 100_000   # CSL Art. 59 ¶1: RMB 10,000-100,000

    def test_a_determined_level_shows_grading_done(self):
        assert run(GRADING, D(2024, 1, 2), svc(mlps_level=1)).compliance == "satisfied"

    def test_an_absent_level_leaves_grading_open_not_overdue(self):
        # Absent means unknown, never "not graded".
        assert run(GRADING, D(2024, 1, 2)).compliance == "open"

    def test_renumbered_art_23_from_2026(self):
        # Addendum §9.2: Art. 21 becomes Art. 23 on 2026-01-01; fines Art. 61 ¶1, ¶3 (top tier RMB 10M).
        assert run(GRADING, D(2025, 12, 31)).citation["article"] == "CSL Art. 21"
        f = run(GRADING, D(2026, 1, 1))
        assert f.citation["article"] == "CSL Art. 23"
        assert f.penalty["max_rmb"] == 10_000_000

    def test_no_network_in_the_mainland(self):
        assert run(GRADING, D(2024, 1, 2), org=org(operates_in_mainland=False)).status == "does_not_apply"

    def test_unknown_presence_named(self):
        f = run(GRADING, D(2024, 1, 2), org=org(operates_in_mainland=DROP))
        assert f.status == "unknown"
        assert f.missing_facts == ["organisation.operates_in_mainland"]


class TestMlpsFiling:

    @pytest.mark.parametrize("level, status", [(1, "does_not_apply"), (2, "applies"), (3, "applies")])
    def test_level_2_and_above_file(self, level, status):
        # Art. 15: 第二级以上, and 以上 includes level 2.
        assert run(FILING, D(2024, 6, 3), svc(mlps_level=level)).status == status

    def test_unknown_level_named(self):
        f = run(FILING, D(2024, 6, 3))
        assert f.status == "unknown"
        assert f.missing_facts == ["service.mlps_level"]

    def test_measures_date_is_unverified(self):
        # Issued 2007-06-22; the effective-on-issue clause was not read, so the rule warns.
        assert run(FILING, D(2007, 6, 21), svc(mlps_level=2)).status == "not_in_force"
        f = run(FILING, D(2007, 6, 22), svc(mlps_level=2))
        assert f.status == "applies"
        assert f.review == "unverified"
        assert f.penalty is None

    def test_csl_version_is_verified(self):
        assert run(FILING, D(2017, 5, 31), svc(mlps_level=2)).review == "unverified"
        f = run(FILING, D(2017, 6, 1), svc(mlps_level=2))
        assert f.review == "verified"
        assert f.citation["article"] == "15 (CSL Art. 21)"
        assert f.penalty["max_rmb"] == 100_000

    def test_art_23_from_2026(self):
        assert run(FILING, D(2025, 12, 31), svc(mlps_level=2)).citation["article"] == "15 (CSL Art. 21)"
        f = run(FILING, D(2026, 1, 1), svc(mlps_level=2))
        assert f.citation["article"] == "15 (CSL Art. 23)"
        assert f.penalty["max_rmb"] == 10_000_000

    def test_thirty_days_after_going_into_operation(self):
        # Art. 15 ¶2: launched Wed 2024-01-10; day 1 is 01-11, day 30 is Fri 2024-02-09 (a working day).
        f = run(FILING, D(2024, 1, 20), svc(mlps_level=3, launched_on="2024-01-10"))
        assert f.deadline.date == D(2024, 2, 9)
        assert f.compliance == "open"

    def test_last_day_on_national_day_moves(self):
        # Launched 2024-09-01: day 30 is 2024-10-01, inside the 10-01..10-07 holiday, so the period ends on
        # the next working day, 2024-10-08 (Civil Code Art. 203).
        f = run(FILING, D(2024, 9, 2), svc(mlps_level=2, launched_on="2024-09-01"))
        assert f.deadline.date == D(2024, 10, 8)

    def test_overdue_after_the_deadline(self):
        f = run(FILING, D(2024, 2, 10), svc(mlps_level=2, launched_on="2024-01-10"))
        assert f.compliance == "overdue"

    def test_a_filing_record_meets_it(self):
        f = run(FILING, D(2024, 3, 1), svc(mlps_level=2, launched_on="2024-01-10"),
                compliance=[{"obligation": FILING, "subject": SERVICE, "done_on": "2024-02-01"}])
        assert f.compliance == "satisfied"


class TestMlpsLevelAssessment:

    @pytest.mark.parametrize("level, status", [(2, "does_not_apply"), (3, "applies"), (4, "applies")])
    def test_level_3_and_above_are_assessed(self, level, status):
        # Art. 14: assessment duties start at level 3.
        assert run(ASSESSMENT, D(2024, 6, 3), svc(mlps_level=level)).status == status

    def test_level_3_once_each_year(self):
        # Art. 14: 第三级 每年至少进行一次; hegui expects each calendar year's by 31 December.
        f = run(ASSESSMENT, D(2024, 6, 3), svc(mlps_level=3))
        assert f.deadline.date == D(2024, 12, 31)
        assert f.deadline.recurring

    def test_level_3_covered_by_this_years_assessment(self):
        f = run(ASSESSMENT, D(2024, 6, 3), svc(mlps_level=3),
                compliance=[{"obligation": ASSESSMENT, "subject": SERVICE, "done_on": "2024-03-01"}])
        assert f.compliance == "satisfied"

    def test_level_4_every_half_year_without_a_date(self):
        # Art. 14: 第四级 每半年至少进行一次; hegui has no half-yearly deadline kind.
        f = run(ASSESSMENT, D(2024, 6, 3), svc(mlps_level=4))
        assert f.deadline is None
        assert "half year" in f.standing_duty

    def test_level_5_by_special_needs(self):
        f = run(ASSESSMENT, D(2024, 6, 3), svc(mlps_level=5))
        assert f.deadline is None
        assert "special security needs" in f.standing_duty

    def test_level_3_standing_duty_is_rectification(self):
        assert "rectify" in run(ASSESSMENT, D(2024, 6, 3), svc(mlps_level=3)).standing_duty


# ========================================================================
# Facial Recognition Measures (in force 2025-06-01, Art. 20)
# ========================================================================

FACE = dict(facial_recognition=True)


class TestFaceFiling:

    def test_not_in_force_day_before(self):
        f = run(FACE_FILING, D(2025, 5, 31), org=org(face_data_individuals=200_000))
        assert f.status == "not_in_force"

    def test_applies_on_in_force_day(self):
        f = run(FACE_FILING, D(2025, 6, 1), org=org(face_data_individuals=200_000))
        assert f.status == "applies"
        assert f.citation["short"] == "Facial Recognition Measures"
        assert f.citation["article"] == "15"
        assert f.review == "verified"

    @pytest.mark.parametrize("count, status", [(99_999, "does_not_apply"), (100_000, "applies"),
                                               (100_001, "applies")])
    def test_threshold_reaches_100000(self, count, status):
        # Art. 15: 达到10万人, and 达到 includes the number.
        assert run(FACE_FILING, D(2025, 8, 1), org=org(face_data_individuals=count)).status == status

    def test_unknown_count_named(self):
        f = run(FACE_FILING, D(2025, 8, 1), org=org(face_data_individuals=DROP))
        assert f.status == "unknown"
        assert f.missing_facts == ["organisation.face_data_individuals"]

    def test_thirty_working_days_across_national_day_2025(self):
        # Reached Mon 2025-09-15. Working days from 09-16: 16-19 (4), 22-26 (9), Sun 09-28 make-up day (10),
        # 29-30 (12); 10-01..10-08 holiday; 10-09, 10-10 (14), Sat 10-11 make-up day (15), 13-17 (20),
        # 20-24 (25), 27-31 (30): due Fri 2025-10-31.
        f = run(FACE_FILING, D(2025, 9, 20),
                org=org(face_data_individuals=100_000, face_data_threshold_reached_on="2025-09-15"))
        assert f.deadline.date == D(2025, 10, 31)

    def test_reached_before_the_measures_counts_from_in_force(self):
        # No transitional article: counted from 2025-06-01 (Sun). 06-02 is the Dragon Boat holiday, so working
        # days run 06-03..06-06 (4), 09-13 (9), 16-20 (14), 23-27 (19), 06-30 (20), 07-01..04 (24),
        # 07-07..11 (29), 07-14 (30).
        f = run(FACE_FILING, D(2025, 6, 1),
                org=org(face_data_individuals=150_000, face_data_threshold_reached_on="2025-03-01"))
        assert f.deadline.date == D(2025, 7, 14)

    def test_deadline_needs_the_date_reached(self):
        f = run(FACE_FILING, D(2025, 8, 1), org=org(face_data_individuals=150_000))
        assert f.status == "applies"
        assert f.deadline.date is None
        assert "organisation.face_data_threshold_reached_on" in basis_text(f.deadline)

    def test_penalty_under_the_pipl(self):
        # Art. 18: dealt with under other laws; PIPL Art. 66 ¶2 up to RMB 50,000,000 or 5% of turnover.
        f = run(FACE_FILING, D(2025, 8, 1), org=org(face_data_individuals=150_000))
        assert f.penalty["max_rmb"] == 50_000_000
        assert float(f.penalty["max_turnover_share"]) == 0.05


class TestFaceImpactAssessment:

    def test_not_in_force_day_before(self):
        assert run(FACE_PIA, D(2025, 5, 31), svc(**FACE)).status == "not_in_force"

    def test_running_service_must_have_it_from_day_one(self):
        # Art. 9: assessed before processing; a service already running complies from 2025-06-01.
        f = run(FACE_PIA, D(2025, 6, 1), svc(**FACE))
        assert f.status == "applies"
        assert f.deadline.date == D(2025, 6, 1)

    def test_new_service_assesses_before_launch(self):
        f = run(FACE_PIA, D(2025, 7, 1), svc(**FACE, launched_on="2025-08-01"))
        assert f.deadline.date == D(2025, 7, 31)

    def test_no_facial_recognition(self):
        assert run(FACE_PIA, D(2025, 7, 1)).status == "does_not_apply"

    def test_unknown_use_named(self):
        f = run(FACE_PIA, D(2025, 7, 1), svc(facial_recognition=DROP))
        assert f.status == "unknown"
        assert f.missing_facts == ["service.facial_recognition"]


class TestFaceNoticeAndConsent:

    def test_applies_with_separate_consent(self):
        # Art. 6: 单独同意 where consent is the basis.
        f = run(FACE_NOTICE, D(2025, 6, 1), svc(**FACE))
        assert f.status == "applies"
        assert "separate consent" in f.standing_duty
        assert "under 14" not in f.standing_duty

    def test_children_under_14_need_a_guardian(self):
        # Art. 7: parents' or guardians' consent for children under 14.
        assert "under 14" in run(FACE_NOTICE, D(2025, 6, 1), svc(**FACE, serves_minors=True)).standing_duty

    def test_not_in_force_day_before(self):
        assert run(FACE_NOTICE, D(2025, 5, 31), svc(**FACE)).status == "not_in_force"


class TestFaceAlternative:

    def test_offered_alternative_satisfies(self):
        f = run(FACE_ALT, D(2025, 6, 1), svc(**FACE))
        assert f.status == "applies"
        assert f.compliance == "satisfied"

    def test_face_only_verification_is_a_breach(self):
        # Art. 10: no face-only verification where other means achieve the purpose.
        f = run(FACE_ALT, D(2025, 6, 1), svc(**FACE, face_verification_alternative=False))
        assert f.compliance == "overdue"

    def test_state_rules_requiring_faces_exempt(self):
        # Art. 10 ¶2: 国家 ... 另有规定的，从其规定.
        f = run(FACE_ALT, D(2025, 6, 1), svc(**FACE, face_verification_alternative=False,
                                                face_verification_required_by_law=True))
        assert f.status == "does_not_apply"

    def test_unknown_exemption_named(self):
        f = run(FACE_ALT, D(2025, 6, 1), svc(**FACE, face_verification_required_by_law=DROP))
        assert f.status == "unknown"
        assert f.missing_facts == ["service.face_verification_required_by_law"]

    def test_not_in_force_day_before(self):
        assert run(FACE_ALT, D(2025, 5, 31), svc(**FACE)).status == "not_in_force"


# ========================================================================
# National Network Identity Measures (in force 2025-07-15, Art. 16)
# ========================================================================

class TestNetworkIdentity:

    def test_not_in_force_day_before(self):
        assert run(NETWORK_ID, D(2025, 7, 14), svc(national_network_identity=True)).status == "not_in_force"

    def test_applies_on_in_force_day_once_joined(self):
        # Art. 7 ¶2-3 and Art. 8 ¶3 bind platforms that have joined the public service.
        f = run(NETWORK_ID, D(2025, 7, 15), svc(national_network_identity=True))
        assert f.status == "applies"
        assert f.citation["article"] == "7 ¶2-3, 8 ¶3"
        assert "same service" in f.standing_duty

    def test_joining_is_voluntary(self):
        # Art. 7 ¶1: platforms are encouraged, not required, to join.
        assert run(NETWORK_ID, D(2025, 8, 1)).status == "does_not_apply"

    def test_unknown_named(self):
        f = run(NETWORK_ID, D(2025, 8, 1), svc(national_network_identity=DROP))
        assert f.status == "unknown"
        assert f.missing_facts == ["service.national_network_identity"]


# ========================================================================
# Anti-Unfair Competition Law, 2025 revision (in force 2025-10-15, Art. 41)
# ========================================================================

class TestAuclOnline:

    def test_not_in_force_before_the_2017_revision(self):
        # 2017 text Art. 33: in force 2018-01-01; its Art. 12 is the first internet article.
        assert run(ONLINE, D(2017, 12, 31)).status == "not_in_force"
        f = run(ONLINE, D(2018, 1, 1))
        assert f.status == "applies"
        assert f.citation["short"] == "AUCL (2017)"
        assert f.citation["article"] == "12 ¶2"
        assert f.penalty["max_rmb"] == 3_000_000   # 2017 Art. 24: serious cases RMB 500,000-3,000,000

    def test_2025_revision_from_its_in_force_day(self):
        assert run(ONLINE, D(2025, 10, 14)).citation["article"] == "12 ¶2"
        f = run(ONLINE, D(2025, 10, 15))
        assert f.status == "applies"
        assert f.citation["short"] == "AUCL"
        assert f.citation["article"] == "13 ¶2-4"
        assert f.penalty["max_rmb"] == 5_000_000   # Art. 29: serious cases RMB 1,000,000-5,000,000

    def test_non_commercial_service_of_a_business(self):
        # Art. 2 ¶3: any organisation producing or trading goods or services is an operator.
        assert run(ONLINE, D(2025, 11, 3), svc(commercial=False)).status == "applies"

    def test_state_organ_without_a_commercial_service(self):
        f = run(ONLINE, D(2025, 11, 3), svc(commercial=False), org=org(state_organ=True))
        assert f.status == "does_not_apply"

    def test_unknown_operator_named(self):
        f = run(ONLINE, D(2025, 11, 3), svc(commercial=False), org=org(state_organ=DROP))
        assert f.status == "unknown"
        assert "organisation.state_organ" in f.missing_facts


class TestAuclPlatform:

    @pytest.mark.parametrize("obligation", [BELOW_COST, PLATFORM_RULES])
    def test_not_in_force_day_before(self, obligation):
        assert run(obligation, D(2025, 10, 14), svc(platform_for_merchants=True)).status == "not_in_force"

    @pytest.mark.parametrize("obligation", [BELOW_COST, PLATFORM_RULES])
    def test_platform_with_merchants(self, obligation):
        assert run(obligation, D(2025, 10, 15), svc(platform_for_merchants=True)).status == "applies"

    @pytest.mark.parametrize("obligation", [BELOW_COST, PLATFORM_RULES])
    def test_not_a_platform(self, obligation):
        assert run(obligation, D(2025, 10, 15)).status == "does_not_apply"

    @pytest.mark.parametrize("obligation", [BELOW_COST, PLATFORM_RULES])
    def test_unknown_named(self, obligation):
        f = run(obligation, D(2025, 10, 15), svc(platform_for_merchants=DROP))
        assert f.status == "unknown"
        assert f.missing_facts == ["service.platform_for_merchants"]

    def test_below_cost_fines(self):
        # Art. 30: RMB 50,000-500,000; serious cases RMB 500,000-2,000,000.
        f = run(BELOW_COST, D(2025, 10, 15), svc(platform_for_merchants=True))
        assert f.citation["article"] == "14"
        assert f.penalty["max_rmb"] == 2_000_000

    def test_platform_rules_carry_no_fine(self):
        # Chapter 4 sets no fine for Art. 21.
        f = run(PLATFORM_RULES, D(2025, 10, 15), svc(platform_for_merchants=True))
        assert f.citation["article"] == "21"
        assert f.penalty is None


# ========================================================================
# App Necessary PI Rules (in force 2021-05-01); PIPL Art. 16 from 2021-11-01
# ========================================================================

class TestAppBasicFunctions:

    def test_not_in_force_day_before(self):
        assert run(BASIC, D(2021, 4, 30)).status == "not_in_force"

    def test_applies_on_in_force_day_under_the_csl(self):
        f = run(BASIC, D(2021, 5, 1))
        assert f.status == "applies"
        assert f.citation["article"] == "4 (CSL Art. 41)"
        assert f.penalty["max_rmb"] == 1_000_000   # CSL Art. 64 ¶1, without illegal gains
        assert f.compliance == "satisfied"

    def test_pipl_from_its_entry_into_force(self):
        assert run(BASIC, D(2021, 10, 31)).citation["article"] == "4 (CSL Art. 41)"
        f = run(BASIC, D(2021, 11, 1))
        assert f.citation["article"] == "4 (PIPL Art. 16)"
        assert f.penalty["max_rmb"] == 50_000_000

    @pytest.mark.parametrize("kind", ["mini_program", "game"])
    def test_mini_programs_and_games_are_apps(self, kind):
        # Art. 2 ¶2: mini programs used without installation are apps; online games are an Art. 5 type.
        assert run(BASIC, D(2022, 1, 4), svc(kind=kind)).status == "applies"

    def test_websites_are_outside(self):
        assert run(BASIC, D(2022, 1, 4), svc(kind="website")).status == "does_not_apply"

    def test_unknown_kind_named(self):
        f = run(BASIC, D(2022, 1, 4), svc(kind=DROP))
        assert f.status == "unknown"
        assert f.missing_facts == ["service.kind"]

    def test_refusing_basic_functions_is_a_breach(self):
        # Art. 4: 不得因为用户不同意提供非必要个人信息，而拒绝用户使用其基本功能服务.
        f = run(BASIC, D(2022, 1, 4), svc(refuses_basic_functions_without_nonnecessary_pi=True))
        assert f.compliance == "overdue"

    def test_any_app_type_is_bound(self):
        # Art. 2 reaches every app collecting PI, not only the 39 types of Art. 5: no type is asked.
        f = run(BASIC, D(2022, 1, 4), svc(refuses_basic_functions_without_nonnecessary_pi=DROP))
        assert f.status == "applies"
        assert f.compliance == "open"
