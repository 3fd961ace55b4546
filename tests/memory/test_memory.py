"""Remembering a user: preferences that update the way people mean them, meals, today and recent menus."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mechuri.db import crud
from mechuri.knowledge import load_food_table
from mechuri.memory import (
    apply_preference,
    day_bounds,
    day_summary,
    delete_user_preference,
    edit_user_preference,
    log_eaten_meal,
    preference_sets,
    recent_foods,
    user_targets,
)

SEOUL = "Asia/Seoul"
TABLE = load_food_table()


def _user(s, name="minji", **profile):
    user = crud.get_or_create_user(s, name)
    if profile:
        crud.update_profile(s, user, **profile)
    return user


def test_a_new_like_reverses_an_old_dislike_and_keeps_its_source(db):
    with db.session() as s:
        user = _user(s)
        first = crud.add_message(s, user, "user", "매운 건 별로야")
        assert [u.action for u in apply_preference(s, user, "dislike", "매운", source_message=first)] == ["added"]
        later = crud.add_message(s, user, "user", "이제 매운 것도 잘 먹어")
        updates = apply_preference(s, user, "like", "매운", source_message=later)
        assert {(u.action, u.kind) for u in updates} == {("removed", "dislike"), ("added", "like")}
        prefs = crud.list_preferences(s, user)
        assert [(p.kind, p.value, p.source_message_id) for p in prefs] == [("like", "매운", later.id)]


def test_an_allergy_is_never_dropped_by_a_like_only_by_saying_so(db):
    with db.session() as s:
        user = _user(s)
        apply_preference(s, user, "allergy", "새우")
        updates = apply_preference(s, user, "like", "새우")
        assert [(u.action, u.kind, u.value) for u in updates] == [("kept", "allergy", "새우")]
        assert preference_sets(s, user)["allergy"] == {"새우"}
        assert preference_sets(s, user)["like"] == frozenset()
        removed = apply_preference(s, user, "allergy", "새우", "remove")
        assert [(u.action, u.kind) for u in removed] == [("removed", "allergy")]
        assert preference_sets(s, user)["allergy"] == frozenset()


def test_one_goal_at_a_time_mirrored_on_the_profile(db):
    with db.session() as s:
        user = _user(s)
        apply_preference(s, user, "goal", "벌크업")
        assert user.goal == "bulk"
        updates = apply_preference(s, user, "goal", "다이어트")
        assert ("removed", "goal", "벌크업") in {(u.action, u.kind, u.value) for u in updates}
        assert user.goal == "diet" and preference_sets(s, user)["goal"] == {"다이어트"}
        apply_preference(s, user, "goal", "다이어트", "remove")
        assert user.goal is None
        with pytest.raises(ValueError):
            apply_preference(s, user, "goal", "날씬")
        with pytest.raises(ValueError):
            apply_preference(s, user, "diet", "간헐적단식")


def test_users_can_edit_and_delete_only_their_own_preferences(db):
    with db.session() as s:
        user = _user(s)
        other = _user(s, "other")
        apply_preference(s, user, "dislike", "오이")
        pref = crud.list_preferences(s, user)[0]
        edited = edit_user_preference(s, user, pref.id, value="고수")
        assert edited.value == "고수"
        with pytest.raises(crud.NotFoundError):
            edit_user_preference(s, other, pref.id, value="파")
        with pytest.raises(crud.NotFoundError):
            delete_user_preference(s, other, pref.id)
        delete_user_preference(s, user, pref.id)
        assert crud.list_preferences(s, user) == []


def test_meals_are_logged_with_scaled_nutrition_and_summed_for_the_local_day(db):
    # 08:30 in Seoul is 23:30 UTC the day before: "today" must follow Seoul's calendar.
    breakfast = datetime(2026, 11, 28, 8, 30, tzinfo=ZoneInfo(SEOUL))
    now = datetime(2026, 11, 28, 13, 0, tzinfo=ZoneInfo(SEOUL))
    ramen, stew = TABLE["라면"], TABLE["김치찌개"]
    with db.session() as s:
        user = _user(s, sex="F", birth_year=1997)
        log_eaten_meal(s, user, ramen, meal="아침", servings=1, eaten_at=breakfast)
        log_eaten_meal(s, user, stew, meal="점심", servings=0.5, eaten_at=now)
        log_eaten_meal(s, user, stew, meal="저녁", servings=1, eaten_at=now - timedelta(days=1))
    with db.session() as s:
        user = crud.get_user_by_username(s, "minji")
        summary = day_summary(s, user, now, SEOUL)
        assert [m.food_name for m in summary.meals] == ["라면", "김치찌개"]
        expected = round(ramen.kcal) + round(stew.kcal * 0.5)
        assert abs(summary.totals["kcal"] - expected) <= 1
        assert summary.meal_types == ("아침", "점심")
        assert summary.targets.kcal == 2000
        assert summary.remaining_kcal == pytest.approx(2000 - summary.totals["kcal"])
        yesterday = day_summary(s, user, now, SEOUL, day_offset=-1)
        assert [m.food_name for m in yesterday.meals] == ["김치찌개"]


def test_recent_foods_counts_days_since_eaten_or_recommended(db):
    now = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    with db.session() as s:
        user = _user(s)
        log_eaten_meal(s, user, TABLE["라면"], meal="점심", eaten_at=now - timedelta(days=2, hours=1))
        crud.log_recommendations(s, user, ["비빔밥"])
        log_eaten_meal(s, user, TABLE["김치찌개"], meal="점심", eaten_at=now - timedelta(days=10))
        recent = recent_foods(s, user, datetime.now(UTC))
        assert recent["비빔밥"] == 0
        assert "김치찌개" not in recent
        assert recent_foods(s, user, now)["라면"] == 2


def test_day_bounds_follow_the_local_calendar():
    start, end = day_bounds(datetime(2026, 11, 28, 0, 30, tzinfo=UTC), SEOUL)
    assert start == datetime(2026, 11, 27, 15, 0, tzinfo=UTC) and end - start == timedelta(days=1)


def test_targets_come_from_the_profile_or_a_labeled_default(db):
    with db.session() as s:
        full = _user(s, "full", sex="F", birth_year=1997, height_cm=163, weight_kg=55, activity_level="low")
        empty = _user(s, "empty")
        today = datetime(2026, 11, 28).date()
        assert user_targets(full, today).kcal == 1740
        assert "기본값" in user_targets(empty, today).basis
