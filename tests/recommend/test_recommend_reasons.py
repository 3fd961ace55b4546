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


def test_no_two_cards_of_a_list_share_a_reason_template():
    """「점심 권장 열량(약 770kcal)에 맞는 …kcal예요」 on every card reads as one reason said three times: the
    reason shown on each card (``fresh_reason``) is of a template kind no other card of the list used."""
    from mechuri.recommend.reasons import dish_descriptions, fresh_reason, reason_kind

    rng = random.Random(11)
    names = [dish.name for dish in TABLE]
    lists = 0
    for request in [RecommendationRequest(meal="점심"), RecommendationRequest(meal="저녁", wanted_tags={"국물"}),
                    *(random_request(rng, names) for _ in range(120))]:
        items = recommend(TABLE, request).items
        said: set[str] = set()
        shown = [fresh_reason(item.reasons, said, dish_descriptions(item.dish)) for item in items]
        kinds = [reason_kind(reason) for reason in shown]
        assert len(set(kinds)) == len(kinds), (request, shown)
        lists += len(items) >= 3
    assert lists > 50
    plain = recommend(TABLE, RecommendationRequest(meal="점심"))
    said = set()
    shown = [fresh_reason(item.reasons, said, dish_descriptions(item.dish)) for item in plain.items]
    assert sum("권장 열량" in reason for reason in shown) <= 1, shown


def test_the_dishes_own_descriptions_come_from_its_row():
    from mechuri.recommend.reasons import dish_descriptions

    assert dish_descriptions(TABLE["김치찌개"])[:2] == ["얼큰한 국물에 밥 말아 먹기 좋은 찌개예요",
                                                       "돼지고기·두부가 들어간 찌개예요"]  # 김치 is 배추김치's name
    assert "매콤달콤한 맛의 분식이에요" in dish_descriptions(TABLE["떡볶이"])
    assert "차갑게 즐기는 면 요리예요" in dish_descriptions(TABLE["콩국수"])
    from mechuri.llm.guardrails import DishNames

    names = DishNames(TABLE)
    for dish in TABLE:
        for text in dish_descriptions(dish):
            assert {d.name for d in names.named(text)} <= {dish.name}, (dish.name, text)
            assert text.endswith("요"), (dish.name, text)
            assert set(NUMBER.findall(text)) <= {str(round(dish.kcal)), g_text(dish.protein_g)}, (dish.name, text)
            if "국물" in text:
                assert "국물" in dish.tags, (dish.name, text)
            if text.startswith("얼큰한") or text.startswith("매콤"):
                assert "매운" in dish.tags, (dish.name, text)
            if "차갑게" in text:
                assert "차가운" in dish.tags, (dish.name, text)


def test_a_weather_reason_is_said_only_of_a_dish_it_is_true_for():
    """Never 「추운 날 몸을 데워 줘요」 for 난 (bread, a side), a cold dish or a drink; never 「더운 날 시원하게」
    for a hot one."""
    for season, sentence in (("겨울", "추운 날 몸을 데워 줘요"), ("여름", "더운 날 시원하게 먹기 좋아요")):
        request = RecommendationRequest(meal="점심", situations=frozenset({season}))
        context = build_context(request)
        said_of = [dish for dish in TABLE if sentence in dish_reasons(dish, request, context, {})]
        assert said_of, season
        for dish in said_of:
            tags = set(dish.tags)
            assert dish.category not in {"빵", "음료", "디저트", "반찬"}, (season, dish.name)
            if season == "겨울":
                assert "차가운" not in tags and ("겨울" in tags or {"국물", "따뜻한"} <= tags), dish.name
            else:
                assert "따뜻한" not in tags, dish.name
    winter = RecommendationRequest(meal="저녁", situations=frozenset({"겨울"}))
    assert "추운 날 몸을 데워 줘요" not in dish_reasons(TABLE["난"], winter, build_context(winter), {})
    assert "추운 날 몸을 데워 줘요" in dish_reasons(TABLE["김치찌개"], winter, build_context(winter), {})
