"""Replay a ledger entry: assess the stored manifest again on the stored as-of date and compare.

What is compared is the decision record of each finding (ledger/decisions.py): status, dates,
citation, compliance, missing facts, penalty figures. A change of wording alone (a reason, a
title, a rule's summary, a warning) is not a different outcome, so it reproduces.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field

from hegui.ledger.canonical import canonical_json
from hegui.ledger.decisions import SCHEME, decision, decisions, digest_matches
from hegui.ledger.store import Entry


@dataclass
class Replay:
    entry: Entry
    rulebook_version: str  # the rulebook used now
    rulebook_digest: str
    identical: bool  # the findings decide the same (their decision records are equal)
    differences: list[dict] = field(default_factory=list)

    @property
    def same_rulebook(self) -> bool:
        return self.rulebook_digest == self.entry.rulebook_digest

    @property
    def reproduced(self) -> bool:
        """False only when the same rulebook gives different decisions: the record is not reproducible."""
        return self.identical or not self.same_rulebook

    def to_dict(self) -> dict:
        return {"index": self.entry.index, "as_of": self.entry.as_of,
                "recorded": {"version": self.entry.rulebook_version, "digest": self.entry.rulebook_digest,
                             "findings_digest": self.entry.findings_digest},
                "current": {"version": self.rulebook_version, "digest": self.rulebook_digest},
                "same_rulebook": self.same_rulebook, "identical": self.identical,
                "reproduced": self.reproduced, "differences": self.differences}


def replay(entry: Entry, rulebook=None) -> Replay:
    from hegui.engine import assess
    from hegui.manifest import parse_manifest
    from hegui.report.json_report import assessment_dict
    from hegui.rulebook import default_rulebook
    rulebook = rulebook or default_rulebook()
    manifest = parse_manifest(entry.manifest, f"ledger entry {entry.index}")
    now = json.loads(canonical_json(assessment_dict(
        assess(manifest, datetime.date.fromisoformat(entry.as_of), rulebook))))["findings"]
    before = entry.assessment_dict().get("findings", [])
    if entry.findings_digest.startswith(SCHEME):
        identical = digest_matches(entry.findings_digest, now)
    else:
        # An entry written before the digest covered decisions only: its digest is of the whole
        # findings, prose included, so the decisions are read from the stored findings instead
        # (which `verify` checks against that digest).
        identical = decisions(before) == decisions(now)
    return Replay(entry, rulebook.version, rulebook.digest, identical,
                  [] if identical else differences(before, now))


_COMPARED = ("status", "compliance", "compliance_detail", "deadline", "citation", "missing_facts")


def differences(before: list[dict], after: list[dict]) -> list[dict]:
    """Per finding (obligation, subject): which decisions changed between the recorded and the replayed
    findings. Findings that differ only in wording are left out; the values shown are the whole
    recorded and replayed fields (with their wording) of the keys whose decision changed."""
    old = {(f["obligation"], f["subject"]): f for f in before}
    new = {(f["obligation"], f["subject"]): f for f in after}
    out = []
    for key in list(old) + [k for k in new if k not in old]:
        a, b = old.get(key), new.get(key)
        item = {"obligation": key[0], "subject": key[1]}
        if a is None or b is None:
            item["changed"] = ["added" if a is None else "removed"]
            item["before"] = a and {k: a.get(k) for k in _COMPARED}
            item["after"] = b and {k: b.get(k) for k in _COMPARED}
            out.append(item)
            continue
        da, db = decision(a), decision(b)
        if da == db:
            continue
        keys = [k for k in _COMPARED if da.get(k) != db.get(k)]
        changed = keys or ["details: " + ", ".join(sorted(k for k in set(da) | set(db) if da.get(k) != db.get(k)))]
        item.update(changed=changed, before={k: a.get(k) for k in keys}, after={k: b.get(k) for k in keys})
        out.append(item)
    return out
