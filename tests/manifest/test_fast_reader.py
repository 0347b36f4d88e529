"""parse_manifest's fast reader gives exactly what reading with ruamel alone gives.

parse_manifest first reads with libyaml or json's C decoder (hegui.manifest.fast) and hands
anything it cannot read exactly as ruamel does to read_with_lines; so for any text, the
manifest or the problems must be ruamel's. Checked on tricky scalars (YAML 1.1 vs 1.2 booleans,
octals, sexagesimals, dates, tags, anchors, merge keys, duplicates) placed in typed fields of a
real manifest.
"""

from __future__ import annotations

import json
import pathlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hegui.manifest import InputError, parse_manifest
from hegui.manifest.fast import fast_document, yaml_document
from hegui.manifest.limits import DEFAULT, Limits, check_text
from hegui.manifest.load import read_with_lines

ROOT = pathlib.Path(__file__).resolve().parents[2]
JOBS = ROOT / "examples" / "jobs-platform.yaml"
GROUP = ROOT / "examples" / "internet-group.yaml"


def as_json_text(path: pathlib.Path) -> str:
    """The manifest as JSON (dates as text, as a JSON client sends them)."""
    import yaml

    def plain(node):
        if isinstance(node, dict):
            return {k: plain(v) for k, v in node.items()}
        if isinstance(node, list):
            return [plain(v) for v in node]
        return node.isoformat() if hasattr(node, "isoformat") else node
    return json.dumps(plain(yaml.safe_load(path.read_text(encoding="utf-8"))), ensure_ascii=False)

TOKENS = ["yes", "no", "on", "off", "y", "n", "true", "false", "True", "FALSE", "null", "~", "", "010", "0o10",
          "0x1F", "1_000", "1e5", "1.5e3", "0.5", ".5", "1:20", "190:20:30", "2024-06-03", "2024-6-3",
          "2023-02-30", "2024-06-03T10:00:00", "!!str 5", "!!int '5'", "!!binary aGk=", "'quoted'", '"2024-06-03"',
          "-3", "+3", "5", "50000000", "0.97", "1.", ".inf", ".nan", "NaN", "=", "<<", "&a 5", "*a", "[1, 2]",
          "{a: 1}", "US", "NASDAQ", "indirect", "ipo", "standard_contract", "é中文", "0", "-0", "00"]
FIELDS = ["ciio: false", "pi_individuals: 50000000", "revenue_share: 0.97", "destination: US",
          "application_date: 2024-06-03", "structure: indirect", "basis: none", "name: Jobs Platform Inc.",
          "done_on: 2024-06-05"]


def same(text: str):
    try:
        expected = read_with_lines(text, "<request>")
    except InputError as e:
        expected = e.problems
    try:
        got = parse_manifest(text, "<request>")
    except InputError as e:
        got = e.problems
    assert got == expected


def test_examples():
    for example in (JOBS, GROUP):
        same(example.read_text(encoding="utf-8"))
        same(as_json_text(example))
        same(as_json_text(example).replace('{"format"', '{format', 1))  # YAML flow mapping, not JSON


@settings(max_examples=80, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(st.sampled_from(FIELDS), st.sampled_from(TOKENS)), min_size=1, max_size=3))
def test_tricky_scalars_read_as_the_cli_reads_them(edits):
    text = JOBS.read_text(encoding="utf-8")
    for field, token in edits:
        key = field.split(":")[0]
        text = text.replace(field, f"{key}: {token}", 1)
    same(text)


@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(st.sampled_from(["ciio", "pi_individuals", "name", "incorporated_in"]),
       st.one_of(st.booleans(), st.integers(-10, 10**12), st.floats(allow_nan=True, allow_infinity=True),
                 st.text(max_size=12), st.none()))
def test_json_values_read_as_the_cli_reads_them(key, value):
    document = json.loads(as_json_text(JOBS))
    document["organisation"][key] = value
    same(json.dumps(document))
    same(json.dumps(document).replace('"format"', '"format", "format"'))


def test_structural_edge_cases():
    text = JOBS.read_text(encoding="utf-8")
    for variant in [
        "%YAML 1.1\n---\n" + text.replace("ciio: false", "ciio: no"),
        text.replace("ciio: false", "ciio: false\n  ciio: true"),           # duplicate key
        text + "\n---\nformat: hegui/1\n",                                  # two documents
        text.replace("organisation:\n", "base: &b {ciio: false}\norganisation:\n  <<: *b\n"),
        text.replace("format: hegui/1", "format: !!str hegui/1"),
        "\t" + text,
        "",
        "[]",
    ]:
        same(variant)


def test_the_fast_reader_reads_the_examples():
    """The common case really takes the fast path (else the tests above prove nothing about it)."""
    for example in (JOBS, GROUP):
        assert isinstance(fast_document(example.read_text(encoding="utf-8")), dict)
        assert isinstance(fast_document(as_json_text(example)), dict)


def test_the_fast_reader_declines_what_ruamel_reads_its_own_way():
    text = JOBS.read_text(encoding="utf-8")
    for variant in [text.replace("ciio: false", "ciio: !!bool false"),                  # explicit tag
                    text.replace("ciio: false", "ciio: false\n  ciio: true"),         # duplicate key
                    "%YAML 1.1\n---\n" + text,                                       # a directive
                    text.replace("pi_individuals: 50000000", "pi_individuals: 0o10")]:  # YAML 1.2 octal
        assert fast_document(variant) is None


def typed(node):
    """The node with each value's type beside it: == alone says True == 1 == 1.0."""
    if isinstance(node, dict):
        return {key: typed(value) for key, value in node.items()}
    if isinstance(node, list):
        return [typed(value) for value in node]
    return type(node), node


SMALL = [Limits(max_depth=2), Limits(max_nodes=60), Limits(max_keys=5),
         Limits(list_entries={"compliance": 3}, other_list_entries=1)]


def test_the_yaml_pass_builds_what_check_text_builds_or_declines():
    """yaml_document bounds what it built instead of each event as check_text does: for any text
    and limits it gives check_text's document, or None wherever check_text refuses the text or
    builds nothing."""
    text = JOBS.read_text(encoding="utf-8")
    variants = [text, GROUP.read_text(encoding="utf-8"), as_json_text(JOBS).replace('{"format"', '{format', 1),
                text.replace("ciio: false", "ciio: false\n  ciio: true"),
                text.replace("ciio: false", "'ciio': false\n  \"ciio\": true"),
                text.replace("ciio: false", "ciio: false\n  2024-06-03: 1\n  '2024-06-03': 2"),
                text.replace("ciio: false", "ciio: &c false\n  x: *c"),
                text.replace("ciio: false", "ciio: &c false"),
                text.replace("ciio: false", "ciio: false\n  1: one\n  true: yes"),
                text.replace("ciio: false", "ciio: false\n  ? [a]\n  : b"),
                text.replace("ciio: false", "ciio: [[[[1]]]]"), text.replace("ciio: false", "ciio: {a: {b: {}}}"),
                text.replace("ciio: false", "ciio: " + "[" * 40 + "]" * 40),
                text.replace("ciio: false", "ciio: [" + ", ".join(["1"] * 150) + "]"),
                text.replace("ciio: false", "ciio: {" + ", ".join(f"k{i}: 1" for i in range(1200)) + "}"),
                text + "\n---\nformat: hegui/1\n", text + "\n- oops\n", "- a\n- b\n", "just text", "", "# only\n",
                "{a: 1}\n...\n", "a: [1, 2\n"]
    for raw in variants:
        for limits in [DEFAULT, *SMALL]:
            built = yaml_document(raw, limits)
            try:
                reading = check_text(raw, "<request>", limits, build=True)
            except InputError:
                assert built is None, (raw[:80], limits)
                continue
            expected = reading.document if isinstance(reading.document, dict) else None
            assert built is None or typed(built) == typed(expected), (raw[:80], limits)
    # Not by declining everything: it builds the examples, and the deepest, longest and widest within bounds.
    assert yaml_document(text) is not None and yaml_document(variants[10]) is not None
    assert yaml_document(variants[10], Limits(max_depth=6)) is not None
    assert yaml_document(variants[10], Limits(max_depth=5)) is None


def test_parse_manifest_words_a_bound_as_check_text_does():
    text = JOBS.read_text(encoding="utf-8")
    for limits in SMALL:
        with pytest.raises(InputError) as refused:
            check_text(text, "<request>", limits)
        with pytest.raises(InputError) as parsed:
            parse_manifest(text, "<request>", limits)
        assert parsed.value.problems == refused.value.problems


# A fresh interpreter in which ruamel fills its table of implicit resolvers slowly, one resolver
# every 10 ms, so that a thread reading its first scalar while another thread's first reading is
# still filling the table would see it half made.
_FIRST_READINGS_AT_ONCE = """
import threading, time
from ruamel.yaml.resolver import VersionedResolver
fill = VersionedResolver.add_version_implicit_resolver
def slowly(self, *args):
    fill(self, *args)
    time.sleep(0.01)
VersionedResolver.add_version_implicit_resolver = slowly
from hegui.manifest import fast
kinds = {}
def read(value):
    kinds[value] = fast.ruamel_kind(value)
other = threading.Thread(target=read, args=("true",))
other.start()
time.sleep(0.005)
read("50000000")
other.join()
print(kinds["50000000"], kinds["true"], repr(fast.scalar_value("50000000", True)))
"""


def test_threads_reading_their_first_scalars_at_once_read_them_as_ruamel_does():
    # A server's threads once read a count as text this way (a 422 on a valid manifest, kept for
    # the process by the reader's cache).
    import subprocess
    import sys
    done = subprocess.run([sys.executable, "-c", _FIRST_READINGS_AT_ONCE], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["int", "bool", "50000000"]
