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
