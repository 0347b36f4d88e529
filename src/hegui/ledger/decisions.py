"""The decision record of a finding: what was decided, without the words that explain it.

A finding's JSON (report/json_report.py) mixes decisions (status, dates, citation, numbers)
with prose (title, reason, deadline basis, the rule's `says`, warnings, the `because` trace as
text). The ledger's findings digest covers only the decisions, so rewording a message, a
translation or a rule's summary never makes `hegui ledger replay` report a different outcome,
while any change to what was decided does. The whole assessment, prose included, stays covered
by the entry's assessment digest, so tampering with the stored text is still detected.

The keys below are a whitelist: a key a later finding gains is prose until it is named here.
They are part of the digest scheme: changing them changes what old digests mean, so a change
needs a new scheme prefix (keeping this one for the entries already written).
"""

from __future__ import annotations

import hashlib
import json

from hegui.ledger.canonical import canonical_json

SCHEME = "decisions-sha256:"
LEGACY = "sha256:"  # hegui-ledger/1 before issue 11: the canonical JSON of the whole findings

# Plain values kept as they are.
_PLAIN = ("obligation", "subject", "status", "judged_on", "review", "compliance")
# Nested objects: the keys kept from each (names and text such as instrument titles, `basis`,
# `says` and `document` are left out).
_NESTED = {
    "citation": ("id", "instrument_id", "article", "version", "in_force", "in_force_until"),
    "deadline": ("date", "kind", "article", "recurring", "covered", "interval_years"),
    "compliance_detail": ("by", "done_on", "fact", "late"),
    "penalty": ("article", "max_rmb", "max_turnover_share", "turnover_fact", "turnover_rmb",
                "turnover_based_max_rmb"),
}


def _pick(value, keys: tuple[str, ...]):
    if not isinstance(value, dict):
        return value  # null, or whatever a damaged record holds: compared as it is
    return {k: value[k] for k in keys if k in value}


def decision(finding: dict) -> dict:
    """The prose-free fields of one finding dict (as `assess --format json` writes it)."""
    out = {k: finding.get(k) for k in _PLAIN}
    for key, keys in _NESTED.items():
        if key in finding:
            out[key] = _pick(finding[key], keys)
    # Which facts are missing is decided; the order they are listed in is presentation.
    out["missing_facts"] = sorted(finding.get("missing_facts") or [])
    return out


def decisions(findings: list[dict]) -> list[dict]:
    """Every finding's decision, in (obligation, subject) order: the order of a report is not a decision."""
    return sorted((decision(f) for f in findings), key=lambda d: (str(d["obligation"]), str(d["subject"])))


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def findings_digest(findings: list[dict]) -> str:
    """The digest the ledger stores for an assessment's findings (new entries)."""
    return SCHEME + _sha256(canonical_json(decisions(_plain(findings))))


def legacy_digest(findings: list[dict]) -> str:
    """The digest of entries written before issue 11: the whole findings, prose included."""
    return LEGACY + _sha256(canonical_json(findings))


def digest_matches(digest: str, findings: list[dict]) -> bool:
    """Whether `digest` (of either scheme) is the digest of these findings."""
    if digest.startswith(SCHEME):
        return findings_digest(findings) == digest
    if digest.startswith(LEGACY):
        return legacy_digest(findings) == digest
    return False


def _plain(findings: list[dict]) -> list[dict]:
    # Through canonical JSON and back, so dates, Decimals and bounds compare as the stored text does.
    return json.loads(canonical_json(findings))
