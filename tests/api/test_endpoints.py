"""Every endpoint of the HTTP API, in process (FastAPI's TestClient), against the CLI's own output.

Contract: issue 6 item 1 and ../shared/spec/interface.md: /v1/assess returns exactly the JSON of
`hegui assess --format json`; bad input is a 422 with the CLI's field paths, lines and messages;
bodies over the limit are a 413.
"""

from __future__ import annotations

import io
import json
import re

import pytest

from tests.api.conftest import GROUP, JOBS, JSON_TYPE, ROOT, YAML_TYPE, as_json_text, cli


@pytest.mark.parametrize("example,as_of", [(JOBS, "2024-06-20"), (GROUP, "2026-11-25"), (JOBS, "2021-01-04")])
@pytest.mark.parametrize("body", ["yaml", "json"])
def test_assess_returns_the_cli_json(client, example, as_of, body):
    done = cli("assess", example, "--as-of", as_of, "--format", "json")
    assert done.returncode == 0, done.stderr
    text, headers = (example.read_text(encoding="utf-8"), YAML_TYPE) if body == "yaml" else \
        (as_json_text(example), JSON_TYPE)
    r = client.post("/v1/assess", params={"as_of": as_of}, content=text.encode(), headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    assert r.json() == json.loads(done.stdout)


def test_assess_defaults_to_today_and_accepts_text_yaml(client):
    import datetime
    from zoneinfo import ZoneInfo

    def mainland_today():
        return datetime.datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    before = mainland_today()
    r = client.post("/v1/assess", content=JOBS.read_bytes(), headers={"content-type": "text/yaml"})
    assert r.status_code == 200
    # Today on the mainland (Beijing time), whatever the server's zone; either side of midnight.
    assert r.json()["as_of"] in {before, mainland_today()}


BAD = {
    "typo.yaml": JOBS.read_text().replace("network_platform_operator", "network_platfrom_operator"),
    "wrong-type.yaml": JOBS.read_text().replace("pi_individuals: 50000000", "pi_individuals: many"),
    "bad-date.yaml": JOBS.read_text().replace("application_date: 2024-06-03", "application_date: 2023-02-30"),
    "not-yaml.yaml": "organisation: [unclosed\n  name: x\n",
    "duplicate.yaml": JOBS.read_text().replace("id: staff-to-sg-hr", "id: crm-to-us"),
    "record.yaml": JOBS.read_text().replace("obligation: crm.listing-review", "obligation: crm.no-such-duty"),
    "list.yaml": "- just\n- a list\n",
    "two-errors.json": json.dumps({"format": "hegui/1", "organisation": {"name": 3, "pi_individuals": -1}},
                                  indent=2),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_manifests_get_the_cli_errors(client, tmp_path, name):
    path = tmp_path / name
    path.write_text(BAD[name], encoding="utf-8")
    done = cli("assess", path, "--as-of", "2024-06-20", "--format", "json")
    assert done.returncode == 2
    expected = done.stderr.strip().splitlines()
    headers = JSON_TYPE if name.endswith(".json") else YAML_TYPE
    r = client.post("/v1/assess", params={"as_of": "2024-06-20"}, content=BAD[name].encode(), headers=headers)
    assert r.status_code == 422, r.text
    errors = r.json()["errors"]
    assert errors and all(set(e) == {"path", "line", "message"} for e in errors)
    # The same problems, worded as the CLI words them: file:line: path: message.
    got = []
    for e in errors:
        where = f"{path}:{e['line']}" if e["line"] else str(path)
        got.append(f"hegui: error: {where}:{' ' + e['path'] + ':' if e['path'] else ''} {e['message']}")
    assert got == expected


def test_typo_names_field_line_and_suggestion(client):
    r = client.post("/v1/assess", content=BAD["typo.yaml"].encode(), headers=YAML_TYPE)
    assert r.status_code == 422
    assert r.json() == {"errors": [{"path": "organisation.network_platfrom_operator", "line": 10,
                                    "message": "unknown field; did you mean 'network_platform_operator'?"}]}


def test_not_utf8_and_wrong_type_and_bad_query(client):
    r = client.post("/v1/assess", content=b"format: hegui/1\xff\n", headers=YAML_TYPE)
    assert r.status_code == 422 and "expected UTF-8 text" in r.json()["errors"][0]["message"]
    r = client.post("/v1/assess", content=JOBS.read_bytes(), headers={"content-type": "application/xml"})
    assert r.status_code == 415 and r.json()["errors"][0]["message"].startswith("expected a body of type")
    r = client.post("/v1/assess", params={"as_of": "2024-13-01"}, content=JOBS.read_bytes(), headers=YAML_TYPE)
    assert r.status_code == 422 and r.json()["errors"][0]["path"] == "as_of"
    r = client.post("/v1/assess", params={"record": "true"}, content=JOBS.read_bytes(), headers=YAML_TYPE)
    assert r.status_code == 422 and r.json()["errors"][0]["path"] == "record"


def test_oversized_body_is_413(client):
    big = JOBS.read_bytes() + b"\n# " + b"x" * 300_000 + b"\n"
    r = client.post("/v1/assess", content=big, headers=YAML_TYPE)
    assert r.status_code == 413
    assert "larger than 200000 bytes" in r.json()["errors"][0]["message"]


def test_oversized_body_without_length_is_413_while_reading(client):
    sent = []

    def chunks():
        for _ in range(100):  # 100 x 10 kB, no Content-Length: the limit is met while reading
            sent.append(1)
            yield b"#" * 10_000 + b"\n"
    r = client.post("/v1/assess", content=chunks(), headers=YAML_TYPE)
    assert r.status_code == 413


def test_explain(client):
    done = cli("explain", JOBS, "csrc.overseas-listing-filing", "--as-of", "2024-06-20", "--format", "json")
    assert done.returncode == 0, done.stderr
    r = client.post("/v1/explain", params={"obligation": "csrc.overseas-listing-filing", "as_of": "2024-06-20"},
                    content=JOBS.read_bytes(), headers=YAML_TYPE)
    assert r.status_code == 200 and r.json() == json.loads(done.stdout)
    r = client.post("/v1/explain", params={"obligation": "pipl.transfer-notice-consent-pia", "as_of": "2024-06-20"},
                    content=JOBS.read_bytes(), headers=YAML_TYPE)
    assert r.status_code == 422 and "several subjects" in r.json()["errors"][0]["message"]
    r = client.post("/v1/explain", params={"obligation": "pipl.transfer-notice-consent-pia",
                                           "subject": "transfer:crm-to-us", "as_of": "2024-06-20"},
                    content=JOBS.read_bytes(), headers=YAML_TYPE)
    assert r.status_code == 200 and r.json()["subject"] == "transfer:crm-to-us"
    r = client.post("/v1/explain", params={"obligation": "no.such"}, content=JOBS.read_bytes(), headers=YAML_TYPE)
    assert r.status_code == 422 and r.json()["errors"][0]["path"] == "obligation"


def test_questions(client):
    done = cli("questions", GROUP, "--as-of", "2026-11-25", "--format", "json", "--lang", "zh")
    assert done.returncode == 0, done.stderr
    r = client.post("/v1/questions", params={"as_of": "2026-11-25", "lang": "zh"}, content=GROUP.read_bytes(),
                    headers=YAML_TYPE)
    assert r.status_code == 200 and r.json() == json.loads(done.stdout)
    assert r.json()["questions"]


def test_diff(client):
    done = cli("diff", JOBS, "--from", "2021-06-01", "--to", "2024-06-20", "--format", "json")
    assert done.returncode == 0, done.stderr
    r = client.post("/v1/diff", params={"from": "2021-06-01", "to": "2024-06-20"}, content=JOBS.read_bytes(),
                    headers=YAML_TYPE)
    assert r.status_code == 200 and r.json() == json.loads(done.stdout)
    assert r.json()["changes"]
    r = client.post("/v1/diff", params={"from": "2024-06-20", "to": "2021-06-01"}, content=JOBS.read_bytes(),
                    headers=YAML_TYPE)
    assert r.status_code == 422 and r.json()["errors"][0]["path"] == "to"


@pytest.mark.parametrize("strict", [False, True])
def test_check_gives_the_exit_code_in_json(client, strict):
    args = ["check", JOBS, "--as-of", "2024-06-20", "--format", "json"] + (["--strict"] if strict else [])
    done = cli(*args)
    assert done.returncode == 3
    r = client.post("/v1/check", params={"as_of": "2024-06-20", "strict": str(strict).lower()},
                    content=JOBS.read_bytes(), headers=YAML_TYPE)
    assert r.status_code == 200
    body = r.json()
    assert body.pop("exit_code") == 3
    assert body == json.loads(done.stdout)
    clean = client.post("/v1/check", params={"as_of": "2021-01-04"}, content=JOBS.read_bytes(), headers=YAML_TYPE)
    assert clean.json()["exit_code"] == (3 if clean.json()["findings"] else 0)


def test_rules_and_schema(client):
    for params, args in [({}, []), ({"as_of": "2024-06-20", "search": "csrc"}, ["--as-of", "2024-06-20", "--search", "csrc"])]:
        done = cli("rules", "--format", "json", *args)
        r = client.get("/v1/rules", params=params)
        assert r.status_code == 200 and r.json() == json.loads(done.stdout)
    done = cli("schema")
    r = client.get("/v1/schema")
    assert r.status_code == 200 and r.json() == json.loads(done.stdout)


def test_health_page_and_static(client):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json()["status"] == "ok" and r.json()["rulebook"]["digest"].startswith("sha256:")
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = (ROOT / "src" / "hegui" / "api" / "static" / "index.html").read_text(encoding="utf-8")
    assert r.text == page
    assert client.get("/static/index.html").text == page
    assert client.get("/static/../app.py").status_code == 404


def test_openapi_has_examples_and_the_manifest_schema(client):
    spec = client.get("/openapi.json").json()
    body = spec["paths"]["/v1/assess"]["post"]["requestBody"]["content"]
    assert body["application/yaml"]["example"] == JOBS.read_text(encoding="utf-8")
    assert body["application/json"]["example"] == json.loads(as_json_text(JOBS))
    assert body["application/json"]["schema"] == {"$ref": "#/components/schemas/Manifest"}
    assert "Organisation" in spec["components"]["schemas"]
    assert not re.search(r'"#/\$defs/', json.dumps(spec))
    for path in ("/v1/assess", "/v1/explain", "/v1/questions", "/v1/diff", "/v1/check", "/v1/screen"):
        assert {"413", "422"} <= set(spec["paths"][path]["post"]["responses"])
    assert {"/v1/rules", "/v1/schema", "/healthz"} <= set(spec["paths"])


def _table(tmp_path, rows=40):
    from hegui.batch.synth import synth
    path = tmp_path / "inventory.csv"
    synth(rows, 7, path)
    return path


@pytest.mark.parametrize("out", ["parquet", "csv"])
def test_screen_round_trip(client, tmp_path, out):
    import pyarrow.csv
    import pyarrow.parquet

    from hegui.batch.screen import screen_duckdb
    table = _table(tmp_path)
    expected = tmp_path / f"expected.{out}"
    screen_duckdb(table, __import__("datetime").date(2024, 6, 20), expected)
    r = client.post("/v1/screen", params={"as_of": "2024-06-20", "out": out},
                    files={"table": ("inventory.csv", table.read_bytes(), "text/csv")})
    assert r.status_code == 200, r.text
    assert "inventory-screened." + out in r.headers["content-disposition"]
    if out == "parquet":
        got = pyarrow.parquet.read_table(io.BytesIO(r.content))
        want = pyarrow.parquet.read_table(expected)
    else:
        got = pyarrow.csv.read_csv(io.BytesIO(r.content))
        want = pyarrow.csv.read_csv(expected)
    assert got.num_rows == 40
    assert got.cast(want.schema).to_pylist() == want.to_pylist() if out == "csv" else \
        [{k: str(v) for k, v in row.items()} for row in got.to_pylist()] == \
        [{k: str(v) for k, v in row.items()} for row in want.to_pylist()]


def test_screen_bad_input(client, tmp_path):
    r = client.post("/v1/screen", files={"table": ("notes.txt", b"hello", "text/plain")})
    assert r.status_code == 422 and "expected a .csv, .parquet or .jsonl" in r.json()["errors"][0]["message"]
    r = client.post("/v1/screen", files={"table": ("t.csv", b"id,organisation.pi_individuals\nr1,lots\n", "text/csv")})
    assert r.status_code == 422
    assert all("/tmp/" not in e["message"] for e in r.json()["errors"]), r.text
    big = b"id\n" + b"r1\n" * 100_000
    r = client.post("/v1/screen", files={"table": ("t.csv", big, "text/csv")})
    assert r.status_code == 413


def test_record_needs_a_ledger_and_ledger_startup_is_clear(tmp_path):
    from hegui.api import create_app
    try:
        import hegui.ledger.api  # noqa: F401
        from hegui.ledger import Ledger  # noqa: F401
    except ImportError:
        with pytest.raises(RuntimeError, match="ledger is not available"):
            create_app(ledger_path=str(tmp_path / "ledger.db"))
        return
    from fastapi.testclient import TestClient
    with TestClient(create_app(ledger_path=str(tmp_path / "ledger.db"))) as c:
        r = c.post("/v1/assess", params={"as_of": "2024-06-20", "record": "true"}, content=JOBS.read_bytes(),
                   headers=YAML_TYPE)
        assert r.status_code == 200, r.text
        assert r.headers["hegui-ledger-entry"] == "0"
        assert c.get("/healthz").json()["ledger"] is True
        assert c.post("/v1/assess", params={"as_of": "2024-06-20", "record": "true"}, content=JOBS.read_bytes(),
                      headers=YAML_TYPE).headers["hegui-ledger-entry"] == "1"
        assert c.post("/v1/assess", params={"as_of": "2024-06-20"}, content=JOBS.read_bytes(),
                      headers=YAML_TYPE).headers.get("hegui-ledger-entry") is None
        from hegui.ledger import Ledger
        assert Ledger(tmp_path / "ledger.db").size() == 2
        paths = [p for p in c.get("/openapi.json").json()["paths"] if p.startswith("/v1/ledger")]
        assert paths


def test_canonical_manifest_round_trips():
    from hegui.api.app import canonical_manifest_json
    from hegui.manifest import parse_manifest
    for example in (JOBS, GROUP):
        manifest = parse_manifest(example.read_text(encoding="utf-8"), str(example))
        text = canonical_manifest_json(manifest)
        assert parse_manifest(text, "canonical") == manifest
        assert canonical_manifest_json(parse_manifest(text, "canonical")) == text


@pytest.mark.parametrize("fmt, media, needle", [
    ("html", "text/html", "<html"), ("markdown", "text/markdown", "# "),
])
@pytest.mark.parametrize("lang, words", [("en", "Jobs Platform Inc."), ("zh", "中华人民共和国个人信息保护法")])
def test_assess_serves_the_report_as_hegui_renders_it(client, fmt, media, needle, lang, words):
    from hegui.engine import assess
    from hegui.manifest import read_manifest
    from hegui.report.html_report import render_html
    from hegui.report.markdown_report import render_markdown
    r = client.post("/v1/assess", params={"as_of": "2024-06-20", "format": fmt, "lang": lang},
                    content=JOBS.read_bytes(), headers=YAML_TYPE)
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    assert needle in r.text and words in r.text
    result = assess(read_manifest(str(JOBS)), __import__("datetime").date(2024, 6, 20))
    assert r.text == (render_html if fmt == "html" else render_markdown)(result, lang)
