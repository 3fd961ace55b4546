"""A real server and a real browser: uvicorn on a loopback port, Debian's Chromium driven by Playwright.

The app is the shipped one (``create_app`` with the real dialogue manager), and every test runs twice:
on a fresh SQLite file, then on a fresh PostgreSQL schema when PostgreSQL runs at 127.0.0.1:5432 (the
second run skips, saying so, where it does not). The browser is Debian's ``/usr/bin/chromium`` —
Playwright never downloads one when given its path — and these tests skip, saying why, only when that
browser or the ``playwright`` package is missing (``make test`` installs both).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import axe_check as axe_core
import pytest

from mechuri.config import Settings
from postgres_schema import POSTGRES_ABSENT, fresh_postgres_schema, postgres_available

CHROMIUM = os.environ.get("MECHURI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


DATABASES = ("sqlite", pytest.param("postgresql", marks=pytest.mark.postgres))
"""Every browser test runs twice: against the server on a SQLite file, then on PostgreSQL. The second run
costs about what the first does (84 s on two cores), little enough that no test is left out."""


@contextmanager
def _database(kind: str, folder: Path) -> Iterator[str]:
    """The URL of a fresh database of ``kind``: a new SQLite file, or a new PostgreSQL schema dropped after
    the module (skipped, saying why, where PostgreSQL is not running)."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'mechuri.db'}"
        return
    if not postgres_available():
        pytest.skip(POSTGRES_ABSENT)
    with fresh_postgres_schema() as url:
        yield url


@pytest.fixture(scope="module", params=DATABASES)
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of the real app on a fresh database (``request.param``: sqlite or postgresql), served
    by uvicorn in a background thread."""
    import uvicorn

    from mechuri.web import create_app

    folder = tmp_path_factory.mktemp(f"e2e-{request.param}")
    with _database(request.param, folder) as url:
        # every test signs up its own person from 127.0.0.1: room for all of them under the per-address limit
        settings = Settings(database_url=url, data_dir=folder, signup_limit_per_ip=50)
        app = create_app(settings)
        port = _free_port()
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        try:
            deadline = time.monotonic() + 30
            while not server.started:
                if time.monotonic() > deadline or not thread.is_alive():
                    pytest.fail("the web server did not start")
                time.sleep(0.05)
            yield f"http://127.0.0.1:{port}"
        finally:
            server.should_exit = True
            thread.join(timeout=15)
            # every pooled connection closed before the schema is dropped (an open one would hold it up)
            app.state.mechuri.executor.shutdown(wait=True)
            app.state.mechuri.db.dispose()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium under Playwright (skipped only when it cannot be had)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
    if not (os.access(CHROMIUM, os.X_OK) or shutil.which(CHROMIUM)):
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_js() -> str | None:
    """axe-core's script (``make test`` installs it with npm), or None where it is not installed."""
    return axe_core.axe_source()


@pytest.fixture
def axe(axe_js):
    """``axe(page, state)``: fail on any serious or critical WCAG 2.2 A/AA problem in the page as it is now.

    Where axe-core is not installed this checks nothing; ``test_accessibility`` skips there, saying why,
    so a missing install is visible."""

    def check(page, state: str) -> None:
        if axe_js is None:
            return
        found = axe_core.serious(axe_core.violations(page, axe_js))
        assert not found, axe_core.report(state, found)

    return check


@pytest.fixture
def page(browser, axe, request):
    """A fresh browser profile (no cookies) at a laptop's size, speaking Korean, on Seoul time.

    The state a test ends in is checked with axe as well (a test that fails already is not checked again)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ko-KR",
                                  timezone_id="Asia/Seoul")
    context.set_default_timeout(15_000)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs  # an alert() would mean some text ran as script
    yield page
    try:
        failed = getattr(request.node, "call_failed", False)
        if not failed and not page.is_closed():
            axe(page, f"end of {request.node.name}")
    finally:
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember on the test item whether its body failed, so that ``page`` checks only a passing test's
    last state with axe."""
    report = yield
    if report.when == "call" and report.failed:
        item.call_failed = True
    return report


@pytest.fixture
def screenshot(tmp_path, axe):
    """Save a screenshot; into docs/screenshots/ too when MECHURI_SCREENSHOTS=1 (to refresh the README's).
    Each state worth a screenshot is checked with axe first."""

    def take(page, name: str, **options) -> Path:
        axe(page, name)
        path = tmp_path / f"{name}.png"
        page.screenshot(path=str(path), **options)
        if os.environ.get("MECHURI_SCREENSHOTS") == "1":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, SCREENSHOTS / f"{name}.png")
        return path

    return take
