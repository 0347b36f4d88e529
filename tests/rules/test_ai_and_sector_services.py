"""Algorithm, AI and sector service rules: expectations derived from the law, not the code.

Sources (all under /work/shared):
- regulations/texts/互联网信息服务算法推荐管理规定(2021-11-16).md (official text: Arts. 2, 17, 20,
  24, 31, 32, 35) and sector.md §3;
- sector.md §4a (Deep Synthesis Art. 19, in force 2023-01-10), §4b (GenAI Art. 17, in force
  2023-08-15), §4c (Labelling Measures, in force 2025-09-01 by Art. 14);
- addendum-2026-11.md §7.3 and §12 (Anthropomorphic AI Measures, full text: Arts. 2, 14, 18, 22
  (注册用户100万以上或者月活跃用户10万以上), 30 (fines up to RMB 100,000 / 200,000), 32 (2026-07-15));
- addendum §5 (2018 online diagnosis measures effective 2018-07-17 [M]; 2022 Supervision Rules
  dated 2022-02-08 [M], effective-on-issue [L], Art. 21 [M]);
- addendum §6 (2021 ICV road-testing norms: effective date [L], article numbers unconfirmed);
- regulations/texts/测绘法(2017-04-27).md (Art. 27 qualification, Art. 55 penalty, Art. 68 in force
  2017-07-01);
- spec/catalogue.md (ids, in-force dates, deadlines), spec/manifest.md (service facts).

Boundary words (Civil Code Art. 1259): 以上 includes the number. Periods (Civil Code Art. 201):
counting starts the day after launch; N working days follow the official holiday calendar
(make-up working days count, holidays do not).
"""

from __future__ import annotations

import datetime

import pytest

from hegui.engine import assess
from hegui.manifest.model import Manifest
from hegui.report.reasons import reason, steps
from hegui.rulebook import default_rulebook
from hegui.report.notices import texts
from hegui.report.deadlines import basis_text

from builders import DROP, merge

D = datetime.date

ALGO_FILING = "algo.filing"
OPT_OUT = "algo.user-opt-out"
WORKERS = "algo.worker-protection"
DS_FILING = "deep-synthesis.filing"
GENAI = "genai.assessment-and-filing"
LABELS = "ai-labelling.content-labels"
ANTHRO_SA = "anthropomorphic-ai.security-assessment"
ANTHRO_MINORS = "anthropomorphic-ai.minor-protections"
PHYSICAL = "online-healthcare.physical-institution"
NO_AI_RX = "online-healthcare.no-ai-prescriptions"
ROAD_TEST = "icv.road-testing-permit"
SURVEYING = "icv.surveying-qualification"

SUBJECT = "service:svc"

# Every triggering fact explicitly false, so each test switches on only what it needs.
BASE = {
    "id": "svc", "kind": "app", "commercial": True, "public_facing": True, "launched_on": "2021-06-01",
    "algorithmic_recommendation": False, "public_opinion_attributes": False,
    "algorithmic_dispatch_of_workers": False, "generative_ai": False, "deep_synthesis": False,
    "emotional_companionship": False, "registered_users": 0, "monthly_active_users": 0,
    "serves_minors": False, "online_diagnosis": False, "issues_prescriptions": False,
    "ai_generated_prescriptions": False, "backed_by_physical_medical_institution": False,
    "autonomous_driving_road_testing": False, "collects_hd_map_data": False,
    "surveying_qualification": False,
}


def service(**changes) -> dict:
    return merge(BASE, changes)


def run(obligation: str, as_of: datetime.date, svc: dict, compliance: list | None = None):
    doc = {"format": "hegui/1", "organisation": {"name": "X", "operates_in_mainland": True},
           "services": [svc]}
    if compliance:
        doc["compliance"] = compliance
    a = assess(Manifest.model_validate(doc), as_of)
    return next(f for f in a.findings if f.obligation == obligation and f.subject == SUBJECT)


def record(obligation: str, done_on: str) -> list:
    return [{"obligation": obligation, "subject": SUBJECT, "done_on": done_on}]


# ========================================================================
# Algorithmic Recommendation Provisions (in force 2022-03-01, Art. 35)
# ========================================================================

ALGO = dict(algorithmic_recommendation=True, public_opinion_attributes=True)


class TestAlgoFiling:

    def test_not_in_force_day_before(self):
        assert run(ALGO_FILING, D(2022, 2, 28), service(**ALGO)).status == "not_in_force"

    def test_applies_on_in_force_day(self):
        # Art. 24: providers with public-opinion attributes or mobilisation capacity file.
        f = run(ALGO_FILING, D(2022, 3, 1), service(**ALGO))
        assert f.status == "applies"
        assert f.citation["short"] == "Algorithmic Recommendation Provisions"
        assert f.citation["article"] == "24"
        assert f.citation["in_force"] == "2022-03-01"
        assert f.review == "verified"

    def test_no_public_opinion_attributes(self):
        # Art. 24 reaches only providers with public-opinion attributes.
        f = run(ALGO_FILING, D(2023, 1, 3), service(algorithmic_recommendation=True))
        assert f.status == "does_not_apply"

    def test_no_algorithmic_recommendation(self):
        f = run(ALGO_FILING, D(2023, 1, 3), service(public_opinion_attributes=True))
        assert f.status == "does_not_apply"

    def test_unknown_public_opinion_attributes_named(self):
        f = run(ALGO_FILING, D(2023, 1, 3), service(algorithmic_recommendation=True,
                                                     public_opinion_attributes=DROP))
        assert f.status == "unknown"
        assert "service.public_opinion_attributes" in f.missing_facts

    def test_deadline_across_national_day_2022(self):
        # Launched Wed 2022-09-28: 09-29, 09-30 (2); 10-01..07 holiday; 10-08, 10-09 make-up days
        # (4); 10-10..14 (9); 10-17 (10).
        f = run(ALGO_FILING, D(2022, 11, 1), service(**ALGO, launched_on="2022-09-28"))
        assert f.deadline.date == D(2022, 10, 17)
        assert f.deadline.article == "24"

    def test_deadline_for_service_running_before_in_force(self):
        # Counted from 2022-03-01 (Tue): 03-02..04 (3), 03-07..11 (8), 03-14 (9), 03-15 (10).
        f = run(ALGO_FILING, D(2022, 3, 1), service(**ALGO, launched_on="2019-05-01"))
        assert f.deadline.date == D(2022, 3, 15)

    def test_deadline_needs_launch_date(self):
        f = run(ALGO_FILING, D(2023, 1, 3), service(**ALGO, launched_on=DROP))
        assert f.status == "applies"
        assert f.deadline.date is None
        assert "service.launched_on" in basis_text(f.deadline)

    def test_compliance_open_then_overdue(self):
        s = service(**ALGO, launched_on="2022-09-28")
        assert run(ALGO_FILING, D(2022, 10, 17), s).compliance == "open"      # last day
        assert run(ALGO_FILING, D(2022, 10, 18), s).compliance == "overdue"

    def test_filing_record_satisfies(self):
        f = run(ALGO_FILING, D(2022, 11, 1), service(**ALGO, launched_on="2022-09-28"),
                record(ALGO_FILING, "2022-10-12"))
        assert f.status == "applies"
        assert f.compliance == "satisfied"

    def test_penalty(self):
        # Art. 31: refusal or serious cases -> fine RMB 10,000-100,000 (Art. 24 is listed).
        f = run(ALGO_FILING, D(2023, 1, 3), service(**ALGO))
        assert f.penalty["article"] == "31"
        assert f.penalty["max_rmb"] == 100_000


class TestAlgoUserOptOut:

    def test_not_in_force_day_before(self):
        assert run(OPT_OUT, D(2022, 2, 28), service(algorithmic_recommendation=True)).status == "not_in_force"

    def test_any_algorithmic_recommendation_service(self):
        # Art. 17 binds every provider, public-opinion attributes or not.
        f = run(OPT_OUT, D(2022, 3, 1), service(algorithmic_recommendation=True))
        assert f.status == "applies"
        assert f.citation["article"] == "17"
        assert f.deadline is None
        assert f.standing_duty

    def test_not_algorithmic(self):
        assert run(OPT_OUT, D(2023, 1, 3), service()).status == "does_not_apply"

    def test_unknown_named(self):
        f = run(OPT_OUT, D(2023, 1, 3), service(algorithmic_recommendation=DROP))
        assert f.status == "unknown"
        assert f.missing_facts == ["service.algorithmic_recommendation"]

    def test_penalty(self):
        # Art. 31 lists Art. 17: up to RMB 100,000.
        f = run(OPT_OUT, D(2023, 1, 3), service(algorithmic_recommendation=True))
        assert f.penalty["article"] == "31"
        assert f.penalty["max_rmb"] == 100_000


class TestAlgoWorkerProtection:

    def test_not_in_force_day_before(self):
        assert run(WORKERS, D(2022, 2, 28), service(algorithmic_dispatch_of_workers=True)).status == "not_in_force"

    def test_dispatch_of_workers(self):
        # Art. 20: work-dispatch services protect pay, rest and leave.
        f = run(WORKERS, D(2022, 3, 1), service(algorithmic_dispatch_of_workers=True))
        assert f.status == "applies"
        assert f.citation["article"] == "20"

    def test_no_dispatch(self):
        assert run(WORKERS, D(2023, 1, 3), service(algorithmic_recommendation=True)).status == "does_not_apply"

    def test_unknown_named(self):
        f = run(WORKERS, D(2023, 1, 3), service(algorithmic_dispatch_of_workers=DROP))
        assert f.status == "unknown"
        assert "service.algorithmic_dispatch_of_workers" in f.missing_facts

    def test_no_own_fine(self):
        # Art. 32: breaches of Art. 20 are handled under other laws; no fine scale here.
        assert run(WORKERS, D(2023, 1, 3), service(algorithmic_dispatch_of_workers=True)).penalty is None


# ========================================================================
# Deep Synthesis Provisions (in force 2023-01-10), Art. 19
# ========================================================================

DS = dict(deep_synthesis=True, public_opinion_attributes=True)


class TestDeepSynthesisFiling:

    def test_not_in_force_day_before(self):
        assert run(DS_FILING, D(2023, 1, 9), service(**DS)).status == "not_in_force"

    def test_applies_on_in_force_day(self):
        f = run(DS_FILING, D(2023, 1, 10), service(**DS, launched_on="2023-01-10"))
        assert f.status == "applies"
        assert f.citation["short"] == "Deep Synthesis Provisions"
        assert f.citation["article"] == "19"

    def test_spring_festival_2023(self):
        # Shared case deep-synthesis-2023: launched Mon 2023-01-16; 01-17..20 (4); 01-21..27 holiday;
        # 01-28, 01-29 make-up days (6); 01-30, 01-31, 02-01, 02-02 (10).
        f = run(DS_FILING, D(2023, 3, 1), service(**DS, launched_on="2023-01-16"))
        assert f.status == "applies"
        assert f.deadline.date == D(2023, 2, 2)

    def test_launched_before_in_force_counted_from_in_force(self):
        # Counted from Tue 2023-01-10: 01-11..13 (3), 01-16..20 (8), holiday 01-21..27,
        # make-up Sat 01-28 (9), make-up Sun 01-29 (10).
        f = run(DS_FILING, D(2023, 3, 1), service(**DS, launched_on="2022-12-01"))
        assert f.deadline.date == D(2023, 1, 29)

    def test_no_public_opinion_attributes(self):
        assert run(DS_FILING, D(2023, 3, 1), service(deep_synthesis=True)).status == "does_not_apply"

    def test_not_deep_synthesis(self):
        assert run(DS_FILING, D(2023, 3, 1), service(public_opinion_attributes=True)).status == "does_not_apply"

    def test_unknown_named(self):
        f = run(DS_FILING, D(2023, 3, 1), service(public_opinion_attributes=True, deep_synthesis=DROP))
        assert f.status == "unknown"
        assert "service.deep_synthesis" in f.missing_facts

    def test_overdue_and_record(self):
        s = service(**DS, launched_on="2023-01-16")
        assert run(DS_FILING, D(2023, 2, 3), s).compliance == "overdue"
        assert run(DS_FILING, D(2023, 2, 3), s, record(DS_FILING, "2023-02-01")).compliance == "satisfied"

    def test_no_penalty_encoded(self):
        # Deep Synthesis Art. 22 (penalties) was not read [L]: no fine is encoded.
        assert run(DS_FILING, D(2023, 3, 1), service(**DS)).penalty is None


# ========================================================================
# Generative AI Interim Measures (CAC Order No. 15, in force 2023-08-15), Art. 17
# ========================================================================

GEN = dict(generative_ai=True, public_facing=True, public_opinion_attributes=True)


class TestGenAI:

    def test_not_in_force_day_before(self):
        assert run(GENAI, D(2023, 8, 14), service(**GEN)).status == "not_in_force"

    def test_applies_on_in_force_day(self):
        f = run(GENAI, D(2023, 8, 15), service(**GEN, launched_on="2023-10-10"))
        assert f.status == "applies"
        assert f.citation["article"] == "17"
        assert f.citation["document"] == "CAC Order No. 15"   # addendum §7.1

    def test_before_launch(self):
        # Catalogue: before launch -> last day is the day before.
        f = run(GENAI, D(2023, 9, 1), service(**GEN, launched_on="2023-10-10"))
        assert f.deadline.date == D(2023, 10, 9)

    def test_launched_before_in_force(self):
        # A service already public on 2023-08-15 must comply from that day.
        f = run(GENAI, D(2023, 9, 1), service(**GEN, launched_on="2023-05-01"))
        assert f.deadline.date == D(2023, 8, 15)
        assert f.compliance == "overdue"

    def test_not_public_facing(self):
        # Art. 2: services not offered to the domestic public are outside the Measures.
        assert run(GENAI, D(2024, 1, 2), service(**{**GEN, "public_facing": False})).status == "does_not_apply"

    def test_no_public_opinion_attributes(self):
        assert run(GENAI, D(2024, 1, 2), service(**{**GEN, "public_opinion_attributes": False})).status == "does_not_apply"

    def test_not_generative(self):
        assert run(GENAI, D(2024, 1, 2), service(**{**GEN, "generative_ai": False})).status == "does_not_apply"

    def test_unknown_named(self):
        f = run(GENAI, D(2024, 1, 2), service(**{**GEN, "public_facing": DROP}))
        assert f.status == "unknown"
        assert "service.public_facing" in f.missing_facts

    def test_no_penalty_encoded(self):
        # GenAI Art. 21 not read [L]: no fine is encoded.
        assert run(GENAI, D(2024, 1, 2), service(**GEN)).penalty is None


# ========================================================================
# AI Content Labelling Measures (in force 2025-09-01, Art. 14)
# ========================================================================

class TestContentLabels:

    def test_not_in_force_day_before(self):
        assert run(LABELS, D(2025, 8, 31), service(generative_ai=True)).status == "not_in_force"

    def test_generative_ai_on_in_force_day(self):
        f = run(LABELS, D(2025, 9, 1), service(generative_ai=True))
        assert f.status == "applies"
        assert f.citation["in_force"] == "2025-09-01"
        assert f.deadline is None            # a standing duty
        assert f.standing_duty

    def test_deep_synthesis(self):
        assert run(LABELS, D(2025, 9, 1), service(deep_synthesis=True)).status == "applies"

    def test_neither(self):
        assert run(LABELS, D(2025, 9, 1), service()).status == "does_not_apply"

    def test_unknown_when_one_is_unknown_and_other_false(self):
        f = run(LABELS, D(2025, 9, 1), service(generative_ai=DROP))
        assert f.status == "unknown"
        assert "service.generative_ai" in f.missing_facts

    def test_applies_when_one_true_other_unknown(self):
        # Kleene: true or unknown is true.
        assert run(LABELS, D(2025, 9, 1), service(generative_ai=DROP, deep_synthesis=True)).status == "applies"

    def test_no_own_fine(self):
        assert run(LABELS, D(2025, 9, 1), service(generative_ai=True)).penalty is None


# ========================================================================
# Anthropomorphic AI Interaction Measures (in force 2026-07-15, Art. 32)
# ========================================================================

COMPANION = dict(emotional_companionship=True, public_facing=True, launched_on="2025-03-01")
AFTER = D(2026, 9, 1)


class TestAnthropomorphicAssessment:

    def test_not_in_force_day_before(self):
        f = run(ANTHRO_SA, D(2026, 7, 14), service(**COMPANION, registered_users=5_000_000))
        assert f.status == "not_in_force"

    def test_in_force_day_pre_existing_large_service(self):
        # Art. 22(3); a service online before 2026-07-15 must comply from that day.
        f = run(ANTHRO_SA, D(2026, 7, 15), service(**COMPANION, registered_users=5_000_000))
        assert f.status == "applies"
        assert f.citation["article"] == "22"
        assert f.deadline.date == D(2026, 7, 15)

    @pytest.mark.parametrize("n, expected", [
        (999_999, "does_not_apply"),
        (1_000_000, "applies"),        # 注册用户100万以上: 以上 includes the number
        (1_000_001, "applies"),
    ])
    def test_registered_users_threshold(self, n, expected):
        f = run(ANTHRO_SA, AFTER, service(**COMPANION, registered_users=n, monthly_active_users=0))
        assert f.status == expected

    @pytest.mark.parametrize("n, expected", [
        (99_999, "does_not_apply"),
        (100_000, "applies"),          # 月活跃用户10万以上: 以上 includes the number
        (100_001, "applies"),
    ])
    def test_monthly_active_users_threshold(self, n, expected):
        f = run(ANTHRO_SA, AFTER, service(**COMPANION, registered_users=0, monthly_active_users=n))
        assert f.status == expected

    def test_threshold_step_cites_parameter(self):
        f = run(ANTHRO_SA, AFTER, service(**COMPANION, registered_users=1_000_000))
        params = {k: v for s in steps(f, default_rulebook()) for k, v in s.parameters.items()}
        assert params["anthro_assessment_registered_users"]["value"] == 1_000_000
        assert params["anthro_assessment_registered_users"]["article"] == "22(3)"
        assert params["anthro_assessment_registered_users"]["wording"] == "以上"

    def test_new_launch_after_in_force_any_size(self):
        # Art. 22(1): launching the service triggers the assessment; before launch.
        f = run(ANTHRO_SA, AFTER, service(**{**COMPANION, "launched_on": "2026-08-03"}))
        assert f.status == "applies"
        assert f.deadline.date == D(2026, 8, 2)

    def test_not_emotional_companionship(self):
        # Art. 2 ¶3: customer service, Q&A, work assistants without emotional interaction are outside.
        f = run(ANTHRO_SA, AFTER, service(**{**COMPANION, "emotional_companionship": False},
                                          registered_users=5_000_000))
        assert f.status == "does_not_apply"

    def test_not_public_facing(self):
        f = run(ANTHRO_SA, AFTER, service(**{**COMPANION, "public_facing": False}, registered_users=5_000_000))
        assert f.status == "does_not_apply"

    def test_unknown_user_counts_named(self):
        f = run(ANTHRO_SA, AFTER, service(**COMPANION, registered_users=DROP, monthly_active_users=DROP))
        assert f.status == "unknown"
        assert "service.registered_users" in f.missing_facts
        assert "service.monthly_active_users" in f.missing_facts

    def test_record_satisfies(self):
        f = run(ANTHRO_SA, AFTER, service(**COMPANION, monthly_active_users=200_000),
                record(ANTHRO_SA, "2026-07-10"))
        assert f.compliance == "satisfied"

    def test_overdue_without_record(self):
        f = run(ANTHRO_SA, AFTER, service(**COMPANION, monthly_active_users=200_000))
        assert f.compliance == "overdue"

    def test_penalty(self):
        # Art. 30: RMB 10,000-100,000; RMB 100,000-200,000 where life or health is harmed.
        f = run(ANTHRO_SA, AFTER, service(**COMPANION, registered_users=5_000_000))
        assert f.penalty["article"] == "30"
        assert f.penalty["max_rmb"] == 200_000


class TestAnthropomorphicMinors:

    def test_not_in_force_day_before(self):
        assert run(ANTHRO_MINORS, D(2026, 7, 14), service(**COMPANION)).status == "not_in_force"

    def test_applies_on_in_force_day(self):
        # Arts. 14, 18: standing duties of every in-scope provider.
        f = run(ANTHRO_MINORS, D(2026, 7, 15), service(**COMPANION))
        assert f.status == "applies"
        assert f.citation["article"] == "14, 18"
        assert f.deadline is None

    def test_serving_minors_gets_full_duty(self):
        f = run(ANTHRO_MINORS, AFTER, service(**COMPANION, serves_minors=True))
        assert "under 14" in f.standing_duty          # Art. 14 ¶1: guardian consent under 14
        assert "2 hours" in f.standing_duty           # Art. 18 ¶2: reminder past 2 hours

    def test_not_serving_minors_still_minor_mode(self):
        f = run(ANTHRO_MINORS, AFTER, service(**COMPANION, serves_minors=False))
        assert f.status == "applies"                  # Art. 14 ¶¶2-3 bind every provider
        assert "minor mode" in f.standing_duty
        assert "under 14" not in f.standing_duty

    def test_not_in_scope(self):
        assert run(ANTHRO_MINORS, AFTER, service(public_facing=True)).status == "does_not_apply"

    def test_unknown_named(self):
        f = run(ANTHRO_MINORS, AFTER, service(**{**COMPANION, "emotional_companionship": DROP}))
        assert f.status == "unknown"
        assert "service.emotional_companionship" in f.missing_facts

    def test_penalty(self):
        f = run(ANTHRO_MINORS, AFTER, service(**COMPANION))
        assert f.penalty["max_rmb"] == 200_000


# ========================================================================
# Online healthcare
# ========================================================================

class TestPhysicalInstitution:

    def test_not_in_force_day_before(self):
        # addendum §5.1: effective 2018-07-17 [M].
        assert run(PHYSICAL, D(2018, 7, 16), service(online_diagnosis=True)).status == "not_in_force"

    def test_applies_on_in_force_day(self):
        f = run(PHYSICAL, D(2018, 7, 17), service(online_diagnosis=True))
        assert f.status == "applies"
        assert f.citation["document"] == "国卫医发〔2018〕25号"
        assert default_rulebook().obligations[f.obligation].version_on(f.context_day).confidence == "M"           # addendum §5.1: 2018-07-17 is [M]

    def test_backed_is_satisfied(self):
        f = run(PHYSICAL, D(2024, 1, 2), service(online_diagnosis=True, backed_by_physical_medical_institution=True))
        assert f.status == "applies"
        assert f.compliance == "satisfied"

    def test_not_backed_is_a_breach_not_does_not_apply(self):
        # The compliance fact decides compliance, never the status. A standing duty that the
        # manifest shows broken is a present breach: overdue (it has no future deadline to be open to).
        f = run(PHYSICAL, D(2024, 1, 2), service(online_diagnosis=True, backed_by_physical_medical_institution=False))
        assert f.status == "applies"
        assert f.compliance == "overdue"

    def test_backing_unknown_does_not_change_status(self):
        f = run(PHYSICAL, D(2024, 1, 2), service(online_diagnosis=True, backed_by_physical_medical_institution=DROP))
        assert f.status == "applies"
        assert f.compliance != "satisfied"

    def test_no_online_diagnosis(self):
        assert run(PHYSICAL, D(2024, 1, 2), service()).status == "does_not_apply"

    def test_unknown_named(self):
        f = run(PHYSICAL, D(2024, 1, 2), service(online_diagnosis=DROP))
        assert f.status == "unknown"
        assert "service.online_diagnosis" in f.missing_facts


class TestNoAIPrescriptions:

    def test_not_in_force_day_before(self):
        # Dated 2022-02-08 [M]; effective on issue [L].
        assert run(NO_AI_RX, D(2022, 2, 7), service(issues_prescriptions=True)).status == "not_in_force"

    def test_applies_on_in_force_day_unverified(self):
        f = run(NO_AI_RX, D(2022, 2, 8), service(issues_prescriptions=True))
        assert f.status == "applies"
        assert f.citation["article"] == "21"
        assert f.citation["document"] == "国卫办医发〔2022〕2号"
        assert f.review == "unverified"
        assert any("unverified" in w for w in texts(f.warnings))

    def test_ai_generated_prescriptions_not_compliant(self):
        f = run(NO_AI_RX, D(2024, 1, 2), service(issues_prescriptions=True, ai_generated_prescriptions=True))
        assert f.status == "applies"
        assert f.compliance != "satisfied"

    def test_doctor_issued_prescriptions_compliant(self):
        f = run(NO_AI_RX, D(2024, 1, 2), service(issues_prescriptions=True, ai_generated_prescriptions=False))
        assert f.status == "applies"
        assert f.compliance == "satisfied"

    def test_unknown_ai_fact_leaves_compliance_open(self):
        f = run(NO_AI_RX, D(2024, 1, 2), service(issues_prescriptions=True, ai_generated_prescriptions=DROP))
        assert f.status == "applies"
        assert f.compliance == "open"

    def test_no_prescriptions(self):
        assert run(NO_AI_RX, D(2024, 1, 2), service(ai_generated_prescriptions=True)).status == "does_not_apply"

    def test_unknown_named(self):
        f = run(NO_AI_RX, D(2024, 1, 2), service(issues_prescriptions=DROP))
        assert f.status == "unknown"
        assert "service.issues_prescriptions" in f.missing_facts


# ========================================================================
# Intelligent connected vehicles
# ========================================================================

class TestRoadTestingPermit:

    def test_not_in_force_day_before(self):
        assert run(ROAD_TEST, D(2021, 8, 31), service(autonomous_driving_road_testing=True)).status == "not_in_force"

    def test_applies_on_unverified_in_force_day(self):
        # 2021-09-01 is [L] (addendum §6.1): the rule says it is unverified.
        f = run(ROAD_TEST, D(2021, 9, 1), service(autonomous_driving_road_testing=True))
        assert f.status == "applies"
        assert f.review == "unverified"
        assert f.citation["document"] == "工信部联通装〔2021〕97号"
        assert any("unverified" in w for w in texts(f.warnings))

    def test_no_road_testing(self):
        assert run(ROAD_TEST, D(2024, 1, 2), service()).status == "does_not_apply"

    def test_unknown_named(self):
        f = run(ROAD_TEST, D(2024, 1, 2), service(autonomous_driving_road_testing=DROP))
        assert f.status == "unknown"
        assert "service.autonomous_driving_road_testing" in f.missing_facts

    def test_permit_record_satisfies(self):
        f = run(ROAD_TEST, D(2024, 1, 2), service(autonomous_driving_road_testing=True),
                record(ROAD_TEST, "2023-05-01"))
        assert f.compliance == "satisfied"

    def test_without_record_open(self):
        assert run(ROAD_TEST, D(2024, 1, 2), service(autonomous_driving_road_testing=True)).compliance == "open"


class TestSurveyingQualification:

    def test_not_in_force_day_before(self):
        # Surveying and Mapping Law Art. 68: the 2017 revision in force 2017-07-01.
        assert run(SURVEYING, D(2017, 6, 30), service(collects_hd_map_data=True)).status == "not_in_force"

    def test_applies_on_in_force_day(self):
        f = run(SURVEYING, D(2017, 7, 1), service(collects_hd_map_data=True))
        assert f.status == "applies"
        assert f.citation["article"] == "27"
        assert f.review == "verified"

    def test_qualification_satisfies(self):
        f = run(SURVEYING, D(2024, 1, 2), service(collects_hd_map_data=True, surveying_qualification=True))
        assert f.status == "applies"
        assert f.compliance == "satisfied"

    def test_no_qualification_still_applies(self):
        # Collecting without the qualification is a present breach of a standing duty: overdue.
        f = run(SURVEYING, D(2024, 1, 2), service(collects_hd_map_data=True, surveying_qualification=False))
        assert f.status == "applies"
        assert f.compliance == "overdue"

    def test_no_hd_map_collection(self):
        assert run(SURVEYING, D(2024, 1, 2), service(surveying_qualification=True)).status == "does_not_apply"

    def test_unknown_named(self):
        f = run(SURVEYING, D(2024, 1, 2), service(collects_hd_map_data=DROP))
        assert f.status == "unknown"
        assert "service.collects_hd_map_data" in f.missing_facts

    def test_penalty_is_multiple_of_fee(self):
        # Art. 55: 1-2x the agreed surveying fee; no fixed ceiling the manifest can compute.
        f = run(SURVEYING, D(2024, 1, 2), service(collects_hd_map_data=True))
        assert f.penalty["article"] == "55"
        assert f.penalty["max_rmb"] is None
        assert "two times" in f.penalty["says"]
