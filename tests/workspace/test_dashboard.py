"""The dashboard (workspace/dashboard.py) from the jobs-platform example with dates set around the
as-of day, so that every bucket holds a duty whose date follows from the law.

The dates (mainland calendar; no holiday between National Day and New Year 2027):
- PI protection officer (CAC announcement of 2025-07-18): reported "自数量达到之日起30个工作日内".
  1,000,000 individuals reached on Monday 2026-10-26: counting from the next day (Civil Code
  Art. 201), the 30th working day is Monday 2026-12-07.
- Standard contract filing (CAC Order 13 Art. 7): within 10 working days after the contract takes
  effect. In effect Monday 2026-10-12: the 10th working day is Monday 2026-10-26.
- Annual audit of minors' PI (Minors Online Protection Regulations Art. 37, "每年", read as each
  calendar year): due 2026-12-31.
"""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
import yaml

from hegui.manifest.model import Manifest
from hegui.rulebook import default_rulebook, load_rulebook
from hegui.workspace.dashboard import WINDOW_DAYS, OrganisationState, dashboard, manifest_edits, owners_of

ROOT = Path(__file__).resolve().parents[2]
D = datetime.date
AS_OF = D(2026, 12, 3)
OFFICER = ("pipl.pi-protection-officer", "organisation")
FILING = ("cbdt.standard-contract-or-certification", "transfer:crm-to-us")
MINORS_AUDIT = ("minors-online.annual-pi-audit", "organisation")
LOCAL_REP = ("pipl.local-representative", "organisation")


def jobs(**organisation) -> Manifest:
    data = yaml.safe_load((ROOT / "examples" / "jobs-platform.yaml").read_text(encoding="utf-8"))
    data["organisation"].update({"pi_individuals_1m_reached_on": "2026-10-26", "minors_pi": True, **organisation})
    data["transfers"][0]["mechanism_effective_on"] = "2026-10-12"
    return Manifest.model_validate(data)


def with_records(m: Manifest, *records: dict) -> Manifest:
    return m.model_copy(update={"compliance": [*m.compliance, *(m.compliance[0].model_validate(r) for r in records)]})


@pytest.fixture(scope="module")
def rulebook():
    return default_rulebook()


@pytest.fixture(scope="module")
def shorter_officer_rulebook(tmp_path_factory):
    """The rules with one version edited: the officer reported within 20 working days, not 30."""
    folder = tmp_path_factory.mktemp("rules")
    shutil.copytree(ROOT / "src" / "hegui" / "rules", folder, dirs_exist_ok=True)
    path = folder / "cac-pipo-reporting-announcement-2025.yaml"
    text = path.read_text(encoding="utf-8")
    edited = text.replace("working_days_after: organisation.pi_individuals_1m_reached_on\n        count: 30",
                          "working_days_after: organisation.pi_individuals_1m_reached_on\n        count: 20")
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    return load_rulebook(folder)


def keys(duties) -> list[tuple[str, str]]:
    return [(d.entry.obligation, d.entry.subject) for d in duties]


def test_each_bucket_holds_the_duties_the_dates_make(rulebook):
    org = OrganisationState("Jobs Platform", jobs(), owners={FILING: "Zhang Min", LOCAL_REP: "Wang Fang"},
                            fact_owners={"organisation.targets_mainland_individuals": "Legal"})
    dash = dashboard([org], AS_OF, rulebook)
    overdue = {(d.entry.obligation, d.entry.subject): d for d in dash.overdue}
    due = {(d.entry.obligation, d.entry.subject): d for d in dash.due_soon}
    assert overdue[FILING].entry.date == D(2026, 10, 26) and overdue[FILING].owner == "Zhang Min"
    assert due[OFFICER].entry.date == D(2026, 12, 7) and due[OFFICER].owner is None
    assert due[MINORS_AUDIT].entry.date == D(2026, 12, 31)
    waiting = {(w.finding.obligation, w.finding.subject): w for w in dash.waiting}
    # PIPL Art. 53 binds a processor abroad that targets individuals in China (Art. 3(2)): the
    # jobs platform, incorporated in the Cayman Islands, does not say whether it does.
    assert waiting[LOCAL_REP].facts == (("organisation.targets_mainland_individuals", "Legal"),)
    assert waiting[LOCAL_REP].owner == "Wang Fang"
    assert all(w.finding.status == "unknown" and w.facts and w.waits_for == "status" for w in dash.waiting)
    assert dash.changes == ()                                     # a first visit: nothing to compare


def test_a_person_reads_overdue_first_then_by_date(rulebook):
    dash = dashboard([OrganisationState("Jobs Platform", jobs()),
                      OrganisationState("Group", Manifest.model_validate(
                          yaml.safe_load((ROOT / "examples" / "internet-group.yaml").read_text(encoding="utf-8"))))],
                     AS_OF, rulebook)
    assert {d.organisation for d in dash.overdue} == {"Jobs Platform", "Group"}
    assert dash.attention == dash.overdue + dash.due_soon
    assert all(d.overdue and d.entry.date < AS_OF for d in dash.overdue)
    assert all(not d.overdue and AS_OF <= d.entry.date <= AS_OF + datetime.timedelta(days=30) for d in dash.due_soon)
    for bucket in (dash.overdue, dash.due_soon):
        dates = [d.entry.date for d in bucket]
        assert dates == sorted(dates)


@pytest.mark.parametrize("as_of, bucket", [
    (D(2026, 11, 6), None),          # 31 days before 2026-12-07: not yet in the window
    (D(2026, 11, 7), "due_soon"),    # 30 days before: in it (the window includes its last day)
    (D(2026, 12, 7), "due_soon"),    # the day itself: due today, not overdue
    (D(2026, 12, 8), "overdue"),     # the day after
])
def test_the_30_day_window_includes_day_30_and_not_day_31(rulebook, as_of, bucket):
    assert WINDOW_DAYS == 30
    dash = dashboard([OrganisationState("Jobs Platform", jobs())], as_of, rulebook)
    assert (OFFICER in keys(dash.due_soon), OFFICER in keys(dash.overdue)) == \
        (bucket == "due_soon", bucket == "overdue")


@pytest.mark.parametrize("done_on, due", [
    ("2026-11-15", False),   # this year's audit is done: nothing is due by 2026-12-31
    ("2025-12-20", True),    # last year's: this year's is due by 2026-12-31
])
def test_an_annual_duty_done_this_year_is_not_due(rulebook, done_on, due):
    m = with_records(jobs(), {"obligation": MINORS_AUDIT[0], "subject": "organisation", "done_on": done_on})
    assert (MINORS_AUDIT in keys(dashboard([OrganisationState("J", m)], AS_OF, rulebook).due_soon)) is due


def test_a_manifest_edit_shows_as_a_change_with_the_facts_edited(rulebook):
    # 800,000 individuals is below "100万人以上" (1,000,000 included): no officer duty at the last visit.
    last = jobs(pi_individuals=800_000)
    now = with_records(jobs(), {"obligation": FILING[0], "subject": FILING[1], "done_on": "2026-11-30"})
    dash = dashboard([OrganisationState("Jobs Platform", now, last_manifest=last)], AS_OF, rulebook)
    changes = {(c.obligation, c.subject): c for c in dash.changes}
    officer = changes[OFFICER]
    assert officer.cause == "manifest" and "status" in officer.what
    assert (officer.before.status, officer.after.status) == ("does_not_apply", "applies")
    assert changes[FILING].what == ("compliance",)
    assert (changes[FILING].before.compliance, changes[FILING].after.compliance) == ("overdue", "satisfied")
    assert {c.cause for c in dash.changes} == {"manifest"}
    edits = dash.organisations[0].edits
    assert ("organisation.pi_individuals", 800_000, 50_000_000) in [(e.fact, e.before, e.after) for e in edits]
    assert [e for e in edits if e.subject == "compliance"] == [
        type(edits[0])("compliance", "|".join(FILING), None, ("2026-11-30",))]


def test_a_new_rulebook_version_shows_as_a_change_on_the_same_manifest(rulebook, shorter_officer_rulebook):
    # 20 working days after 2026-10-26 is Monday 2026-11-23, before the as-of date: now overdue.
    m = jobs()
    dash = dashboard([OrganisationState("Jobs Platform", m, last_manifest=m, last_rulebook=rulebook)], AS_OF,
                     shorter_officer_rulebook)
    assert [(c.cause, c.obligation, c.subject) for c in dash.changes] == [("rulebook", *OFFICER)]
    change = dash.changes[0]
    assert change.what == ("deadline", "compliance")
    assert (change.before.deadline.date, change.after.deadline.date) == (D(2026, 12, 7), D(2026, 11, 23))
    assert (change.before.compliance, change.after.compliance) == ("open", "overdue")
    assert OFFICER in keys(dash.overdue) and OFFICER not in keys(dash.due_soon)
    assert change.rulebooks == (rulebook.digest, shorter_officer_rulebook.digest) != (rulebook.digest,) * 2
    assert dash.rulebook == shorter_officer_rulebook.digest
    from hegui.workspace.reminders import digest_message
    text = digest_message(dash, "a@example.org", "b@example.org").get_body(("plain",)).get_content()
    assert (f"    under the new rulebook {shorter_officer_rulebook.digest[:19]} (was {rulebook.digest[:19]})\n"
            "    deadline 2026-12-07 -> 2026-11-23\n    compliance open -> overdue") in text


def test_each_cause_is_its_own_step(rulebook, shorter_officer_rulebook):
    # Since the last visit on 2026-11-20: the manifest reached 1,000,000 individuals (the duty now
    # applies, due 2026-12-07 on the old rules), then the new rules moved the date to 2026-11-23.
    last = jobs(pi_individuals=800_000)
    dash = dashboard([OrganisationState("Jobs Platform", jobs(), last_manifest=last, last_visit=D(2026, 11, 20),
                                        last_rulebook=rulebook)], AS_OF, shorter_officer_rulebook)
    officer = [c for c in dash.changes if (c.obligation, c.subject) == OFFICER]
    assert [c.cause for c in officer] == ["manifest", "rulebook"]
    manifest_step, rulebook_step = officer
    assert manifest_step.after.deadline.date == D(2026, 12, 7) == rulebook_step.before.deadline.date
    assert rulebook_step.after.deadline.date == D(2026, 11, 23)
    causes = [c.cause for c in dash.changes]
    assert causes == sorted(causes, key=["time", "manifest", "rulebook"].index)


def test_a_deadline_passing_since_the_last_visit_is_a_change_with_time(rulebook):
    m = jobs()
    dash = dashboard([OrganisationState("Jobs Platform", m, last_manifest=m, last_visit=D(2026, 12, 1))],
                     D(2026, 12, 8), rulebook)
    officer = next(c for c in dash.changes if (c.obligation, c.subject) == OFFICER)
    assert officer.cause == "time" and officer.what == ("compliance",)
    assert (officer.before.compliance, officer.after.compliance) == ("open", "overdue")
    assert officer.since == D(2026, 12, 1)


def test_nothing_new_costs_one_assessment_per_organisation(rulebook):
    calls = []

    def counting(manifest, day, rb):
        from hegui.engine.assess import assess
        calls.append(day)
        return assess(manifest, day, rb)
    m = jobs()
    dash = dashboard([OrganisationState("A", m, last_manifest=m, last_rulebook=rulebook), OrganisationState("B", m)],
                     AS_OF, rulebook, assessor=counting)
    assert calls == [AS_OF, AS_OF] and dash.changes == ()
    calls.clear()
    # A week since the last visit: today's assessment and the last visit's day's, nothing else.
    dashboard([OrganisationState("A", m, last_manifest=m, last_visit=D(2026, 11, 26))], AS_OF, rulebook,
              assessor=counting)
    assert sorted(calls) == [D(2026, 11, 26), AS_OF]


def test_no_edits_on_a_first_visit_or_an_unchanged_manifest():
    assert manifest_edits(None, jobs()) == () == manifest_edits(jobs(), jobs())
    edits = manifest_edits(jobs(), jobs(minors_pi=False))
    assert [(e.subject, e.fact, e.before, e.after) for e in edits] == \
        [("organisation", "organisation.minors_pi", True, False)]


def test_owners_come_from_the_records_the_last_naming_one_wins():
    from types import SimpleNamespace as Row
    rows = [{"obligation": FILING[0], "subject": FILING[1], "owner": "Zhang Min"},   # as the store gives them
            Row(obligation=OFFICER[0], subject=OFFICER[1], owner=None),
            Row(obligation=FILING[0], subject=FILING[1], owner="Chen Jie"),
            {"obligation": OFFICER[0], "subject": OFFICER[1], "owner": ""}]
    assert owners_of(rows) == {FILING: "Chen Jie"}


def test_the_dashboard_as_json(rulebook, shorter_officer_rulebook):
    import json

    from hegui.report.command_json import dumps
    from hegui.workspace.dashboard_json import dashboard_dict
    org = OrganisationState("Jobs Platform", jobs(), last_manifest=jobs(pi_individuals=800_000),
                            last_rulebook=rulebook, owners={LOCAL_REP: "Wang Fang"}, key="7")
    dash = dashboard([org], AS_OF, shorter_officer_rulebook)
    data = json.loads(dumps(dashboard_dict(dash, "zh")))
    assert (data["as_of"], data["window_days"]) == ("2026-12-03", 30)
    officer = next(d for d in data["overdue"] if (d["obligation"], d["subject"]) == OFFICER)
    assert (officer["date"], officer["days"], officer["title"]) == ("2026-11-23", -10, "指定个人信息保护负责人并报送")
    assert (officer["organisation"], officer["organisation_key"]) == ("Jobs Platform", "7")
    filing = next(d for d in data["overdue"] if (d["obligation"], d["subject"]) == FILING)
    assert filing["date"] == "2026-10-26" and "10 个工作日" in filing["basis"]
    rep = next(w for w in data["waiting"] if (w["obligation"], w["subject"]) == LOCAL_REP)
    assert (rep["owner"], rep["waits_for"]) == ("Wang Fang", "status")
    assert rep["facts"] == [{"fact": "organisation.targets_mainland_individuals", "owner": None,
                             "text": "该组织在境外向境内自然人提供产品或服务，或分析、评估其行为（是或否）"}]
    officer_changes = [c for c in data["changes"] if (c["obligation"], c["subject"]) == OFFICER]
    assert [(c["cause"], c["before"]["status"], c["after"]["status"]) for c in officer_changes] == \
        [("manifest", "does_not_apply", "applies"), ("rulebook", "applies", "applies")]
    assert officer_changes[1]["before"]["deadline"] == "2026-12-07"
    # A change's sides are rows too: the citation worded as the duty's own row words it.
    assert officer_changes[1]["after"]["citation"] == officer["citation"] and "第" in officer["citation"]
    assert data["organisations"][0]["key"] == "7"
    assert {"subject": "organisation", "fact": "organisation.pi_individuals", "before": 800000,
            "after": 50000000} in data["organisations"][0]["edits"]


def test_a_duty_that_cannot_be_dated_waits_for_its_date(rulebook):
    # The CSRC filing is due within 3 working days after the application abroad (Trial Measures
    # Art. 16): without the application's date, it applies but has no date to be overdue or due by.
    data = jobs().model_dump()
    data["listings"][0]["application_date"] = None
    data["compliance"] = [r for r in data["compliance"] if r["subject"] != "listing:nasdaq"]
    dash = dashboard([OrganisationState("J", Manifest.model_validate(data),
                                        fact_owners={"listing.application_date": "IPO team"})], AS_OF, rulebook)
    filing = next(w for w in dash.waiting if w.finding.obligation == "csrc.overseas-listing-filing")
    assert (filing.waits_for, filing.finding.status, filing.facts) == \
        ("deadline", "applies", (("listing.application_date", "IPO team"),))
    assert "csrc.overseas-listing-filing" not in [d.entry.obligation for d in dash.attention]
    from hegui.workspace.reminders import digest_message
    text = digest_message(dash, "a@example.org", "b@example.org").get_body(("plain",)).get_content()
    csrc = text[text.index("J: File with the CSRC"):]
    assert csrc.split("\n")[1].startswith("    applies; to count its deadline, needs: ")
    assert "(to be given by IPO team)" in csrc.split("\n")[1]


def test_a_rule_taking_effect_since_the_last_visit_is_named_as_the_cause(rulebook):
    # CAC Order 16 took effect on 2024-03-22 (Art. 14): 150,000 individuals this year sit in its
    # Art. 8 band (100,000 to 1,000,000), so the transfer moves from the assessment to the contract.
    m = Manifest.model_validate({
        "format": "hegui/1",
        "organisation": {"name": "X", "ciio": False, "pi_individuals": 500_000,
                         "exports": {"pi_individuals_current_year": 150_000, "sensitive_pi_individuals_current_year": 0,
                                     "pi_individuals_since_previous_year": 400_000,
                                     "sensitive_pi_individuals_since_previous_year": 0}},
        "transfers": [{"id": "crm", "includes_pi": True, "includes_sensitive_pi": False,
                       "includes_important_data": False, "basis": "none", "collected_abroad_only": False,
                       "ftz_exempt": False}]})
    dash = dashboard([OrganisationState("X", m, last_manifest=m, last_visit=D(2024, 3, 21))], D(2024, 3, 22), rulebook)
    change = next(c for c in dash.changes if (c.obligation, c.subject) == ("cbdt.security-assessment", "transfer:crm"))
    assert (change.cause, change.before.status, change.after.status) == ("time", "applies", "does_not_apply")
    assert any(r.day == D(2024, 3, 22) and r.kind == "takes_effect" for r in change.rule_changes)
    from hegui.workspace.reminders import digest_message
    text = digest_message(dash, "a@example.org", "b@example.org").get_body(("plain",)).get_content()
    assert "    with time, since 2024-03-21\n" in text and "    because: 2024-03-22 cbdt.security-assessment: " in text
