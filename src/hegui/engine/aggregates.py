"""Organisation-wide counts bounded from the transfers, when the manifest does not give them.

The rulebook says which transfer count sums into which organisation count and
which transfers the law counts. One person can appear in several flows, so the
sum is only an upper bound, and the largest single counted transfer a lower
one (manifest.md, "Aggregates and counting windows"). A transfer whose count or
counting is unknown widens the bounds instead of being guessed.
"""

from __future__ import annotations

import datetime

from hegui.lang.evaluate import Context
from hegui.lang.values import Bounds
from hegui.rulebook import Rulebook


def derived_counts(subjects: list, rulebook: Rulebook, as_of: datetime.date) -> dict[str, Bounds]:
    """Bounds for each rule-defined organisation count that the manifest leaves out."""
    transfers = [facts for kind, _, facts in subjects if kind == "transfer"]
    if not transfers or not rulebook.aggregates:
        return {}
    given = subjects[0][2]
    params = rulebook.parameters_on(as_of)
    out = {}
    for target, aggregate in rulebook.aggregates.items():
        if target in given:
            continue
        at_least, at_most = 0, 0
        for facts in transfers:
            counted = aggregate.counting.run(Context(facts, params))
            if counted is False:
                continue
            value = facts.get(aggregate.sums)
            if value is None:
                at_most = None
                continue
            if counted is True:
                at_least = max(at_least, value)
            if at_most is not None:
                at_most += value
        out[target] = Bounds(at_least, at_most, (len(transfers), aggregate.sums))
    return out
