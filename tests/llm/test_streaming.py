"""Checked as it writes: each sentence of a model's reply is shown once it is whole and true, while the
model writes the rest; a false sentence is never shown, and the grounded reply takes over from there."""

from __future__ import annotations

import re

from llm_fakes import GatedBackend

from mechuri.conversation import GroundedWriter, Turn
from mechuri.llm.prompts import Prompt
from mechuri.llm.writer import LLMWriter

MENU_LINE = re.compile(r"- 추천 메뉴 \d+: (.+?) \([\d.,]+인분 [\d.,]+g\): 열량 ([\d.,]+)kcal")


def menus(prompt: Prompt | str) -> list[tuple[str, str]]:
    assert isinstance(prompt, Prompt)
    return MENU_LINE.findall(prompt.user)


def good_then_false(prompt: Prompt | str) -> list[str]:
    """A first sentence with the first menu's true calories, then the second menu's calories made up."""
    (first, kcal), (second, real), *_ = menus(prompt)
    wrong = float(real.replace(",", "")) + 37
    return [f"오늘 점심은 {first}({kcal}kcal) 어떠세요? ", f"{second}는 {wrong:.0f}kcal", "라서 가벼워요. ",
            "맛있게 드세요!"]


def grounded_of(turn: Turn) -> str:
    return GroundedWriter().write(turn.model_copy(update={"reply": ""}))


def test_the_first_sentence_is_shown_while_the_model_is_still_writing(chat_with):
    backend = GatedBackend(good_then_false)
    chat = chat_with(LLMWriter(backend, draft=False))
    pieces = chat.manager.stream(chat.user_id, "점심 뭐 먹지? 추천 좀")
    first = next(pieces)
    # the reader has the first sentence and the model has written nothing after it yet
    assert backend.written == 1 and not backend.gate.is_set()
    name, kcal = menus(backend.prompts[0])[0]
    assert first == f"오늘 점심은 {name}({kcal}kcal) 어떠세요?"
    backend.gate.set()
    *rest, turn = list(pieces)
    assert isinstance(turn, Turn)
    shown = first + "".join(rest)
    # the made-up number never reached the reader
    assert "kcal라서" not in shown and "가벼워요" not in shown and turn.reply == shown.strip()
    assert turn.meta["writer"] == "llm:gated+grounded" and turn.meta["fallback_reason"] == "guardrail"
    assert [r for r in turn.meta["fallback_detail"] if r.startswith("number:")]
    assert turn.meta["switch"]["after_sentences"] == 1 and turn.meta["llm"]["sentences"] == 1
    assert turn.meta["llm"]["rejected"].endswith("가벼워요.")
    assert turn.meta["llm"]["first_sentence_ms"] <= turn.meta["llm"]["ms"]


def test_after_the_switch_the_reply_is_the_models_opening_then_the_grounded_rest(chat_with):
    backend = GatedBackend(good_then_false, open_gate=True)
    turn = chat_with(LLMWriter(backend, draft=False))("점심 뭐 먹지? 추천 좀")
    said, added = turn.reply.split("\n", 1)
    grounded = grounded_of(turn).splitlines()
    first, second, third = turn.recommendations
    assert said.startswith(f"오늘 점심은 {first.name}(")
    # the grounded opening is not said twice, the dishes the model did not get to are all there, in order
    assert grounded[0] not in added and f"2. {second.name} (" in added and f"3. {third.name} (" in added
    assert added.index(second.name) < added.index(third.name) and added.endswith(grounded[-1])
    assert all(line in grounded for line in added.splitlines())
    # the whole reply is one the guardrail accepts: every menu, every number from the Turn
    writer = LLMWriter(backend)
    assert writer.guardrail.check(turn.reply, turn, grounded="\n".join(grounded)).ok


def test_a_model_that_stalls_after_its_first_sentence_is_finished_by_the_grounded_reply(chat_with):
    backend = GatedBackend(good_then_false)  # the gate never opens: the model hangs after one sentence
    turn = chat_with(LLMWriter(backend, draft=False, timeout_s=1.0, first_token_s=1.0))("점심 추천해 주세요")
    assert turn.meta["writer"] == "llm:gated+grounded" and turn.meta["fallback_reason"] == "timeout"
    assert turn.meta["llm"]["deadline"] == "total" and turn.meta["switch"]["after_sentences"] == 1
    assert all(item.name in turn.reply for item in turn.recommendations)
    assert backend.cancelled.wait(2.0)  # the stalled call was cancelled, not left running


def test_a_reply_with_every_sentence_true_is_the_models_alone(chat_with):
    def all_true(prompt: Prompt | str) -> list[str]:
        listed = ", ".join(f"{name}({kcal}kcal)" for name, kcal in menus(prompt))
        return ["점심 메뉴 골라 봤어요! ", f"{listed} 중에 ", "골라 보세요. ", "맛있게 드세요~"]

    backend = GatedBackend(all_true, open_gate=True)
    chat = chat_with(LLMWriter(backend, draft=False))
    *pieces, turn = list(chat.manager.stream(chat.user_id, "점심 추천"))
    assert pieces == ["점심 메뉴 골라 봤어요!", " " + "".join(all_true(backend.prompts[0])[1:3]).strip(),
                      " 맛있게 드세요~"]
    assert turn.meta["writer"] == "llm:gated" and "switch" not in turn.meta and "fallback_reason" not in turn.meta
    assert turn.meta["llm"]["sentences"] == 3


def test_a_half_sentence_cut_by_the_token_limit_is_dropped(chat_with):
    def cut(prompt: Prompt | str) -> list[str]:
        listed = ", ".join(f"{name}({kcal}kcal)" for name, kcal in menus(prompt))
        return [f"{listed} 추천해요. ", "셋 다 국물이 있어서 든든하"]

    turn = chat_with(LLMWriter(GatedBackend(cut, open_gate=True), draft=False))("저녁 추천해줘")
    assert turn.reply.endswith("추천해요.") and "든든하" not in turn.reply
    assert turn.meta["llm"]["trimmed"] and turn.meta["writer"] == "llm:gated"


def test_a_sentence_said_twice_is_not_shown_twice(chat_with):
    def loop(prompt: Prompt | str) -> list[str]:
        listed = ", ".join(f"{name}({kcal}kcal)" for name, kcal in menus(prompt))
        return [f"{listed} 어때요? ", "맛있게 드세요! ", "맛있게 드세요! ", "맛있게 드세요!"]

    turn = chat_with(LLMWriter(GatedBackend(loop, open_gate=True), draft=False))("점메추")
    assert turn.reply.count("맛있게 드세요") == 1
    assert "repetitive" in turn.meta["fallback_detail"] and turn.meta["switch"]["after_sentences"] == 2


def test_a_list_item_said_again_under_a_new_number_is_not_shown(chat_with):
    def relist(prompt: Prompt | str) -> list[str]:
        lines = [f"{rank}. {name} ({kcal}kcal)\n" for rank, (name, kcal) in enumerate(menus(prompt), start=1)]
        return ["골라 봤어요.\n", *lines, lines[1].replace("2.", "4.", 1), "맛있게 드세요!"]

    turn = chat_with(LLMWriter(GatedBackend(relist, open_gate=True), draft=False))("점심 추천")
    assert "\n4." not in turn.reply and "repetitive" in turn.meta["fallback_detail"]
    assert turn.meta["switch"]["after_sentences"] == 4


def test_the_space_a_model_starts_with_is_not_shown(chat_with):
    def spaced(prompt: Prompt | str) -> list[str]:
        listed = ", ".join(f"{name}({kcal}kcal)" for name, kcal in menus(prompt))
        return [" \n", f"{listed} 추천해요!\n", "맛있게 드세요."]

    chat = chat_with(LLMWriter(GatedBackend(spaced, open_gate=True), draft=False))
    first, second, turn = list(chat.manager.stream(chat.user_id, "저녁 추천 좀"))
    assert first.endswith("추천해요!") and not first[0].isspace() and second == "\n맛있게 드세요."
    assert turn.reply == first + second


def test_one_sentence_that_loops_over_true_numbers_is_not_shown(chat_with):
    """What a 3-step smoke fine-tune of Gemma wrote: the dish's true amounts, over and over, in one sentence."""
    def loop(prompt: Prompt | str) -> list[str]:
        assert isinstance(prompt, Prompt)
        grams, kcal = re.search(r"- 영양 정보: 김치찌개 \(1인분 ([\d,]+g)\): 열량 ([\d,]+kcal)", prompt.user).groups()
        return ["김치찌개 칼로리는 ", *[f"{grams}: {kcal}: "] * 8, "이에요. ", "맛있게 드세요!"]

    turn = chat_with(LLMWriter(GatedBackend(loop, open_gate=True), draft=False))("김치찌개 칼로리 알려줘")
    assert turn.meta["writer"] == "grounded" and "repetitive" in turn.meta["fallback_detail"]
    assert turn.reply == grounded_of(turn)
