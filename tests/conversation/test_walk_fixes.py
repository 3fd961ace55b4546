"""Ordinary messages a walk through the chat got wrong, by class (each failed before its fix):
two meals in one sentence joined by 「먹고」, a recipe asked for a listed dish answered with another kind of
entry, a nutrient wished for in a request answered with the last dish's card, and a drink the table lacks,
said with an amount and no 칼로리, answered with the numbers of the dish talked about before."""

from __future__ import annotations

import pytest

from mechuri.knowledge import load_food_table
from mechuri.knowledge.lookup import default_lookup

TABLE = load_food_table()


@pytest.mark.parametrize(("message", "expected"), [
    ("아침에 라면 먹고 점심에 짬뽕 먹었어", [("라면", "아침"), ("짬뽕", "점심")]),
    ("아침엔 김밥 먹고 점심은 김치찌개 먹었음", [("김밥", "아침"), ("김치찌개", "점심")]),
    ("떡볶이 먹고 나서 순대도 먹었어", [("떡볶이", "점심"), ("순대", "점심")]),
])
def test_two_meals_joined_by_먹고_are_both_logged(chat, message, expected):
    turn = chat(message)
    assert sorted((m.name, m.meal) for m in turn.meal_logged) == sorted(expected), turn.reply
    assert turn.log_outcome.today_kcal == pytest.approx(sum(TABLE[name].kcal for name, _ in expected))


def test_wanting_to_eat_is_not_a_log(chat):
    turn = chat("라면 먹고 싶다")
    assert not turn.meal_logged


def test_a_recipe_asked_for_a_listed_dish_is_a_recipe_or_an_honest_no(chat, manager):
    shown = [item.name for item in chat("점심 추천해줘").recommendations]
    entries = {entry.id: entry for entry in manager.qa.entries}
    recipes = {dish for entry in entries.values() if entry.kind in ("recipe", "ingredients") for dish in entry.dishes}
    for place, message in enumerate(("첫번째꺼 만드는법 알려줘", "2번 레시피", "3번 어떻게 만들어?")):
        turn = chat(message)
        if shown[place] in recipes:
            assert turn.qa is not None, turn.reply
            entry = entries[turn.qa.id]
            assert entry.kind in ("recipe", "ingredients") and shown[place] in entry.dishes, turn.reply
        else:
            assert turn.qa is None and turn.recipe_for == shown[place] and "없어요" in turn.reply, turn.reply


@pytest.mark.parametrize(("message", "tag"), [
    ("단백질 좀 챙기고 싶은데 추천좀", "고단백"),
    ("단백질 챙길 수 있는 메뉴 추천해줘", "고단백"),
])
def test_a_nutrient_wished_for_in_a_request_shapes_the_list(chat, message, tag):
    chat("저녁 추천해줘")
    turn = chat(message)
    assert turn.nutrition is None and len(turn.recommendations) == 3, turn.reply
    assert tag in turn.meta["slots"].get("tags_wanted", [])


@pytest.mark.parametrize("message", ["소주 한병은?", "맥주 500cc 칼로리", "소주 한 병 칼로리는?"])
def test_a_drink_the_table_lacks_never_borrows_the_last_dishs_numbers(chat, message):
    chat("떡볶이 칼로리 알려줘")
    turn = chat(message)
    assert turn.nutrition is not None and turn.nutrition.dish is None, turn.reply
    assert "떡볶이" not in turn.reply and str(round(TABLE["떡볶이"].kcal)) not in turn.reply
    word = message.split()[0]
    assert f"'{word}'" in turn.reply


def test_suggestions_for_an_unknown_name_share_a_syllable_with_it():
    lookup = default_lookup()
    for typed in ("맥주", "소주", "떡복기", "김치찌게개"):
        for name in lookup.resolve(typed).suggestions:
            assert set(typed) & set(name), (typed, name)


@pytest.mark.parametrize("message", ["혈압도 좀 높은 편이에요", "고혈압이 있어요", "혈압 때문에 짠 건 조심해야 돼요"])
def test_high_blood_pressure_is_remembered_as_the_low_salt_diet(chat, message):
    turn = chat(message)
    assert any(c.kind == "diet" and c.value == "저염" and c.action == "added" for c in turn.preferences_changed), turn.reply
    listed = chat("저녁 추천해줘")
    assert "저염" in listed.constraints.diets and len(listed.recommendations) == 3


def test_may_i_eat_answers_first_whether_the_dishes_fit(chat):
    chat("제가 당뇨가 있어요")
    chat("혈압도 높아요")
    fine = next(d.name for d in TABLE if d.name == "잡곡밥")
    turn = chat(f"{fine} 먹어도 돼요?")
    assert turn.nutrition is not None and not turn.recommendations and not turn.cautions
    assert turn.reply.startswith("괜찮아요") and "저염" in turn.reply.splitlines()[0], turn.reply
    turn = chat("잡곡밥이랑 된장찌개 먹어도 되나요?")
    assert not turn.recommendations and {c.dish for c in turn.cautions} == {"된장찌개"}
    assert turn.reply.splitlines()[0] == "잡곡밥은 괜찮지만 된장찌개는 권하지 않아요.", turn.reply
    turn = chat("떡볶이 먹으면 안 돼?")
    assert turn.reply.startswith("권하지 않아요") and turn.cautions, turn.reply


def test_cooking_for_grandchildren_is_a_meal_with_children(chat):
    turn = chat("손주가 놀러 오는데 저녁 뭐 해주면 좋을까요")
    assert "아이" in turn.meta["slots"].get("situations", []) and len(turn.recommendations) == 3
    assert all("매운" not in TABLE[item.name].tags for item in turn.recommendations)


@pytest.mark.parametrize("question", ["아까 점심에 먹은거 칼로리 얼마였지", "점심에 먹은 거 나트륨 몇이야"])
def test_what_i_ate_earlier_is_read_from_the_log_not_the_last_list(chat, question):
    chat("김치찌개 먹었어")
    listed = [item.name for item in chat("저녁 추천해줘").recommendations]
    turn = chat(question)
    assert turn.intake is not None and not turn.recommendations and turn.nutrition is None, turn.reply
    assert "김치찌개" in turn.reply and not any(name in turn.reply for name in listed if name != "김치찌개")


def test_leaving_a_meal_out_right_after_a_plan_replans_without_it(chat):
    first = chat("하루 1500칼로리로 오늘 식단 짜줘")
    assert first.plan is not None
    turn = chat("점심은 회사에서 먹어서 빼고")
    assert turn.plan is not None and not turn.recommendations, turn.reply
    assert turn.plan_answer.replan and turn.plan_answer.skipped == ["점심"]
    assert all(item["meal"] != "점심" for day in turn.plan for item in day["meals"])


def test_a_dish_to_include_said_with_짜줘_is_a_plan_around_it(chat):
    turn = chat("저녁에 삼겹살 먹기로 했는데 그거 포함해서 짜줘")
    assert turn.plan is not None and turn.nutrition is None, turn.reply
    dinner = [item["name"] for item in turn.plan[0]["meals"] if item["meal"] == "저녁"]
    assert "삼겹살" in dinner
