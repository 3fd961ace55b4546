"""`mechuri serve`, the README's run command: it prints the URL and serves the app, with several workers."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx

from .live_server import free_port, wait_until_healthy


def test_serve_prints_the_url_and_two_workers_share_sessions_and_history(tmp_path):
    port = free_port()
    env = {**os.environ, "MECHURI_DATA_DIR": str(tmp_path)}
    env.pop("MECHURI_DATABASE_URL", None)  # the embedded default: a SQLite file in the data dir
    server = subprocess.Popen([sys.executable, "-m", "mechuri", "serve", "--port", str(port), "--workers", "2",
                               "--log-level", "warning"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        first_line = server.stdout.readline()
        assert f"http://127.0.0.1:{port}" in first_line
        assert "mechuri.db" in server.stdout.readline() and (tmp_path / "mechuri.db").exists()
        base = f"http://127.0.0.1:{port}"
        wait_until_healthy(base, server, 90)
        with httpx.Client(base_url=base, timeout=60) as browser:
            signup = browser.post("/api/auth/signup", json={"username": "serve_user", "password": "a-long-password",
                                                            "display_name": "서브"})
            assert signup.status_code == 201
            csrf = {"X-CSRF-Token": signup.json()["csrf_token"]}
            # fresh connections, so the requests are spread over both workers
            for text in ("점심 추천해줘", "다른 거", "김치찌개 칼로리 알려줘", "아침 추천"):
                with httpx.Client(base_url=base, timeout=60, cookies=browser.cookies) as once:
                    assert once.post("/api/chat", json={"message": text}, headers=csrf).status_code == 200
            history = browser.get("/api/messages").json()["messages"]
            assert [m["content"] for m in history if m["role"] == "user"] == [
                "점심 추천해줘", "다른 거", "김치찌개 칼로리 알려줘", "아침 추천"]
    finally:
        server.terminate()
        server.wait(timeout=30)
