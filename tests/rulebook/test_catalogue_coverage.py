"""Every obligation in the catalogue contract is decided by the rulebook."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hegui.rulebook import default_rulebook

CONTRACT = Path(__file__).resolve().parents[3] / "shared" / "spec" / "catalogue.md"


def contract_ids() -> set[str]:
    rows = re.findall(r"^\| `([a-z0-9-]+\.[a-z0-9-]+)` \|", CONTRACT.read_text(encoding="utf-8"), flags=re.M)
    return set(rows)


def test_no_catalogue_id_is_left_without_a_rule():
    assert default_rulebook().uncovered == ()


@pytest.mark.skipif(not CONTRACT.exists(), reason="the shared catalogue contract is not beside this checkout")
def test_the_rulebook_decides_every_id_of_the_catalogue_contract():
    ids = contract_ids()
    assert len(ids) > 40  # the contract's tables were read
    assert ids <= set(default_rulebook().obligations), sorted(ids - set(default_rulebook().obligations))


@pytest.mark.skipif(not CONTRACT.exists(), reason="the shared catalogue contract is not beside this checkout")
def test_each_obligation_has_the_contracts_subject_kind():
    text = CONTRACT.read_text(encoding="utf-8")
    for ob_id, subject in re.findall(r"^\| `([a-z0-9-]+\.[a-z0-9-]+)` \| (\w+) \|", text, flags=re.M):
        assert default_rulebook().obligations[ob_id].subject == subject, ob_id


def test_every_version_names_its_article_review_status_and_source():
    for ob in default_rulebook().obligations.values():
        for v in ob.versions:
            assert v.article and v.review in ("verified", "unverified") and v.confidence in "HML"
            assert v.instrument.source and v.instrument.title_zh
            if v.confidence == "L":
                assert v.review == "unverified", f"{ob.id} {v.start}: an [L] fact must be marked unverified"
