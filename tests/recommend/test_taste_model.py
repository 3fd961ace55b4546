"""The taste model on its own: events in, beliefs and scores out (online Bayesian logistic regression)."""

from __future__ import annotations

import random

from mechuri.knowledge import load_food_table
from mechuri.recommend.reasons import taste_feature_words
from mechuri.recommend.taste import PRIOR_PRECISION, TasteEvent, TasteModel, dish_features, main_proteins

TABLE = load_food_table()


def _spicy_pork() -> list[str]:
    return [d.name for d in TABLE if "매운" in d.tags and "돼지고기" in d.ingredients[:3]]


def test_a_dish_is_described_by_what_it_is_not_by_its_name():
    features = dish_features(TABLE.get("제육볶음"))
    assert "cuisine:한식" in features and "tag:매운" in features
    assert not any(name.startswith("name:") for name in features)
    assert abs(sum(v * v for v in features.values()) - 1.0) < 1e-9  # unit length: many tags count no more


def test_pork_is_one_feature_whatever_the_cut_and_spicy_pork_is_a_feature_of_its_own():
    # 삼겹살, 순대 and 돼지고기 are all pork (the labeling list's ingredient → allergen map)
    assert main_proteins(TABLE.get("오삼불고기")) == {"돼지고기", "해산물"}
    assert "protein:돼지고기" in dish_features(TABLE.get("삼겹살"))
    assert "protein:돼지고기" in dish_features(TABLE.get("순대볶음"))
    assert "combo:매운+돼지고기" in dish_features(TABLE.get("제육볶음"))
    assert "combo:순한+돼지고기" in dish_features(TABLE.get("삼겹살"))
    assert not any(name.startswith(("protein:", "combo:")) for name in dish_features(TABLE.get("비빔밥")))


def test_it_learns_a_conjunction_spicy_pork_and_mild_fish_but_neither_spicy_fish_nor_mild_pork():
    # Over 매운, 돼지고기 and 해산물 alone an additive model would need 매운 + 돼지고기 > 0 > 돼지고기 and
    # 해산물 > 0 > 매운 + 해산물 — impossible; the combo features carry the conjunction itself.
    liked = ["제육볶음", "김치찌개", "감자탕", "고등어구이", "삼치구이", "조개구이"]
    passed = ["낙지볶음", "쭈꾸미볶음", "동태찌개", "보쌈", "돼지국밥", "삼겹살"]
    events = []
    for chosen, other in zip(liked, passed, strict=True):
        events += [TasteEvent(chosen, "chose"), TasteEvent(other, "passed")]
    model = TasteModel.learn(events * 3, TABLE)
    assert model.mean["combo:매운+돼지고기"] > 0 > model.mean["combo:매운+해산물"]
    assert model.mean["combo:순한+해산물"] > 0 > model.mean["combo:순한+돼지고기"]
    mean = {name: model.utility(TABLE.get(name))[0] for name in ("김치찜", "오징어볶음", "갈치구이", "족발")}
    assert mean["김치찜"] > mean["오징어볶음"]  # spicy pork over spicy seafood, neither seen
    assert mean["갈치구이"] > mean["족발"]  # mild fish over mild pork, neither seen


def test_every_feature_the_model_can_point_to_reads_as_korean():
    for dish in list(TABLE)[::7]:
        for feature in dish_features(dish):
            words = taste_feature_words(feature)
            assert ":" not in words and "+" not in words and words.strip(), feature
    assert taste_feature_words("combo:매운+돼지고기") == "매콤한 돼지고기 요리인"
    assert taste_feature_words("protein:돼지고기") == "돼지고기가 들어간"


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


def test_the_panel_shows_the_most_telling_features_first_when_one_event_lifts_them_alike():
    model = TasteModel.learn([TasteEvent("제육볶음", "liked")], TABLE)
    top = [name for name, _ in model.top_features(8)]
    assert top[0] == "combo:매운+돼지고기" and "tag:매운" in top
    assert not any(name.startswith("ingredient:") for name in top)  # 11 features, 8 shown: ingredients last


def test_the_whole_table_scored_at_once_is_each_dish_scored_alone():
    """``taste_draws`` (one matrix product over every candidate) gives ``TasteModel.draw`` for each dish."""
    from mechuri.recommend.index import DishIndex
    from mechuri.recommend.sampling import normal_draw
    from mechuri.recommend.taste_matrix import feature_matrix, taste_draws

    index = DishIndex.of(TABLE)
    model = TasteModel.learn([TasteEvent("제육볶음", "chose"), TasteEvent("물냉면", "skipped"),
                              TasteEvent("오삼불고기", "ate"), TasteEvent("크림파스타", "disliked")] * 2, TABLE)
    rows = [p for p in range(len(index.dishes)) if p % 3 != 1]  # candidates: any subset, in any order
    rows.reverse()
    normals = [normal_draw(42, index.dishes[p].name) for p in rows]
    together = taste_draws(model, index.dishes, rows, normals)
    alone = [model.draw(index.dishes[p], z) for p, z in zip(rows, normals, strict=True)]
    assert max(abs(a - b) for a, b in zip(together, alone, strict=True)) < 1e-12
    assert len(set(together)) > 20  # the model does tell dishes apart
    assert feature_matrix(index.dishes) is feature_matrix(index.dishes)


def test_a_model_extended_with_more_events_is_the_model_learned_from_all_of_them():
    first = [TasteEvent("제육볶음", "chose"), TasteEvent("짜장면", "passed"), TasteEvent("떡볶이", "skipped")]
    more = [TasteEvent("오징어볶음", "ate"), TasteEvent("없는메뉴", "chose"), TasteEvent("콩국수", "disliked")]
    learned = TasteModel.learn(first, TABLE)
    kept = learned.copy()
    extended = learned.extend(more, TABLE)
    assert extended == TasteModel.learn(first + more, TABLE)
    assert kept == TasteModel.learn(first, TABLE) and kept != extended  # the copy did not move with it
