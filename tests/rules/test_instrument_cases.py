"""Worked examples kept beside each rule file (rules/<instrument>.cases.yaml), one test per case.

Each case is written from the instrument's text, not from hegui's output: a manifest, an as-of
date, and the findings the law gives, with the article that decides them. The format:

    cases:
      - name: a platform with exactly 1,000,000 users lists abroad
        article: "7"                    # the article the case turns on
        as_of: 2024-06-01
        manifest: {organisation: {...}, listings: [...]}    # `format: hegui/1` is added
        expect:
          - {obligation: crm.listing-review, status: applies}   # subject: organisation by default
          - {obligation: x.y, subject: "service:app", status: unknown, missing_facts: [service.kind]}
          - {obligation: x.z, status: applies, deadline: 2024-07-01}
"""

from __future__ import annotations

import datetime
from importlib import resources
from pathlib import Path

import pytest
import yaml

from hegui.engine import assess
from hegui.manifest import parse_manifest
from hegui.rulebook import default_rulebook

RULES = Path(str(resources.files("hegui") / "rules"))
CASE_FILES = sorted(RULES.glob("*.cases.yaml"))


def _cases():
    for path in CASE_FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for i, case in enumerate(data.get("cases", [])):
            yield pytest.param(path, case, id=f"{path.name.removesuffix('.cases.yaml')}[{i}] {case['name']}")


def test_every_case_file_belongs_to_a_rule_file():
    for path in CASE_FILES:
        rule_file = path.with_name(path.name.removesuffix(".cases.yaml") + ".yaml")
        assert rule_file.exists(), f"{path.name} has no rule file {rule_file.name}"


@pytest.mark.parametrize(("path", "case"), list(_cases()))
def test_instrument_case(path, case):
    assert case.get("article"), f"{path.name}: case {case['name']!r} names no article"
    text = yaml.safe_dump({"format": "hegui/1", **case["manifest"]}, allow_unicode=True, sort_keys=False)
    manifest = parse_manifest(text, f"{path.name}: {case['name']}")
    as_of = case["as_of"] if isinstance(case["as_of"], datetime.date) else datetime.date.fromisoformat(case["as_of"])
    found = {(f.obligation, f.subject): f for f in assess(manifest, as_of, default_rulebook()).findings}
    for want in case["expect"]:
        key = (want["obligation"], want.get("subject", "organisation"))
        assert key in found, f"{path.name}: {case['name']!r}: no finding for {key}"
        f = found[key]
        where = f"{path.name}: {case['name']!r}: {key[0]} for {key[1]} on {as_of}"
        assert f.status == want["status"], f"{where}: {f.status}, the law gives {want['status']}"
        if "deadline" in want:
            got = f.deadline.date if f.deadline else None
            assert got == want["deadline"], f"{where}: deadline {got}, expected {want['deadline']}"
        if "missing_facts" in want:
            assert set(want["missing_facts"]) <= set(f.missing_facts), f"{where}: missing {f.missing_facts}"
