"""Reasons: short Korean sentences in 해요체 whose every number is the dish's or the targets'."""

from __future__ import annotations

import random
import re

from mechuri.knowledge import load_food_table
from mechuri.knowledge.targets import meal_targets
from mechuri.recommend import RecommendationRequest, recommend
from mechuri.recommend.audit import random_request
from mechuri.recommend.reasons import dish_reasons, g_text
from mechuri.recommend.scoring import build_context

TABLE = load_food_table()
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def numbers_mechuri_may_say(dish, request: RecommendationRequest, meal: str) -> set[str]:
    """The dish's values as the Turn shows them, and this meal's share of the day's targets."""
    values = dish.nutrition()
    allowed = {str(values["kcal"]), str(values["sodium_mg"])}
    allowed |= {g_text(values[f]) for f in ("carbohydrate_g", "sugar_g", "protein_g", "fat_g", "fiber_g")}
    per_meal = meal_targets(request.targets, meal)
    allowed |= {str(round(per_meal.kcal)), str(round(per_meal.sodium_mg_max))}
    return allowed


def test_the_example_reasons_read_as_promised():
    lunch = max((d for d in TABLE if d.carbohydrate_g >= 90), key=lambda d: d.sodium_mg)
    after_lunch = recommend(TABLE, RecommendationRequest(
        meal="저녁", eaten_meals=("아침", "점심"), eaten_totals={k: float(v) for k, v in lunch.nutrition().items()}))
    reasons = [reason for item in after_lunch.items for reason in item.reasons]
    assert any(re.fullmatch(r"나트륨이 \d+mg으로 점심의 짠 메뉴를 덜어 줘요", r) for r in reasons), reasons
    asked = recommend(TABLE, RecommendationRequest(meal="저녁", wanted_tags={"국물"}, liked={"매운"}))
    for item in asked.items:
        assert item.reasons[0] == "요청하신 국물 메뉴예요"
        assert ("좋아하시는 매운 맛이에요" in item.reasons) == ("매운" in item.dish.tags)
    plain = recommend(TABLE, RecommendationRequest(meal="점심", k=5))
    assert any(re.fullmatch(r"점심 권장 열량\(약 770kcal\)에 맞는 \d+kcal예요", r)
               for item in plain.items for r in item.reasons)


def test_every_dish_gets_one_to_three_polite_reasons_with_only_grounded_numbers():
    rng = random.Random(7)
    names = [dish.name for dish in TABLE]
    checked = 0
    for _ in range(150):
        request = random_request(rng, names)
        result = recommend(TABLE, request)
        meal = request.meal or next((m for m in ("아침", "점심", "저녁") if m not in request.eaten_meals), "간식")
        for item in result.items:
            assert 1 <= len(item.reasons) <= 3
            allowed = numbers_mechuri_may_say(item.dish, request, meal)
            for reason in item.reasons:
                assert reason.endswith("요"), reason
                for number in NUMBER.findall(reason):
                    assert number in allowed, (item.dish.name, reason, sorted(allowed))
                checked += 1
    assert checked > 300


def test_relaxation_offers_and_the_shortfall_notice_are_korean_sentences():
    result = recommend(TABLE, RecommendationRequest(diets={"비건"}, wanted_tags={"국물"}, kcal_max=50))
    assert result.notice_ko is not None and result.notice_ko.endswith("요")
    assert result.relaxations and all(r.description_ko.endswith("추천할 수 있어요") for r in result.relaxations)


def test_a_requested_word_ending_in_a_latin_letter_takes_the_particle_it_is_read_with():
    """「SPAM」 is read 스팸 (ends in ㅁ): 「SPAM이」. The reasons' own copy of the 받침 test took every
    non-Hangul ending for a vowel (「SPAM가」)."""
    request = RecommendationRequest(meal="점심", wanted_ingredients=frozenset({"SPAM"}))
    reasons = dish_reasons(TABLE["김치찌개"], request, build_context(request), {}, matches=lambda term: True)
    assert "요청하신 SPAM이 들어가요" in reasons
