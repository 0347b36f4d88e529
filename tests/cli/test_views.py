"""What a person reads in the terminal views (issue 12 §2): titles beside ids in every view, what
clears an open or overdue duty, wrapping (none when piped; at the terminal's width between words
on a terminal) and counts whose nouns agree with them.

Expected values come from the law and the catalogue: CSRC Trial Measures Art. 16 (file with the
CSRC within 3 working days after the application abroad: 2024-06-03 -> 2024-06-06), the
catalogue's titles, and manifest.md's compliance record (obligation, subject, done_on).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
import yaml

from hegui.rulebook import default_rulebook

HEGUI = str(Path(sys.executable).parent / "hegui")
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
JOBS = str(EXAMPLES / "jobs-platform.yaml")
CSRC = "csrc.overseas-listing-filing"

LISTING = """\
format: hegui/1
organisation:
  name: Issuer
  china_nexus: {revenue_share: 0.9, main_business_in_mainland: true}
listings:
  - {id: ipo, venue: NASDAQ, kind: ipo, structure: indirect, application_date: 2024-06-03}
"""


def run(*args, stdin=None):
    done = subprocess.run([HEGUI, *map(str, args)], capture_output=True, text=True, input=stdin, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def title(obligation, lang="en"):
    ob = default_rulebook().obligations[obligation]
    return ob.title if lang == "en" else ob.title_zh


@pytest.fixture
def listing(tmp_path):
    path = tmp_path / "issuer.yaml"
    path.write_text(LISTING, encoding="utf-8")
    return path


# -- titles beside ids, in every text view and both languages ------------------------------------

def _line_with(text, obligation):
    return next(line for line in text.splitlines() if obligation in line.split())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_text_view_shows_the_title_beside_the_id(listing, lang):
    # On 2024-06-07 the filing due 2024-06-06 is overdue: assess, check and calendar all show it;
    # between 06-06 and 06-07 it turns from open to overdue, so diff shows it too.
    views = {
        "assess": run("assess", listing, "--as-of", "2024-06-07", "--lang", lang),
        "check": run("check", listing, "--as-of", "2024-06-07", "--lang", lang),
        "calendar": run("calendar", listing, "--as-of", "2024-06-07", "--lang", lang),
        "diff": run("diff", listing, "--from", "2024-06-06", "--to", "2024-06-07", "--lang", lang),
        "rules": run("rules", "--search", "CSRC", "--lang", lang),
    }
    for view, done in views.items():
        assert done.returncode in (0, 3), (view, done.stderr)
        assert title(CSRC, lang) in _line_with(done.stdout, CSRC), (view, done.stdout)


def test_rules_in_english_shows_every_title():
    out = run("rules").stdout
    for ob in default_rulebook().obligations.values():
        assert ob.title in _line_with(out, ob.id), ob.id


# -- what clears an open or overdue duty --------------------------------------------------------

def test_an_overdue_finding_says_what_clears_it_where_and_how_to_record_it(listing, tmp_path):
    done = run("check", listing, "--as-of", "2024-06-07")
    assert done.returncode == 3
    out = done.stdout
    # What and where (the CSRC, Art. 16), then the record to add, naming the obligation and subject.
    step = default_rulebook().obligations[CSRC].next_step
    assert f"to clear it: {step.en} (CSRC Trial Measures Art. 16)" in out
    record = re.search(r"under compliance: (- \{.*\})$", out, flags=re.M).group(1)
    entry = yaml.safe_load(record)[0]
    assert entry == {"obligation": CSRC, "subject": "listing:ipo", "done_on": "YYYY-MM-DD"}
    # The record, dated, is what the manifest needs: with it the duty is satisfied and check passes.
    done_manifest = tmp_path / "done.yaml"
    done_manifest.write_text(LISTING + "compliance:\n  " + record.replace("YYYY-MM-DD", "2024-06-05") + "\n",
                             encoding="utf-8")
    assert run("check", done_manifest, "--as-of", "2024-06-07").returncode == 0


def test_the_next_step_in_chinese(listing):
    out = run("assess", listing, "--as-of", "2024-06-05", "--lang", "zh").stdout
    step = default_rulebook().obligations[CSRC].next_step
    assert f"办理方式：{step.zh}（《境内企业境外发行证券和上市管理试行办法》第16条）" in out
    assert "办理后在清单的 compliance: 下记录：- {obligation: csrc.overseas-listing-filing, subject: listing:ipo" in out


def test_a_satisfied_or_inapplicable_finding_has_no_next_step():
    data = json.loads(run("assess", JOBS, "--as-of", "2024-06-20", "--format", "json").stdout)
    for f in data["findings"]:
        if f["compliance"] in ("open", "overdue"):
            assert f["next_step"]["record"] == {"obligation": f["obligation"], "subject": f["subject"],
                                                "done_on": "YYYY-MM-DD"}, f["obligation"]
            assert f["next_step"]["do"], f["obligation"]
        else:
            assert f["next_step"] is None, f["obligation"]
    satisfied = [f for f in data["findings"] if f["compliance"] == "satisfied"]
    assert satisfied   # the example has some: the CSRC filing done on 2024-06-05
    text = run("assess", JOBS, "--as-of", "2024-06-20").stdout
    done = _block(text, CSRC)
    assert "satisfied" in done and "to clear it" not in done and "compliance:" not in done
    overdue = _block(text, "cbdt.standard-contract-or-certification")
    assert "overdue" in overdue and "to clear it" in overdue


# -- wrapping -----------------------------------------------------------------------------------

def test_piped_output_is_not_wrapped():
    # The standard-contract finding's reason is longer than 80 columns; piped, it stays one line.
    out = run("assess", JOBS, "--as-of", "2024-06-20").stdout
    reason = next(line for line in out.splitlines() if "(cbdt.security-assessment) does not apply" in line)
    assert len(reason) > 120
    assert "the transfer includes personal information; the organisation is not a designated" in reason
    assert "(CAC Order 16 Art. 8" in reason


ID_OR_NUMBER = re.compile(r"[a-z][a-z0-9_-]*(?:\.[a-z0-9_-]+)+|\d{4}-\d{2}-\d{2}|\d{1,3}(?:,\d{3})+")


def _tokens(text):
    return set(ID_OR_NUMBER.findall(text))


@pytest.mark.parametrize("columns", [60, 100])
def test_a_terminal_wraps_at_its_width_without_splitting_ids_dates_or_numbers(columns):
    piped = run("assess", JOBS, "--as-of", "2024-06-20").stdout
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TERM": "dumb"}
    if "PYTHONPATH" in os.environ:      # a checkout run without installing keeps its own code
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    child = pexpect.spawn(HEGUI, ["assess", JOBS, "--as-of", "2024-06-20"], encoding="utf-8", timeout=60,
                          dimensions=(50, columns), env=env)
    child.expect(pexpect.EOF)
    shown = re.sub(r"\x1b\[[0-9;]*m", "", child.before).replace("\r\n", "\n")
    lines = shown.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= columns
    assert max(len(line) for line in piped.splitlines()) > columns          # so it did wrap
    # Every id, date and number on the terminal is one the piped output has whole: none was split,
    # unless it is longer than a line under a finding (the 76-character credit fact at 60 columns).
    whole = _tokens(piped)
    longer = {token for token in whole if len(token) > columns - 6}
    split = {token for token in _tokens(shown) - whole if not any(long.startswith(token) for long in longer)}
    assert split == set()
    assert {"cbdt.standard-contract-or-certification", "2023-12-04", "180,000"} <= _tokens(shown)
    # A wrapped reason continues under its first word, not at the margin.
    start = next(i for i, line in enumerate(lines) if line.startswith("      the transfer includes personal"))
    assert lines[start + 1].startswith("      ") and not lines[start + 1].startswith("       ")


# -- singular and plural ------------------------------------------------------------------------

def test_counts_agree_with_their_nouns(listing, tmp_path):
    assert "hegui rulebook " in run("rules", "--search", "CSRC").stdout
    assert re.search(r"hegui rulebook \S+: 1 obligation$", run("rules", "--search", "CSRC").stdout, flags=re.M)
    assert re.search(r"hegui rulebook \S+: \d+ obligations$", run("rules").stdout, flags=re.M)
    ics = tmp_path / "d.ics"
    wrote = run("calendar", listing, "--as-of", "2024-06-05", "--ics", ics).stdout
    assert f"Wrote 1 event to {ics}." in wrote
    report = run("assess", listing, "--as-of", "2024-06-05", "--format", "markdown").stdout
    assert re.search(r"^\d+ findings: \d+ obligations decided for 2 subjects\.$", report, flags=re.M)
    assert "Of the one obligation that applies:" in report or re.search(r"Of the \d+ obligations that apply:", report)


def test_explain_says_what_clears_an_overdue_duty(listing):
    out = run("explain", listing, CSRC, "--as-of", "2024-06-07").stdout
    assert "to clear it: " + default_rulebook().obligations[CSRC].next_step.en in out
    assert "- {obligation: csrc.overseas-listing-filing, subject: listing:ipo, done_on: YYYY-MM-DD}" in out


def test_a_step_citing_a_whole_notice_names_the_notice(tmp_path):
    # The CAC announcement of 2025-07-18 has no articles: the report goes to the districted-city CAC.
    path = tmp_path / "big.yaml"
    path.write_text("format: hegui/1\norganisation:\n  name: Big\n  operates_in_mainland: true\n"
                    "  pi_individuals: 3000000\n", encoding="utf-8")
    out = run("check", path, "--as-of", "2026-12-01").stdout
    assert "report the officer online to the CAC of the districted city where the processor is located " \
           "(CAC PIPO Announcement 2025)" in out
    zh = run("check", path, "--as-of", "2026-12-01", "--lang", "zh").stdout
    assert "所在地设区的市级网信部门（《国家互联网信息办公室关于开展个人信息保护负责人信息报送工作的公告》）" in zh


def test_diff_in_chinese_words_statuses_compliance_and_versions():
    # 2024-03-22: CAC Order 16 Art. 7 replaces Order 11 Art. 4; the HR-flow assessment no longer applies.
    out = run("diff", JOBS, "--from", "2024-03-21", "--to", "2024-03-22", "--lang", "zh").stdout
    assert "状态 适用 -> 不适用" in out
    assert "履行情况 已逾期 -> -" in out
    assert "适用版本 《数据出境安全评估办法》第4条 -> 《促进和规范数据跨境流动规定》第7条" in out
    en = run("diff", JOBS, "--from", "2024-03-21", "--to", "2024-03-22").stdout
    assert "status applies -> does_not_apply" in en and "compliance overdue -> -" in en


def _on_terminal(args, columns):
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TERM": "xterm"}
    if "PYTHONPATH" in os.environ:
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    child = pexpect.spawn(HEGUI, list(map(str, args)), encoding="utf-8", timeout=60, dimensions=(50, columns), env=env)
    child.expect(pexpect.EOF)
    return re.sub(r"\x1b\[[0-9;]*m", "", child.before).replace("\r\n", "\n")


@pytest.mark.parametrize("args", [
    ["explain", JOBS, CSRC, "--as-of", "2024-06-20"],
    ["check", JOBS, "--as-of", "2024-06-20", "--strict"],
    ["diff", JOBS, "--from", "2024-03-21", "--to", "2024-03-22"],
    ["rules", "--as-of", "2024-06-20"],
], ids=lambda a: a[0])
def test_the_other_views_wrap_at_the_terminal_width_too(args):
    columns = 90
    shown = _on_terminal(args, columns)
    piped = run(*args).stdout
    assert max(len(line.rstrip()) for line in shown.splitlines()) <= columns
    assert _tokens(shown) <= _tokens(piped), sorted(_tokens(shown) - _tokens(piped))
    assert " ".join(shown.split()) == " ".join(piped.split())      # the same words, only wrapped


SHOP = """\
format: hegui/1
# issue 12: a Shenzhen e-commerce company, 3M users, customer data sent to a Singapore cloud.
organisation:
  name: Shenzhen Shop Ltd
  incorporated_in: CN
  operates_in_mainland: true
  ciio: false
  pi_individuals: 3000000
transfers:
  - {id: sg-cloud, destination: SG, started_on: 2025-03-01, includes_pi: true, includes_sensitive_pi: false,
     includes_important_data: false, pi_individuals_current_year: 3000000}
"""


def test_the_previous_year_count_caveat_is_not_shown_in_2026(tmp_path):
    # The since-previous-year count was a legal test only up to 2024-03-21 (CAC Order 11 Art. 4(3));
    # in 2026 no finding carries its caveat, and the impact assessment, shown by the listed PI
    # transfer itself (PIPL Art. 55(4)), carries no caveat about derived counts at all.
    path = tmp_path / "shop.yaml"
    path.write_text(SHOP, encoding="utf-8")
    out = run("assess", path, "--as-of", "2026-12-01").stdout
    assert "since_previous_year is not given" not in out
    impact = _block(out, "pipl.impact-assessment")
    assert "data transfers that meet the test “the transfer includes personal information”: 1, more than 0" in impact
    assert "! " not in impact
    # The current-year count, Order 16's test, still explains the undecided assessment.
    assert "! organisation.exports.pi_individuals_current_year is not given; derived from 1 transfer " \
           "(transfer.pi_individuals_current_year)" in _block(out, "cbdt.security-assessment")


def _block(out, obligation):
    """A finding's heading and the lines under it in the assess view."""
    start = out.index(f"\n  {obligation}  ")
    end = re.search(r"\n(  \S|\S|\n)", out[start + 1:])
    return out[start + 1:start + 1 + end.start()] if end else out[start + 1:]


def test_chinese_wraps_at_the_terminal_width_in_cells():
    # A Chinese character takes two columns: lines fit the terminal counted in cells, and ids,
    # dates and numbers among the Chinese text stay whole.
    from rich.cells import cell_len
    args = ["assess", JOBS, "--as-of", "2024-06-20", "--lang", "zh"]
    shown = _on_terminal(args, 90)
    piped = run(*args).stdout
    assert max(cell_len(line.rstrip()) for line in shown.splitlines()) <= 90
    assert max(cell_len(line) for line in piped.splitlines()) > 90
    whole = _tokens(piped)
    longer = {token for token in whole if len(token) > 90 - 6}
    assert {token for token in _tokens(shown) - whole if not any(long.startswith(token) for long in longer)} == set()
