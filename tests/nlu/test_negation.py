"""Negation and its scope: what a user does not want must never come back as what they want."""

from __future__ import annotations

import pytest

from mechuri.nlu import understand


def test_not_spicy_wants_dishes_that_are_not_spicy():
    slots = understand("안 매운 거 추천해줘").slots
    assert slots.tags_excluded == ("매운",) and "매운" not in slots.tags_wanted


def test_spicy_but_not_this_excludes_spicy():
    assert understand("매운 거 말고 추천해줘").slots.tags_excluded == ("매운",)


def test_without_meat_excludes_meat():
    assert understand("고기 없는 메뉴 추천").slots.tags_excluded == ("고기",)


def test_not_chicken_but_pizza():
    slots = understand("치킨 말고 피자").slots
    assert slots.categories_excluded == ("치킨",) and slots.categories == ("피자",)


def test_not_this_dish_but_that_one():
    slots = understand("짜장면 말고 짬뽕 먹을래").slots
    assert slots.dishes_excluded == ("짜장면",) and slots.dishes_wanted == ("짬뽕",)


@pytest.mark.parametrize(
    "message",
    ["안매운거", "맵지 않은 거", "맵지않은걸로 추천", "덜 매운 거 없어?", "매운 건 빼고", "매운거 ㄴㄴ", "매운 거 제외하고 추천"],
)
def test_every_way_of_saying_not_spicy(message):
    slots = understand(message).slots
    assert "매운" in slots.tags_excluded and "매운" not in slots.tags_wanted, message


def test_one_cue_excludes_every_word_before_it():
    slots = understand("오이랑 고수랑 가지 빼고 추천해줘").slots
    assert slots.ingredients_excluded == ("오이", "고수", "가지")


def test_scope_ends_at_the_cue():
    slots = understand("해산물 빼고 국물 있는 거").slots
    assert slots.tags_excluded == ("해산물",) and slots.tags_wanted == ("국물",)


def test_negated_craving_excludes():
    assert understand("오늘은 면 별로 안 땡겨 추천해줘").slots.tags_excluded == ("면",)


def test_a_dislike_in_a_request_is_a_preference_not_a_wish():
    result = understand("매운 건 싫고 점심 추천해줘")
    assert "매운" not in result.slots.tags_wanted
    assert [(p.kind, p.value) for p in result.preferences] == [("dislike", "매운")]


def test_not_greasy_and_not_salty():
    assert understand("느끼하지 않은 거 추천").slots.tags_excluded == ("기름진",)
    assert understand("안 짠 걸로 부탁해").slots.tags_excluded == ("짭짤한",)
