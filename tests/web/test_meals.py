"""「이 식단 기록하기」 over HTTP: a meal is logged by dish names, and what is stored is the food table's numbers."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mechuri.db import crud
from mechuri.knowledge import load_food_table
from mechuri.knowledge.vocab import NUTRIENT_FIELDS

TABLE = load_food_table()
LUNCH = [{"name": "김치찌개"}, {"name": "흰쌀밥", "servings": 0.5}]


def _today() -> datetime:
    return datetime.now(ZoneInfo("Asia/Seoul"))


def test_a_planned_meal_is_stored_with_the_food_tables_numbers_and_shows_in_today(minji, web_db):
    response = minji.post("/api/meals", {"meal": "점심", "items": LUNCH})
    assert response.status_code == 201, response.text
    body = response.json()
    assert [(m["meal_type"], m["food_name"], m["servings"]) for m in body["logged"]] == [
        ("점심", "김치찌개", 1.0), ("점심", "흰쌀밥", 0.5)]
    for meal in body["logged"]:
        snapshot = TABLE[meal["food_name"]].nutrition(meal["servings"])
        assert {key: meal["nutrition"][key] for key in NUTRIENT_FIELDS} == snapshot
    expected_kcal = TABLE["김치찌개"].nutrition()["kcal"] + TABLE["흰쌀밥"].nutrition(0.5)["kcal"]
    today = minji.get("/api/today").json()
    assert today == body["today"]
    assert [m["food_name"] for m in today["meals"]] == ["김치찌개", "흰쌀밥"]
    assert today["totals"]["kcal"] == pytest.approx(expected_kcal)
    with web_db.session() as s:  # what the database holds is the table's snapshot, not anything sent
        stored = crud.meals_between(s, crud.get_user_by_username(s, "minji"), datetime(2000, 1, 1, tzinfo=ZoneInfo("UTC")),
                                    datetime(2100, 1, 1, tzinfo=ZoneInfo("UTC")))
        assert [row.nutrition["kcal"] for row in stored] == [TABLE["김치찌개"].kcal, round(TABLE["흰쌀밥"].kcal * 0.5)]


def test_a_typed_name_or_an_alias_is_logged_as_the_tables_dish(minji):
    response = minji.post("/api/meals", {"meal": "저녁", "items": [{"name": "김치찌게"}]})
    assert response.status_code == 201
    assert response.json()["logged"][0]["food_name"] == "김치찌개"


BAD_MEALS = [
    ({"meal": "브런치", "items": LUNCH}, "meal", "끼니는"),
    ({"meal": "점심", "items": []}, "items", "1–8개"),
    ({"meal": "점심", "items": [{"name": "김치찌개"}] * 9}, "items", "1–8개"),
    ({"meal": "점심", "items": [{"name": "김치찌개", "servings": 0}]}, "items[0].servings", "0.1–20"),
    ({"meal": "점심", "items": [{"name": "김치찌개", "servings": 25}]}, "items[0].servings", "0.1–20"),
    ({"meal": "점심", "items": [{"name": "김치찌개"}, {"name": "우주정거장라면"}]}, "items[1].name", "음식 표에 없는"),
]


def test_nutrition_numbers_from_the_client_and_bad_input_are_refused_and_nothing_is_half_stored(minji):
    for body in ({"meal": "점심", "items": [{"name": "김치찌개", "kcal": 1}]},
                 {"meal": "점심", "items": [{"name": "김치찌개"}], "nutrition": {"kcal": 1}}):
        response = minji.post("/api/meals", body)
        assert response.status_code == 422 and response.json()["error"]["details"][0]["type"] == "extra_forbidden"
    for body, field, words in BAD_MEALS:  # one person for every case: each sign-up costs an argon2 hash
        response = minji.post("/api/meals", body)
        assert response.status_code == 422, body
        assert words in response.json()["error"]["details"][field], (body, response.json())
    assert minji.get("/api/today").json()["meals"] == []


def test_a_meal_may_be_dated_back_a_few_days_but_never_ahead(minji):
    today = _today().date()
    yesterday = minji.post("/api/meals", {"meal": "저녁", "items": LUNCH[:1], "date": str(today - timedelta(days=1))})
    assert yesterday.status_code == 201
    assert yesterday.json()["logged"][0]["eaten_at"].startswith(f"{today - timedelta(days=1)}T19:00:00")
    assert yesterday.json()["today"]["meals"] == []
    tomorrow = minji.post("/api/meals", {"meal": "아침", "items": LUNCH[:1], "date": str(today + timedelta(days=1))})
    assert tomorrow.status_code == 422 and "드신 뒤에" in tomorrow.json()["error"]["message"]
    old = minji.post("/api/meals", {"meal": "아침", "items": LUNCH[:1], "date": str(today - timedelta(days=8))})
    assert old.status_code == 422 and "7일" in old.json()["error"]["message"]


def test_logging_is_for_my_own_log_only_and_needs_the_csrf_token(minji, junho, visitor):
    assert minji.post("/api/meals", {"meal": "점심", "items": LUNCH}).status_code == 201
    assert junho.get("/api/today").json()["meals"] == []
    forged = minji.client.post("/api/meals", json={"meal": "점심", "items": LUNCH})  # no X-CSRF-Token
    assert forged.status_code == 403 and forged.json()["error"]["code"] == "csrf_failed"
    assert visitor.client.post("/api/meals", json={"meal": "점심", "items": LUNCH}).status_code == 401
    assert len(minji.get("/api/today").json()["meals"]) == 2
