"""The Host header is never written into a page (issue 17): asset addresses are paths from the site's root."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

FORGED = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}


def _assets(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', html)


def test_pages_do_not_reflect_a_forged_host(visitor, minji):
    for person, path in ((visitor, "/"), (minji, "/chat")):
        response = person.get(path, headers=FORGED)
        assert response.status_code == 200, response.text
        assert "evil.example" not in response.text
        assets = _assets(response.text)
        assert "/static/app.js" in assets and "/static/app.css" in assets
        assert all(url.startswith("/static/") for url in assets if "static" in url), assets


def test_assets_follow_the_proxy_prefix(app):
    client = TestClient(app, root_path="/mechuri")
    page = client.get("/")
    assert page.status_code == 200
    assert "/mechuri/static/app.js" in _assets(page.text)
