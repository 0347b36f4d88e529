"""check, diff and calendar through the installed command; the .ics file read back by icalendar."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from pathlib import Path

import pytest
from icalendar import Calendar

HEGUI = str(Path(sys.executable).parent / "hegui")
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
JOBS = str(EXAMPLES / "jobs-platform.yaml")
GROUP = str(EXAMPLES / "internet-group.yaml")


def run(*args, stdin=None):
    return subprocess.run([HEGUI, *args], capture_output=True, text=True, input=stdin)


def manifest_file(tmp_path, text):
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


LISTING = """\
format: hegui/1
organisation:
  name: Issuer
  china_nexus: {{revenue_share: 0.9, main_business_in_mainland: true}}
listings:
  - {{id: ipo, venue: NASDAQ, kind: ipo, structure: indirect, application_date: 2024-06-03}}
{compliance}
"""


@pytest.mark.parametrize("as_of, compliance, exit_code", [
    # CSRC Trial Measures Art. 16: 3 working days after 2024-06-03 is 2024-06-06.
    ("2024-06-05", "open", 0),
    ("2024-06-06", "open", 0),        # the deadline day itself is still in time
    ("2024-06-07", "overdue", 3),     # the day after: overdue, and check fails
])
def test_check_around_a_deadline(tmp_path, as_of, compliance, exit_code):
    path = manifest_file(tmp_path, LISTING.format(compliance=""))
    done = run("check", path, "--as-of", as_of, "--format", "json")
    assert done.returncode == exit_code, done.stderr
    found = json.loads(done.stdout)["findings"]
    assert [f["compliance"] for f in found if f["obligation"] == "csrc.overseas-listing-filing"] == \
        ([compliance] if compliance == "overdue" else [])
    assessed = json.loads(run("assess", path, "--as-of", as_of, "--format", "json").stdout)["findings"]
    assert next(f for f in assessed if f["obligation"] == "csrc.overseas-listing-filing")["compliance"] == compliance


def test_strict_check_fails_on_open_duties_too(tmp_path):
    path = manifest_file(tmp_path, LISTING.format(compliance=""))
    assert run("check", path, "--as-of", "2024-06-05").returncode == 0
    assert run("check", path, "--as-of", "2024-06-05", "--strict").returncode == 3


def test_a_record_satisfies_and_a_late_one_warns(tmp_path):
    late = ("compliance:\n  - {obligation: csrc.overseas-listing-filing, subject: 'listing:ipo', "
            "done_on: 2024-06-10}")
    path = manifest_file(tmp_path, LISTING.format(compliance=late))
    assert run("check", path, "--as-of", "2024-07-01").returncode == 0
    finding = next(f for f in json.loads(run("assess", path, "--as-of", "2024-07-01", "--format", "json").stdout)
                   ["findings"] if f["obligation"] == "csrc.overseas-listing-filing")
    assert finding["compliance"] == "satisfied"
    assert any("after the deadline 2024-06-06" in w for w in finding["warnings"])


LATE = ("compliance:\n  - {obligation: csrc.overseas-listing-filing, subject: 'listing:ipo', "
        "done_on: 2024-06-10}")


def listing_finding(path, as_of):
    data = json.loads(run("assess", path, "--as-of", as_of, "--format", "json").stdout)
    return next(f for f in data["findings"] if f["obligation"] == "csrc.overseas-listing-filing")


@pytest.mark.parametrize("as_of, compliance, exit_code", [
    # CSRC Trial Measures Art. 16: due 2024-06-06; filed on 2024-06-10 (interface.md: a record
    # dated after the as-of date does not count on it; one after the deadline is satisfied, late).
    ("2024-06-09", "overdue", 3),
    ("2024-06-10", "satisfied", 0),
    ("2024-06-11", "satisfied", 0),
])
def test_check_around_a_late_record(tmp_path, as_of, compliance, exit_code):
    path = manifest_file(tmp_path, LISTING.format(compliance=LATE))
    assert run("check", path, "--as-of", as_of).returncode == exit_code
    f = listing_finding(path, as_of)
    assert f["compliance"] == compliance
    if compliance == "satisfied":
        assert f["compliance_detail"] == {"by": "record", "done_on": "2024-06-10", "fact": None, "late": True}
    else:
        assert f["compliance_detail"] is None
        assert any("recorded as done on 2024-06-10, after the as-of date" in w for w in f["warnings"])


def test_an_on_time_record_is_not_late(tmp_path):
    on_time = LATE.replace("2024-06-10", "2024-06-06")     # the deadline day itself
    f = listing_finding(manifest_file(tmp_path, LISTING.format(compliance=on_time)), "2024-06-07")
    assert f["compliance"] == "satisfied" and f["compliance_detail"]["late"] is False


def test_the_late_marker_in_the_text_views(tmp_path):
    path = manifest_file(tmp_path, LISTING.format(compliance=LATE))

    def shown(*args):                       # the terminal view wraps long lines
        return " ".join(run(*args).stdout.split())
    assert "satisfied (done late, on 2024-06-10)" in shown("assess", path, "--as-of", "2024-06-10")
    assert "逾期履行，2024-06-10 完成" in shown("assess", path, "--as-of", "2024-06-10", "--lang", "zh")
    assert "done late, on 2024-06-10" in shown("explain", path, "csrc.overseas-listing-filing", "--as-of", "2024-06-10")
    assert "done late" not in shown("assess", path, "--as-of", "2024-06-09")


def test_diff_shows_the_compliance_change_a_record_makes(tmp_path):
    path = manifest_file(tmp_path, LISTING.format(compliance=LATE))
    data = json.loads(run("diff", path, "--from", "2024-06-09", "--to", "2024-06-10", "--format", "json").stdout)
    change = next(c for c in data["changes"] if c["obligation"] == "csrc.overseas-listing-filing")
    assert change["changed"] == ["compliance"]
    assert (change["before"]["compliance"], change["after"]["compliance"]) == ("overdue", "satisfied")
    assert change["records_done_on"] == ["2024-06-10"]
    text = run("diff", path, "--from", "2024-06-09", "--to", "2024-06-10").stdout
    assert "compliance overdue -> satisfied" in text and "a compliance record dated 2024-06-10" in text
    # The day before the record nothing about it changes: the record is not yet in the window.
    data = json.loads(run("diff", path, "--from", "2024-06-08", "--to", "2024-06-09", "--format", "json").stdout)
    assert not [c for c in data["changes"] if c["obligation"] == "csrc.overseas-listing-filing"]


@pytest.mark.parametrize("as_of, listed", [("2024-06-09", True), ("2024-06-10", False)])
def test_the_calendar_keeps_a_duty_until_its_record_counts(tmp_path, as_of, listed):
    path = manifest_file(tmp_path, LISTING.format(compliance=LATE))
    entries = json.loads(run("calendar", path, "--as-of", as_of, "--format", "json").stdout)["deadlines"]
    filing = [e for e in entries if e["obligation"] == "csrc.overseas-listing-filing"]
    assert bool(filing) is listed
    if listed:
        assert filing[0]["date"] == "2024-06-06" and filing[0]["compliance"] == "overdue"


def test_a_present_breach_fails_check_and_is_on_the_calendar(tmp_path):
    # Surveying and Mapping Law Art. 27 (in force 2017-07-01, Art. 68): collecting HD-map data
    # without a qualification is a present breach, dated from the service's launch.
    path = manifest_file(tmp_path, "format: hegui/1\norganisation: {name: Maps}\nservices:\n"
                         "  - {id: car, collects_hd_map_data: true, surveying_qualification: false, "
                         "launched_on: 2023-05-04}\n")
    done = run("check", path, "--as-of", "2024-01-02", "--format", "json")
    assert done.returncode == 3
    breach = next(f for f in json.loads(done.stdout)["findings"] if f["obligation"] == "icv.surveying-qualification")
    assert breach["deadline"]["date"] == "2023-05-04" and "service.launched_on" in breach["deadline"]["basis"]
    entries = json.loads(run("calendar", path, "--as-of", "2024-01-02", "--format", "json").stdout)["deadlines"]
    assert {"date": "2023-05-04", "compliance": "overdue"}.items() <= \
        next(e for e in entries if e["obligation"] == "icv.surveying-qualification").items()
    assert run("check", path, "--as-of", "2023-05-03").returncode == 0     # the day before launch


def test_a_record_for_a_missing_subject_is_bad_input(tmp_path):
    wrong = "compliance:\n  - {obligation: csrc.overseas-listing-filing, subject: 'listing:nope'}"
    done = run("check", manifest_file(tmp_path, LISTING.format(compliance=wrong)), "--as-of", "2024-07-01")
    assert done.returncode == 2
    assert "compliance[0].subject" in done.stderr and "Traceback" not in done.stderr


def test_diff_names_the_instrument_that_caused_the_change():
    done = run("diff", JOBS, "--from", "2024-03-21", "--to", "2024-03-22")
    assert done.returncode == 0
    assert "CAC Order 16 Art. 7 replaces CAC Order 11 Art. 4" in done.stdout
    data = json.loads(run("diff", JOBS, "--from", "2024-03-21", "--to", "2024-03-22", "--format", "json").stdout)
    moved = {c["obligation"]: c for c in data["changes"] if c["subject"] == "transfer:crm-to-us"}
    assert moved["cbdt.security-assessment"]["before"]["status"] == "applies"
    assert moved["cbdt.security-assessment"]["after"]["status"] == "does_not_apply"


def test_diff_needs_the_dates_in_order():
    done = run("diff", JOBS, "--from", "2024-03-22", "--to", "2024-03-21")
    assert done.returncode == 2 and "--to" in done.stderr


def test_calendar_and_its_ics_file(tmp_path):
    ics = tmp_path / "deadlines.ics"
    done = run("calendar", GROUP, "--as-of", "2026-11-25", "--ics", str(ics), "--format", "json")
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)["deadlines"]
    cal = Calendar.from_ical(ics.read_bytes())
    events = cal.walk("VEVENT")
    assert len(events) == len(listed) > 0
    assert str(cal["version"]) == "2.0" and "hegui" in str(cal["prodid"])
    by_uid = {str(e["uid"]) for e in events}
    assert len(by_uid) == len(events)                     # every event has its own UID
    audit = next(e for e in events if "pipl.compliance-audit" in str(e["description"]))
    # 2025-05-01 + 2 years = Saturday 2027-05-01, Labour Day; rest days to 05-04 (放假办法 Arts. 2, 6)
    assert audit.decoded("dtstart") == datetime.date(2027, 5, 5)
    assert audit["rrule"]["FREQ"] == ["YEARLY"] and audit["rrule"]["INTERVAL"] == [2]
    overdue = [e for e in events if str(e["summary"]).startswith("OVERDUE")]
    assert {json_d["obligation"] for json_d in listed if json_d["compliance"] == "overdue"} == \
        {str(e["description"]).split("\n")[0].removeprefix("Obligation: ") for e in overdue}
    for e in events:
        assert "Source:" in str(e["description"]) and e.decoded("dtend") - e.decoded("dtstart") == \
            datetime.timedelta(days=1)


def test_the_ics_file_is_the_same_for_the_same_assessment(tmp_path):
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    for path in (first, second):
        assert run("calendar", GROUP, "--as-of", "2026-11-25", "--ics", str(path)).returncode == 0
    assert first.read_bytes() == second.read_bytes()


def test_rules_changes_lists_the_rulebooks_own_changes_in_a_window():
    # Order 16 took effect on 2024-03-22 (Art. 14); the 2024 merger thresholds on 2024-01-22.
    data = json.loads(run("rules", "--changes", "--from", "2024-01-01", "--to", "2024-03-31", "--format", "json").stdout)
    days = {(c["date"], c["kind"]) for c in data["changes"]}
    assert ("2024-03-22", "takes_effect") in days and ("2024-01-22", "threshold") in days
    assert all("2024-01-01" < c["date"] <= "2024-03-31" for c in data["changes"])
    assert run("rules", "--changes", "--from", "2024-03-22", "--to", "2024-03-22", "--format", "json").returncode == 0
    assert run("rules", "--changes", "--from", "2024-01-01").returncode == 2
    assert "规则变化" in run("rules", "--changes", "--from", "2024-01-01", "--to", "2024-03-31", "--lang", "zh").stdout


def _events(tmp_path, *args, manifest=GROUP):
    ics = tmp_path / "d.ics"
    assert run("calendar", manifest, "--ics", str(ics), *args).returncode == 0
    return Calendar.from_ical(ics.read_bytes()).walk("VEVENT")


def test_an_overdue_duty_is_on_the_as_of_date_and_a_duty_ahead_has_reminders(tmp_path):
    # The CSRC filing fell due 3 working days after the 2024-06-03 application (Trial Measures
    # Art. 16): 2024-06-06. On 2024-07-01 it is overdue: shown that day, with its due date kept.
    events = _events(tmp_path, "--as-of", "2024-07-01", manifest=manifest_file(tmp_path, LISTING.format(compliance="")))
    filing = next(e for e in events if "csrc.overseas-listing-filing" in str(e["description"]))
    assert filing.decoded("dtstart") == datetime.date(2024, 7, 1)
    assert str(filing["summary"]).startswith("OVERDUE since 2024-06-06")
    assert "rrule" not in filing
    assert [a.decoded("trigger") for a in filing.walk("VALARM")] == [datetime.timedelta(0)]
    # Ahead of its date: a reminder a week before and a day before, and no event on a past day.
    ahead = _events(tmp_path, "--as-of", "2024-06-03", manifest=manifest_file(tmp_path, LISTING.format(compliance="")))
    filing = next(e for e in ahead if "csrc.overseas-listing-filing" in str(e["description"]))
    assert filing.decoded("dtstart") == datetime.date(2024, 6, 6)
    assert sorted(a.decoded("trigger") for a in filing.walk("VALARM")) == \
        [-datetime.timedelta(days=7), -datetime.timedelta(days=1)]
    assert all(a["action"] == "DISPLAY" for a in filing.walk("VALARM"))


def test_the_calendar_and_its_ics_file_follow_lang(tmp_path):
    events = _events(tmp_path, "--as-of", "2026-11-25", "--lang", "zh")
    audit = next(e for e in events if "pipl.compliance-audit" in str(e["description"]))
    text = str(audit["description"])
    assert "个人信息保护合规审计" in str(audit["summary"])
    assert "义务：pipl.compliance-audit" in text and "依据：" in text and "期限：2027-05-05" in text
    assert "Deadline" not in text and "Source" not in text and "hegui 不构成法律意见" in text
    shown = run("calendar", GROUP, "--as-of", "2026-11-25", "--lang", "zh").stdout
    assert "每 2 年" in shown and "every" not in shown
