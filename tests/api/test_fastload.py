"""The server's fast manifest reader gives exactly what `parse_manifest` (the CLI's) gives.

hegui.api.fastload reads with libyaml or json's C decoder and hands anything it cannot read
exactly as ruamel does to parse_manifest; so for any text, the manifest or the problems must be
the CLI's. Checked on tricky scalars (YAML 1.1 vs 1.2 booleans, octals, sexagesimals, dates,
tags, anchors, merge keys, duplicates) placed in typed fields of a real manifest.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hegui.api.fastload import load_manifest
from hegui.manifest import InputError, parse_manifest
from tests.api.conftest import GROUP, JOBS, as_json_text

TOKENS = ["yes", "no", "on", "off", "y", "n", "true", "false", "True", "FALSE", "null", "~", "", "010", "0o10",
          "0x1F", "1_000", "1e5", "1.5e3", "0.5", ".5", "1:20", "190:20:30", "2024-06-03", "2024-6-3",
          "2023-02-30", "2024-06-03T10:00:00", "!!str 5", "!!int '5'", "!!binary aGk=", "'quoted'", '"2024-06-03"',
          "-3", "+3", "5", "50000000", "0.97", "1.", ".inf", ".nan", "NaN", "=", "<<", "&a 5", "*a", "[1, 2]",
          "{a: 1}", "US", "NASDAQ", "indirect", "ipo", "standard_contract", "é中文", "0", "-0", "00"]
FIELDS = ["ciio: false", "pi_individuals: 50000000", "revenue_share: 0.97", "destination: US",
          "application_date: 2024-06-03", "structure: indirect", "basis: none", "name: Jobs Platform Inc.",
          "done_on: 2024-06-05"]


def same(text: str, json_first: bool = False):
    try:
        expected = parse_manifest(text, "<request>")
    except InputError as e:
        expected = e.problems
    try:
        got = load_manifest(text, "<request>", json_first=json_first)
    except InputError as e:
        got = e.problems
    assert got == expected


def test_examples():
    for example in (JOBS, GROUP):
        same(example.read_text(encoding="utf-8"))
        same(as_json_text(example), json_first=True)
        same(as_json_text(example))


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
    same(json.dumps(document), json_first=True)
    same(json.dumps(document).replace('"format"', '"format", "format"'), json_first=True)


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
