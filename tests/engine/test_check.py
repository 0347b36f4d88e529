"""engine.check.failing: which findings make `hegui check` fail (interface.md: a duty that applies,
deadline passed, no compliance record covering it; with strict, also open duties)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from hegui.engine.check import FAILED_EXIT_CODE, failing


def finding(status, compliance, name="x"):
    return SimpleNamespace(obligation=name, status=status, compliance=compliance)


@pytest.mark.parametrize("status, compliance, fails, fails_strict", [
    ("applies", "overdue", True, True),
    ("applies", "open", False, True),
    ("applies", "satisfied", False, False),
    ("applies", None, False, False),
    # Only a duty that applies can fail: an unknown one is a question, not a breach.
    ("unknown", "overdue", False, False),
    ("unknown", "open", False, False),
    ("does_not_apply", None, False, False),
    ("not_in_force", None, False, False),
])
def test_failing(status, compliance, fails, fails_strict):
    f = finding(status, compliance)
    assert failing([f]) == ([f] if fails else [])
    assert failing([f], strict=True) == ([f] if fails_strict else [])


def test_order_is_kept_and_the_exit_code_is_the_contracts():
    found = [finding("applies", "open", "a"), finding("applies", "overdue", "b"), finding("applies", "overdue", "c")]
    assert [f.obligation for f in failing(found)] == ["b", "c"]
    assert [f.obligation for f in failing(iter(found), strict=True)] == ["a", "b", "c"]
    assert FAILED_EXIT_CODE == 3
