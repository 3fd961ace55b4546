"""The app's PNG icons (installable web app, home screens), drawn from the favicon's shapes in pure Python.

Why drawn here instead of exported from an editor: the icons stay the favicon's quail (``static/favicon.svg``:
the same ellipse, circles, beak and wing, in its 64-unit grid), need no image library, and a test proves the
checked-in files are exactly what this module draws, so they cannot drift from it. Each shape is painted with
a one-pixel anti-aliased edge (coverage from its signed distance). ``python -m mechuri.web.icons`` rewrites them.

A "maskable" icon fills the whole square with the background and keeps the quail inside the central safe
circle (80 % of the size), because launchers cut it to their own shape.
"""

from __future__ import annotations

import itertools
import math
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

from mechuri.web.pwa import ICONS

ICONS_DIR = Path(__file__).parent / "static" / "icons"

BACKGROUND = (0xFA, 0xF6, 0xF0)  # --bg of app.css
BODY = (0xB0, 0x7A, 0x4F)
HEAD = (0xC9, 0x8F, 0x5E)
EYE = (0x22, 0x22, 0x22)
BEAK = (0xF2, 0xA3, 0x3A)
MARKS = (0x7A, 0x4F, 0x2E)

Rgb = tuple[int, int, int]
Distance = Callable[[float, float], float]
"""Signed distance from a point to a shape's edge, in grid units (negative inside)."""


def _circle(cx: float, cy: float, r: float) -> Distance:
    return lambda x, y: math.hypot(x - cx, y - cy) - r


def _ellipse(cx: float, cy: float, rx: float, ry: float) -> Distance:
    def distance(x: float, y: float) -> float:
        k = math.hypot((x - cx) / rx, (y - cy) / ry)
        return (k - 1.0) * min(rx, ry)  # exact on the axes, close enough at the edge elsewhere
    return distance


def _segment(px: float, py: float, ax: float, ay: float, bx: float, by: float) -> float:
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def _triangle(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> Distance:
    corners = (a, b, c)

    def distance(x: float, y: float) -> float:
        edge = min(_segment(x, y, *corners[i], *corners[(i + 1) % 3]) for i in range(3))
        signs = [(q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0])
                 for p, q in zip(corners, corners[1:] + corners[:1], strict=True)]
        inside = all(s >= 0 for s in signs) or all(s <= 0 for s in signs)
        return -edge if inside else edge
    return distance


def _stroke(points: list[tuple[float, float]], width: float) -> Distance:
    pairs = list(itertools.pairwise(points))
    return lambda x, y: min(_segment(x, y, *a, *b) for a, b in pairs) - width / 2


def _wing() -> list[tuple[float, float]]:
    """The favicon's wing, ``M18 36 c6-2 12-2 16 2``: a cubic Bézier, sampled."""
    p0, p1, p2, p3 = (18, 36), (24, 34), (30, 34), (34, 38)
    points = []
    for i in range(17):
        t = i / 16
        u = 1 - t
        points.append(tuple(u**3 * p0[k] + 3 * u * u * t * p1[k] + 3 * u * t * t * p2[k] + t**3 * p3[k]
                            for k in range(2)))
    return points  # type: ignore[return-value]


SHAPES: list[tuple[Distance, Rgb, tuple[float, float, float, float]]] = [
    (_ellipse(32, 38, 22, 18), BODY, (10, 20, 54, 56)),
    (_circle(42, 24, 12), HEAD, (30, 12, 54, 36)),
    (_circle(46, 22, 2.5), EYE, (43, 19, 49, 25)),
    (_triangle((54, 25), (62, 28), (54, 30)), BEAK, (53, 24, 63, 31)),
    (_stroke(_wing(), 3), MARKS, (16, 32, 36, 40)),
    (_circle(24, 44, 2), MARKS, (21, 41, 27, 47)),
    (_circle(32, 47, 2), MARKS, (29, 44, 35, 50)),
]
"""The favicon's shapes in its 64-unit grid, in painting order, each with its bounding box."""


def _rounded_square(size: int, radius: float) -> Distance:
    half = size / 2

    def distance(x: float, y: float) -> float:
        qx, qy = abs(x - half) - (half - radius), abs(y - half) - (half - radius)
        return math.hypot(max(qx, 0.0), max(qy, 0.0)) + min(max(qx, qy), 0.0) - radius
    return distance


def render_icon(size: int, maskable: bool = False) -> bytes:
    """The icon as PNG bytes (RGBA, deterministic: the same bytes on every run)."""
    pixels = [[0.0, 0.0, 0.0, 0.0] for _ in range(size * size)]  # premultiplied RGBA, 0–1

    def paint(distance: Distance, colour: Rgb, box: tuple[float, float, float, float], unit: float,
              offset: float) -> None:
        x0, y0, x1, y1 = box
        for py in range(max(0, int(offset + y0 * unit) - 1), min(size, int(offset + y1 * unit) + 2)):
            for px in range(max(0, int(offset + x0 * unit) - 1), min(size, int(offset + x1 * unit) + 2)):
                d = distance((px + 0.5 - offset) / unit, (py + 0.5 - offset) / unit) * unit
                alpha = min(1.0, max(0.0, 0.5 - d))
                if alpha:
                    cell = pixels[py * size + px]
                    for k in range(3):
                        cell[k] = colour[k] / 255 * alpha + cell[k] * (1 - alpha)
                    cell[3] = alpha + cell[3] * (1 - alpha)

    background = (lambda _x, _y: -1.0) if maskable else _rounded_square(size, size * 0.22)
    paint(background, BACKGROUND, (0, 0, size, size), 1.0, 0.0)
    art = size * (0.62 if maskable else 0.84)  # the quail's 64-unit grid, centred
    unit = art / 64
    offset = (size - art) / 2
    for distance, colour, box in SHAPES:
        paint(distance, colour, box, unit, offset)
    rows = bytearray()
    for y in range(size):
        rows.append(0)  # PNG filter: none
        for r, g, b, a in pixels[y * size:(y + 1) * size]:  # premultiplied back to straight alpha
            rows += bytes((round(r / a * 255), round(g / a * 255), round(b / a * 255), round(a * 255)) if a else (0, 0, 0, 0))
    return _png(size, bytes(rows))


def _png(size: int, raw: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def main() -> None:
    """Rewrite every icon under ``static/icons``."""
    ICONS_DIR.mkdir(parents=True, exist_ok=True)
    for name, (size, maskable) in ICONS.items():
        (ICONS_DIR / name).write_bytes(render_icon(size, maskable))
        print(ICONS_DIR / name)


if __name__ == "__main__":
    main()
