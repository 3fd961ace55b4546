"""A plan exported as an .ics file: valid iCalendar, one event per meal at its usual time, the food table's
numbers in each event, and nothing written for dishes or days that cannot be."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from calendar_file import parse_ics, utc
from mechuri.knowledge import load_food_table
from mechuri.units import amount
from mechuri.web.ics import fold

TABLE = load_food_table()
SEOUL = ZoneInfo("Asia/Seoul")


def _days(n: int) -> list[dict]:
    first = datetime.now(SEOUL).date()
    return [{"date": (first + timedelta(days=d)).isoformat(),
             "meals": [{"meal": "아침", "items": [{"name": "계란찜"}, {"name": "흰쌀밥", "servings": 0.5}]},
                       {"meal": "저녁", "items": [{"name": "김치찌게"}]}]} for d in range(n)]


def test_a_week_becomes_one_event_per_meal_with_the_food_tables_numbers(minji):
    response = minji.post("/api/plan/ics", {"days": _days(7)})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    assert "attachment" in response.headers["content-disposition"]
    events = parse_ics(response.content)
    assert len(events) == 14
    assert len({event["UID"] for event in events}) == 14
    breakfast, dinner = events[0], events[1]
    first = datetime.now(SEOUL).date()
    assert utc(breakfast["DTSTART"]).astimezone(SEOUL) == datetime(first.year, first.month, first.day, 8, tzinfo=SEOUL)
    assert utc(dinner["DTEND"]) - utc(dinner["DTSTART"]) == timedelta(minutes=30)
    kcal = TABLE["계란찜"].nutrition()["kcal"] + TABLE["흰쌀밥"].nutrition(0.5)["kcal"]
    assert breakfast["SUMMARY"] == f"아침 · 계란찜, 흰쌀밥 ({amount(kcal, 'kcal')})"  # the comma escaped and read back
    assert "김치찌개 1인분" in dinner["DESCRIPTION"]  # the typo is the table's dish
    stew = TABLE["김치찌개"].nutrition()
    # the amounts as every card and reply writes them (mechuri.units): 「1,234kcal」, 「12.5g」, never 「12.5 g」
    assert (f"{amount(stew['kcal'], 'kcal')} · 탄수화물 {amount(stew['carbohydrate_g'], 'g')} · "
            f"단백질 {amount(stew['protein_g'], 'g')}") in dinner["DESCRIPTION"]
    assert f"나트륨 {amount(stew['sodium_mg'], 'mg')}" in dinner["DESCRIPTION"]
    assert not re.search(r"\d (?:g|mg|kcal)(?![a-z])", breakfast["DESCRIPTION"] + dinner["DESCRIPTION"])
    assert "\n합계" in dinner["DESCRIPTION"]
    again = parse_ics(minji.post("/api/plan/ics", {"days": _days(7)}).content)
    assert [e["UID"] for e in again] == [e["UID"] for e in events]  # imported twice: updated, not doubled


def test_long_korean_lines_fold_at_75_octets_without_splitting_a_syllable():
    line = "DESCRIPTION:" + "김치찌개" * 30
    folded = fold(line)
    parts = folded.split("\r\n ")
    assert all(len(part.encode()) <= (75 if i == 0 else 74) for i, part in enumerate(parts))
    assert "".join(parts) == line


def test_bad_days_meals_and_dishes_are_refused_by_field(minji):
    bad = _days(1)
    bad[0]["meals"][0]["items"][0]["name"] = "우주정거장라면"
    bad[0]["meals"][1]["meal"] = "브런치"
    response = minji.post("/api/plan/ics", {"days": bad})
    assert response.status_code == 422
    details = response.json()["error"]["details"]
    assert "음식 표에 없는" in details["days[0].meals[0].items[0].name"] and "끼니는" in details["days[0].meals[1].meal"]
    far = _days(1)
    far[0]["date"] = "2000-01-01"
    assert "days[0].date" in minji.post("/api/plan/ics", {"days": far}).json()["error"]["details"]
    assert minji.post("/api/plan/ics", {"days": []}).status_code == 422
    assert minji.post("/api/plan/ics", {"days": _days(8)}).status_code == 422
    numbers = _days(1)
    numbers[0]["meals"][0]["items"][0]["kcal"] = 1
    assert minji.post("/api/plan/ics", {"days": numbers}).status_code == 422


def test_it_needs_a_login(visitor):
    assert visitor.post("/api/plan/ics", {"days": _days(1)}).status_code == 401
