"""The grounded writer's particles follow each word as it is read aloud (knowledge.korean), including the
nutrient labels that end in a vowel and names that end in Latin letters."""

from __future__ import annotations

from mechuri.conversation.facts import Gap
from mechuri.conversation.turn import NutritionAnswer, Turn
from mechuri.conversation.writer import GroundedWriter
from mechuri.knowledge.korean import resolve_particles


def test_a_label_ending_in_a_vowel_takes_neun():
    """The comparison lines wrote 「{label}은」 whatever the label: 「당류은」, 「식이섬유은」."""
    assert resolve_particles(Gap("당류", "", 3.0, "g", False, 2).sentence()) == "당류는 둘 다 3g이에요."
    assert resolve_particles(Gap("열량", "", 450.0, "kcal", False, 3).sentence()) == "열량은 모두 450kcal예요."
    assert (resolve_particles(Gap("식이섬유", "김밥", 1.5, "g", True).sentence())
            == "식이섬유는 김밥이 1.5g 많아요.")


def test_the_facts_of_a_gap_read_right():
    """The LLM facts wrote 「당류은」 and 「3g로」 (그램 ends in ㅁ: 「3g으로」)."""
    assert Gap("당류", "", 3.0, "g", False, 2).fact() == "당류는 둘 다 3g으로 같음"
    assert Gap("열량", "", 450.0, "kcal", False, 2).fact() == "열량은 둘 다 450kcal로 같음"
    assert Gap("식이섬유", "김밥", 1.5, "g", True).fact() == "식이섬유는 김밥이(가) 1.5g 많음"


def test_an_unknown_name_in_latin_letters_takes_the_particle_it_is_read_with():
    """「pizza」 (피자) and 「KFC」 (케이에프씨) end in a vowel: 「'pizza'는」. The writer took every
    non-Hangul ending for a final consonant (「'pizza'은」)."""
    for query in ("pizza", "KFC"):
        turn = Turn(reply="", intent="nutrition", nutrition=NutritionAnswer(query=query, found=False))
        assert GroundedWriter().write(turn).startswith(f"'{query}'는 제가 가진 음식 표에 없어서")
    turn = Turn(reply="", intent="nutrition", nutrition=NutritionAnswer(query="ham", found=False))
    assert GroundedWriter().write(turn).startswith("'ham'은 제가 가진 음식 표에 없어서")
