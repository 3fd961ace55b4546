"""The synthesized answers put each particle after the word as it is read aloud (knowledge.korean)."""

from __future__ import annotations

import random

from mechuri.data.synthesize import nutrition_examples
from mechuri.knowledge import load_food_table


def test_an_alias_in_latin_letters_takes_the_particle_of_its_letter_names():
    """「BLT」 is read 비엘티 (ends in a vowel): 「'BLT'로 물어보신」. The synthesizer's own copy of the 받침
    test took every non-Hangul ending for a final consonant (「'BLT'으로」)."""
    blt = [e for e in nutrition_examples(load_food_table(), random.Random(0)) if e.meta["query"] == "BLT"]
    assert blt and all(e.output.startswith("'BLT'로 물어보신 비엘티샌드위치를 기준으로") for e in blt)
