"""Hypothesis over manifests (issue 14, "Done when"): the example manifests with random values put in
random fields, random nesting, repeated keys, long lists and alias bombs, as YAML and JSON. Every
reading either gives a manifest or an InputError naming where; nothing else escapes, and each
reading stays within a generous time and traced-memory bound. A few go through the whole command,
which must exit 0 or 2 without a traceback.

Bounded in count and time (max_examples, a derandomized run): a few seconds in all.
"""

from __future__ import annotations

import json
import pathlib

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hegui.manifest import InputError, Manifest, parse_manifest
from hegui.manifest.load import read_with_lines
from tests.hostile.conftest import PEAK_BYTES, SECONDS, bounded

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLES = [ROOT / "examples" / "jobs-platform.yaml", ROOT / "examples" / "internet-group.yaml"]
HOLE = "__hole__"


def plain(node):
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    return node.isoformat() if hasattr(node, "isoformat") else node


DOCUMENTS = [plain(yaml.safe_load(p.read_text(encoding="utf-8"))) for p in EXAMPLES]


def places(node, loc=()):
    """Every path in the document: where a value can be put."""
    yield loc
    if isinstance(node, dict):
        for key, value in node.items():
            yield from places(value, (*loc, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from places(value, (*loc, i))


def put(document, loc, value):
    if not loc:
        return value
    out = json.loads(json.dumps(document))
    node = out
    for part in loc[:-1]:
        node = node[part]
    node[loc[-1]] = value
    return out


# Raw text put in place of a value: what a hostile or careless writer sends.
SNIPPETS = st.one_of(
    st.sampled_from(["1e309", "-1e309", "9" * 5000, "-" + "9" * 5000, str(2**53), str(2**63), "5.0", "1e6", "true",
                     "-1", "0x1F", "0o17", "1_000", ".nan", ".inf", "~", "null", "9999-12-31", "0001-01-01",
                     "1949-09-30", "2199-12-31", "2024-02-30", '"\\ud800"', '"\\udfff x"', '"\\ud83d\\ude00"',
                     "[]", "{}", '""', "!!binary aGk=", "!!python/object:os.system ls", "*nowhere", "&a 1"]),
    st.integers(1, 3000).map(lambda n: "[" * n + "]" * n),
    st.integers(1, 3000).map(lambda n: '{"a": ' * n + "1" + "}" * n),
    st.integers(-10**30, 10**30).map(str),
    st.floats(allow_nan=False).map(repr),
    st.text(max_size=20).map(json.dumps),
)

BOMB = ('{"l0": &l0 ["lol", "lol"], "l1": &l1 [*l0, *l0, *l0, *l0, *l0, *l0, *l0, *l0], '
        '"l2": &l2 [*l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1], "l3": &l3 [*l2, *l2, *l2, *l2, *l2, *l2, *l2, *l2], '
        '"l4": &l4 [*l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3], "l5": [*l4, *l4, *l4, *l4, *l4, *l4, *l4, *l4]}')


@st.composite
def manifests(draw):
    document = draw(st.sampled_from(DOCUMENTS))
    loc = draw(st.sampled_from(list(places(document))[1:]))
    how = draw(st.sampled_from(["value", "snippet", "bomb", "repeat", "duplicate", "cut"]))
    if how == "value":
        value = draw(st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
                                  lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5),
                                                                                              inner, max_size=3),
                                  max_leaves=8))
        return json.dumps(put(document, loc, value), allow_nan=True)
    if how in ("snippet", "bomb"):
        text = json.dumps(put(document, loc, HOLE), indent=draw(st.sampled_from([None, 1])))
        return text.replace(json.dumps(HOLE), draw(SNIPPETS) if how == "snippet" else BOMB, 1)
    if how == "repeat":  # a list made long, or an entry copied many times
        count = draw(st.sampled_from([2, 101, 1001, 3000]))
        return json.dumps(put(document, loc, [{"id": f"x{i}"} for i in range(count)]))
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    if how == "duplicate":  # a line given twice
        lines = text.splitlines(keepends=True)
        i = draw(st.integers(0, len(lines) - 1))
        return "".join(lines[:i + 1] + [lines[i]] + lines[i + 1:])
    return text[:draw(st.integers(0, len(text)))]  # cut anywhere


def read(text: str):
    try:
        return parse_manifest(text, "fuzz.yaml")
    except InputError as e:
        return e.problems


@settings(max_examples=50, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(manifests())
def test_any_manifest_reads_or_is_refused_within_bounds(text):
    outcome, seconds, peak = bounded(lambda: read(text))
    assert seconds < SECONDS and peak < PEAK_BYTES, (seconds, peak)
    # The fast readings (json, libyaml's events, their lines) give exactly ruamel's reading.
    try:
        assert outcome == read_with_lines(text, "fuzz.yaml")
    except InputError as e:
        assert outcome == e.problems
    if not isinstance(outcome, Manifest):
        assert outcome, "an InputError names at least one problem"
        for problem in outcome:
            assert problem.file == "fuzz.yaml" and problem.message
            problem.path.encode("utf-8")  # printable and sendable (no half of a UTF-16 pair)
            problem.message.encode("utf-8")


@settings(max_examples=8, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(manifests())
def test_the_command_exits_0_or_2_without_a_traceback(hegui, tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fuzz") / "m.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    result = hegui("assess", path, "--as-of", "2024-06-20")
    assert result.code in (0, 2), result.err[-2000:]
    assert "Traceback" not in result.err
    assert result.seconds < SECONDS and result.peak < PEAK_BYTES * 4, (result.seconds, result.peak)
    if result.code == 2:
        assert result.err.startswith(f"hegui: error: {path}")
