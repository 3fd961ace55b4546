"""Pointing into the last list, as people do after a recommendation: settling on a dish logs it as the
meal the list was for, references reach every dish of the list, and a name the table lacks is said back
as typed — never answered with the numbers of the dish talked about before."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from chatting import LUNCH
from mechuri.knowledge import load_food_table
from mechuri.knowledge.qa import load_qa

TABLE = load_food_table()
QA_DISHES = {dish for entry in load_qa() for dish in entry.dishes}
HOW_TO_DISHES = {dish for entry in load_qa() if entry.kind in ("recipe", "ingredients") for dish in entry.dishes}


def listed(turn) -> list[str]:
    names = [item.name for item in turn.recommendations]
    assert len(names) == 3
    return names


def assert_logged_choice(turn, name: str, rank: int, meal: str, shown: list[str]) -> None:
    assert [m.name for m in turn.meal_logged] == [name]
    logged = turn.meal_logged[0]
    assert logged.meal == meal and logged.kcal == round(TABLE[name].kcal)
    assert turn.choice is not None and (turn.choice.dish, turn.choice.rank) == (name, rank)
    assert turn.choice.shown == shown and turn.choice.meal == meal
    assert not turn.recommendations and turn.recommendation_answer is None and turn.nutrition is None
    assert f"{meal}으로 {name}" in turn.reply or f"{meal}로 {name}" in turn.reply
    assert f"{logged.kcal:.0f}kcal" in turn.reply and "오늘 지금까지" in turn.reply
    assert turn.log_outcome is not None and turn.log_outcome.today_kcal == logged.kcal


@pytest.mark.parametrize(("message", "index"), [
    ("음 첫 번째 걸로 먹을게", 0),
    ("2번으로 먹을래", 1),
    ("마지막 거로 할게요", 2),
    ("1번 ㄱㄱ", 0),
    ("두번째 거 먹었어 ㅎㅎ", 1),
    ("ㅇㅋ 3번째꺼로 결정", 2),
])
def test_choosing_from_the_list_logs_that_dish_as_the_meal_asked_for(chat, message, index):
    names = listed(chat("점심 뭐 먹지?"))
    turn = chat(message)
    assert_logged_choice(turn, names[index], index + 1, "점심", names)
    eaten = datetime.fromisoformat(turn.meal_logged[0].eaten_at)
    assert (eaten.hour, eaten.minute) in ((LUNCH.hour, LUNCH.minute), (3, 10))  # the message's time (Seoul or UTC)


def test_naming_a_listed_dish_logs_it_with_its_rank(chat):
    names = listed(chat("점심 추천 좀"))
    turn = chat(f"{names[1]}로 할게")
    assert_logged_choice(turn, names[1], 2, "점심", names)


def test_the_meal_is_the_one_the_list_was_asked_for_not_the_clock(chat):
    names = listed(chat("저녁 메뉴 추천해줘요"))  # asked at lunch time, for dinner
    turn = chat("마지막 거로 할게요")
    assert_logged_choice(turn, names[2], 3, "저녁", names)
    assert chat("그거 칼로리 얼마야?").nutrition.dish.name == names[2]  # the choice is the dish talked about now


def test_that_one_means_the_dish_last_talked_about(chat):
    first = chat("짜장면이랑 짬뽕 중에 뭐가 나아?").recommendations[0].name
    turn = chat("그걸로 할게")
    assert [m.name for m in turn.meal_logged] == [first] and turn.choice.rank == 1

    chat("떡볶이 칼로리 알려줘")
    assert [m.name for m in chat("좋아 그거 먹을게").meal_logged] == ["떡볶이"]


def test_that_one_after_a_list_of_several_asks_which(chat):
    listed(chat("점심 추천해줘"))
    turn = chat("그걸로 할게")
    assert not turn.meal_logged and turn.choice is not None and turn.choice.dish is None
    assert "몇 번째" in turn.reply and not turn.recommendations


def test_without_a_list_a_choice_is_asked_about_never_a_random_log(chat):
    turn = chat("첫 번째 걸로 할게")
    assert not turn.meal_logged and turn.nutrition is None and not turn.recommendations
    assert "어떤 메뉴로 하실지" in turn.reply
    assert chat("오늘 뭐 먹었지?").intake["meals"] == []


def test_choosing_a_dish_that_breaks_an_allergy_is_logged_with_the_caution(chat):
    chat("새우 알레르기 있어요")
    listed(chat("점심 추천해줘"))
    turn = chat("새우볶음밥으로 할게")
    assert [m.name for m in turn.meal_logged] == ["새우볶음밥"]
    assert turn.choice is None  # not on the list
    assert ("새우볶음밥", "allergy", "새우") in {(c.dish, c.kind, c.word) for c in turn.cautions}
    assert "새우 알레르기" in turn.reply


def test_two_listed_dishes_are_compared_with_the_difference(chat):
    names = listed(chat("점심 뭐먹지"))
    turn = chat("1번이랑 3번 중에 뭐가 더 칼로리 낮아?")
    answer = turn.nutrition
    assert [d.name for d in answer.dishes] == [names[0], names[2]] and answer.compare
    low, high = sorted((TABLE[names[0]], TABLE[names[2]]), key=lambda d: d.kcal)
    if round(low.kcal) != round(high.kcal):
        assert f"열량은 {low.name}" in turn.reply and f"{round(high.kcal) - round(low.kcal)}kcal 적어요" in turn.reply
    assert not turn.meal_logged


def test_the_last_one_and_servings_of_that_one(chat):
    names = listed(chat("점심 추천해줘"))
    turn = chat("마지막 거는 나트륨 얼마야?")
    assert turn.nutrition.dish.name == names[2] and turn.nutrition.nutrients == ["sodium_mg"]
    assert turn.nutrition.not_found == [] and "'" not in turn.reply
    double = chat("그거 2인분이면?")
    assert double.nutrition.dish.name == names[2] and double.nutrition.dish.servings == 2
    assert double.nutrition.dish.kcal == pytest.approx(2 * TABLE[names[2]].kcal, abs=1)
    assert "2인분" in double.reply


def test_a_recipe_follow_up_is_about_that_dish(chat):
    names = listed(chat("점심 추천해줘"))
    turn = chat("첫 번째 거 레시피 알려줘")
    assert turn.recipe_for == names[0] and turn.nutrition is None
    if names[0] in HOW_TO_DISHES:  # a recipe (or what it is made of) — never that dish's history or storage
        assert turn.qa is not None and turn.qa.answer in turn.reply
    else:
        assert turn.qa is None and f"{names[0]} 만드는 법은" in turn.reply


def test_a_recipe_follow_up_names_the_dish_the_collection_lacks(chat):
    lacking = next(d.name for d in TABLE if d.name not in QA_DISHES and len(d.name) >= 3)
    chat(f"{lacking} 칼로리")
    turn = chat("그거 레시피 알려줘")
    assert turn.recipe_for == lacking and turn.qa is None
    assert f"{lacking} 만드는 법은 제가 가진 자료에 없어요" in turn.reply
    known = chat("김치찌개 칼로리")
    assert known.nutrition.dish.name == "김치찌개"
    cooked = chat("그거 만드는 법 알려줘")
    assert cooked.recipe_for == "김치찌개" and cooked.qa is not None and "김치찌개" in cooked.qa.question


@pytest.mark.parametrize(("message", "word"), [
    ("소주 한 병 칼로리는?", "소주"),
    ("맥주 한 캔 칼로리 얼마야", "맥주"),
    ("생맥주 500cc 칼로리", "생맥주"),
    ("왕갈비통닭 칼로리", "왕갈비통닭"),
])
def test_an_unknown_name_never_borrows_the_last_dishs_numbers(chat, message, word):
    chat("떡볶이 칼로리")
    turn = chat(message)
    assert turn.nutrition is not None and not turn.nutrition.found and turn.nutrition.query == word
    assert f"'{word}'" in turn.reply and "떡볶이" not in turn.reply
    assert f"{round(TABLE['떡볶이'].kcal)}kcal" not in turn.reply


def test_an_unknown_name_after_a_list_is_no_follow_up_either(chat):
    names = listed(chat("점심 추천해줘"))
    turn = chat("소주 한병 칼로리는??")
    assert turn.nutrition.query == "소주" and not turn.nutrition.found
    assert not any(name in turn.reply for name in names)
    chicken = chat("치킨 한 마리 칼로리")
    assert chicken.nutrition.query == "치킨" and "'마리'" not in chicken.reply


def test_a_list_from_hours_ago_still_says_which_meal(chat, clock):
    names = listed(chat("저녁 추천해줘"))
    clock.now = LUNCH + timedelta(hours=5)
    turn = chat("2번으로 할게")
    assert_logged_choice(turn, names[1], 2, "저녁", names)
