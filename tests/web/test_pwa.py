"""The installable app: a valid manifest whose icons exist at their stated sizes, the service worker served
from the root under the strict CSP, the offline page without a log-in, and icons that are exactly what
``mechuri.web.icons`` draws."""

from __future__ import annotations

import struct

from mechuri.web.icons import ICONS_DIR, render_icon
from mechuri.web.pwa import ICONS


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_the_manifest_names_the_app_and_its_icons_exist_at_their_sizes(visitor):
    response = visitor.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = response.json()
    assert (manifest["short_name"], manifest["lang"], manifest["start_url"], manifest["display"]) == (
        "메추리", "ko", "/chat", "standalone")
    purposes = {icon["purpose"] for icon in manifest["icons"]}
    assert purposes == {"any", "maskable"}
    sizes = {icon["sizes"] for icon in manifest["icons"] if icon["purpose"] == "any"}
    assert {"192x192", "512x512"} <= sizes  # what browsers require to offer installing
    for icon in manifest["icons"]:
        served = visitor.get(icon["src"])
        assert served.status_code == 200 and served.headers["content-type"] == "image/png"
        width, height = _png_size(served.content)
        assert f"{width}x{height}" == icon["sizes"]


def test_every_page_links_the_manifest_and_registers_the_worker_from_a_file(visitor, minji):
    for person, path in ((visitor, "/"), (minji, "/chat")):
        html = person.get(path).text
        assert '<link rel="manifest" href="/manifest.webmanifest">' in html
        assert "/static/pwa.js" in html and "<script>" not in html  # no inline script under the CSP


def test_the_worker_is_served_from_the_root_and_never_stores_the_api(visitor):
    response = visitor.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cache-control"] == "no-cache"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    script = response.text
    assert "/api" not in script  # no rule is about the API (the browser test checks what is cached)
    assert "cache.put" not in script  # nothing is stored beyond the install-time offline assets


def test_the_offline_page_needs_no_login_and_no_script(visitor):
    response = visitor.get("/offline")
    assert response.status_code == 200
    assert "지금은 오프라인이에요" in response.text
    assert "<script" not in response.text


def test_the_checked_in_icons_are_what_the_generator_draws():
    size, maskable = ICONS["icon-192.png"]
    assert (ICONS_DIR / "icon-192.png").read_bytes() == render_icon(size, maskable)
    for name, (size, _maskable) in ICONS.items():
        assert _png_size((ICONS_DIR / name).read_bytes()) == (size, size)
