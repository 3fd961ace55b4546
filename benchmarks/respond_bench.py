"""Speed of a whole chat turn, and a constraint audit through the dialogue manager.

Part 1 sends a scripted set of messages (default 1,000) through ``DialogueManager.respond`` — the real
path: store, understand, remember, recommend, write, store — on a fresh SQLite file, and prints turns per
second and the median / p95 latency. Part 2 gives random users allergies, dislikes and diets *in chat*,
asks for menus with calorie caps, and checks every recommended dish with the independent referee in
``mechuri.recommend.audit``: violations must be 0 (the script exits 1 otherwise).

    .venv/bin/python benchmarks/respond_bench.py [--messages 1000] [--profiles 200]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from mechuri.config import Settings
from mechuri.conversation import DialogueManager
from mechuri.db import Database
from mechuri.knowledge import load_food_table
from mechuri.llm.engine import build_writer
from mechuri.recommend.audit import violations
from mechuri.recommend.request import RecommendationRequest

from _table import markdown_table, median, percentile

SCRIPT = (
    "오늘 점심 뭐 먹지?", "다른 거", "두 번째 거 칼로리는?", "저녁 추천해줘", "국물 있는 거 먹고 싶어",
    "매운 건 싫어", "아침에 라면 먹었어", "김치찌개 나트륨 얼마야", "야식 뭐 먹을까", "500칼로리 이하로 추천",
    "중식 말고 한식으로", "삼계탕은 어떤 재료로 만들어요?", "고마워!", "안녕하세요", "떡복이 칼로리",
    "점심은 김밥 한 줄 먹었어", "비 오는 날 어울리는 메뉴", "해장할 만한 거", "다이어트 중이야", "그거 말고",
    "편의점에서 먹을 만한 거", "단백질 많은 메뉴 추천해줘", "치킨 말고 피자", "오늘 날씨 어때?",
)
ALLERGY_WORDS = ("새우", "땅콩", "우유", "밀", "난류", "게", "조개류", "복숭아", "돼지고기", "대두", "메밀")
ALLERGY_SAY = {"난류": "계란", "조개류": "조개"}
DISLIKE_SAY = (("매운 거", "매운"), ("튀김", "튀김"), ("오이", "오이"), ("국물 요리", "국물"), ("면 요리", "면"),
               ("고수", "고수"), ("치즈", "치즈"), ("해산물", "해산물"))
DIET_SAY = (("저 비건이에요", "비건"), ("채식하고 있어요", "채식"), ("저염식 해야 돼요", "저염"))


def bench_turns(manager: DialogueManager, messages: int) -> dict[str, float]:
    users = [manager.user_id_for(f"bench{i}") for i in range(20)]
    manager.respond(users[0], "점심 추천해줘")  # warm-up: Kiwi, indexes
    timings = []
    started = time.perf_counter()
    for i in range(messages):
        t0 = time.perf_counter()
        manager.respond(users[i % len(users)], SCRIPT[(i // len(users) + i) % len(SCRIPT)])
        timings.append((time.perf_counter() - t0) * 1000)
    wall = time.perf_counter() - started
    return {"turns": messages, "turns/s": messages / wall, "median ms": median(timings),
            "p95 ms": percentile(timings, 0.95), "max ms": max(timings)}


def audit(manager: DialogueManager, profiles: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    table = load_food_table()
    counts = {"profiles": profiles, "turns": 0, "dishes checked": 0, "violations": 0, "empty answers": 0}
    for p in range(profiles):
        user = manager.user_id_for(f"audit{p}")
        allergies = rng.sample(ALLERGY_WORDS, rng.randint(0, 2))
        dislikes = rng.sample(DISLIKE_SAY, rng.randint(0, 2))
        diets = rng.sample(DIET_SAY, 1) if rng.random() < 0.25 else []
        for allergen in allergies:
            manager.respond(user, f"저 {ALLERGY_SAY.get(allergen, allergen)} 알레르기 있어요")
        for said, _ in dislikes:
            manager.respond(user, f"{said} 싫어해요")
        for said, _ in diets:
            manager.respond(user, said)
        cap = rng.choice([None, 400, 600, 800])
        asks = [f"{rng.choice(['점심', '저녁', '아침', '야식'])} 추천해줘" + (f" {cap}칼로리 이하로" if cap else ""),
                "다른 거", "다른 거 또 없어?"]
        referee = RecommendationRequest(allergies=frozenset(allergies),
                                        excluded=frozenset(value for _, value in dislikes),
                                        diets=frozenset(value for _, value in diets), kcal_max=cap)
        for ask in asks:
            turn = manager.respond(user, ask)
            counts["turns"] += 1
            counts["empty answers"] += not turn.recommendations
            for item in turn.recommendations:
                counts["dishes checked"] += 1
                broken = violations(table[item.name], referee)
                if broken:
                    counts["violations"] += 1
                    print(f"VIOLATION profile={p} {item.name}: {broken}", file=sys.stderr)
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--profiles", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        settings = Settings(database_url=url)
        manager = DialogueManager(Database(url), settings, writer=build_writer(settings),
                                  clock=lambda: datetime(2026, 11, 28, 3, 30, tzinfo=UTC))
        speed = bench_turns(manager, args.messages)
        checked = audit(manager, args.profiles, args.seed)
    print()
    print(markdown_table(["respond() on SQLite", "value"],
                         [(key, f"{value:,.1f}" if isinstance(value, float) else f"{value:,}")
                          for key, value in speed.items()]))
    print()
    print(markdown_table(["constraint audit through chat", "value"],
                         [(key, f"{value:,}") for key, value in checked.items()]))
    return 1 if checked["violations"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
