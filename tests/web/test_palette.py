"""The colours of the pages, read from the stylesheets themselves: one light set (app.css), one dark set
(dark.css) with the same names, and WCAG 2.2 1.4.11 for what axe does not measure — every non-text part of
the interface a person must see (a field's border, the focus ring, a selected tab's fill, a chart's bars)
at 3:1 or more against what it sits on, in both themes. axe checks the text (4.5:1) in the browser tests;
``test_accessibility.py`` measures the rendered borders and ring of the controls on the screen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "src" / "mechuri" / "web" / "static"
APP_CSS = (STATIC / "app.css").read_text()
DARK_CSS = (STATIC / "dark.css").read_text()
COLOUR = re.compile(r"#[0-9a-f]{6}|rgba\([^)]*\)")
Colour = tuple[float, float, float, float]
"""Red, green, blue (0–255) and alpha (0–1)."""


def root_properties(css: str) -> dict[str, str]:
    """The custom properties of the first ``:root { … }`` rule (comments dropped)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    body = re.search(r":root\s*\{(.*?)\}", css, flags=re.S)
    assert body, "no :root rule"
    return dict(re.findall(r"--([\w-]+)\s*:\s*([^;]+);", body.group(1)))


LIGHT = root_properties(APP_CSS)
DARK = {**LIGHT, **root_properties(DARK_CSS)}  # dark.css applies over app.css's :root


def colours(props: dict[str, str]) -> dict[str, str]:
    return {name: value.strip() for name, value in props.items() if COLOUR.fullmatch(value.strip())}


def rgba(value: str) -> Colour:
    if value.startswith("#"):
        return (int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16), 1.0)
    r, g, b, a = (float(part) for part in value[5:-1].split(","))
    return (r, g, b, a)


def over(top: Colour, below: Colour) -> Colour:
    """``top`` painted on an opaque ``below`` (alpha compositing)."""
    a = top[3]
    return (*(top[i] * a + below[i] * (1 - a) for i in range(3)), 1.0)


def luminance(colour: Colour) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = colour[:3]
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def ratio(a: Colour, b: Colour) -> float:
    """WCAG 2.2's contrast ratio of two opaque colours."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# (what is drawn, on what, where): each a non-text part a person must see to use or read the page. The
# backgrounds are the ones the rule in app.css / features.css puts it on.
UI_PARTS: list[tuple[str, tuple[str, ...], str]] = [
    ("control", ("bg", "surface"), "the border of every field, select, ghost button, tab and segment"),
    ("focus", ("bg", "surface"), "the 3 px focus ring (outside the control, on what is behind it)"),
    ("brand", ("bg", "surface"), "a primary button; the fill of a selected tab, segment and 👍; a chip's border"),
    ("over", ("bg", "surface"), "the 삭제 button and an allergy badge"),
    ("ok", ("surface", "track"), "a logged meal's ✓ border; the target band's edges and a bar inside it"),
    ("over", ("track",), "a bar over its target (오늘, a planned day)"),
    ("carb", ("track", "surface"), "carbohydrate in the macro bar; a bar with no band reached (오늘); an under day"),
    ("protein", ("track", "surface"), "protein in the macro bar and its legend swatch"),
    ("fat", ("track", "surface"), "fat in the macro bar and its legend swatch"),
    ("sodium", ("track",), "sodium in a card's bar"),
]
REPORT_BARS = ("ok", "over", "carb")
"""The 주간 chart's bars (in the band, over, under): drawn on the panel and over the target band, which is
``--ok`` at 16 % opacity (features.css ``.target-band``)."""
THEMES = {"light": LIGHT, "dark": DARK}


def test_the_dark_colours_are_written_once_and_cover_every_colour_of_the_light_set():
    """One source of truth: app.css holds the light set only, dark.css the dark set with the same names (a
    colour missing there would stay light in the dark theme)."""
    rules = re.sub(r"/\*.*?\*/", "", APP_CSS, flags=re.S)
    assert "prefers-color-scheme" not in rules and "data-theme" not in rules
    assert len(re.findall(r":root\b", rules)) == 1
    assert set(colours(root_properties(DARK_CSS))) == set(colours(LIGHT))
    assert "color-scheme: dark" in DARK_CSS


@pytest.mark.parametrize("theme", THEMES)
def test_every_ui_part_is_at_least_3_to_1_against_what_it_sits_on(theme):
    palette = THEMES[theme]
    low = []
    for part, backgrounds, where in UI_PARTS:
        for background in backgrounds:
            found = ratio(rgba(palette[part]), rgba(palette[background]))
            if found < 3:
                low.append(f"--{part} on --{background}: {found:.2f}:1 ({where})")
    band = over((*rgba(palette["ok"])[:3], 0.16), rgba(palette["surface"]))
    for bar in REPORT_BARS:
        for background, colour in (("surface", rgba(palette["surface"])), ("the target band", band)):
            found = ratio(rgba(palette[bar]), colour)
            if found < 3:
                low.append(f"주간 bar --{bar} on {background}: {found:.2f}:1")
    assert low == [], "\n".join(low)


@pytest.mark.parametrize("theme", THEMES)
def test_text_colours_are_at_least_4_5_to_1_on_every_surface(theme):
    """What axe checks in the pages, checked for every pairing the stylesheets use, including states the
    browser tests may not reach. --raised is under code and the muted badges only."""
    palette = THEMES[theme]
    pairs = [(ink, surface) for ink in ("ink", "muted") for surface in ("bg", "surface", "raised")]
    pairs += [(ink, surface) for ink in ("brand", "ok", "over") for surface in ("bg", "surface")]  # never on --raised
    pairs += [("on-brand", "brand"), ("on-over", "over"), ("ink", "diet-bg"), ("ink", "problem-bg"), ("ink", "note-bg")]
    low = [f"--{ink} on --{surface}: {ratio(rgba(palette[ink]), rgba(palette[surface])):.2f}:1"
           for ink, surface in pairs if ratio(rgba(palette[ink]), rgba(palette[surface])) < 4.5]
    assert low == [], "\n".join(low)


def test_the_contrast_ratio_is_wcags():
    assert ratio(rgba("#000000"), rgba("#ffffff")) == pytest.approx(21.0)
    assert ratio(rgba("#767676"), rgba("#ffffff")) == pytest.approx(4.54, abs=0.01)
    assert over((0, 0, 0, 0.5), (255, 255, 255, 1.0))[:3] == (127.5, 127.5, 127.5)
