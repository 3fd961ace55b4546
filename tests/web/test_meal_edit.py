"""Correcting a logged meal (servings, meal, time) over HTTP: validated, the food table's numbers recomputed,
and only ever one's own meal."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mechuri.knowledge import load_food_table

TABLE = load_food_table()
SEOUL = ZoneInfo("Asia/Seoul")


def _log_lunch(person) -> dict:
    response = person.post("/api/meals", {"meal": "점심", "items": [{"name": "김치찌개"}]})
    assert response.status_code == 201, response.text
    return response.json()["logged"][0]


def test_servings_meal_and_time_are_changed_and_the_numbers_come_from_the_food_table(minji):
    meal = _log_lunch(minji)
    earlier = (datetime.now(SEOUL) - timedelta(minutes=30)).replace(microsecond=0)
    response = minji.send("PATCH", f"/api/meals/{meal['id']}",
                          {"servings": 1.5, "meal": "저녁", "eaten_at": earlier.isoformat()})
    assert response.status_code == 200, response.text
    edited = response.json()["meal"]
    assert (edited["servings"], edited["meal_type"]) == (1.5, "저녁")
    assert datetime.fromisoformat(edited["eaten_at"]) == earlier
    assert edited["nutrition"]["kcal"] == TABLE["김치찌개"].nutrition(1.5)["kcal"]
    assert edited["nutrition"]["sodium_mg"] == TABLE["김치찌개"].nutrition(1.5)["sodium_mg"]
    today = minji.get("/api/today").json()
    assert today == response.json()["today"]
    assert today["totals"]["kcal"] == pytest.approx(TABLE["김치찌개"].nutrition(1.5)["kcal"])
    assert [m["meal_type"] for m in today["meals"]] == ["저녁"]


def test_a_time_without_a_zone_is_the_apps_local_time_and_moving_a_meal_to_yesterday_leaves_today(minji):
    meal = _log_lunch(minji)
    yesterday = (datetime.now(SEOUL) - timedelta(days=1)).replace(hour=12, minute=0, second=0, microsecond=0)
    response = minji.send("PATCH", f"/api/meals/{meal['id']}", {"eaten_at": yesterday.replace(tzinfo=None).isoformat()})
    assert response.status_code == 200, response.text
    assert datetime.fromisoformat(response.json()["meal"]["eaten_at"]) == yesterday
    assert response.json()["today"]["meals"] == []


BAD_EDITS = [
    ({}, "body", "바꿀"),
    ({"servings": 0}, "servings", "0.1–20"),
    ({"servings": 21}, "servings", "0.1–20"),
    ({"meal": "브런치"}, "meal", "끼니는"),
    ({"eaten_at": "2099-01-01T12:00:00+09:00"}, "eaten_at", "아직 오지 않은"),
    ({"eaten_at": "2000-01-01T12:00:00+09:00"}, "eaten_at", "7일보다 전"),
]


@pytest.mark.parametrize(("body", "field", "words"), BAD_EDITS)
def test_a_bad_edit_is_refused_by_field_and_changes_nothing(minji, body, field, words):
    meal = _log_lunch(minji)
    response = minji.send("PATCH", f"/api/meals/{meal['id']}", body)
    assert response.status_code == 422, response.text
    assert words in response.json()["error"]["details"][field]
    assert minji.get("/api/today").json()["meals"][0] == meal


def test_nutrition_from_the_client_is_refused(minji):
    meal = _log_lunch(minji)
    response = minji.send("PATCH", f"/api/meals/{meal['id']}", {"servings": 1, "nutrition": {"kcal": 1}})
    assert response.status_code == 422


def test_someone_elses_meal_is_not_found_and_unchanged(minji, junho):
    meal = _log_lunch(minji)
    assert junho.send("PATCH", f"/api/meals/{meal['id']}", {"servings": 2}).status_code == 404
    assert junho.send("PATCH", "/api/meals/999999", {"servings": 2}).status_code == 404
    assert minji.get("/api/today").json()["meals"][0]["servings"] == 1.0


def test_an_edit_needs_the_csrf_token(minji):
    meal = _log_lunch(minji)
    response = minji.client.patch(f"/api/meals/{meal['id']}", json={"servings": 2})
    assert response.status_code == 403
