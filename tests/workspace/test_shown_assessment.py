"""An organisation's page shows the current version's assessment (GET .../assessment) without a
ledger entry per view: the ledger holds every assessment made, one per version, day and rulebook."""

from __future__ import annotations

import datetime
import json

import pytest
from fastapi.testclient import TestClient

from workspace_support import JOBS

ORG = "/v1/workspace/organisations/{}"


@pytest.fixture
def site(workspace, terminal):
    from hegui.api import create_app
    from hegui.workspace import auth
    org = workspace.import_text(JOBS.read_text(encoding="utf-8"), terminal)["organisation_id"]
    with TestClient(create_app(workspace=workspace)) as client:
        client.org = org
        client.headers["Authorization"] = f"Bearer {auth.create_token(workspace, terminal, 't')['token']}"
        yield client


def entries(workspace) -> list[dict]:
    return [json.loads(e.assessment) for e in workspace.ledger.entries()]


def look(site, **params):
    answer = site.get(ORG.format(site.org) + "/assessment", params=params)
    assert answer.status_code == 200, answer.text
    return answer


def test_viewing_a_version_saved_today_in_both_languages_adds_nothing_to_the_ledger(site, workspace):
    """Saving the version recorded its assessment today: that is the one shown."""
    before = entries(workspace)
    assert before[-1]["workspace"]["change"] == "manifest_version"
    shown = [look(site, lang=lang) for lang in ("en", "zh", "en", "en", "zh", "en")]
    assert entries(workspace) == before
    assert {a.headers["X-Ledger-Recorded"] for a in shown} == {"false"}
    # What is shown is what the ledger holds for that version (English, as recorded).
    assert shown[0].json()["findings"] == before[-1]["findings"]
    assert {f["title"] for f in shown[1].json()["findings"]} != {f["title"] for f in shown[0].json()["findings"]}


def test_a_new_day_is_recorded_once_by_the_first_look_and_each_asked_assessment_is_recorded(site, workspace):
    day = "2027-03-01"
    size = len(entries(workspace))
    first = look(site, as_of=day)
    assert first.headers["X-Ledger-Recorded"] == "true"
    recorded = entries(workspace)
    assert len(recorded) == size + 1
    assert (recorded[-1]["as_of"], recorded[-1]["workspace"]["change"]) == (day, "assessment")
    assert recorded[-1]["findings"] == first.json()["findings"]
    for lang in ("zh", "en", "zh"):
        assert look(site, as_of=day, lang=lang).headers["X-Ledger-Recorded"] == "false"
    assert len(entries(workspace)) == size + 1
    # Asking for an assessment (POST .../assess) records one each time, as before.
    for _ in range(2):
        assert site.post(ORG.format(site.org) + "/assess", params={"as_of": day}).status_code == 200
    assert len(entries(workspace)) == size + 3


def test_a_new_version_is_recorded_by_its_save_and_then_only_shown(site, workspace, terminal):
    day = datetime.date(2027, 3, 1)
    look(site, as_of=day.isoformat())
    size = len(entries(workspace))
    text = JOBS.read_text(encoding="utf-8") + "# edited\n"
    workspace.save_version(site.org, text, 1, terminal, "edited")
    assert len(entries(workspace)) == size + 1   # the save's own entry (its day: today)
    answer = look(site, as_of=day.isoformat())   # version 2 on that day: not yet assessed
    assert answer.headers["X-Ledger-Recorded"] == "true"
    assert entries(workspace)[-1]["workspace"]["version"] == 2
    for _ in range(3):
        look(site, as_of=day.isoformat())
        look(site)   # today: the save recorded it
    assert len(entries(workspace)) == size + 2
