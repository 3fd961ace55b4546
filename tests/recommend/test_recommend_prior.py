"""The population prior and the seeded draw (issue 20): every dish has a tier with a cited source, the
same seed gives the same list, seeds vary the list, and sampling never admits a dish a constraint excludes."""

from __future__ import annotations

from mechuri.knowledge import load_food_table
from mechuri.knowledge.popularity import (
    POPULARITY_CSV,
    SOURCES,
    TIER_WEIGHTS,
    build_rows,
    load_popularity,
    read_csv,
)
from mechuri.recommend import RecommendationRequest, recommend
from mechuri.recommend.audit import violations
from mechuri.recommend.request import RecommendationRequest as Request
from mechuri.recommend.sampling import seed_for
from mechuri.recommend.scoring import _sodium_fit

TABLE = load_food_table()
PRIOR = load_popularity()


def test_the_prior_covers_every_dish_with_a_known_tier_and_source():
    rows = {row.name: row for row in read_csv(POPULARITY_CSV)}
    assert set(rows) == {dish.name for dish in TABLE}
    for row in rows.values():
        assert row.tier in TIER_WEIGHTS and all(t in TIER_WEIGHTS for t in row.meals.values())
        assert row.sources and all(source in SOURCES for source in row.sources)
    assert read_csv(POPULARITY_CSV) == build_rows(TABLE), "popularity.csv is stale: python -m mechuri.knowledge.popularity"
    text = POPULARITY_CSV.read_text(encoding="utf-8")
    assert all(f"# source {key}:" in text for key in SOURCES)


def test_everyday_dishes_are_the_ones_people_eat_every_day():
    for name in ("김치찌개", "된장찌개", "제육볶음", "돈가스", "비빔밥", "짜장면", "김밥", "칼국수"):
        assert PRIOR.tier(name, "점심") == "everyday", name
    assert PRIOR.tier("비리야니", "점심") == "rare"
    assert PRIOR.tier("후라이드치킨", "야식") == "everyday" and PRIOR.tier("후라이드치킨", "점심") == "common"


def test_the_same_seed_gives_the_same_list_and_seeds_vary_it():
    request = dict(meal="점심")
    lists = [recommend(TABLE, RecommendationRequest(seed=seed_for("u", n, "2026-11-30", 0), **request)).names
             for n in range(30)]
    again = [recommend(TABLE, RecommendationRequest(seed=seed_for("u", n, "2026-11-30", 0), **request)).names
             for n in range(30)]
    assert lists == again
    assert len({tuple(names) for names in lists}) >= 25
    assert len({name for names in lists for name in names}) >= 20
    unseeded = recommend(TABLE, RecommendationRequest(**request)).names
    assert unseeded == recommend(TABLE, RecommendationRequest(**request)).names


def test_one_of_three_is_less_common_and_a_named_dish_still_comes_first():
    for n in range(20):
        seed = seed_for("discovery", n)
        names = recommend(TABLE, RecommendationRequest(meal="점심", seed=seed)).names
        assert PRIOR.tier(names[-1], "점심") != "everyday", names
        asked = recommend(TABLE, RecommendationRequest(meal="점심", wanted_dishes={"비리야니"}, seed=seed)).names
        assert asked[0] == "비리야니"


def test_sampling_never_admits_what_a_constraint_excludes():
    for n in range(40):
        request = Request(meal="저녁", allergies={"새우", "밀"}, excluded={"매운"}, diets={"저염"}, kcal_max=600,
                          seed=seed_for("audit", n))
        result = recommend(TABLE, request)
        assert result.items
        for item in result.items:
            assert not violations(item.dish, request), item.dish.name


def test_sodium_keeps_falling_past_the_meal_budget():
    budget, cap = 690.0, 2300.0
    assert _sodium_fit(600, budget, cap) == 1.0
    assert _sodium_fit(2400, budget, cap) - _sodium_fit(4000, budget, cap) > 0.4
    assert _sodium_fit(1500, budget, cap) > _sodium_fit(2400, budget, cap) > _sodium_fit(4000, budget, cap)
