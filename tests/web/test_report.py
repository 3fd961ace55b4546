"""The weekly report over HTTP: seven local days of logged meals against the targets the today view uses,
the best and worst day, and one suggestion whose dish and numbers come from the food table."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from mechuri.knowledge import load_food_table
from mechuri.units import amount, band_end

TABLE = load_food_table()
SALTY = "삼선짬뽕"
"""A dish whose one serving is over the day's sodium line on its own (식약처 numbers: ≈ 3,300 mg)."""
assert TABLE[SALTY].sodium_mg > 2300
SPACED_UNIT = re.compile(r"\d (?:g|mg|kcal)(?![a-z])")
"""An amount with a space before its unit: how the report wrote them before it used mechuri.units."""


def _day(back: int) -> str:
    return (datetime.now(ZoneInfo("Asia/Seoul")).date() - timedelta(days=back)).isoformat()


def _log(person, back: int, meal: str, *names: str) -> None:
    response = person.post("/api/meals", {"meal": meal, "items": [{"name": n} for n in names], "date": _day(back)})
    assert response.status_code == 201, response.text


def test_a_week_without_meals_has_seven_empty_days_and_says_how_to_start(minji):
    report = minji.get("/api/report/week").json()
    assert [day["date"] for day in report["days"]] == [_day(back) for back in range(6, -1, -1)]
    assert all(day["meals"] == 0 and day["status"] is None for day in report["days"])
    assert (report["logged_days"], report["best"], report["worst"]) == (0, None, None)
    assert report["suggestion"]["dish"] is None and "기록한 식사가 없어요" in report["suggestion"]["text"]


def test_totals_bands_best_worst_and_a_sodium_swap_from_the_food_table(minji):
    for back in (1, 2, 3):
        _log(minji, back, "점심", SALTY)
        _log(minji, back, "저녁", "비빔밥")
    _log(minji, 4, "점심", "비빔밥")
    _log(minji, 4, "저녁", "닭가슴살샐러드")
    _log(minji, 5, "점심", SALTY)  # one meal logged: shown, but not a candidate for best or worst
    report = minji.get("/api/report/week").json()
    today = minji.get("/api/today").json()
    targets = today["targets"]
    assert report["targets"] == targets  # the today view's targets, goal included
    assert report["bands"]["kcal"] == [round(targets["kcal"] * 0.95, 1), round(targets["kcal"] * 1.05, 1)]
    assert report["bands"]["sodium_mg"] == [0, targets["sodium_mg_max"]]
    by_date = {day["date"]: day for day in report["days"]}
    sodium = TABLE[SALTY].nutrition()["sodium_mg"] + TABLE["비빔밥"].nutrition()["sodium_mg"]
    assert by_date[_day(1)]["totals"]["sodium_mg"] == sodium
    assert by_date[_day(4)]["totals"]["kcal"] == TABLE["비빔밥"].kcal + TABLE["닭가슴살샐러드"].kcal
    assert report["logged_days"] == 5
    assert [by_date[_day(back)]["complete"] for back in (5, 4, 0)] == [False, True, False]
    assert report["counts"]["sodium_mg"]["over"] == 4
    assert report["best"] == _day(4) and report["worst"] in {_day(1), _day(2), _day(3)}

    suggestion = report["suggestion"]
    assert (suggestion["nutrient"], suggestion["direction"], suggestion["days"]) == ("sodium_mg", "over", 4)
    assert suggestion["instead_of"] == SALTY
    swap = TABLE[suggestion["dish"]["name"]]
    assert suggestion["dish"]["sodium_mg"] == swap.nutrition()["sodium_mg"] <= TABLE[SALTY].sodium_mg * 0.8
    assert f"나트륨 {amount(swap.nutrition()['sodium_mg'], 'mg')}" in suggestion["text"]
    assert f"{SALTY}(4번" in suggestion["text"]


def test_the_suggested_dish_keeps_the_users_allergies_and_dislikes(minji):
    for back in (1, 2):
        _log(minji, back, "점심", SALTY)
    first = minji.get("/api/report/week").json()["suggestion"]["dish"]["name"]
    assert minji.put("/api/preferences", {"kind": "dislike", "value": first}).status_code == 200
    assert minji.put("/api/preferences", {"kind": "allergy", "value": "밀"}).status_code == 200
    second = minji.get("/api/report/week").json()["suggestion"]["dish"]["name"]
    assert second != first
    assert "밀" not in TABLE[second].allergens


def test_too_little_protein_suggests_a_dish_rich_in_it(minji):
    for back in (1, 2, 3):  # two meals a day: a day with one meal logged is not judged short of anything
        _log(minji, back, "점심", "흰쌀밥")
        _log(minji, back, "저녁", "흰쌀밥")
    suggestion = minji.get("/api/report/week").json()["suggestion"]
    assert (suggestion["nutrient"], suggestion["direction"], suggestion["days"]) == ("protein_g", "under", 3)
    added = TABLE[suggestion["dish"]["name"]]
    assert added.protein_g * 4 / added.kcal > 0.3  # protein is more than 30 % of its energy
    assert f"단백질 {amount(added.nutrition()['protein_g'], 'g')}" in suggestion["text"]
    # the line is a band's end, whole as the chart beside it writes the band (「하루 목표(52g)」, not 「52.4 g」)
    line = minji.get("/api/report/week").json()["bands"]["protein_g"][0]
    assert f"하루 목표({band_end(line, 'g')})" in suggestion["text"] and not SPACED_UNIT.search(suggestion["text"])


def test_the_report_is_the_callers_own_and_needs_a_login(minji, junho, visitor):
    _log(minji, 1, "점심", SALTY)
    assert junho.get("/api/report/week").json()["logged_days"] == 0
    assert visitor.get("/api/report/week").status_code == 401


def test_today_and_one_meal_days_count_only_when_over_a_line(minji):
    _log(minji, 0, "아침", "흰쌀밥")  # far under every target, but the day is not over yet
    _log(minji, 1, "점심", "흰쌀밥")  # one meal logged: more likely unlogged meals than a starved day
    report = minji.get("/api/report/week").json()
    assert report["days"][-1]["status"]["kcal"] == report["days"][-2]["status"]["kcal"] == "under"
    assert report["counts"]["kcal"]["under"] == 0 and report["days"][-1]["score"] == report["days"][-2]["score"] == 0
    assert report["best"] is None and report["worst"] is None  # no complete day to single out
    assert "목표 안" in report["suggestion"]["text"]


def test_the_suggestion_writes_every_amount_the_way_the_cards_and_replies_do(minji):
    """Issue 16, item 13: the report said 「3,270 mg」 and 「하루 기준(2,300 mg)」 where every card, chart and
    reply says 「3,270mg」 (mechuri.units); and a gram line is whole, as the chart beside it writes it."""
    for back in (1, 2, 3):
        _log(minji, back, "점심", SALTY)
        _log(minji, back, "저녁", "비빔밥")
    report = minji.get("/api/report/week").json()
    text = report["suggestion"]["text"]
    swap, salty = TABLE[report["suggestion"]["dish"]["name"]], TABLE[SALTY]
    assert not SPACED_UNIT.search(text), text
    assert f"하루 기준({band_end(report['bands']['sodium_mg'][1], 'mg')})" in text
    assert f"{SALTY}({amount(salty.nutrition()['sodium_mg'], 'mg')}) 대신" in text
    assert f"모두 {amount(3 * salty.nutrition()['sodium_mg'], 'mg')}" in text
    assert f"{amount(swap.nutrition()['kcal'], 'kcal')})" in text
