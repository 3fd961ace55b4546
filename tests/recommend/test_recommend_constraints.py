"""Hard constraints: whatever else a user says, an allergy, a dislike or a diet is never broken."""

from __future__ import annotations

import pytest

from mechuri.knowledge import load_food_table
from mechuri.knowledge.vocab import INGREDIENT_ALLERGENS
from mechuri.recommend import RecommendationRequest, dish_matches_term, explain_exclusions, recommend

TABLE = load_food_table()
MEALS_TO_TRY = ("아침", "점심", "저녁", "야식")


def allowed(**kwargs: object) -> set[str]:
    """Names of every dish the recommender may pick for this request (the whole table minus exclusions)."""
    request = RecommendationRequest(**kwargs)  # type: ignore[arg-type]
    excluded = explain_exclusions(TABLE, request)
    return {dish.name for dish in TABLE} - set(excluded)


def shown(**kwargs: object) -> list[str]:
    """What mechuri would answer for each main meal with this request."""
    names: list[str] = []
    for meal in MEALS_TO_TRY:
        names += recommend(TABLE, RecommendationRequest(meal=meal, k=5, **kwargs)).names  # type: ignore[arg-type]
    return names


def implied(dish) -> set[str]:
    return set(dish.allergens) | {a for i in dish.ingredients for a in INGREDIENT_ALLERGENS.get(i, ())}


def test_a_shrimp_allergy_excludes_every_dish_declaring_shrimp_or_made_with_it():
    shrimp = [d for d in TABLE if "새우" in d.allergens or any("새우" in i or i == "대하" for i in d.ingredients)]
    assert shrimp, "the table has shrimp dishes"
    ok = allowed(allergies={"새우"})
    assert not ok & {d.name for d in shrimp}
    assert not {"새우"} & set().union(*(implied(TABLE[name]) for name in shown(allergies={"새우"})))


def test_an_allergy_also_catches_an_ingredient_the_allergen_column_forgot():
    dish = next(d for d in TABLE if "돼지고기" in d.allergens and "돼지고기" in d.ingredients)
    forgetful = type(dish)(**{**{f: getattr(dish, f) for f in dish.__dataclass_fields__},
                              "allergens": tuple(a for a in dish.allergens if a != "돼지고기")})
    assert dish_matches_term(forgetful, "돼지고기", "allergy")
    assert recommend([forgetful], RecommendationRequest(allergies={"돼지고기"})).items == []


@pytest.mark.parametrize(("group", "allergens"), [
    ("갑각류", {"새우", "게"}), ("견과류", {"땅콩", "호두", "잣"}), ("유제품", {"우유"}), ("계란", {"난류"}),
    ("밀가루", {"밀"}), ("해산물", {"새우", "게", "오징어", "조개류", "고등어"}),
])
def test_a_group_allergy_excludes_every_allergen_of_the_group(group, allergens):
    ok = allowed(allergies={group})
    assert all(not implied(TABLE[name]) & allergens for name in ok)
    assert all(not implied(TABLE[name]) & allergens for name in shown(allergies={group}))


def test_an_ingredient_allergy_that_is_not_a_labelled_allergen_still_excludes_the_ingredient():
    cucumber = {d.name for d in TABLE if "오이" in d.ingredients}
    assert cucumber
    assert not allowed(allergies={"오이"}) & cucumber


def test_disliking_spicy_food_means_no_spicy_dish_at_all():
    ok = allowed(excluded={"매운"})
    assert ok and all("매운" not in TABLE[name].tags for name in ok)
    assert all("매운" not in TABLE[name].tags for name in shown(excluded={"매운"}, liked={"매운"}))


def test_excluding_noodles_removes_noodle_dishes_by_tag_category_and_ingredient():
    ok = allowed(excluded={"면"})
    assert all("면" not in TABLE[n].tags and TABLE[n].category != "면" and "면" not in TABLE[n].ingredients
               for n in ok)


@pytest.mark.parametrize("word", ["중식", "고기", "해산물"])
def test_excluding_a_cuisine_or_a_group_word(word):
    for name in allowed(excluded={word}):
        dish = TABLE[name]
        assert dish.cuisine != word
        if word == "고기":
            assert "고기" not in dish.tags and not implied(dish) & {"돼지고기", "쇠고기", "닭고기"}
        if word == "해산물":
            assert "해산물" not in dish.tags and not implied(dish) & {"새우", "게", "오징어", "조개류", "고등어"}


def test_excluding_a_dish_by_name():
    name = next(iter(TABLE)).name
    assert name not in allowed(excluded={name})
    assert name not in shown(excluded={name}, wanted_dishes={name})


def test_vegan_gets_only_vegan_dishes_and_vegetarian_only_vegetarian_ones():
    assert all("비건" in TABLE[n].tags for n in allowed(diets={"비건"}))
    assert all("채식가능" in TABLE[n].tags for n in allowed(diets={"채식"}))
    assert all("비건" in TABLE[n].tags for n in shown(diets={"비건"}))


def test_low_salt_low_carb_and_diabetic_diets_keep_their_numbers():
    assert all(TABLE[n].sodium_mg <= 800 for n in allowed(diets={"저염"}))
    for name in allowed(diets={"저탄수"}):
        dish = TABLE[name]
        assert dish.carbohydrate_g <= 45 and 4 * dish.carbohydrate_g <= 0.4 * dish.kcal
    assert all(TABLE[n].sugar_g <= 15 and TABLE[n].carbohydrate_g <= 80 for n in allowed(diets={"당뇨관리"}))


def test_a_calorie_cap_and_floor_from_the_message():
    assert all(TABLE[n].kcal <= 500 for n in allowed(kcal_max=500))
    assert all(TABLE[n].kcal <= 500 for n in shown(kcal_max=500))
    assert all(400 <= TABLE[n].kcal <= 600 for n in allowed(kcal_min=400, kcal_max=600))


def test_no_samgyeopsal_for_breakfast_unless_the_user_asks_for_it():
    assert "삼겹살" in TABLE and "아침" not in TABLE["삼겹살"].meals
    assert "삼겹살" not in allowed(meal="아침")
    assert "삼겹살" not in allowed(meal="아침", liked={"삼겹살"})
    assert "삼겹살" in allowed(meal="아침", wanted_dishes={"삼겹살"})
    assert "삼겹살" in allowed(meal="아침", meal_explicit=True)
    first = recommend(TABLE, RecommendationRequest(meal="아침", wanted_dishes={"삼겹살"}, k=3)).items[0]
    assert first.dish.name == "삼겹살"


def test_every_dish_for_a_meal_suits_that_meal():
    for meal in MEALS_TO_TRY:
        assert all(meal in TABLE[n].meals for n in allowed(meal=meal))


def test_requested_tags_all_hold_and_a_requested_cuisine_is_respected():
    for name in allowed(wanted_tags={"국물", "매운"}, wanted_cuisines={"중식", "한식"}):
        dish = TABLE[name]
        assert "국물" in dish.tags and "매운" in dish.tags and dish.cuisine in ("중식", "한식")


def test_the_previous_answer_is_left_out_when_asked_for_something_else():
    first = recommend(TABLE, RecommendationRequest(meal="점심"))
    again = recommend(TABLE, RecommendationRequest(meal="점심", avoid_names=frozenset(first.names)))
    assert len(again.items) == 3 and not set(first.names) & set(again.names)


def test_each_excluded_dish_says_why_and_the_counts_add_up():
    request = RecommendationRequest(meal="아침", allergies={"새우"}, excluded={"매운"}, kcal_max=600)
    why = explain_exclusions(TABLE, request)
    result = recommend(TABLE, request)
    assert result.candidates_count == len(TABLE) - len(why)
    assert result.why_excluded == why
    for constraint, count in result.excluded_counts.items():
        assert count == sum(constraint in reasons for reasons in why.values())
    spicy = next(d for d in TABLE if "매운" in d.tags)
    assert "excluded" in why[spicy.name]


def test_group_words_expand_for_matching():
    for dish in TABLE:
        if "게" in dish.allergens or "새우" in dish.allergens:
            assert dish_matches_term(dish, "갑각류") and dish_matches_term(dish, "해산물")
        if {"돼지고기", "쇠고기", "닭고기"} & set(dish.allergens):
            assert dish_matches_term(dish, "고기")
        if "난류" in dish.allergens:
            assert dish_matches_term(dish, "계란") and dish_matches_term(dish, "달걀")


@pytest.mark.parametrize("mode", ["allergy", "avoid", "prefer"])
def test_the_table_index_matches_exactly_what_the_one_dish_rule_matches(mode):
    from mechuri.recommend.index import DishIndex

    index = DishIndex.build(TABLE)
    words = ["새우", "갑각류", "견과류", "해산물", "고기", "밀가루", "면", "매운", "중식", "오이", "김치찌개", "김밥", "국물",
             "치즈", "계란", "간장", "고수", "닭", "라면", "떡볶이"]
    for word in words:
        expected = {i for i, dish in enumerate(index.dishes) if dish_matches_term(dish, word, mode)}
        assert index.matching(word, mode) == expected, word
