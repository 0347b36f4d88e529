"""A rule resting on an unconfirmed fact says so in every finding it produces (catalogue.md)."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import hegui
from hegui.engine import assess
from hegui.manifest.model import Manifest
from hegui.rulebook import load_rulebook
from hegui.report.notices import texts

RULES = Path(hegui.__file__).parent / "rules"


def test_an_unverified_version_warns_in_its_findings_and_in_the_summary(tmp_path):
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    path = folder / "cybersecurity-law-2025-amendment.yaml"
    text = path.read_text(encoding="utf-8")
    assert "review: verified" in text
    path.write_text(text.replace("review: verified", "review: unverified")
                    .replace("confidence: H", "confidence: L"), encoding="utf-8")
    rulebook = load_rulebook(folder)
    manifest = Manifest.model_validate({"format": "hegui/1", "organisation": {"name": "CIIO", "ciio": True}})

    after = assess(manifest, datetime.date(2026, 1, 1), rulebook)
    finding = next(f for f in after.findings if f.obligation == "csl.ciio-localisation")
    assert finding.review == "unverified"
    assert any(w.startswith("unverified rule") for w in texts(finding.warnings))
    assert any("csl.ciio-localisation" in w for w in texts(after.warnings))

    # The 2017 version still governs the day before, and it is verified.
    before = assess(manifest, datetime.date(2025, 12, 31), rulebook)
    finding = next(f for f in before.findings if f.obligation == "csl.ciio-localisation")
    assert finding.review == "verified" and not texts(finding.warnings)
