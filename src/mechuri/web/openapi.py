"""The OpenAPI schema tells the truth about errors: which statuses each operation can answer, in our error
shape, and how it authenticates.

Most error statuses follow from how a route is built, so they are derived from it here rather than written
on every route (where a new route would forget them): an authenticated route can answer 401 (and 403 for a
missing CSRF token); every POST/PUT/DELETE can answer 403 (another site's Origin) and 413 (the body limit,
``middleware.RequestGuard``); a route with parameters or a body 422 (and 400 for malformed JSON); a route
with an ``{id}`` 404; a route that needs JSON 415; a route that touches the database 503. What only the
feature knows (409 for a taken name, 429 for a rate limit, 403 for a wrong password …) is declared on the
route with ``errors(…)``. ``tests/web/test_openapi.py`` and the schemathesis run check both against what
the app really answers.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field

from mechuri.web import deps

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})

DESCRIPTIONS = {
    400: "요청 본문이 JSON으로 읽히지 않아요 (`invalid_json`).",
    401: "로그인이 필요하거나 API 토큰이 올바르지 않아요 (`login_required`, `invalid_token`).",
    403: "다른 사이트에서 온 요청(`cross_origin`)이거나 세션의 CSRF 토큰이 없어요(`csrf_failed`).",
    404: "없거나 다른 사람의 것이에요 (`not_found`).",
    409: "이미 있어요.",
    413: "요청 본문이 너무 커요 (`body_too_large`: /api 64 KB, /v1 1 MB).",
    415: "본문은 application/json이어야 해요 (`json_required`).",
    422: "입력값이 규칙에 맞지 않아요 (`invalid_input` 등; `details`에 항목별 이유, 제어 문자는 `control_character`).",
    429: "너무 자주 시도했어요; `Retry-After`초 뒤에 다시 (`too_many_attempts`, `too_many_signups`).",
    503: "데이터베이스를 지금 쓸 수 없어요; `Retry-After`초 뒤에 다시 (`database_unavailable`).",
}
ERROR_REF = "#/components/schemas/ErrorOut"
RETRY_AFTER = {"Retry-After": {"description": "다시 시도하기까지 기다릴 초", "schema": {"type": "integer"}}}

SECURITY_SCHEMES = {
    "session": {"type": "apiKey", "in": "cookie", "name": "mechuri_session",
                "description": "브라우저 세션 쿠키 (로그인/가입이 줌). POST/PUT/DELETE에는 `X-CSRF-Token` 헤더도 보내요."},
    "token": {"type": "http", "scheme": "bearer", "bearerFormat": "mch_…",
              "description": "개인 API 토큰 (`POST /api/tokens`)."},
}


class ErrorInfo(BaseModel):
    message: str = Field(description="사람이 읽을 한국어 설명")
    type: str = Field(description="OpenAI 방식의 분류: invalid_request_error, authentication_error …")
    code: str = Field(description="기계가 읽을 코드: login_required, invalid_input, too_many_attempts …")
    details: Any = Field(default=None, description="422: 항목별 이유 (항목 → 이유, 또는 pydantic 오류 목록)")


class ErrorOut(BaseModel):
    """Every error, on every route (``errors.error_body``)."""

    error: ErrorInfo


def errors(*statuses: int, **descriptions: str) -> dict[int | str, dict[str, Any]]:
    """A route's ``responses=`` for the error statuses only its feature knows about; ``descriptions`` (keyed
    ``e409=…``) replace the generic words."""
    return {status: _response(status, descriptions.get(f"e{status}")) for status in statuses}


def _response(status: int, description: str | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {"model": ErrorOut, "description": description or DESCRIPTIONS[status]}
    if status in (429, 503):
        response["headers"] = RETRY_AFTER
    return response


def _calls(dependant: Dependant) -> Iterator[Any]:
    for dependency in dependant.dependencies:
        yield dependency.call
        yield from _calls(dependency)


def implied_statuses(route: APIRoute) -> set[int]:
    """The error statuses that follow from how ``route`` is built (see the module's docstring)."""
    calls = set(_calls(route.dependant))
    statuses: set[int] = set()
    authenticated = deps.caller in calls or deps.token_caller in calls
    if authenticated:
        statuses.add(401)
    if route.methods & UNSAFE:
        statuses |= {403, 413}
    if route.dependant.path_params:
        statuses.add(404)
    if route.dependant.path_params or route.dependant.query_params or route.dependant.body_params:
        statuses.add(422)
    if route.dependant.body_params:
        statuses.add(400)
    if deps.require_json in calls:
        statuses.add(415)
    if authenticated or deps.db_session in calls:
        statuses.add(503)
    return statuses


def _security(route: APIRoute) -> list[dict[str, list[str]]] | None:
    calls = set(_calls(route.dependant))
    if deps.token_caller in calls:
        return [{"token": []}]
    if deps.caller in calls:
        return [{"session": []}, {"token": []}]
    return None


def _error_response(status: int) -> dict[str, Any]:
    response: dict[str, Any] = {"description": DESCRIPTIONS[status],
                                "content": {"application/json": {"schema": {"$ref": ERROR_REF}}}}
    if status in (429, 503):
        response["headers"] = RETRY_AFTER
    return response


def _derived(routers: Iterable[APIRouter]) -> dict[tuple[str, str], tuple[set[int], list | None]]:
    """(path, method) → the statuses and security each operation's construction implies."""
    found = {}
    for router in routers:
        for route in router.routes:
            if isinstance(route, APIRoute) and route.include_in_schema:
                for method in route.methods:
                    found[(route.path_format, method.lower())] = (implied_statuses(route), _security(route))
    return found


def document(app: FastAPI, routers: Iterable[APIRouter]) -> None:
    """Make ``app``'s ``/openapi.json`` list, on every operation of ``routers``, the error statuses its
    construction implies (in ``ErrorOut``'s shape, replacing FastAPI's own 422 shape, which is not what
    the app sends) and how it authenticates; routes' own ``errors(…)`` keep their words."""
    derived = _derived(routers)
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        components = schema.setdefault("components", {})
        schemas = components.setdefault("schemas", {})
        error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(error_schema.pop("$defs", {}))
        schemas["ErrorOut"] = error_schema
        components["securitySchemes"] = SECURITY_SCHEMES
        for (path, method), (statuses, security) in derived.items():
            operation = schema["paths"].get(path, {}).get(method)
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            for status in statuses:
                declared = responses.get(str(status))
                if declared is None or "HTTPValidationError" in json.dumps(declared):
                    responses[str(status)] = _error_response(status)
            operation["responses"] = dict(sorted(responses.items()))
            if security is not None:
                operation["security"] = security
        for operations in schema["paths"].values():  # errors declared with words only: the shape they come in
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    if status[0] in "45" and "content" not in response:
                        response.update({**_error_response(int(status)), "description": response["description"]})
        if "HTTPValidationError" not in json.dumps(schema["paths"]):
            schemas.pop("HTTPValidationError", None)
            schemas.pop("ValidationError", None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
