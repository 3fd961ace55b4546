"""ASGI middleware that guards every request before any route runs: body size, origin, security headers.

Written as plain ASGI (not ``BaseHTTPMiddleware``) so streamed replies pass through unbuffered.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mechuri.web import strings as S
from mechuri.web.errors import error_body

API_BODY_LIMIT = 64 * 1024
"""Largest request body for the JSON API: a 2,000-character Korean message is about 6 KB."""
OPENAI_BODY_LIMIT = 1024 * 1024
"""OpenAI clients re-send the whole conversation each time, so /v1 accepts more."""

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

SECURITY_HEADERS = [
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
     b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


async def _send_error(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps(error_body(status, code, message), ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


class RequestGuard:
    """Refuses oversized bodies (413) and cross-site state changes (403); adds security headers.

    A body without Content-Length (chunked) is read up to the limit first and replayed, so the 413 is
    always a clean JSON error rather than a half-read request. A state-changing request whose Origin is
    another site's is refused unless it carries a bearer token (which a browser never adds by itself):
    defense in depth under the CSRF token, and the protection of the cookie-less log-in and sign-up.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        limit = OPENAI_BODY_LIMIT if path.startswith("/v1/") else API_BODY_LIMIT
        if scope["method"] in UNSAFE_METHODS and _cross_site(scope):
            await _send_error(send, 403, "cross_origin", S.CROSS_ORIGIN)
            return
        length = _header(scope, b"content-length")
        if length is not None:
            if not length.isdigit() or int(length) > limit:
                await _send_error(send, 413, "body_too_large", S.BODY_TOO_LARGE.format(limit=limit))
                return
        elif scope["method"] in UNSAFE_METHODS:
            replay = await _read_limited(receive, limit)
            if replay is None:
                await _send_error(send, 413, "body_too_large", S.BODY_TOO_LARGE.format(limit=limit))
                return
            receive = replay

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {key.lower() for key, _ in headers}
                headers += [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                if path.startswith(("/api/", "/v1/")) and b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _cross_site(scope: Scope) -> bool:
    """True when a browser says the request comes from another origin than the one it is sent to."""
    origin = _header(scope, b"origin")
    if origin is None or _header(scope, b"authorization"):
        return False
    host = _header(scope, b"host") or ""
    return origin == "null" or urlsplit(origin).netloc.lower() != host.lower()


async def _read_limited(receive: Receive, limit: int) -> Receive | None:
    """Read a whole chunked body if it fits in ``limit``; a ``receive`` that replays it, or None if too big."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
