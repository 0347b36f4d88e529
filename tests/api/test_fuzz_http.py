"""HTTP bodies from Hypothesis to /v1/assess, /v1/questions and /v1/screen on a real server (issue 14).

Whatever arrives, the answer is 200, or a 4xx whose body is the JSON error form
({"errors": [{"path", "line", "message"}]}) with a message; never a 5xx. When one field of a valid
manifest is replaced by an arbitrary JSON value and the answer is 422, an error names that field
(or a field inside it). Bounded: a few dozen examples each, on the module's two-worker server.
"""

from __future__ import annotations

import csv
import io
import json

import httpx
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.conftest import JOBS, as_json_text

FUZZ = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))
# A screen costs more (a DuckDB query over the whole rulebook): fewer tables.
SCREEN_FUZZ = settings(FUZZ, max_examples=12)
BASE_MANIFEST = json.loads(as_json_text(JOBS))

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(10 ** 30), max_value=10 ** 30)
    | st.floats(allow_nan=False) | st.text(max_size=20) | st.sampled_from(["1e309", "2024-13-01", "9999-12-31", "\ud800"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)


def _paths(node, prefix=()):
    """Every field path in the manifest, as key/index tuples."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield prefix + (k,)
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield prefix + (i,)
            yield from _paths(v, prefix + (i,))


PATHS = sorted(_paths(BASE_MANIFEST), key=str)


def _dotted(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _replaced(path, value):
    doc = json.loads(json.dumps(BASE_MANIFEST))
    node = doc
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return doc


def check_answer(r: httpx.Response) -> list[dict]:
    """The contract for any answer; a 4xx's errors."""
    assert r.status_code < 500, f"{r.status_code}: {r.text[:300]}"
    if r.status_code == 200:
        return []
    assert r.status_code in (413, 415, 422), r.status_code
    assert r.headers["content-type"].startswith("application/json")
    errors = r.json()["errors"]
    assert errors and all(isinstance(e["path"], str) and e["message"] and "Traceback" not in e["message"]
                          for e in errors)
    return errors


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server, timeout=60) as c:
        yield c


@pytest.mark.parametrize("endpoint", ["/v1/assess", "/v1/questions"])
def test_one_field_replaced_by_any_json(http, endpoint):
    @FUZZ
    @given(path=st.sampled_from(PATHS), value=json_values)
    def run(path, value):
        body = json.dumps(_replaced(path, value), ensure_ascii=True)   # "\ud800" travels as an escape
        r = http.post(endpoint, params={"as_of": "2024-06-20"}, content=body,
                      headers={"content-type": "application/json"})
        errors = check_answer(r)
        if r.status_code == 422:
            field = _dotted(path)
            assert any(e["path"] == field or e["path"].startswith((field + ".", field + "["))
                       or field.startswith((e["path"] + ".", e["path"] + "[")) for e in errors), (field, errors)
    run()


@pytest.mark.parametrize("kind", ["application/json", "application/yaml"])
def test_any_bytes_as_a_manifest(http, kind):
    text = JOBS.read_bytes()

    @FUZZ
    @given(cut=st.integers(0, len(text)), junk=st.binary(max_size=40))
    def run(cut, junk):
        r = http.post("/v1/assess", params={"as_of": "2024-06-20"}, content=text[:cut] + junk + text[cut:],
                      headers={"content-type": kind})
        check_answer(r)
    run()


def _columns() -> list[str]:
    """The screen's columns: the header of a generated table."""
    import tempfile
    from pathlib import Path

    from hegui.batch.synth import synth
    with tempfile.TemporaryDirectory() as folder:
        table = Path(folder) / "t.csv"
        synth(1, 1, table)
        return table.read_text(encoding="utf-8").splitlines()[0].split(",")


COLUMNS = _columns()
cells = st.text(max_size=12) | st.sampled_from(["true", "1e6", "5.0", "9223372036854775808", "-1", "2024-02-30",
                                                "", "NaN", "\ud800"])


@pytest.mark.parametrize("out", ["csv", "parquet"])
def test_any_cells_in_a_screened_table(http, out):
    @SCREEN_FUZZ
    @given(columns=st.lists(st.sampled_from(COLUMNS[1:]), min_size=1, max_size=4, unique=True),
           rows=st.lists(st.lists(cells, min_size=4, max_size=4), min_size=1, max_size=4))
    def run(columns, rows):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["id", *columns])
        for i, row in enumerate(rows):
            writer.writerow([f"r{i}", *row[:len(columns)]])
        body = buffer.getvalue().encode("utf-8", "surrogatepass")
        r = http.post("/v1/screen", params={"as_of": "2024-06-20", "out": out},
                      files={"table": ("t.csv", body, "text/csv")})
        errors = check_answer(r)
        if r.status_code == 422 and errors[0]["path"] not in ("", "table"):
            assert any(e["path"] in columns for e in errors), (columns, errors)
    run()


def test_a_yaml_document_of_any_shape(http):
    @FUZZ
    @given(value=json_values)
    def run(value):
        r = http.post("/v1/assess", content=yaml.safe_dump({"format": "hegui/1", "organisation": value}).encode(),
                      headers={"content-type": "application/yaml"})
        check_answer(r)
    run()
