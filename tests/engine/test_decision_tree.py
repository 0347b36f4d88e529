"""One decision tree per obligation, walked by the engine and the SQL compiler; findings are plain data.

A small rulebook with an event-triggered duty whose first version ends before the second begins
(the gap is a day no version governs, so the duty is not in force on it) and a transitional
provision for events before the rule.
"""

from __future__ import annotations

import datetime
import textwrap

import pytest

from hegui.batch.screen import screen_duckdb
from hegui.engine import assess
from hegui.engine.decide import decide
from hegui.lang.evaluate import Context
from hegui.manifest.model import Manifest
from hegui.report.reasons import reason, steps
from hegui.rulebook import load_rulebook
from hegui.rulebook.decision import (
    APPLIES, DOES_NOT_APPLY, NOT_IN_FORCE, STATUSES, UNKNOWN, ByEvent, Versions, Window,
)
from small_rulebook import INSTRUMENT_HEADER

D = datetime.date.fromisoformat

CATALOGUE = """\
rulebook_version: test
obligations:
  test.gap:  {subject: service, title: File after launch, title_zh: 备案}
  test.gate: {subject: service, title: Register after launch, title_zh: 登记}
"""

# Version 1 governs 2022-03-01 .. 2022-12-31; nothing governs 2023; version 2 from 2024-01-01.
INSTRUMENT = INSTRUMENT_HEADER + """\
  - obligation: test.gap
    until: 2023-01-01
    article: "1"
    event: service.launched_on
    applies_when: [service.algorithmic_recommendation]
    review: verified
    confidence: H
  - obligation: test.gap
    from: 2024-01-01
    article: "1"
    event: service.launched_on
    applies_when: [service.algorithmic_recommendation]
    review: verified
    confidence: H
  - obligation: test.gate
    article: "2"
    event: service.launched_on
    applies_when: [service.algorithmic_recommendation]
    transitional:
      - article: "9"
        when: service.public_opinion_attributes
        says: services launched before still register
    review: verified
    confidence: H
"""


@pytest.fixture(scope="module")
def rulebook(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rules")
    (folder / "catalogue.yaml").write_text(CATALOGUE, encoding="utf-8")
    (folder / "test-instrument.yaml").write_text(textwrap.dedent(INSTRUMENT), encoding="utf-8")
    return load_rulebook(folder)


def finding(rulebook, as_of, obligation, **service):
    doc = {"format": "hegui/1", "organisation": {"name": "T"},
           "services": [{"id": "s", "name": "S", **service}]}
    return next(f for f in assess(Manifest.model_validate(doc), D(as_of), rulebook).findings
                if f.obligation == obligation)


def test_the_statuses_are_named_once():
    assert STATUSES == (APPLIES, UNKNOWN, DOES_NOT_APPLY, NOT_IN_FORCE)
    from hegui.batch import compile as sql
    from hegui.engine import finding as engine_finding
    assert sql.APPLIES is APPLIES and engine_finding.NOT_IN_FORCE is NOT_IN_FORCE


def test_the_loader_builds_the_tree(rulebook):
    tree = rulebook.obligations["test.gap"].decision
    assert isinstance(tree, Window) and tree.first == D("2022-03-01") and tree.last is None
    assert isinstance(tree.inner, ByEvent) and tree.inner.event == "service.launched_on"
    versions = tree.inner.versions
    assert isinstance(versions, Versions)
    assert [(s, e) for s, e, _ in versions.spans] == [(D("2022-03-01"), D("2023-01-01")), (D("2024-01-01"), None)]
    # The last day of version 1, the first day of the gap, the day before and the day version 2 starts.
    assert versions.on(D("2022-12-31")).version.start == D("2022-03-01")
    assert versions.on(D("2023-01-01")) is None
    assert versions.on(D("2023-12-31")) is None
    assert versions.on(D("2024-01-01")).version.start == D("2024-01-01")


@pytest.mark.parametrize("launched, status", [
    ("2022-12-31", APPLIES),          # the last day version 1 governs
    ("2023-01-01", NOT_IN_FORCE),     # the first day of the gap
    ("2023-12-31", NOT_IN_FORCE),     # the last day of the gap
    ("2024-01-01", APPLIES),          # version 2's first day
])
def test_an_event_in_a_gap_between_versions_is_not_in_force(rulebook, launched, status):
    f = finding(rulebook, "2025-06-01", "test.gap", launched_on=launched, algorithmic_recommendation=True)
    assert f.status == status


@pytest.mark.parametrize("launched", ["2022-12-31", "2023-01-01", "2023-12-31", "2024-01-01"])
def test_sql_agrees_on_the_gap(rulebook, tmp_path, launched):
    table = tmp_path / "t.csv"
    table.write_text(f"service.id,service.launched_on,service.algorithmic_recommendation\ns,{launched},true\n",
                     encoding="utf-8")
    got = screen_duckdb(table, D("2025-06-01"), rulebook=rulebook).to_pylist()[0]
    engine = finding(rulebook, "2025-06-01", "test.gap", launched_on=launched, algorithmic_recommendation=True)
    assert got["test.gap"] == engine.status


@pytest.mark.parametrize("attributes, status", [(True, APPLIES), (False, DOES_NOT_APPLY), (None, UNKNOWN)])
def test_an_event_before_the_rule_goes_through_the_gate(rulebook, attributes, status):
    service = {"launched_on": "2022-02-28", "algorithmic_recommendation": True}   # the day before it took effect
    if attributes is not None:
        service["public_opinion_attributes"] = attributes
    f = finding(rulebook, "2024-06-01", "test.gate", **service)
    assert f.status == status and f.judged_on == D("2022-03-01")
    roles = [role for role, _, _ in f.trace]
    assert roles[0] == "event"
    assert roles[1] == ("transitional" if attributes else "gate")
    if status == UNKNOWN:
        assert f.missing_facts == ["service.public_opinion_attributes"]


def test_the_walk_returns_a_trace_of_plain_events(rulebook):
    facts = {"service.launched_on": D("2024-02-01"), "service.algorithmic_recommendation": None}
    ctx = Context(facts, {})
    status, version, judged_on, _, transitional, missing, events = decide(
        rulebook.obligations["test.gap"].decision, D("2025-06-01"), facts, lambda day: ctx)
    assert (status, judged_on, transitional, missing) == (UNKNOWN, D("2024-02-01"), None,
                                                           ["service.algorithmic_recommendation"])
    assert [(role, value) for role, _, value in events] == [("event", D("2024-02-01")), ("condition", None)]


def test_a_finding_is_frozen_and_prose_free(rulebook):
    f = finding(rulebook, "2025-06-01", "test.gap", launched_on="2024-02-01", algorithmic_recommendation=True)
    with pytest.raises(AttributeError):   # a named tuple's fields cannot be set
        f.status = DOES_NOT_APPLY
    names = set(f._fields)
    assert not names & {"reason", "because", "rulebook", "context", "version"}
    assert not hasattr(f, "reason") and not hasattr(f, "because")
    # The words are report/'s, worked out from the trace.
    assert "the service uses algorithmic recommendation" in reason(f, rulebook)
    assert [s.role for s in steps(f, rulebook)] == ["event", "condition"]
