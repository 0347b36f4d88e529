"""Body types and error wording of the API over real HTTP (issue 12, parts 2 and 5).

The README documents JSON and YAML bodies and a 415 for anything else; a bad date in the query
reads as the CLI's --as-of does; a compliance record naming an unknown obligation gets its line
and a did-you-mean, as on the command line.
"""

from __future__ import annotations

import httpx
import pytest

from tests.api.conftest import JOBS, YAML_TYPE, cli


@pytest.mark.parametrize("kind", ["text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded",
                                  "application/octet-stream"])
def test_a_body_that_is_neither_json_nor_yaml_is_415(server, kind):
    r = httpx.post(server + "/v1/assess", params={"as_of": "2024-06-20"}, content=JOBS.read_bytes(),
                   headers={"content-type": kind})
    assert r.status_code == 415, r.text
    message = r.json()["errors"][0]["message"]
    assert "application/json" in message and "application/yaml" in message
    assert message.endswith(f"got {kind.split(';')[0]}")


@pytest.mark.parametrize("kind", ["application/yaml", "text/yaml", "application/json; charset=utf-8"])
def test_the_documented_body_types_are_accepted(server, kind):
    from tests.api.conftest import as_json_text
    body = as_json_text(JOBS).encode() if "json" in kind else JOBS.read_bytes()
    r = httpx.post(server + "/v1/assess", params={"as_of": "2024-06-20"}, content=body, headers={"content-type": kind})
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("day, says", [
    ("2024-02-30", "2024-02-30 is not a day: February 2024 has 29 days"),
    ("2023-02-29", "2023-02-29 is not a day: February 2023 has 28 days"),
    ("2024-13-01", "2024-13-01 is not a day: there is no month 13"),
    ("tomorrow", "expected a date YYYY-MM-DD, got 'tomorrow'"),
])
def test_a_bad_as_of_reads_as_the_cli_words_it(server, day, says):
    r = httpx.post(server + "/v1/assess", params={"as_of": day}, content=JOBS.read_bytes(), headers=YAML_TYPE)
    assert r.status_code == 422
    assert r.json() == {"errors": [{"path": "as_of", "line": None, "message": says}]}
    done = cli("assess", JOBS, "--as-of", day)
    assert done.returncode == 2
    assert done.stderr.splitlines()[0] == f"hegui: error: --as-of: {says}"


def test_bad_dates_of_diff_and_rules(server):
    r = httpx.post(server + "/v1/diff", params={"from": "2023-02-29", "to": "2024-06-20"}, content=JOBS.read_bytes(),
                   headers=YAML_TYPE)
    assert r.status_code == 422
    assert r.json()["errors"] == [{"path": "from", "line": None,
                                   "message": "2023-02-29 is not a day: February 2023 has 28 days"}]
    r = httpx.get(server + "/v1/rules", params={"as_of": "2024-04-31"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["message"] == "2024-04-31 is not a day: April 2024 has 30 days"


def test_an_unknown_obligation_in_a_record_has_its_line_and_a_suggestion(server):
    text = JOBS.read_text(encoding="utf-8").replace("obligation: crm.listing-review", "obligation: crm.listing-reveiw")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "crm.listing-reveiw" in row)
    r = httpx.post(server + "/v1/assess", params={"as_of": "2024-06-20"}, content=text.encode(), headers=YAML_TYPE)
    assert r.status_code == 422
    assert r.json()["errors"] == [{"path": "compliance[1].obligation", "line": line,
                                   "message": "no obligation 'crm.listing-reveiw' in the rulebook; "
                                              "did you mean 'crm.listing-review'?"}]


def test_explain_suggests_the_obligation_and_the_subject(server):
    r = httpx.post(server + "/v1/explain", params={"obligation": "csrc.overseas-listing-filling", "as_of": "2024-06-20"},
                   content=JOBS.read_bytes(), headers=YAML_TYPE)
    assert r.status_code == 422
    assert r.json()["errors"][0]["message"] == ("no 'csrc.overseas-listing-filling' in the rulebook; "
                                                "did you mean 'csrc.overseas-listing-filing'?")
    r = httpx.post(server + "/v1/explain", params={"obligation": "csrc.overseas-listing-filing",
                                                   "subject": "listing:nasdak", "as_of": "2024-06-20"},
                   content=JOBS.read_bytes(), headers=YAML_TYPE)
    assert r.status_code == 422
    assert r.json()["errors"][0] == {"path": "subject", "line": None,
                                     "message": "'listing:nasdak' is not a subject of csrc.overseas-listing-filing "
                                                "here; did you mean 'listing:nasdaq'?"}


def test_a_body_without_a_content_type_is_read_as_yaml(server):
    import http.client
    import urllib.parse
    host, port = urllib.parse.urlsplit(server).netloc.split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.request("POST", "/v1/assess?as_of=2024-06-20", body=JOBS.read_bytes())   # no Content-Type header
    response = conn.getresponse()
    assert response.status == 200
    conn.close()


def test_other_bad_query_parameters_read_as_the_manifest_errors_do(server):
    def errors(path, **params):
        r = httpx.post(server + path, params=params, content=JOBS.read_bytes(), headers=YAML_TYPE)
        assert r.status_code == 422
        return r.json()["errors"]
    assert errors("/v1/assess", lang="fr") == [{"path": "lang", "line": None,
                                                "message": "expected one of 'en' or 'zh', got 'fr'"}]
    assert errors("/v1/check", strict="maybe") == [{"path": "strict", "line": None,
                                                    "message": "expected true or false, got 'maybe'"}]
    assert errors("/v1/diff", **{"from": "2024-01-01"}) == [{"path": "to", "line": None,
                                                            "message": "required query parameter is missing"}]


def test_half_a_utf16_pair_in_a_json_body_is_422_not_500(server):
    body = '{"format": "hegui/1", "organisation": {"name": "\\ud800"}}'
    r = httpx.post(server + "/v1/assess", content=body.encode(), headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["path"] == "organisation.name"
    body = '{"format": "hegui/1", "organisation": {"name": "\\ud800\\udc00"}}'   # a pair: one character
    r = httpx.post(server + "/v1/assess", content=body.encode(), headers={"content-type": "application/json"})
    assert r.status_code == 200 and r.json()["organisation"] == "\U00010000"
