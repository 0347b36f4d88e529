"""hegui ledger: the tamper-evident record of assessments."""
