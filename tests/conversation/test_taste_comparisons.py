"""How dishes *taste* asked between dishes — 「뭐가 덜 짜?」, 「케이크가 마카롱보다 달아?」, 「뭐가 살 덜 쪄?」 — is a
question about a nutrient (sodium, sugar, fat, energy), answered with the table's numbers in the direction
asked, the answer first. It used to start a new recommendation list, or recommend the saltier dish of two
when asked which is less salty. The numbers below are read from the table, never written into the test."""

from __future__ import annotations

import pytest

from mechuri.knowledge import load_food_table
from mechuri.nlu import understand
from mechuri.units import amount

TABLE = load_food_table()
UNIT = {"sodium_mg": "mg", "sugar_g": "g", "fat_g": "g", "kcal": "kcal", "protein_g": "g"}
LABEL = {"sodium_mg": "나트륨", "sugar_g": "당류", "fat_g": "지방", "kcal": "열량", "protein_g": "단백질"}


@pytest.mark.parametrize(("message", "dishes", "nutrient", "direction"), [
    ("떡볶이랑 순대 중에 뭐가 덜 짜?", ("떡볶이", "순대"), "sodium_mg", "less"),
    ("라면이랑 우동 중에 뭐가 더 짜", ("라면", "우동"), "sodium_mg", "more"),
    ("짜장면이랑 짬뽕 중에 더 짠 거 뭐예요?", ("짜장면", "짬뽕"), "sodium_mg", "more"),
    ("초코케이크랑 마카롱 중에 뭐가 더 달아?", ("초코케이크", "마카롱"), "sugar_g", "more"),
    ("떡볶이랑 순대 중에 뭐가 덜 기름져?", ("떡볶이", "순대"), "fat_g", "less"),
    ("삼겹살이랑 족발 중에 뭐가 살 덜 쪄??", ("삼겹살", "족발"), "kcal", "less"),
    ("짜장면이랑 짬뽕 중에 뭐가 단백질 더 많아", ("짜장면", "짬뽕"), "protein_g", "more"),
    ("김치찌개 된장찌개 중에 뭐가 칼로리 낮아요?", ("김치찌개", "된장찌개"), "kcal", "less"),
])
def test_which_of_two_tastes_more_is_answered_with_the_asked_nutrient_first(chat, message, dishes, nutrient,
                                                                            direction):
    turn = chat(message)
    assert turn.intents[0] == "nutrition" and not turn.recommendations, turn.reply
    answer = turn.nutrition
    assert answer is not None and answer.compare and answer.nutrients == [nutrient]
    assert {d.name for d in answer.dishes} == set(dishes)
    values = {name: getattr(TABLE[name], nutrient) for name in dishes}
    pick = (max if direction == "more" else min)(values, key=values.__getitem__)
    gap = amount(max(values.values()) - min(values.values()), UNIT[nutrient])
    first = turn.reply.splitlines()[0]
    assert LABEL[nutrient] in first and pick in first and gap in first, turn.reply
    assert ("많아요" if direction == "more" else "적어요") in first


@pytest.mark.parametrize(("message", "more"), [
    ("라면이 김밥보다 짜?", True),
    ("라면이 김밥보다 짜요?", True),
    ("라면이 김밥보다 덜 짜?", False),
])
def test_is_one_saltier_than_the_other_starts_with_yes_or_no(chat, message, more):
    turn = chat(message)
    assert turn.intents[0] == "nutrition" and not turn.recommendations, turn.reply
    saltier = TABLE["라면"].sodium_mg > TABLE["김밥"].sodium_mg
    assert turn.reply.startswith("네" if saltier == more else "아니요"), turn.reply
    assert "나트륨" in turn.reply.splitlines()[0]


@pytest.mark.parametrize("message", ["라면 짜요", "떡볶이 짜요?", "이거 짜요?"])
def test_짜요_is_how_salty_not_the_dish_짜조(message):
    assert "짜조" not in {food.dish for food in understand(message).foods}


@pytest.mark.parametrize("message", ["짜장면 먹을까 짬뽕 먹을까", "단백질 많은 메뉴 추천해줘", "짜파게티 칼로리"])
def test_dish_names_and_nutrient_words_that_look_like_tastes_are_not_taste_questions(message):
    u = understand(message)
    assert u.nutrients in ((), ("protein_g",), ("kcal",))
    assert "sodium_mg" not in u.nutrients and "sugar_g" not in u.nutrients


@pytest.mark.parametrize(("question", "nutrient", "direction"), [
    ("이 중에 뭐가 제일 덜 짜?", "sodium_mg", "less"),
    ("셋 중에 칼로리 제일 낮은 거", "kcal", "less"),
    ("이중에 뭐가 젤 가벼워?", "kcal", "less"),
    ("그 중에 나트륨 젤 많은 건 뭐야", "sodium_mg", "more"),
])
def test_a_superlative_over_the_last_list_compares_every_dish_of_it(chat, question, nutrient, direction):
    shown = [item.name for item in chat("저녁 추천해줘").recommendations]
    assert len(shown) == 3
    turn = chat(question)
    assert not turn.recommendations and turn.nutrition is not None, turn.reply
    assert [d.name for d in turn.nutrition.dishes] == shown and turn.nutrition.nutrients == [nutrient]
    values = {name: getattr(TABLE[name], nutrient) for name in shown}
    pick = (max if direction == "more" else min)(values, key=values.__getitem__)
    first = turn.reply.splitlines()[0]
    assert pick in first and amount(values[pick], UNIT[nutrient]) in first and "가장" in first, turn.reply
