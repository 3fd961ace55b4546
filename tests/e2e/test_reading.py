"""Issue 16, item 13: numbers, dates and words read the same everywhere — one way to write an amount on
the server and in the page, one date style, no formula names, and a macro bar that explains its colours."""

from __future__ import annotations

import re

from test_accessibility import CONTRAST_JS, log_meal
from test_browser import say, sign_up

from mechuri.units import amount, amount_number, amount_range

SPACED_UNIT = re.compile(r"\d (?:g|mg|kcal)(?![a-z])")
"""An amount with a space before its unit (「57.5 g」): the way the share text and the report used to write."""

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
    # the parts are apart, each meeting only the track (3:1 against it, test_palette.py): side by side the
    # three colours differ in hue, not by 3:1 in lightness (WCAG 1.4.11 asks it of neighbouring parts)
    gaps = page.evaluate("""card => [...card.querySelectorAll('.bar')].flatMap((bar) => {
        const parts = [...bar.children].map((s) => s.getBoundingClientRect()).filter((r) => r.width > 0);
        return parts.slice(1).map((r, i) => r.left - parts[i].right); })""", card.element_handle())
    assert gaps and min(gaps) >= 1.5, gaps
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


def test_the_shared_plan_and_the_weekly_report_write_amounts_as_the_cards_do(page, server):
    """Issue 16, item 13: the shared plan said 「624 kcal」 and 「57.5 g」 and the report's charts 「2,300 이하 mg」
    and 「190–224 g」, beside cards that say 「624kcal」, 「57.5g」 and 「2,300mg 이하」; both now write with
    app.js ``amount()``, the browser's copy of mechuri.units."""
    sign_up(page, server, "reading_share_week")
    page.get_by_role("tab", name="식단").click()
    with page.expect_response("**/api/plan") as planned:
        page.get_by_role("button", name="식단 짜기").click()
    plan = planned.value.json()
    page.locator("#plan-result .plan-day").first.wait_for()
    text = page.evaluate("result => planText(result)", plan)  # what 「텍스트로 복사」 puts on the clipboard
    assert not SPACED_UNIT.search(text), text
    day = plan["plan"][0]
    assert f"하루 {amount(plan['target_kcal'], 'kcal')}" in text.splitlines()[0]
    assert f"{amount(day['meals'][0]['kcal'], 'kcal')}" in text
    totals = day["totals"]
    assert (f"탄수화물 {amount(totals['carbohydrate_g'], 'g')} · 단백질 {amount(totals['protein_g'], 'g')} · "
            f"지방 {amount(totals['fat_g'], 'g')} · 나트륨 {amount(totals['sodium_mg'], 'mg')}") in text

    for back, dish in ((1, "삼선짬뽕"), (2, "비빔밥")):
        log_meal(page, server, "점심", dish, back)
        log_meal(page, server, "저녁", "김치찌개", back)
    with page.expect_response("**/api/report/week") as loaded:
        page.get_by_role("tab", name="주간").click()
    report = loaded.value.json()
    page.locator("#report svg.report-chart").first.wait_for()
    bands, targets = report["bands"], report["targets"]
    expected = {"kcal": f"{amount(targets['kcal'], 'kcal')} ±5%",  # as the 오늘 tab and a planned day write it
                "carbohydrate_g": amount_range(*bands["carbohydrate_g"], "g"),
                "sodium_mg": f"{amount(bands['sodium_mg'][1], 'mg')} 이하"}
    for key, band in expected.items():
        figure = page.locator("#report figure", has=page.locator(f'svg[data-nutrient="{key}"]'))
        assert figure.locator(".legend").inner_text().strip() == f"목표 {band}"
        assert figure.locator("title").text_content().endswith(f"목표 {band}")
    units = {"kcal": "kcal", "carbohydrate_g": "g", "protein_g": "g", "fat_g": "g", "sodium_mg": "mg"}
    # a logged day, one with a decimal gram total where there is one (「57.5」, not 「58」 nor 「57.50」)
    logged = max((d for d in report["days"] if d["status"]), key=lambda d: d["totals"]["protein_g"] % 1)
    labels = page.locator('#report svg[data-nutrient="protein_g"] text.value').all_text_contents()
    assert amount_number(logged["totals"]["protein_g"], "g") in labels
    page.locator("#report details summary").click()
    row = page.locator(f'#report tbody tr[data-date="{logged["date"]}"] td').all_inner_texts()
    assert [cell.split(" · ")[0] for cell in row] == [amount_number(logged["totals"][key], unit)
                                                      for key, unit in units.items()]
    assert not SPACED_UNIT.search(page.locator("#report").inner_text())


# Every amount in the given parts of the page, and whether any lies on two lines: the part is narrowed step by
# step (its own width, so the page around it stays as it is) and each amount's text measured with a Range.
SPLIT_AMOUNTS_JS = """([selectors, widths]) => {
  const pattern = /\\d[\\d,.]*(?:–[\\d,.]+)?\\s?(?:kcal|mg|g)(?![a-z])/g;
  const split = new Set();
  let seen = 0;
  for (const root of selectors.flatMap((s) => [...document.querySelectorAll(s)])) {
    const before = root.style.width;
    for (const width of widths) {
      root.style.width = `${width}px`;
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const match of node.textContent.matchAll(pattern)) {
          const range = document.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.bottom)));
          seen += 1;
          if (lines.size > 1) split.add(`${match[0]} at ${width}px in ${root.id || root.className}`);
        }
      }
    }
    root.style.width = before;
  }
  return {seen, split: [...split]};
}"""


def test_no_amount_is_split_over_two_lines_in_cards_charts_plans_or_the_report(page, server):
    """「2,090–」 at the end of one line and 「2,310kcal」 on the next, or a number apart from its unit, reads as
    two numbers: amounts (and target bands) stay whole at every width from a narrow phone's card up."""
    sign_up(page, server, "reading_no_split")
    say(page, "점심 추천해줘")
    page.get_by_role("tab", name="식단").click()
    with page.expect_response("**/api/plan"):
        page.get_by_role("button", name="식단 짜기").click()
    page.locator("#plan-result .plan-day").first.wait_for()
    log_meal(page, server, "점심", "삼선짬뽕", 1)
    log_meal(page, server, "저녁", "김치찌개", 1)
    with page.expect_response("**/api/report/week"):
        page.get_by_role("tab", name="주간").click()
    page.locator("#report svg.report-chart").first.wait_for()
    widths = list(range(180, 420, 6))
    parts = ["#messages .card", "#targets", "#today-chart", "#plan-result", "#report"]
    for tab in ("프로필", "오늘", "식단", "주간"):  # each part is measured while its tab is shown
        page.get_by_role("tab", name=tab).click()
        if tab == "프로필":
            page.locator("#targets .legend").wait_for()
        found = page.evaluate(SPLIT_AMOUNTS_JS, [parts, widths])
        assert found["seen"] > 0 and found["split"] == [], (tab, found)
