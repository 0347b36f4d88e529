"""POST /v1/assess on its fast path (api/fast.py) answers exactly what FastAPI's endpoint answers:
the same status, headers and bytes, for good requests and bad, and it is the one answering the
common request."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from hegui.api.app import create_app
from hegui.api.fast import AssessFastPath
from hegui.api.limits import Limits
from tests.api.conftest import GROUP, JOBS, as_json_text
from tests.api.test_bounds import _services_manifest

QUERIES = ["", "as_of=2024-06-20", "as_of=2026-11-25&lang=zh", "lang=zh", "format=json&as_of=2024-06-20",
           "as_of=2024-02-30", "as_of=", "as_of=20240620", "lang=fr", "lang=", "format=html&as_of=2024-06-20",
           "format=markdown", "format=xml", "record=true", "record=false", "as_of=2024-06-20&as_of=2024-06-21",
           "unknown=1&as_of=2024-06-20", "as_of=2024-06-20&lang=en&format=json", "as_of=%32024-06-20"]
YAML, JSON = JOBS.read_bytes(), as_json_text(GROUP).encode()
BODIES = [("application/yaml", YAML), ("application/json", JSON), ("text/yaml; charset=utf-8", YAML),
          (None, YAML), ("", YAML), ("text/plain", YAML), ("application/json", b"{not json"),
          ("application/yaml", YAML.replace(b"network_platform_operator", b"network_platfrom_operator")),
          ("application/yaml", b"\xff\xfe not utf-8"), ("application/yaml", b""), ("application/json", b"[1, 2]"),
          ("APPLICATION/JSON", JSON), ("application/yaml", b"x" * 300_000)]


@pytest.fixture(scope="module")
def clients():
    with TestClient(create_app(max_body_bytes=200_000)) as fast, \
            TestClient(create_app(max_body_bytes=200_000, fast_assess=False)) as plain:
        yield fast, plain


def _post(client, query, content_type, body):
    headers = {} if content_type is None else {"content-type": content_type}
    return client.post("/v1/assess?" + query, content=body, headers=headers)


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("content_type,body", BODIES, ids=range(len(BODIES)))
def test_the_fast_path_answers_as_the_endpoint_does(clients, query, content_type, body):
    fast, plain = clients
    a, b = _post(fast, query, content_type, body), _post(plain, query, content_type, body)
    assert (a.status_code, a.headers.items(), a.content) == (b.status_code, b.headers.items(), b.content)


def _fast_path(app) -> AssessFastPath:
    layer = app.middleware_stack
    while not isinstance(layer, AssessFastPath):
        layer = layer.app
    return layer


def test_the_common_request_does_not_reach_fastapi_and_the_rest_does(clients):
    fast, _ = clients
    fast.get("/healthz")   # the middleware stack is built on the first request
    layer = _fast_path(fast.app)
    inner, reached = layer.app, []

    async def counting(scope, receive, send):
        reached.append(scope["query_string"])
        await inner(scope, receive, send)
    layer.app = counting
    try:
        assert _post(fast, "as_of=2024-06-20&lang=zh", "application/yaml", YAML).status_code == 200
        assert _post(fast, "", None, YAML).status_code == 200
        assert reached == []
        assert _post(fast, "as_of=2024-06-20&format=html", "application/yaml", YAML).status_code == 200
        assert _post(fast, "as_of=2024-06-20", "application/yaml", b"organisation: 1").status_code == 422
        assert reached == [b"as_of=2024-06-20&format=html", b"as_of=2024-06-20"]
    finally:
        layer.app = inner


def test_past_the_time_bound_the_fast_path_gives_the_endpoints_503():
    heavy = _services_manifest(600)
    answers = []
    for fast_assess in (True, False):
        with TestClient(create_app(limits=Limits(request_seconds=0.05), fast_assess=fast_assess)) as client:
            answers.append(_post(client, "as_of=2026-11-25", "application/yaml", heavy))
    a, b = answers
    assert a.status_code == 503 and (a.headers.items(), a.content) == (b.headers.items(), b.content)


@pytest.mark.parametrize("size", [len(YAML), 250_000])
def test_a_body_sent_in_chunks_is_answered_alike(clients, size):
    body = (YAML * (size // len(YAML) + 1))[:size] if size > len(YAML) else YAML

    def chunks():
        for i in range(0, len(body), 1000):
            yield body[i:i + 1000]
    a, b = (c.post("/v1/assess?as_of=2024-06-20", content=chunks(), headers={"content-type": "application/yaml"})
            for c in clients)
    assert (a.status_code, a.headers.items(), a.content) == (b.status_code, b.headers.items(), b.content)
    assert a.status_code == (200 if size == len(YAML) else 413)
