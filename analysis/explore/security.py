"""Request checks of ``keikaku explore``: a pure ASGI middleware.

* the Host header must name the server as the browser reached it (``127.0.0.1:PORT`` or
  ``localhost:PORT``, or the ``--host`` given): anything else is 400, so a page of another site
  cannot reach the server through DNS rebinding;
* a POST must carry the session's CSRF token (a form field ``csrf`` equal to the token behind the
  session cookie) and, when the browser sends one, an Origin of the server itself: 403 otherwise;
* a request body larger than :data:`MAX_UPLOAD` is 413.
"""

from __future__ import annotations

import hmac
import secrets
from http.cookies import SimpleCookie
from typing import Iterable

MAX_UPLOAD = 20 * 1024 * 1024  # bytes: the largest upload accepted
COOKIE = "keikaku_session"


def allowed_hosts(port: int, *, host: str = "127.0.0.1") -> frozenset[str]:
    """The Host header values accepted for a server on ``port``.

    >>> sorted(allowed_hosts(8000))
    ['127.0.0.1:8000', 'localhost:8000']
    """
    names = {"127.0.0.1", "localhost", host}
    return frozenset(f"{name}:{port}" for name in names)


class Sessions:
    """Session id → CSRF token (kept in memory: sessions end with the server)."""

    def __init__(self) -> None:
        self._tokens: dict[str, str] = {}

    def token(self, session: str | None) -> tuple[str, str]:
        """The (session id, token) of a cookie value, a new session when unknown."""
        if session and session in self._tokens:
            return session, self._tokens[session]
        session = secrets.token_urlsafe(24)
        self._tokens[session] = secrets.token_urlsafe(32)
        return session, self._tokens[session]

    def valid(self, session: str | None, token: str | None) -> bool:
        expected = self._tokens.get(session or "")
        return bool(expected and token) and hmac.compare_digest(expected, token)


def cookie_value(headers: Iterable[tuple[bytes, bytes]]) -> str | None:
    """The session cookie of raw ASGI headers."""
    for name, value in headers:
        if name == b"cookie":
            jar = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header is no session
                continue
            if COOKIE in jar:
                return jar[COOKIE].value
    return None


def header(headers: Iterable[tuple[bytes, bytes]], name: bytes) -> str | None:
    for key, value in headers:
        if key == name:
            return value.decode("latin-1")
    return None


class Guard:
    """ASGI middleware applying the checks of the module docstring.

    ``hosts`` is read at each request from ``state`` (``state.hosts``), which the server fills in
    once it knows its port.
    """

    def __init__(self, app, *, state) -> None:
        self.app = app
        self.explore = state

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = scope.get("headers", [])
        host = header(headers, b"host")
        if host not in self.explore.hosts:
            return await _plain(send, 400, "Bad Request: unknown Host header")
        length = header(headers, b"content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_UPLOAD):
            return await _plain(send, 413, "アップロードできるのは 20 MB までです")
        if scope["method"] not in ("GET", "HEAD"):
            origin = header(headers, b"origin")
            if origin is not None and origin.split("://", 1)[-1] not in self.explore.hosts:
                return await _plain(send, 403, "Forbidden: cross-site request")
        return await self.app(scope, _limited(receive), send)


def _limited(receive):
    """A receive that stops a body growing past :data:`MAX_UPLOAD` (a chunked upload)."""
    seen = 0

    async def inner():
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > MAX_UPLOAD:
                raise UploadTooLarge()
        return message

    return inner


class UploadTooLarge(Exception):
    """A request body past :data:`MAX_UPLOAD`."""


async def _plain(send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
