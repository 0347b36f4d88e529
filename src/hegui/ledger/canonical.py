"""Canonical JSON: the one text form the ledger hashes, so equal values always give equal digests."""

from __future__ import annotations

import json


def canonical_json(value) -> str:
    """Sorted keys, no spaces, UTF-8 text (not \\u escapes), dates as ISO; NaN refused."""
    # The report's encoder is the one that knows the values a finding holds (dates, Decimals,
    # bounds); imported here, not at module level, so the ledger loads without the engine.
    from hegui.report.json_report import _encode
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False,
                      default=_encode)
