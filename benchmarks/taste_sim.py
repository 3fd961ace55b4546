"""A user simulator: does the recommender learn what each person likes? (issue 20 item 6)

A population of simulated eaters, each with a *hidden* taste, plays 20 days of lunches and dinners through
the real ``DialogueManager`` (one SQLite file per policy, every message sent with ``at=``): 「점심 추천해줘」 /
「저녁 뭐 먹지」 (phrasing varies), then 「N번째 걸로 먹을게」 / 「N번으로 할게」 for the best dish of the list when
its hidden utility clears the eater's bar, else 「다른 거」 — at most three times, after which the eater takes
the best dish of the last list anyway.

**The simulator's model is its own.** Utilities are computed here from the food table's public fields
(cuisine, category, tags, the first two ingredients, a kcal band with the bowl of rice a dish is eaten with,
a spiciness level) with per-eater weights; familiarity is this file's own editorial list of everyday
Korean menus (``STAPLES``). Nothing here imports ``recommend.taste`` (the product's features and model) or
the popularity prior. Each eater has:

* weights over those attributes (한식 liked a little on average, everything else centred on 0);
* aversions never said: one or two disliked attributes (오이, 버섯, 내장, 날생선, 아주 매운 것 …) and three
  disliked dishes — a dish hitting one is worth −4 and is never accepted;
* a popularity sensitivity (how much a familiar staple is worth to them) and, for ``ADVENTUROUS_SHARE``
  of eaters, a bonus for dishes they have not eaten yet (others slightly prefer what they know);
* a bar: the ``q``-quantile of their own utilities over the lunch dishes (q ∈ [0.86, 0.93]): a list is
  accepted when its best dish, with the day's mood noise and the eater's recent meals, clears it;
* stated constraints: ``ALLERGY_SHARE`` of eaters say an allergy on day 1 (「나 새우 알레르기 있어」),
  ``DISLIKE_SHARE`` a dislike (「오이 싫어해」); every dish shown is checked against them by this file
  *and* by the recommender's independent referee (``recommend.audit.violations``) — both must be 0.

Policies, all on the same eaters (the same seed), each with its own database:

* ``product`` — the product as it is: population prior, seeded sampling, the learned taste model.
* ``popularity`` — the same dialogue manager with the taste model never read: ``load_taste`` in the turn's
  actions is replaced by one that returns None, so events are still stored but the ``taste`` component is
  never added. Everything else (prior, sampling, novelty, balance, stated constraints, meal logs) is the
  product's: this isolates what learning adds.
* ``random`` — ``recommend()`` replaced by a seeded uniform draw of three dishes among those that pass the
  product's hard constraints and meal floor for the request (what a list with no scoring would show).
* ``oracle`` — the same candidates, the three with the highest hidden utility for this eater, this meal
  and today's mood (the upper bound).

Today's old scorer (before the prior, sampling and taste model) cannot run without its old code and is not
measured; the issue's independent simulator measured it at 28 % (day 1) / 23.5 % (day 15).

``--focused N``: N eaters per kind who only ever choose one kind of dish — spicy pork, or noodles — never
saying so (none matching after three 「다른 거」: they choose nothing that meal). Reported: the share of
their meals whose first list holds such a dish, days 1–5 vs 11–15 (issue figure: ≥ 80 % on days 11–15
and ≥ days 1–5 + 20 points), under ``product`` and ``popularity``.

    PYTHONPATH=src .venv/bin/python benchmarks/taste_sim.py [--eaters 500] [--days 20] [--seed 1] \\
        [--policies product,popularity,random,oracle] [--focused 20]
"""

from __future__ import annotations

import argparse
import hashlib
import math
import random
import struct
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import combinations
from pathlib import Path
from zoneinfo import ZoneInfo

import mechuri.conversation.actions as actions
from mechuri.config import Settings
from mechuri.conversation import DialogueManager
from mechuri.db import Database
from mechuri.knowledge import load_food_table
from mechuri.knowledge.foods import Dish, FoodTable
from mechuri.recommend import RecommendationResult, ScoredDish
from mechuri.recommend.audit import violations
from mechuri.recommend.constraints import check_constraints, implied_constraints
from mechuri.recommend.diversify import similarity
from mechuri.recommend.index import DishIndex

from _table import markdown_table

KST = ZoneInfo("Asia/Seoul")
START = datetime(2026, 12, 1, tzinfo=KST)
MEALS = (("점심", 12, 0), ("저녁", 18, 30))
ASK = {
    "점심": ("점심 추천해줘", "점메추", "오늘 점심 뭐 먹을까", "점심 메뉴 골라줘"),
    "저녁": ("저녁 뭐 먹지", "저녁 추천 좀", "저녁 메뉴 추천해줘", "오늘 저녁 뭐 먹을까"),
}
PICK = ("{n}번째 걸로 먹을게", "{n}번으로 할게")
ANOTHER = ("다른 거", "다른 거 없어?", "다른 거 추천해줘")
MAX_SKIPS = 3
POLICIES = ("product", "popularity", "random", "oracle")

ADVENTUROUS_SHARE = 0.25
ALLERGY_SHARE = 0.20
DISLIKE_SHARE = 0.10
ALLERGIES = {"새우": ("새우",), "땅콩": ("땅콩",), "우유": ("우유",), "게": ("게",), "조개류": ("조개류",),
             "메밀": ("메밀",), "계란": ("난류",)}
"""Allergy said → the table's allergen words that must never be shown (this file's own check)."""
STATED_DISLIKES = ("오이", "고수", "가지", "버섯", "양파")
MOOD = 0.35
"""Standard deviation of the day's mood, per eater, meal and dish."""
AVERSION = -4.0
REPEAT_PENALTY = -1.5
"""A dish eaten in the last two days: nobody wants it again so soon."""

_STAPLE_NAMES = """
김치찌개 된장찌개 순두부찌개 부대찌개 제육볶음 불고기 비빔밥 돌솥비빔밥 김치볶음밥 칼국수 국밥 돼지국밥 순대국밥 설렁탕 갈비탕
삼계탕 냉면 물냉면 비빔냉면 짜장면 짬뽕 탕수육 볶음밥 돈가스 돈까스 우동 라면 떡볶이 김밥 만두 닭갈비 삼겹살 치킨 후라이드치킨
양념치킨 족발 보쌈 닭볶음탕 감자탕 뼈해장국 해장국 육개장 미역국 콩나물국밥 오므라이스 카레라이스 제육덮밥 쌈밥 잔치국수
비빔국수 수제비 생선구이 고등어구이 갈치조림 동태찌개 김치찜 찜닭 막국수 쫄면 햄버거 피자 초밥 회덮밥 알탕 오징어볶음 낙지볶음
"""
STAPLES = frozenset(_STAPLE_NAMES.split())
"""This simulator's own list of everyday menus in Korea (editorial; not the product's popularity prior)."""
SIM_TAGS = frozenset({"매운", "달콤한", "담백한", "국물", "기름진", "해산물", "고기", "면", "밥", "튀김", "차가운",
                      "따뜻한", "바삭한", "건강식", "든든한", "가벼운"})
PORK = ("돼지고기", "삼겹살", "목살", "돼지갈비", "항정살", "돼지")
CHILI = ("고추장", "고춧가루", "청양고추", "고추", "마라")
HOT = ("청양고추", "마라", "불닭", "매운")
OFFAL = ("곱창", "막창", "순대", "선지", "내장", "천엽", "대창", "양곰탕")


def _has(dish: Dish, words: tuple[str, ...], head: int | None = None) -> bool:
    parts = dish.ingredients if head is None else dish.ingredients[:head]
    return any(word in part for part in parts for word in words) or any(word in dish.name for word in words)


def spiciness(dish: Dish) -> int:
    """0 mild, 1 spicy, 2 very spicy — from the tags, the name and the first ingredients."""
    if "매운" in dish.tags and _has(dish, HOT):
        return 2
    return 1 if "매운" in dish.tags or _has(dish, CHILI, 5) else 0


def kcal_band(dish: Dish) -> str:
    """light / regular / heavy, counting the bowl of rice a dish listed without one is eaten with."""
    kcal = dish.kcal + (300 if "밥 제외" in dish.notes or "밥 미포함" in dish.notes else 0)
    return "light" if kcal < 400 else "regular" if kcal < 800 else "heavy"


def sim_features(dish: Dish) -> list[str]:
    """The attributes an eater's hidden taste is written over (this simulator's own, not the product's)."""
    names = [f"c:{dish.cuisine}", f"k:{dish.category}", f"b:{kcal_band(dish)}", f"s:{spiciness(dish)}"]
    names += [f"t:{tag}" for tag in dish.tags if tag in SIM_TAGS]
    names += [f"i:{ingredient}" for ingredient in dish.ingredients[:2]]
    return names


ATTRIBUTE_AVERSIONS: dict[str, Callable[[Dish], bool]] = {
    "오이": lambda d: _has(d, ("오이",)),
    "버섯": lambda d: _has(d, ("버섯",)),
    "치즈": lambda d: _has(d, ("치즈", "모차렐라")),
    "굴": lambda d: _has(d, ("굴",)),
    "내장": lambda d: _has(d, OFFAL),
    "날생선": lambda d: d.category in ("회", "초밥"),
    "아주 매운 것": lambda d: spiciness(d) == 2,
    "깻잎": lambda d: _has(d, ("깻잎",)),
    "고수": lambda d: _has(d, ("고수",)),
    "양고기": lambda d: _has(d, ("양고기", "양갈비", "램")),
    "기름진 것": lambda d: "기름진" in d.tags and "튀김" in d.tags,
}
"""Things people commonly dislike without ever saying so; each eater draws one or two."""
FOCUS: dict[str, Callable[[Dish], bool]] = {
    "spicy pork": lambda d: spiciness(d) >= 1 and _has(d, PORK, 3),
    "noodles": lambda d: d.category in ("면", "파스타") or "면" in d.tags,
}


def unit(*parts: object) -> float:
    """A uniform draw in (0, 1) fixed by ``parts`` (stable across runs and processes)."""
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=8).digest()
    return (struct.unpack(">Q", digest)[0] + 0.5) / 2.0**64


def gauss(*parts: object) -> float:
    u1, u2 = unit(*parts, "a"), unit(*parts, "b")
    return math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)


@dataclass
class Eater:
    number: int
    seed: int
    weights: dict[str, float]
    sensitivity: float
    adventurous: bool
    averse_attributes: tuple[str, ...]
    averse_dishes: frozenset[str]
    allergy: str | None = None
    dislike: str | None = None
    focus: str | None = None
    bar: float = 0.0
    eaten: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    @property
    def name(self) -> str:
        return f"sim-{self.seed}-{self.focus or 'eater'}-{self.number}"

    def averse(self, dish: Dish) -> bool:
        if self.focus is not None:
            return False
        return dish.name in self.averse_dishes or any(ATTRIBUTE_AVERSIONS[a](dish) for a in self.averse_attributes)

    def base(self, dish: Dish) -> float:
        """The utility of ``dish`` without mood or memory."""
        if self.focus is not None:
            return 1.0 if FOCUS[self.focus](dish) else -1.0
        w = self.weights
        features = sim_features(dish)
        value = sum(w.get(f, 0.0) for f in features[:4])
        rest = features[4:]
        if rest:
            value += sum(w.get(f, 0.0) for f in rest) / math.sqrt(len(rest))
        value += self.sensitivity * (1.0 if dish.name in STAPLES else 0.3 if dish.cuisine == "한식" else 0.0)
        return value + (AVERSION if self.averse(dish) else 0.0)

    def utility(self, dish: Dish, day: int, meal: str) -> float:
        """What the eater makes of ``dish`` at this meal: taste, the day's mood, what they ate lately."""
        if self.focus is not None:
            return self.base(dish)
        value = self.base(dish) + MOOD * gauss(self.seed, self.number, day, meal, dish.name)
        days = self.eaten.get(dish.name)
        if days and day - days[-1] <= 2:
            value += REPEAT_PENALTY
        if self.adventurous and not days:
            value += 0.4
        elif not self.adventurous and days:
            value += 0.15
        return value

    def violates(self, dish: Dish) -> bool:
        """The eater's own check of what they said (the referee checks too)."""
        if self.allergy and (set(ALLERGIES[self.allergy]) & set(dish.allergens)):
            return True
        return bool(self.dislike) and _has(dish, (self.dislike,))


def population(n: int, seed: int, table: FoodTable, focused: int = 0) -> list[Eater]:
    """``n`` eaters with hidden tastes, then ``focused`` per kind of ``FOCUS`` (seeded)."""
    rng = random.Random(seed)
    dishes = [d for d in table if "점심" in d.meals or "저녁" in d.meals]
    lunch = [d for d in table if "점심" in d.meals]
    features = sorted({f for d in dishes for f in sim_features(d)})
    eaters = []
    for number in range(n):
        weights = {}
        for f in features:
            kind = f[0]
            sd = {"c": 0.6, "k": 0.6, "b": 0.3, "s": 0.5, "t": 0.5, "i": 0.4}[kind]
            mean = {"c:한식": 0.3, "b:light": -0.3, "b:regular": 0.2, "s:2": -0.2}.get(f, 0.0)
            weights[f] = rng.gauss(mean, sd)
        adventurous = rng.random() < ADVENTUROUS_SHARE
        attributes = tuple(rng.sample(sorted(ATTRIBUTE_AVERSIONS), 2 if rng.random() < 0.4 else 1))
        eater = Eater(number=number, seed=seed, weights=weights,
                      sensitivity=rng.uniform(0.0, 0.4) if adventurous else rng.uniform(0.3, 1.2),
                      adventurous=adventurous, averse_attributes=attributes,
                      averse_dishes=frozenset(d.name for d in rng.sample(dishes, 3)))
        if rng.random() < ALLERGY_SHARE:
            eater.allergy = rng.choice(sorted(ALLERGIES))
        if rng.random() < DISLIKE_SHARE:
            eater.dislike = rng.choice(STATED_DISLIKES)
        utilities = sorted(eater.base(d) for d in lunch if not eater.violates(d))
        q = rng.uniform(0.86, 0.93)
        eater.bar = utilities[min(len(utilities) - 1, int(q * len(utilities)))]
        eaters.append(eater)
    for kind in FOCUS if focused else ():
        for number in range(focused):
            eaters.append(Eater(number=number, seed=seed, weights={}, sensitivity=0.0, adventurous=False,
                                averse_attributes=(), averse_dishes=frozenset(), focus=kind, bar=0.0))
    return eaters


# --- policies -------------------------------------------------------------------------------------

@dataclass
class Now:
    """What the replaced ``recommend`` of the random and oracle policies needs to know."""

    eater: Eater | None = None
    day: int = 0
    meal: str = "점심"


def _candidates(table: FoodTable, request) -> list[Dish]:
    """The dishes the product would let through for ``request``: hard constraints and meal floor."""
    index = DishIndex.of(table)
    passing = list(check_constraints(index, request).passing)
    for _name, implied in implied_constraints(index, request):
        kept = [p for p in passing if p not in implied]
        if len(kept) >= request.k:
            passing = kept
    return [index.dishes[p] for p in passing]


def _result(dishes: list[Dish], count: int) -> RecommendationResult:
    items = [ScoredDish(dish=d, score=0.0, components={}, reasons=[f"{d.name}은(는) 조건에 맞아요."]) for d in dishes]
    return RecommendationResult(items=items, relaxations=[], candidates_count=count, excluded_counts={})


def random_recommend(table: FoodTable, request) -> RecommendationResult:
    candidates = _candidates(table, request)
    rng = random.Random(request.seed)
    return _result(rng.sample(candidates, min(request.k, len(candidates))), len(candidates))


def oracle_recommend(now: Now) -> Callable:
    def recommend(table: FoodTable, request) -> RecommendationResult:
        candidates = _candidates(table, request)
        eater = now.eater
        assert eater is not None
        ranked = sorted(candidates, key=lambda d: (-eater.utility(d, now.day, now.meal), d.name))
        return _result(ranked[:request.k], len(candidates))
    return recommend


@contextmanager
def installed(policy: str, now: Now, requests: list) -> Iterator[None]:
    """Swap the policy's pieces into the turn's actions (and capture every request for the referee)."""
    real_recommend, real_taste = actions.recommend, actions.load_taste
    inner = {"random": random_recommend, "oracle": oracle_recommend(now)}.get(policy, real_recommend)

    def captured(table, request):
        requests.append(request)
        return inner(table, request)

    actions.recommend = captured
    if policy == "popularity":
        actions.load_taste = lambda session, user, table: None
    try:
        yield
    finally:
        actions.recommend, actions.load_taste = real_recommend, real_taste


# --- playing --------------------------------------------------------------------------------------

@dataclass
class Stats:
    policy: str
    first: dict[int, list[bool]] = field(default_factory=lambda: defaultdict(list))
    """day → first-list acceptance of each meal"""
    lists: list[int] = field(default_factory=list)
    """lists shown until acceptance (1–4), one per meal that accepted"""
    forced: int = 0
    meals: int = 0
    disliked: dict[int, list[bool]] = field(default_factory=lambda: defaultdict(list))
    """day → whether each list shown held a dish the eater secretly dislikes"""
    exposure: Counter = field(default_factory=Counter)
    diversity: list[float] = field(default_factory=list)
    referee: int = 0
    stated: int = 0
    not_understood: int = 0
    not_logged: int = 0
    focused: dict[str, dict[int, list[bool]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    seconds: float = 0.0
    turns: int = 0


def diversity(dishes: list[Dish]) -> float:
    pairs = list(combinations(dishes, 2))
    return 1 - sum(similarity(a, b) for a, b in pairs) / len(pairs) if pairs else 0.0


def play(policy: str, eaters: list[Eater], days: int, table: FoodTable, log: Callable[[str], None]) -> Stats:
    """Every eater's ``days`` of lunches and dinners through one DialogueManager on a fresh SQLite file."""
    stats = Stats(policy)
    now = Now()
    requests: list = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder, installed(policy, now, requests):
        url = f"sqlite:///{Path(folder) / f'{policy}.db'}"
        db = Database(url)
        manager = DialogueManager(db, Settings(database_url=url), table=table)

        def say(user: int, text: str, at: datetime):
            stats.turns += 1
            return manager.respond(user, text, at=at)

        for done, eater in enumerate(eaters):
            eater.eaten = defaultdict(list)
            user = manager.user_id_for(f"{eater.name}-{policy}")
            morning = START.replace(hour=8)
            if eater.allergy:
                turn = say(user, f"나 {eater.allergy} 알레르기 있어", morning)
                stats.not_understood += not turn.preferences_changed
            if eater.dislike:
                turn = say(user, f"{eater.dislike} 싫어해", morning + timedelta(minutes=1))
                stats.not_understood += not turn.preferences_changed
            for day in range(days):
                for meal, hour, minute in MEALS:
                    at = START + timedelta(days=day, hours=hour, minutes=minute + eater.number % 25)
                    pick = unit(eater.seed, eater.number, day, meal)
                    now.eater, now.day, now.meal = eater, day + 1, meal
                    turn = say(user, ASK[meal][int(pick * len(ASK[meal]))], at)
                    chosen = None
                    for shown in range(1, MAX_SKIPS + 2):
                        start = len(requests) - 1
                        dishes = [table[r.name] for r in turn.recommendations]
                        if not dishes:
                            break
                        request = requests[start]
                        stats.referee += sum(bool(violations(d, request)) for d in dishes)
                        stats.stated += sum(eater.violates(d) for d in dishes)
                        stats.exposure.update(d.name for d in dishes)
                        stats.diversity.append(diversity(dishes))
                        if eater.focus is None:
                            stats.disliked[day + 1].append(any(eater.averse(d) for d in dishes))
                        utilities = [eater.utility(d, day + 1, meal) for d in dishes]
                        best = max(range(len(dishes)), key=lambda i: utilities[i])
                        good = utilities[best] >= eater.bar
                        if shown == 1:
                            if eater.focus is None:
                                stats.first[day + 1].append(good)
                            else:
                                stats.focused[eater.focus][day + 1].append(good)
                        if good:
                            stats.lists.append(shown)
                        if good or shown == MAX_SKIPS + 1:
                            chosen = dishes[best] if good or eater.focus is None else None
                            if chosen is not None:
                                stats.forced += not good
                                phrase = PICK[int(unit(eater.number, day, meal, "pick") * len(PICK))]
                                turn = say(user, phrase.format(n=best + 1), at + timedelta(minutes=shown))
                                logged = turn.choice is not None and turn.choice.dish == chosen.name \
                                    and any(m.name == chosen.name for m in turn.meal_logged)
                                stats.not_logged += not logged
                                eater.eaten[chosen.name].append(day + 1)
                            break
                        phrase = ANOTHER[int(unit(eater.number, day, meal, shown) * len(ANOTHER))]
                        turn = say(user, phrase, at + timedelta(minutes=shown))
                    stats.meals += eater.focus is None
            if (done + 1) % 10 == 0 or done + 1 == len(eaters):
                log(f"{policy}: {done + 1}/{len(eaters)} eaters, {time.perf_counter() - started:.0f} s")
        db.dispose()
    stats.seconds = time.perf_counter() - started
    return stats


# --- report ---------------------------------------------------------------------------------------

def gini(counts: list[int]) -> float:
    values = sorted(counts)
    n = len(values)
    if n == 0 or sum(values) == 0:
        return 0.0
    return (2 * sum((i + 1) * v for i, v in enumerate(values))) / (n * sum(values)) - (n + 1) / n


def share(values: list[bool]) -> float:
    return sum(values) / len(values) if values else float("nan")


def days_share(by_day: dict[int, list[bool]], first: int, last: int) -> float:
    return share([v for day in range(first, last + 1) for v in by_day.get(day, [])])


BLOCKS = ((1, 5), (6, 10), (11, 15), (16, 20))


def summary(stats: Stats, table: FoodTable, days: int) -> dict[str, float]:
    return {
        "day1": share(stats.first.get(1, [])),
        "day15": share(stats.first.get(15, [])),
        **{f"d{a}-{b}": days_share(stats.first, a, b) for a, b in BLOCKS if a <= days},
        "lists": sum(stats.lists) / len(stats.lists) if stats.lists else float("nan"),
        "forced": stats.forced / stats.meals if stats.meals else float("nan"),
        "coverage": len(stats.exposure) / len(table),
        "diversity": sum(stats.diversity) / len(stats.diversity) if stats.diversity else float("nan"),
        "gini": gini(list(stats.exposure.values())),
        "gini_all": gini([stats.exposure.get(d.name, 0) for d in table]),
        "disliked": share([v for vs in stats.disliked.values() for v in vs]),
        "disliked15": days_share(stats.disliked, 11, 15),
        "violations": stats.referee + stats.stated,
    }


def pct(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:.1%}"


def report(results: list[Stats], table: FoodTable, days: int) -> str:
    sums = {s.policy: summary(s, table, days) for s in results}
    blocks = [f"d{a}-{b}" for a, b in BLOCKS if a <= days]
    headers = ["policy", "day 1", "day 15", *[f"days {b[1:]}" for b in blocks], "lists to accept",
               "none good", "coverage", "diversity", "Gini", "disliked (11–15)", "violations", "wall"]
    rows = []
    for s in results:
        m = sums[s.policy]
        rows.append([s.policy, pct(m["day1"]), pct(m["day15"]), *[pct(m[b]) for b in blocks],
                     f"{m['lists']:.2f}", pct(m["forced"]), pct(m["coverage"]), f"{m['diversity']:.2f}",
                     f"{m['gini']:.2f}", f"{pct(m['disliked'])} ({pct(m['disliked15'])})",
                     str(int(m["violations"])), f"{s.seconds:.0f} s"])
    lines = [markdown_table(headers, rows)]
    lines.append("")
    lines.append("first-list acceptance = share of meals whose first list held a dish clearing the eater's bar; "
                 "lists to accept = mean lists shown until acceptance (meals that accepted); none good = meals "
                 "where no list of four was good enough; coverage = distinct dishes shown / table "
                 f"({len(table)}); Gini = exposure over dishes shown at least once (over the whole table: "
                 + ", ".join(f"{s.policy} {sums[s.policy]['gini_all']:.2f}" for s in results) + ")")
    for s in results:
        lines.append(f"{s.policy}: {s.turns} turns, {s.turns / max(s.seconds, 1e-9):.1f} turns/s; referee "
                     f"violations {s.referee}, stated-constraint violations {s.stated}; statements not "
                     f"understood {s.not_understood}; choices not logged {s.not_logged}")
    focused = [s for s in results if s.focused]
    if focused:
        rows = []
        for s in focused:
            for kind, by_day in sorted(s.focused.items()):
                early, late = days_share(by_day, 1, 5), days_share(by_day, 11, 15)
                met = late >= 0.8 and late >= early + 0.2
                rows.append([f"{s.policy}: {kind}", pct(early), pct(days_share(by_day, 6, 10)), pct(late),
                             pct(days_share(by_day, 16, 20)), "yes" if met else "no"])
        lines += ["", markdown_table(["focused eaters", "days 1–5", "days 6–10", "days 11–15", "days 16–20",
                                      "≥ 80 % and +20 pts"], rows)]
    return "\n".join(lines)


def run(eaters: int, days: int, seed: int, policies: tuple[str, ...], focused: int = 0,
        log: Callable[[str], None] = lambda line: None) -> tuple[list[Stats], str]:
    table = load_food_table()
    people = population(eaters, seed, table, focused)
    results = []
    for policy in policies:
        people_here = people if policy in ("product", "popularity") else [e for e in people if e.focus is None]
        results.append(play(policy, people_here, days, table, log))
    return results, report(results, table, days)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eaters", type=int, default=500)
    parser.add_argument("--days", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--policies", default=",".join(POLICIES))
    parser.add_argument("--focused", type=int, default=20, help="eaters per focused kind (0: none)")
    args = parser.parse_args()
    policies = tuple(p for p in args.policies.split(",") if p)
    unknown = set(policies) - set(POLICIES)
    if unknown:
        parser.error(f"unknown policies: {', '.join(sorted(unknown))}")
    started = time.perf_counter()
    results, text = run(args.eaters, args.days, args.seed, policies, args.focused,
                        log=lambda line: print(line, file=sys.stderr, flush=True))
    print(f"{args.eaters} eaters (+{args.focused} focused per kind) × {args.days} days × lunch and dinner, "
          f"seed {args.seed}")
    print(text)
    print(f"\nwall time {time.perf_counter() - started:.0f} s")
    return 1 if any(summary(s, load_food_table(), args.days)["violations"] for s in results) else 0


if __name__ == "__main__":
    sys.exit(main())
