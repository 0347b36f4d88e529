"""hegui interview, driven through a real pseudo-terminal; and the answer parsing behind it."""

from __future__ import annotations

import datetime
import os
import re
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from hegui.manifest.answers import QUIT, SKIP, BadAnswer, parse_answer
from hegui.manifest.edit import set_value
from hegui.engine import assess
from hegui.engine.questions import Question, answer_type, question_texts, questions
from hegui.manifest import parse_manifest, read_manifest
from hegui.manifest.facts import areas

HEGUI = str(Path(sys.executable).parent / "hegui")
AS_OF = "2024-06-20"

PROGRESS = {
    "en": r"Question (\d+) about ([^\r\n]+?): decides (\d+) findings?; (\d+) questions? open\r\n([^\r\n]+)\r\n",
    "zh": r"第 (\d+) 个问题，关于 ([^\r\n]+?)：可决定 (\d+) 项结论；尚有 (\d+) 个问题\r\n([^\r\n]+)\r\n",
}
PROMPT = r"> $"
DONE = {"en": r"No more questions[^\r\n]*", "zh": r"没有更多问题[^\r\n]*|除您跳过的[^\r\n]*"}
SAVED = {"en": r"Saved the manifest to ([^\r\n]+)\.\r\n", "zh": r"清单已保存到 ([^\r\n]+)。\r\n"}

FORUM = """\
format: hegui/1
# Interview test: a platform whose organisation facts are all known on 2024-06-20.
organisation:
  name: Test Platform Ltd.
  activities:
    cross_border_data: false
    listing_abroad: false
    online_games: false
    generative_ai: false
    online_healthcare: false
    vehicles: false
    credit_reporting: false
    financial_institutions: false
    telecom: true
    facial_recognition: false
    blockchain: false
  incorporated_in: KY
  operates_in_mainland: true
  targets_mainland_individuals: false
  ciio: false
  network_platform_operator: true
  processes_important_data: false
  automated_decision_making: false
  sensitive_pi_individuals: 0
  minors_pi: false
  foreign_ownership: 0.0
  credit:
    provides_personal_credit_info_to_financial_institutions: false
  financial_group:
    financial_institution_types: 0
    controls_bank: false
    financial_assets_rmb: 0
    nonbank_financial_assets_rmb: 0
    trust_assets_under_management_rmb: 0
  exports:
    pi_individuals_since_previous_year: 0
    sensitive_pi_individuals_since_previous_year: 0

services:
  - id: forum      # the community forum
    name: Forum
    kind: website
    commercial: false
"""


def spawn(args, cwd):
    child = pexpect.spawn(HEGUI, args, cwd=str(cwd), encoding="utf-8", timeout=30, dimensions=(50, 220),
                          env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TERM": "dumb", "COLUMNS": "220",
                              # the code under test, where a worktree's src is put first
                              **({"PYTHONPATH": os.environ["PYTHONPATH"]} if "PYTHONPATH" in os.environ else {})})
    return child


def fact_of(text: str, lang: str) -> str:
    """The fact a printed question asks about (question texts are distinct: see test_questions)."""
    return next(path for path, entry in question_texts().items() if entry[lang] == text)


def next_question(child, lang="en"):
    """Wait for the next question or the end: (n, about, decides, open, fact) or None when done."""
    which = child.expect([PROGRESS[lang], DONE[lang]])
    if which == 1:
        return None
    n, about, decides, left, text = child.match.groups()
    child.expect(PROMPT)
    return int(n), about, int(decides), int(left), fact_of(text.strip(), lang)


def test_interview_on_a_manifest_re_asks_a_bad_answer_skips_and_quits(tmp_path):
    source = tmp_path / "platform.yaml"
    source.write_text(FORUM, encoding="utf-8")
    expected = questions(assess(parse_manifest(FORUM), datetime.date.fromisoformat(AS_OF)))
    child = spawn(["interview", str(source), "--as-of", AS_OF], tmp_path)
    child.expect("Type s to skip")

    # 1: the most decisive question first; a yes/no question, answered badly, then properly.
    n, about, decides, left, fact = next_question(child)
    assert (n, fact, about, decides, left) == (1, expected[0].fact, "service:forum", len(expected[0].decides),
                                               len(expected))
    assert answer_type(fact)[0] == "bool"
    child.sendline("maybe")
    child.expect(r"Please answer y \(yes\) or n \(no\)\.")
    child.expect(PROMPT)                      # the same question again, not the next one
    child.sendline("n")
    answers = {fact: False}

    # 2: skipped; it stays unknown and is not asked again.
    _, _, _, _, skipped = next_question(child)
    child.sendline("s")
    child.expect("Skipped: it stays unknown.")

    # 3: answered yes (a bad answer to a number question would be re-asked the same way).
    _, _, _, _, third = next_question(child)
    assert third not in answers and third != skipped
    if answer_type(third)[0] == "bool":
        child.sendline("y")
        answers[third] = True
    else:
        child.sendline("0")
        answers[third] = 0

    _, _, _, _, fourth = next_question(child)
    assert fourth != skipped
    child.sendline("q")
    child.expect(r"Stopped\. Questions answered: 2\.")
    child.expect(SAVED["en"])
    written = tmp_path / "platform.completed.yaml"
    assert Path(child.match.group(1)) == written
    child.expect("hegui assessment of Test Platform Ltd. on 2024-06-20")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    assert source.read_text(encoding="utf-8") == FORUM          # the input is never overwritten
    text = written.read_text(encoding="utf-8")
    manifest = read_manifest(str(written))
    service = manifest.services[0]
    for fact, value in answers.items():
        assert getattr(service, fact.split(".", 1)[1]) == value
    assert getattr(service, skipped.split(".", 1)[1]) is None
    # The file is the same file plus the answers: comments, order and layout kept.
    assert text.startswith(FORUM.rstrip("\n"))
    assert "  - id: forum      # the community forum\n" in text
    assert "    commercial: false\n" in text


def auto_answer(fact: str, bad_numbers: list):
    """An answer for any question, by its type; the first whole-number question gets a bad answer first."""
    kind, values, unit = answer_type(re.sub(r"\[\d+\]", "", fact))
    if kind == "bool":
        return ["n"], False
    if kind == "number":
        if unit == "count" and not bad_numbers:
            bad_numbers.append(fact)
            return ["1.5", "-3", "1,200"], 1200
        if unit == "ratio":
            return ["49%"], 0.49
        return ["0"], 0
    if kind == "country":
        return ["ky"], "KY"
    if kind == "date":
        return ["2024-02-30", "2024-02-29"], datetime.date(2024, 2, 29)
    if kind == "choice":
        return ["1"], values[0]
    if kind == "choices":
        pick = "other" if "other" in values else values[0]   # organisation.telecom_services has no 'other'
        return [pick], [pick]
    if kind == "items":
        return ["Buyer, Target"], None
    if fact == "organisation.activities":            # the multi-select of the gates: none carried on
        return ["none"], {code: False for code in areas()}
    return ["s"], None


def test_interview_from_scratch_runs_to_completion(tmp_path):
    child = spawn(["interview", "--as-of", AS_OF], tmp_path)
    child.expect("Name of the organisation: ")
    child.sendline("")
    child.expect("Please answer")
    child.expect("Name of the organisation: ")
    child.sendline("Acme Data Ltd.")
    asked, given, bad_numbers = [], {}, []
    while True:
        step = next_question(child)
        if step is None:
            break
        _, about, _, _, fact = step
        assert about == "organisation" and fact.startswith("organisation.")
        assert fact not in asked, f"{fact} asked twice"
        asked.append(fact)
        replies, value = auto_answer(fact, bad_numbers)
        for reply in replies[:-1]:
            child.sendline(reply)
            child.expect(r"Please [^\r\n]+\r\n")
            child.expect(PROMPT)
        child.sendline(replies[-1])
        given[fact] = value
        if fact == "organisation.activities":
            child.expect(r"Add a service [^\r\n]*: ")   # none listed: offered once the gates are answered
            child.sendline("")
    child.expect(SAVED["en"])
    assert child.match.group(1) == "interview.yaml"
    child.expect("hegui assessment of Acme Data Ltd. on 2024-06-20")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert bad_numbers, "no whole-number question was asked"

    manifest = read_manifest(str(tmp_path / "interview.yaml"))
    assert manifest.organisation.name == "Acme Data Ltd."
    facts = manifest.organisation.model_dump()
    for fact, value in given.items():
        node = facts
        for part in fact.split(".")[1:]:
            node = node[part]
        assert node == value, fact
    # Completed: nothing a rule needs is left to ask.
    assert questions(assess(manifest, datetime.date.fromisoformat(AS_OF))) == []


CONCENTRATION = """\
format: hegui/1
organisation:
  name: Merger Co
services:
  - {id: first}
  - {id: second, kind: app}
concentrations:
  - id: deal
    acquires_control: true   # signed SPA
    signing_date: 2024-03-01
"""


def test_interview_in_chinese_fills_list_entities_and_their_parties(tmp_path):
    """Skip everything but the second service's facts and the merger's parties, in Chinese; end with Ctrl-D."""
    source = tmp_path / "deal.yaml"
    source.write_text(CONCENTRATION, encoding="utf-8")
    out = tmp_path / "answers" / "deal-answers.yaml"
    out.parent.mkdir()
    child = spawn(["interview", str(source), "--as-of", AS_OF, "--lang", "zh", "--out", str(out)], tmp_path)
    child.expect("输入 s 跳过")
    party_turnover = {}
    second = {}
    while True:
        step = next_question(child, "zh")
        if step is None:
            break
        _, about, _, _, fact = step
        if fact == "concentration.parties":
            child.sendline("Buyer, Target")
        elif fact.startswith("concentration.parties."):
            m = re.fullmatch(r"concentration:deal，第 (\d) 个参与方（(\w+)）", about)
            assert m, about
            # Large enough that each answer leaves the merger test open for the other party.
            amount = 10_000_000_000 * int(m.group(1)) + (1 if fact.endswith("china_rmb") else 0)
            party_turnover[(m.group(2), fact.rsplit(".", 1)[1])] = amount
            child.sendline(str(amount))
        elif about == "service:second" and answer_type(fact)[0] == "bool" and len(second) < 3:
            child.sendline("y" if len(second) % 2 == 0 else "否")
            second[fact.split(".", 1)[1]] = len(second) % 2 == 0
        else:
            child.sendline("s")
            child.expect("已跳过")
        if len(second) == 3 and {name for name, _ in party_turnover} == {"Buyer", "Target"}:
            child.expect(PROMPT)
            child.sendeof()                            # end of input: stop and save
            break
    assert len(second) == 3 and {name for name, _ in party_turnover} == {"Buyer", "Target"}
    child.expect(SAVED["zh"])
    child.expect(r"hegui [^\r\n]*Merger Co[^\r\n]*2024-06-20")   # the assessment, in the view's own words
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    manifest = read_manifest(str(out))
    assert [p.name for p in manifest.concentrations[0].parties] == ["Buyer", "Target"]
    for party in manifest.concentrations[0].parties:
        for field in ("turnover_worldwide_rmb", "turnover_china_rmb"):
            if (party.name, field) in party_turnover:
                assert getattr(party, field) == party_turnover[(party.name, field)]
    assert party_turnover, "no party turnover was asked"
    first, second_service = manifest.services
    for name, value in second.items():
        assert getattr(second_service, name) is value
        assert getattr(first, name) is None           # set on the right entity only
    text = out.read_text(encoding="utf-8")
    assert "acquires_control: true   # signed SPA" in text
    assert "  - {id: first}" in text                   # untouched entries keep their style


def test_interview_rejects_standard_input_and_bad_manifests(tmp_path):
    done = subprocess.run([HEGUI, "interview", "-"], capture_output=True, text=True, input="")
    assert done.returncode == 2 and "rather than -" in done.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: hegui/1\norganisation: {name: X, ciio: maybe}\n", encoding="utf-8")
    done = subprocess.run([HEGUI, "interview", str(bad)], capture_output=True, text=True, input="")
    assert done.returncode == 2 and "organisation.ciio" in done.stderr
    assert not (tmp_path / "bad.completed.yaml").exists()


def test_quitting_before_the_name_saves_nothing(tmp_path):
    child = spawn(["interview"], tmp_path)
    child.expect("Name of the organisation: ")
    child.sendline("q")
    child.expect("nothing saved")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert list(tmp_path.iterdir()) == []


# --- answers and the document, without a terminal ------------------------------------------

def question(fact: str) -> Question:
    kind, values, unit = answer_type(re.sub(r"\[\d+\]", "", fact))
    return Question(fact, fact, "organisation", "?", None, kind, values, unit)


@pytest.mark.parametrize("fact, text, value", [
    ("organisation.ciio", "Y", True),
    ("organisation.ciio", "否", False),
    ("organisation.pi_individuals", "1,000,000", 1_000_000),
    ("organisation.pi_individuals", "0", 0),
    ("organisation.turnover_china_rmb", "1_500.5", 1500.5),
    ("organisation.china_nexus.revenue_share", "0.5", 0.5),
    ("organisation.china_nexus.revenue_share", "97%", 0.97),
    ("organisation.incorporated_in", "hk", "HK"),
    ("transfer.started_on", "2024-03-22", datetime.date(2024, 3, 22)),
    ("transfer.basis", "cross_border_hr", "cross_border_hr"),
    ("transfer.basis", "3", "cross_border_hr"),
    ("service.content", "news, 6", ["news", "finance"]),
    ("listing.venue", "nasdaq", "NASDAQ"),
    ("concentration.parties", "A, B", [{"name": "A"}, {"name": "B"}]),
])
def test_answers_become_manifest_values(fact, text, value):
    assert parse_answer(question(fact), text) == value


@pytest.mark.parametrize("fact, text", [
    ("organisation.ciio", "maybe"),
    ("organisation.pi_individuals", "-1"),
    ("organisation.pi_individuals", "1.5"),
    ("organisation.pi_individuals", "lots"),
    ("organisation.turnover_china_rmb", "nan"),
    ("organisation.china_nexus.revenue_share", "1.2"),
    ("organisation.china_nexus.revenue_share", "120%"),
    ("organisation.incorporated_in", "UK"),
    ("organisation.incorporated_in", "China"),
    ("transfer.started_on", "2023-02-30"),
    ("transfer.started_on", "20240322"),
    ("transfer.basis", "7"),
    ("transfer.basis", "contract"),
    ("service.content", "news, gossip"),
    ("listing.venue", "New York"),
    ("concentration.parties", " , "),
    ("organisation.ciio", "   "),
])
def test_bad_answers_are_refused(fact, text):
    with pytest.raises(BadAnswer):
        parse_answer(question(fact), text)


def test_skip_and_quit_words():
    q = question("organisation.pi_individuals")
    assert parse_answer(q, "s") is SKIP and parse_answer(q, "Skip") is SKIP
    assert parse_answer(q, "q") is QUIT and parse_answer(q, "退出") is QUIT


def test_values_are_set_on_the_right_entity_creating_sections():
    document = {"format": "hegui/1", "organisation": {"name": "X"},
                "services": [{"id": "a"}, {"id": "b"}],
                "concentrations": [{"id": "c", "parties": [{"name": "P"}, {"name": "Q"}]}]}
    set_value(document, "organisation.exports.pi_individuals_current_year", 5)
    set_value(document, "services[1].online_game", True)
    set_value(document, "concentrations[0].parties[1].turnover_china_rmb", 7)
    assert document["organisation"]["exports"] == {"pi_individuals_current_year": 5}
    assert document["services"] == [{"id": "a"}, {"id": "b", "online_game": True}]
    assert document["concentrations"][0]["parties"] == [{"name": "P"}, {"name": "Q", "turnover_china_rmb": 7}]
    parse_manifest(__import__("json").dumps(document))


COMMENTED = """\
format: hegui/1
# Who we are
organisation:
  name: Comment Co   # legal name
  china_nexus:
    revenue_share: 0.9

  # Export counts from the data map, 2024
  exports:
    pi_individuals_current_year: 10

services:
  - id: app   # the app
    kind: app

  - id: web
    kind: website
"""

COMPLETED = """\
format: hegui/1
# Who we are
organisation:
  name: Comment Co   # legal name
  ciio: false
  china_nexus:
    revenue_share: 0.9
  credit:
    via_licensed_credit_agency: false

  # Export counts from the data map, 2024
  exports:
    pi_individuals_current_year: 10
    sensitive_pi_individuals_current_year: 0

services:
  - id: app   # the app
    kind: app
    launched_on: 2020-01-02
    content: [news, other]

  - id: web
    kind: website
    online_game: false
"""


def test_answers_go_in_schema_order_and_comments_stay_with_their_keys(tmp_path):
    from hegui.manifest.edit import dump, load_document
    path = tmp_path / "m.yaml"
    path.write_text(COMMENTED, encoding="utf-8")
    document, yaml = load_document(str(path))
    set_value(document, "organisation.credit.via_licensed_credit_agency", False)
    set_value(document, "organisation.ciio", False)
    set_value(document, "organisation.exports.sensitive_pi_individuals_current_year", 0)
    set_value(document, "services[0].launched_on", datetime.date(2020, 1, 2))
    set_value(document, "services[0].content", ["news", "other"])
    set_value(document, "services[1].online_game", False)
    text = dump(document, yaml)
    assert text == COMPLETED
    assert parse_manifest(text).services[1].online_game is False


def test_a_json_manifest_is_completed_as_block_yaml(tmp_path):
    from hegui.manifest.edit import dump, load_document
    path = tmp_path / "m.json"
    path.write_text('{"format": "hegui/1", "organisation": {"name": "J"}, "transfers": [{"id": "t"}]}',
                    encoding="utf-8")
    document, yaml = load_document(str(path))
    set_value(document, "transfers[0].includes_pi", True)
    assert dump(document, yaml) == ("format: hegui/1\norganisation:\n  name: J\ntransfers:\n"
                                    "  - id: t\n    includes_pi: true\n")


def test_quitting_at_once_writes_the_manifest_back_unchanged(tmp_path):
    example = Path(__file__).resolve().parents[2] / "examples" / "internet-group.yaml"
    out = tmp_path / "same.yaml"
    done = subprocess.run([HEGUI, "interview", str(example), "--as-of", AS_OF, "--out", str(out)],
                          capture_output=True, text=True, input="q\n")
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8") == example.read_text(encoding="utf-8")   # dates, comments, layout
