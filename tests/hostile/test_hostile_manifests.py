"""One regression test per hostile input of issue 14 §1-5, §10 (manifest half) and §11 (files).

Each ran for minutes, grew to gigabytes or ended in a traceback; each must now exit 2 naming the
file, line and field, within the bounds of conftest.refused. Limits are those of the README's
security section (hegui/manifest/limits.py and types.py).
"""

from __future__ import annotations

import io
import json

import pytest

from hegui.manifest import InputError, parse_manifest
from hegui.manifest.limits import DEFAULT, Limits, check_document
from hegui.manifest.types import COUNT_MAX, DATE_MAX, DATE_MIN
from tests.hostile.conftest import BASE, JOBS, refused


def write(tmp_path, text: str, name: str = "m.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return path


def laughs(indent: str = "") -> str:
    """The "billion laughs": nine levels, each alias repeating the level below nine times (9^8
    strings from about 400 bytes)."""
    lines = [f'{indent}l0: &l0 "lol"']
    lines += [f"{indent}l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 9)]
    return "\n".join(lines) + "\n"


# --- §1 alias bombs and very many entities -------------------------------------------------

@pytest.mark.parametrize("text, path, line", [
    (laughs(), "l5[1]", 6),                                            # at the top level
    (BASE + laughs("  "), "organisation.l5[1]", 9),                    # inside the organisation
    (BASE + "services:\n  - id: s\n" + laughs("    "), "services[0].l5[1]", 11),   # inside a service
    ("%YAML 1.1\n---\n" + laughs(), "l5[1]", 8),                       # a directive (the fast reader declines it)
])
def test_an_alias_bomb_is_refused_before_it_expands(hegui, tmp_path, text, path, line):
    assert len(text.encode()) < 600
    result = hegui("assess", write(tmp_path, text))
    # l5 repeats 7,381 values: its second alias passes the bound (9 + 90 + 819 + 7,380 + 2 x 7,381)
    refused(result, f"{tmp_path}/m.yaml:{line}: {path}: ", f"aliases repeat more than {DEFAULT.max_repeated:,} values")
    assert result.seconds < 2  # it took the CLI over a minute, the server two


def test_values_written_out_are_bounded_too():
    # Lists of 100 values, none too long, past a (smaller) bound on values in all.
    text = BASE + "  incident:\n" + "".join(f"    a{i}: [" + ", ".join(["1"] * 100) + "]\n" for i in range(20))
    with pytest.raises(InputError) as e:
        parse_manifest(text, "m.yaml", Limits(max_nodes=1000))
    # 9 values down to incident's mapping, 102 for each of a0..a8 (key, list, 100): 927; a9 and
    # its list make 929, so its 72nd value (a9[71], on line 14) is the 1,001st.
    assert str(e.value) == "m.yaml:14: organisation.incident.a9[71]: the manifest holds more than 1,000 values " \
                           "(aliases counted as all they repeat); a real manifest holds far fewer"


def test_a_few_aliases_are_still_read(tmp_path):
    # Anchors are YAML: shared defaults for services read as written out.
    text = BASE + "services:\n  - &app {id: a, kind: app, commercial: true}\n  - {id: b, kind: app}\n"
    manifest = parse_manifest(text + "transfers: []\n", "m.yaml")
    assert [s.kind for s in manifest.services] == ["app", "app"]
    shared = BASE + "  china_nexus: &n {revenue_share: 0.5}\nlistings:\n  - id: l\n    venue: NYSE\n"
    assert parse_manifest(shared, "m.yaml").organisation.china_nexus.revenue_share == 0.5


def test_a_shared_structure_is_walked_lazily():
    # What ruamel builds from an alias bomb (lists sharing lists) stops at the bound unexpanded.
    node = ["lol"]
    for _ in range(30):
        node = [node] * 9
    with pytest.raises(InputError) as e:
        check_document({"format": "hegui/1", "x": node}, "m.yaml", DEFAULT)
    assert e.value.problems[0].path.startswith("x[0]")
    assert "aliases repeat more than" in e.value.problems[0].message


@pytest.mark.parametrize("kind, allowed, entry", [
    ("services", 1000, "{id: s%d}"),
    ("transfers", 1000, "{id: t%d}"),
    ("listings", 100, "{id: l%d}"),
    ("concentrations", 100, "{id: c%d}"),
    ("compliance", 10_000, "{obligation: pipl.pia, subject: transfer:t%d}"),
])
def test_very_many_entities_are_refused_at_the_first_one_too_many(hegui, tmp_path, kind, allowed, entry):
    lines = [f"  - {entry % i}" for i in range(allowed + 1)]
    text = BASE + f"{kind}:\n" + "\n".join(lines) + "\n"
    refused(hegui("assess", write(tmp_path, text)), f"{tmp_path}/m.yaml:{5 + allowed}: {kind}[{allowed}]",
            f"at most {allowed:,} entries")


def test_as_many_entities_as_allowed_are_read(tmp_path):
    text = BASE + "services:\n" + "".join(f"  - {{id: s{i}}}\n" for i in range(1000))
    assert len(parse_manifest(text, "m.yaml").services) == 1000


def test_a_long_list_inside_an_entity_is_refused(hegui, tmp_path):
    text = BASE + "services:\n  - id: s\n    content: [" + ", ".join(["news"] * 101) + "]\n"
    refused(hegui("assess", write(tmp_path, text)), f"{tmp_path}/m.yaml:6: services[0].content[100]",
            "at most 100 entries")


# --- §2 deep nesting ------------------------------------------------------------------------

def nested(levels: int, style: str) -> tuple[str, str]:
    """A manifest with `levels` levels under organisation.incident, and its file suffix."""
    if style == "yaml-flow-maps":
        return BASE + "  incident: " + "{a: " * levels + "1" + "}" * levels + "\n", "yaml"
    if style == "yaml-block-maps":
        return BASE + "  incident:\n" + "".join("  " * (i + 2) + "a:\n" for i in range(levels)), "yaml"
    if style == "yaml-lists":
        return BASE + "  incident: " + "[" * levels + "]" * levels + "\n", "yaml"
    if style == "json-maps":
        return '{"format": "hegui/1", "organisation": {"name": "X", "incident": ' + '{"a": ' * levels + "1" + \
            "}" * levels + "}}", "json"
    return '{"format": "hegui/1", "organisation": {"name": "X", "incident": ' + "[" * levels + "]" * levels + \
        "}}", "json"


@pytest.mark.parametrize("levels, style", [
    (levels, style) for levels in (500, 5000) for style in ("yaml-flow-maps", "yaml-block-maps", "yaml-lists",
                                                            "json-maps", "json-lists")
    if (levels, style) != (5000, "yaml-block-maps")])   # 25 MB of indentation: the size limit refuses that
def test_deep_nesting_is_refused_with_its_path(hegui, tmp_path, style, levels):
    text, suffix = nested(levels, style)
    result = hegui("assess", write(tmp_path, text, f"m.{suffix}"))
    first = refused(result, f"{tmp_path}/m.{suffix}:", "nested more than 32 levels deep")
    assert ": organisation.incident" in first


def test_nesting_deeper_than_any_parser_recursion_is_refused(hegui, tmp_path):
    # 300,000 levels in 600 KB: libyaml's composer recurses in C, where nothing would stop it.
    for text in ("[" * 300_000 + "]" * 300_000, '{"a": ' * 100_000 + "}" * 100_000):
        refused(hegui("assess", write(tmp_path, text)), f"{tmp_path}/m.yaml:1:", "nested more than 32 levels deep")


# --- §3 numbers -----------------------------------------------------------------------------

@pytest.mark.parametrize("field, value, says", [
    ("turnover_worldwide_rmb", "1e309", "expected an amount in RMB >= 0 and <= 1000000000000000000"),
    ("turnover_china_rmb", "1000000000000000001", "<= 1000000000000000000"),
    ("turnover_china_rmb", "9" * 5000, "<= 1000000000000000000"),
    ("foreign_ownership", "1e309", "expected a decimal ratio from 0 to 1"),
    ("pi_individuals", "9" * 5000, f"expected a whole number >= 0 and <= {COUNT_MAX}"),
    ("pi_individuals", "-" + "9" * 5000, f"expected a whole number >= 0 and <= {COUNT_MAX}"),
    ("pi_individuals", str(COUNT_MAX + 1), f"<= {COUNT_MAX}"),
    ("pi_individuals", "true", "whole number"),
    ("pi_individuals", "5.0", "written in digits alone, such as 5"),
    ("pi_individuals", "1e6", "written in digits alone, such as 1000000"),
])
@pytest.mark.parametrize("form", ["yaml", "json"])
def test_numbers_out_of_range_name_the_field_and_the_range(hegui, tmp_path, field, value, says, form):
    if form == "yaml":
        path, line = write(tmp_path, BASE + f"  {field}: {value}\n"), 4
    else:
        path, line = write(tmp_path, '{"format": "hegui/1",\n "organisation": {"name": "X",\n  "' + field + '": '
                           + value + "}}", "m.json"), 3
    refused(hegui("assess", path), f"{path}:{line}: organisation.{field}: ", says)


def test_the_largest_count_is_read_exactly():
    manifest = parse_manifest(BASE + f"  pi_individuals: {COUNT_MAX}\n", "m.yaml")
    assert manifest.organisation.pi_individuals == 2**53 - 1


# --- §4 text --------------------------------------------------------------------------------

@pytest.mark.parametrize("organisation, path", [
    ('{"name": "\\ud800"}', "organisation.name"),
    ('{"name": "X", "\\udfff": true}', "organisation.\\udfff"),
])
def test_a_lone_surrogate_is_refused_with_its_path(hegui, tmp_path, organisation, path):
    text = '{"format": "hegui/1", "organisation": ' + organisation + "}"
    refused(hegui("assess", write(tmp_path, text, "m.json")), f"{tmp_path}/m.json:1: {path}: ", "half of a UTF-16 pair")


# --- §5 dates at the edge -------------------------------------------------------------------

@pytest.mark.parametrize("day", ["9999-12-31", "2200-01-01", "1949-09-30", "0001-01-01"])
def test_a_date_outside_the_supported_range_is_refused(hegui, tmp_path, day):
    text = BASE + "listings:\n  - id: l\n    venue: NYSE\n    application_date: " + day + "\n"
    refused(hegui("assess", write(tmp_path, text)), f"{tmp_path}/m.yaml:7: listings[0].application_date: ",
            f"{day} is outside the dates hegui works with, {DATE_MIN} to {DATE_MAX}")
    refused(hegui("assess", JOBS, "--as-of", day), "--as-of: ", "outside the dates hegui works with")


EDGE = """format: hegui/1
organisation:
  name: Edge Co.
  operates_in_mainland: true
  incident: {discovered_on: DAY, grade: major}
services:
  - {id: s, launched_on: DAY, changed_on: DAY, generative_ai: true, public_opinion_attributes: true,
     algorithmic_recommendation: true, public_facing: true}
transfers:
  - {id: t, started_on: DAY, includes_pi: true, mechanism: standard_contract, mechanism_effective_on: DAY}
listings:
  - {id: l, venue: NYSE, kind: ipo, structure: indirect, application_date: DAY, listing_date: DAY}
concentrations:
  - {id: c, acquires_control: true, signing_date: DAY, closing_date: DAY}
"""


@pytest.mark.parametrize("day", [str(DATE_MIN), str(DATE_MAX)])
def test_dates_at_the_edges_of_the_range_are_assessed(hegui, tmp_path, day):
    path = write(tmp_path, EDGE.replace("DAY", day))
    result = hegui("assess", path, "--as-of", str(DATE_MAX), "--format", "json")
    assert result.code == 0, result.err
    findings = json.loads(result.out)["findings"]
    assert findings
    if day == str(DATE_MAX):
        # A deadline past the official holiday schedule is counted on weekends alone, and says so.
        due = [f["deadline"]["date"] for f in findings if f.get("deadline") and f["deadline"].get("date")]
        assert any(date > day for date in due)
        assert "beyond the years of the official holiday schedule" in result.err + result.out


# --- §10 duplicate keys ---------------------------------------------------------------------

@pytest.mark.parametrize("text, where", [
    ('{"format": "hegui/1",\n "organisation": {"name": "X",\n  "ciio": true,\n  "ciio": false}}', "4: organisation.ciio"),
    ('{"format": "hegui/1",\n "organisation": {"name": "X"},\n "organisation": {"name": "Y"}}', "3: organisation"),
    ('{"format": "hegui/1", "organisation": {"name": "X"},\n "services": [{"id": "a", "id": "b"}]}', "2: services[0].id"),
    (BASE + "  ciio: true\n  ciio: false\n", "5: organisation.ciio"),
])
def test_a_key_given_twice_is_refused_with_its_path_and_line(hegui, tmp_path, text, where):
    first = refused(hegui("assess", write(tmp_path, text, "m.json")), f"{tmp_path}/m.json:{where}: ", "given twice")
    assert "first on line" in first


# --- §11 files and size ---------------------------------------------------------------------

class Endless(io.RawIOBase):
    """A stream that never ends (as /dev/zero, or a pipe that keeps sending)."""

    def readable(self):
        return True

    def readinto(self, buffer):
        buffer[:] = b"#" * len(buffer)
        return len(buffer)


def test_an_endless_file_is_refused_at_the_size_limit(hegui):
    refused(hegui("assess", "/dev/zero"), "/dev/zero: ", f"larger than the limit of {DEFAULT.max_bytes:,} bytes")


def test_endless_standard_input_is_refused_at_the_size_limit(hegui):
    refused(hegui("assess", "-", stdin=io.BufferedReader(Endless())), "<stdin>: ", "larger than the limit")


def test_the_size_limit_is_named_and_can_be_raised(hegui, tmp_path, monkeypatch):
    path = write(tmp_path, BASE + ("# " + "x" * 98 + "\n") * 12_000)    # 1.2 MB, a valid manifest
    first = refused(hegui("assess", path), f"{path}: ", "larger than the limit of 1,048,576 bytes")
    assert "--max-manifest-bytes" in first and "HEGUI_MAX_MANIFEST_BYTES" in first
    refused(hegui("--max-manifest-bytes", "1000", "assess", JOBS), f"{JOBS}: ", "the limit of 1,000 bytes")
    monkeypatch.setenv("HEGUI_MAX_MANIFEST_BYTES", "1000")
    refused(hegui("assess", JOBS), f"{JOBS}: ", "the limit of 1,000 bytes")
    monkeypatch.setenv("HEGUI_MAX_MANIFEST_BYTES", "2000000")
    assert hegui("assess", path, "--as-of", "2024-06-20").code == 0


def test_a_large_comment_only_file_is_refused_quickly(hegui, tmp_path):
    # 8 MB of comments took ruamel over a minute; it holds no document, which libyaml sees at once.
    path = write(tmp_path, ("# " + "x" * 98 + "\n") * 80_000)
    refused(hegui("--max-manifest-bytes", "20000000", "assess", path), f"{path}:1: ", "expected a mapping")


@pytest.mark.parametrize("target", ["/nonexistent-folder/deadlines.ics", "/proc/version"])
def test_an_unwritable_ics_path_is_bad_input(hegui, target):
    result = hegui("calendar", JOBS, "--as-of", "2024-06-20", "--ics", target)
    refused(result, f"--ics: cannot write {target}: ", "")


def test_output_to_a_full_disk_is_an_error_without_a_traceback():
    import os
    import subprocess
    import sys
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "hegui", "assess", str(JOBS), "--as-of", "2024-06-20"],
                              stdout=full, stderr=subprocess.PIPE, text=True, timeout=120,
                              env={**os.environ, "PYTHONPATH": str(JOBS.parents[1] / "src")})
    assert done.returncode == 2
    assert done.stderr == "hegui: error: cannot write the output: No space left on device\n"


def test_the_size_flag_reaches_the_servers_workers(hegui, monkeypatch):
    # `serve` runs its workers from the environment; the flag is set there for them.
    monkeypatch.setenv("HEGUI_MAX_MANIFEST_BYTES", "")
    assert hegui("--max-manifest-bytes", "5000", "serve", "--help").code == 0
    import os
    assert os.environ["HEGUI_MAX_MANIFEST_BYTES"] == "5000"


@pytest.mark.parametrize("document", [
    {"a": [[[1]]]}, {"services": [{}] * 1000}, {"services": [{}] * 1001}, {"x": [1] * 100}, {"x": {"y": [1] * 101}},
    {"listings": [[1] * 100]}, {"listings": [[1] * 101]}, [[[[[]]]]], "text", {"k": "v" * 10},
])
@pytest.mark.parametrize("limits", [DEFAULT, Limits(max_depth=3, max_nodes=1005)])
def test_the_quick_check_of_json_gives_the_full_checks_verdict(document, limits):
    from hegui.manifest.limits import fits
    try:
        check_document(document, "m.json", limits)
        within = True
    except InputError:
        within = False
    assert fits(document, limits) is within


def test_a_mapping_of_very_many_keys_is_refused(hegui, tmp_path):
    # 80,000 unknown keys in 950 KB once made 80,000 problems: 72 MB of messages in 13 s.
    text = BASE + "".join(f"  k{i}: 1\n" for i in range(80_000))
    # name and k0..k998 are the 1,000 keys allowed; k999 on line 1,003 is one too many
    refused(hegui("assess", write(tmp_path, text)), f"{tmp_path}/m.yaml:1003: organisation.k999: ",
            "at most 1,000 keys are allowed in one mapping")


def test_only_the_first_hundred_problems_are_listed(hegui, tmp_path):
    text = BASE + "".join(f"  k{i}: 1\n" for i in range(900))
    result = hegui("assess", write(tmp_path, text))
    refused(result, f"{tmp_path}/m.yaml:4: organisation.k0: ", "unknown field")
    assert len(result.lines) == 101
    assert result.lines[99].startswith(f"hegui: error: {tmp_path}/m.yaml:103: organisation.k99: ")
    assert result.lines[100] == f"hegui: error: {tmp_path}/m.yaml: and 800 more problems; only the first 100 are listed"
