"""A tiny Alpaca dataset in the vocabulary of the tiny GPT-NeoX (tests/tiny_models.py)."""

from __future__ import annotations

from typing import Any

QUESTIONS = ["점심 메뉴 추천", "저녁 메뉴 추천", "오늘 점심 메뉴", "가벼운 저녁 메뉴", "든든한 점심 추천",
             "따뜻한 국물 요리", "한식 메뉴 추천", "오늘 저녁 메뉴"]
ANSWERS = ["따뜻한 국물 요리 어때요 ?", "가벼운 한식 으로 골라 봤어요 .", "든든한 밥 한 그릇 어때요 ?",
           "맛있게 드세요 !", "따뜻한 면 요리 좋아요 .", "든든한 국물 요리 추천 !"]


def tiny_rows(count: int, offset: int = 0) -> list[dict[str, Any]]:
    return [{"id": f"t{offset + i}", "instruction": QUESTIONS[(offset + i) % len(QUESTIONS)],
             "input": "사용자 메시지 : 점심" if i % 3 == 0 else "", "output": ANSWERS[(offset + i) % len(ANSWERS)],
             "source": "seed", "intent": "recommend"} for i in range(count)]
