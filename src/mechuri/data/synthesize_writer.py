"""Reply-writer examples: the exact prompt the LLM writer sends at run time, and the grounded reply.

The other synthesized kinds teach a model to answer from a context block; this one teaches the job a
served model actually has. Simulated users talk to the real ``DialogueManager`` (a throwaway SQLite
file, the grounded writer): they state allergies, dislikes and diets in chat, ask for menus, nutrition,
comparisons and recipes, log meals and ask what they ate. For every turn the row is

- ``instruction`` + ``input``: ``build_prompt(turn)`` — the system text and the ``[사실]`` block, exactly
  what ``LLMWriter`` sends (with ``draft=False``: a fine-tuned model writes from the facts alone);
- ``output``: the grounded writer's reply to the same turn, which is right by construction;
- ``meta["turn"]``: the Turn itself, so ``mechuri eval`` can run the serving guardrail on a model's
  answer to the prompt.

Because ``instruction_prompt(system, user)`` renders the same text as ``Prompt.alpaca()``, a model trained
on these rows is served with the prompt it learned.
"""

from __future__ import annotations

import bisect
import random
import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from mechuri.conversation.turn import Turn
from mechuri.conversation.writer import GroundedWriter
from mechuri.data.example import Example
from mechuri.knowledge.foods import FoodTable, load_food_table

SEOUL = ZoneInfo("Asia/Seoul")
ALLERGIES = ("새우", "땅콩", "우유", "계란", "게", "조개", "복숭아", "밀", "대두", "메밀", "돼지고기")
ALLERGY_SAYINGS = ("저 {x} 알레르기 있어요", "{x} 알레르기가 있어서 못 먹어요", "아 맞다 나 {x} 알러지 있음")
DISLIKES = ("매운 거", "튀김", "오이", "국물 요리", "면 요리", "고수", "치즈", "해산물", "느끼한 거", "가지")
DISLIKE_SAYINGS = ("{x} 싫어해요", "{x}는 별로예요", "전 {x} 안 먹어요")
DIETS = ("저 비건이에요", "요즘 채식하고 있어요", "저염식 해야 돼요", "다이어트 중이에요", "근육 늘리는 중이라 단백질 챙겨요")
ASKS = (
    "오늘 점심 뭐 먹지?", "저녁 추천해 줘", "야식 뭐 먹을까", "아침 간단하게 먹을 거 추천해줘", "국물 있는 걸로 추천해 줘",
    "비 오는데 뭐 먹지", "해장할 만한 거 있어?", "500칼로리 이하로 점심 골라 줘", "단백질 많은 메뉴 추천해줘",
    "둘이서 저녁 먹을 건데 추천 좀", "중식 말고 한식으로 추천해 줘", "가볍게 먹을 만한 거", "매운 거 땡기는데 추천해줘",
    "편의점에서 먹을 만한 거", "든든한 걸로 골라 줘", "혼밥하기 좋은 메뉴 알려줘",
)
FOLLOW_UPS = ("다른 거", "그거 말고 다른 거 없어?", "두 번째 거 칼로리는?", "첫 번째 거 나트륨 얼마야?")
NUTRITION_SAYINGS = ("{x} 칼로리 얼마야?", "{x} 나트륨 얼마나 돼?", "{x} 탄단지 알려줘", "{x} 단백질 몇 g이야?",
                     "{x} 영양성분 알려 주세요", "{x} 2인분 칼로리 알려줘", "{x}하고 {y} 중에 뭐가 더 칼로리 낮아?",
                     "{x} {y} 나트륨 비교해 줘")
"""Nutrition questions, one dish or two (the reply then states the difference)."""
ALLERGEN_QUESTION = "{x} 칼로리 얼마예요?"
"""Asked about a dish with the allergen just told: the reply must give the numbers and warn."""
MEAL_SAYINGS = ("아침에 {x} 먹었어", "점심은 {x} 먹었어요", "{x} 먹었음", "저녁으로 {x} 먹었어")
OTHER = ("오늘 뭐 먹었지?", "지금까지 몇 칼로리 먹었어?", "안녕하세요", "고마워!", "{x} 어떻게 만들어요?",
         "{x}이랑 {y} 중에 뭐가 나아?", "오늘 날씨 어때?")
INTENT_OF = {"recommend": "recommend", "another": "recommend", "plan": "recommend", "nutrition": "nutrition",
             "followup": "nutrition", "today": "nutrition", "meal_log": "nutrition", "recipe": "cooking",
             "preference": "preference", "allergy": "preference", "diet": "preference"}
DROPPED_META = ("context",)
"""Turn metadata a row does not need: the conversation context (long, and no prompt or check reads it)."""


class _RecordingWriter:
    """The grounded writer, asking for the context an LLM writer gets, and keeping every (Turn, reply)."""

    wants_context = True
    name = "grounded"

    def __init__(self) -> None:
        self.grounded = GroundedWriter()
        self.seen: list[tuple[Turn, str]] = []

    def write(self, turn: Turn) -> str:
        reply = self.grounded.write(turn)
        self.seen.append((turn.model_copy(deep=True), reply))
        return reply

    def stream(self, turn: Turn) -> Iterator[str]:
        yield self.write(turn)


def _messages(rng: random.Random, names: list[str]) -> list[str]:
    """One simulated user's conversation: a profile told in chat, then a mix of requests."""
    allergies = rng.sample(ALLERGIES, rng.choice((0, 0, 1, 2)))
    said = [rng.choice(ALLERGY_SAYINGS).format(x=x) for x in allergies]
    said += [rng.choice(DISLIKE_SAYINGS).format(x=x) for x in rng.sample(DISLIKES, rng.choice((0, 1, 1, 2)))]
    if rng.random() < 0.3:
        said.append(rng.choice(DIETS))
    for _ in range(rng.randint(3, 6)):
        roll = rng.random()
        x, y = rng.sample(names, 2)
        if roll < 0.4:
            said.append(rng.choice(ASKS))
            if rng.random() < 0.4:
                said.append(rng.choice(FOLLOW_UPS))
        elif roll < 0.6:
            said.append(rng.choice(NUTRITION_SAYINGS).format(x=x, y=y))
        elif roll < 0.8:
            said.append(rng.choice(MEAL_SAYINGS).format(x=x))
        else:
            said.append(rng.choice(OTHER).format(x=x, y=y))
    risky = [name for name in names for allergy in allergies if allergy in name]
    if risky and rng.random() < 0.5:
        said.append(ALLERGEN_QUESTION.format(x=rng.choice(risky)))
    return said


def _example(turn: Turn, reply: str, number: int, conversation: int) -> Example:
    from mechuri.llm.prompts import build_prompt

    prompt = build_prompt(turn)
    meta = {key: value for key, value in turn.meta.items() if key not in DROPPED_META}
    saved = turn.model_copy(update={"meta": meta}).model_dump(mode="json")
    return Example(prompt.system, prompt.user, reply, "synth:writer", INTENT_OF.get(turn.intent, "other"),
                   id=f"writer-{number:05d}", meta={"group": f"writer-conversation-{conversation}", "turn": saved})


def writer_examples(count: int, seed: int = 11, table: FoodTable | None = None) -> list[Example]:
    """About ``count`` rows (whole conversations, so a few more), deterministic for a given seed."""
    from mechuri.config import Settings
    from mechuri.conversation import DialogueManager
    from mechuri.db import Database

    table = table or load_food_table()
    names = sorted(dish.name for dish in table)
    rng = random.Random(seed)
    writer = _RecordingWriter()
    start = datetime(2026, 11, 2, 7, 30, tzinfo=SEOUL)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'writer.db'}"
        clock_at = [start]
        manager = DialogueManager(Database(url), Settings(database_url=url), writer=writer, table=table,
                                  clock=lambda: clock_at[0])
        user, starts = 0, []
        while len(writer.seen) < count:
            starts.append(len(writer.seen))
            user_id = manager.user_id_for(f"writer{user}")
            clock_at[0] = start + timedelta(days=user % 20, hours=rng.choice((0, 4, 5, 10, 11, 14)),
                                            minutes=rng.randint(0, 50))
            for text in _messages(rng, names):
                manager.respond(user_id, text)
                clock_at[0] += timedelta(minutes=rng.randint(1, 20))
            user += 1
    examples, seen = [], set()
    for index, (turn, reply) in enumerate(writer.seen):
        conversation = bisect.bisect_right(starts, index) - 1  # the conversation whose first turn is ≤ index
        example = _example(turn, reply, len(examples), conversation)
        if (example.input, example.output) not in seen:  # 「안녕하세요」 from many users is one example
            seen.add((example.input, example.output))
            examples.append(example)
    return examples
