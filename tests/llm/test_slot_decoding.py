"""Slot decoding: the model copies 「{3}」 from its facts, the writer fills in the Turn's own amount, so a
number the model says through a slot is right byte for byte — and a slot that names nothing is never shown."""

from __future__ import annotations

import re

from llm_fakes import GatedBackend

from mechuri.llm.prompts import SLOT_RULE, Prompt
from mechuri.llm.slots import AMOUNT, SlotFiller, slot_prompt
from mechuri.llm.writer import LLMWriter

FACTS = """[사실]
- 사용자 메시지: 500칼로리 이하로 점심 골라 줘
- 추천 메뉴 1: 김밥 (1인분 230g): 열량 322kcal, 탄수화물 46g, 단백질 11g, 지방 10g, 나트륨 706mg — 가볍게 먹기 좋아요
- 추천 메뉴 2: 잔치국수 (1인분 500g): 열량 410kcal, 탄수화물 46g, 단백질 12.5g, 지방 5g, 나트륨 1,610mg — 국물이 따뜻해요

위 사실만 가지고 사용자에게 답해 줘."""


def test_every_amount_of_the_facts_becomes_a_slot_and_the_users_words_stay():
    slotted = slot_prompt("너는 메추리야.", FACTS)
    assert slotted.instruction == f"너는 메추리야. {SLOT_RULE}"
    assert "- 사용자 메시지: 500칼로리 이하로 점심 골라 줘" in slotted.input  # what they said, not a fact
    assert not AMOUNT.search(slotted.input.replace("500칼로리", ""))
    assert "김밥 (1인분 {1}): 열량 {2}, 탄수화물 {3}" in slotted.input
    assert slotted.values["3"] == "46g" and "잔치국수 (1인분 {7}): 열량 {8}, 탄수화물 {3}" in slotted.input  # 46g twice: one slot
    assert slotted.values["11"] == "1,610mg" and slotted.unslot(slotted.input) == FACTS


def test_a_reference_answer_is_written_back_in_slots_and_fills_to_itself():
    slotted = slot_prompt("너는 메추리야.", FACTS)
    answer = "김밥(322kcal)이랑 잔치국수(410kcal) 추천해요. 잔치국수는 나트륨이 1,610mg이라 국물은 남기세요. 둘 다 500칼로리 아래예요."
    written = slotted.slot(answer)
    assert written == ("김밥({2})이랑 잔치국수({8}) 추천해요. 잔치국수는 나트륨이 {11}이라 국물은 남기세요. "
                       "둘 다 500칼로리 아래예요.")
    assert slotted.unslot(written) == answer


def test_facts_without_amounts_get_no_rule():
    slotted = slot_prompt("너는 메추리야.", "[사실]\n- 알레르기: 새우")
    assert slotted.values == {} and slotted.instruction == "너는 메추리야."


def test_the_filler_waits_for_a_slot_split_across_pieces():
    filler = SlotFiller(slot_prompt("지시", FACTS))
    out = "".join(filler.feed(piece) for piece in ["김밥은 {", "2", "}이고 나트륨은 {1", "1}, 국수는 {99} ", "끝 {"])
    out += filler.flush()
    assert out == "김밥은 322kcal이고 나트륨은 1,610mg, 국수는 {99} 끝 {"
    assert filler.filled == 2 and filler.unknown == ["{99}"]
    assert SlotFiller(None).feed("{2}") == "{2}"  # no slots: text as written


def copy_slots(prompt: Prompt | str) -> list[str]:
    """A model that learned the slotted rows: it copies the first two menus' slots from its facts."""
    assert isinstance(prompt, Prompt)
    lines = re.findall(r"- 추천 메뉴 \d+: (.+?) \(1인분 (\{\d+\})\): 열량 (\{\d+\})", prompt.user)
    (first, _, kcal1), (second, _, kcal2), (third, _, kcal3) = lines
    return [f"{first}({kcal1})랑 {second}({kcal2}), ", f"{third}({kcal3}) 중에 골라 보세요! ", "맛있게 드세요."]


def test_the_writer_in_slot_mode_fills_the_turns_amounts(chat_with):
    backend = GatedBackend(copy_slots, open_gate=True)
    turn = chat_with(LLMWriter(backend, draft=False, slots=True))("점심 추천해줘")
    prompt = backend.prompts[0]
    assert isinstance(prompt, Prompt) and SLOT_RULE in prompt.system and "kcal" not in prompt.user.split("\n", 2)[2]
    assert turn.meta["writer"] == "llm:gated", turn.meta.get("fallback_detail")
    for item in turn.recommendations:
        assert f"{item.name}({item.kcal:,.0f}kcal)" in turn.reply
    assert turn.meta["llm"]["slots"]["filled"] == 3 and turn.meta["llm"]["slots"]["unknown"] == []


def test_a_slot_that_names_no_fact_is_never_shown(chat_with):
    def stray(prompt: Prompt | str) -> list[str]:
        return [*copy_slots(prompt)[:2], "국물은 {999}이에요. ", "맛있게 드세요."]

    turn = chat_with(LLMWriter(GatedBackend(stray, open_gate=True), draft=False, slots=True))("점심 추천해줘")
    assert "{999}" not in turn.reply and "placeholder" in turn.meta["fallback_detail"]
    assert turn.meta["writer"] == "llm:gated+grounded" and turn.meta["llm"]["slots"]["unknown"] == ["{999}"]
