"""The server's bounds on what one request may cost, and the body-size limit that enforces the first.

`Limits` gathers them (`hegui serve` flags, passed to each worker in HEGUI_* variables). The body
limit is pure ASGI middleware, enforced while the body arrives: a declared Content-Length over the limit is refused at once; a body sent in chunks (or with a
false length) is counted as it is read and refused as soon as it passes the limit, so the
server never holds more than the limit of one request in memory. Whatever the endpoint was
doing with the body (JSON, YAML, a multipart upload) the answer is 413.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, fields

from starlette.types import ASGIApp, Message, Receive, Scope, Send


@dataclass(frozen=True)
class Limits:
    max_body_bytes: int = 2_000_000         # --max-body: a larger request body is a 413
    request_seconds: float = 30.0           # --request-timeout: past it, the work stops and the answer is a 503
    work_threads: int = 2                   # threads per worker for assessments and screens (off the event loop)
    screen_max_rows: int = 10_000           # --screen-max-rows: a table with more rows is a 422
    screen_max_output_bytes: int = 20_000_000   # --screen-max-output: a larger result file is a 422

    def __post_init__(self):
        for f in fields(self):
            if not getattr(self, f.name) > 0:
                raise ValueError(f"{f.name} must be positive")

    # The environment variable of each field, as `hegui serve` sets them for its workers.
    ENVIRONMENT = {"max_body_bytes": "HEGUI_MAX_BODY", "request_seconds": "HEGUI_REQUEST_TIMEOUT",
                   "work_threads": "HEGUI_WORK_THREADS", "screen_max_rows": "HEGUI_SCREEN_MAX_ROWS",
                   "screen_max_output_bytes": "HEGUI_SCREEN_MAX_OUTPUT"}

    @classmethod
    def from_environment(cls) -> "Limits":
        given = {}
        for f in fields(cls):
            value = os.environ.get(cls.ENVIRONMENT[f.name])
            if value:
                given[f.name] = float(value) if f.type == "float" else int(value)
        return cls(**given)

    def environment(self) -> dict[str, str]:
        return {variable: str(getattr(self, name)) for name, variable in self.ENVIRONMENT.items()}


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """max_body_bytes for every request but those whose path matches a pattern of `larger`, a list
    of (compiled pattern, limit) that may be extended after the app is made (the workspace's
    evidence uploads are larger than any manifest)."""

    def __init__(self, app: ASGIApp, max_body_bytes: int, larger: list | None = None):
        self.app = app
        self.limit = max_body_bytes
        self.larger = larger if larger is not None else []

    def limit_for(self, path: str) -> int:
        for pattern, limit in self.larger:
            if pattern.fullmatch(path):
                return max(limit, self.limit)
        return self.limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("path", ""))
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await self._refuse(send, limit)
            return
        state = {"received": 0, "exceeded": False, "started": False}

        async def counted_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > limit:
                    state["exceeded"] = True
                    raise BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            if state["exceeded"]:
                # Whatever the app made of the interrupted body (a 400 from a form parser, say),
                # the client is told the truth once, and nothing else.
                if message["type"] == "http.response.start" and not state["started"]:
                    state["started"] = True
                    await self._refuse(send, limit)
                return
            if message["type"] == "http.response.start":
                state["started"] = True
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except BodyTooLarge:
            if not state["started"]:
                state["started"] = True
                await self._refuse(send, limit)

    async def _refuse(self, send: Send, limit: int) -> None:
        body = json.dumps({"errors": [{"path": "", "line": None, "message":
                                       f"request body is larger than {limit} bytes"}]}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
