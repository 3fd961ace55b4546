"""A meal said with a kind of dish — 「저녁에 치킨 반마리 먹었어」, 「점심에 국밥 먹었어」 — asks which one (the table
has many), offering real kinds of it (never 치킨무), and the short answer people give — 「양념치킨이요」, 「2번」,
「불고기요」 — logs that dish as the meal, amount and day said before. A log for yesterday reports yesterday's
total, not today's. Numbers come from the table and ``knowledge.portions``, never from the test."""

from __future__ import annotations

from datetime import datetime

import pytest

from chatting import LUNCH
from mechuri.knowledge import load_food_table
from mechuri.knowledge.lookup import default_lookup
from mechuri.knowledge.portions import portion

TABLE = load_food_table()
LOOKUP = default_lookup()


def asked_which(turn, word: str) -> list[str]:
    assert not turn.meal_logged, turn.reply
    ambiguous = turn.log_outcome.ambiguous
    assert [a.query for a in ambiguous] == [word]
    options = ambiguous[0].suggestions
    assert options and options[0] == LOOKUP.representative(word).name
    assert all(name in TABLE and name in (LOOKUP.representative(word).name, *LOOKUP.variants(word)) for name in options)
    assert "종류가 여러 가지" in turn.reply and "표에 없어서" not in turn.reply
    return options


@pytest.mark.parametrize(("said", "word", "answer", "pick", "meal", "count", "unit", "days_ago"), [
    ("어제 저녁에 치킨 반마리 먹었어", "치킨", "양념치킨이요", "양념치킨", "저녁", 0.5, "마리", 1),
    ("점심에 국밥 한그릇 먹었어", "국밥", "2번", 1, "점심", 1.0, "그릇", 0),
    ("아까 점심때 피자 두조각 먹음", "피자", "불고기요", "불고기피자", "점심", 2.0, "조각", 0),
    ("치킨 한 마리 시켜먹었어요", "치킨", "후라이드", "후라이드치킨", "점심", 1.0, "마리", 0),
])
def test_the_answer_to_which_one_logs_the_meal_said_before(chat, said, word, answer, pick, meal, count, unit,
                                                          days_ago):
    options = asked_which(chat(said), word)
    name = options[pick] if isinstance(pick, int) else pick
    turn = chat(answer)
    assert [m.name for m in turn.meal_logged] == [name], turn.reply
    logged = turn.meal_logged[0]
    expected = portion(TABLE[name], count, unit)
    assert logged.meal == meal and logged.servings == pytest.approx(expected.servings)
    assert logged.kcal == round(TABLE[name].kcal * expected.servings)
    eaten = datetime.fromisoformat(logged.eaten_at)
    assert (LUNCH.date() - eaten.astimezone(LUNCH.tzinfo).date()).days == days_ago
    assert turn.nutrition is None and not turn.recommendations


def test_a_log_for_yesterday_reports_yesterdays_total(chat):
    chat("아침에 김밥 먹었어")
    turn = chat("어제 저녁에 양념치킨 먹었어")
    assert [m.name for m in turn.meal_logged] == ["양념치킨"]
    assert turn.log_outcome.day_offset == -1
    assert turn.log_outcome.today_kcal == pytest.approx(TABLE["양념치킨"].kcal)
    assert "어제" in turn.reply and "오늘 지금까지" not in turn.reply


@pytest.mark.parametrize("next_message", ["아 그냥 점심 추천해줘", "양념치킨 칼로리 얼마야?", "나 땅콩 알레르기 있어"])
def test_a_message_that_is_not_the_answer_is_read_as_itself(chat, next_message):
    asked_which(chat("저녁에 치킨 먹었어"), "치킨")
    turn = chat(next_message)
    assert not turn.meal_logged, turn.reply


def test_the_question_is_forgotten_after_one_answer(chat):
    asked_which(chat("저녁에 치킨 먹었어"), "치킨")
    chat("고마워")
    turn = chat("양념치킨")
    assert not turn.meal_logged and turn.nutrition is not None
