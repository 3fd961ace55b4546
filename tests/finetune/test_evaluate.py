"""The behaviour suite scores what a served reply must get right, and the grounded answers pass it."""

from __future__ import annotations

import random

import pytest

from mechuri.data.synthesize import nutrition_examples
from mechuri.data.synthesize_recommend import recommendation_examples
from mechuri.data.synthesize_writer import writer_examples
from mechuri.finetune.evaluate import build_suite, grounded_score, score_answers
from mechuri.knowledge.foods import load_food_table

TABLE = load_food_table()


@pytest.fixture(scope="module")
def suite():
    rows = [e.to_dict() for e in writer_examples(40, seed=9)]
    rows += [e.to_dict() for e in recommendation_examples(TABLE, random.Random(2), 60)]
    rows += [e.to_dict() for e in nutrition_examples(TABLE, random.Random(3))][:80]
    rows += [{"instruction": "김치 보관은 어떻게 해요?", "input": "", "output": "김치는 냉장 보관하세요.",
              "source": "qa"}]
    return build_suite(rows, 24, TABLE)


def test_the_suite_mixes_every_kind(suite):
    kinds = [item.kind for item in suite]
    assert len(suite) == 24 and kinds.count("writer") == 6 and kinds.count("recommend") == 6
    assert kinds.count("general") == 1 and kinds.count("nutrition") == 11
    assert all(item.turn for item in suite if item.kind == "writer")
    intents = [item.turn["intent"] for item in suite if item.kind == "writer"]
    assert "recommend" in intents and len(set(intents)) == len(intents)  # one of each of the six commonest


def test_stratified_takes_turns_and_spreads_each_group() -> None:
    from mechuri.finetune.evaluate import Item, stratified

    items = [Item("writer", f"a{i}", "", "") for i in range(9)] + [Item("writer", f"b{i}", "", "") for i in range(3)]
    chosen = [item.instruction for item in stratified(items, lambda item: item.instruction[0], 5)]
    assert chosen == ["a0", "a3", "a6", "b0", "b1"]
    assert len(stratified(items, lambda item: item.instruction[0], 50)) == 12


def test_the_grounded_answers_pass_every_check(suite):
    score = grounded_score(suite)
    assert (score.numbers_ok, score.constraints_ok, score.guardrail_ok, score.korean) == (1.0, 1.0, 1.0, 1.0)


def test_an_invented_number_or_a_forbidden_dish_fails(suite):
    writer = [item for item in suite if item.kind == "writer" and item.turn["recommendations"]]
    assert writer
    bad = [f"{item.reference} 사실 1인분에 9,999kcal예요." for item in writer]
    assert score_answers("bad", writer, bad, 0.0).guardrail_ok == 0.0
    nutrition = [item for item in suite if item.kind == "nutrition"]
    assert score_answers("bad", nutrition, ["1인분에 12,345kcal예요."] * len(nutrition), 0.0).numbers_ok == 0.0
    english = score_answers("en", nutrition, ["It has about 500 calories."] * len(nutrition), 0.0)
    assert english.korean == 0.0


def test_the_slotted_row_sends_the_writer_prompt_in_slots_and_scores_the_filled_answer(suite):
    """A model that learned the slotted rows answers a writer prompt with the reference's slots: filled,
    that is the reference itself, and the guardrail passes it; the other kinds are asked as they are."""
    from mechuri.finetune.evaluate import answer, model_score
    from mechuri.llm.prompts import SLOT_RULE
    from mechuri.llm.slots import slot_prompt

    class SlotCopier:
        def __init__(self) -> None:
            self.prompts: list[str] = []

        def generate(self, prompt: str, **options: object) -> str:
            self.prompts.append(prompt)
            item = next(i for i in suite if i.context and i.context.split("\n")[1] in prompt)
            if item.kind != "writer":
                return item.reference
            return slot_prompt(item.instruction, item.context).slot(item.reference)

    writer = [item for item in suite if item.kind == "writer"]
    backend = SlotCopier()
    assert all(answer(backend, item, 64, slots=True) == item.reference for item in writer)
    slotted = [p for p in backend.prompts if SLOT_RULE in p]
    assert slotted and all("{1}" in p for p in slotted)  # the writer prompts went out slotted
    score = model_score("fine-tuned + slots", backend, writer, [], 64, slots=True)
    assert score.guardrail_ok == 1.0 and score.heldout_loss is None
    nutrition = next(item for item in suite if item.kind == "nutrition")
    assert answer(backend, nutrition, 64, slots=True) == nutrition.reference
    assert SLOT_RULE not in backend.prompts[-1]  # only the served writer prompt is slotted
