"""The taste model on its own: events in, beliefs and scores out (online Bayesian logistic regression)."""

from __future__ import annotations

import random

from mechuri.knowledge import load_food_table
from mechuri.recommend.taste import PRIOR_PRECISION, TasteEvent, TasteModel, dish_features

TABLE = load_food_table()


def _spicy_pork() -> list[str]:
    return [d.name for d in TABLE if "매운" in d.tags and "돼지고기" in d.ingredients[:3]]


def test_a_dish_is_described_by_what_it_is_not_by_its_name():
    features = dish_features(TABLE.get("제육볶음"))
    assert "cuisine:한식" in features and "tag:매운" in features
    assert not any(name.startswith("name:") for name in features)
    assert abs(sum(v * v for v in features.values()) - 1.0) < 1e-9  # unit length: many tags count no more


def test_with_no_events_it_has_no_opinion():
    model = TasteModel()
    for dish in list(TABLE)[:50]:
        mean, variance = model.utility(dish)
        assert mean == 0.0 and abs(variance - 1 / PRIOR_PRECISION) < 1e-9
        assert model.score(dish) == 0.5


def test_choosing_spicy_pork_lifts_other_spicy_pork_dishes_above_mild_fish():
    chosen, *others = _spicy_pork()
    model = TasteModel.learn([TasteEvent(chosen, "chose")] * 3, TABLE)
    mild_fish = next(d for d in TABLE if "해산물" in d.tags and "담백한" in d.tags and "매운" not in d.tags)
    assert all(model.score(TABLE.get(name)) > model.score(mild_fish) for name in others)
    assert model.chosen == [chosen]


def test_skipping_a_list_is_a_mild_negative_and_a_dislike_a_strong_one():
    dish = TABLE.get("짬뽕")
    skipped = TasteModel.learn([TasteEvent("짬뽕", "skipped")], TABLE)
    disliked = TasteModel.learn([TasteEvent("짬뽕", "disliked")], TABLE)
    assert disliked.score(dish) < skipped.score(dish) < 0.5


def test_confidence_grows_with_evidence():
    once = TasteModel.learn([TasteEvent("제육볶음", "chose")], TABLE)
    often = TasteModel.learn([TasteEvent("제육볶음", "chose")] * 8, TABLE)
    dish = TABLE.get("제육볶음")
    assert often.utility(dish)[1] < once.utility(dish)[1]  # less uncertain
    assert often.utility(dish)[0] > once.utility(dish)[0]  # and more sure it is liked


def test_thompson_draws_are_reproducible_for_a_seed_and_explore_around_the_mean():
    model = TasteModel.learn([TasteEvent("제육볶음", "chose")], TABLE)
    dish = TABLE.get("김치찌개")
    draws = [model.score(dish, random.Random(seed)) for seed in range(50)]
    assert draws == [model.score(dish, random.Random(seed)) for seed in range(50)]
    assert min(draws) < model.score(dish) < max(draws)


def test_the_reason_points_back_to_a_dish_the_person_chose():
    chosen, other, *_ = _spicy_pork()
    model = TasteModel.learn([TasteEvent(chosen, "chose")], TABLE)
    because = model.because(TABLE.get(other), TABLE)
    assert because is not None and because[0] == chosen and because[1] in dish_features(TABLE.get(other))
    assert TasteModel().because(TABLE.get(other), TABLE) is None


def test_events_about_dishes_no_longer_in_the_table_are_skipped():
    model = TasteModel.learn([TasteEvent("우주선스테이크", "chose"), TasteEvent("제육볶음", "ate")], TABLE)
    assert model.events == 1 and model.chosen == ["제육볶음"]
