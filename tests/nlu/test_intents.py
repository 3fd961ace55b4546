"""A user types X in the chat; mechuri's NLU must hear the right request, first things first."""

from __future__ import annotations

import pytest

from mechuri.nlu import understand


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("점심 뭐 먹을지 추천 좀 해줘", "recommend"),
        ("저녁뭐먹지ㅠ", "recommend"),
        ("오늘 야식 골라줘요", "recommend"),
        ("매콤한 거", "recommend"),
        ("된장찌개 칼로리 얼마나 돼요?", "nutrition"),
        ("짬뽕 나트륨 알려줘", "nutrition"),
        ("제육볶음 어떻게 만들어?", "recipe"),
        ("된장찌게 레시피", "recipe"),
        ("오이 진짜 싫어", "preference"),
        ("저는 해물 좋아해요", "preference"),
        ("땅콩 알레르기 있어요", "allergy"),
        ("저 비건이에요", "diet"),
        ("요즘 다이어트 하는 중", "diet"),
        ("점심에 칼국수 먹었어", "meal_log"),
        ("오늘 뭐 먹었지?", "today"),
        ("지금까지 몇 칼로리 먹었어?", "today"),
        ("어제 먹은 거 보여줘", "today"),
        ("오늘 총 몇 칼로리야", "today"),
        ("어제 총 열량 얼마였지", "today"),
        ("오늘 칼로리 얼마나 남았어?", "today"),
        ("good morning", "greeting"),
        ("thanks a lot!", "thanks"),
        ("one more please", "another"),
        ("국물 있는 걸로", "recommend"),
        ("가벼운 걸로 부탁해요", "recommend"),
        ("아침은 김밥", "meal_log"),
        ("다른 거 추천해줘", "another"),
        ("그거 말고 딴 거", "another"),
        ("그거 나트륨은?", "followup"),
        ("두번째꺼 레시피", "followup"),
        ("좋아 그걸로 하자", "followup"),
        ("일주일 식단 짜줘", "plan"),
        ("고단백으로 하루 3끼 구성해 줘", "plan"),
        ("안녕하세요!", "greeting"),
        ("고마워요 ㅎㅎ", "thanks"),
        ("넌 이름이 뭐야", "smalltalk"),
        ("내일 날씨 알려줘", "out_of_domain"),
        ("영화 추천 좀", "out_of_domain"),
    ],
)
def test_each_intent_is_recognized(message, intent):
    assert understand(message).intent == intent


@pytest.mark.parametrize(
    ("message", "intents"),
    [
        ("매운 건 싫고 점심 추천해줘", ["recommend", "preference"]),
        ("새우 알레르기 있는데 저녁 뭐 먹지", ["recommend", "allergy"]),
        ("다이어트 중인데 점심 추천해줘", ["recommend", "diet"]),
        ("아침에 라면 먹었는데 점심 뭐 먹지", ["recommend", "meal_log"]),
        ("점심에 짜장면 먹었는데 칼로리 얼마야", ["nutrition", "meal_log"]),
        ("그거 칼로리는?", ["followup", "nutrition"]),
        ("그거 어떻게 만들어?", ["followup", "recipe"]),
        ("안녕! 저녁 추천해줘", ["recommend", "greeting"]),
        ("고마워 다른 것도 보여줘", ["another", "thanks"]),
    ],
)
def test_a_message_can_carry_several_intents_primary_first(message, intents):
    assert understand(message).intents == intents


def test_intent_property_is_the_primary_intent():
    result = understand("매운 건 싫고 점심 추천해줘")
    assert result.intent == result.intents[0] == "recommend"


def test_a_nutrient_question_without_a_dish_is_about_the_last_answer():
    result = understand("탄수화물은 얼마야?")
    assert result.intents == ["followup", "nutrition"]
    assert result.nutrients == ("carbohydrate_g",)


def test_a_bare_dish_name_asks_about_that_dish():
    result = understand("떡볶이")
    assert result.intent == "nutrition"
    assert [food.dish for food in result.foods] == ["떡볶이"]


def test_asking_to_recommend_something_that_is_not_food_is_out_of_domain():
    for message in ("노래 추천해줘", "주식 종목 추천 좀", "게임 뭐 하지"):
        assert understand(message).intent == "out_of_domain", message


def test_a_diet_plan_request_is_a_plan_not_a_single_recommendation():
    result = understand("다이어트 일주일 식단")
    assert result.intents == ["plan"]
    assert result.slots.plan_days == 7
