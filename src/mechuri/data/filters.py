"""Quality filters for instruction examples: each returns the reason an example is not fit to train on.

They follow the Self-Instruct / Alpaca filters (length bounds, a blacklist of tasks a text model cannot
do, no program-writing, no leading punctuation) adapted to Korean, plus two that matter for mechuri:
the text must actually be Korean, and a teacher's answer may not state nutrition numbers that its
context does not hold — a model trained on invented calories learns to invent calories.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from dataclasses import dataclass

from mechuri.data.example import Example, normalize_text
from mechuri.llm.guardrails import hangul_share

BLACKLIST: tuple[str, ...] = (
    # Alpaca's list: things a text-only model cannot see, make or do.
    "image", "images", "graph", "graphs", "picture", "pictures", "file", "files", "map", "maps", "draw",
    "plot", "go to", "video", "audio", "music", "flowchart", "diagram", "link", "url", "http", "www",
    # the same in Korean, and actions in the world the chatbot cannot take.
    "이미지", "사진", "그림", "그래프", "파일", "첨부", "지도 앱", "지도에서", "그려 줘", "그려줘", "그려 주",
    "동영상", "영상을", "영상으로", "오디오", "음성 메시지", "음악", "순서도", "다이어그램", "링크", "웹사이트",
    "홈페이지", "다운로드", "업로드", "스크린샷", "엑셀", "주문해 줘", "주문해줘", "예약해 줘", "예약해줘",
    "결제해", "전화해",
)
"""Substrings (English ones as whole words) that mark a task mechuri cannot answer in text."""
BLACKLIST_EXCEPTIONS: tuple[str, ...] = ("드링크",)
"""Food words that contain a blacklisted one (프로틴드링크 holds 링크) and are removed before checking."""

CODE_WORDS: tuple[str, ...] = ("프로그램을", "코드를 작성", "코딩", "파이썬", "python", "sql", "자바스크립트")
"""Alpaca drops "Write a program" tasks: a menu chatbot should not learn to write code either."""

_ENGLISH_WORD = re.compile(r"[a-z]+(?: [a-z]+)*")
_NUMBER = r"(\d[\d,]*(?:\.\d+)?)"
_NUTRITION_NUMBERS = (
    re.compile(_NUMBER + r"\s*(?:kcal|㎉|킬로칼로리|칼로리|mg|밀리그램)", re.IGNORECASE),
    re.compile(r"(?:탄수화물|단백질|지방|당류|당|식이섬유|포화지방|나트륨)[^0-9\n]{0,8}?" + _NUMBER + r"\s*(?:g|그램|mg)"),
)
_ANY_NUMBER = re.compile(_NUMBER)


@dataclass(frozen=True)
class FilterConfig:
    """The bounds; lengths in characters (Korean packs a word into 2–4 syllables, so Alpaca's word
    counts do not carry over) and in space-separated words."""

    min_instruction_words: int = 2
    min_instruction_chars: int = 5
    max_instruction_chars: int = 500
    max_input_chars: int = 3000
    """Room for a grounded context: a profile, today's meals and seven candidates with their facts."""
    min_output_chars: int = 2
    max_output_chars: int = 2500
    min_hangul_share: float = 0.5
    """Hangul letters among all letters (Hangul + Latin) of the instruction and of the output."""
    grounded_numbers: bool = False
    """Reject outputs that state nutrition numbers not found in (or summed from) the instruction and
    input. On for teacher output, off for curated sources such as calorie tables."""
    blacklist: tuple[str, ...] = BLACKLIST


def _blacklisted(text: str, words: Iterable[str]) -> str | None:
    lowered = text.lower()
    for exception in BLACKLIST_EXCEPTIONS:
        lowered = lowered.replace(exception, " ")
    for word in words:
        if _ENGLISH_WORD.fullmatch(word):
            if re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", lowered):
                return word
        elif word in lowered:
            return word
    return None


def _numbers(text: str) -> list[float]:
    return [float(value.replace(",", "")) for value in _ANY_NUMBER.findall(text)]


def nutrition_numbers(text: str) -> list[float]:
    """Numbers stated with a nutrition unit (kcal, mg) or after a nutrient name (단백질 25g)."""
    found = []
    for pattern in _NUTRITION_NUMBERS:
        found += [float(value.replace(",", "")) for value in pattern.findall(text)]
    return found


def ungrounded_numbers(output: str, context: str) -> list[float]:
    """Nutrition numbers of ``output`` that the context does not support: each must be one of its numbers,
    a sum of up to three of them, or such a sum taken from or added to one of them (「아침 350kcal + 점심
    700kcal = 1050kcal」, 「목표 2000kcal까지 950kcal 남았어요」). Compared in tenths, as the answers round."""
    stated = nutrition_numbers(output)
    if not stated:
        return []
    given = sorted({round(value * 10) for value in _numbers(context)})
    singles = set(given)
    pairs = {a + b for i, a in enumerate(given) for b in given[i:]}

    def is_sum(tenths: int) -> bool:
        return tenths in singles or tenths in pairs or any(tenths - a in pairs for a in given)

    def supported(tenths: int) -> bool:
        return is_sum(tenths) or any(is_sum(x - tenths) or is_sum(x + tenths) for x in given)

    return [value for value in stated if not supported(round(value * 10))]


def first_problem(example: Example, config: FilterConfig | None = None) -> str | None:
    """Why ``example`` should be dropped (a short reason, counted in the dataset card), or None."""
    config = config or FilterConfig()
    instruction, given, output = example.instruction.strip(), example.input.strip(), example.output.strip()
    if len(instruction) < config.min_instruction_chars or len(instruction.split()) < config.min_instruction_words:
        return "instruction_too_short"
    if len(instruction) > config.max_instruction_chars:
        return "instruction_too_long"
    if len(given) > config.max_input_chars:
        return "input_too_long"
    if not output:
        return "output_empty"
    if len(output) < config.min_output_chars:
        return "output_too_short"
    if len(output) > config.max_output_chars:
        return "output_too_long"
    if instruction[0] in string.punctuation:
        return "starts_with_punctuation"
    if _blacklisted(f"{instruction}\n{given}", config.blacklist):
        return "blacklist"
    if _blacklisted(instruction, CODE_WORDS):
        return "code_task"
    for text in (instruction, output):
        share = hangul_share(text)
        if (share is None and text is instruction) or (share is not None and share < config.min_hangul_share):
            return "not_korean"
    if given and normalize_text(output) == normalize_text(given):
        return "output_copies_input"
    if normalize_text(output) == normalize_text(instruction):
        return "output_copies_instruction"
    if config.grounded_numbers and ungrounded_numbers(output, f"{instruction}\n{given}"):
        return "ungrounded_numbers"
    return None


def blacklist_hit(text: str, config: FilterConfig | None = None) -> str | None:
    """The blacklisted word found in ``text`` (for the reason detail of a rejected item), or None."""
    return _blacklisted(text, (config or FilterConfig()).blacklist)
