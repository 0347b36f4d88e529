"""Issue 10 extras: expectations derived from the law, not the code.

Anthropomorphic AI Interim Measures (final text 2026-04-10, GitHub Theonefkguy/Chinese-Laws,
部门规章/国家互联网信息办公室/人工智能拟人化互动服务管理暂行办法(2026-04-10).md): Art. 26 (every
provider files, changes and deregisters its algorithm filing under the Algorithmic Recommendation
Provisions), Art. 32 (in force 2026-07-15). Algorithmic Recommendation Provisions Art. 24: within
10 working days from the day the service starts.
"""

from __future__ import annotations

import datetime

from hegui.engine import assess
from hegui.manifest.model import Manifest

from builders import DROP, merge

D = datetime.date
ANTHRO_FILING = "anthropomorphic-ai.algorithm-filing"
SUBJECT = "service:svc"

# Public-opinion attributes explicitly false: Art. 26 does not depend on them.
COMPANION = {
    "id": "svc", "kind": "app", "commercial": True, "public_facing": True, "launched_on": "2025-03-01",
    "emotional_companionship": True, "algorithmic_recommendation": False,
    "public_opinion_attributes": False,
}


def run(as_of: datetime.date, **changes):
    doc = {"format": "hegui/1", "organisation": {"name": "X", "operates_in_mainland": True},
           "services": [merge(COMPANION, changes)]}
    a = assess(Manifest.model_validate(doc), as_of)
    return next(f for f in a.findings if f.obligation == ANTHRO_FILING and f.subject == SUBJECT)


class TestAnthropomorphicAlgorithmFiling:

    def test_not_in_force_day_before(self):
        assert run(D(2026, 7, 14)).status == "not_in_force"

    def test_applies_on_in_force_day_without_public_opinion_attributes(self):
        # Art. 26: every provider files, public-opinion attributes or not.
        f = run(D(2026, 7, 15))
        assert f.status == "applies"
        assert f.citation["article"] == "26"
        assert f.review == "verified"

    def test_running_service_counts_from_in_force_day(self):
        # From Wed 2026-07-15 (no holiday in July): 07-16, 07-17 (2), 07-20..24 (7), 07-27 (8),
        # 07-28 (9), 07-29 (10).
        f = run(D(2026, 7, 15))
        assert f.deadline.date == D(2026, 7, 29)

    def test_new_launch_across_national_day(self):
        # Launched Tue 2026-09-29: 09-30 (1); 10-01..07 holiday; the State Council's 2026 calendar
        # makes Sat 10-10 a working day: 10-08, 10-09, 10-10 (4); 10-12..16 (9); 10-19 (10).
        f = run(D(2026, 11, 1), launched_on="2026-09-29")
        assert f.deadline.date == D(2026, 10, 19)

    def test_not_emotional_companionship(self):
        # Art. 2 ¶3: services without continuing emotional interaction are outside the Measures.
        assert run(D(2026, 8, 1), emotional_companionship=False).status == "does_not_apply"

    def test_unknown_scope_named(self):
        f = run(D(2026, 8, 1), emotional_companionship=DROP)
        assert f.status == "unknown"
        assert "service.emotional_companionship" in f.missing_facts
