"""uvicorn's HTTP/1.1 protocol with TCP_NODELAY on every connection.

With --workers, uvicorn hands each worker a listening socket rebuilt from a file descriptor,
whose `proto` is 0, so asyncio does not set TCP_NODELAY on the connections it accepts (it only
does so for sockets it knows are TCP). A response is written as headers then body; without
TCP_NODELAY, Nagle's algorithm holds the body until the client's delayed acknowledgement,
adding ~40 ms to every request. Setting the option here makes one worker and many behave alike.
"""

from __future__ import annotations

import socket

from uvicorn.protocols.http.h11_impl import H11Protocol


class H11NoDelay(H11Protocol):
    def connection_made(self, transport) -> None:
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                pass
        super().connection_made(transport)
