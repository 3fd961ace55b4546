"""Reply-writer rows: the prompt a served model gets, and an answer the serving guardrail accepts."""

from __future__ import annotations

from collections import Counter

import pytest

from mechuri.conversation.turn import Turn
from mechuri.data.synthesize_writer import writer_examples
from mechuri.knowledge.foods import load_food_table
from mechuri.llm.guardrails import Guardrail
from mechuri.llm.prompts import build_prompt, instruction_prompt


@pytest.fixture(scope="module")
def rows():
    return writer_examples(120, seed=3)


def test_rows_are_the_serving_prompt_of_real_turns(rows):
    assert len(rows) >= 100 and len({(r.input, r.output) for r in rows}) == len(rows)
    intents = Counter(Turn.model_validate(r.meta["turn"]).intent for r in rows)
    assert {"recommend", "nutrition", "meal_log", "allergy"} <= set(intents)
    facts = "\n".join(r.input for r in rows)
    assert "- 차이:" in facts and "- 꼭 알릴 주의:" in facts  # comparisons and allergy warnings are taught too
    for row in rows:
        turn = Turn.model_validate(row.meta["turn"])
        prompt = build_prompt(turn)
        assert (row.instruction, row.input) == (prompt.system, prompt.user)
        assert instruction_prompt(row.instruction, row.input) == prompt.alpaca()  # what training encodes
        assert "참고 답변" not in row.input and row.source == "synth:writer"


def test_every_answer_passes_the_serving_guardrail_and_its_numbers_are_in_the_facts(rows):
    guardrail = Guardrail(load_food_table())
    for row in rows:
        turn = Turn.model_validate(row.meta["turn"])
        assert guardrail.check(row.output, turn, grounded=row.output, facts=row.input).ok  # as LLMWriter checks
        # from the facts alone: every number and every dish the Turn chose (a dish named as left out, or
        # as an example question, is still 「forbidden」 to a check that has no grounded reply to trust)
        reasons = guardrail.check(row.output, turn, facts=row.input).reasons
        assert [r for r in reasons if not r.startswith("forbidden_dish:")] == [], (row.input, row.output, reasons)


def test_allergies_told_in_chat_reach_the_facts_and_the_menus_keep_them(rows):
    from mechuri.recommend import RecommendationRequest
    from mechuri.recommend.audit import violations

    table = load_food_table()
    told = [r for r in rows if r.meta["turn"]["recommendations"] and "- 알레르기:" in r.input]
    assert told
    for row in told:
        turn = Turn.model_validate(row.meta["turn"])
        allergies = frozenset(turn.meta["profile"]["allergy"])
        assert f"- 알레르기: {', '.join(sorted(allergies))}" in row.input
        for item in turn.recommendations:
            assert not violations(table[item.name], RecommendationRequest(allergies=allergies)), item.name


def test_same_seed_same_rows():
    assert [r.output for r in writer_examples(30, seed=5)] == [r.output for r in writer_examples(30, seed=5)]


def test_each_row_has_a_slotted_copy_that_fills_back_to_it_and_passes_the_guardrail(rows):
    from mechuri.data.slotted import slotted, with_slotted
    from mechuri.llm.slots import AMOUNT, SLOT, slot_prompt

    guardrail = Guardrail(load_food_table())
    copies = [(row, slotted(row)) for row in rows]
    made = [(row, copy) for row, copy in copies if copy is not None]
    assert len(made) >= len(rows) // 2  # every turn that states an amount: menus, nutrition, logged meals
    for row, copy in made:
        table = slot_prompt(row.instruction, row.input)
        assert copy.source == "synth:writer+slots" and copy.meta["group"] == row.meta["group"]  # split together
        assert SLOT.search(copy.output) and table.unslot(copy.output) == row.output
        body = "\n".join(line for line in copy.input.splitlines() if not line.startswith("- 사용자 메시지:"))
        assert not AMOUNT.search(body)  # the model sees no amount it could copy wrong
        turn = Turn.model_validate(row.meta["turn"])
        assert guardrail.check(table.unslot(copy.output), turn, grounded=row.output, facts=row.input).ok
    without = [row for row, copy in copies if copy is None]
    assert all(not AMOUNT.search(row.output) or not slot_prompt(row.instruction, row.input).values
               or slot_prompt(row.instruction, row.input).slot(row.output) == row.output for row in without)
    mixed = list(with_slotted(rows))
    assert len(mixed) == len(rows) + len(made) and mixed[0] == rows[0]
