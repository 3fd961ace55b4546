"""The one record every dataset stage passes along: an Alpaca example plus where it came from.

Seeds, Self-Instruct, grounded synthesis, the bundled Q&A and imports all produce ``Example``s, so
filters, dedupe, the split and the dataset card treat every source the same way. ``source`` and
``intent`` are closed-ish vocabularies because the card counts by them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

INTENTS: tuple[str, ...] = ("recommend", "nutrition", "cooking", "ingredient", "culture", "preference", "other")
"""What an example teaches: menu recommendation, nutrition facts and advice, cooking, ingredients and
storage, food culture, taste and preference dialogue, anything else."""

SOURCES: tuple[str, ...] = ("seed", "qa", "synth", "self_instruct", "import")
"""Where an example came from; imports are ``import:<name>`` and synthesis ``synth:<kind>``."""

_INTENT_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("nutrition", ("칼로리", "열량", "kcal", "영양", "단백질", "탄수화물", "지방", "나트륨", "당류", "식이섬유",
                   "살찌", "다이어트 중", "혈당")),
    ("cooking", ("만드는", "만들", "끓이", "레시피", "조리", "굽", "볶", "삶", "튀기", "데우", "양념")),
    ("ingredient", ("재료", "보관", "손질", "유통기한", "냉장", "냉동", "해동", "대체")),
    ("recommend", ("추천", "뭐 먹", "뭘 먹", "메뉴", "골라", "먹을까", "먹지")),
    ("preference", ("좋아하", "싫어하", "취향", "입맛", "못 먹", "알레르기")),
    ("culture", ("유래", "역사", "전통", "명절", "문화", "의미")),
)


def guess_intent(text: str) -> str:
    """A keyword guess for examples that come without a label (Self-Instruct, imports), so the card
    can count them by intent. A message that asks to 추천/골라 is a recommendation even when it names
    a nutrient (「저칼로리 메뉴 추천해 줘」); otherwise the first group with a word in the text wins."""
    if "추천" in text or "골라" in text:
        return "recommend"
    for intent, words in _INTENT_WORDS:
        if any(word in text for word in words):
            return intent
    return "other"


@dataclass(frozen=True)
class Example:
    """One instruction-following example in the Alpaca shape, with provenance."""

    instruction: str
    input: str
    output: str
    source: str
    intent: str = "other"
    id: str = ""
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def alpaca(self) -> dict[str, str]:
        """The three Alpaca fields only: what training scripts read."""
        return {"instruction": self.instruction, "input": self.input, "output": self.output}

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id or self.fingerprint(), "instruction": self.instruction, "input": self.input,
                "output": self.output, "source": self.source, "intent": self.intent, "meta": self.meta}

    @classmethod
    def from_dict(cls, row: dict[str, Any]) -> Example:
        return cls(instruction=str(row["instruction"]), input=str(row.get("input") or ""),
                   output=str(row["output"]), source=str(row.get("source") or "import"),
                   intent=str(row.get("intent") or "other"), id=str(row.get("id") or ""),
                   meta=dict(row.get("meta") or {}))

    def fingerprint(self) -> str:
        """A stable id from the normalised text, for ids and exact dedupe across sources."""
        return hashlib.sha1(exact_key(self).encode("utf-8")).hexdigest()[:16]


def normalize_text(text: str) -> str:
    """Whitespace collapsed and case folded: two examples that differ only there are the same."""
    return " ".join(text.split()).casefold()


def exact_key(example: Example) -> str:
    """What makes two examples the same example: the same request in the same context."""
    return normalize_text(example.instruction) + "\x1f" + normalize_text(example.input)


def write_jsonl(path: Path, examples: Iterable[Example]) -> int:
    """Write examples one JSON object a line (Korean kept readable); returns how many."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for example in examples:
            handle.write(json.dumps(example.to_dict(), ensure_ascii=False) + "\n")
            count += 1
    return count


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of a JSONL file; blank lines are skipped and a truncated last line (a crash mid-write) too."""
    with path.open(encoding="utf-8") as handle:
        lines = handle.readlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield json.loads(line)
        except json.JSONDecodeError:
            if number == len(lines):
                return
            raise


def read_examples(path: Path) -> list[Example]:
    return [Example.from_dict(row) for row in read_jsonl(path)]
