"""The shipped food table: big enough, and every row passes every data check."""

from __future__ import annotations

from collections import Counter

import pytest

from mechuri.knowledge import load_food_table
from mechuri.knowledge.checks import check_dishes, energy_from_macros
from mechuri.knowledge.foods import Dish
from mechuri.knowledge.vocab import CUISINES, MEALS

TABLE = load_food_table()


def test_the_table_has_at_least_400_menus():
    assert len(TABLE) >= 400


def test_every_row_passes_every_data_check():
    problems = check_dishes(TABLE)
    assert problems == [], "\n".join(map(str, problems[:50]))


@pytest.mark.parametrize("group", ["찌개", "탕", "국", "볶음", "구이", "밥", "면", "분식", "치킨", "피자", "버거",
                                   "디저트", "음료", "샐러드"])
def test_every_kind_of_menu_people_eat_is_there(group):
    matches = [d for d in TABLE if d.category == group or group in d.tags]
    assert len(matches) >= 3, group


@pytest.mark.parametrize("tag", ["편의점", "카페", "다이어트식", "패스트푸드"])
def test_convenience_cafe_diet_and_fast_food_menus_are_there(tag):
    assert sum(tag in d.tags for d in TABLE) >= 8


def test_every_cuisine_and_meal_is_covered():
    cuisines = Counter(d.cuisine for d in TABLE)
    assert {"한식", "중식", "일식", "양식"} <= set(cuisines)
    assert set(cuisines) <= set(CUISINES)
    for meal in MEALS:
        assert sum(meal in d.meals for d in TABLE) >= 20, meal


def test_well_known_dishes_have_believable_values():
    kimchi_stew = TABLE["김치찌개"]
    assert 150 <= kimchi_stew.kcal <= 700 and kimchi_stew.sodium_mg >= 1000
    assert "매운" in kimchi_stew.tags and "국물" in kimchi_stew.tags
    chicken = TABLE["후라이드치킨"]
    assert "닭고기" in chicken.allergens and "밀" in chicken.allergens and "튀김" in chicken.tags
    americano = TABLE["아메리카노"]
    assert americano.kcal < 30


def test_every_row_records_its_source_and_whether_it_is_an_estimate():
    assert all(d.source for d in TABLE)
    assert all(isinstance(d.estimated, bool) for d in TABLE)


def _dish(**overrides) -> Dish:
    base = dict(name="시험메뉴", aliases=(), cuisine="한식", category="찌개", meals=("점심",), tags=("국물",),
                ingredients=("두부", "대파"), allergens=("대두",), serving_g=400, kcal=200,
                carbohydrate_g=10, sugar_g=2, protein_g=15, fat_g=11, saturated_fat_g=2, sodium_mg=900,
                fiber_g=2, source="test", estimated=True)
    base.update(overrides)
    return Dish(**base)


def test_the_checks_catch_broken_rows():
    assert energy_from_macros(_dish()) == 10 * 4 + 15 * 4 + 11 * 9
    rules = {p.rule for p in check_dishes([_dish(kcal=900)])}
    assert rules == {"energy"}
    assert {p.rule for p in check_dishes([_dish(ingredients=("새우", "면"))])} == {"allergen"}
    assert check_dishes([_dish(ingredients=("쌀국수면",), notes="")]) == []
    assert {p.rule for p in check_dishes([_dish(tags=("매운맛",))])} == {"vocabulary"}
    assert {p.rule for p in check_dishes([_dish(tags=("고단백",), protein_g=15)])} == {"tag"}
    assert {p.rule for p in check_dishes([_dish(tags=("채식가능",), allergens=("대두", "새우"))])} == {"tag"}
    assert {p.rule for p in check_dishes([_dish(sugar_g=30)])} == {"range"}
    duplicate = check_dishes([_dish(), _dish(name="다른메뉴", aliases=("시험 메뉴",))])
    assert [p.rule for p in duplicate] == ["unique"]
    assert check_dishes([_dish(ingredients=("면",), allergens=(), notes="밀 없음: 쌀로 만든 면")]) == []
