"""Warnings are data (engine/notices.py) worded in report/ in the reader's language.

The engine emits Notice(code, values) and no sentences; report/notices.py words each code from
report/messages/notices.yaml, and shows a clause by walking its tree with the values it read.
"""

from __future__ import annotations

import datetime
import json

from hegui.engine import assess
from hegui.engine.notices import Notice, notice
from hegui.manifest.model import Manifest
from hegui.report.i18n import messages
from hegui.report.json_report import render_json
from hegui.report.notices import AS_WRITTEN, notice_text, texts

D = datetime.date.fromisoformat
SURVEYING = "icv.surveying-qualification"


def surveying(qualified: bool, records=()) -> Manifest:
    # Surveying and Mapping Law Art. 27: surveying only with a qualification certificate.
    return Manifest.model_validate({
        "format": "hegui/1", "organisation": {"name": "T"},
        "services": [{"id": "car", "collects_hd_map_data": True, "surveying_qualification": qualified}],
        "compliance": list(records)})


def finding(manifest: Manifest, as_of: str, obligation: str = SURVEYING):
    a = assess(manifest, D(as_of))
    return a, next(f for f in a.findings if f.obligation == obligation)


def test_the_engine_emits_notices_not_sentences():
    record = {"obligation": SURVEYING, "subject": "service:car", "done_on": "2024-01-02"}
    a, f = finding(surveying(False, [record]), "2024-06-03")
    assert f.warnings and all(isinstance(n, Notice) for n in f.warnings)
    assert all(isinstance(n, Notice) for n in a.warnings)
    assert any(n.code == "record_but_not_met" for n in f.warnings)


def test_a_broken_standing_duty_shows_its_clause_with_the_value_read():
    # The clause is walked with its values, not pasted into its source text by a regex.
    _, f = finding(surveying(False), "2024-06-03")
    (shown,) = [n for n in f.warnings if n.code == "not_met"]
    en, zh = notice_text(shown, "en"), notice_text(shown, "zh")
    assert en.startswith("the manifest shows it is not met: ")
    assert "service.surveying_qualification=false" in en
    assert zh.startswith("清单显示未满足：") and "service.surveying_qualification=false" in zh


def test_a_met_standing_duty_has_no_such_notice():
    _, f = finding(surveying(True), "2024-06-03")
    assert not any(n.code in ("not_met", "record_but_not_met") for n in f.warnings)


def test_every_code_has_a_message_in_both_languages():
    samples = {
        "recorded_later": dict(done_on=D("2024-04-10"), as_of=D("2024-04-09")),
        "since_after": dict(fact="transfer.mechanism_effective_on", day=D("2024-05-10")),
        "lapsed": dict(day=D("2024-01-01"), basis="b"),
        "validity_unchecked": dict(fact="transfer.mechanism_effective_on"),
        "satisfied_until": dict(day=D("2026-07-01"), basis="b"),
        "since_not_given": dict(fact="transfer.mechanism_effective_on"),
        "record_undated_cycle": {}, "record_undated": {},
        "late": dict(done_on=D("2024-04-10"), deadline=D("2024-03-29")),
        "derived": dict(fact="organisation.x", transfers=2, sums="transfer.x", at_least=600_000, at_most=None),
        "beyond_calendar": dict(year=2029),
        "unverified_rules": dict(obligations=("a.b", "c.d")),
        "some_beyond_calendar": {},
    }
    codes = {key.removeprefix("notice.") for key in messages() if key.startswith("notice.")}
    assert set(samples) <= codes
    for code, values in samples.items():
        for lang in ("en", "zh"):
            text = notice_text(notice(code, **values), lang)
            assert text and "{" not in text
            for v in values.values():
                if isinstance(v, datetime.date):
                    assert v.isoformat() in text


def test_english_wording_is_the_contract_wording():
    assert notice_text(notice("late", done_on=D("2024-04-10"), deadline=D("2024-03-29"))) == \
        "done on 2024-04-10, after the deadline 2024-03-29"
    assert notice_text(notice("derived", fact="o.n", transfers=2, sums="t.n", at_least=600_000,
                              at_most=1_100_000)) == \
        "o.n is not given; derived from 2 transfers (t.n): between 600,000 and 1,100,000 " \
        "(the largest counted transfer to their sum)"
    # One transfer is one, not "1 transfers" (issue 12 §2).
    assert notice_text(notice("derived", fact="o.n", transfers=1, sums="t.n", at_least=1, at_most=None)) == \
        "o.n is not given; derived from 1 transfer (t.n): between 1 and no upper bound " \
        "(the largest counted transfer to their sum)"
    assert notice_text(notice("derived", fact="o.n", transfers=1, sums="t.n", at_least=1, at_most=None), "zh") == \
        "未提供 o.n；由 1 笔传输（t.n）推算：介于 1 与 无上限 之间（从计入的最大一笔传输到其总和）"
    assert notice_text(notice("unverified_rules", obligations=("a.b", "c.d"))) == \
        "rules resting on unconfirmed facts: a.b, c.d"


def test_rule_and_calendar_text_is_data_shown_as_written():
    for code in AS_WRITTEN:
        n = notice(code, text="unverified rule: Final text not read")
        assert notice_text(n, "en") == notice_text(n, "zh") == "unverified rule: Final text not read"


def test_json_warnings_are_strings_in_the_chosen_language():
    a, f = finding(surveying(False), "2024-06-03")
    i = a.findings.index(f)
    for lang, start in (("en", "the manifest shows it is not met"), ("zh", "清单显示未满足")):
        doc = json.loads(render_json(a, lang=lang))
        assert all(isinstance(w, str) for w in doc["warnings"])
        got = doc["findings"][i]["warnings"]
        assert all(isinstance(w, str) for w in got) and any(w.startswith(start) for w in got)
        assert got == texts(f.warnings, lang)


def test_a_case_left_open_is_worded_in_report_with_what_it_needs():
    from hegui.report.notices import open_case, penalty_shown
    open_if = {"when": "organisation.ciio", "needs": ["organisation.ciio"]}
    assert open_case("report within 1 hour", None) == "report within 1 hour"
    assert open_case("report within 1 hour", open_if) == \
        "report within 1 hour (if organisation.ciio; needs organisation.ciio)"
    assert open_case("1小时内报告", open_if, "zh") == "1小时内报告（条件：organisation.ciio；需要 organisation.ciio）"
    shown = penalty_shown({"article": "40", "max_rmb": 1_000_000, "says": "fine", "open_if": open_if})
    assert "open_if" not in shown and shown["says"].endswith("needs organisation.ciio)")


def test_count_nouns_agree_with_their_numbers():
    # issue 12 §2: "1 obligation", "2 obligations"; Chinese has no plural.
    from hegui.report.i18n import t
    assert t("view.rules.title", "en", version="v", count=1) == "hegui rulebook v: 1 obligation"
    assert t("view.rules.title", "en", version="v", count=2) == "hegui rulebook v: 2 obligations"
    assert t("view.rules.title", "en", version="v", count=0) == "hegui rulebook v: 0 obligations"
    assert t("interview.progress", "en", n=3, about="organisation", count=1, left=1) == \
        "Question 3 about organisation: decides 1 finding; 1 question open"
    assert t("interview.done_skipped", "en", count=1) == "No more questions except the one you skipped; it stays unknown."
    assert t("questions.heading", "en", organisation="O", as_of="2024-06-20", count=2, findings=1) == \
        "Questions for O on 2024-06-20: 2 missing facts would decide 1 unknown finding."
    assert t("view.rules.title", "zh", version="v", count=1) == "hegui 规则库 v：共 1 项义务"
