"""The tamper-evident ledger of assessments (issue 7): an RFC 6962 Merkle tree over SQLite rows.

    from hegui.ledger import Ledger
    with Ledger("assessments.ledger") as ledger:
        n = ledger.append(manifest_json, as_of, assessment_dict, rulebook.version, rulebook.digest)
        ledger.inclusion_proof(n); ledger.verify()
"""

from hegui.ledger.store import (
    FORMAT, BadEntry, Entry, Head, Ledger, LedgerDamaged, LedgerError, canonical_json, canonical_manifest, digest,
)
from hegui.ledger.verify import verify_file

__all__ = ["FORMAT", "BadEntry", "Entry", "Head", "Ledger", "LedgerDamaged", "LedgerError", "canonical_json",
           "canonical_manifest", "digest", "record", "verify_file"]


def record(ledger: "Ledger", manifest, result) -> int:
    """Append an Assessment (hegui.engine) made from a Manifest; the index of the new entry."""
    from hegui.report.json_report import assessment_dict
    return ledger.append(canonical_manifest(manifest), result.as_of, assessment_dict(result),
                         result.rulebook.version, result.rulebook.digest)
