"""My own data over HTTP: preferences, profile and targets, today, API tokens — and nobody else's."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mechuri.db import crud
from mechuri.knowledge import load_food_table
from mechuri.memory import log_eaten_meal

TABLE = load_food_table()


def _prefs(visitor) -> list[tuple[str, str]]:
    return [(p["kind"], p["value"]) for p in visitor.get("/api/preferences").json()["preferences"]]


def test_adding_a_like_follows_the_chat_rules_and_reports_what_changed(minji):
    assert minji.put("/api/preferences", {"kind": "dislike", "value": "매운"}).status_code == 200
    response = minji.put("/api/preferences", {"kind": "like", "value": "매운"})
    assert response.status_code == 200
    body = response.json()
    assert {(c["action"], c["kind"]) for c in body["changes"]} == {("removed", "dislike"), ("added", "like")}
    assert _prefs(minji) == [("like", "매운")]
    assert "채식" in body["diets"] and "새우" in body["allergens"]


def test_a_like_never_overrides_an_allergy(minji):
    minji.put("/api/preferences", {"kind": "allergy", "value": "새우"})
    body = minji.put("/api/preferences", {"kind": "like", "value": "새우"}).json()
    assert [(c["action"], c["kind"]) for c in body["changes"]] == [("kept", "allergy")]
    assert _prefs(minji) == [("allergy", "새우")]


def test_editing_and_deleting_a_preference_by_id(minji):
    pref_id = minji.put("/api/preferences", {"kind": "like", "value": "국물"}).json()["preferences"][0]["id"]
    edited = minji.put("/api/preferences", {"id": pref_id, "value": "국밥"})
    assert edited.status_code == 200
    assert _prefs(minji) == [("like", "국밥")]
    assert minji.put("/api/preferences", {"id": pref_id, "kind": "dislike"}).status_code == 200
    assert _prefs(minji) == [("dislike", "국밥")]
    deleted = minji.delete(f"/api/preferences/{pref_id}")
    assert deleted.status_code == 200
    assert deleted.json()["changes"] == [{"action": "removed", "kind": "dislike", "value": "국밥"}]
    assert _prefs(minji) == []
    assert minji.delete(f"/api/preferences/{pref_id}").status_code == 404


def test_a_goal_is_one_at_a_time_and_mirrored_on_the_profile(minji):
    minji.put("/api/preferences", {"kind": "goal", "value": "다이어트"})
    assert minji.get("/api/profile").json()["goal"] == "diet"
    minji.put("/api/preferences", {"kind": "goal", "value": "벌크업"})
    assert _prefs(minji) == [("goal", "벌크업")]
    assert minji.get("/api/profile").json()["goal"] == "bulk"
    goal_id = minji.get("/api/preferences").json()["preferences"][0]["id"]
    minji.put("/api/preferences", {"id": goal_id, "value": "유지"})
    assert minji.get("/api/profile").json()["goal"] == "maintain"
    minji.delete(f"/api/preferences/{goal_id}")
    assert minji.get("/api/profile").json()["goal"] is None


@pytest.mark.parametrize(("body", "status", "words"), [
    ({"kind": "love", "value": "국물"}, 422, "종류는"),
    ({"kind": "like", "value": ""}, 422, "1–64자"),
    ({"kind": "like", "value": "가" * 65}, 422, "1–64자"),
    ({"kind": "diet", "value": "키토"}, 422, "식단은"),
    ({"kind": "goal", "value": "근육"}, 422, "목표는"),
    ({"kind": "like", "value": "국물", "polarity": "remove"}, 422, "입력값"),
    ({"id": 999999, "value": "국물"}, 404, "찾을 수 없어요"),
])
def test_bad_preference_input_is_refused_in_korean(minji, body, status, words):
    response = minji.put("/api/preferences", body)
    assert response.status_code == status
    assert words in response.json()["error"]["message"]


def test_editing_into_an_existing_preference_is_a_conflict(minji):
    minji.put("/api/preferences", {"kind": "like", "value": "국물"})
    other = minji.put("/api/preferences", {"kind": "like", "value": "면"}).json()["preferences"][1]["id"]
    response = minji.put("/api/preferences", {"id": other, "value": "국물"})
    assert response.status_code == 409
    assert _prefs(minji) == [("like", "국물"), ("like", "면")]


def test_nobody_can_see_edit_or_delete_another_persons_preferences(minji, junho):
    secret_id = minji.put("/api/preferences", {"kind": "allergy", "value": "땅콩"}).json()["preferences"][0]["id"]
    assert junho.get("/api/preferences").json()["preferences"] == []
    assert junho.put("/api/preferences", {"id": secret_id, "value": "없음"}).status_code == 404
    assert junho.delete(f"/api/preferences/{secret_id}").status_code == 404
    assert _prefs(minji) == [("allergy", "땅콩")]


def test_a_profile_gives_personal_targets(minji):
    default = minji.get("/api/profile").json()
    assert default["targets"]["kcal"] == 2200 and "기본값" in default["targets"]["basis"]
    year = datetime.now(UTC).year
    response = minji.put("/api/profile", {"display_name": "민지", "sex": "F", "birth_year": year - 29,
                                          "height_cm": 162, "weight_kg": 55, "activity_level": "low",
                                          "goal": "diet"})
    assert response.status_code == 200, response.text
    profile = response.json()
    assert profile["sex"] == "F" and profile["goal"] == "diet"
    assert "Mifflin" in profile["targets"]["basis"] and profile["targets"]["kcal"] < 2200
    # the method's name stays in basis (for clients that check the arithmetic); summary says it plainly, for
    # people (issue 16, item 13: no 「Mifflin–St Jeor × 활동계수 1.375」 on the page)
    assert profile["targets"]["summary"] == "키·몸무게·나이, 활동량 ‘가볍게 움직여요’ 기준, 다이어트라 20% 줄임"
    assert default["targets"]["summary"].startswith("기본값") and "KDRI" not in default["targets"]["summary"]
    assert _prefs(minji) == [("goal", "다이어트")]  # the goal chosen in the form is remembered like a said one
    cleared = minji.put("/api/profile", {"display_name": "민지"}).json()
    assert cleared["sex"] is None and cleared["goal"] is None and cleared["targets"]["kcal"] == 2200
    assert _prefs(minji) == []


@pytest.mark.parametrize(("field", "value", "words"), [
    ("sex", "X", "성별은"),
    ("birth_year", 2100, "나이가 6–120세"),
    ("birth_year", 1800, "나이가 6–120세"),
    ("height_cm", 99, "키는 100–250 cm"),
    ("weight_kg", 400, "몸무게는 25–300 kg"),
    ("activity_level", "lazy", "sedentary, low, active, very_active"),
    ("goal", "slim", "maintain, diet, bulk"),
    ("display_name", "", "이름은"),
])
def test_profile_fields_are_checked_like_the_targets_module_checks_them(minji, field, value, words):
    response = minji.put("/api/profile", {"sex": "M", "birth_year": 1990, field: value})
    assert response.status_code == 422
    error = response.json()["error"]
    assert list(error["details"]) == [field] and words in error["details"][field]
    assert minji.get("/api/profile").json()["sex"] is None  # nothing half-saved


def test_today_shows_the_meals_totals_and_targets_and_a_mistake_can_be_removed(minji, junho, web_db):
    with web_db.session() as s:
        user = crud.get_user_by_username(s, "minji")
        dish = next(iter(TABLE))
        meal_id = log_eaten_meal(s, user, dish, meal="점심", eaten_at=datetime.now(UTC)).id
    today = minji.get("/api/today").json()
    assert today["timezone"] == "Asia/Seoul"
    assert [m["food_name"] for m in today["meals"]] == [dish.name]
    assert today["meals"][0]["eaten_at"].endswith("+09:00")
    assert today["totals"]["kcal"] == dish.kcal
    assert today["targets"]["carbohydrate_g"]["min"] < today["targets"]["carbohydrate_g"]["max"]
    assert today["remaining_kcal"] == today["targets"]["kcal"] - dish.kcal
    assert junho.get("/api/today").json()["meals"] == []
    assert junho.delete(f"/api/today/meals/{meal_id}").status_code == 404
    assert minji.delete(f"/api/today/meals/{meal_id}").json()["meals"] == []


def test_api_tokens_are_shown_once_listed_without_secrets_and_revocable_only_by_their_owner(minji, junho):
    created = minji.post("/api/tokens", {"name": "내 노트북"})
    assert created.status_code == 201
    secret = created.json()["token"]
    assert secret.startswith("mch_") and len(secret) > 40
    listed = minji.get("/api/tokens").json()["tokens"]
    assert [t["name"] for t in listed] == ["내 노트북"] and secret not in str(listed)
    assert listed[0]["prefix"] == secret[:10]
    assert junho.get("/api/tokens").json()["tokens"] == []
    assert junho.delete(f"/api/tokens/{listed[0]['id']}").status_code == 404
    assert minji.post("/api/tokens", {"name": "  "}).status_code == 422
    assert minji.delete(f"/api/tokens/{listed[0]['id']}").status_code == 204
    assert minji.get("/api/tokens").json()["tokens"] == []


def test_every_personal_route_needs_a_login(visitor):
    for method, url in [("GET", "/api/preferences"), ("PUT", "/api/preferences"), ("DELETE", "/api/preferences/1"),
                        ("GET", "/api/profile"), ("PUT", "/api/profile"), ("GET", "/api/today"),
                        ("DELETE", "/api/today/meals/1"), ("GET", "/api/tokens"), ("POST", "/api/tokens"),
                        ("DELETE", "/api/tokens/1"), ("GET", "/api/auth/me"), ("POST", "/api/auth/logout")]:
        assert visitor.client.request(method, url, json={}).status_code == 401, (method, url)
