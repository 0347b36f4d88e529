"""questions(): the missing facts that would decide `unknown` findings, most decisive first."""

from __future__ import annotations

import datetime
import json
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from hegui.engine import assess
from hegui.engine.questions import Question, answer_type, question_texts, questions
from hegui.manifest import parse_manifest
from hegui.manifest.facts import areas, fact_types

HEGUI = str(Path(sys.executable).parent / "hegui")
DAY = datetime.date(2024, 6, 20)
KINDS = ("organisation", "service", "transfer", "listing", "concentration")


def fake(findings):
    """An assessment reduced to what questions() reads."""
    return SimpleNamespace(findings=[
        SimpleNamespace(obligation=o, subject=s, status=status, missing_facts=list(missing), context=None)
        for o, s, status, missing in findings])


def test_a_fact_deciding_three_findings_comes_before_one_deciding_one():
    found = questions(fake([
        ("a.one", "organisation", "unknown", ["organisation.minors_pi"]),
        ("b.two", "service:app", "unknown", ["service.live_streaming"]),
        ("c.three", "service:app", "unknown", ["service.live_streaming"]),
        ("d.four", "service:app", "unknown", ["service.live_streaming", "service.serves_minors"]),
    ]))
    assert [(q.fact, len(q.decides)) for q in found] == [
        ("service.live_streaming", 3), ("organisation.minors_pi", 1), ("service.serves_minors", 1)]
    assert found[0].decides == (("b.two", "service:app"), ("c.three", "service:app"), ("d.four", "service:app"))


def test_ties_put_organisation_facts_first_then_order_by_manifest_path():
    found = questions(fake([
        ("x.a", "transfer:t", "unknown", ["transfer.basis", "organisation.pi_individuals"]),
        ("x.b", "service:b", "unknown", ["service.kind"]),
        ("x.c", "service:a", "unknown", ["service.kind"]),
        ("x.d", "organisation", "unknown", ["organisation.ciio"]),
    ]))
    # Subjects appear in manifest order (service:b is services[0]); every fact decides one finding.
    assert [q.path for q in found] == ["organisation.ciio", "organisation.pi_individuals",
                                       "services[0].kind", "services[1].kind", "transfers[0].basis"]


def test_a_service_fact_an_organisation_rule_needs_is_asked_of_that_service():
    # vats.foreign-ownership-cap counts the services that need an ICP licence: the second service's
    # commercial flag is one question about that service, deciding both findings.
    found = questions(fake([
        ("x.org", "organisation", "unknown", ["services[1].commercial", "organisation.telecom_services"]),
        ("x.svc", "service:a", "unknown", ["service.kind"]),
        ("x.svc", "service:b", "unknown", ["service.commercial"]),
    ]))
    q = next(q for q in found if q.fact == "service.commercial")
    assert (q.subject, q.path) == ("service:b", "services[1].commercial")
    assert q.decides == (("x.org", "organisation"), ("x.svc", "service:b"))


def test_services_are_ordered_by_their_place_not_as_text():
    subjects = [f"service:s{i}" for i in range(12)]
    found = questions(fake([("x.y", s, "unknown", ["service.kind"]) for s in subjects]))
    assert [q.path for q in found] == [f"services[{i}].kind" for i in range(12)]


def test_an_organisation_fact_is_one_question_whichever_subjects_need_it():
    found = questions(fake([
        ("cbdt.security-assessment", "transfer:t", "unknown", ["organisation.ciio"]),
        ("csl.ciio-localisation", "organisation", "unknown", ["organisation.ciio"]),
    ]))
    assert len(found) == 1
    assert (found[0].subject, found[0].path) == ("organisation", "organisation.ciio")
    assert found[0].decides == (("cbdt.security-assessment", "transfer:t"), ("csl.ciio-localisation", "organisation"))


def test_only_the_missing_facts_of_unknown_findings_are_asked():
    found = questions(fake([
        ("a.b", "organisation", "does_not_apply", ["organisation.ciio"]),
        ("a.c", "organisation", "applies", ["organisation.pi_individuals"]),
        ("a.d", "organisation", "not_in_force", ["organisation.minors_pi"]),
        ("a.e", "organisation", "unknown", ["organisation.state_organ"]),
    ]))
    assert [q.fact for q in found] == ["organisation.state_organ"]


MANIFEST = """\
format: hegui/1
organisation:
  name: Test Group
services:
  - {id: web, kind: website}
  - {id: app}
transfers:
  - {id: crm}
listings:
  - {id: ipo, venue: NASDAQ}
concentrations:
  - id: deal
    acquires_control: true
    signing_date: 2024-03-01
    parties: [{name: Buyer}, {name: Target, turnover_worldwide_rmb: 1}]
"""


@pytest.fixture(scope="module")
def group():
    return assess(parse_manifest(MANIFEST), DAY)


def by_fact(found, fact, subject=None):
    return next(q for q in found if q.fact == fact and (subject is None or q.subject == subject))


def test_manifest_paths_for_every_kind_of_subject(group):
    found = questions(group)
    assert by_fact(found, "organisation.ciio").path == "organisation.ciio"
    assert by_fact(found, "organisation.credit.provides_personal_credit_info_to_financial_institutions").path == \
        "organisation.credit.provides_personal_credit_info_to_financial_institutions"
    assert by_fact(found, "service.public_opinion_attributes", "service:app").path == \
        "services[1].public_opinion_attributes"
    assert by_fact(found, "service.public_opinion_attributes", "service:web").path == \
        "services[0].public_opinion_attributes"
    assert by_fact(found, "transfer.includes_pi").path == "transfers[0].includes_pi"
    assert by_fact(found, "transfer.includes_pi").subject == "transfer:crm"
    assert by_fact(found, "listing.structure").path == "listings[0].structure"
    party = by_fact(found, "concentration.parties[1].turnover_china_rmb")
    assert (party.path, party.subject, party.item) == \
        ("concentrations[0].parties[1].turnover_china_rmb", "concentration:deal", "Target")
    assert by_fact(found, "concentration.parties[0].turnover_worldwide_rmb").item == "Buyer"


LISTS = {"services": "service", "transfers": "transfer", "listings": "listing", "concentrations": "concentration"}


def owned(assessment, fact: str, subject: str) -> tuple[str, str]:
    """(fact, subject) a missing fact is asked about: an organisation rule names a service's fact by
    its place in the manifest (services[0].commercial), which is that service's own fact."""
    m = re.match(r"^([a-z]+)\[(\d+)\]\.(.+)$", fact)
    if m and m[1] in LISTS:
        kind = LISTS[m[1]]
        ids = list(dict.fromkeys(f.subject for f in assessment.findings if f.subject.startswith(kind + ":")))
        return f"{kind}.{m[3]}", ids[int(m[2])]
    return fact, "organisation" if fact.startswith("organisation.") else subject


def gated(fact: str) -> bool:
    """A detailed fact that an area of activity declared absent settles (activities.yaml)."""
    return any(re.sub(r"\[\d+\]", "", fact) in area.absent for area in areas().values())


def test_the_count_is_the_number_of_unknown_findings_naming_the_fact(group):
    found = questions(group)
    for q in found:
        if q.gate:
            # The multi-select of the gates decides the findings that name a fact of an area.
            naming = {(f.obligation, f.subject) for f in group.findings if f.status == "unknown"
                      and any(gated(owned(group, m, f.subject)[0]) for m in f.missing_facts)}
        else:
            naming = {(f.obligation, f.subject) for f in group.findings if f.status == "unknown"
                      and (q.fact, q.subject) in {owned(group, m, f.subject) for m in f.missing_facts}}
        assert set(q.decides) == naming and len(q.decides) == len(naming)
    # Gates first, legal judgements last; between them the most decisive first, organisation facts first.
    keys = [(not q.gate, bool(question_texts()[q.generic].get("judgement")), -len(q.decides),
             q.subject != "organisation") for q in found]
    assert keys == sorted(keys)
    assert found[0].fact == "organisation.activities"


def test_no_question_for_known_facts_or_facts_that_decide_nothing(group):
    found = questions(group)
    asked = {(q.fact, q.subject) for q in found}
    named = {owned(group, m, f.subject) for f in group.findings if f.status == "unknown" for m in f.missing_facts}
    assert asked == named | {("organisation.activities", "organisation")}
    # Known: the web service's kind, the deal's control and the target's worldwide turnover.
    assert ("service.kind", "service:web") not in asked
    assert not any(q.fact in ("concentration.acquires_control", "concentration.parties[1].turnover_worldwide_rmb")
                   for q in found)
    # Read by rules, but no undecided finding here waits on it.
    assert not any(q.generic == "service.surveying_qualification" for q in found)


def test_questions_disappear_once_answered():
    text = MANIFEST.replace("  name: Test Group", "  name: Test Group\n  ciio: false")
    found = questions(assess(parse_manifest(text), DAY))
    assert not any(q.fact == "organisation.ciio" for q in found)


def test_answer_types():
    assert answer_type("organisation.pi_individuals") == ("number", (), "count")
    assert answer_type("organisation.turnover_china_rmb") == ("number", (), "money")
    assert answer_type("organisation.china_nexus.revenue_share") == ("number", (), "ratio")
    assert answer_type("organisation.foreign_ownership") == ("number", (), "ratio")
    assert answer_type("concentration.parties.turnover_china_rmb") == ("number", (), "money")
    assert answer_type("transfer.basis") == ("choice", ("none", "contract_with_individual", "cross_border_hr",
                                                        "emergency"), None)
    assert answer_type("service.content")[0] == "choices"
    assert answer_type("transfer.destination") == ("country", (), None)
    assert answer_type("listing.application_date") == ("date", (), None)
    assert answer_type("organisation.ciio") == ("bool", (), None)
    assert answer_type("concentration.parties") == ("items", (), None)


def every_fact_path():
    return sorted({path for kind in KINDS for path in fact_types(kind)})


def test_every_fact_a_rule_may_read_has_a_question_in_english_and_chinese():
    texts = question_texts()
    paths = every_fact_path()
    assert "concentration.parties.turnover_china_rmb" in paths
    missing = [p for p in paths if p not in texts]
    assert not missing
    # and the multi-select that answers every gate fact organisation.activities.* at once
    assert set(texts) == set(paths) | {"organisation.activities"}, "questions.yaml names a fact no rule can read"
    for path in [*paths, "organisation.activities"]:
        entry = texts[path]
        assert set(entry) <= {"en", "zh", "hint", "judgement"}
        assert entry.get("judgement", True) is True, path
        assert entry["en"].strip() and entry["zh"].strip()
        assert entry["en"].endswith("?") and entry["zh"].endswith("？"), path
        if "hint" in entry:
            assert set(entry["hint"]) == {"en", "zh"} and all(entry["hint"].values()), path


def test_question_texts_are_distinct_in_each_language():
    texts = question_texts()
    for lang in ("en", "zh"):
        words = [entry[lang] for entry in texts.values()]
        assert len(words) == len(set(words)), lang


def test_hints_carry_the_legal_meaning():
    texts = question_texts()
    assert "distinct individuals" in texts["organisation.pi_individuals"]["hint"]["en"]
    assert "不同的自然人" in texts["organisation.pi_individuals"]["hint"]["zh"]
    for path in ("organisation.incorporated_in", "transfer.destination", "listing.venue_country"):
        assert "HK, MO and TW are separate codes" in texts[path]["hint"]["en"], path


def test_questions_in_chinese(group):
    found = questions(group, lang="zh")
    q = by_fact(found, "organisation.pi_individuals") if any(q.fact == "organisation.pi_individuals"
                                                            for q in found) else found[0]
    assert q.text == question_texts()[q.generic]["zh"]


def test_question_as_dict_is_json():
    q = Question("service.kind", "services[0].kind", "service:app", "What kind?", None, "choice",
                 ("website", "app"), None, None, (("icp.filing", "service:app"),))
    assert json.loads(json.dumps(q.as_dict()))["decides"] == [{"obligation": "icp.filing", "subject": "service:app"}]


# --- the command ---------------------------------------------------------------------------

def run(*args):
    return subprocess.run([HEGUI, *args], capture_output=True, text=True)


def test_questions_command_text(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text(MANIFEST, encoding="utf-8")
    done = run("questions", str(path), "--as-of", str(DAY))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("Questions for Test Group on 2024-06-20:")
    first = questions(group_of(MANIFEST))[0]
    assert f"  1. {first.text}  [{first.subject}]" in out
    assert f"fill in: {first.path}" in out
    assert f"decides {len(first.decides)}: " in out
    assert "fill in: concentrations[0].parties[1].turnover_china_rmb" in out
    assert "[concentration:deal, party 2 (Target)]" in out
    assert "answer: one of 1) direct, 2) indirect" in out


def test_questions_command_json_and_chinese(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text(MANIFEST, encoding="utf-8")
    done = run("questions", str(path), "--as-of", str(DAY), "--format", "json", "--lang", "zh")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["as_of"] == "2024-06-20" and data["organisation"] == "Test Group"
    expected = [q.as_dict() for q in questions(group_of(MANIFEST), lang="zh")]
    assert data["questions"] == expected
    first = data["questions"][0]
    assert set(first) >= {"fact", "path", "subject", "question", "type", "values", "decides"}
    zh = run("questions", str(path), "--as-of", str(DAY), "--lang", "zh").stdout
    assert zh.startswith("Test Group 截至 2024-06-20 的问题")
    assert "填写位置：" in zh


def test_questions_command_when_nothing_is_unknown(tmp_path):
    # Before any rule in the rulebook was in force, nothing is unknown and nothing is asked.
    path = tmp_path / "m.yaml"
    path.write_text(MANIFEST, encoding="utf-8")
    assert questions(assess(parse_manifest(MANIFEST), datetime.date(1990, 1, 1))) == []
    done = run("questions", str(path), "--as-of", "1990-01-01")
    assert done.returncode == 0
    assert done.stdout.strip() == "No unknown finding waits on a missing fact: there is nothing to ask."
    data = json.loads(run("questions", str(path), "--as-of", "1990-01-01", "--format", "json").stdout)
    assert data["questions"] == []


def test_questions_command_bad_input_exits_2(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text("format: hegui/1\norganisation: {name: X, ciio: maybe}\n", encoding="utf-8")
    done = run("questions", str(path))
    assert done.returncode == 2 and "organisation.ciio" in done.stderr


def group_of(text):
    return assess(parse_manifest(text), DAY)
