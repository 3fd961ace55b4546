"""Storing users, messages, preferences and meals, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from mechuri.db import crud
from mechuri.db.models import User
from mechuri.security import verify_password


def test_a_user_signs_up_with_a_hashed_password_and_a_profile(db):
    with db.session() as s:
        crud.create_user(s, "jiyoung", password="맛있는거먹자123", display_name="지영",
                         sex="F", birth_year=1997, height_cm=163, weight_kg=55,
                         activity_level="low", goal="diet")
    with db.session() as s:
        user = crud.get_user_by_username(s, "jiyoung")
        assert user is not None and user.display_name == "지영" and user.height_cm == 163
        assert user.password_hash.startswith("$argon2id$")
        assert "맛있는거먹자123" not in user.password_hash
        assert verify_password(user.password_hash, "맛있는거먹자123")
        assert not verify_password(user.password_hash, "틀린비번")


def test_usernames_are_unique(db):
    with db.session() as s:
        crud.create_user(s, "minsu")
    with pytest.raises(IntegrityError), db.session() as s:
        crud.create_user(s, "minsu")


def test_bad_usernames_and_profile_fields_are_refused(db):
    with db.session() as s:
        with pytest.raises(ValueError, match="username"):
            crud.create_user(s, "   ")
        user = crud.create_user(s, "ok")
        with pytest.raises(ValueError, match="unknown profile"):
            crud.update_profile(s, user, password_hash="x")


def test_messages_keep_their_order_and_turn_metadata(db):
    with db.session() as s:
        user = crud.get_or_create_user(s, "hyun")
        crud.add_message(s, user, "user", "오늘 점심 뭐 먹지?")
        crud.add_message(s, user, "assistant", "김치찌개 어때요?",
                         meta={"intent": "recommend", "recommendations": [{"name": "김치찌개", "kcal": 450}]})
        for i in range(3):
            crud.add_message(s, user, "user", f"메시지 {i}")
    with db.session() as s:
        user = crud.get_user_by_username(s, "hyun")
        messages = crud.list_messages(s, user, limit=10)
        assert [m.content for m in messages][:2] == ["오늘 점심 뭐 먹지?", "김치찌개 어때요?"]
        assert messages[1].meta["recommendations"][0]["name"] == "김치찌개"
        last_two = crud.list_messages(s, user, limit=2)
        assert [m.content for m in last_two] == ["메시지 1", "메시지 2"]
        older = crud.list_messages(s, user, limit=10, before_id=last_two[0].id)
        assert [m.content for m in older][-1] == "메시지 0"
        with pytest.raises(ValueError):
            crud.add_message(s, user, "system", "x")


def test_preferences_are_remembered_once_with_their_source_and_can_be_deleted(db):
    with db.session() as s:
        user = crud.get_or_create_user(s, "sora")
        msg = crud.add_message(s, user, "user", "저 새우 알레르기 있어요")
        pref = crud.set_preference(s, user, "allergy", "새우", source_message=msg)
        again = crud.set_preference(s, user, "allergy", "새우", source_message=msg)
        assert pref.id == again.id
        crud.set_preference(s, user, "dislike", "매운")
        other = crud.get_or_create_user(s, "intruder")
        with pytest.raises(crud.NotFoundError):
            crud.delete_preference(s, other, pref.id)
        with pytest.raises(ValueError):
            crud.set_preference(s, user, "hate", "오이")
    with db.session() as s:
        user = crud.get_user_by_username(s, "sora")
        prefs = crud.list_preferences(s, user)
        assert [(p.kind, p.value) for p in prefs] == [("allergy", "새우"), ("dislike", "매운")]
        assert prefs[0].source_message_id is not None
        assert [p.value for p in crud.list_preferences(s, user, kinds=["allergy"])] == ["새우"]
        crud.delete_preference(s, user, prefs[1].id)
        assert crud.remove_preference_value(s, user, "allergy", "새우")
        assert crud.list_preferences(s, user) == []


def test_meals_are_logged_with_a_nutrition_snapshot_and_read_back_by_day(db):
    now = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)
    with db.session() as s:
        user = crud.get_or_create_user(s, "daeho")
        crud.log_meal(s, user, food_name="라면", meal_type="아침", servings=1,
                      nutrition={"kcal": 500, "sodium_mg": 1800}, eaten_at=now - timedelta(days=1))
        crud.log_meal(s, user, food_name="김치찌개", meal_type="점심", servings=0.5,
                      nutrition={"kcal": 225, "sodium_mg": 1000}, eaten_at=now)
        with pytest.raises(ValueError):
            crud.log_meal(s, user, food_name="x", meal_type="브런치", servings=1, nutrition={})
        with pytest.raises(ValueError):
            crud.log_meal(s, user, food_name="x", meal_type="점심", servings=0, nutrition={})
    with db.session() as s:
        user = crud.get_user_by_username(s, "daeho")
        today = crud.meals_between(s, user, now - timedelta(hours=3), now + timedelta(hours=1))
        assert [(m.food_name, m.servings, m.nutrition["kcal"]) for m in today] == [("김치찌개", 0.5, 225)]
        assert today[0].eaten_at.astimezone(UTC) == now


def test_recommendations_are_logged_for_novelty(db):
    with db.session() as s:
        user = crud.get_or_create_user(s, "yuna")
        crud.log_recommendations(s, user, ["비빔밥", "제육볶음", "짬뽕"])
        since = datetime.now(UTC) - timedelta(minutes=5)
        assert [r.food_name for r in crud.recommended_since(s, user, since)] == ["비빔밥", "제육볶음", "짬뽕"]


def test_deleting_a_user_deletes_their_data(db):
    with db.session() as s:
        user = crud.get_or_create_user(s, "bye")
        msg = crud.add_message(s, user, "user", "안녕")
        crud.set_preference(s, user, "like", "국물", source_message=msg)
    with db.session() as s:
        s.delete(crud.get_user_by_username(s, "bye"))
    with db.session() as s:
        assert s.query(User).count() == 0
