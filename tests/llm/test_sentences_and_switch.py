"""Where a streamed sentence ends, and which grounded sentences follow a switch."""

from __future__ import annotations

from mechuri.knowledge import load_food_table
from mechuri.llm.guardrails import DishNames
from mechuri.llm.sentences import SentenceBuffer, split_sentences
from mechuri.llm.switch import Facts, amounts, grounded_rest

NAMES = DishNames(load_food_table())
GROUNDED = ("점심 메뉴로 이런 건 어떠세요?\n"
            "1. 설렁탕 (700g, 168kcal) — 추운 날 몸을 데워 줘요\n"
            "2. 닭칼국수 (900g, 666kcal) — 점심 권장 열량(약 770kcal)에 맞는 666kcal예요\n"
            "3. 마파두부 (300g, 327kcal) — 매콤한 맛의 볶음 요리예요\n"
            "궁금한 메뉴가 있으면 「두 번째 거 칼로리는?」처럼 물어보세요.")


def test_a_sentence_ends_at_a_break_or_an_ending_and_a_space_not_at_a_number():
    text = "1. 김밥 (230g, 20.5g) 좋아요. 우리 다 같이 먹어요!\n국물은 짜요 조금만 드세요~ 끝"
    assert split_sentences(text) == ["1. 김밥 (230g, 20.5g) 좋아요. ", "우리 다 같이 먹어요!\n", "국물은 짜요 ",
                                     "조금만 드세요~ ", "끝"]


def test_pieces_release_a_sentence_only_once_it_is_over():
    buffer = SentenceBuffer()
    assert buffer.feed("김치찌개는 2") == [] and buffer.feed("0.") == []  # 「20.」 may still become 「20.5g」
    assert buffer.feed("5g이에요") == []  # 「요」 may still become 「요.」
    assert buffer.feed(". 맛") == ["김치찌개는 20.5g이에요. "] and buffer.pending == "맛"
    assert buffer.flush() == "맛" and buffer.flush() == ""


def test_facts_are_dishes_amounts_and_warning_words_not_portion_weights():
    assert amounts("약 666kcal, 나트륨 2,210mg, 단백질 25.7g, 500칼로리") == {
        (666.0, "kcal"), (2210.0, "mg"), (25.7, "g"), (500.0, "kcal")}
    line = Facts.of("2. 닭칼국수 (900g, 666kcal) — 든든해요", NAMES)
    assert line.dishes == {"닭칼국수"} and line.amounts == {(666.0, "kcal")}  # 900g is the portion's weight
    warned = Facts.of("새우볶음밥은 새우 알레르기가 있으면 피하세요", NAMES, words=["새우"])
    assert warned.words == {"새우"} and not Facts.of("새우볶음밥 700kcal", NAMES, words=["새우"]).words


def test_the_rest_skips_the_opening_and_what_was_said_and_keeps_the_order():
    shown = "설렁탕(168kcal)이랑 닭칼국수(666kcal) 어때요?"
    rest = grounded_rest(shown, GROUNDED, NAMES)
    # 설렁탕's line says nothing new; 닭칼국수's has 770kcal not yet said; 마파두부 and the hint follow
    assert [line.split(" (")[0].strip() for line in rest] == ["2. 닭칼국수", "3. 마파두부",
                                                             "궁금한 메뉴가 있으면 「두 번째 거 칼로리는?」처럼 물어보세요."]
    assert grounded_rest("", GROUNDED, NAMES) == split_sentences(GROUNDED)  # nothing shown: all of it
    everything = grounded_rest(shown, GROUNDED, NAMES, covered=False)
    assert everything == split_sentences(GROUNDED)[1:]  # only the opening goes
