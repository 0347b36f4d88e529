"""Replay a ledger entry: assess the stored manifest again on the stored as-of date and compare."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field

from hegui.ledger.store import Entry, canonical_json, digest


@dataclass
class Replay:
    entry: Entry
    rulebook_version: str  # the rulebook used now
    rulebook_digest: str
    identical: bool  # the findings are byte-for-byte the same (canonical JSON)
    differences: list[dict] = field(default_factory=list)

    @property
    def same_rulebook(self) -> bool:
        return self.rulebook_digest == self.entry.rulebook_digest

    @property
    def reproduced(self) -> bool:
        """False only when the same rulebook gives different findings: the record is not reproducible."""
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
        assess(manifest, datetime.date.fromisoformat(entry.as_of), rulebook))))
    identical = digest(canonical_json(now["findings"])) == entry.findings_digest
    before = entry.assessment_dict().get("findings", [])
    return Replay(entry, rulebook.version, rulebook.digest, identical,
                  [] if identical else differences(before, now["findings"]))


_COMPARED = ("status", "compliance", "compliance_detail", "deadline", "citation", "missing_facts")


def differences(before: list[dict], after: list[dict]) -> list[dict]:
    """Per finding (obligation, subject): what changed between the recorded and the replayed findings."""
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
        if a == b:
            continue
        changed = [k for k in _COMPARED if a.get(k) != b.get(k)] or \
            ["details: " + ", ".join(sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k)))]
        item.update(changed=changed, before={k: a.get(k) for k in _COMPARED if a.get(k) != b.get(k)},
                    after={k: b.get(k) for k in _COMPARED if a.get(k) != b.get(k)})
        out.append(item)
    return out
