"""Finding dishes the way people type them: misspelled, spaced, by nickname — or honestly not at all."""

from __future__ import annotations

import pytest

from mechuri.knowledge import default_lookup
from mechuri.knowledge.hangul import to_jamo

LOOKUP = default_lookup()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("김치찌개", "김치찌개"),
        ("김치찌게", "김치찌개"),
        ("김치 찌개", "김치찌개"),
        ("후라이드치킨", "후라이드치킨"),
        ("후라이드 치킨", "후라이드치킨"),
        ("프라이드 치킨", "후라이드치킨"),
        ("떡복이", "떡볶이"),
        ("떡볶기", "떡볶이"),
        ("된장찌게", "된장찌개"),
        ("짜장면", "짜장면"),
        ("자장면", "짜장면"),
        ("돈까스", "돈가스"),
        ("까르보나라", "까르보나라"),
        ("아메리카노", "아메리카노"),
        ("삼겹살", "삼겹살"),
    ],
)
def test_a_typed_name_finds_the_right_dish(typed, expected):
    result = LOOKUP.resolve(typed)
    assert result.found, (typed, result.suggestions)
    assert result.dish.name == expected


def test_exact_alias_and_fuzzy_matches_say_how_they_matched():
    assert LOOKUP.resolve("김치찌개").match == "exact"
    assert LOOKUP.resolve("김치 찌개").match == "exact"
    assert LOOKUP.resolve("프라이드치킨").match == "alias"
    fuzzy = LOOKUP.resolve("부대찌깨")
    assert fuzzy.match == "fuzzy" and fuzzy.dish.name == "부대찌개"


@pytest.mark.parametrize("typed", ["우주선스테이크", "민트초코라면", "외계인 김밥", "asdfgh", "ㅋㅋㅋㅋ", "", "밥밥"])
def test_an_unknown_dish_is_not_found_rather_than_guessed(typed):
    result = LOOKUP.resolve(typed)
    assert not result.found
    assert result.match is None


def test_not_found_comes_with_close_suggestions():
    result = LOOKUP.resolve("김치찌개덮밥볶음")
    assert not result.found
    assert result.suggestions and all(isinstance(name, str) for name in result.suggestions)


def test_search_lists_related_dishes():
    names = [d.name for d in LOOKUP.search("치킨")]
    assert "후라이드치킨" in names and "양념치킨" in names
    assert all("치킨" in n or "치킨" in d.category for n, d in
               ((d.name, d) for d in LOOKUP.search("치킨")[:5]))
    soups = LOOKUP.search("국물", limit=50)
    assert len(soups) >= 20 and all("국물" in d.tags or "국물" in d.name for d in soups[:20])
    assert LOOKUP.search("") == []


def test_jamo_splits_double_consonants_and_compound_vowels():
    assert to_jamo("떡볶이") == "ㄷㄷㅓㄱㅂㅗㄱㄱㅇㅣ"
    assert to_jamo("찌개") == "ㅈㅈㅣㄱㅏㅣ"
    assert to_jamo("a1") == "a1"
