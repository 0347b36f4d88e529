"""Manifest validation errors: every problem names the file, the field path, the line and what
was expected (manifest.md "Conventions"; interface.md "Exit codes").

Expected values come from /work/shared/spec/manifest.md unless noted.
"""

import json
import pathlib

import pytest
from ruamel.yaml import YAML

from hegui.manifest.errors import InputError
from hegui.manifest.facts import organisation_facts, subjects
from hegui.manifest.load import parse_manifest
from hegui.manifest.schema import manifest_schema

EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "jobs-platform.yaml"

BASE = "format: hegui/1\norganisation:\n  name: Example Co.\n"   # lines 1-3


def problems_of(text, name="m.yaml"):
    with pytest.raises(InputError) as e:
        parse_manifest(text, name)
    problems = e.value.problems
    assert problems, "an InputError must carry at least one problem"
    for p in problems:
        assert p.file == name
    return problems


def only(text, name="m.yaml"):
    problems = problems_of(text, name)
    assert len(problems) == 1, problems
    return problems[0]


# ---------------------------------------------------------------------------
# Typos: "a name that is not in the schema (a typo) is an error ... Nothing is guessed."
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("extra,path,line,suggest", [
    ("  pi_individual: 5\n", "organisation.pi_individual", 4, "pi_individuals"),
    ("  network_platfrom_operator: true\n", "organisation.network_platfrom_operator", 4,
     "network_platform_operator"),
    ("  china_nexus:\n    revenue_shar: 0.5\n", "organisation.china_nexus.revenue_shar", 5, "revenue_share"),
    ("listings:\n  - id: a\n    aplication_date: 2023-01-01\n", "listings[0].aplication_date", 6,
     "application_date"),
    ("transfers:\n  - id: t\n    destinaton: US\n", "transfers[0].destinaton", 6, "destination"),
    ("service:\n  - id: s\n", "service", 4, "services"),
])
def test_typo_names_path_line_and_suggestion(extra, path, line, suggest):
    p = only(BASE + extra)
    assert p.path == path
    assert p.line == line
    assert suggest in p.message
    assert path in str(p) and f"m.yaml:{line}" in str(p)


def test_typo_is_not_silently_unknown():
    # manifest.md: a typo must not become an unknown fact
    with pytest.raises(InputError):
        parse_manifest(BASE + "  ciio_: true\n", "m.yaml")


# ---------------------------------------------------------------------------
# Wrong types and out-of-range values (manifest.md "Conventions")
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("extra,path,line,expected", [
    # Counts are integers >= 0
    ("  pi_individuals: 'many'\n", "organisation.pi_individuals", 4, "whole number"),
    ("  pi_individuals: '5'\n", "organisation.pi_individuals", 4, "whole number"),
    ("  pi_individuals: 1.5\n", "organisation.pi_individuals", 4, "whole number"),
    ("  pi_individuals: -1\n", "organisation.pi_individuals", 4, ">= 0"),
    ("  pi_individuals: true\n", "organisation.pi_individuals", 4, "whole number"),
    ("  exports:\n    pi_individuals_current_year: -3\n", "organisation.exports.pi_individuals_current_year", 5,
     ">= 0"),
    # Ratios are decimals in [0, 1]
    ("  foreign_ownership: 1.2\n", "organisation.foreign_ownership", 4, "0 to 1"),
    ("  foreign_ownership: -0.1\n", "organisation.foreign_ownership", 4, "0 to 1"),
    ("  china_nexus:\n    revenue_share: 1.01\n", "organisation.china_nexus.revenue_share", 5, "0 to 1"),
    # Money is in RMB, >= 0
    ("  financial_group:\n    financial_assets_rmb: -5\n", "organisation.financial_group.financial_assets_rmb",
     5, "RMB"),
    # Flags are booleans
    ("  ciio: 'yes please'\n", "organisation.ciio", 4, "true or false"),
    ("  ciio: 1\n", "organisation.ciio", 4, "true or false"),
    # Dates are ISO YYYY-MM-DD; a well-formed day that does not exist says why (quoted: a string)
    ("listings:\n  - id: a\n    application_date: '2023-02-30'\n", "listings[0].application_date", 6,
     "2023-02-30 is not a day: February 2023 has 28 days"),
    ("listings:\n  - id: a\n    application_date: 20230201\n", "listings[0].application_date", 6,
     "YYYY-MM-DD"),
    ("listings:\n  - id: a\n    application_date: 2023-02-01T10:00:00\n", "listings[0].application_date", 6,
     "YYYY-MM-DD"),
    # Countries are ISO 3166-1 alpha-2: the UK's code is GB
    ("listings:\n  - id: a\n    venue_country: UK\n", "listings[0].venue_country", 6, "ISO 3166-1"),
    ("transfers:\n  - id: t\n    destination: us\n", "transfers[0].destination", 6, "ISO 3166-1"),
    ("  incorporated_in: Cayman\n", "organisation.incorporated_in", 4, "ISO 3166-1"),
    # enumerations
    ("listings:\n  - id: a\n    structure: indirectt\n", "listings[0].structure", 6, "indirect"),
    ("transfers:\n  - id: t\n    basis: hr\n", "transfers[0].basis", 6, "cross_border_hr"),
])
def test_wrong_values_name_path_and_line(extra, path, line, expected):
    p = only(BASE + extra)
    assert p.path == path
    assert p.line == line
    assert expected in p.message


def test_unquoted_impossible_yaml_date_is_input_error():
    # manifest.md: a wrong value "is an error: the tool stops with exit code 2 and names the field path".
    # Unquoted, YAML itself reads 2023-02-30 as a timestamp; the loader must still report it as bad input.
    text = BASE + "listings:\n  - id: a\n    application_date: 2023-02-30\n"
    try:
        parse_manifest(text, "m.yaml")
    except InputError as e:
        assert any(p.line == 6 for p in e.problems), e.problems
        assert any("application_date" in p.path or "application_date" in p.message or "2023-02-30" in p.message
                   for p in e.problems), e.problems
    except Exception as e:  # noqa: BLE001
        pytest.fail(f"bad date escaped as {type(e).__name__}: {e} (should be InputError)")
    else:
        pytest.fail("2023-02-30 was accepted")


def test_infinite_money_is_rejected():
    # manifest.md: money is an amount in RMB (integer or decimal); YAML .inf is not an amount.
    p = only(BASE + "  turnover_china_rmb: .inf\n")
    assert p.path == "organisation.turnover_china_rmb"
    assert p.line == 4


def test_several_problems_are_all_reported_in_line_order():
    text = BASE + "  pi_individuals: -1\n  foreign_ownership: 2\n  ciio: 'no'\n"
    problems = problems_of(text)
    assert [(p.path, p.line) for p in problems] == [
        ("organisation.pi_individuals", 4), ("organisation.foreign_ownership", 5), ("organisation.ciio", 6)]


# ---------------------------------------------------------------------------
# Required fields, ids, listings
# ---------------------------------------------------------------------------

def test_missing_organisation_name():
    # manifest.md: organisation.name is required
    p = only("format: hegui/1\norganisation:\n  ciio: true\n")
    assert p.path == "organisation.name"
    assert p.line == 2          # the organisation mapping that lacks it
    assert "missing" in p.message


def test_missing_format():
    # manifest.md: format is required
    p = only("organisation:\n  name: X\n")
    assert p.path == "format"


def test_wrong_format_version():
    p = only("format: hegui/2\norganisation:\n  name: X\n")
    assert p.path == "format" and p.line == 1 and "hegui/1" in p.message


def test_service_without_id():
    # manifest.md: services[].id is required
    p = only(BASE + "services:\n  - name: App\n")
    assert p.path == "services[0].id"
    assert p.line == 5


@pytest.mark.parametrize("kind,extra", [
    ("services", "services:\n  - id: a\n  - id: b\n  - id: a\n"),
    ("transfers", "transfers:\n  - id: a\n  - id: a\n"),
    ("listings", "listings:\n  - id: a\n    venue: NYSE\n  - id: a\n"),
])
def test_duplicate_ids_rejected(kind, extra):
    # manifest.md: id is "required, unique within the manifest"
    problems = problems_of(BASE + extra)
    text = " ".join(f"{p.path} {p.message}" for p in problems)
    assert kind in text and "'a'" in text


def test_duplicate_id_names_the_duplicate_entry_and_its_line():
    # interface.md: the message names the field path and the line where it can; the duplicate entry
    # (services[2].id on line 7: lines 1-3 are BASE, 4 "services:", 5-7 the entries) can be located.
    problems = problems_of(BASE + "services:\n  - id: a\n  - id: b\n  - id: a\n")
    assert [(p.path, p.line) for p in problems] == [("services[2].id", 7)]


@pytest.mark.parametrize("country", ["CN"])
def test_listing_in_mainland_rejected(country):
    # manifest.md: listings are "securities offerings or listings outside mainland China"; CN = mainland
    p = only(BASE + f"listings:\n  - id: a\n    venue: SSE\n    venue_country: {country}\n")
    assert p.path == "listings[0].venue_country" and p.line == 7


@pytest.mark.parametrize("country", ["HK", "MO", "TW", "US", "GB"])
def test_listing_in_hk_mo_tw_accepted(country):
    # manifest.md: HK, MO, TW are separate codes from CN (mainland)
    m = parse_manifest(BASE + f"listings:\n  - id: a\n    venue_country: {country}\n", "m.yaml")
    assert m.listings[0].venue_country == country


# ---------------------------------------------------------------------------
# JSON and YAML syntax
# ---------------------------------------------------------------------------

def test_json_manifest_is_accepted():
    doc = {"format": "hegui/1", "organisation": {"name": "J", "pi_individuals": 10, "ciio": False},
           "listings": [{"id": "x", "venue": "HKEX", "application_date": "2024-08-01"}]}
    m = parse_manifest(json.dumps(doc), "m.json")
    assert m.organisation.pi_individuals == 10
    assert str(m.listings[0].application_date) == "2024-08-01"


@pytest.mark.parametrize("indent", [" ", "\t"])
def test_json_errors_have_lines(indent):
    text = '{"format": "hegui/1",\n"organisation": {"name": "J",\n' + indent + '"pi_individuals": "many"}}'
    p = only(text, "m.json")
    assert p.path == "organisation.pi_individuals"
    assert p.line == 3


def test_json_typo():
    text = '{"format": "hegui/1",\n "organisation": {"name": "J",\n  "ciio_flag": true}}'
    p = only(text, "m.json")
    assert p.path == "organisation.ciio_flag" and p.line == 3


@pytest.mark.parametrize("text,line", [
    (BASE + "  ciio: [true\n", None),             # unclosed flow sequence: error at end of stream
    (BASE + "   bad: : :\n", 4),                   # mapping values not allowed here
    (BASE + "  name: Again\n", 4),                 # duplicate key
    ('{"format": "hegui/1",\n "organisation": {"name": "J",,}}', 2),
])
def test_syntax_errors_give_a_line(text, line):
    p = only(text)
    assert p.line is not None and p.line >= 1
    if line is not None:
        assert p.line == line


@pytest.mark.parametrize("text", ["", "- a\n- b\n", "just text\n", "42\n"])
def test_not_a_mapping(text):
    p = only(text)
    assert "mapping" in p.message


# ---------------------------------------------------------------------------
# Absent is unknown, never zero or false (manifest.md "Conventions")
# ---------------------------------------------------------------------------

def test_absent_facts_stay_unknown():
    m = parse_manifest(BASE + "transfers:\n  - id: t\n", "m.yaml")
    assert m.organisation.pi_individuals is None
    assert m.organisation.ciio is None
    assert m.organisation.exports is None
    facts = organisation_facts(m)
    assert "organisation.pi_individuals" not in facts
    assert "organisation.ciio" not in facts
    assert facts == {"organisation.name": "Example Co."}
    by_subject = {name: f for _, name, f in subjects(m)}
    assert "transfer.includes_pi" not in by_subject["transfer:t"]
    assert "transfer.pi_individuals_current_year" not in by_subject["transfer:t"]


def test_explicit_null_is_unknown_and_zero_is_known():
    m = parse_manifest(BASE + "  pi_individuals: 0\n  ciio: null\n  minors_pi: false\n", "m.yaml")
    facts = organisation_facts(m)
    assert facts["organisation.pi_individuals"] == 0      # zero is a known value
    assert facts["organisation.minors_pi"] is False       # false is a known value
    assert "organisation.ciio" not in facts               # null is unknown


# ---------------------------------------------------------------------------
# The JSON Schema
# ---------------------------------------------------------------------------

def _resolve(schema, node):
    while True:
        if "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        elif "anyOf" in node:
            node = next(n for n in node["anyOf"] if n.get("type") != "null")
        elif node.get("type") == "array" and "items" in node:
            node = node["items"]
        else:
            return node


def _check_keys(schema, node, value, where, seen):
    node = _resolve(schema, node)
    if isinstance(value, dict):
        assert node.get("additionalProperties") is False, f"{where}: extras must be forbidden"
        for key, sub in value.items():
            assert key in node["properties"], f"{where}.{key} not in the schema"
            seen.add(f"{where}.{key}")
            _check_keys(schema, node["properties"][key], sub, f"{where}.{key}", seen)
        for required in node.get("required", []):
            assert required in value, f"{where}: required {required} missing from the example"
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_keys(schema, node, item, f"{where}[{i}]", seen)


def test_schema_top_level():
    schema = manifest_schema()
    json.dumps(schema)  # serialisable
    assert schema["additionalProperties"] is False
    for key in ("format", "organisation", "services", "transfers", "listings", "concentrations", "compliance"):
        assert key in schema["properties"], key   # manifest.md: these names are a public contract
    assert set(schema["required"]) >= {"format", "organisation"}


@pytest.mark.parametrize("model", ["Organisation", "Service", "Transfer", "Listing", "Concentration",
                                   "ComplianceRecord", "ChinaNexus", "FinancialGroup", "Credit", "Exports",
                                   "Party"])
def test_schema_forbids_extras(model):
    assert manifest_schema()["$defs"][model]["additionalProperties"] is False


def test_schema_covers_the_example():
    schema = manifest_schema()
    example = YAML(typ="safe").load(EXAMPLE.read_text(encoding="utf-8"))
    seen = set()
    _check_keys(schema, schema, example, "$", seen)
    assert "$.listings[0].structure" in seen
    # and the example itself validates with the real loader
    parse_manifest(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE))


@pytest.mark.parametrize("section,fields", [
    # manifest.md: field names are a public contract; spot-check each section
    ("Organisation", ["name", "incorporated_in", "ciio", "pi_individuals", "sensitive_pi_individuals",
                      "china_nexus", "financial_group", "credit", "exports", "foreign_ownership"]),
    ("Service", ["id", "kind", "commercial", "launched_on", "content", "generative_ai", "deep_synthesis"]),
    ("Transfer", ["id", "destination", "started_on", "basis", "mechanism", "mechanism_effective_on",
                  "collected_abroad_only", "ftz_exempt"]),
    ("Listing", ["id", "venue", "venue_country", "kind", "structure", "application_date", "listing_date"]),
    ("Concentration", ["id", "acquires_control", "signing_date", "closing_date", "parties"]),
    ("ComplianceRecord", ["obligation", "subject", "done_on", "reference"]),
])
def test_schema_field_names(section, fields):
    props = manifest_schema()["$defs"][section]["properties"]
    for f in fields:
        assert f in props, f"{section}.{f}"


def test_schema_types():
    d = manifest_schema()["$defs"]
    org = d["Organisation"]["properties"]
    count = _resolve({"$defs": d}, org["pi_individuals"])
    assert count["type"] == "integer" and count["minimum"] == 0
    ratio = _resolve({"$defs": d}, org["foreign_ownership"])
    assert ratio["minimum"] == 0 and ratio["maximum"] == 1
    date = _resolve({"$defs": d}, d["Listing"]["properties"]["application_date"])
    assert date["type"] == "string" and date["format"] == "date"


# \u escapes: a UTF-16 pair is one character (as JSON reads it); half of a pair is no text, reported
# here with its field and line rather than failing later when a report or the API writes it as UTF-8.
@pytest.mark.parametrize("written, name", [
    (r'"\ud83d\ude00 Ltd."', "\U0001F600 Ltd."),
    (r'"caf\u00e9"', "caf\u00e9"),
])
def test_escaped_pairs_are_one_character(written, name):
    for text in (BASE.replace("name: Example Co.", f"name: {written}"),
                 '{"format": "hegui/1", "organisation": {"name": %s}}' % written):
        assert parse_manifest(text, "m").organisation.name == name


@pytest.mark.parametrize("text", [
    BASE + '  ciio: false\nlistings:\n  - id: "a\\ud800"\n',
    '{"format": "hegui/1",\n "organisation": {"name": "B"},\n "listings": [{"id": "a\\ud800"}]}',
])
def test_half_a_utf16_pair_is_bad_input(text):
    with pytest.raises(InputError) as e:
        parse_manifest(text, "m.yaml")
    [problem] = e.value.problems
    assert problem.path == "listings[0].id" and problem.line in (6, 3)
    assert "half of a UTF-16 pair" in problem.message
