"""The particle after a word follows the word as it is read aloud, digits, units and Latin letters included;
Sino-Korean numbers are read with 만/천/백/십 and mixed digits."""

from __future__ import annotations

import pytest

from mechuri.knowledge.korean import (
    attach,
    ends_in_rieul,
    final_consonant,
    has_final,
    parse_number,
    particle,
    resolve_particles,
)


@pytest.mark.parametrize(("word", "final"), [
    ("김치찌개", ""), ("비빔밥", "ㅂ"), ("물", "ㄹ"), ("닭", "ㄺ"), ("라면", "ㄴ"),
])
def test_a_hangul_word_ends_in_the_final_of_its_last_syllable(word, final):
    assert final_consonant(word) == final


@pytest.mark.parametrize(("digits", "read_as", "final"), [
    ("0", "영", "ㅇ"), ("1", "일", "ㄹ"), ("2", "이", ""), ("3", "삼", "ㅁ"), ("4", "사", ""), ("5", "오", ""),
    ("6", "육", "ㄱ"), ("7", "칠", "ㄹ"), ("8", "팔", "ㄹ"), ("9", "구", ""),
    ("10", "십", "ㅂ"), ("20", "이십", "ㅂ"), ("100", "백", "ㄱ"), ("1000", "천", "ㄴ"), ("10000", "만", "ㄴ"),
    ("15", "십오", ""), ("450", "사백오십", "ㅂ"), ("2,000", "이천", "ㄴ"), ("1,000,000", "백만", "ㄴ"),
    ("120000", "십이만", "ㄴ"), ("100000000", "일억", "ㄱ"), ("1.5", "일 점 오", ""), ("3.0", "삼 점 영", "ㅇ"),
    ("비타500", "비타오백", "ㄱ"),
])
def test_digits_are_read_as_a_sino_korean_number(digits, read_as, final):
    assert final_consonant(digits) == final, read_as


@pytest.mark.parametrize(("word", "final"), [
    ("238kcal", ""), ("kcal", ""), ("30g", "ㅁ"), ("30 g", "ㅁ"), ("2,392mg", "ㅁ"), ("mg", "ㅁ"), ("1kg", "ㅁ"),
    ("500ml", ""), ("2L", ""), ("50%", ""), ("36.5℃", ""),
    ("L", "ㄹ"), ("M", "ㅁ"), ("N", "ㄴ"), ("R", "ㄹ"), ("g", ""), ("A", ""),
    ("KFC", ""), ("BBQ", ""), ("BHC", ""), ("SPAM", "ㅁ"),
    ("burger", ""), ("pizza", ""), ("salad", ""), ("steak", ""), ("ham", "ㅁ"), ("bacon", "ㄴ"),
    ("meal", "ㄹ"), ("chip", "ㅂ"), ("hotdog", ""), ("ring", "ㅇ"),
])
def test_units_and_latin_letters_are_read_as_koreans_read_them(word, final):
    assert final_consonant(word) == final


@pytest.mark.parametrize(("word", "expected"), [
    ("김치찌개(1인분)", "김치찌개(1인분)를"), ("된장국 (1인분)", "된장국 (1인분)을"), ("'떡볶이'", "'떡볶이'를"),
    ("「비빔밥」", "「비빔밥」을"), ("(김치)", "(김치)를"), ("라면!", "라면!을"), ("김밥, ", "김밥, 을"),
])
def test_trailing_punctuation_quotes_and_brackets_are_skipped(word, expected):
    assert attach(word, "을/를") == expected


def test_what_cannot_be_read_takes_the_form_after_a_final():
    assert final_consonant("") is None and final_consonant("😀") is None and final_consonant("漢") is None
    assert has_final("") and particle("", "을/를") == "을" and particle("😀", "이/가") == "이"


@pytest.mark.parametrize(("word", "pair", "expected"), [
    ("김치찌개", "이/가", "가"), ("비빔밥", "이/가", "이"),
    ("김치찌개", "은/는", "는"), ("비빔밥", "은/는", "은"),
    ("김치찌개", "을/를", "를"), ("비빔밥", "을/를", "을"),
    ("김치찌개", "과/와", "와"), ("비빔밥", "과/와", "과"),
    ("김치찌개", "이에요/예요", "예요"), ("비빔밥", "이에요/예요", "이에요"),
    ("김치찌개", "이랑/랑", "랑"), ("비빔밥", "이랑/랑", "이랑"),
    ("민수", "아/야", "야"), ("민준", "아/야", "아"),
])
def test_each_pair_picks_by_the_final(word, pair, expected):
    assert particle(word, pair) == expected


@pytest.mark.parametrize(("word", "expected"), [
    ("국물", "국물로"), ("7", "7로"), ("1", "1로"), ("L", "L로"),
    ("김치찌개", "김치찌개로"), ("238kcal", "238kcal로"),
    ("비빔밥", "비빔밥으로"), ("닭", "닭으로"), ("3", "3으로"), ("2,000", "2,000으로"),
])
def test_a_rieul_final_takes_ro_not_euro(word, expected):
    assert attach(word, "으로/로") == expected
    assert ends_in_rieul(word) == (word in ("국물", "7", "1", "L"))


def test_template_markers_are_resolved_after_the_word_they_follow():
    text = "당류은(는) 같아요. '떡복이'을(를) 찾았어요. 국물(으)로 · 4(으)로 · KFC이(가) · 새우(이)랑 김치과(와)"
    assert resolve_particles(text) == "당류는 같아요. '떡복이'를 찾았어요. 국물로 · 4로 · KFC가 · 새우랑 김치와"
    assert resolve_particles("김치찌개 1인분(450g)을(를) 드셨어요") == "김치찌개 1인분(450g)을 드셨어요"
    assert resolve_particles("표시 없음") == "표시 없음"


@pytest.mark.parametrize(("text", "value"), [
    ("500", 500), ("1,200", 1200), ("20.5", 20.5), ("0", 0),
    ("오백", 500), ("백", 100), ("십오", 15), ("천이백", 1200), ("천 이백", 1200), ("삼천오백", 3500),
    ("천오백", 1500), ("이천오", 2005), ("만", 10_000), ("만 이천", 12_000), ("만오천", 15_000),
    ("이만오천", 25_000), ("2만", 20_000), ("1만 2천", 12_000), ("1만2000", 12_000), ("2천", 2000),
    ("1.5만", 15_000), ("1,200만", 12_000_000), ("2\n천", 2000),
])
def test_numbers_are_read_in_digits_sino_korean_words_or_both(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", " ", "영", "이이", "천천", "십백", "만만", "만오천원", "나", "1e5", "nan"])
def test_what_is_not_a_number_is_none(text):
    assert parse_number(text) is None
