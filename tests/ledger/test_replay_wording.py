"""The ledger's findings digest covers decisions, not wording (issue 11): rewording any message,
rule summary or warning leaves every entry reproducible; changing what is decided does not; and
entries written under the older whole-findings digest still verify and replay."""

import copy
import datetime
import hashlib
import json
import shutil

import pytest
import yaml
from ledger_support import AS_OF, ROOT

from hegui.ledger import Ledger, canonical_json
from hegui.ledger import store
from hegui.ledger.decisions import decision, digest_matches, findings_digest
from hegui.ledger.replay import replay
from hegui.rulebook import default_rulebook, load_rulebook

RULES = ROOT / "src" / "hegui" / "rules"
# The Jobs Platform example applied to list on NASDAQ on Monday 2024-06-03; the CSRC filing is due
# within 3 working days after the application abroad (CSRC Trial Measures Art. 16): Thursday 2024-06-06.
CSRC = ("csrc.overseas-listing-filing", "listing:nasdaq")


def _finding(findings, key=CSRC):
    return next(f for f in findings if (f["obligation"], f["subject"]) == key)


def _legacy_digest(findings) -> str:
    """The findings digest as hegui-ledger/1 wrote it before issue 11, spelled out here on purpose:
    sha256 of the canonical JSON of the whole findings list, prose included."""
    return "sha256:" + hashlib.sha256(canonical_json(findings).encode("utf-8")).hexdigest()


@pytest.fixture
def ledger(tmp_path, real):
    """A ledger with entry 0 written as today (decision digest) and entry 1 as before issue 11."""
    manifest, assessment, rulebook = real
    with Ledger(tmp_path / "w.ledger") as ledger:
        ledger.append(manifest, AS_OF, assessment, rulebook.version, rulebook.digest)
        with pytest.MonkeyPatch.context() as mp:  # the store as it was: whole-findings digests
            mp.setattr(store, "findings_digest", _legacy_digest)
            ledger.append(manifest, AS_OF, assessment, rulebook.version, rulebook.digest)
        yield ledger


def test_entries_of_both_schemes_verify_and_replay(ledger, real):
    new, old = ledger.entry(0), ledger.entry(1)
    assert new.findings_digest.startswith("decisions-sha256:")
    assert old.findings_digest == _legacy_digest(real[1]["findings"])
    assert ledger.verify() is None
    for e in (new, old):
        r = replay(e)
        assert r.same_rulebook and r.identical and r.reproduced and r.differences == []


def test_a_legacy_digest_that_does_not_match_is_caught(tmp_path, real, monkeypatch):
    manifest, assessment, rulebook = real
    other = copy.deepcopy(assessment["findings"])
    other[0]["reason"] += " (edited)"  # the old digest covered prose: a wrong digest for these findings
    monkeypatch.setattr(store, "findings_digest", lambda findings: _legacy_digest(other))
    with Ledger(tmp_path / "bad.ledger") as ledger:
        ledger.append(manifest, AS_OF, assessment, rulebook.version, rulebook.digest)
        bad = ledger.verify()
    assert bad is not None and bad.index == 0 and "findings do not match" in bad.reason


def _reworded_messages(original):
    """Every message of the catalogue reworded (format fields kept, so every caller still works)."""
    def reworded():
        return {key: {lang: f"[reworded] {text}" for lang, text in texts.items()}
                for key, texts in original().items()}
    return reworded


def test_rewording_every_message_still_reproduces(ledger, monkeypatch):
    from hegui.engine import assess
    from hegui.manifest import parse_manifest
    from hegui.report import i18n
    from hegui.report.json_report import assessment_dict
    monkeypatch.setattr(i18n, "messages", _reworded_messages(i18n.messages))
    recorded = ledger.entry(0).assessment_dict()["findings"]
    now = json.loads(canonical_json(assessment_dict(
        assess(parse_manifest(ledger.entry(0).manifest, "entry 0"), AS_OF))))["findings"]
    assert "[reworded]" in _finding(now)["reason"] and now != recorded  # the wording did change
    for n in (0, 1):
        r = replay(ledger.entry(n))
        assert r.identical and r.reproduced and r.differences == [], r.differences


# Prose a finding carries: every one of these may be reworded without changing a decision.
def _reword(findings):
    out = copy.deepcopy(findings)
    for f in out:
        f["title"] = "Reworded: " + f["title"]
        f["reason"] = "Reworded: " + f["reason"]
        f["warnings"] = [*f["warnings"], "a new caveat in new words"]
        f["because"] = [{**step, "test": "reworded " + step["test"], "says": "reworded"} for step in f["because"]]
        for key in ("instrument", "instrument_zh", "short", "document"):
            f["citation"][key] = "Reworded " + str(f["citation"].get(key))
        if f["deadline"]:
            f["deadline"]["basis"] = "reworded basis"
            f["deadline"]["says"] = "reworded says"
        if f.get("penalty"):
            f["penalty"]["says"] = "reworded penalty"
        if f.get("standing_duty"):
            f["standing_duty"] = "reworded duty"
    return out


def test_rewording_every_prose_field_of_a_finding_still_reproduces(ledger, monkeypatch):
    import hegui.report.json_report as json_report
    plain = json_report.assessment_dict

    def reworded(*args, **kwargs):
        document = json.loads(canonical_json(plain(*args, **kwargs)))
        return {**document, "findings": _reword(document["findings"]), "warnings": ["reworded"],
                "notice": "reworded notice"}
    monkeypatch.setattr(json_report, "assessment_dict", reworded)
    for n in (0, 1):
        r = replay(ledger.entry(n))
        assert r.identical and r.reproduced and r.differences == [], r.differences


def _copied_rules(tmp_path, edit) -> "object":
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    for path in folder.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if edit(path.name, data):
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_rulebook(folder)


# (`wording` is not prose: it is the Civil Code boundary word, 以上 or 超过, that decides a threshold.)
_RULE_PROSE = {"says", "note", "title", "short", "description", "quote", "text"}


def _reword_rule_prose(name, data) -> bool:
    """Every summary, note, title and quote in a rule file reworded; nothing a rule decides by."""
    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k in _RULE_PROSE and isinstance(v, str):
                    node[k] = "Reworded: " + v
                else:
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(data)
    return True


def test_a_rulebook_reworded_decides_the_same(ledger, tmp_path):
    reworded = _copied_rules(tmp_path, _reword_rule_prose)
    assert reworded.digest != default_rulebook().digest  # another rulebook, by its bytes
    for n in (0, 1):
        r = replay(ledger.entry(n), reworded)
        assert r.identical and r.reproduced and r.differences == [], r.differences


def _raise_csrc_share(name, data) -> bool:
    """The CSRC indirect-listing share (Trial Measures Art. 15: more than 50% of revenue, profit,
    assets or net assets from the mainland) raised to 99.9%: Jobs Platform no longer meets it."""
    if name != "csrc-overseas-listing-trial-measures-2023.yaml":
        return False
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("value") == 0.5 and node.get("article") == "15":
                node["value"] = 0.999
                found.append(node)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(data)
    assert len(found) == 1
    return True


def test_a_changed_decision_is_not_reproduced(tmp_path, real):
    """Recorded under the same rulebook digest but decided by a different threshold: not reproduced."""
    from hegui.engine import assess
    from hegui.manifest import parse_manifest
    from hegui.report.json_report import assessment_dict
    manifest, assessment, rulebook = real
    changed = _copied_rules(tmp_path, _raise_csrc_share)
    other = json.loads(canonical_json(assessment_dict(assess(parse_manifest(manifest, "m"), AS_OF, changed))))
    assert _finding(assessment["findings"])["status"] == "applies"
    assert _finding(other["findings"])["status"] != "applies"
    with Ledger(tmp_path / "d.ledger") as ledger:
        ledger.append(manifest, AS_OF, other, rulebook.version, rulebook.digest)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(store, "findings_digest", _legacy_digest)
            ledger.append(manifest, AS_OF, other, rulebook.version, rulebook.digest)
        assert ledger.verify() is None
        for n in (0, 1):
            r = replay(ledger.entry(n))
            assert r.same_rulebook and not r.identical and not r.reproduced
            assert [(d["obligation"], d["subject"]) for d in r.differences] == [CSRC]
            assert "status" in r.differences[0]["changed"]
            assert r.differences[0]["before"]["status"] != "applies"
            assert r.differences[0]["after"]["status"] == "applies"


def test_differences_list_decisions_not_rewording(ledger, tmp_path, monkeypatch):
    """Under a rulebook that decides one finding differently and rewords every message, only that
    finding is listed, though every finding's wording changed."""
    from hegui.report import i18n
    monkeypatch.setattr(i18n, "messages", _reworded_messages(i18n.messages))
    changed = _copied_rules(tmp_path, _raise_csrc_share)
    for n in (0, 1):
        r = replay(ledger.entry(n), changed)
        assert not r.same_rulebook and not r.identical and r.reproduced
        assert [(d["obligation"], d["subject"]) for d in r.differences] == [CSRC]


# -- the decision record itself ----------------------------------------------------------------

def test_the_csrc_finding_decision(real):
    """What the record keeps of the CSRC filing, from the law: applies, due 2024-06-06 (Art. 16),
    filed 2024-06-05, so satisfied and not late; the fine up to RMB 10 million (Art. 27)."""
    d = decision(_finding(real[1]["findings"]))
    assert d["status"] == "applies" and d["compliance"] == "satisfied"
    assert d["deadline"] == {"date": "2024-06-06", "article": "16"}
    assert d["compliance_detail"] == {"by": "record", "done_on": "2024-06-05", "fact": None, "late": False}
    # The duty rests on Arts. 2 (scope), 15 (what an indirect listing is) and 16 (the filing);
    # the measures were promulgated on 2023-02-17 and took effect on 2023-03-31.
    assert d["citation"] == {"article": "2, 15, 16", "version": "2023-02-17", "in_force": "2023-03-31"}
    assert d["penalty"]["max_rmb"] == 10_000_000 and "says" not in d["penalty"]
    # An event-triggered duty is judged on the event's date (interface.md): the application, 2024-06-03.
    assert d["judged_on"] == "2024-06-03" and d["missing_facts"] == []
    for prose in ("title", "reason", "because", "warnings", "standing_duty"):
        assert prose not in d


_DECISIONS = [
    ("status", lambda f: f.update(status="unknown")),
    ("compliance", lambda f: f.update(compliance="overdue")),
    ("judged_on", lambda f: f.update(judged_on="2024-06-19")),
    ("review", lambda f: f.update(review="unverified")),
    ("missing_facts", lambda f: f.update(missing_facts=["listing.application_date"])),
    ("citation.article", lambda f: f["citation"].update(article="17")),
    ("citation.version", lambda f: f["citation"].update(version="2023-02-16")),
    ("citation.in_force", lambda f: f["citation"].update(in_force="2023-03-30")),
    ("deadline.date", lambda f: f["deadline"].update(date="2024-06-07")),
    ("deadline.recurring", lambda f: f["deadline"].update(recurring=True)),
    ("compliance_detail.late", lambda f: f["compliance_detail"].update(late=True)),
    ("compliance_detail.done_on", lambda f: f["compliance_detail"].update(done_on="2024-06-07")),
    ("penalty.max_rmb", lambda f: f["penalty"].update(max_rmb=1_000_000)),
    ("penalty.article", lambda f: f["penalty"].update(article="CSRC Trial Measures Art. 28")),
]


@pytest.mark.parametrize("what, change", _DECISIONS, ids=[w for w, _ in _DECISIONS])
def test_every_decision_field_changes_the_digest(real, what, change):
    findings = real[1]["findings"]
    changed = copy.deepcopy(findings)
    change(_finding(changed))
    assert findings_digest(changed) != findings_digest(findings)
    assert not digest_matches(findings_digest(findings), changed)


def test_no_prose_field_changes_the_digest(real):
    findings = real[1]["findings"]
    reworded = _reword(findings)
    assert reworded != findings and _legacy_digest(reworded) != _legacy_digest(findings)
    assert findings_digest(reworded) == findings_digest(findings)
    assert digest_matches(findings_digest(findings), reworded)


def test_order_is_not_a_decision(real):
    findings = real[1]["findings"]
    assert findings_digest(list(reversed(findings))) == findings_digest(findings)
    f = next(f for f in findings if len(f["missing_facts"]) > 1)
    shuffled = copy.deepcopy(findings)
    _finding(shuffled, (f["obligation"], f["subject"]))["missing_facts"].reverse()
    assert findings_digest(shuffled) == findings_digest(findings)


def test_digest_of_an_unknown_scheme_never_matches(real):
    findings = real[1]["findings"]
    hexdigest = findings_digest(findings).split(":", 1)[1]
    assert not digest_matches("md5:" + hexdigest, findings)
    assert digest_matches("sha256:" + _legacy_digest(findings).split(":", 1)[1], findings)
    assert not digest_matches("sha256:" + hexdigest, findings)


def test_dates_are_written_as_iso(real):
    """A finding holding date objects (assessment_dict before JSON) digests as its JSON text does."""
    findings = copy.deepcopy(real[1]["findings"])
    with_dates = copy.deepcopy(findings)
    assert _finding(findings)["judged_on"] == "2024-06-03"
    _finding(with_dates)["judged_on"] = datetime.date(2024, 6, 3)
    assert findings_digest(with_dates) == findings_digest(findings)
