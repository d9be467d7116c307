"""Serving ``keikaku explore``: a socket bound to the chosen host and port, then uvicorn.

The socket is bound before uvicorn starts, so the port is known (a free one when 0) and the
accepted Host headers can name it; Ctrl-C stops uvicorn cleanly.
"""

from __future__ import annotations

import socket

LOCAL = "127.0.0.1"


def bind(host: str = LOCAL, port: int = 0) -> socket.socket:
    """A listening TCP socket on ``host:port`` (``port`` 0: a free port)."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(64)
    return sock


def make_server(app, sock: socket.socket, *, debug: bool = False):
    """A uvicorn server for ``app`` on ``sock`` (call ``.run(sockets=[sock])``)."""
    import uvicorn

    config = uvicorn.Config(app, log_level="info" if debug else "warning", access_log=debug,
                            lifespan="off", server_header=False)
    return uvicorn.Server(config)
