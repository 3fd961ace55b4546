"""schemathesis over the whole API, logged in, on SQLite and PostgreSQL (issue 17): no request it makes up
may get a 500, and every answer must be one the OpenAPI schema lists, in the shape it gives.

The app is the real one in-process (real dialogue manager, real database; only the reply writer is the
instant scripted one). Each operation gets ``EXAMPLES`` generated requests, valid and invalid ones; the
browser session and its CSRF token go on ``/api``, an API token on ``/v1``. Log-out gets a session of its
own, so that ending it does not log the rest of the run out.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402  (schemathesis brings hypothesis)
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.generation import GenerationMode  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .conftest import Visitor  # noqa: E402

EXAMPLES = 12
"""Generated requests per operation: about a minute for the whole API on each database."""
NEEDS_REAL_DATA = {
    "DELETE /api/account", "POST /api/account/password", "POST /api/auth/login",  # the real password
    "DELETE /api/today/meals/{meal_id}", "DELETE /api/tokens/{token_id}",  # an id that exists
    "PATCH /api/meals/{meal_id}",
    "POST /api/plan/ics",  # a plan whose meals are dishes of the food table
    "POST /api/feedback", "POST /api/meals", "PUT /api/preferences",  # a dish or a value of the food table
    "POST /api/auth/signup",  # a password off the common lists, within the address's sign-up limit
    "POST /v1/chat/completions",  # a message list whose last turn is the user's
}
"""Operations made-up requests cannot pass (their failures are still checked for 500s and the schema)."""
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@dataclass
class Credentials:
    cookie: str
    csrf: str
    logout_cookie: str
    logout_csrf: str
    token: str

    def sign(self, case) -> dict[str, str]:
        """Put this run's credentials on ``case`` (replacing whatever the schema's security schemes made it
        generate) and return the headers to send."""
        case.cookies = {}
        if case.path.startswith("/v1/"):
            return {"Authorization": f"Bearer {self.token}"}
        logout = case.path == "/api/auth/logout"
        case.cookies["mechuri_session"] = self.logout_cookie if logout else self.cookie
        return {"X-CSRF-Token": self.logout_csrf if logout else self.csrf}


@pytest.fixture
def credentials(app) -> Credentials:
    """The browser session of 「fuzzer」, a second one for log-out, and an API token of another person (made
    first, so id 1 — a value Hypothesis always tries — is not one the session can revoke)."""
    robot = Visitor(app)
    assert robot.signup("openai-client", display_name="클라이언트").status_code == 201
    token = robot.post("/api/tokens", {"name": "fuzz"}).json()["token"]
    person = Visitor(app)
    assert person.signup("fuzzer", display_name="퍼저").status_code == 201
    person.say("새우 알레르기 있어")
    person.say("점심 추천해줘")
    other = Visitor(app)
    assert other.login("fuzzer").status_code == 200
    return Credentials(cookie=person.client.cookies["mechuri_session"], csrf=person.csrf,
                       logout_cookie=other.client.cookies["mechuri_session"], logout_csrf=other.csrf, token=token)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_request_gets_a_server_error(app, credentials, mode):
    """Every operation, ``EXAMPLES`` requests each that fit the schema (positive) or break it (negative);
    the failures of all operations are reported together. Positive requests must really get through
    (logged in, accepted) on most operations, or the run would prove nothing."""
    api = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: dict[str, str] = {}
    succeeded: set[str] = set()
    labels: list[str] = []
    for result in api.get_all_operations():
        operation = result.ok()
        labels.append(operation.label)

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
                  derandomize=True, database=None)
        def run(case) -> None:
            response = case.call_and_validate(headers=credentials.sign(case), checks=CHECKS)
            if response.status_code < 300:
                succeeded.add(case.operation.label)

        try:
            run()
        except Unsatisfiable:  # negative mode, and nothing to break: no parameters, no body
            assert mode is GenerationMode.NEGATIVE, operation.label
        except Exception as failure:  # keep going: one report for the whole API
            failures[operation.label] = str(failure)[:2000]
    assert len(labels) >= 25
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
    if mode is GenerationMode.POSITIVE:
        missed = set(labels) - succeeded - NEEDS_REAL_DATA
        assert not missed, f"never accepted: {', '.join(sorted(missed))}"
