"""Penalty cases (a ceiling that depends on who breaches) and hour periods, on a small rulebook."""

from __future__ import annotations

import datetime
import textwrap

import pytest

from hegui.engine import assess
from hegui.manifest.model import Manifest
from hegui.rulebook import load_rulebook
from hegui.rulebook.load import RulebookError
from hegui.report.notices import penalty_shown, texts
from hegui.report.deadlines import basis_text
from small_rulebook import INSTRUMENT_HEADER

D = datetime.date.fromisoformat

CATALOGUE = """\
rulebook_version: test
obligations:
  test.report: {subject: organisation, title: Report incidents, title_zh: 报告}
"""

INSTRUMENT = INSTRUMENT_HEADER + """\
  - obligation: test.report
    article: "4"
    applies_when: [organisation.operates_in_mainland]
    deadline:
      - when: "known(organisation.incident.discovered_on) and organisation.ciio"
        hours_after: organisation.incident.discovered_on
        count: 1
      - when: "known(organisation.incident.discovered_on)"
        hours_after: organisation.incident.discovered_on
        count: 30
    penalty:
      - when: organisation.ciio
        article: "40"
        max_rmb: 1000000
        says: operators of critical infrastructure
      - article: "59"
        max_rmb: 100000
        says: other operators
    review: verified
    confidence: H
"""


def rulebook_from(folder, text):
    (folder / "catalogue.yaml").write_text(CATALOGUE, encoding="utf-8")
    (folder / "test-instrument.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return load_rulebook(folder)


@pytest.fixture(scope="module")
def rulebook(tmp_path_factory):
    return rulebook_from(tmp_path_factory.mktemp("rules"), INSTRUMENT)


def finding(rulebook, org, as_of="2024-06-01"):
    doc = {"format": "hegui/1", "organisation": {"name": "T", "operates_in_mainland": True, **org}}
    return next(f for f in assess(Manifest.model_validate(doc), D(as_of), rulebook).findings
                if f.obligation == "test.report")


@pytest.mark.parametrize("org, article, ceiling", [
    ({"ciio": True}, "40", 1_000_000),
    ({"ciio": False}, "59", 100_000),
])
def test_the_first_penalty_case_that_holds_decides(rulebook, org, article, ceiling):
    p = finding(rulebook, org).penalty
    assert p["article"] == article and p["max_rmb"] == ceiling


def test_a_penalty_case_left_open_is_shown_with_the_fact_it_needs(rulebook):
    # The higher ceiling may be the one that applies; the reader is told what would decide it.
    p = finding(rulebook, {}).penalty
    assert p["max_rmb"] == 1_000_000 and "needs organisation.ciio" in penalty_shown(p)["says"]


def test_one_penalty_with_a_when_is_refused(tmp_path):
    text = INSTRUMENT.replace("      - when: organisation.ciio\n        article: \"40\"\n        max_rmb: 1000000\n"
                              "        says: operators of critical infrastructure\n      - article: \"59\"",
                              "      when: organisation.ciio\n      article: \"59\"").replace(
        "        max_rmb: 100000\n        says: other operators", "      max_rmb: 100000\n      says: other operators")
    with pytest.raises(RulebookError, match="only for a list of cases"):
        rulebook_from(tmp_path, text)


@pytest.mark.parametrize("org, due", [
    # Known only by its day, a moment can be as late as 24:00: 1 hour or 30 hours can end the next day,
    # or the day after; an hour period does not move off a rest day (Civil Code Art. 201 ¶2).
    ({"ciio": True, "incident": {"discovered_on": "2024-06-07"}}, "2024-06-08"),     # a Friday: Saturday
    ({"ciio": False, "incident": {"discovered_on": "2024-06-07"}}, "2024-06-09"),    # 30 hours: Sunday
])
def test_an_hour_period_ends_at_the_latest_on_the_day_it_can_end(rulebook, org, due):
    f = finding(rulebook, org)
    assert f.deadline.date == D(due)
    assert "not the hour" in basis_text(f.deadline)


def test_no_incident_no_hour_deadline(rulebook):
    assert finding(rulebook, {"ciio": True}).deadline is None


def test_an_hour_period_needs_no_holiday_schedule(rulebook):
    # Years past the official schedule carry a warning for day counts; hours do not depend on rest days.
    f = finding(rulebook, {"ciio": True, "incident": {"discovered_on": "2031-06-06"}}, as_of="2031-06-06")
    assert f.deadline.date == D("2031-06-07") and not f.deadline.beyond_calendar
    assert not any("holiday schedule" in w for w in texts(f.warnings))
