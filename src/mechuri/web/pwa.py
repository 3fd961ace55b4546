"""The installable web app: the manifest, the service worker (served from the site's root so its scope is
the whole site) and the offline page it falls back to.

Why the worker caches an offline page only: every screen of mechuri is someone's own data (their chat, meals
and targets), and a cached copy would show stale numbers as if they were current — or show them to the next
person on a shared computer. So pages and the API always go to the network; only when a page cannot be
reached does the worker answer with ``/offline`` (and that page's stylesheet and icon). It is a plain script
file under the app's strict CSP (``script-src 'self'``: no inline code), and so is the page registering it.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

STATIC = Path(__file__).parent / "static"
ICONS: dict[str, tuple[int, bool]] = {
    "icon-192.png": (192, False), "icon-512.png": (512, False), "maskable-512.png": (512, True),
    "apple-touch-icon.png": (180, True),
}
"""The icons under ``static/icons`` (drawn by ``web.icons``): file → (size in pixels, maskable). iOS draws its
own rounded corners, so its icon is full-bleed too."""
THEME = "#9a5529"  # --brand of app.css
BACKGROUND = "#faf6f0"  # --bg of app.css

router = APIRouter(include_in_schema=False)


def manifest() -> dict[str, object]:
    """The Web App Manifest: Korean names, the chat room as the start, the generated icons."""
    icons = [{"src": f"/static/icons/{name}", "sizes": f"{size}x{size}", "type": "image/png",
              "purpose": "maskable" if maskable else "any"}
             for name, (size, maskable) in ICONS.items() if name.startswith(("icon-", "maskable-"))]
    return {"name": "메추리 — 메뉴 추천 챗봇", "short_name": "메추리", "lang": "ko", "dir": "ltr",
            "description": "입맛과 영양을 함께 챙기는 메뉴 추천 챗봇", "id": "/", "start_url": "/chat", "scope": "/",
            "display": "standalone", "background_color": BACKGROUND, "theme_color": THEME, "icons": icons}


@router.get("/manifest.webmanifest")
def get_manifest() -> JSONResponse:
    return JSONResponse(manifest(), media_type="application/manifest+json",
                        headers={"Cache-Control": "no-cache"})


@router.get("/sw.js")
def service_worker() -> Response:
    """The worker script; ``no-cache`` so a new version is picked up on the next visit."""
    return FileResponse(STATIC / "sw.js", media_type="text/javascript",
                        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"})


@router.get("/offline", response_class=HTMLResponse)
def offline(request: Request) -> Response:
    """What the worker shows when a page cannot be reached; it needs no log-in and no script."""
    from mechuri.web.pages import templates  # the one template loader of the web app

    return templates.TemplateResponse(request, "offline.html", {}, headers={"Cache-Control": "no-cache"})
