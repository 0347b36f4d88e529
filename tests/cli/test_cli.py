"""The installed `hegui` command, run as a user or a CI script runs it.

Contract: /work/shared/spec/interface.md ("Commands", "assess --format json", exit codes 0/2/1,
"No Python traceback is shown for bad input"). Deadlines: CSRC Trial Measures Art. 16
("3 working days after" the application), State Council 2024 holiday notice (国办发明电〔2023〕7号).
"""

import json
import pathlib
import shutil
import subprocess
import sys

import pytest
from ruamel.yaml import YAML

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "jobs-platform.yaml"
SHARED = ROOT.parent / "shared"
RUN_CASES = SHARED / "tools" / "run-cases"
CASES = SHARED / "cases"

HEGUI = shutil.which("hegui", path=str(pathlib.Path(sys.executable).parent)) or shutil.which("hegui")
pytestmark = pytest.mark.skipif(HEGUI is None, reason="the hegui command is not installed next to this Python")


def hegui(*args, stdin=None, cwd=ROOT):
    return subprocess.run([HEGUI, *map(str, args)], input=stdin, capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def assess_json(manifest=EXAMPLE, as_of="2024-06-20", stdin=None):
    done = hegui("assess", manifest, "--as-of", as_of, "--format", "json", stdin=stdin)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def rules_json():
    done = hegui("rules", "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def example_json():
    return assess_json()


# ---------------------------------------------------------------------------
# assess --format json: the stable contract (interface.md)
# ---------------------------------------------------------------------------

def test_assess_json_top_level(example_json):
    d = example_json
    assert d["hegui"] == "0.1.0"                                    # the package version
    assert isinstance(d["rulebook"]["version"], str) and d["rulebook"]["version"]
    assert d["rulebook"]["digest"].startswith("sha256:")
    assert len(d["rulebook"]["digest"]) == len("sha256:") + 64
    assert d["as_of"] == "2024-06-20"
    assert d["organisation"] == "Jobs Platform Inc."                # examples/jobs-platform.yaml
    assert isinstance(d["findings"], list) and d["findings"]
    assert isinstance(d["warnings"], list)


REQUIRED_FINDING_KEYS = ["obligation", "subject", "status", "citation", "deadline", "missing_facts",
                         "because", "compliance"]


def test_every_finding_has_the_contract_keys(example_json):
    for f in example_json["findings"]:
        for key in REQUIRED_FINDING_KEYS:
            assert key in f, (key, f["obligation"], f["subject"])
        assert f["status"] in {"applies", "does_not_apply", "unknown", "not_in_force"}
        assert f["compliance"] in {"satisfied", "open", "overdue", None}
        if f["status"] != "applies":
            assert f["compliance"] is None                          # null when it does not apply
        if f["status"] != "unknown":
            assert f["missing_facts"] == []                         # empty unless unknown
        assert f["deadline"] is None or {"date", "basis"} <= set(f["deadline"])
        assert {"instrument", "article", "version", "in_force"} <= set(f["citation"])
        for step in f["because"]:
            assert {"test", "value", "facts"} <= set(step)


def test_one_finding_per_obligation_and_subject(example_json, rules_json):
    # interface.md: one finding per (obligation, subject) for every catalogue obligation whose subject
    # kind is present in the manifest, including does_not_apply and not_in_force ones.
    manifest = YAML(typ="safe").load(EXAMPLE.read_text(encoding="utf-8"))
    subjects = {"organisation": ["organisation"]}
    for kind, key in (("service", "services"), ("transfer", "transfers"), ("listing", "listings"),
                      ("concentration", "concentrations")):
        if manifest.get(key):
            subjects[kind] = [f"{kind}:{e['id']}" for e in manifest[key]]
    expected = {(o["obligation"], s) for o in rules_json["obligations"] for s in subjects.get(o["subject"], [])}
    got = [(f["obligation"], f["subject"]) for f in example_json["findings"]]
    assert len(got) == len(set(got)), "duplicate findings"
    assert set(got) == expected


@pytest.mark.parametrize("obligation,subject,status,deadline,compliance", [
    # CSRC Trial Measures Art. 16: within 3 working days of the 2024-06-03 (Mon) application ->
    # Thu 2024-06-06; the record dated 2024-06-05 satisfies it.
    ("csrc.overseas-listing-filing", "listing:nasdaq", "applies", "2024-06-06", "satisfied"),
    # CAC Order 13 Art. 7: file within 10 working days of the contract taking effect (2023-11-20, Mon)
    # -> 2023-12-04; nothing recorded, so overdue on 2024-06-20.
    ("cbdt.standard-contract-or-certification", "transfer:crm-to-us", "applies", "2023-12-04", "overdue"),
    # CAC Order 16 Art. 5(2): cross-border HR management is exempt
    ("cbdt.standard-contract-or-certification", "transfer:staff-to-sg-hr", "does_not_apply", None, None),
    ("cbdt.security-assessment", "transfer:staff-to-sg-hr", "does_not_apply", None, None),
])
def test_example_findings(example_json, obligation, subject, status, deadline, compliance):
    by_key = {(f["obligation"], f["subject"]): f for f in example_json["findings"]}
    f = by_key[(obligation, subject)]
    assert f["status"] == status
    assert (f["deadline"] or {}).get("date") == deadline
    assert f["compliance"] == compliance


def test_stdin_gives_the_same_result(example_json):
    from_stdin = assess_json("-", stdin=EXAMPLE.read_text(encoding="utf-8"))
    assert from_stdin["findings"] == example_json["findings"]
    assert from_stdin["organisation"] == example_json["organisation"]


def test_json_manifest_on_stdin():
    doc = {"format": "hegui/1", "organisation": {"name": "Stdin Co."},
           "listings": [{"id": "h", "venue": "HKEX", "kind": "ipo", "structure": "direct", "application_date": "2024-02-07"}]}
    d = assess_json("-", as_of="2024-03-01", stdin=json.dumps(doc))
    f = {(x["obligation"], x["subject"]): x for x in d["findings"]}[("csrc.overseas-listing-filing", "listing:h")]
    # CSRC Art. 16 (an IPO: 3 working days after the application) + 2024 notice: 02-08 (1), 02-09 (2), holiday 02-10..17, make-up Sun 02-18 (3)
    assert f["status"] == "applies"
    assert f["deadline"]["date"] == "2024-02-18"


# ---------------------------------------------------------------------------
# Bad input: exit 2, file + field path + line on stderr, no traceback (interface.md)
# ---------------------------------------------------------------------------

BASE = "format: hegui/1\norganisation:\n  name: Bad Co.\n"


@pytest.mark.parametrize("extra,path,line", [
    ("  network_platfrom_operator: true\n", "organisation.network_platfrom_operator", 4),
    ("  pi_individuals: 1.5\n", "organisation.pi_individuals", 4),
    ("  foreign_ownership: 1.2\n", "organisation.foreign_ownership", 4),
    ("listings:\n  - id: a\n    venue_country: UK\n", "listings[0].venue_country", 6),
    ("listings:\n  - id: a\n    application_date: '2023-02-30'\n", "listings[0].application_date", 6),
    # unquoted: YAML reads it as a timestamp first; still bad input, not a crash
    ("listings:\n  - id: a\n    application_date: 2023-02-30\n", "application_date", 6),
])
def test_bad_input_exits_2_with_file_path_and_line(tmp_path, extra, path, line):
    manifest = tmp_path / "bad.yaml"
    manifest.write_text(BASE + extra, encoding="utf-8")
    done = hegui("assess", manifest, "--as-of", "2024-06-01")
    assert "Traceback" not in done.stderr + done.stdout
    assert done.returncode == 2, done.stderr
    assert str(manifest) in done.stderr
    assert path in done.stderr
    assert f":{line}" in done.stderr


def test_bad_input_on_stdin_names_stdin():
    done = hegui("assess", "-", "--as-of", "2024-06-01", stdin=BASE + "  ciio: maybe\n")
    assert done.returncode == 2
    assert "<stdin>:4" in done.stderr and "organisation.ciio" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("args", [
    ["assess", "examples/jobs-platform.yaml", "--as-of", "2024-13-01"],   # no month 13
    ["assess", "examples/jobs-platform.yaml", "--as-of", "2023-02-29"],   # 2023 is not a leap year
    ["assess", "no-such-file.yaml", "--as-of", "2024-01-01"],
    ["assess", "examples/jobs-platform.yaml", "--format", "yaml"],
    ["explain", "examples/jobs-platform.yaml", "csrc.no-such-obligation", "--as-of", "2024-06-20"],
    ["explain", "examples/jobs-platform.yaml", "csrc.overseas-listing-filing", "--subject", "listing:nope",
     "--as-of", "2024-06-20"],
])
def test_bad_arguments_exit_2(args):
    done = hegui(*args)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr + done.stdout
    assert done.stderr.strip()


def test_unknown_obligation_message():
    done = hegui("explain", "examples/jobs-platform.yaml", "csrc.no-such-obligation", "--as-of", "2024-06-20")
    assert done.returncode == 2
    assert "csrc.no-such-obligation" in done.stderr


def test_invalid_yaml_exits_2_with_line(tmp_path):
    manifest = tmp_path / "broken.yaml"
    manifest.write_text(BASE + "   bad: : :\n", encoding="utf-8")
    done = hegui("assess", manifest, "--as-of", "2024-06-01")
    assert done.returncode == 2
    assert f"{manifest}:4" in done.stderr
    assert "Traceback" not in done.stderr


# ---------------------------------------------------------------------------
# explain, rules, schema, text output
# ---------------------------------------------------------------------------

def _flat(text):
    return " ".join(text.split())


def test_explain_prints_article_and_working_day_count():
    done = hegui("explain", "examples/jobs-platform.yaml", "csrc.overseas-listing-filing", "--as-of", "2024-06-20")
    assert done.returncode == 0, done.stderr
    out = _flat(done.stdout)
    assert "Art." in out and "16" in out                     # CSRC Trial Measures Art. 16
    assert "2024-06-06" in out                                # 3 working days after 2024-06-03
    assert "3 working days" in out
    for n, day in ((1, "2024-06-04"), (2, "2024-06-05"), (3, "2024-06-06")):
        assert day in out and f"working day {n}" in out


def test_explain_counts_through_spring_festival(tmp_path):
    # CSRC Art. 16, 2024 notice: the holiday 02-10..17 is skipped and make-up Sunday 02-18 counts.
    manifest = tmp_path / "h.yaml"
    manifest.write_text(BASE + "listings:\n  - id: h\n    venue: HKEX\n    kind: ipo\n    structure: direct\n"
                               "    application_date: 2024-02-07\n", encoding="utf-8")
    done = hegui("explain", manifest, "csrc.overseas-listing-filing", "--as-of", "2024-03-01")
    assert done.returncode == 0, done.stderr
    out = _flat(done.stdout)
    assert "2024-02-18" in out and "working day 3" in out
    assert "2024-02-12" in out and "not counted" in out


def test_rules_json_lists_all_obligations_with_versions(rules_json):
    from hegui.rulebook import default_rulebook
    rulebook = default_rulebook()
    ids = [o["obligation"] for o in rules_json["obligations"]]
    assert sorted(ids) == sorted(rulebook.obligations)
    assert len(ids) == len(set(ids))
    assert rules_json["rulebook"]["digest"].startswith("sha256:")
    for o in rules_json["obligations"]:
        assert o["subject"] in {"organisation", "service", "transfer", "listing", "concentration"}
        assert o["versions"], o["obligation"]
        for v in o["versions"]:
            assert {"from", "until", "instrument", "article"} <= set(v)
        froms = [v["from"] for v in o["versions"]]
        assert froms == sorted(froms)


def test_rules_json_rulebook_matches_assess(rules_json, example_json):
    assert rules_json["rulebook"] == example_json["rulebook"]


def test_schema_prints_valid_json():
    done = hegui("schema")
    assert done.returncode == 0
    schema = json.loads(done.stdout)
    assert schema["properties"]["format"]
    assert schema["additionalProperties"] is False


def test_text_output_has_notice_exactly_once():
    from hegui.report import NOTICE
    done = hegui("assess", "examples/jobs-platform.yaml", "--as-of", "2024-06-20")
    assert done.returncode == 0, done.stderr
    assert _flat(done.stdout).count(_flat(NOTICE)) == 1
    assert "not legal advice" in NOTICE


def test_json_output_carries_no_duplicate_notice(example_json):
    # the notice may appear in JSON as a field, but not inside findings
    text = json.dumps(example_json["findings"], ensure_ascii=False)
    assert "not legal advice" not in text


# ---------------------------------------------------------------------------
# Shared worked cases (../shared/cases) through ../shared/tools/run-cases
# ---------------------------------------------------------------------------

def _case_files(available):
    chosen = []
    for path in sorted(CASES.glob("*.yaml")):
        case = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        used = {e["obligation"] for run in case["runs"] for e in run.get("expect", [])}
        if path.name == "bad-input-typo.yaml" or (used and used <= available):
            chosen.append(path)
    return chosen


@pytest.mark.skipif(not RUN_CASES.exists(), reason=f"{RUN_CASES} not found (shared tools not checked out)")
def test_shared_cases_pass(rules_json):
    available = {o["obligation"] for o in rules_json["obligations"]}
    files = _case_files(available)
    assert any(f.name == "bad-input-typo.yaml" for f in files)
    assert len(files) > 1
    done = subprocess.run([sys.executable, str(RUN_CASES), "--hegui", HEGUI, *map(str, files)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert " 0 failed" in done.stdout


def test_assess_json_in_chinese_keeps_the_contract_and_translates_the_words():
    # interface.md: --lang applies to assess; the JSON keys and statuses stay, titles and reasons are Chinese.
    hegui = str(pathlib.Path(sys.executable).parent / "hegui")
    args = [hegui, "assess", str(pathlib.Path(__file__).resolve().parents[2] / "examples" / "jobs-platform.yaml"),
            "--as-of", "2024-06-20", "--format", "json"]
    en = json.loads(subprocess.run(args, capture_output=True, text=True, check=True).stdout)
    zh = json.loads(subprocess.run(args + ["--lang", "zh"], capture_output=True, text=True, check=True).stdout)
    assert zh["lang"] == "zh" and "lang" not in en
    assert [(f["obligation"], f["subject"], f["status"]) for f in zh["findings"]] == \
        [(f["obligation"], f["subject"], f["status"]) for f in en["findings"]]
    pia = next(f for f in zh["findings"] if f["obligation"] == "pipl.impact-assessment")
    assert pia["title"] == "个人信息保护影响评估" and "《中华人民共和国个人信息保护法》" in pia["reason"]
    assert zh["notice"].startswith("hegui 不构成法律意见")


@pytest.mark.parametrize("content", [None, "not a database\n"])
def test_serve_with_an_unusable_ledger_exits_2_before_serving(tmp_path, content):
    # The ledger is opened before any worker starts, so the message is the CLI's, not a worker's.
    path = tmp_path / "missing-folder" / "ledger.db"
    if content is not None:
        path = tmp_path / "ledger.db"
        path.write_text(content, encoding="utf-8")
    done = hegui("serve", "--port", "0", "--ledger", path)
    assert done.returncode == 2, done.stderr
    assert "--ledger" in done.stderr and str(path) in done.stderr and "Traceback" not in done.stderr
