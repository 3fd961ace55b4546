"""``/openapi.json`` lists the error statuses each operation really answers, in the shape it really sends,
and the real validation rules; each documented rule is enforced (a value just outside it is a 422)."""

from __future__ import annotations

import re

import pytest

from mechuri.web.accounts import PASSWORD_MAX, PASSWORD_MIN, USERNAME_PATTERN

UNSAFE = {"post", "put", "patch", "delete"}


@pytest.fixture
def spec(visitor) -> dict:
    return visitor.get("/openapi.json").json()


def _operations(spec: dict):
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_every_operation_lists_the_errors_its_construction_implies(spec):
    for path, method, operation in _operations(spec):
        statuses = set(operation["responses"])
        where = f"{method.upper()} {path}"
        if operation.get("security"):
            assert {"401", "503"} <= statuses, where
        if method in UNSAFE:
            assert {"403", "413"} <= statuses, where
        if "{" in path:
            assert {"404", "422"} <= statuses, where
        if "requestBody" in operation:
            assert {"400", "422"} <= statuses, where
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")):
                assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
            if status in ("429", "503"):
                assert "Retry-After" in response["headers"], where
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    assert set(spec["components"]["securitySchemes"]) == {"session", "token"}


@pytest.mark.parametrize(("path", "method", "expected"), [
    ("/api/auth/signup", "post", {"409", "415", "429"}),
    ("/api/auth/login", "post", {"401", "415", "429"}),
    ("/api/account", "delete", {"401", "403", "429"}),
    ("/api/account/password", "post", {"401", "403", "429"}),
    ("/api/tokens", "post", {"409"}),
    ("/api/preferences", "put", {"404", "409"}),
    ("/api/feedback", "post", {"404"}),
    ("/v1/chat/completions", "post", {"401", "413"}),
])
def test_feature_errors_are_declared(spec, path, method, expected):
    assert expected <= set(spec["paths"][path][method]["responses"])


def test_the_real_rules_are_in_the_schemas(spec):
    schemas = spec["components"]["schemas"]
    username = schemas["SignupIn"]["properties"]["username"]
    assert re.fullmatch(username["pattern"].strip("^$"), "민지_kim.99") and username["pattern"] == f"^{USERNAME_PATTERN.pattern}$"
    assert (username["minLength"], username["maxLength"]) == (3, 32)
    for model, field in (("SignupIn", "password"), ("PasswordChangeIn", "new_password")):
        rule = schemas[model]["properties"][field]
        assert (rule["minLength"], rule["maxLength"]) == (PASSWORD_MIN, PASSWORD_MAX)
    assert schemas["ChatIn"]["properties"]["message"]["maxLength"] == 2000
    assert schemas["TokenIn"]["properties"]["name"]["maxLength"] == 64
    assert schemas["MealLogIn"]["properties"]["items"]["maxItems"] == 8
    assert schemas["PlanIn"]["properties"]["days"]["enum"] == [1, 7]


@pytest.mark.parametrize(("path", "body"), [
    ("/api/auth/signup", {"username": "ab", "password": "bibimbap-at-noon", "display_name": "민지"}),
    ("/api/auth/signup", {"username": "a" * 33, "password": "bibimbap-at-noon", "display_name": "민지"}),
    ("/api/auth/signup", {"username": "min ji", "password": "bibimbap-at-noon", "display_name": "민지"}),
    ("/api/auth/signup", {"username": "minji2", "password": "short-pw1", "display_name": "민지"}),
    ("/api/auth/signup", {"username": "minji2", "password": "bibimbap-at-noon", "display_name": "   "}),
    ("/api/auth/signup", {"username": "minji2", "password": "bibimbap-at-noon", "display_name": "가" * 33}),
])
def test_documented_sign_up_rules_are_enforced(visitor, path, body):
    assert visitor.client.post(path, json=body).status_code == 422


@pytest.mark.parametrize(("method", "path", "body"), [
    ("POST", "/api/chat", {"message": "가" * 2001}),
    ("POST", "/api/chat", {"message": "   "}),
    ("POST", "/api/tokens", {"name": "가" * 65}),
    ("POST", "/api/tokens", {"name": "  "}),
    ("PUT", "/api/preferences", {"kind": "love", "value": "국물"}),
    ("PUT", "/api/preferences", {"kind": "like", "value": "가" * 65}),
    ("POST", "/api/meals", {"meal": "새참", "items": [{"name": "김밥"}]}),
    ("POST", "/api/meals", {"meal": "점심", "items": [{"name": "김밥"}] * 9}),
    ("POST", "/api/meals", {"meal": "점심", "items": [{"name": "김밥", "servings": 20.5}]}),
    ("POST", "/api/plan", {"days": 3}),
    ("POST", "/api/plan", {"variant": 1001}),
    ("POST", "/api/plan", {"kcal_target": 700}),
    ("POST", "/api/plan", {"meals": ["브런치"]}),
    ("POST", "/api/account/password", {"current_password": "bibimbap-at-noon", "new_password": "short"}),
])
def test_documented_rules_are_enforced(minji, method, path, body):
    assert minji.send(method, path, body).status_code == 422
