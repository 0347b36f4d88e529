"""The web API reads manifests with the same loader, so each hostile manifest is a 422 naming the
field (never a 500, never a hang: a single alias bomb froze the server for two minutes)."""

from __future__ import annotations

import pytest

from hegui.manifest.types import COUNT_MAX
from tests.hostile.conftest import BASE, posted
from tests.hostile.test_hostile_manifests import EDGE, laughs, nested

CASES = [
    # (name, body, JSON?, path of the first error, words in its message)
    ("alias bomb", laughs(), False, "l5[1]", "aliases repeat more than 20,000 values"),
    ("alias bomb in a service", BASE + "services:\n  - id: s\n" + laughs("    "), False, "services[0].l5[1]",
     "aliases repeat"),
    ("1,001 services", BASE + "services:\n" + "".join(f"  - {{id: s{i}}}\n" for i in range(1001)), False,
     "services[1000]", "at most 1,000 entries"),
    ("80,000 keys", BASE + "".join(f"  k{i}: 1\n" for i in range(80_000)), False, "organisation.k999",
     "at most 1,000 keys"),
    ("5,000 levels of maps", nested(5000, "yaml-flow-maps")[0], False, None, "nested more than 32 levels deep"),
    ("5,000 levels of JSON lists", nested(5000, "json-lists")[0], True, None, "nested more than 32 levels deep"),
    ("1e309 as money", BASE + "  turnover_china_rmb: 1e309\n", False, "organisation.turnover_china_rmb", "<= 10"),
    ("1e309 as a ratio", '{"format": "hegui/1", "organisation": {"name": "X", "foreign_ownership": 1e309}}', True,
     "organisation.foreign_ownership", "from 0 to 1"),
    ("5,000 digits", '{"format": "hegui/1", "organisation": {"name": "X", "pi_individuals": ' + "9" * 5000 + "}}",
     True, "organisation.pi_individuals", f"<= {COUNT_MAX}"),
    ("2^53 as a count", BASE + f"  pi_individuals: {2**53}\n", False, "organisation.pi_individuals", f"<= {COUNT_MAX}"),
    ("1e6 as a count", BASE + "  pi_individuals: 1e6\n", False, "organisation.pi_individuals", "digits alone"),
    ("true as a count", '{"format": "hegui/1", "organisation": {"name": "X", "registered_users": true}}', True,
     "organisation.registered_users", "whole number"),
    ("a lone surrogate", '{"format": "hegui/1", "organisation": {"name": "\\ud800"}}', True, "organisation.name",
     "half of a UTF-16 pair"),
    ("a lone surrogate as a key", '{"format": "hegui/1", "organisation": {"name": "X", "\\ud800": 1}}', True,
     "organisation.\\ud800", "half of a UTF-16 pair"),
    ("9999-12-31", EDGE.replace("DAY", "9999-12-31"), False, "organisation.incident.discovered_on",
     "outside the dates hegui works with"),
    ("a key twice", '{"format": "hegui/1", "organisation": {"name": "X", "ciio": true, "ciio": false}}', True,
     "organisation.ciio", "given twice"),
    ("organisation twice", '{"format": "hegui/1", "organisation": {"name": "X"}, "organisation": {"name": "Y"}}',
     True, "organisation", "given twice"),
]


@pytest.mark.parametrize("name, body, json_body, path, says", CASES, ids=[c[0] for c in CASES])
def test_each_hostile_manifest_is_a_422_naming_the_field(api, name, body, json_body, path, says):
    r = posted(api, body, json_body)
    assert r.status_code == 422, r.text[:500]
    first = r.json()["errors"][0]
    if path is None:
        assert first["path"].startswith("organisation.incident")
    else:
        assert first["path"] == path
    assert says in first["message"]


def test_the_bounds_leave_the_server_answering(api):
    r = posted(api, laughs())
    assert r.status_code == 422
    assert api.get("/healthz").status_code == 200
