"""The labeled Korean utterances: well-formed, varied enough, and the NLU meets its bar on the test split.

The test split is only measured, never tuned on; if a change drops a score below the bar, CI fails.
"""

from __future__ import annotations

import collections
from pathlib import Path

import pytest

from mechuri.knowledge import load_food_table
from mechuri.knowledge.vocab import (
    ALLERGENS,
    CATEGORIES,
    CUISINES,
    DIETS,
    GOALS,
    MEALS,
    NUTRIENT_FIELDS,
    TAGS,
)
from mechuri.nlu import Slots, understand
from mechuri.nlu.evaluation import load_utterances, score
from mechuri.nlu.model import INTENTS

DATA = Path(__file__).parent / "data" / "utterances.jsonl"
ROWS = load_utterances(DATA)
VOCAB_SLOTS = {"cuisines": CUISINES, "cuisines_excluded": CUISINES, "categories": CATEGORIES,
               "categories_excluded": CATEGORIES, "tags_wanted": TAGS, "tags_excluded": TAGS, "skip_meals": MEALS}


def test_the_set_is_large_split_and_covers_every_intent():
    assert len(ROWS) >= 420
    assert len({row["id"] for row in ROWS}) == len(ROWS)
    assert len({row["text"] for row in ROWS}) == len(ROWS)
    splits = collections.Counter(row["split"] for row in ROWS)
    assert set(splits) == {"dev", "test"} and abs(splits["dev"] - splits["test"]) <= len(ROWS) * 0.05
    mentioned = collections.Counter(intent for row in ROWS for intent in row["intents"])
    assert all(mentioned[intent] >= 20 for intent in INTENTS), mentioned
    for intent in INTENTS:
        primary = [row["split"] for row in ROWS if row["intents"][0] == intent]
        assert abs(primary.count("dev") - primary.count("test")) <= 2, intent


def test_labels_use_only_known_words_and_dishes():
    table = load_food_table()
    slot_names = set(Slots.__dataclass_fields__)
    for row in ROWS:
        assert row["intents"] and set(row["intents"]) <= set(INTENTS), row["id"]
        assert set(row["slots"]) <= slot_names, row["id"]
        for name, words in VOCAB_SLOTS.items():
            assert set(row["slots"].get(name, ())) <= set(words), row["id"]
        assert row["slots"].get("meal") in (None, *MEALS), row["id"]
        for name in ("dishes_wanted", "dishes_excluded"):
            assert all(dish in table for dish in row["slots"].get(name, ())), row["id"]
        for food in row["foods"]:
            assert food is None or food in table, (row["id"], food)
        for meal in row["meals"]:
            assert meal["dish"] in table and meal["meal"] in (None, *MEALS), row["id"]
        for pref in row["preferences"]:
            assert pref["polarity"] in ("add", "remove"), row["id"]
            if pref["kind"] == "diet":
                assert pref["value"] in DIETS, row["id"]
            if pref["kind"] == "goal":
                assert pref["value"] in GOALS, row["id"]
        assert set(row.get("nutrients", ())) <= set(NUTRIENT_FIELDS), row["id"]


def test_allergy_labels_are_labeled_allergens_where_one_exists():
    values = {p["value"] for row in ROWS for p in row["preferences"] if p["kind"] == "allergy"}
    assert values - set(ALLERGENS) <= {"키위"}


@pytest.fixture(scope="module")
def test_report():
    return score(load_utterances(DATA, "test"), understand)


def test_intent_accuracy_on_the_test_split(test_report):
    assert test_report.table()["intent accuracy (primary)"] >= 0.95


def test_slot_f1_on_the_test_split(test_report):
    assert test_report.slots.f1 >= 0.90


def test_preference_f1_on_the_test_split(test_report):
    assert test_report.preferences.f1 >= 0.90


def test_no_labeled_message_hits_the_safety_net():
    for row in ROWS:
        assert "internal_error" not in understand(row["text"]).issues, row["text"]
