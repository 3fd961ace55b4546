"""Lasting facts users tell about themselves (likes, allergies, diets) and meals they say they ate."""

from __future__ import annotations

import pytest

from mechuri.knowledge.vocab import ALLERGENS, DIETS, GOALS
from mechuri.nlu import MealStatement, PreferenceStatement, understand


def prefs(message: str) -> list[tuple[str, str, str]]:
    return [(p.kind, p.value, p.polarity) for p in understand(message).preferences]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("오이 싫어", ("dislike", "오이", "add")),
        ("고수 못 먹어요", ("dislike", "고수", "add")),
        ("가지는 별로", ("dislike", "가지", "add")),
        ("버섯 안 먹어", ("dislike", "버섯", "add")),
        ("해산물 좋아해", ("like", "해산물", "add")),
        ("떡볶이 최애야", ("like", "떡볶이", "add")),
        ("중식 좋아하는 편", ("like", "중식", "add")),
        ("매운 거 잘 못 먹어", ("dislike", "매운", "add")),
        ("나 맵찔이임", ("dislike", "매운", "add")),
    ],
)
def test_likes_and_dislikes(message, expected):
    assert prefs(message) == [expected]


def test_now_eating_what_was_disliked_is_a_like_that_replaces_the_dislike():
    assert prefs("이제 매운 것도 잘 먹어") == [("like", "매운", "add")]
    assert prefs("매운 거 이제 안 싫어") == [("dislike", "매운", "remove")]


def test_two_statements_in_one_message():
    assert prefs("오이는 싫고 토마토는 좋아") == [("dislike", "오이", "add"), ("like", "토마토", "add")]


def test_a_topic_first_statement():
    assert prefs("제일 싫어하는 음식은 가지야") == [("dislike", "가지", "add")]


@pytest.mark.parametrize(
    ("message", "allergens"),
    [
        ("새우 알레르기 있어요", ["새우"]),
        ("땅콩 알러지 있음", ["땅콩"]),
        ("계란 알레르기가 있어", ["난류"]),
        ("소고기 알레르기", ["쇠고기"]),
        ("갑각류 알레르기 있어요", ["게", "새우"]),
        ("견과류 알레르기 있어", ["땅콩", "호두", "잣"]),
        ("조개 알레르기 있어요", ["조개류"]),
    ],
)
def test_allergies_are_labeled_allergens_and_groups_expand(message, allergens):
    result = prefs(message)
    assert [value for _kind, value, _pol in result] == allergens
    assert all(kind == "allergy" and pol == "add" and value in ALLERGENS for kind, value, pol in result)


def test_an_allergy_that_went_away_is_removed():
    assert prefs("새우 알레르기 없어졌어") == [("allergy", "새우", "remove")]
    assert prefs("땅콩 알레르기 다 나았어요") == [("allergy", "땅콩", "remove")]


def test_an_allergy_to_something_outside_the_labeling_list_keeps_the_word():
    assert prefs("키위 알레르기 있어") == [("allergy", "키위", "add")]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("나 다이어트 중이야", ("goal", "다이어트", "add")),
        ("살 빼는 중", ("goal", "다이어트", "add")),
        ("벌크업 하는 중이에요", ("goal", "벌크업", "add")),
        ("채식주의자입니다", ("diet", "채식", "add")),
        ("저 비건이에요", ("diet", "비건", "add")),
        ("저염식 해야 돼요", ("diet", "저염", "add")),
        ("당뇨 관리 중이에요", ("diet", "당뇨관리", "add")),
        ("저탄고지 하고 있어", ("diet", "저탄수", "add")),
        ("다이어트 끝났어", ("goal", "다이어트", "remove")),
        ("비건 그만뒀어", ("diet", "비건", "remove")),
        ("요즘 비건으로 먹고 있어", ("diet", "비건", "add")),
        ("비건 식단 하고 있어요", ("diet", "비건", "add")),
        ("채식으로 바꿨어요", ("diet", "채식", "add")),
        ("저염식 중이에요", ("diet", "저염", "add")),
    ],
)
def test_diets_and_goals(message, expected):
    result = prefs(message)
    assert result == [expected]
    assert expected[1] in (DIETS if expected[0] == "diet" else GOALS)


@pytest.mark.parametrize("message", ["비건 메뉴 추천해줘", "비건으로 추천해줘", "비건으로 먹고 싶어"])
def test_a_diet_word_describing_the_food_asked_for_is_a_constraint_not_a_statement(message):
    result = understand(message)
    assert result.preferences == [] and result.slots.tags_wanted == ("비건",)


@pytest.mark.parametrize(("message", "tag"), [("비건 치킨 추천", "비건"), ("저염 국 추천해줘", "저염"),
                                              ("채식 파스타 먹고 싶어", "채식가능")])
def test_a_diet_word_right_before_a_food_describes_that_food_only(message, tag):
    result = understand(message)
    assert result.preferences == [] and tag in result.slots.tags_wanted
    assert understand("나 비건이야").preferences[0].value == "비건"  # a statement is still remembered


def meals(message: str) -> list[MealStatement]:
    return understand(message).meals


def test_a_meal_eaten():
    assert meals("아침에 라면 먹었어") == [MealStatement("라면", "아침", 1.0, 0)]
    assert meals("점심은 김치찌개") == [MealStatement("김치찌개", "점심", 1.0, 0)]


@pytest.mark.parametrize(
    ("message", "servings"),
    [("라면 반 그릇 먹었어", 0.5), ("김밥 두 줄 먹음", 2.0), ("비빔밥 한 그릇 반 먹었어", 1.5), ("떡볶이 조금 먹었어", 0.5),
     ("짜장면 곱빼기 먹었다", 1.5), ("만두 3개 먹었어", 3.0)],
)
def test_servings(message, servings):
    assert [m.servings for m in meals(message)] == [servings]


def test_yesterday_and_several_dishes():
    assert meals("어제 저녁에 김밥이랑 라면 먹었어") == [
        MealStatement("김밥", "저녁", 1.0, -1), MealStatement("라면", "저녁", 1.0, -1)]


def test_a_generic_food_eaten_asks_which_one():
    result = understand("점심에 치킨 먹었어")
    assert result.intent == "meal_log" and result.meals == []
    assert result.foods[0].dish is None and result.foods[0].suggestions


def test_statement_types():
    result = understand("오이 싫어")
    assert isinstance(result.preferences[0], PreferenceStatement)
