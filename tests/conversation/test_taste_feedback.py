"""What a conversation teaches the taste model: a dish chosen from the list (and the ones passed over), a
meal eaten, a list skipped with 「다른 거」 — and 「내 입맛 초기화」 forgets it, never the allergies."""

from __future__ import annotations

from sqlalchemy import select

from mechuri.db.models import TasteEvent, User
from mechuri.knowledge import load_food_table
from mechuri.memory import load_taste, preference_sets


def _events(db, chat) -> list[tuple[str, str]]:
    with db.session() as s:
        rows = s.scalars(select(TasteEvent).where(TasteEvent.user_id == chat.user_id).order_by(TasteEvent.id))
        return [(row.food_name, row.kind) for row in rows]


def test_a_choice_a_skip_and_a_meal_are_remembered_as_taste(chat, db):
    first = [r.name for r in chat("점메추 ㄱㄱ").recommendations]
    second = [r.name for r in chat("다른 거 없어?").recommendations]
    assert set(first).isdisjoint(second)
    turn = chat("두번째 걸로 먹을게요")
    assert turn.choice.dish == second[1] and turn.meta["taste_feedback"] == {"chose": 1, "passed": 2}
    chat("저녁엔 제육볶음 먹었어")
    events = _events(db, chat)
    assert events[:3] == [(name, "skipped") for name in first]
    assert (second[1], "chose") in events and ("제육볶음", "ate") in events
    assert {(name, "passed") for name in second if name != second[1]} <= set(events)
    with db.session() as s:
        model = load_taste(s, s.get(User, chat.user_id), load_food_table())
    assert model.chosen == [second[1], "제육볶음"] and model.top_features()


def test_resetting_the_taste_forgets_what_was_learned_but_not_the_allergy(chat, db):
    chat("새우 알레르기 있어요")
    chat("점심 추천해줘")
    chat("1번으로 할게")
    assert _events(db, chat)
    turn = chat("내 입맛 초기화해줘")
    assert turn.taste_reset and not turn.preferences_changed and "초기화했어요" in turn.reply
    assert _events(db, chat) == []
    with db.session() as s:
        assert preference_sets(s, s.get(User, chat.user_id))["allergy"] == frozenset({"새우"})
    again = chat("취향 학습한 거 지워줘")
    assert again.taste_reset == 0 and "초기화할 게 없어요" in again.reply


def test_rating_a_listed_dish_in_chat_teaches_the_taste(chat, db):
    shown = [r.name for r in chat("저녁 뭐 먹지").recommendations]
    up = chat("첫 번째 거 맛있겠다 ㅎㅎ")
    assert up.rated.dish == shown[0] and up.rated.value == "up" and up.rated.rank == 1
    assert up.nutrition is None and not up.meal_logged and "1번으로 할게" in up.reply
    down = chat("3번은 별로야")
    assert down.rated.dish == shown[2] and down.rated.value == "down"
    assert shown[2] not in [r.name for r in down.recommendations] and down.recommendations
    assert down.reply.startswith(f"{shown[2]}")
    events = _events(db, chat)
    assert (shown[0], "liked") in events and (shown[2], "disliked") in events
    assert {(name, "skipped") for name in shown} <= set(events)


def test_a_rating_without_a_list_teaches_nothing(chat, db):
    chat("안녕")
    chat("2번 별로야")
    assert _events(db, chat) == []


def test_the_taste_read_back_is_always_what_the_stored_events_teach(db):
    """``load_taste`` keeps each user's last model with the events it came from: asking again reuses it, new
    events extend it, and a reset, a window that moved or another user's events are relearned — never stale."""
    from mechuri.db import crud
    from mechuri.memory import record_feedback, reset_taste, taste_events
    from mechuri.memory import taste as stored
    from mechuri.recommend.taste import TasteModel

    table = load_food_table()

    def read(s, user) -> TasteModel:
        model = load_taste(s, user, table)
        assert model == TasteModel.learn(taste_events(s, user), table)
        return model

    with db.session() as s:
        user = crud.get_or_create_user(s, "jiwoo")
        other = crud.get_or_create_user(s, "seoyeon")
        record_feedback(s, user, ["제육볶음"], "chose")
        record_feedback(s, user, ["짜장면", "김밥"], "passed")
        first = read(s, user)
        first.mean.clear()  # a caller changing its model does not change the kept one
        assert read(s, user).mean
        record_feedback(s, user, ["오삼불고기"], "ate")
        assert read(s, user).chosen == ["제육볶음", "오삼불고기"]
        record_feedback(s, other, ["물냉면"], "liked")
        assert read(s, other).chosen == ["물냉면"]
        reset_taste(s, user)
        assert read(s, user).events == 0
        record_feedback(s, user, ["콩국수"], "disliked")
        assert read(s, user).events == 1
        names = [dish.name for dish in table if dish.name != "콩국수"][:stored.MAX_EVENTS]
        record_feedback(s, user, names, "ate")  # the window moves: 콩국수 drops out of the latest 500
        model = read(s, user)
        assert model.events == stored.MAX_EVENTS and "콩국수" not in {e.dish for e in taste_events(s, user)}
