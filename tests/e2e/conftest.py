"""A real server and a real browser: uvicorn on a loopback port, Debian's Chromium driven by Playwright.

The app is the shipped one (``create_app`` with the real dialogue manager) on a fresh SQLite file. The
browser is Debian's ``/usr/bin/chromium`` — Playwright never downloads one when given its path — and
these tests skip, saying why, only when that browser or the ``playwright`` package is missing
(``make test`` installs both).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from mechuri.config import Settings

CHROMIUM = os.environ.get("MECHURI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """The base URL of the real app, served by uvicorn in a background thread."""
    import uvicorn

    from mechuri.web import create_app

    folder = tmp_path_factory.mktemp("e2e")
    # every test signs up its own person from 127.0.0.1: room for all of them under the per-address limit
    settings = Settings(database_url=f"sqlite:///{folder / 'mechuri.db'}", data_dir=folder, signup_limit_per_ip=50)
    app = create_app(settings)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the web server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=15)


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


@pytest.fixture
def page(browser):
    """A fresh browser profile (no cookies) at a laptop's size, speaking Korean, on Seoul time."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ko-KR",
                                  timezone_id="Asia/Seoul")
    context.set_default_timeout(15_000)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs  # an alert() would mean some text ran as script
    yield page
    context.close()


@pytest.fixture
def screenshot(tmp_path):
    """Save a screenshot; into docs/screenshots/ too when MECHURI_SCREENSHOTS=1 (to refresh the README's)."""

    def take(page, name: str, **options) -> Path:
        path = tmp_path / f"{name}.png"
        page.screenshot(path=str(path), **options)
        if os.environ.get("MECHURI_SCREENSHOTS") == "1":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, SCREENSHOTS / f"{name}.png")
        return path

    return take
