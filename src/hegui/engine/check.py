"""Which findings make `hegui check` fail: the rule both doors (CLI and API) apply.

A duty fails the check when it applies and its deadline has passed with no compliance record
covering it (compliance "overdue"). Strict mode also fails on duties that apply and are still
"open" (not met, deadline today or later), for pipelines that want every open duty seen.
"""

from __future__ import annotations

from collections.abc import Iterable

from hegui.engine.finding import APPLIES, Finding

# The exit code of `hegui check` when any duty fails (interface.md); the API reports it too.
FAILED_EXIT_CODE = 3
FAILING = frozenset({"overdue"})
FAILING_STRICT = frozenset({"overdue", "open"})


def failing(findings: Iterable[Finding], strict: bool = False) -> list[Finding]:
    """The findings that fail the check, in the order given."""
    fails = FAILING_STRICT if strict else FAILING
    return [f for f in findings if f.status == APPLIES and f.compliance in fails]
