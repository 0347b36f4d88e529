"""Compliance over time, from the contract (interface.md, Deadlines, the `compliance` paragraph):

- a record or fact dated after the as-of date does not count on the as-of date;
- a record dated after the deadline is still satisfied from its date, marked late;
- a continuing duty or prohibition the facts show broken is a present breach: overdue, with
  deadline.date the day the duty began to bind the subject (its entry into force, or the later
  event that brought the subject under it).

Most cases run on a small rulebook written for the test, so the dates are the contract's, not
any instrument's; the last ones use the real Surveying and Mapping Law.
"""

from __future__ import annotations

import datetime
import textwrap

import pytest

from hegui.engine import assess
from hegui.manifest.model import Manifest
from hegui.rulebook import load_rulebook
from hegui.rulebook.load import RulebookError
from hegui.report.notices import texts
from hegui.report.deadlines import basis_text
from small_rulebook import INSTRUMENT_HEADER

D = datetime.date.fromisoformat

CATALOGUE = """\
rulebook_version: test
obligations:
  test.file:     {subject: organisation, title: File by a date, title_zh: 限期备案}
  test.cert:     {subject: transfer, title: Certify before exporting, title_zh: 认证}
  test.approval: {subject: transfer, title: Approval before exporting, title_zh: 审批}
  test.no-ai:    {subject: service, title: No AI prescriptions, title_zh: 禁止}
  test.audit:    {subject: organisation, title: Audit every two years, title_zh: 审计}
  test.permit:   {subject: organisation, title: Hold a permit, title_zh: 许可}
"""

INSTRUMENT = INSTRUMENT_HEADER + """\
  - obligation: test.file
    article: "1"
    applies_when: [organisation.ciio]
    deadline:
      - by: 2024-03-29
    review: verified
    confidence: H
  - obligation: test.cert
    article: "2"
    applies_when: [transfer.includes_pi]
    deadline:
      - before: transfer.started_on
    satisfied_when: "transfer.mechanism == 'certification'"
    satisfied_since: transfer.mechanism_effective_on
    review: verified
    confidence: H
  - obligation: test.approval
    article: "3"
    applies_when: [transfer.includes_pi]
    deadline:
      - before: transfer.started_on
    satisfied_when: "transfer.mechanism == 'security_assessment'"
    valid_for: {since: transfer.mechanism_effective_on, years: 2, article: "3"}
    review: verified
    confidence: H
  - obligation: test.no-ai
    article: "4"
    applies_when: [service.issues_prescriptions]
    continuous: no prescription may be generated automatically
    satisfied_when: not service.ai_generated_prescriptions
    review: verified
    confidence: H
  - obligation: test.audit
    article: "5"
    applies_when: [organisation.ciio]
    deadline:
      - every_years: 2022-03-01
        count: 2
    review: verified
    confidence: H
  - obligation: test.permit
    article: "6"
    applies_when: [organisation.ciio]
    continuous: hold the permit
    review: verified
    confidence: H
"""


def write_rulebook(folder, instrument: str = INSTRUMENT):
    (folder / "catalogue.yaml").write_text(CATALOGUE, encoding="utf-8")
    (folder / "test-instrument.yaml").write_text(textwrap.dedent(instrument), encoding="utf-8")
    return load_rulebook(folder)


@pytest.fixture(scope="module")
def rulebook(tmp_path_factory):
    return write_rulebook(tmp_path_factory.mktemp("rules"))


def finding(rulebook, as_of, obligation, records=(), transfer=None, service=None, subject=None):
    doc = {"format": "hegui/1", "organisation": {"name": "T", "ciio": True}, "compliance": list(records)}
    if transfer is not None:
        doc["transfers"] = [{"id": "t", "includes_pi": True, "started_on": "2024-01-10", **transfer}]
    if service is not None:
        doc["services"] = [{"id": "s", "issues_prescriptions": True, **service}]
    found = assess(Manifest.model_validate(doc), D(as_of), rulebook).findings
    return next(f for f in found if f.obligation == obligation and (subject is None or f.subject == subject))


def record(obligation, done_on, subject="organisation"):
    return {"obligation": obligation, "subject": subject, "done_on": done_on}


# -- a record counts from its date ---------------------------------------------------------

@pytest.mark.parametrize("as_of, compliance, counted", [
    ("2024-04-09", "overdue", False),    # the day before done_on: the deadline 2024-03-29 has passed
    ("2024-04-10", "satisfied", True),   # done_on itself
    ("2024-04-11", "satisfied", True),
])
def test_a_record_counts_from_its_date(rulebook, as_of, compliance, counted):
    f = finding(rulebook, as_of, "test.file", [record("test.file", "2024-04-10")])
    assert f.compliance == compliance
    assert f.deadline.date == D("2024-03-29")
    later = [w for w in texts(f.warnings) if "recorded as done on 2024-04-10, after the as-of date" in w]
    assert bool(later) is not counted
    if counted:
        assert f.compliance_detail.by == "record" and f.compliance_detail.done_on == D("2024-04-10")
    else:
        assert f.compliance_detail is None


def test_a_future_record_leaves_a_duty_open_before_its_deadline(rulebook):
    f = finding(rulebook, "2024-03-01", "test.file", [record("test.file", "2024-03-20")])
    assert f.compliance == "open"


@pytest.mark.parametrize("done_on, late", [
    ("2024-03-28", False),
    ("2024-03-29", False),               # the deadline day itself is in time
    ("2024-03-30", True),                # the day after: satisfied, but late
])
def test_a_record_after_the_deadline_is_satisfied_and_late(rulebook, done_on, late):
    f = finding(rulebook, "2024-05-01", "test.file", [record("test.file", done_on)])
    assert f.compliance == "satisfied"
    assert f.compliance_detail.late is late
    assert any("after the deadline 2024-03-29" in w for w in texts(f.warnings)) is late


def test_the_latest_record_on_or_before_the_as_of_date_counts(rulebook):
    records = [record("test.file", "2024-03-10"), record("test.file", "2024-06-01")]
    f = finding(rulebook, "2024-05-01", "test.file", records)
    assert f.compliance_detail.done_on == D("2024-03-10") and f.compliance_detail.late is False
    assert any("recorded as done on 2024-06-01" in w for w in texts(f.warnings))
    assert finding(rulebook, "2024-06-01", "test.file", records).compliance_detail.done_on == D("2024-06-01")


def test_a_record_without_a_date_counts_with_a_warning(rulebook):
    f = finding(rulebook, "2024-05-01", "test.file", [record("test.file", None)])
    assert f.compliance == "satisfied"
    assert f.compliance_detail.done_on is None and f.compliance_detail.late is None
    assert any("no done_on" in w for w in texts(f.warnings))


def test_a_dated_record_is_preferred_to_an_undated_one(rulebook):
    f = finding(rulebook, "2024-05-01", "test.file", [record("test.file", "2024-04-02"), record("test.file", None)])
    assert f.compliance_detail.done_on == D("2024-04-02") and f.compliance_detail.late is True


def test_a_record_for_a_duty_without_a_deadline_is_never_late(rulebook):
    f = finding(rulebook, "2024-05-01", "test.permit", [record("test.permit", "2024-04-30")])
    assert f.compliance == "satisfied" and f.compliance_detail.late is False


@pytest.mark.parametrize("as_of, due, compliance", [
    # Every 2 years from 2022-03-01: due 2024-03-01 (a Friday). An audit recorded on 2024-04-10
    # (late) restarts the cycle only from that day: before it, the first cycle is overdue.
    ("2024-04-09", "2024-03-01", "overdue"),
    ("2024-04-10", "2026-04-10", "satisfied"),     # a Friday, two years on
])
def test_a_future_record_does_not_restart_a_cycle(rulebook, as_of, due, compliance):
    f = finding(rulebook, as_of, "test.audit", [record("test.audit", "2024-04-10")])
    assert f.deadline.date == D(due) and f.compliance == compliance


# -- a fact counts from its date -----------------------------------------------------------

@pytest.mark.parametrize("as_of, compliance", [
    ("2024-05-09", "overdue"),      # the certificate takes effect the next day; the export began 2024-01-10
    ("2024-05-10", "satisfied"),    # the day it takes effect
    ("2024-05-11", "satisfied"),
])
def test_a_certificate_counts_from_its_date(rulebook, as_of, compliance):
    f = finding(rulebook, as_of, "test.cert",
                transfer={"mechanism": "certification", "mechanism_effective_on": "2024-05-10"})
    assert f.compliance == compliance
    assert f.deadline.date == D("2024-01-09")      # the day before the export started
    assert any("mechanism_effective_on is 2024-05-10, after the as-of date" in w for w in texts(f.warnings)) is \
        (compliance != "satisfied")
    if compliance == "satisfied":
        assert f.compliance_detail.by == "fact"
        assert f.compliance_detail.fact == "transfer.mechanism_effective_on"
        assert f.compliance_detail.done_on == D("2024-05-10")


def test_a_planned_certificate_for_a_planned_export_is_open(rulebook):
    f = finding(rulebook, "2024-05-01", "test.cert",
                transfer={"started_on": "2024-07-01", "mechanism": "certification",
                          "mechanism_effective_on": "2024-06-15"})
    assert f.compliance == "open" and f.deadline.date == D("2024-06-30")


def test_a_certificate_without_a_date_counts_with_a_warning(rulebook):
    f = finding(rulebook, "2024-05-01", "test.cert", transfer={"mechanism": "certification"})
    assert f.compliance == "satisfied" and f.compliance_detail.done_on is None
    assert any("mechanism_effective_on is not given" in w for w in texts(f.warnings))


@pytest.mark.parametrize("as_of, compliance", [
    ("2024-05-12", "overdue"),
    ("2024-05-13", "satisfied"),
    ("2026-05-13", "satisfied"),    # two years from Monday 2024-05-13 end on Wednesday 2026-05-13
    ("2026-05-14", "overdue"),      # lapsed
])
def test_an_approval_counts_from_the_date_its_validity_runs_from(rulebook, as_of, compliance):
    f = finding(rulebook, as_of, "test.approval",
                transfer={"mechanism": "security_assessment", "mechanism_effective_on": "2024-05-13"})
    assert f.compliance == compliance


# -- a present breach is overdue from the day the duty began to bind --------------------------

@pytest.mark.parametrize("launched_on, as_of, due, compliance", [
    (None, "2022-03-01", "2022-03-01", "overdue"),            # the in-force day itself
    (None, "2024-01-02", "2022-03-01", "overdue"),            # launch date unknown: the in-force date
    ("2021-06-01", "2024-01-02", "2022-03-01", "overdue"),    # launched before the rule existed
    ("2023-05-04", "2023-05-03", "2023-05-04", "open"),       # the day before launch: not yet broken
    ("2023-05-04", "2023-05-04", "2023-05-04", "overdue"),    # launch day
    ("2023-05-04", "2023-05-05", "2023-05-04", "overdue"),
])
def test_a_present_breach_is_overdue_from_the_day_the_duty_binds(rulebook, launched_on, as_of, due, compliance):
    service = {"ai_generated_prescriptions": True, "launched_on": launched_on}
    f = finding(rulebook, as_of, "test.no-ai", service=service)
    assert f.status == "applies"
    assert f.compliance == compliance
    assert f.deadline.date == D(due)
    assert ("service.launched_on" in basis_text(f.deadline)) is (due != "2022-03-01")
    assert any("the manifest shows it is not met" in w for w in texts(f.warnings))


def test_the_day_before_the_rule_the_prohibition_is_not_in_force(rulebook):
    assert finding(rulebook, "2022-02-28", "test.no-ai", service={"ai_generated_prescriptions": True}).status \
        == "not_in_force"


@pytest.mark.parametrize("ai, compliance", [(False, "satisfied"), (None, "open")])
def test_a_kept_or_unknown_prohibition_has_no_date(rulebook, ai, compliance):
    f = finding(rulebook, "2024-01-02", "test.no-ai", service={"ai_generated_prescriptions": ai})
    assert f.compliance == compliance and f.deadline is None


# -- the rule format -----------------------------------------------------------------------

@pytest.mark.parametrize("old, new, message", [
    ("    satisfied_when: \"transfer.mechanism == 'certification'\"\n", "", "satisfied_since needs satisfied_when"),
    ("satisfied_since: transfer.mechanism_effective_on", "satisfied_since: transfer.mechanism", "is not a date fact"),
])
def test_satisfied_since_is_checked_when_the_rulebook_loads(tmp_path, old, new, message):
    bad = INSTRUMENT.replace(old, new, 1)
    with pytest.raises(RulebookError, match=message):
        write_rulebook(tmp_path, bad)


def test_satisfied_since_must_agree_with_valid_for(tmp_path):
    bad = INSTRUMENT.replace("    valid_for: {since: transfer.mechanism_effective_on",
                             "    satisfied_since: transfer.started_on\n"
                             "    valid_for: {since: transfer.mechanism_effective_on", 1)
    with pytest.raises(RulebookError, match="differs from valid_for.since"):
        write_rulebook(tmp_path, bad)


# -- the real rules ------------------------------------------------------------------------

SURVEYING = "icv.surveying-qualification"


@pytest.mark.parametrize("launched_on, as_of, due, compliance", [
    # Surveying and Mapping Law Art. 27: surveying only with a qualification certificate; the 2017
    # revision in force 2017-07-01 (Art. 68). Collecting without one is a present breach.
    (None, "2017-07-01", "2017-07-01", "overdue"),
    (None, "2024-01-02", "2017-07-01", "overdue"),
    ("2023-05-04", "2023-05-03", "2023-05-04", "open"),
    ("2023-05-04", "2023-05-04", "2023-05-04", "overdue"),
])
def test_surveying_without_a_qualification(launched_on, as_of, due, compliance):
    doc = {"format": "hegui/1", "organisation": {"name": "T"},
           "services": [{"id": "car", "collects_hd_map_data": True, "surveying_qualification": False,
                         "launched_on": launched_on}]}
    f = next(f for f in assess(Manifest.model_validate(doc), D(as_of)).findings if f.obligation == SURVEYING)
    assert f.status == "applies"
    assert (f.compliance, f.deadline.date) == (compliance, D(due))


def export(**changes) -> dict:
    """A CIIO's PI export with every exemption disclaimed: Order 16 Art. 7(1) needs the security assessment."""
    return {"format": "hegui/1",
            "organisation": {"name": "X", "ciio": True, "processes_important_data": False},
            "transfers": [{"id": "t", "destination": "US", "includes_pi": True, "includes_sensitive_pi": False,
                           "includes_important_data": False, "basis": "none", "collected_abroad_only": False,
                           "ftz_exempt": False, "to_foreign_judicial_authority": False,
                           "mechanism": "security_assessment", "mechanism_effective_on": "2024-07-01",
                           **changes}]}


@pytest.mark.parametrize("started_on, as_of, compliance", [
    # Order 16 Art. 7(1): a CIIO applies for the assessment before exporting PI; Art. 9: the result
    # counts from the day it is issued. The deadline is the day before the export starts.
    ("2024-07-02", "2024-06-30", "open"),        # approved the next day; the export has not started
    ("2024-07-02", "2024-07-01", "satisfied"),   # the day of approval
    ("2024-06-01", "2024-06-30", "overdue"),     # exporting since June without the approval
    ("2024-06-01", "2024-07-01", "satisfied"),
    ("2024-06-01", "2024-07-02", "satisfied"),
])
def test_a_security_assessment_counts_from_its_approval(started_on, as_of, compliance):
    found = assess(Manifest.model_validate(export(started_on=started_on)), D(as_of)).findings
    f = next(f for f in found if f.obligation == "cbdt.security-assessment")
    assert f.status == "applies" and f.compliance == compliance
    if compliance == "satisfied":
        assert f.compliance_detail.done_on == D("2024-07-01") and f.compliance_detail.late is None


def test_a_record_against_a_standing_duty_the_facts_show_broken_is_flagged():
    # Surveying and Mapping Law Art. 27: the qualification is the duty itself, so a record saying it
    # is done while the manifest says there is no qualification is a contradiction worth showing.
    doc = {"format": "hegui/1", "organisation": {"name": "T"},
           "services": [{"id": "car", "collects_hd_map_data": True, "surveying_qualification": False}],
           "compliance": [{"obligation": SURVEYING, "subject": "service:car", "done_on": "2024-01-02"}]}
    f = next(f for f in assess(Manifest.model_validate(doc), D("2024-06-03")).findings if f.obligation == SURVEYING)
    assert f.compliance == "satisfied"
    assert any("a compliance record says it is done, but" in w for w in texts(f.warnings))


def test_a_filed_standard_contract_is_not_contradicted_by_the_certification_route():
    # CAC Order 16 Art. 8: a standard contract (filed, Order 13 Art. 7) or a certification; a filing
    # record with mechanism standard_contract is the contract route, not a broken certification.
    doc = export(mechanism="standard_contract", mechanism_effective_on="2024-05-06", started_on="2024-05-10")
    doc["organisation"] = {"name": "X", "ciio": False, "processes_important_data": False,
                           "exports": {"pi_individuals_current_year": 150_000,
                                       "sensitive_pi_individuals_current_year": 0}}
    doc["compliance"] = [{"obligation": "cbdt.standard-contract-or-certification", "subject": "transfer:t",
                          "done_on": "2024-05-13"}]
    f = next(f for f in assess(Manifest.model_validate(doc), D("2024-06-20")).findings
             if f.obligation == "cbdt.standard-contract-or-certification")
    assert f.status == "applies" and f.compliance == "satisfied"
    assert not any("a compliance record says it is done" in w for w in texts(f.warnings))
