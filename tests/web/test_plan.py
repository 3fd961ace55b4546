"""The plan view's API: a person asks for a day or a week, gets it dated and measured against their targets,
asks again for other dishes, logs a planned meal — and gets an honest answer when no plan can exist."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mechuri.knowledge import load_food_table
from mechuri.plan.composition import is_staple
from mechuri.recommend import RecommendationRequest
from mechuri.recommend.audit import violations

from .conftest import Visitor

TABLE = load_food_table()


@pytest.fixture
def db_url(sqlite_url) -> str:
    """SQLite only: a plan reaches the database through ``mechuri.memory`` alone (preferences, today), whose
    queries the memory and web tests already run on both databases; planning twice would only add time."""
    return sqlite_url


def _plan(visitor, **body):
    response = visitor.post("/api/plan", body)
    assert response.status_code == 200, response.text
    return response.json()


def _names(plan) -> list[str]:
    return [item["name"] for day in plan["plan"] for item in day["meals"]]


def _meals(day) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for item in day["meals"]:
        grouped.setdefault(item["meal"], []).append(item)
    return grouped


def test_a_day_plan_is_dated_today_and_measured_against_my_targets(minji):
    plan = _plan(minji)
    assert plan["feasible"] and plan["problems"] == []
    (day,) = plan["plan"]
    assert day["date"] == datetime.now(ZoneInfo("Asia/Seoul")).date().isoformat()
    assert list(_meals(day)) == ["아침", "점심", "저녁"]
    assert plan["targets"]["kcal"] == plan["target_kcal"] == day["target"]["kcal"] == 2200
    assert abs(day["totals"]["kcal"] - 2200) <= 0.05 * 2200 and day["checks"]["energy_ok"]
    for item in day["meals"]:  # every number is the table's, for the servings planned
        assert item["kcal"] == TABLE[item["name"]].nutrition(item["servings"])["kcal"]
    assert day["totals"]["kcal"] == pytest.approx(sum(i["kcal"] for i in day["meals"]), abs=1)
    assert plan["request"] == {"days": 1, "meals": ["아침", "점심", "저녁"], "skip_meals": [], "kcal_target": None,
                               "fixed": [], "goal": None, "variant": 0,
                               "dishes": sorted({n for n in _names(plan) if not is_staple(n)})}


def test_a_week_plan_has_seven_dated_days_without_repeats(minji):
    plan = _plan(minji, days=7, meals=["아침", "점심", "저녁", "간식"])
    days = plan["plan"]
    first = datetime.fromisoformat(days[0]["date"]).date()
    assert [d["date"] for d in days] == [(first + timedelta(days=n)).isoformat() for n in range(7)]
    assert all("간식" in _meals(day) and day["checks"]["energy_ok"] for day in days)
    names = [n for n in _names(plan) if not is_staple(n)]
    assert len(names) == len(set(names))


def test_my_allergies_dislikes_and_diet_are_kept_and_nobody_elses_are_used(app, minji, junho):
    for kind, value in [("allergy", "새우"), ("dislike", "매운"), ("diet", "채식")]:
        assert minji.put("/api/preferences", {"kind": kind, "value": value}).status_code == 200
    plan = _plan(minji, days=7)
    hard = RecommendationRequest(allergies=frozenset({"새우"}), excluded=frozenset({"매운"}), diets=frozenset({"채식"}))
    assert not [(n, violations(TABLE[n], hard)) for n in _names(plan) if violations(TABLE[n], hard)]
    stranger = Visitor(app)
    assert stranger.signup("stranger", display_name="낯선 사람").status_code == 201
    assert _plan(junho)["plan"] == _plan(stranger)["plan"]  # minji's memory never reaches junho's plan


def test_asking_again_gives_other_dishes_for_the_same_request(minji):
    first = _plan(minji)
    asked = first["request"]
    again = _plan(minji, days=asked["days"], meals=asked["meals"], variant=asked["variant"] + 1,
                  avoid_dishes=asked["dishes"])
    assert again["request"]["variant"] == 1 and again["feasible"]
    assert not set(asked["dishes"]) & set(again["request"]["dishes"])


def test_skipped_meals_leave_with_their_share_and_my_own_energy_target_is_used(minji):
    plan = _plan(minji, meals=["아침", "점심"], skip_meals=["저녁"], kcal_target=1800)
    (day,) = plan["plan"]
    assert list(_meals(day)) == ["아침", "점심"]
    assert plan["target_kcal"] == 1800
    assert day["target"]["kcal"] == round(1800 * (0.25 + 0.35) / (0.25 + 0.35 + 0.30))
    assert plan["request"]["skip_meals"] == ["저녁"]


def test_a_dish_already_decided_is_planned_around(minji):
    plan = _plan(minji, fixed=[{"meal": "점심", "name": "짜장면"}])
    lunch = _meals(plan["plan"][0])["점심"]
    assert [(i["name"], i["fixed"]) for i in lunch] == [("짜장면", True)]
    assert plan["request"]["fixed"] == [{"day": 1, "meal": "점심", "name": "짜장면"}]


def test_an_impossible_plan_is_an_honest_answer_with_the_numbers(minji):
    plan = _plan(minji, kcal_target=1200, fixed=[{"meal": "저녁", "name": "치즈돈가스"}])
    assert plan["feasible"] is False and plan["plan"] == []
    (problem,) = plan["problems"]
    assert "치즈돈가스" in problem and "1,200kcal" in problem and "넘어요" in problem


def test_a_logged_planned_meal_shows_in_today_and_the_next_day_plan_keeps_it(minji):
    plan = _plan(minji)
    breakfast = _meals(plan["plan"][0])["아침"]
    logged = minji.post("/api/meals", {"meal": "아침", "items": [{"name": i["name"], "servings": i["servings"]}
                                                                 for i in breakfast]})
    assert logged.status_code == 201
    today = minji.get("/api/today").json()
    assert [m["food_name"] for m in today["meals"]] == [i["name"] for i in breakfast]
    assert today["totals"]["kcal"] == pytest.approx(sum(i["kcal"] for i in breakfast), abs=1)
    again = _plan(minji)
    assert again["already_logged"] == ["아침"]
    kept = _meals(again["plan"][0])["아침"]  # the whole breakfast, at the servings logged, planned around
    assert [(i["name"], i["servings"], i["fixed"]) for i in kept] == [(i["name"], i["servings"], True)
                                                                    for i in breakfast]
    assert _plan(minji, use_today=False)["already_logged"] == []


BAD_PLANS = [
    ({"days": 3}, "days", "하루(1) 또는 일주일(7)"),
    ({"meals": ["브런치"]}, "meals", "끼니는"),
    ({"meals": []}, "meals", "하나 이상"),
    ({"meals": ["아침", "저녁"], "skip_meals": ["저녁"]}, "skip_meals", "같은 끼니"),
    ({"kcal_target": 300}, "kcal_target", "800–5,000kcal"),
    ({"kcal_target": 9000}, "kcal_target", "800–5,000kcal"),
    ({"goal": "근육"}, "goal", "다이어트, 벌크업, 유지"),
    ({"variant": -1}, "variant", "0–1,000"),
    ({"avoid_dishes": ["김밥"] * 201}, "avoid_dishes", "200개"),
    ({"fixed": [{"day": 2, "meal": "점심", "name": "짜장면"}]}, "fixed[0].day", "1–1일차"),
    ({"skip_meals": ["점심"], "meals": ["아침"], "fixed": [{"meal": "점심", "name": "짜장면"}]}, "fixed[0].meal", "빼기로"),
    ({"fixed": [{"meal": "점심", "name": "우주정거장라면"}]}, "fixed[0].name", "음식 표에 없는"),
]


def test_bad_plan_input_is_refused_in_korean_by_field(minji):
    for body, field, words in BAD_PLANS:
        response = minji.post("/api/plan", body)
        assert response.status_code == 422, body
        error = response.json()["error"]
        assert error["code"] == "invalid_input" and words in error["details"][field], (body, error)


def test_unknown_fields_and_client_numbers_are_refused(minji):
    response = minji.post("/api/plan", {"days": 1, "kcal": 1500})
    assert response.status_code == 422 and response.json()["error"]["details"][0]["loc"] == ["body", "kcal"]


def test_planning_needs_a_login_and_the_csrf_token_but_a_bearer_token_will_do(minji, visitor, app):
    assert visitor.client.post("/api/plan", json={}).status_code == 401
    forged = minji.client.post("/api/plan", json={})
    assert forged.status_code == 403 and forged.json()["error"]["code"] == "csrf_failed"
    token = minji.post("/api/tokens", {"name": "script"}).json()["token"]
    api = Visitor(app).client
    response = api.post("/api/plan", json={}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.json()["feasible"]


def test_a_fixed_jjajangmyeon_does_not_conflict_with_a_shrimp_allergy(minji):
    """Issue 16, item 3: 짜장면 has no shrimp, so a shrimp allergy must not make a plan around it fail."""
    assert minji.put("/api/preferences", {"kind": "allergy", "value": "새우"}).status_code == 200
    plan = _plan(minji, fixed=[{"meal": "점심", "name": "짜장면"}])
    assert plan["feasible"], plan["problems"]
    assert not any("새우" in line for line in plan["problems"] + plan["notes"])
    assert [i["name"] for i in _meals(plan["plan"][0])["점심"]] == ["짜장면"]
    assert "새우" not in (TABLE.get("짜장면").allergens if TABLE.get("짜장면") else ())


def test_with_a_diet_goal_today_profile_and_plan_use_one_target(minji):
    """Issue 16, item 4: a diet goal said in chat (no full profile) set the plan to 1,760 kcal while the
    today view kept 2,200 — the today view, the profile's targets and the plan now use the same day."""
    assert minji.put("/api/preferences", {"kind": "goal", "value": "다이어트"}).status_code == 200
    plan = _plan(minji)
    today = minji.get("/api/today").json()
    profile = minji.get("/api/profile").json()
    assert today["targets"]["kcal"] == plan["targets"]["kcal"] == profile["targets"]["kcal"] < 2200
    assert today["targets"]["protein_g"] == plan["targets"]["protein_g"]
    assert today["remaining_kcal"] == plan["targets"]["kcal"]
