"""The server's answer to /v1/assess is byte for byte the document the CLI writes, with the
findings' rows reused across requests (api/rows.py): a row is reused exactly when the finding
would be worded the same, whatever manifest it came from."""

from __future__ import annotations

import copy
import datetime
import json
from importlib import resources
from pathlib import Path

import orjson
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hegui.api.app import _json_bytes, assessment_json
from hegui.api.rows import Rows
from hegui.engine import assess
from hegui.manifest import parse_manifest
from hegui.report.json_report import assessment_dict
from hegui.rulebook import default_rulebook
from tests.api.conftest import GROUP, JOBS, JSON_TYPE, YAML_TYPE, as_json_text, cli

RULES = Path(str(resources.files("hegui") / "rules"))


def _uncached(result, lang: str) -> bytes:
    return _json_bytes(assessment_dict(result, lang))


@pytest.mark.parametrize("example,as_of", [(JOBS, "2024-06-20"), (GROUP, "2026-11-25")])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_answer_is_the_cli_document_byte_for_byte_first_time_and_after(client, example, as_of, lang):
    done = cli("assess", example, "--as-of", as_of, "--format", "json", "--lang", lang)
    assert done.returncode == 0, done.stderr
    # The CLI indents; the server writes the same document compactly (orjson).
    expected = orjson.dumps(json.loads(done.stdout))
    for text, headers in [(example.read_text(encoding="utf-8"), YAML_TYPE), (as_json_text(example), JSON_TYPE)] * 2:
        r = client.post("/v1/assess", params={"as_of": as_of, "lang": lang}, content=text.encode(), headers=headers)
        assert r.status_code == 200, r.text
        assert r.content == expected


def _rule_cases():
    for path in sorted(RULES.glob("*.cases.yaml")):
        for case in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("cases", []):
            text = yaml.safe_dump({"format": "hegui/1", **case["manifest"]}, allow_unicode=True, sort_keys=False)
            as_of = case["as_of"]
            yield text, as_of if isinstance(as_of, datetime.date) else datetime.date.fromisoformat(as_of)


def test_every_rule_files_worked_example_gets_the_same_bytes_from_shared_rows():
    """294 small manifests, many alike (one instrument's cases differ in a fact or two): each
    assessed with the rows that all the cases before it filled."""
    rulebook = default_rulebook()
    cases = [(parse_manifest(text, "<case>"), as_of) for text, as_of in _rule_cases()]
    assert len(cases) > 200
    rows = Rows(rulebook)
    for n, (manifest, as_of) in enumerate(cases):
        result = assess(manifest, as_of, rulebook)
        lang = "zh" if n % 3 == 0 else "en"
        assert assessment_json(result, lang, rows) == _uncached(result, lang), (n, as_of)
    assert rows.shapes, "the rows were never remembered"


def _scalars(node, path=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _scalars(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _scalars(v, (*path, i))
    elif path[-1] not in ("id", "format"):
        yield path, node


def _set(document, path, value):
    node = document
    for part in path[:-1]:
        node = node[part]
    if value is None and isinstance(node, dict):
        del node[path[-1]]
    else:
        node[path[-1]] = value


THRESHOLDS = sorted({max(0, v.value + d) for values in default_rulebook().parameters.values() for v in values
                     if isinstance(v.value, int) and not isinstance(v.value, bool) for d in (-1, 0, 1)})
MANIFESTS = {path.name: yaml.safe_load(path.read_text(encoding="utf-8")) for path in (JOBS, GROUP)}
SHARED = Rows(default_rulebook())   # one for every example: rows made for one manifest meet the next


def _changed_value(draw, old):
    if isinstance(old, bool):
        return draw(st.sampled_from([not old, None]))
    if isinstance(old, int):
        return draw(st.sampled_from([None, *THRESHOLDS]))
    if isinstance(old, float):
        return draw(st.sampled_from([None, 0.0, 0.49, 0.5, 0.51, 1.0]))
    return None


@st.composite
def changed_manifests(draw):
    """An example with a few facts changed: numbers on and next to the thresholds, yes/no facts
    flipped, facts left out."""
    name = draw(st.sampled_from(sorted(MANIFESTS)))
    document = copy.deepcopy(MANIFESTS[name])
    scalars = list(_scalars(document))
    for path, old in draw(st.lists(st.sampled_from(scalars), min_size=1, max_size=4, unique_by=lambda s: s[0])):
        _set(document, path, _changed_value(draw, old))
    return document


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=changed_manifests(), as_of=st.sampled_from([datetime.date(2024, 6, 20), datetime.date(2026, 11, 25)]),
       lang=st.sampled_from(["en", "zh"]))
def test_changed_facts_give_the_same_bytes_as_words_made_afresh(document, as_of, lang):
    try:
        manifest = parse_manifest(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "<changed>")
    except Exception:   # a change the schema refuses (a share without its total, say): nothing to word
        return
    result = assess(manifest, as_of, SHARED.rulebook)
    assert assessment_json(result, lang, SHARED) == _uncached(result, lang)


def test_a_row_is_reused_across_manifests_only_where_its_words_read_nothing_changed():
    rulebook = default_rulebook()
    rows = Rows(rulebook)
    as_of = datetime.date(2024, 6, 20)
    document = copy.deepcopy(MANIFESTS["jobs-platform.yaml"])
    first = assess(parse_manifest(yaml.safe_dump(document), "<a>"), as_of, rulebook)
    before = {(f.obligation, f.subject): rows.row(f, "en") for f in first.findings}
    document["organisation"]["sensitive_pi_individuals"] += 1
    second = assess(parse_manifest(yaml.safe_dump(document), "<b>"), as_of, rulebook)
    fresh = [orjson.dumps(f) for f in json.loads(_uncached(second, "en"))["findings"]]
    reused = reworded = 0
    for f, words in zip(second.findings, fresh):
        row = rows.row(f, "en")
        assert row == words
        reused += row is before[(f.obligation, f.subject)]
        reworded += row != before[(f.obligation, f.subject)]
    # The number of sensitive individuals is worded by the findings that test it (a PI impact
    # assessment, the cross-border thresholds), and by no others: those are reused as they were.
    assert reworded >= 1 and reused + reworded == len(second.findings) and reused >= len(second.findings) // 2, \
        (reworded, reused)


def test_the_facts_note_every_way_they_are_read():
    from hegui.api.rows import _ABSENT, _NONEMPTY, _WHOLE, _Reads
    facts = _Reads({"organisation.ciio": False, "organisation.pi_individuals": 10})
    assert facts.get("organisation.ciio") is False and facts.get("organisation.name", "?") == "?"
    assert "organisation.pi_individuals" in facts and facts["organisation.pi_individuals"] == 10
    assert facts.read == {"organisation.ciio": False, "organisation.name": _ABSENT, "organisation.pi_individuals": 10}
    assert facts and _NONEMPTY in facts.read and _WHOLE not in facts.read
    for whole in (lambda d: {**d, "x": 1}, dict, list, len, lambda d: d.copy(), lambda d: d == {}, lambda d: d.items()):
        facts.read.clear()
        whole(facts)
        assert _WHOLE in facts.read, whole


def test_values_are_the_same_only_when_written_alike():
    from hegui.api.rows import same
    from hegui.rulebook.model import Prose
    from decimal import Decimal
    alike = [(1, 1), (0.5, 0.5), ("x", "x"), ([1, "a"], [1, "a"]), ({"a": 1, "b": 2}, {"a": 1, "b": 2}),
             (Prose("fine", "罚款"), Prose("fine", "罚款")), (datetime.date(2024, 1, 1), datetime.date(2024, 1, 1))]
    unlike = [(True, 1), (1, 1.0), (0.0, -0.0), ((1,), [1]), ({"a": 1, "b": 2}, {"b": 2, "a": 1}),
              (Prose("fine", "罚款"), Prose("fine", "罚金")), (Prose("fine"), "fine"), (Decimal("0.05"), Decimal("0.050")),
              (datetime.date(2024, 1, 1), datetime.datetime(2024, 1, 1)), ({1: "a"}, {True: "a"}), (object(), object())]
    assert all(same(a, b) for a, b in alike)
    assert not any(same(a, b) or same(b, a) for a, b in unlike)


def test_the_rows_kept_stay_within_their_bound(monkeypatch):
    import hegui.api.rows as module
    monkeypatch.setattr(module, "MAX_BYTES", 40_000)
    rulebook = default_rulebook()
    rows = Rows(rulebook)
    largest = 0
    for text, as_of in list(_rule_cases())[:40]:
        result = assess(parse_manifest(text, "<case>"), as_of, rulebook)
        assert assessment_json(result, "en", rows) == _uncached(result, "en")
        largest = max(largest, rows.size)
        assert rows.size == sum(kept.weight for entries in rows.shapes.values() for kept in entries)
    assert 0 < largest <= 40_000 + module.MAX_ROW_BYTES
