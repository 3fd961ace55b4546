"""Diets people name (할랄, 유당불내증, 페스코, 글루텐프리, 혈당 관리), a dish asked for that a constraint
forbids, and food the table lacks — through the real DialogueManager, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from mechuri.knowledge import load_food_table
from mechuri.recommend.audit import violations
from mechuri.recommend.request import RecommendationRequest

TABLE = load_food_table()


@pytest.mark.parametrize(("message", "diet", "said"), [
    ("할랄 음식만 먹어요", "할랄", "도축"),
    ("저 유당불내증 있어요", "유당불내증", "유제품"),
    ("우유 먹으면 배 아파 ㅠㅠ", "유당불내증", "유제품"),
    ("페스코 베지테리언이야", "페스코", "생선"),
    ("글루텐 프리로 먹어야 돼", "글루텐프리", "교차오염"),
    ("요즘 혈당 관리 중", "당뇨관리", "혈당"),
])
def test_a_diet_said_is_remembered_explained_and_enforced(chat, message, diet, said):
    turn = chat(message)
    assert [(c.kind, c.value) for c in turn.preferences_changed] == [("diet", diet)]
    assert (said in turn.reply and "확인" in turn.reply) or "상의" in turn.reply
    menus = chat("점심 뭐 먹지")
    assert menus.constraints.diets == (diet,) and len(menus.recommendations) == 3
    request = RecommendationRequest(diets={diet})
    for item in menus.recommendations:
        assert violations(TABLE[item.name], request) == [], item.name


def test_a_lactose_intolerant_user_is_never_offered_dairy_and_is_warned_about_it(chat):
    chat("저 유당불내증 있어요")
    for message in ("크림파스타 땡긴다", "우유 들어간 거 추천해줘"):
        turn = chat(message)
        assert all("우유" not in item.allergens for item in turn.recommendations), message
    turn = chat("크림파스타 칼로리 얼마야")
    assert [(c.kind, c.word) for c in turn.cautions] == [("diet", "유당불내증")]
    assert "유당불내증" in turn.reply


def test_a_dish_asked_for_that_an_allergy_forbids_gets_a_reason_and_close_alternatives(chat):
    chat("새우 알레르기 있어요")
    for message in ("새우볶음밥 먹고 싶어", "새우볶음밥 추천해줘"):
        turn = chat(message)
        answer = turn.recommendation_answer
        assert [(b.name, b.why, b.words) for b in answer.blocked] == [("새우볶음밥", ["allergy"], ["새우"])]
        assert answer.alternatives and "새우볶음밥은 새우 알레르기 때문에" in turn.reply
        names = [item.name for item in turn.recommendations]
        assert names and "새우볶음밥" not in names
        assert all(TABLE[name].category == TABLE["새우볶음밥"].category
                   or set(TABLE[name].ingredients) & {"계란", "밥"} for name in names), names
        assert all(violations(TABLE[n], RecommendationRequest(allergies={"새우"})) == [] for n in names)


def test_samgyeopsal_for_a_halal_user_is_blocked_with_meat_dishes_instead(chat):
    chat("할랄 음식만 먹어요")
    turn = chat("삼겹살 먹고 싶다")
    assert [(b.name, b.words) for b in turn.recommendation_answer.blocked] == [("삼겹살", ["할랄"])]
    assert "할랄 식단 때문에" in turn.reply
    assert turn.recommendations and all(TABLE[item.name].category == "고기" for item in turn.recommendations)
    assert all("돼지고기" not in item.allergens for item in turn.recommendations)


def test_a_dish_that_fits_is_not_blocked(chat):
    turn = chat("김치찌개 먹고 싶어")
    assert turn.recommendation_answer.blocked == [] and not turn.recommendation_answer.alternatives


def test_food_the_table_lacks_is_said_back_and_logged_with_the_energy_given(chat):
    assert "그래놀라" not in TABLE  # 식빵 was the example until the MFDS import added it
    turn = chat("아침에 그래놀라 먹었어")
    assert not turn.meal_logged and not turn.custom_logged
    assert turn.log_outcome.unknown == ["그래놀라"] and "기록하지 못했어요" in turn.reply and "열량을 알려" in turn.reply
    turn = chat("그래놀라 2컵 200kcal")
    assert [(c.name, c.kcal) for c in turn.custom_logged] == [("그래놀라 2컵", 200)]
    assert "200kcal" in turn.reply and turn.log_outcome.today_kcal == 200
    turn = chat("아침에 프로틴바 먹었는데 180칼로리야")
    assert [(c.name, c.meal, c.kcal) for c in turn.custom_logged] == [("프로틴바", "아침", 180)]
    assert turn.log_outcome.today_kcal == 380
    day = chat("오늘 뭐 먹었지?")
    assert day.intake["totals"]["kcal"] == 380
    assert "그래놀라 2컵" in day.reply and "열량만 기록돼" in day.reply


def test_several_dishes_in_one_message_are_all_logged_under_the_meal_said(chat):
    turn = chat("점심에 김밥이랑 라면 먹었어")
    assert [(m.name, m.meal) for m in turn.meal_logged] == [("김밥", "점심"), ("라면", "점심")]
    assert turn.log_outcome.today_kcal == round(TABLE["김밥"].kcal) + round(TABLE["라면"].kcal)


def test_sulfites_are_an_allergy_with_what_cannot_be_checked_said(chat):
    turn = chat("아황산류 알레르기 있어요")
    assert [(c.kind, c.value) for c in turn.preferences_changed] == [("allergy", "아황산류")]
    assert "보존료" in turn.reply
    menus = chat("저녁 추천해줘")
    assert all(violations(TABLE[i.name], RecommendationRequest(allergies={"아황산류"})) == []
               for i in menus.recommendations)
