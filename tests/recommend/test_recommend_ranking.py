"""Soft ranking: today's meals, goals, likes, requests, recency and variety change what comes first."""

from __future__ import annotations

from statistics import mean, median

import pytest

from mechuri.knowledge import load_food_table
from mechuri.knowledge.targets import compute_targets
from mechuri.recommend import RecommendationRequest, recommend

TABLE = load_food_table()


def top(k: int = 3, **kwargs: object):
    return recommend(TABLE, RecommendationRequest(k=k, **kwargs)).items  # type: ignore[arg-type]


def salty_carb_heavy_lunch() -> dict[str, float]:
    """The saltiest carb-heavy dish of the table, logged as lunch."""
    dish = max((d for d in TABLE if d.carbohydrate_g >= 90), key=lambda d: d.sodium_mg)
    assert dish.sodium_mg >= 2000
    return {field: float(value) for field, value in dish.nutrition().items()}


def test_after_a_salty_carb_heavy_lunch_dinner_turns_lighter_on_salt_and_richer_in_protein():
    # five dishes, not three: the property is about the list, not about which three dishes top it
    plain = top(k=5, meal="저녁")
    after = top(k=5, meal="저녁", eaten_meals=("아침", "점심"), eaten_totals=salty_carb_heavy_lunch())
    assert mean(i.dish.sodium_mg for i in after) < mean(i.dish.sodium_mg for i in plain)
    # the typical dish (median): one discovery dish (단호박샐러드, 2 g) should not decide, nor one protein-rich
    # dish of the plain list (the MFDS restaurant 짬뽕, 44 g)
    assert median(i.dish.protein_g for i in after) >= median(i.dish.protein_g for i in plain) - 5
    assert mean(i.dish.carbohydrate_g for i in after) <= mean(i.dish.carbohydrate_g for i in plain)
    assert any("짠 메뉴를 덜어" in reason or "탄수화물을 덜어" in reason for i in after for reason in i.reasons)


def test_dishes_recommended_today_drop_and_come_back_after_a_week():
    first = [i.dish.name for i in top(meal="점심")]
    today = [i.dish.name for i in top(meal="점심", recent=dict.fromkeys(first, 0))]
    weeks_ago = [i.dish.name for i in top(meal="점심", recent=dict.fromkeys(first, 30))]
    assert not set(first) & set(today)
    assert weeks_ago == first
    novelty = top(meal="점심", k=1, recent={first[0]: 3})
    assert novelty[0].components["novelty"] == 1.0


def test_an_open_request_gives_three_different_kinds_of_dish():
    for meal in ("아침", "점심", "저녁", "야식"):
        items = top(meal=meal)
        assert len(items) == 3
        assert len({i.dish.category for i in items}) > 1, meal
        assert len({i.dish.name for i in items}) == 3


def test_the_same_request_always_gets_the_same_answer():
    kwargs = dict(meal="저녁", liked={"매운", "고기"}, excluded={"오이"}, situations={"비오는날"}, k=5)
    first = top(**kwargs)
    again = top(**{**kwargs, "liked": ["고기", "매운"]})
    assert [(i.dish.name, i.score, i.reasons) for i in first] == [(i.dish.name, i.score, i.reasons) for i in again]


def test_a_diet_goal_prefers_lighter_protein_dense_dishes_and_bulking_more_protein():
    targets = compute_targets("F", 30)
    keep = top(k=5, meal="점심", targets=targets)
    diet = top(k=5, meal="점심", targets=compute_targets("F", 30, goal="diet"), goal="다이어트")
    bulk = top(k=5, meal="점심", targets=compute_targets("F", 30, goal="bulk"), goal="벌크업")
    assert mean(i.dish.kcal for i in diet) < mean(i.dish.kcal for i in keep)
    assert mean(i.dish.protein_g for i in bulk) > mean(i.dish.protein_g for i in keep)


def test_a_dish_asked_for_by_name_comes_first():
    name = next(d.name for d in TABLE if "점심" in d.meals)
    assert top(meal="점심", wanted_dishes={name})[0].dish.name == name


def test_a_requested_ingredient_is_strongly_preferred():
    items = top(meal="저녁", wanted_ingredients={"두부"})
    assert all("두부" in i.dish.ingredients for i in items)
    assert all(i.components["requested"] == 1.0 for i in items)


def test_remembered_likes_lift_matching_dishes():
    plain = top(k=5, meal="저녁")
    spicy = top(k=5, meal="저녁", liked={"매운"})
    assert sum("매운" in i.dish.tags for i in spicy) > sum("매운" in i.dish.tags for i in plain)
    assert any("좋아하시는 매운 맛이에요" in i.reasons for i in spicy)


def test_situations_and_cheap_requests_shift_the_ranking():
    rainy = top(k=5, meal="저녁", situations={"비오는날"})
    assert sum("비오는날" in i.dish.tags for i in rainy) >= 3
    cheap = top(k=5, meal="점심", cheap=True)
    assert sum("가성비" in i.dish.tags for i in cheap) >= 3


def test_components_are_named_and_between_zero_and_one():
    items = top(k=5, meal="저녁", liked={"고기"}, goal="다이어트", situations={"겨울"}, cheap=True,
                recent={"짜장면": 2}, wanted_ingredients={"고기"}, people=4)
    for item in items:
        assert set(item.components) == {"requested", "balance", "novelty", "goal", "preference", "situation", "cheap",
                                         "familiar"}
        assert all(0.0 <= value <= 1.0 for value in item.components.values())


def test_the_balance_score_is_the_weighted_sum_of_its_explained_parts():
    from mechuri.recommend.index import DishIndex
    from mechuri.recommend.scoring import Scorer, balance_parts

    request = RecommendationRequest(meal="저녁", eaten_meals=("점심",), eaten_totals=salty_carb_heavy_lunch())
    scorer = Scorer(DishIndex.of(TABLE), request)
    weights = scorer.context.balance_weights
    assert abs(sum(weights.values()) - 1) < 1e-9 and weights["sodium"] > 0.25
    for position, dish in list(enumerate(TABLE))[:50]:
        parts = balance_parts(dish, scorer.context)
        assert all(0 <= value <= 1 for value in parts.values())
        expected = sum(weights[name] * value for name, value in parts.items())
        assert abs(scorer.score(position)[1]["balance"] - expected) < 1e-9


def test_a_named_dish_outweighs_every_other_reason_together():
    from mechuri.recommend import WEIGHTS

    assert WEIGHTS["requested"] > sum(weight for name, weight in WEIGHTS.items() if name != "requested")
    name = next(d.name for d in TABLE if "저녁" in d.meals and "매운" not in d.tags)
    first = top(meal="저녁", wanted_dishes={name}, liked={"매운"}, recent={name: 0}, situations={"겨울"})[0]
    assert first.dish.name == name and first.reasons[0] == f"찾으시던 {name}" + ("이에요" if (ord(name[-1]) - 0xAC00) % 28 else "예요")


def test_answers_do_not_depend_on_the_process_hash_seed():
    import os
    import subprocess
    import sys

    script = (
        "import random\n"
        "from mechuri.knowledge import load_food_table\n"
        "from mechuri.recommend import recommend\n"
        "from mechuri.recommend.audit import random_request\n"
        "t = load_food_table(); names = [d.name for d in t]; rng = random.Random(5)\n"
        "for _ in range(60):\n"
        "    r = recommend(t, random_request(rng, names))\n"
        "    print([(i.dish.name, i.score, i.reasons) for i in r.items], [x.description_ko for x in r.relaxations])\n"
    )
    outputs = {
        subprocess.run([sys.executable, "-c", script], env={**os.environ, "PYTHONHASHSEED": seed},
                       capture_output=True, text=True, check=True).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1


def test_a_season_guessed_from_the_date_weighs_less_than_a_situation_the_user_said():
    from mechuri.recommend import WEIGHTS
    from mechuri.recommend.index import DishIndex
    from mechuri.recommend.scoring import Scorer

    index = DishIndex.of(TABLE)
    winter = next(p for p, d in enumerate(index.dishes) if "겨울" in d.tags and "점심" in d.meals)
    plain = Scorer(index, RecommendationRequest(meal="점심")).score(winter)
    said = Scorer(index, RecommendationRequest(meal="점심", situations=frozenset({"겨울"}))).score(winter)
    guessed = Scorer(index, RecommendationRequest(meal="점심", situations=frozenset({"겨울"}),
                                                  situations_inferred=True, people=4)).score(winter)
    assert said[1]["situation"] == 1.0 and "season" not in said[1]
    assert guessed[1]["season"] == 1.0 and "situation" in guessed[1]  # the party size was said
    assert WEIGHTS["season"] < WEIGHTS["situation"]
    assert abs(said[0] - plain[0] - WEIGHTS["situation"]) < 1e-9
    assert abs(guessed[0] - guessed[1]["situation"] * WEIGHTS["situation"] - plain[0] - WEIGHTS["season"]) < 1e-9


def test_the_prior_weighs_most_for_a_new_person_and_hands_over_as_their_choices_come_in():
    """A new person's main evidence is the prior (``FAMILIAR_COLD``); each dish chosen, eaten or liked and
    each like said hands weight over to the person's own evidence, and no weight outvotes a named dish."""
    from mechuri.knowledge.popularity import TIER_WEIGHTS
    from mechuri.recommend import WEIGHTS
    from mechuri.recommend.index import DishIndex
    from mechuri.recommend.scoring import FAMILIAR_COLD, Scorer
    from mechuri.recommend.taste import TasteEvent, TasteModel

    index = DishIndex.of(TABLE)

    def familiar(**kwargs: object) -> float:
        return Scorer(index, RecommendationRequest(meal="점심", **kwargs)).weights["familiar"]  # type: ignore[arg-type]

    skipped = TasteModel.learn([TasteEvent(name, "skipped") for name in ("김치찌개", "돈가스", "짜장면")], TABLE)
    chose = TasteModel.learn([TasteEvent("제육볶음", "chose"), TasteEvent("김밥", "passed")], TABLE)
    many = TasteModel.learn([TasteEvent(d.name, "ate") for d in TABLE if "매운" in d.tags][:9], TABLE)
    assert familiar() == familiar(taste=TasteModel()) == familiar(taste=skipped) == FAMILIAR_COLD
    assert familiar(taste=chose) == familiar(liked=frozenset({"매운"})) == pytest.approx(0.60)
    assert familiar(taste=chose, liked=frozenset({"매운"})) < 0.60
    assert familiar(taste=many) == pytest.approx(WEIGHTS["familiar"] + 0.04)
    position = index.positions["제육볶음"]
    new = Scorer(index, RecommendationRequest(meal="점심"))
    assert new.cold and abs(new.score(position)[0] - new.score(position)[1]["balance"] * WEIGHTS["balance"]
                            - FAMILIAR_COLD * new.score(position)[1]["familiar"]) < 1e-9
    everything_but_named = sum(w for name, w in WEIGHTS.items() if name not in ("requested", "familiar"))
    assert WEIGHTS["requested"] > everything_but_named + FAMILIAR_COLD  # a skipper has taste *and* 0.80
    gap = FAMILIAR_COLD * (TIER_WEIGHTS["everyday"] - TIER_WEIGHTS["common"])
    assert WEIGHTS["season"] < gap < WEIGHTS["situation"]  # a guess cannot beat the prior; a said situation can


def test_the_taste_draw_explores_only_as_far_as_the_persons_choices_go():
    """Before any dish is chosen, eaten or liked the taste component is the model's mean (a 👎 still counts);
    after one choice it is half a Thompson draw, then more as choices come in."""
    from mechuri.recommend.index import DishIndex
    from mechuri.recommend.sampling import normal_draw
    from mechuri.recommend.scoring import Scorer, exploration_share
    from mechuri.recommend.taste import TasteEvent, TasteModel

    index = DishIndex.of(TABLE)
    positions = [index.positions[name] for name in ("김치찌개", "제육볶음", "콩국수", "크림파스타")]
    disliked = TasteModel.learn([TasteEvent("크림파스타", "disliked")], TABLE)
    chose = TasteModel.learn([TasteEvent("제육볶음", "chose")], TABLE)
    for model, share in ((disliked, 0.0), (chose, 0.5)):
        scorer = Scorer(index, RecommendationRequest(meal="점심", taste=model, seed=7))
        assert exploration_share(scorer.known) == share
        got = scorer.component_table(positions)["taste"]
        expected = [model.draw(index.dishes[p], share * normal_draw(7, index.dishes[p].name)) for p in positions]
        assert max(abs(a - b) for a, b in zip(got, expected, strict=True)) < 1e-12
    assert Scorer(index, RecommendationRequest(meal="점심", taste=disliked, seed=7)).component_table(
        [index.positions["크림파스타"]])["taste"][0] < 0.5  # the 👎 is heard without exploration
    assert exploration_share(9) == 0.9
