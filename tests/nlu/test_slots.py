"""Constraints said in a request land in ``Slots`` as canonical vocabulary words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from mechuri.knowledge.vocab import CATEGORIES, CUISINES, MEALS, TAGS
from mechuri.nlu import understand

SEOUL = timezone(timedelta(hours=9))


@pytest.mark.parametrize(
    ("message", "meal"),
    [("아침 추천", "아침"), ("점심 뭐 먹지", "점심"), ("저녁메뉴 ㅊㅊ", "저녁"), ("간식 뭐 없나", "간식"),
     ("야식 땡긴다", "야식"), ("점메추", "점심"), ("밤에 먹을 거", "야식")],
)
def test_the_meal_said_is_the_meal_slot(message, meal):
    slots = understand(message).slots
    assert slots.meal == meal and not slots.meal_inferred


@pytest.mark.parametrize(
    ("hour", "meal"), [(7, "아침"), (12, "점심"), (16, "간식"), (19, "저녁"), (23, "야식"), (3, "야식")]
)
def test_the_meal_is_inferred_from_the_time_in_seoul_when_none_is_said(hour, meal):
    now = datetime(2025, 3, 1, hour, 30, tzinfo=SEOUL)
    slots = understand("뭐 먹지?", now=now).slots
    assert slots.meal == meal and slots.meal_inferred


def test_the_time_is_read_in_seoul_whatever_zone_it_comes_in():
    noon_in_seoul = datetime(2025, 3, 1, 3, 0, tzinfo=UTC)
    assert understand("추천해줘", now=noon_in_seoul).slots.meal == "점심"


def test_a_meal_that_is_said_wins_over_the_clock():
    slots = understand("저녁 추천해줘", now=datetime(2025, 3, 1, 8, 0, tzinfo=SEOUL)).slots
    assert slots.meal == "저녁" and not slots.meal_inferred


@pytest.mark.parametrize(
    ("message", "kcal_min", "kcal_max"),
    [
        ("500칼로리 이하로 추천", None, 500),
        ("400~600kcal 메뉴", 400, 600),
        ("300에서 500 칼로리 사이 간식", 300, 500),
        ("칼로리 700 넘지 않는 저녁", None, 700),
        ("800kcal 이상 든든한 거", 800, None),
        ("오백 칼로리 이하", None, 500),
    ],
)
def test_calorie_caps_and_ranges(message, kcal_min, kcal_max):
    slots = understand(message).slots
    assert (slots.kcal_min, slots.kcal_max) == (kcal_min, kcal_max)


def test_category_cuisine_and_tags_are_vocabulary_words():
    slots = understand("국물 있는 한식 찌개 중에 담백한 거 추천").slots
    assert slots.cuisines == ("한식",) and slots.categories == ("찌개",)
    assert set(slots.tags_wanted) == {"국물", "담백한"}
    for result in (understand(m).slots for m in ("편의점 음식 추천", "바삭한 튀김 땡겨", "시원한 면 요리")):
        assert set(result.tags_wanted) <= set(TAGS)
        assert set(result.categories) <= set(CATEGORIES) and set(result.cuisines) <= set(CUISINES)


def test_ingredients_wanted_and_excluded():
    slots = understand("새우 들어간 거 먹고 싶은데 오이는 빼줘").slots
    assert slots.ingredients_wanted == ("새우",)
    assert slots.ingredients_excluded == ("오이",)


@pytest.mark.parametrize(
    ("message", "people"),
    [("2명이서 먹을 저녁", 2), ("셋이서 먹을 거 추천", 3), ("4인 가족 메뉴 추천", 4), ("혼자 먹을 점심 추천", 1),
     ("다섯 명 회식 메뉴 추천", 5)],
)
def test_number_of_people(message, people):
    assert understand(message).slots.people == people


@pytest.mark.parametrize(
    ("message", "situation"),
    [("비 오는 날 뭐 먹지", "비오는날"), ("해장하고 싶다 추천 좀", "해장"), ("스트레스 받는데 뭐 먹지", "스트레스"),
     ("너무 더운데 뭐 먹지", "여름"), ("추운 날 먹을 거 추천", "겨울"), ("야근하면서 먹을 거", "야근")],
)
def test_weather_and_mood_words_are_situations(message, situation):
    assert situation in understand(message).slots.situations


@pytest.mark.parametrize("message", ["싼 거 추천해줘", "가성비 점심 메뉴", "돈 없는데 뭐 먹지"])
def test_price_words_ask_for_something_cheap(message):
    assert understand(message).slots.cheap


def test_a_plan_has_days_and_skipped_meals():
    slots = understand("아침은 안 먹으니까 점심 저녁만 일주일 식단 짜줘").slots
    assert slots.plan_days == 7 and slots.skip_meals == ("아침",)
    assert understand("오늘 하루 식단 추천해줘").slots.plan_days == 1


def test_only_requests_carry_constraints():
    assert understand("마파두부 레시피 간단하게").slots.filled() == {}
    assert understand("그거 매워?").slots.filled() == {}


def test_filled_lists_only_what_was_said():
    assert understand("점심 추천").slots.filled() == {"meal": "점심"}
    assert set(understand("아무거나").slots.filled()) <= set(MEALS) | {"meal"}
