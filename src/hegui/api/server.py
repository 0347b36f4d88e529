"""uvicorn's httptools HTTP/1.1 protocol with TCP_NODELAY and deadlines for slow clients.

TCP_NODELAY: with --workers, each worker listens on a socket made without naming its protocol
(hegui serve's own, or uvicorn's rebuilt from a file descriptor), whose `proto` is 0, so asyncio
does not set TCP_NODELAY on the connections it accepts (it only does so for sockets it knows
are TCP). A response is written as headers then
body; without TCP_NODELAY, Nagle's algorithm holds the body until the client's delayed
acknowledgement, adding ~40 ms to every request.

Deadlines: uvicorn closes a connection idle between requests (--timeout-keep-alive) but puts no
bound on how long a client may take to send a request's headers or its body, so a client
sending a byte a second holds a connection (and its memory) for ever. Here the headers must
arrive within `header_timeout` seconds of the connection opening or of the request's first
byte, and the body within `body_timeout` seconds of the headers; past either the client gets a
408 and the connection is closed. `hegui serve` sets both (HEGUI_HEADER_TIMEOUT,
HEGUI_BODY_TIMEOUT, since uvicorn builds the protocol in each worker from its name).
"""

from __future__ import annotations

import json
import os
import socket

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

HEADER_TIMEOUT = 10.0
BODY_TIMEOUT = 30.0


def _seconds(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


def _timeout_response(what: str, seconds: float) -> bytes:
    body = json.dumps({"errors": [{"path": "", "line": None, "message":
                                   f"the request's {what} did not arrive within {seconds:g} s"}]}).encode()
    return (b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\n"
            b"content-length: " + str(len(body)).encode() + b"\r\nconnection: close\r\n\r\n" + body)


class Protocol(HttpToolsProtocol):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.header_timeout = _seconds("HEGUI_HEADER_TIMEOUT", HEADER_TIMEOUT)
        self.body_timeout = _seconds("HEGUI_BODY_TIMEOUT", BODY_TIMEOUT)
        self._deadline = None

    def connection_made(self, transport) -> None:
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                pass
        super().connection_made(transport)
        self._arm("headers", self.header_timeout)   # a connection that never sends a request

    def connection_lost(self, exc) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._deadline is None:   # a later request on a kept-alive connection
            self._arm("headers", self.header_timeout)

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()
        if self.cycle is not None and not self.cycle.response_complete:
            self._arm("body", self.body_timeout)

    def on_message_complete(self) -> None:
        self._disarm()
        super().on_message_complete()

    def _arm(self, what: str, seconds: float) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, self._expired, what, seconds)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expired(self, what: str, seconds: float) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        # A body that stalls after the app has begun answering gets no second status line.
        if self.cycle is None or not self.cycle.response_started:
            self.transport.write(_timeout_response(what, seconds))
        self.transport.close()
