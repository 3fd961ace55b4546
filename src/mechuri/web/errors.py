"""One error shape for every failure, and handlers that never let a stack trace reach a client.

Errors look like OpenAI's (``{"error": {"message", "type", "code"}}``) on every route, so the
OpenAI-compatible endpoint and the JSON API are read the same way, and the message is Korean text a
person can act on. A database that is down, unreachable, read-only or full is a 503 with ``Retry-After``
(not a 500: nothing is wrong with the request). Unexpected exceptions are logged with their traceback here
and answered with a plain 500.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

from mechuri.db.session import DatabaseUnavailable, is_unavailable
from mechuri.web import strings as S

log = logging.getLogger("mechuri.web")

_TYPES = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
          404: "not_found_error", 405: "invalid_request_error", 409: "conflict_error",
          413: "invalid_request_error", 415: "invalid_request_error", 422: "invalid_request_error",
          429: "rate_limit_error", 503: "server_error"}


RETRY_AFTER_S = 5
"""What a 503 for an unavailable database asks clients to wait before trying again."""


def unavailable_response() -> JSONResponse:
    """503 with Retry-After: the database is down, unreachable, read-only or full (see ``is_unavailable``)."""
    return error_response(503, "database_unavailable", S.DATABASE_UNAVAILABLE,
                          headers={"Retry-After": str(RETRY_AFTER_S)})


class ApiError(Exception):
    """A failure the client caused or can fix: a status, a machine-readable code, a Korean message."""

    def __init__(self, status: int, code: str, message: str, *, headers: dict[str, str] | None = None,
                 details: Any = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}
        self.details = details


def error_body(status: int, code: str, message: str, details: Any = None) -> dict[str, Any]:
    """The JSON body of an error (also used inside streams, where no status line can change any more)."""
    error: dict[str, Any] = {"message": message, "type": _TYPES.get(status, "server_error"), "code": code}
    if details is not None:
        error["details"] = details
    return {"error": error}


def error_response(status: int, code: str, message: str, *, headers: dict[str, str] | None = None,
                   details: Any = None) -> JSONResponse:
    return JSONResponse(error_body(status, code, message, details), status_code=status, headers=headers)


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    """Pydantic's errors without the echoed input (which may be a password or a huge string)."""
    return [{"loc": [str(part) for part in error.get("loc", ())], "msg": error.get("msg", ""),
             "type": error.get("type", "")} for error in exc.errors()]


def install_error_handlers(app: FastAPI) -> None:
    """Route every failure through ``error_response``."""

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, headers=exc.headers, details=exc.details)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _field_errors(exc)
        if any(error["type"] == "json_invalid" for error in errors):
            return error_response(400, "invalid_json", S.JSON_REQUIRED)
        if any(error["type"] == "control_character" for error in errors):  # hygiene.CONTROL_ERROR
            return error_response(422, "control_character", S.CONTROL_CHARACTERS, details=errors)
        return error_response(422, "invalid_input", S.BAD_INPUT, details=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404:
            return error_response(404, "not_found", S.NOT_FOUND)
        if exc.status_code == 405:
            return error_response(405, "method_not_allowed", S.METHOD_NOT_ALLOWED,
                                  headers=getattr(exc, "headers", None))  # Starlette's Allow: …
        message = exc.detail if isinstance(exc.detail, str) else S.BAD_INPUT
        return error_response(exc.status_code, "http_error", message, headers=getattr(exc, "headers", None))

    async def _database(request: Request, exc: Exception) -> JSONResponse:
        if isinstance(exc, DatabaseUnavailable) or is_unavailable(exc):
            log.warning("database unavailable on %s %s: %s", request.method, request.url.path,
                        str(getattr(exc, "orig", None) or exc).strip().splitlines()[:1])
            return unavailable_response()
        log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return error_response(500, "server_error", S.SERVER_ERROR)

    for database_error in (DBAPIError, PoolTimeoutError, DatabaseUnavailable):
        app.add_exception_handler(database_error, _database)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return error_response(500, "server_error", S.SERVER_ERROR)
