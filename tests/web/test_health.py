"""Health and database outages (issue 17, item 4): /healthz says the process is alive, /readyz that the
database can be read *and written* and the reply writer is loaded; a database that is down or read-only
is a 503 with Retry-After on every route, and a clear one-paragraph error at start-up."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from mechuri.cli import app as cli_app
from mechuri.config import get_settings
from mechuri.db import Database
from mechuri.db.session import create_db_engine
from mechuri.web import create_app

from .conftest import PASSWORD, Visitor

DEAD_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:1/nothing"


def _read_only_url(url: str) -> str:
    """The same (already migrated) database, opened so that every write fails."""
    if url.startswith("sqlite"):
        return f"sqlite:///file:{make_url(url).database}?mode=ro&uri=true"
    return url + "%20-cdefault_transaction_read_only%3Don"


def _assert_unavailable(response) -> None:
    assert response.status_code == 503, (response.status_code, response.text)
    assert int(response.headers["Retry-After"]) > 0
    assert response.json()["error"]["code"] == "database_unavailable"
    assert "데이터베이스" in response.json()["error"]["message"]


def test_healthz_is_alive_and_readyz_checks_the_database_and_the_writer(visitor):
    assert visitor.get("/healthz").json() == {"status": "ok"}
    ready = visitor.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "database": "ok", "writer": "scripted"}


def test_a_database_that_goes_down_is_a_503_with_retry_after_everywhere(minji, app):
    db = app.state.mechuri.db
    assert minji.get("/readyz").status_code == 200
    dead = create_db_engine(DEAD_POSTGRES)
    db.engine.dispose()
    db.engine = dead
    db._sessions.configure(bind=dead)
    assert minji.get("/healthz").status_code == 200  # alive: restarting it would not help
    _assert_unavailable(minji.get("/readyz"))
    _assert_unavailable(minji.get("/api/preferences"))
    _assert_unavailable(minji.put("/api/preferences", {"kind": "like", "value": "김치찌개"}))
    _assert_unavailable(Visitor(app).login("minji", PASSWORD))
    _assert_unavailable(Visitor(app).signup("junho"))


def test_a_read_only_database_is_a_503_on_writes_and_readyz(settings, dialogue, web_db, minji):
    read_only = create_app(settings.model_copy(update={"database_url": _read_only_url(settings.database_url)}),
                           dialogue=dialogue)
    try:
        person = Visitor(read_only)
        assert person.get("/healthz").status_code == 200
        _assert_unavailable(person.get("/readyz"))
        _assert_unavailable(person.signup("junho"))
        _assert_unavailable(person.login("minji", PASSWORD))
    finally:
        read_only.state.mechuri.executor.shutdown()
        read_only.state.mechuri.db.dispose()


@pytest.fixture
def clean_settings(monkeypatch):
    monkeypatch.delenv("MECHURI_DATABASE_URL", raising=False)
    monkeypatch.setenv("MECHURI_DATABASE_URL", "sqlite://")  # serve sets it; monkeypatch puts it back
    yield
    get_settings.cache_clear()


def _assert_one_paragraph(result) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "데이터베이스" in result.output
    assert len([line for line in result.output.splitlines() if line.strip()]) <= 3, result.output


def test_serve_on_an_unreachable_database_says_so_in_one_paragraph(clean_settings):
    result = CliRunner().invoke(cli_app, ["serve", "--db", DEAD_POSTGRES])
    _assert_one_paragraph(result)
    assert "127.0.0.1:1" in result.output


def test_serve_on_a_read_only_sqlite_file_says_so_in_one_paragraph(clean_settings, tmp_path):
    url = f"sqlite:///{tmp_path / 'mechuri.db'}"
    Database(url).dispose()
    result = CliRunner().invoke(cli_app, ["serve", "--db", _read_only_url(url)])
    _assert_one_paragraph(result)
    assert "readonly" in result.output or "읽기 전용" in result.output


def test_a_working_database_passes_the_start_up_check(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'ok.db'}")
    try:
        database.probe()
    finally:
        database.dispose()

