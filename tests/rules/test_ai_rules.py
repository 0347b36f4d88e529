"""AI labelling, algorithm and blockchain filing changes (issue 10): expectations from the law.

Sources:
- AI Content Labelling Measures (国信办通字〔2025〕2号, in force 2025-09-01 by Art. 14), article
  text as quoted from the official publication in several public sources and sector.md §4c:
  Art. 2 (providers within the Algorithmic Recommendation Provisions, the Deep Synthesis
  Provisions or the Generative AI Measures), Art. 4 para. 1 (visible labels only for services
  within Deep Synthesis Provisions Art. 17 para. 1), Art. 5 (implicit metadata labels for all),
  Art. 6 (dissemination platforms), Art. 7 (app distribution platforms), Art. 10 (users who
  publish); no fine of their own (Art. 13);
- Generative AI Measures Art. 2 para. 3: not applicable to services not offered to the public in China;
- Deep Synthesis Provisions (CAC, MIIT, MPS Order No. 12) Art. 17 para. 1 (1)-(5): dialogue or
  writing simulating a person, voice synthesis or imitation, face or figure generation and
  manipulation, immersive realistic scenes, other functions generating or significantly changing content;
- regulations/texts/互联网信息服务算法推荐管理规定(2021-11-16).md (Order No. 9): Art. 24 para. 2
  (变更之日起十个工作日内), para. 3 (终止服务之日起二十个工作日内), Art. 31 (fine up to RMB 100,000),
  Art. 35 (in force 2022-03-01);
- sector.md §9, Blockchain Provisions (CAC Order No. 3, in force 2019-02-15) Art. 11 para. 2:
  changes filed within 5 working days after the change.

Periods (Civil Code Art. 201): counting starts the day after the event; N working days follow the
official holiday calendar (make-up working days count, holidays do not).
"""

from __future__ import annotations

import datetime

import pytest

from hegui.engine import assess
from hegui.manifest.model import Manifest
from hegui.rulebook import default_rulebook

from builders import DROP, merge

D = datetime.date

LABELS = "ai-labelling.content-labels"
VISIBLE = "ai-labelling.visible-labels"
IMPLICIT = "ai-labelling.implicit-labels"
PLATFORM = "ai-labelling.platform-checks"
APP_STORE = "ai-labelling.app-store-checks"
DECLARE = "ai-labelling.user-declaration"
ALGO_CHANGE = "algo.filing-change"
ALGO_DEREG = "algo.filing-deregistration"
BC_CHANGE = "blockchain.filing-change"

SERVICE = "service:svc"
ORG = "organisation"

# Every triggering fact explicitly false, so each test switches on only what it needs.
BASE = {
    "id": "svc", "kind": "app", "commercial": True, "public_facing": True, "launched_on": "2021-06-01",
    "algorithmic_recommendation": False, "public_opinion_attributes": False, "generative_ai": False,
    "deep_synthesis": False, "synthesis_functions": [], "content_distribution_platform": False,
    "app_distribution_platform": False, "blockchain_information_service": False,
}
ORGANISATION = {"name": "X", "operates_in_mainland": True, "publishes_ai_generated_content": False}

LABELS_IN_FORCE = D(2025, 9, 1)
AFTER = D(2025, 10, 9)


def service(**changes) -> dict:
    return merge(BASE, changes)


def run(obligation: str, as_of: datetime.date, svc: dict | None = None, org: dict | None = None,
        compliance: list | None = None, subject: str = SERVICE):
    doc = {"format": "hegui/1", "organisation": org or ORGANISATION, "services": [svc or service()]}
    if compliance:
        doc["compliance"] = compliance
    a = assess(Manifest.model_validate(doc), as_of)
    return next(f for f in a.findings if f.obligation == obligation and f.subject == subject)


def record(obligation: str, done_on: str) -> list:
    return [{"obligation": obligation, "subject": SERVICE, "done_on": done_on}]


# ========================================================================
# AI Content Labelling Measures: who is within them (Art. 2)
# ========================================================================

GENAI = dict(generative_ai=True, public_facing=True)


class TestContentLabelsScope:

    def test_public_generative_ai(self):
        assert run(LABELS, LABELS_IN_FORCE, service(**GENAI)).status == "applies"

    def test_generative_ai_not_offered_to_the_public_is_outside(self):
        # Generative AI Measures Art. 2 para. 3, so outside Labelling Measures Art. 2.
        f = run(LABELS, AFTER, service(generative_ai=True, public_facing=False))
        assert f.status == "does_not_apply"

    def test_public_facing_unknown_named(self):
        f = run(LABELS, AFTER, service(generative_ai=True, public_facing=DROP))
        assert f.status == "unknown"
        assert f.missing_facts == ["service.public_facing"]

    def test_deep_synthesis_not_public_still_within(self):
        # The Deep Synthesis Provisions have no public-facing limb.
        assert run(LABELS, AFTER, service(deep_synthesis=True, public_facing=False)).status == "applies"

    def test_cites_the_scope_and_label_articles(self):
        f = run(LABELS, AFTER, service(**GENAI))
        assert f.citation["article"] == "2-5, 8, 9, 11"
        assert f.citation["document"] == "国信办通字〔2025〕2号"
        assert "GB 45438-2025" in f.standing_duty


# ========================================================================
# Visible labels (Art. 4; Deep Synthesis Provisions Art. 17 para. 1)
# ========================================================================

class TestVisibleLabels:

    def test_not_in_force_day_before(self):
        f = run(VISIBLE, D(2025, 8, 31), service(**GENAI, synthesis_functions=["face"]))
        assert f.status == "not_in_force"

    def test_applies_on_in_force_day(self):
        f = run(VISIBLE, LABELS_IN_FORCE, service(**GENAI, synthesis_functions=["face"]))
        assert f.status == "applies"
        assert f.citation["article"] == "4"
        assert f.deadline is None
        assert "downloaded" in f.standing_duty          # Art. 4 para. 2
        assert f.penalty is None                        # no fine of their own (Art. 13)

    @pytest.mark.parametrize("function", ["text_dialogue", "voice", "face", "immersive_scene",
                                          "other_generation"])
    def test_each_function_listed_in_art_17(self, function):
        # Deep Synthesis Provisions Art. 17 para. 1 items (1)-(5).
        f = run(VISIBLE, AFTER, service(deep_synthesis=True, synthesis_functions=["minor_editing", function]))
        assert f.status == "applies"

    def test_only_minor_editing_needs_no_visible_label(self):
        f = run(VISIBLE, AFTER, service(deep_synthesis=True, synthesis_functions=["minor_editing"]))
        assert f.status == "does_not_apply"

    def test_functions_unknown_named(self):
        f = run(VISIBLE, AFTER, service(**GENAI, synthesis_functions=DROP))
        assert f.status == "unknown"
        assert f.missing_facts == ["service.synthesis_functions"]

    def test_not_within_the_measures(self):
        # A listed function, but a generative AI service not offered to the public (Art. 2).
        f = run(VISIBLE, AFTER, service(generative_ai=True, public_facing=False, synthesis_functions=["voice"]))
        assert f.status == "does_not_apply"


# ========================================================================
# Implicit labels (Art. 5)
# ========================================================================

class TestImplicitLabels:

    def test_not_in_force_day_before(self):
        assert run(IMPLICIT, D(2025, 8, 31), service(**GENAI)).status == "not_in_force"

    def test_applies_on_in_force_day(self):
        f = run(IMPLICIT, LABELS_IN_FORCE, service(**GENAI))
        assert f.status == "applies"
        assert f.citation["article"] == "5"
        assert "metadata" in f.standing_duty

    def test_all_content_even_minor_editing(self):
        # Art. 5 does not depend on Deep Synthesis Provisions Art. 17.
        f = run(IMPLICIT, AFTER, service(deep_synthesis=True, synthesis_functions=["minor_editing"]))
        assert f.status == "applies"

    def test_no_generation(self):
        assert run(IMPLICIT, AFTER, service(algorithmic_recommendation=True)).status == "does_not_apply"

    def test_unknown_named(self):
        f = run(IMPLICIT, AFTER, service(deep_synthesis=DROP))
        assert f.status == "unknown"
        assert f.missing_facts == ["service.deep_synthesis"]


# ========================================================================
# Dissemination platforms (Art. 6)
# ========================================================================

PLATFORM_SVC = dict(content_distribution_platform=True, algorithmic_recommendation=True)


class TestPlatformChecks:

    def test_not_in_force_day_before(self):
        assert run(PLATFORM, D(2025, 8, 31), service(**PLATFORM_SVC)).status == "not_in_force"

    def test_applies_on_in_force_day(self):
        f = run(PLATFORM, LABELS_IN_FORCE, service(**PLATFORM_SVC))
        assert f.status == "applies"
        assert f.citation["article"] == "6"
        assert default_rulebook().obligations[f.obligation].version_on(f.context_day).confidence == "M"     # Art. 6 text seen in one source that checked it
        assert "declare" in f.standing_duty    # Art. 6(4)

    def test_platform_with_its_own_generation(self):
        f = run(PLATFORM, AFTER, service(content_distribution_platform=True, deep_synthesis=True))
        assert f.status == "applies"

    def test_platform_outside_the_three_instruments(self):
        # Art. 6 binds "service providers" (Art. 2) only.
        assert run(PLATFORM, AFTER, service(content_distribution_platform=True)).status == "does_not_apply"

    def test_not_a_platform(self):
        assert run(PLATFORM, AFTER, service(algorithmic_recommendation=True)).status == "does_not_apply"

    def test_unknown_named(self):
        f = run(PLATFORM, AFTER, service(algorithmic_recommendation=True, content_distribution_platform=DROP))
        assert f.status == "unknown"
        assert f.missing_facts == ["service.content_distribution_platform"]


# ========================================================================
# App distribution platforms (Art. 7)
# ========================================================================

class TestAppStoreChecks:

    def test_not_in_force_day_before(self):
        assert run(APP_STORE, D(2025, 8, 31), service(app_distribution_platform=True)).status == "not_in_force"

    def test_applies_on_in_force_day_without_ai_of_its_own(self):
        # Art. 7 names app distribution platforms directly, not "service providers".
        f = run(APP_STORE, LABELS_IN_FORCE, service(app_distribution_platform=True))
        assert f.status == "applies"
        assert f.citation["article"] == "7"
        assert "labelling materials" in f.standing_duty

    def test_not_an_app_store(self):
        assert run(APP_STORE, AFTER, service(**GENAI)).status == "does_not_apply"

    def test_unknown_named(self):
        f = run(APP_STORE, AFTER, service(app_distribution_platform=DROP))
        assert f.status == "unknown"
        assert f.missing_facts == ["service.app_distribution_platform"]


# ========================================================================
# Users who publish AI-generated content (Art. 10)
# ========================================================================

class TestUserDeclaration:

    def org(self, **changes):
        return merge(ORGANISATION, changes)

    def test_not_in_force_day_before(self):
        f = run(DECLARE, D(2025, 8, 31), org=self.org(publishes_ai_generated_content=True), subject=ORG)
        assert f.status == "not_in_force"

    def test_applies_on_in_force_day(self):
        f = run(DECLARE, LABELS_IN_FORCE, org=self.org(publishes_ai_generated_content=True), subject=ORG)
        assert f.status == "applies"
        assert f.citation["article"] == "10"
        assert "remove" in f.standing_duty     # Art. 10 para. 2

    def test_does_not_publish(self):
        assert run(DECLARE, AFTER, subject=ORG).status == "does_not_apply"

    def test_unknown_named(self):
        f = run(DECLARE, AFTER, org=self.org(publishes_ai_generated_content=DROP), subject=ORG)
        assert f.status == "unknown"
        assert f.missing_facts == ["organisation.publishes_ai_generated_content"]


# ========================================================================
# Algorithm filing changes and deregistration (Algorithmic Recommendation Provisions Art. 24)
# ========================================================================

FILER = dict(algorithmic_recommendation=True, public_opinion_attributes=True)


class TestAlgoFilingChange:

    def test_not_in_force_day_before(self):
        assert run(ALGO_CHANGE, D(2022, 2, 28), service(**FILER, changed_on="2022-02-01")).status == "not_in_force"

    def test_change_on_in_force_day(self):
        # Counted from Tue 2022-03-01: 03-02..04 (3), 03-07..11 (8), 03-14 (9), 03-15 (10).
        f = run(ALGO_CHANGE, D(2022, 3, 1), service(**FILER, changed_on="2022-03-01"))
        assert f.status == "applies"
        assert f.citation["article"] == "24"
        assert f.citation["document"] == "CAC, MIIT, MPS, SAMR Order No. 9"
        assert f.deadline.date == D(2022, 3, 15)

    def test_change_the_day_before_in_force_triggers_nothing(self):
        f = run(ALGO_CHANGE, D(2022, 3, 10), service(**FILER, changed_on="2022-02-28"))
        assert f.status == "does_not_apply"

    def test_deadline_across_national_day_2022(self):
        # Changed Wed 2022-09-28: 09-29, 09-30 (2); 10-01..07 holiday; 10-08, 10-09 make-up days (4);
        # 10-10..14 (9); 10-17 (10).
        f = run(ALGO_CHANGE, D(2022, 11, 1), service(**FILER, changed_on="2022-09-28"))
        assert f.deadline.date == D(2022, 10, 17)
        assert f.deadline.article == "24"

    def test_deadline_across_national_day_2025(self):
        # Changed Fri 2025-09-26: 09-28 make-up Sunday (1), 09-29, 09-30 (3); 10-01..08 holiday;
        # 10-09, 10-10 (5); 10-11 make-up Saturday (6); 10-13..16 (10).
        f = run(ALGO_CHANGE, D(2025, 11, 3), service(**FILER, changed_on="2025-09-26"))
        assert f.deadline.date == D(2025, 10, 16)

    @pytest.mark.parametrize("as_of, expected", [
        (D(2022, 10, 14), "open"),       # the 9th working day
        (D(2022, 10, 17), "open"),       # the 10th: the last day
        (D(2022, 10, 18), "overdue"),    # the day after
    ])
    def test_ten_working_days(self, as_of, expected):
        assert run(ALGO_CHANGE, as_of, service(**FILER, changed_on="2022-09-28")).compliance == expected

    def test_record_satisfies(self):
        f = run(ALGO_CHANGE, D(2022, 11, 1), service(**FILER, changed_on="2022-09-28"),
                compliance=record(ALGO_CHANGE, "2022-10-12"))
        assert f.compliance == "satisfied"

    def test_no_change_recorded(self):
        assert run(ALGO_CHANGE, D(2023, 1, 3), service(**FILER)).status == "does_not_apply"

    def test_deep_synthesis_filer(self):
        # Deep Synthesis Provisions Art. 19: changes under the Algorithmic Recommendation Provisions.
        f = run(ALGO_CHANGE, D(2024, 1, 2), service(deep_synthesis=True, public_opinion_attributes=True,
                                                     changed_on="2023-12-01"))
        assert f.status == "applies"

    def test_public_generative_ai_filer(self):
        # Generative AI Measures Art. 17.
        f = run(ALGO_CHANGE, D(2024, 1, 2), service(**GENAI, public_opinion_attributes=True,
                                                     changed_on="2023-12-01"))
        assert f.status == "applies"

    def test_generative_ai_not_public_files_nothing(self):
        f = run(ALGO_CHANGE, D(2024, 1, 2), service(generative_ai=True, public_facing=False,
                                                     public_opinion_attributes=True, changed_on="2023-12-01"))
        assert f.status == "does_not_apply"

    def test_no_public_opinion_attributes(self):
        f = run(ALGO_CHANGE, D(2024, 1, 2), service(algorithmic_recommendation=True, changed_on="2023-12-01"))
        assert f.status == "does_not_apply"

    def test_unknown_named(self):
        f = run(ALGO_CHANGE, D(2024, 1, 2), service(algorithmic_recommendation=True,
                                                     public_opinion_attributes=DROP, changed_on="2023-12-01"))
        assert f.status == "unknown"
        assert f.missing_facts == ["service.public_opinion_attributes"]

    def test_penalty(self):
        # Art. 31 lists Art. 24: up to RMB 100,000.
        f = run(ALGO_CHANGE, D(2024, 1, 2), service(**FILER, changed_on="2023-12-01"))
        assert f.penalty["article"] == "31"
        assert f.penalty["max_rmb"] == 100_000


class TestAlgoFilingDeregistration:

    def test_not_in_force_day_before(self):
        f = run(ALGO_DEREG, D(2022, 2, 28), service(**FILER, terminated_on="2022-02-01"))
        assert f.status == "not_in_force"

    def test_ended_on_in_force_day(self):
        # Counted from Tue 2022-03-01: 03-02..04 (3), 03-07..11 (8), 03-14..18 (13), 03-21..25 (18),
        # 03-28 (19), 03-29 (20).
        f = run(ALGO_DEREG, D(2022, 3, 1), service(**FILER, terminated_on="2022-03-01"))
        assert f.status == "applies"
        assert f.citation["article"] == "24"
        assert f.deadline.date == D(2022, 3, 29)

    def test_ended_the_day_before_in_force(self):
        f = run(ALGO_DEREG, D(2022, 3, 10), service(**FILER, terminated_on="2022-02-28"))
        assert f.status == "does_not_apply"

    def test_spring_festival_2023(self):
        # Ended Mon 2023-01-16: 01-17..20 (4); 01-21..27 holiday; 01-28, 01-29 make-up days (6);
        # 01-30..02-03 (11); 02-06..10 (16); 02-13..16 (20).
        f = run(ALGO_DEREG, D(2023, 3, 1), service(**FILER, terminated_on="2023-01-16"))
        assert f.deadline.date == D(2023, 2, 16)

    @pytest.mark.parametrize("as_of, expected", [
        (D(2023, 2, 15), "open"),        # the 19th working day
        (D(2023, 2, 16), "open"),        # the 20th: the last day
        (D(2023, 2, 17), "overdue"),
    ])
    def test_twenty_working_days(self, as_of, expected):
        assert run(ALGO_DEREG, as_of, service(**FILER, terminated_on="2023-01-16")).compliance == expected

    def test_planned_end_gives_a_future_deadline(self):
        # Ends Fri 2024-03-01: 03-04..08 (5), 03-11..15 (10), 03-18..22 (15), 03-25..29 (20).
        f = run(ALGO_DEREG, D(2024, 1, 2), service(**FILER, terminated_on="2024-03-01"))
        assert f.status == "applies"
        assert f.deadline.date == D(2024, 3, 29)
        assert f.compliance == "open"

    def test_still_running(self):
        assert run(ALGO_DEREG, D(2024, 1, 2), service(**FILER)).status == "does_not_apply"

    def test_not_a_filer(self):
        f = run(ALGO_DEREG, D(2024, 1, 2), service(algorithmic_recommendation=True, terminated_on="2023-12-01"))
        assert f.status == "does_not_apply"

    def test_unknown_named(self):
        f = run(ALGO_DEREG, D(2024, 1, 2), service(public_opinion_attributes=True, algorithmic_recommendation=DROP,
                                                    terminated_on="2023-12-01"))
        assert f.status == "unknown"
        assert "service.algorithmic_recommendation" in f.missing_facts

    def test_penalty(self):
        f = run(ALGO_DEREG, D(2024, 1, 2), service(**FILER, terminated_on="2023-12-01"))
        assert f.penalty["max_rmb"] == 100_000


# ========================================================================
# Blockchain filing changes (Blockchain Provisions Art. 11 para. 2, in force 2019-02-15)
# ========================================================================

BC = dict(blockchain_information_service=True)


class TestBlockchainFilingChange:

    def test_not_in_force_day_before(self):
        assert run(BC_CHANGE, D(2019, 2, 14), service(**BC, changed_on="2019-02-01")).status == "not_in_force"

    def test_change_on_in_force_day(self):
        # Changed Fri 2019-02-15: 02-18..22 (5).
        f = run(BC_CHANGE, D(2019, 2, 15), service(**BC, changed_on="2019-02-15"))
        assert f.status == "applies"
        assert f.citation["article"] == "11"
        assert f.citation["document"] == "CAC Order No. 3"
        assert f.deadline.date == D(2019, 2, 22)

    def test_change_the_day_before_in_force_triggers_nothing(self):
        assert run(BC_CHANGE, D(2019, 3, 1), service(**BC, changed_on="2019-02-14")).status == "does_not_apply"

    def test_spring_festival_2023(self):
        # Changed Thu 2023-01-19: 01-20 (1); 01-21..27 holiday; 01-28, 01-29 make-up days (3); 01-30, 01-31 (5).
        f = run(BC_CHANGE, D(2023, 3, 1), service(**BC, changed_on="2023-01-19"))
        assert f.deadline.date == D(2023, 1, 31)

    @pytest.mark.parametrize("as_of, expected", [
        (D(2023, 1, 30), "open"),        # the 4th working day
        (D(2023, 1, 31), "open"),        # the 5th: the last day
        (D(2023, 2, 1), "overdue"),
    ])
    def test_five_working_days(self, as_of, expected):
        assert run(BC_CHANGE, as_of, service(**BC, changed_on="2023-01-19")).compliance == expected

    def test_no_change_recorded(self):
        assert run(BC_CHANGE, D(2023, 3, 1), service(**BC)).status == "does_not_apply"

    def test_not_blockchain(self):
        assert run(BC_CHANGE, D(2023, 3, 1), service(changed_on="2023-01-19")).status == "does_not_apply"

    def test_unknown_named(self):
        f = run(BC_CHANGE, D(2023, 3, 1), service(blockchain_information_service=DROP, changed_on="2023-01-19"))
        assert f.status == "unknown"
        assert f.missing_facts == ["service.blockchain_information_service"]

    def test_no_penalty_encoded(self):
        # Art. 22's reach to late change filings was not read [L].
        assert run(BC_CHANGE, D(2023, 3, 1), service(**BC, changed_on="2023-01-19")).penalty is None


# ========================================================================
# Order numbers confirmed (issue 10)
# ========================================================================

def test_deep_synthesis_order_number():
    f = run("deep-synthesis.filing", D(2023, 3, 1), service(deep_synthesis=True, public_opinion_attributes=True))
    assert f.citation["document"] == "CAC, MIIT, MPS Order No. 12"
