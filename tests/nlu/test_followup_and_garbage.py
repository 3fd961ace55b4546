"""Follow-ups point at earlier recommendations; anything a browser can send is answered, never raised."""

from __future__ import annotations

import random

import pytest

from mechuri.nlu import understand


@pytest.mark.parametrize(
    ("message", "reference"),
    [("첫번째 거 칼로리", 0), ("두 번째 거 나트륨은?", 1), ("2번 레시피", 1), ("세번째꺼 어때", 2),
     ("마지막 거 칼로리", -1), ("그거 칼로리는?", None), ("맨 위에 있는 거 칼로리", 0), ("맨 아래 거 레시피 좀", -1),
     ("두번쨰 거 나트륨", 1)],
)
def test_which_recommendation_a_followup_points_at(message, reference):
    result = understand(message)
    assert result.intent == "followup"
    assert result.reference == reference


def test_another_is_not_a_followup():
    result = understand("그거 말고 다른 거")
    assert result.intents == ["another"] and result.reference is None


@pytest.mark.parametrize(
    ("message", "intent", "issue"),
    [
        ("", "out_of_domain", "empty"),
        ("   \n\t ", "out_of_domain", "empty"),
        ("😀😀😀", "out_of_domain", "no_korean"),
        ("🍕", "out_of_domain", "no_korean"),
        ("What should I eat today?", "out_of_domain", "no_korean"),
        ("hello", "greeting", "no_korean"),
        ("<script>alert('x')</script>", "out_of_domain", "markup"),
        ("'; DROP TABLE users; --", "out_of_domain", "no_korean"),
        ("SELECT * FROM foods WHERE name = '김치찌개' OR 1=1", "nutrition", None),
    ],
)
def test_garbage_gets_a_sensible_answer(message, intent, issue):
    result = understand(message)
    assert result.intent == intent
    if issue:
        assert issue in result.issues


def test_ten_thousand_characters_are_cut_and_flagged():
    result = understand("점심 추천해줘 " + "가나다라마바사 " * 1500)
    assert "too_long" in result.issues and len(result.text) <= 1000
    assert result.intent == "recommend"


@pytest.mark.parametrize("paste", ["가" * 10000, "ㅋ" * 10000, "김치찌개" * 2500, "a" * 10000])
def test_long_pastes_do_not_raise_and_stay_bounded(paste):
    result = understand(paste)
    assert result.intents and "too_long" in result.issues and len(result.foods) <= 20


def test_html_around_a_real_question_is_stripped():
    result = understand("<p>떡볶이 <b>칼로리</b></p>")
    assert result.intent == "nutrition" and "markup" in result.issues
    assert [f.dish for f in result.foods] == ["떡볶이"]


def test_random_text_never_raises():
    rng = random.Random(7)
    alphabet = "가나다떡볶이김치찌개 안말고빼고싫어좋아먹었어칼로리 ?!<>'\";ㅋㅠ😀abc123~\n\x00\u200b"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        result = understand(text)
        assert result.intents and "internal_error" not in result.issues, text


def test_non_text_input_is_treated_as_empty():
    assert understand(None).intent == "out_of_domain"  # type: ignore[arg-type]
