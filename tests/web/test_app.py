"""The app as a whole: pages, health, headers, the OpenAPI schema, and `mechuri serve`."""

from __future__ import annotations

from typer.testing import CliRunner

from mechuri.cli import app as cli_app
from mechuri.cli.serve import _url

from .conftest import Visitor


def test_health_says_alive_and_ready_reports_the_database(visitor):
    response = visitor.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    ready = visitor.get("/readyz")
    assert ready.status_code == 200 and ready.json()["database"] == "ok"


def test_the_main_screen_explains_mechuri_and_offers_sign_up_and_log_in(visitor):
    page = visitor.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for words in ("메추리", "회원가입", "로그인", 'id="signup-form"', 'id="login-form"', "/static/app.js"):
        assert words in page.text


def test_the_chat_room_is_only_for_logged_in_people(visitor, minji):
    assert visitor.get("/chat", follow_redirects=False).headers["location"] == "/"
    assert minji.get("/", follow_redirects=False).headers["location"] == "/chat"
    room = minji.get("/chat")
    assert room.status_code == 200
    assert f'<meta name="csrf-token" content="{minji.csrf}">' in room.text
    assert room.headers["cache-control"] == "no-store"


def test_a_display_name_is_never_interpreted_as_html(app):
    visitor = Visitor(app)
    assert visitor.signup("hacker", display_name='<img src=x onerror="alert(1)">').status_code == 201
    room = visitor.get("/chat").text
    assert "<img src=x" not in room and "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in room


def test_every_response_carries_security_headers(visitor, minji):
    for response in (visitor.get("/"), minji.get("/api/messages"), visitor.get("/static/app.css")):
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
    assert minji.get("/api/messages").headers["cache-control"] == "no-store"


def test_static_files_are_served_and_the_scripts_never_use_innerhtml(visitor):
    for name in ("app.js", "plan.js", "copy.js", "history.js", "meal-edit.js", "report.js", "share.js", "pwa.js",
                 "sw.js"):
        script = visitor.get(f"/static/{name}")
        assert script.status_code == 200
        assert "innerHTML" not in script.text and "insertAdjacentHTML" not in script.text, name
        assert "outerHTML" not in script.text and "document.write" not in script.text, name
    for name in ("app.js", "plan.js"):
        assert "textContent" in visitor.get(f"/static/{name}").text, name
    assert visitor.get("/static/app.css").status_code == 200


def test_the_openapi_schema_has_every_api_route(visitor):
    paths = visitor.get("/openapi.json").json()["paths"]
    expected = {
        "/api/chat": {"post"}, "/api/chat/stream": {"post"}, "/api/messages": {"get", "delete"},
        "/api/messages/search": {"get"}, "/api/meals/{meal_id}": {"patch"}, "/api/report/week": {"get"},
        "/api/plan/ics": {"post"},
        "/api/preferences": {"get", "put"}, "/api/preferences/{preference_id}": {"delete"},
        "/api/profile": {"get", "put"}, "/api/today": {"get"}, "/api/today/meals/{meal_id}": {"delete"},
        "/api/tokens": {"get", "post"}, "/api/tokens/{token_id}": {"delete"},
        "/api/plan": {"post"}, "/api/meals": {"post"},
        "/api/auth/signup": {"post"}, "/api/auth/login": {"post"}, "/api/auth/logout": {"post"},
        "/api/auth/me": {"get"}, "/healthz": {"get"}, "/v1/chat/completions": {"post"}, "/v1/models": {"get"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) == methods, path
    assert "/" not in paths and "/chat" not in paths and "/sw.js" not in paths
    turn = paths["/api/chat"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert turn["$ref"].endswith("/Turn")
    plan = paths["/api/plan"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert plan["$ref"].endswith("/PlanOut")


def test_serve_is_a_command_with_host_port_and_workers():
    result = CliRunner().invoke(cli_app, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--workers", "--db", "--forwarded-allow-ips"):
        assert option in result.output
    assert _url("0.0.0.0", 8000) == "http://127.0.0.1:8000"
    assert _url("::1", 9000) == "http://[::1]:9000"
    assert _url("localhost", 80) == "http://localhost:80"
