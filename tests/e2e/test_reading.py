"""Issue 16, item 13: numbers, dates and words read the same everywhere — one way to write an amount on
the server and in the page, one date style, no formula names, and a macro bar that explains its colours."""

from __future__ import annotations

import re

from test_accessibility import CONTRAST_JS
from test_browser import say, sign_up

from mechuri.units import amount, amount_range

VALUES = [0, 0.04, 0.05, 0.15, 2.25, 12.5, 12.25, 79, 79.04, 79.05, 189.8, 224.2, 999.95, 1234.5, 2392.5,
          1800.4, 100000.25]


def test_the_page_writes_amounts_exactly_as_the_server_does(page, server):
    """One formatter in two languages: mechuri.units and app.js agree on every value, ties included."""
    page.goto(server + "/")
    for unit in ("g", "kcal", "mg"):
        shown = page.evaluate("([values, unit]) => values.map((v) => amount(v, unit))", [VALUES, unit])
        assert shown == [amount(v, unit) for v in VALUES], unit
    pairs = [(189.8, 224.2), (189.5, 224.5), (0, 2300), (1999.6, 2000.4)]
    shown = page.evaluate("pairs => pairs.map(([lo, hi]) => amountRange(lo, hi, 'g'))", pairs)
    assert shown == [amount_range(lo, hi, "g") for lo, hi in pairs] == ["190–224g", "190–225g", "0–2,300g", "2,000g"]
    assert amount(12.5, "g") == "12.5g" and amount(79, "g") == "79g" and amount(2392.5, "mg") == "2,393mg"


def test_cards_panel_and_plan_write_numbers_dates_and_targets_one_way(page, server):
    sign_up(page, server, "reading_one_way")
    say(page, "점심 추천해줘")
    card = page.locator("#messages .card").first
    texts = [card.locator(".kcal").inner_text(), card.locator(".serving").inner_text(),
             *card.locator(".legend").all_inner_texts()]
    for text in texts:  # 「79g」, 「1,200mg」, 「680kcal」: the unit touches its number, nowhere 「79 g」
        assert not re.search(r"\d (g|mg|kcal)\b", text), text
    # the macro bar has a legend: a swatch per part, in the colour of its part of the bar
    legend = card.locator(".macro-legend")
    assert [k.split(" ")[0] for k in legend.locator(".key").all_inner_texts()] == ["탄수화물", "단백질", "지방"]
    colours = page.evaluate("""card => ['carb', 'protein', 'fat'].map((part) => [
        getComputedStyle(card.querySelector('.bar .' + part)).backgroundColor,
        getComputedStyle(card.querySelector('.swatch.' + part)).backgroundColor])""", card.element_handle())
    assert all(bar == swatch for bar, swatch in colours), colours
    # …and fat is not the red that means "over the target"
    over = page.evaluate("() => { const n = document.createElement('span'); n.className = 'fill over'; "
                         "document.querySelector('.track, body').append(n); "
                         "const c = getComputedStyle(n).backgroundColor; n.remove(); return c; }")
    page.evaluate(CONTRAST_JS)
    fat = colours[2][0]
    assert fat != over and page.evaluate("([a, b]) => window.a11y.ratio(window.a11y.rgb(a), window.a11y.rgb(b))",
                                         [fat, over]) > 1.2

    # profile targets: said plainly, ranges whole at both ends, as the today chart writes them
    page.get_by_role("tab", name="프로필").click()
    form = page.locator("#profile-form")
    form.get_by_label("성별").select_option("M")
    form.get_by_label("출생 연도").fill("1990")
    form.get_by_label("키 (cm)").fill("175")
    form.get_by_label("몸무게 (kg)").fill("70")
    form.get_by_label("활동량").select_option("active")
    form.get_by_role("button", name="저장").click()
    targets = page.locator("#targets")
    targets.filter(has_text="활동량 ‘활동적이에요’ 기준").wait_for()
    assert not re.search(r"Mifflin|St Jeor|활동계수|KDRI|\d\.\d{3}", targets.inner_text())
    ranges = re.findall(r"\d[\d,]*–[\d,]+g", targets.inner_text())
    assert len(ranges) == 3 and not re.search(r"\d\.\d", " ".join(ranges)), targets.inner_text()
    page.get_by_role("tab", name="오늘").click()
    carb_range = ranges[0]
    assert carb_range in page.locator('#today-chart [data-nutrient="carbohydrate_g"] .nums').inner_text()

    # one date style: the today tab and a planned day both say 「12월 5일 (토)」
    date = re.compile(r"\d{1,2}월 \d{1,2}일 \([월화수목금토일]\)")
    assert date.search(page.locator("#today-day").inner_text())
    assert not re.search(r"\d{4}-\d{2}-\d{2}", page.locator("#today-day").inner_text())
    page.get_by_role("tab", name="식단").click()
    with page.expect_response("**/api/plan"):
        page.get_by_role("button", name="식단 짜기").click()
    day = page.locator("#plan-result .plan-day").first
    day.wait_for()
    assert date.search(day.locator("h4").inner_text())
    assert date.search(page.locator("#today-day").inner_text()).group() in day.locator("h4").inner_text()
    basis = page.locator("#plan-result > .legend").inner_text()
    assert basis.startswith("목표 근거:") and "Mifflin" not in basis and "활동적이에요" in basis
    for text in day.locator(".macros, .serving, .nums, .kcal").all_inner_texts():
        assert not re.search(r"\d (g|mg|kcal)\b", text), text
