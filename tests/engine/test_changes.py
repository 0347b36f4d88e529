"""Changes between two dates: every version switch in the rulebook shows in a diff, with its cause."""

from __future__ import annotations

import datetime

import pytest

from hegui.engine.changes import diff, rule_changes
from hegui.manifest.model import Manifest
from hegui.rulebook import default_rulebook

ONE_DAY = datetime.timedelta(days=1)

# One entity of every subject kind and no facts: every obligation is decided (unknown, mostly)
# and cites the version governing on the day.
BARE = Manifest.model_validate({
    "format": "hegui/1", "organisation": {"name": "Bare"},
    "services": [{"id": "s"}], "transfers": [{"id": "t"}], "listings": [{"id": "l"}],
    "concentrations": [{"id": "c"}]})

SWITCHES = [(ob.id, v) for ob in default_rulebook().obligations.values() for v in ob.versions[1:]]


@pytest.mark.parametrize("obligation, version", SWITCHES, ids=[f"{o}@{v.start}" for o, v in SWITCHES])
def test_every_version_switch_shows_in_a_diff_across_it(obligation, version):
    result = diff(BARE, version.start - ONE_DAY, version.start)
    changed = [c for c in result.changes if c.obligation == obligation]
    assert changed, f"{obligation}: no change across {version.start}"
    for c in changed:
        assert "version" in c.what
        assert c.after.citation["short"] == version.instrument.short
        assert any(obligation in r.obligations and r.day == version.start for r in c.causes)


def test_nothing_changes_within_one_version():
    assert rule_changes(datetime.date(2024, 3, 22), datetime.date(2024, 3, 22)) == []
    assert [c for c in diff(BARE, datetime.date(2024, 4, 1), datetime.date(2024, 4, 2)).changes] == []


def test_order_16_moves_a_transfer_from_the_assessment_to_the_contract():
    # 400,000 individuals since 1 January of the previous year reach Order 11 Art. 4(3)'s 100,000;
    # 150,000 this year sit in Order 16 Art. 8's 100,000-1,000,000 band.
    m = Manifest.model_validate({
        "format": "hegui/1",
        "organisation": {"name": "X", "ciio": False, "pi_individuals": 500_000,
                         "exports": {"pi_individuals_current_year": 150_000, "sensitive_pi_individuals_current_year": 0,
                                     "pi_individuals_since_previous_year": 400_000,
                                     "sensitive_pi_individuals_since_previous_year": 0}},
        "transfers": [{"id": "crm", "includes_pi": True, "includes_sensitive_pi": False,
                       "includes_important_data": False, "basis": "none", "collected_abroad_only": False,
                       "ftz_exempt": False}]})
    result = diff(m, datetime.date(2024, 3, 21), datetime.date(2024, 3, 22))
    by_ob = {c.obligation: c for c in result.changes}
    assert (by_ob["cbdt.security-assessment"].before.status, by_ob["cbdt.security-assessment"].after.status) == \
        ("applies", "does_not_apply")
    assert (by_ob["cbdt.standard-contract-or-certification"].before.status,
            by_ob["cbdt.standard-contract-or-certification"].after.status) == ("does_not_apply", "applies")


def test_a_threshold_change_is_named_as_the_cause():
    # RMB 11bn combined worldwide turnover exceeds the 2018 threshold (10bn) but not the 2024 one (12bn);
    # China turnover of the two parties exceeds 400m but not 800m each.
    m = Manifest.model_validate({
        "format": "hegui/1", "organisation": {"name": "X"},
        "concentrations": [{"id": "c", "acquires_control": True, "closing_date": "2024-06-01", "parties": [
            {"name": "A", "turnover_worldwide_rmb": 10_000_000_000, "turnover_china_rmb": 500_000_000},
            {"name": "B", "turnover_worldwide_rmb": 1_000_000_000, "turnover_china_rmb": 500_000_000}]}]})
    result = diff(m, datetime.date(2024, 1, 21), datetime.date(2024, 1, 22))
    change = next(c for c in result.changes if c.obligation == "aml.merger-notification")
    assert (change.before.status, change.after.status) == ("applies", "does_not_apply")
    assert any(r.kind == "threshold" for r in change.causes)
