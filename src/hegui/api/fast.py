"""POST /v1/assess answered without FastAPI's per-request machinery, when nothing in it needs it.

FastAPI's routing, dependency solving (four query parameters, each validated by pydantic), the
Request object and the middleware layers cost about 0.3 ms a request: a fifth of a served
assessment's CPU once its rows are reused. This ASGI middleware answers the common request
itself: a body of a manifest type, and a query of no more than `as_of` (a day), `lang` (en or
zh) and `format=json`, each given once. Anything else (another path or method, another
parameter, a value it does not take as is, `record`, another body type) goes to FastAPI
untouched, and so does every request whose manifest has a problem: its body is handed on as it
was read, and FastAPI words the error, so errors have one author. The answer is the one the
endpoint gives: the same work (`work(text, as_of, lang)`) on the same pool, within the same
time bound (`overtime`, the same 503), the same headers (tests/api/test_fast.py).
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hegui.api.work import Overtime
from hegui.manifest import InputError
from hegui.manifest.types import parse_day

LANGS = ("en", "zh")


class AssessFastPath:
    def __init__(self, app: ASGIApp, work, pool, body_types: tuple, overtime):
        self.app, self.work, self.pool, self.overtime = app, work, pool, overtime
        self.body_types = set(body_types)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        query = self._query(scope) if scope["type"] == "http" and scope["path"] == "/v1/assess" \
            and scope["method"] == "POST" and self._body_type_is_served(scope) else None
        if query is None:
            await self.app(scope, receive, send)
            return
        messages = []
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":   # the client went away
                return
            if not message.get("more_body", False):
                break
        body = b"".join(m.get("body", b"") for m in messages)
        try:
            content = await self.pool.run(self.work, body.decode("utf-8"), *query)
        except (UnicodeDecodeError, InputError):   # FastAPI reads it again and words the problem
            await self.app(scope, _replay(messages, receive), send)
            return
        except Overtime as e:
            await self.overtime(e)(scope, receive, send)
            return
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-length", str(len(content)).encode()),
                                (b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": content})

    def _body_type_is_served(self, scope: Scope) -> bool:
        for name, value in scope["headers"]:
            if name == b"content-type":   # the first, as Starlette's headers.get reads it
                return value.decode("latin-1").split(";")[0].strip().lower() in self.body_types
        return True   # none: read as YAML

    @staticmethod
    def _query(scope: Scope) -> tuple | None:
        """(as_of, lang) when the query is one this path takes as is; None to leave it to FastAPI."""
        given = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        names = [name for name, _ in given]
        if len(set(names)) != len(names) or not set(names) <= {"as_of", "lang", "format"}:
            return None
        values = dict(given)
        if values.get("format", "json") != "json" or values.get("lang", "en") not in LANGS:
            return None
        as_of = None
        if "as_of" in values:
            try:
                as_of = parse_day(values["as_of"])
            except Exception:   # FastAPI words it as the CLI's --as-of
                return None
        return as_of, values.get("lang", "en")


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """The body's messages as they were read, then the client's own."""
    pending = list(messages)

    async def replayed() -> Message:
        return pending.pop(0) if pending else await receive()
    return replayed
