"""Replay of an assessment whose compliance depends on a record's date (interface.md, Deadlines):
the stored as-of date decides, so replaying it later gives the same findings."""

import datetime

from hegui.engine import assess
from hegui.ledger import Ledger, canonical_manifest
from hegui.ledger.replay import replay
from hegui.manifest.model import Manifest
from hegui.report.json_report import assessment_dict

FILED_LATE = {
    "format": "hegui/1",
    "organisation": {"name": "Issuer", "china_nexus": {"revenue_share": 0.9, "main_business_in_mainland": True}},
    "listings": [{"id": "ipo", "venue": "NASDAQ", "kind": "ipo", "structure": "indirect",
                  "application_date": "2024-06-03"}],
    # CSRC Trial Measures Art. 16: due 2024-06-06; filed on 2024-06-10.
    "compliance": [{"obligation": "csrc.overseas-listing-filing", "subject": "listing:ipo", "done_on": "2024-06-10"}],
}


def test_a_replay_around_a_records_date_is_identical(tmp_path):
    manifest = Manifest.model_validate(FILED_LATE)
    with Ledger(tmp_path / "l.ledger") as ledger:
        for day, compliance in ((datetime.date(2024, 6, 9), "overdue"), (datetime.date(2024, 6, 10), "satisfied")):
            result = assess(manifest, day)
            document = assessment_dict(result)    # as `assess --record` stores it
            filing = next(f for f in document["findings"] if f["obligation"] == "csrc.overseas-listing-filing")
            assert filing["compliance"] == compliance
            ledger.append(canonical_manifest(manifest), day, document, result.rulebook.version, result.rulebook.digest)
        for n in (0, 1):
            r = replay(ledger.entry(n))
            assert r.identical and r.reproduced and r.differences == []
