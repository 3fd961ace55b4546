"""Replies that read like a person (issue 14 item 4, issue 20 item 7), through the real dialogue manager on
SQLite and PostgreSQL: a list whose cards give reasons of different kinds, true for each dish; the estimate
disclaimer once per conversation; acknowledgements in the user's own word, not repeated word for word;
yes/no questions answered 네 or 아니요 first, then the numbers."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from mechuri.conversation import strings as S
from mechuri.knowledge import load_food_table
from mechuri.recommend.reasons import reason_kind

TABLE = load_food_table()
WINTER_LUNCH = datetime(2026, 12, 28, 12, 10, tzinfo=ZoneInfo("Asia/Seoul"))


def test_the_cards_of_a_list_give_reasons_of_different_kinds_true_for_each_dish(chat, clock):
    clock.now = WINTER_LUNCH  # the season adds 「겨울」: its reason only for dishes that warm
    for message in ("점심 추천해줘", "다른 거", "다른 거", "국물 요리 추천해줘", "다른 거", "매운 거 먹고 싶어"):
        turn = chat(message)
        reasons = [item.reason for item in turn.recommendations]
        assert len(turn.recommendations) == 3, message
        kinds = [reason_kind(reason) for reason in reasons]
        assert len(set(kinds)) == len(kinds), (message, reasons)
        for item in turn.recommendations:
            assert item.reason in turn.reply
            dish = TABLE[item.name]
            if item.reason == "추운 날 몸을 데워 줘요":
                assert "차가운" not in dish.tags and dish.category not in {"빵", "음료", "디저트", "반찬"}
                assert "겨울" in dish.tags or {"국물", "따뜻한"} <= set(dish.tags), item.name
            if "국물" in item.reason:
                assert "국물" in dish.tags, (item.name, item.reason)


def test_the_estimate_disclaimer_is_said_once_per_conversation(chat, clock):
    assert TABLE["목살"].estimated and TABLE["로제떡볶이"].estimated and TABLE["꼬마김밥"].estimated
    first = chat("목살 칼로리 얼마야")
    assert S.NUTRITION_ESTIMATED in first.reply and first.nutrition.estimate_note
    for message in ("로제떡볶이 칼로리", "점심 추천해줘", "첫 번째 거 칼로리는?", "로제떡볶이가 꼬마김밥보다 나트륨 더 많아?"):
        turn = chat(message)
        assert S.NUTRITION_ESTIMATED not in turn.reply, message
    clock.now += timedelta(hours=5)  # a new conversation says it again
    later = chat("꼬마김밥 칼로리")
    assert S.NUTRITION_ESTIMATED in later.reply and later.nutrition.estimate_note


def test_mfds_numbers_cite_the_source_once_per_conversation_and_never_say_estimate(chat, clock):
    assert not TABLE["김치찌개"].estimated and not TABLE["라면"].estimated
    first = chat("김치찌개 칼로리 알려줘")
    assert S.NUTRITION_MFDS in first.reply and S.NUTRITION_ESTIMATED not in first.reply
    assert f"{TABLE['김치찌개'].kcal:,.0f}kcal" in first.reply  # the table's number, now the 식약처 one
    again = chat("라면은?")
    assert again.nutrition.found and S.NUTRITION_MFDS not in again.reply and S.NUTRITION_ESTIMATED not in again.reply
    clock.now += timedelta(hours=5)
    assert S.NUTRITION_MFDS in chat("라면 나트륨").reply


def test_an_allergy_is_acknowledged_in_the_users_word(chat):
    egg = chat("계란 알레르기 있어")
    assert [(c.kind, c.value, c.said) for c in egg.preferences_changed] == [("allergy", "난류", "계란")]
    assert "계란 알레르기" in egg.reply and "난류" not in egg.reply
    cheese = chat("치즈 알레르기 있어요")
    assert "치즈 알레르기" in cheese.reply and cheese.preferences_changed[0].value == "우유"
    seafood = chat("해산물 알레르기")
    assert len(seafood.preferences_changed) > 1
    assert seafood.reply.count("해산물 알레르기") == 1 and seafood.reply.count("\n") == 0
    again = chat("계란 알레르기 있어")
    assert "계란" in again.reply and "난류" not in again.reply
    gone = chat("계란 알레르기 없어")
    assert gone.preferences_changed[0].action == "removed" and "계란 알레르기" in gone.reply
    assert "난류" not in gone.reply


def test_acknowledgements_are_not_repeated_word_for_word_in_consecutive_turns(chat):
    replies = [chat(f"{word} 싫어").reply.replace(word, "○") for word in ("오이", "고수", "가지", "당근")]
    assert all(a != b for a, b in pairwise(replies)), replies
    allergies = [chat(f"{word} 알레르기 있어").reply.replace(word, "○") for word in ("땅콩", "복숭아", "호두")]
    assert all(a != b for a, b in pairwise(allergies)), allergies


def _diff(a: str, b: str, field: str) -> float:
    return abs(TABLE[a].nutrition()[field] - TABLE[b].nutrition()[field])


@pytest.mark.parametrize(("message", "start"), [
    ("라면이 김밥보다 나트륨 더 많아?", f"네, 라면이 김밥보다 나트륨이 {_diff('라면', '김밥', 'sodium_mg'):,.0f}mg 많아요."),
    ("김밥이 라면보다 나트륨 많아?", f"아니요, 김밥이 라면보다 나트륨이 {_diff('라면', '김밥', 'sodium_mg'):,.0f}mg 적어요."),
    ("김밥이 라면보다 칼로리 적어요?", f"네, 김밥이 라면보다 열량이 {_diff('라면', '김밥', 'kcal'):,.0f}kcal 적어요."),
    ("떡볶이 매워?", "네, 떡볶이는 매운 메뉴예요."),
    ("콩국수 따뜻해?", "아니요, 콩국수는 따뜻한 메뉴로 분류되어 있지 않아요."),
])
def test_a_yes_no_question_is_answered_first(chat, message, start):
    turn = chat(message)
    assert turn.nutrition is not None and turn.nutrition.verdict is not None
    assert turn.reply.startswith(start), turn.reply
    for dish in turn.nutrition.dishes:
        assert dish.name in turn.reply


def test_is_it_high_compares_with_the_meals_share_of_the_day(chat):
    turn = chat("김치찌개 칼로리 높아?")
    verdict = turn.nutrition.verdict
    assert verdict is not None and verdict.meal == "점심" and verdict.reference is not None
    assert verdict.yes is (TABLE["김치찌개"].kcal > verdict.reference)
    assert turn.reply.startswith(f"아니요, 김치찌개는 열량이 {round(TABLE['김치찌개'].kcal)}kcal로 점심 한 끼 기준"
                                 f"(약 {verdict.reference:,.0f}kcal)보다 낮아요.")
    salty = chat("라면 짜?")
    assert salty.reply.startswith(f"네, 라면은 나트륨이 {TABLE['라면'].sodium_mg:,.0f}mg으로 점심 한 끼 기준"), salty.reply
