"""Soft scoring: how well a dish that passed every hard constraint fits this meal, this person, today.

The score is a weighted sum of named components, each in [0, 1], so that every recommendation can
be explained by the components that lifted it (``reasons`` turns them into Korean) and a test can
check one component at a time. Components that do not apply to a request (no goal, no likes …) are
left out of the dish's ``components`` rather than set to a constant, so they explain nothing.

Weights (``WEIGHTS``) and why:

* ``requested`` 4.30 — a dish or ingredient named in this message must beat everything else, so it
  weighs more than all other components together (4.25 with ``familiar`` at ``FAMILIAR_COLD``, which a
  person who only ever skipped lists still has beside ``taste``); a dish merely related to the named one
  gets ``RELATED_DISH`` of it.
* ``balance`` 0.30 — nutrition fit of the dish to this meal's share of the day, *after* what was
  eaten today: energy closeness to the meal target, and the remaining-day budgets of sodium,
  carbohydrate and fat and needs of protein and fiber (``MealContext``). A nutrient the day is
  already off track on weighs up to ``OFF_TRACK_BOOST``× more, so a salty lunch makes dinner's
  sodium matter more than its exact calories.
* ``novelty`` 0.30 — penalises dishes recommended or eaten recently: 0 days ago scores 0, fading
  linearly to 1 at ``NOVELTY_DAYS``. As heavy as balance so that yesterday's dish rarely repeats.
* ``goal`` 0.25 — 다이어트: lighter than the meal target and protein-dense; 벌크업: more protein and
  energy. Almost as heavy as balance: the user chose the goal to steer exactly this.
* ``preference`` 0.15 — remembered likes; 1 − ½ⁿ for n matching likes (diminishing returns).
* ``situation`` 0.30 — situations said in this message (비오는날, 해장 …) and party size, as the share
  of them the dish suits; as heavy as balance because the user just asked for it.
* ``season`` 0.10 — the same share for a situation nobody said but the caller guessed (the season from
  the date: 겨울 in December, ``RecommendationRequest.situations_inferred``). A guess is weaker evidence
  than a request, and it is the same guess for every user: at 0.30 it lifted the same winter-tagged dishes
  (방어회, 과메기, 굴전, 팥칼국수 …) into everyone's December lists, the head of the exposure Gini (0.54 over
  30 simulated eaters × 10 days; 0.47 at 0.10, 0.44 with no season at all). At 0.10 — under the
  everyday-vs-common gap of ``familiar`` — it breaks ties among dishes that fit equally well.
* ``cheap`` 0.25 — asked for something cheap: 가성비 tag 1, convenience-store or 분식 0.5.
* ``familiar`` 0.40 — the population prior (``knowledge.popularity``): how commonly people in Korea eat
  the dish at this meal, as its tier weight (everyday 1, common 0.7, occasional 0.4, rare 0.15). Heavy
  enough that an everyday dish (0.40) beats a common one (0.28) of equal fit — the gap (0.12) is about
  the spread of ``balance`` among good dishes — and far below ``requested``, so a dish asked for by
  name still comes first. Always present: a new user's list starts from what people actually eat.
  While little is known about the person's taste it weighs more, from ``FAMILIAR_COLD`` (0.80) for a
  person who has chosen, eaten and liked nothing down towards 0.40 (see there): the prior is then the
  main evidence about them.
* ``taste`` 1.20 — only once the person has given feedback (``recommend.taste``: dishes chosen from a
  list, meals eaten, lists skipped, 👍/👎): the learned taste model's score of the dish, a Thompson draw
  from its posterior seeded like the list. It starts at 0.5 for everything (no opinion) and moves with
  evidence. What it must outweigh once a taste is clear (a learned σ of ~0.75 for the kind a person keeps
  choosing vs ~0.55 for the rest: 0.20 × 1.20 = +0.24): the everyday-vs-common gap of ``familiar``
  (0.12) *and*, at dinner after a salty lunch, ``low_sodium`` (a 2,000 mg 찌개 vs a 600 mg dish: 0.24 at
  the 0.40 it had then; 0.36 at 0.60 now).
  At 0.80 (+0.16) the second won: eaters who only ever chose spicy pork found one in 64 % of their first
  lists on days 11–15, most misses at dinner; at 1.20, 84–95 % on the tuning seed and 91 % on a fresh one
  (``benchmarks/RESULTS.md``). Still far
  below ``requested``: a dish asked for by name comes first.
* ``low_sodium`` 0.60 — when the user asks for something not salty (「짜지 않은 걸로」: 짭짤한
  excluded, or 저염 wanted), and on a day whose meals are already over the sodium pace
  (``MealContext.salty_so_far``; ``balance`` also weighs sodium more then): 1 − sodium ÷ the day's
  sodium cap (0 at or above it), so 700 mg scores 0.70 and 2,000 mg 0.13. Heavier than ``familiar``
  so that asking for less salt outweighs popularity: 된장찌개 (2,020 mg) loses to a 700 mg dish. At 0.40,
  with ``taste`` at 1.20, a new user's exploration draw put 닭갈비 (1,344 mg) in a dinner list after a
  4,132 mg day; at 0.60 it does not, and focused eaters still find their kind (spicy pork 88 %, noodles
  94 % of first lists on days 11–15, seed 11, on the 식약처 numbers).

A dish the table lists without its bowl of rice (notes 「공깃밥 미포함」, 「밥 제외」: 찌개, 탕, 볶음, 고기 …)
is eaten with one: its *energy fit* is judged on ``meal_kcal`` (the dish plus the table's bowl of rice, ``rice_kcal``), so 김치찌개
(238 kcal + rice) is a lunch, not a snack. Every other nutrient and every number shown stays the dish's own.

Sodium inside ``balance`` never saturates below the day's cap: within this meal's budget it scores 1,
above it falls *linearly* to 0 at budget + ``SODIUM_SPAN`` × the day's cap (≈ 3,450 mg over for
2,300 mg), where the old exponential (scale: the meal's share of the cap) already scored a 2,400 mg and
a 4,000 mg dish alike (≈ 0.05 and ≈ 0.005).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from mechuri.knowledge.foods import Dish, load_food_table
from mechuri.knowledge.popularity import load_popularity
from mechuri.knowledge.targets import MEAL_SHARES, NutritionTargets, meal_targets
from mechuri.knowledge.vocab import TAGS
from mechuri.recommend.index import DishIndex
from mechuri.recommend.request import RecommendationRequest
from mechuri.recommend.sampling import normal_draw
from mechuri.recommend.taste_matrix import taste_draws

WEIGHTS: dict[str, float] = {
    "requested": 4.30, "balance": 0.30, "novelty": 0.30, "goal": 0.25, "preference": 0.15,
    "situation": 0.30, "season": 0.10, "cheap": 0.25, "familiar": 0.40, "low_sodium": 0.60, "taste": 1.20,
}
FAMILIAR_COLD = 0.80
"""``familiar``'s weight for a person the recommender knows nothing about yet: no dish chosen, eaten or liked
(``TasteModel.chosen``) and no remembered like. For such a person the population prior is the best guess
there is, and at 0.40 it did not hold against what every new user shares: the season guess (0.10, the
same for everyone) plus the spread of ``balance`` among good dishes (≈ 0.12) let common dishes take the
places meant for everyday ones, most in summer, when nearly every everyday lunch is warm and the guess
lifts 비빔냉면, 콩국수, 쫄면 … — 32–41 % of new users' lunch dishes were everyday in June–August and 52–59 %
in December–February (``benchmarks/cold_start.py --months``; the discovery slot holds one of three for a
less common dish, so 67 % is the most there can be). At 0.80 the everyday-vs-common gap is 0.24 ≥ 0.10 +
0.12 and the share is 67 % in every month (0.60: 55 % in June; 0.70: 59 % in August; 0.75: 62 %).

The weight hands over to the person's own evidence smoothly: with n dishes chosen, eaten or liked and
likes said, ``familiar`` weighs 0.40 + 0.40 / (1 + n) — 0.60 after the first choice, 0.44 after nine.
Dropping straight to 0.40 at the first event (the first version) made a new user's first dinner less
familiar than their lunch while one choice had taught the taste model almost nothing: day-1 first-list
acceptance in ``benchmarks/taste_sim.py`` fell below the popularity-only policy's (52.5 vs 56.0 %, seed 11).
By the days when a taste is clear (10+ dishes) the gap is within 0.01 of 0.40's, so learning keeps its
margin (``taste``). A said situation (0.30) still lifts a common dish past an everyday one even when cold,
and ``requested`` (4.30) outweighs every component present together."""
def exploration_share(known: int) -> float:
    """How much of the taste model's Thompson draw a list uses: n / (1 + n) for n dishes chosen, eaten or
    liked and likes said (``Scorer.known``) — none before the first (a person who only skipped lists or said
    👎 gets the model's mean, no exploration), half after one, 0.9 after nine.

    One choice teaches the model almost nothing about the features it never saw (variance 1 each), so a full
    draw was noise of up to ≈ ±0.14 in score against an everyday-vs-common gap of 0.18 at that point: the first
    dinner after a first lunch choice was a lottery, and day-1 first-list acceptance in
    ``benchmarks/taste_sim.py`` stayed under the popularity-only policy's (seed 5, used to choose this: 57.2
    vs 59.5 %; with the handover 60.8 %, learning unchanged — days 11–15 76.8 → 76.9 %, spicy pork 89 →
    89 %). A new person explores through the discovery slot anyway."""
    return known / (1 + known)


BALANCE_PARTS: dict[str, float] = {
    "energy": 0.35, "sodium": 0.25, "protein": 0.20, "carbohydrate": 0.10, "fat": 0.05, "fiber": 0.05,
}
"""Inside ``balance``: energy first (the main lever of a meal), sodium next (Koreans' most common
excess), protein third (the most common shortfall), then the rest. These are base weights: see
``OFF_TRACK_BOOST``."""
OFF_TRACK_BOOST = 3.0
"""How much more a nutrient weighs when today's meals already went past its pace (sodium, carbohydrate
or fat over their share of the daily cap; protein or fiber under their share of the need): the base
weight is multiplied by 1 + (boost − 1)·min(1, how far off track), then all weights are renormalised."""
ENERGY_TOLERANCE = 0.35
"""A dish 35 % off the meal's energy target keeps e⁻¹ ≈ 0.37 of the energy score."""
RELATED_DISH = 0.6
"""``requested`` for a dish that is not the one named but shares its word (대패삼겹살 when 삼겹살 was asked
for, any 치킨 when 치킨 is also a category): well above the rest, below the dish itself."""
NOVELTY_DAYS = 7
"""After a week a dish counts as new again."""
RICE_DISH = "흰쌀밥"
"""The bowl of rice a dish listed without one is eaten with: its energy is the table's (MFDS 쌀밥, per serving),
so the recommender and the nutrition answers count the same bowl."""
_WITHOUT_RICE = re.compile(r"밥[^;]*?(미포함|제외)")
_RICE_CACHE: dict[tuple[str, str], float] = {}
SODIUM_SPAN = 1.5
"""Sodium over this meal's budget loses its balance score linearly over 1.5 × the day's cap."""
LOW_SALT_WORDS = frozenset({"짭짤한"})
"""Excluded taste words that mean the user wants less salt (「짜지 않은 걸로」 → 짭짤한 excluded)."""

SITUATION_TAGS: dict[str, frozenset[str]] = {
    "비오는날": frozenset({"비오는날"}), "비": frozenset({"비오는날"}),
    "해장": frozenset({"해장"}), "술": frozenset({"술안주"}), "술안주": frozenset({"술안주"}),
    "여름": frozenset({"여름", "시원한", "차가운"}), "더운날": frozenset({"여름", "시원한", "차가운"}),
    "겨울": frozenset({"겨울", "따뜻한"}), "추운날": frozenset({"겨울", "따뜻한"}),
    "혼밥": frozenset({"혼밥"}), "회식": frozenset({"회식"}), "스트레스": frozenset({"매운", "달콤한"}),
    "피곤": frozenset({"든든한", "고단백"}), "야근": frozenset({"든든한"}), "아플때": frozenset({"담백한", "따뜻한"}),
    "바쁠때": frozenset({"간편"}), "간단": frozenset({"간편"}),
}
"""Situation word → tags that suit it; any tag of the vocabulary also works as a situation word."""
GROUP_CATEGORIES = frozenset({"전골", "찜", "고기", "치킨", "피자", "회", "탕"})
"""Categories that are shared at a table: suit a party of ``GROUP_SIZE`` or more."""
GROUP_SIZE = 2
"""Two already share: 「둘이서 먹을 야식」 asks for a 치킨 or a 족발 to split, not two separate bowls."""


@dataclass(frozen=True)
class MealContext:
    """Per-request numbers every dish is scored against, computed once (see ``build_context``)."""

    meal: str
    """The meal scored for: the request's, else the first main meal not eaten yet, else 간식."""
    meal_named: bool
    day: NutritionTargets
    per_meal: NutritionTargets
    """The meal's plain share of the day's targets (``knowledge.targets.meal_targets``)."""
    energy_target: float
    sodium_budget: float
    carbohydrate_budget: float
    fat_budget: float
    protein_need: float
    fiber_need: float
    salty_so_far: bool
    carb_heavy_so_far: bool
    protein_short_so_far: bool
    balance_weights: dict[str, float]
    """``BALANCE_PARTS`` after the off-track boost, summing to 1."""
    last_meal: str | None
    situations: tuple[frozenset[str], ...]


def situation_tags(word: str) -> frozenset[str] | None:
    """The tags a situation word stands for, or None for a word we cannot use."""
    if word in SITUATION_TAGS:
        return SITUATION_TAGS[word]
    return frozenset({word}) if word in TAGS else None


def _resolve_meal(request: RecommendationRequest) -> str:
    if request.meal is not None:
        return request.meal
    for meal in ("아침", "점심", "저녁"):
        if meal not in request.eaten_meals:
            return meal
    return "간식"


def build_context(request: RecommendationRequest) -> MealContext:
    """Turn the day's targets and today's meals into this meal's targets, budgets and needs.

    This meal gets ``share / remaining share`` of what is left of each daily cap (sodium, maximum
    carbohydrate and fat) and of each daily need (protein at the middle of its range, fiber), so a
    salty lunch shrinks dinner's sodium budget and a protein-poor day raises dinner's protein need.
    Energy is aimed at the meal's plain share, lowered (never raised) when today already ran over.
    """
    meal = _resolve_meal(request)
    day = request.targets
    this_meal = meal_targets(day, meal)
    share = MEAL_SHARES[meal]
    eaten_share = sum(MEAL_SHARES[m] for m in sorted(set(request.eaten_meals)) if m != meal)
    if not request.eaten_meals and request.eaten("kcal") > 0:
        eaten_share = min(0.9, request.eaten("kcal") / day.kcal)
    fraction = share / max(share, 1.0 - eaten_share)

    def left(cap: float, nutrient: str) -> float:
        return max(0.0, cap - request.eaten(nutrient)) * fraction

    energy_target = this_meal.kcal
    if request.eaten("kcal") > day.kcal * eaten_share:
        energy_target = min(this_meal.kcal, max(0.5 * this_meal.kcal, left(day.kcal, "kcal")))
    situations = [tags for word in sorted(request.situations) if (tags := situation_tags(word))]
    off_track = _off_track(request, day, eaten_share)
    boosted = {name: base * (1 + (OFF_TRACK_BOOST - 1) * min(1.0, off_track.get(name, 0.0)))
               for name, base in BALANCE_PARTS.items()}
    total_weight = sum(boosted.values())
    return MealContext(
        meal=meal,
        meal_named=request.meal is not None,
        day=day,
        per_meal=this_meal,
        energy_target=energy_target,
        sodium_budget=left(day.sodium_mg_max, "sodium_mg"),
        carbohydrate_budget=left(day.carbohydrate_g.max, "carbohydrate_g"),
        fat_budget=left(day.fat_g.max, "fat_g"),
        protein_need=left(day.protein_g.mid, "protein_g"),
        fiber_need=left(day.fiber_g, "fiber_g"),
        salty_so_far=off_track.get("sodium", 0.0) > 0,
        carb_heavy_so_far=off_track.get("carbohydrate", 0.0) > 0,
        protein_short_so_far=off_track.get("protein", 0.0) > 0,
        balance_weights={name: weight / total_weight for name, weight in boosted.items()},
        last_meal=request.eaten_meals[-1] if request.eaten_meals else None,
        situations=tuple(situations),
    )


def _off_track(request: RecommendationRequest, day: NutritionTargets, eaten_share: float) -> dict[str, float]:
    """How far today's meals are off pace per nutrient, 0 (on pace) to 1+ (twice the pace or none at all).

    Pace is the eaten meals' share of the day: after 아침 and 점심 (60 %), 1,380 mg of a 2,300 mg
    sodium cap is on pace and 4,000 mg is 1.9 off track.
    """
    if eaten_share <= 0 or not any(request.eaten_totals.values()):
        return {}  # nothing eaten, or meals named without their nutrition: no claim about today
    caps = {"sodium": ("sodium_mg", day.sodium_mg_max), "carbohydrate": ("carbohydrate_g", day.carbohydrate_g.max),
            "fat": ("fat_g", day.fat_g.max)}
    needs = {"protein": ("protein_g", day.protein_g.min), "fiber": ("fiber_g", day.fiber_g)}
    off: dict[str, float] = {}
    for name, (nutrient, cap) in caps.items():
        pace = cap * eaten_share
        off[name] = max(0.0, request.eaten(nutrient) / pace - 1) if pace > 0 else 0.0
    for name, (nutrient, need) in needs.items():
        pace = need * eaten_share
        off[name] = max(0.0, 1 - request.eaten(nutrient) / pace) if pace > 0 else 0.0
    return off


def _reach(amount: float, need: float) -> float:
    """Share of a need met, capped at 1; a need already met scores every dish 1."""
    return 1.0 if need <= 0 else min(1.0, amount / need)


def _over(amount: float, budget: float, scale: float) -> float:
    """1 within budget, decaying by e⁻¹ per ``scale`` over it: smooth, so a budget of 0 still ranks."""
    return 1.0 if amount <= budget else math.exp((budget - amount) / max(scale, 1e-9))


def rice_kcal() -> float:
    """The energy of one bowl of rice, from the shipped table (``RICE_DISH``)."""
    return load_food_table()[RICE_DISH].kcal


def meal_kcal(dish: Dish) -> float:
    """The energy of the dish as a meal: plus a bowl of rice when the table lists it without one."""
    key = (dish.name, dish.notes)
    extra = _RICE_CACHE.get(key)
    if extra is None:
        extra = rice_kcal() if _WITHOUT_RICE.search(dish.notes) else 0.0
        _RICE_CACHE[key] = extra
    return dish.kcal + extra


def _sodium_fit(amount: float, budget: float, day_cap: float) -> float:
    """1 within the meal's sodium budget, then falling linearly to 0 at budget + ``SODIUM_SPAN``·day cap:
    it keeps falling over the whole range real dishes span (see the module docstring)."""
    if amount <= budget:
        return 1.0
    return max(0.0, 1.0 - (amount - budget) / max(SODIUM_SPAN * day_cap, 1.0))


def balance_parts(dish: Dish, ctx: MealContext) -> dict[str, float]:
    """Each nutrient's fit in [0, 1], by name (see ``BALANCE_PARTS`` and ``build_context``)."""
    target = max(ctx.energy_target, 1.0)
    gap = (meal_kcal(dish) - target) / (ENERGY_TOLERANCE * target)
    per_meal = ctx.per_meal
    return {
        "energy": math.exp(-gap * gap),
        "sodium": _sodium_fit(dish.sodium_mg, ctx.sodium_budget, ctx.day.sodium_mg_max),
        "protein": _reach(dish.protein_g, ctx.protein_need),
        "carbohydrate": _over(dish.carbohydrate_g, ctx.carbohydrate_budget, per_meal.carbohydrate_g.max),
        "fat": _over(dish.fat_g, ctx.fat_budget, per_meal.fat_g.max),
        "fiber": _reach(dish.fiber_g, ctx.fiber_need),
    }


def goal_fit(dish: Dish, goal: str, ctx: MealContext) -> float:
    """다이어트: half lightness (full at ≤ 80 % of the meal's energy, none at ≥ 120 %), half protein
    density (full at 30 % of energy from protein). 벌크업: half protein toward the top of the meal's
    protein range (20 % of its energy, where the balance score is already content at the middle),
    half energy toward 110 % of the meal's. 유지: neutral."""
    target = max(ctx.per_meal.kcal, 1.0)
    if goal == "다이어트":
        lightness = min(1.0, max(0.0, (1.2 * target - dish.kcal) / (0.4 * target)))
        density = min(1.0, 4 * dish.protein_g / max(dish.kcal, 1.0) / 0.30)
        return 0.5 * lightness + 0.5 * density
    if goal == "벌크업":
        return 0.5 * _reach(dish.protein_g, ctx.per_meal.protein_g.max) + 0.5 * min(1.0, dish.kcal / (1.1 * target))
    return 0.5


class Scorer:
    """Scores the dishes of one index for one request.

    Everything that depends only on the request — which dishes match the likes, the situations,
    the party size, the recent list — is turned into sets of positions once, so scoring a dish is
    a few set lookups and the balance arithmetic.
    """

    def __init__(self, index: DishIndex, request: RecommendationRequest) -> None:
        self.index = index
        self.request = request
        self.context = build_context(request)
        self._liked = [index.matching(term, "prefer") for term in sorted(request.liked)]
        self._wanted_dishes = (index.named(request.wanted_dishes), index.matching_any(request.wanted_dishes, "prefer")) \
            if request.wanted_dishes else None
        self._wanted_ingredients = [index.matching(term, "prefer") for term in sorted(request.wanted_ingredients)]
        self._recent: dict[int, int] | None = None
        if request.recent:
            self._recent = {}
            for name, days in request.recent.items():
                for position in index.named([name]):
                    self._recent[position] = min(days, self._recent.get(position, days))
        suits = [index.tagged(tags) for tags in self.context.situations]
        self._season = suits if request.situations_inferred else []
        suits = [] if request.situations_inferred else suits
        if request.people is not None and request.people >= GROUP_SIZE:
            suits.append(index.tagged({"회식"}) | index.in_categories(GROUP_CATEGORIES))
        elif request.people == 1:
            suits.append(index.tagged({"혼밥"}))
        self._situations = suits
        self._cheap = (index.tagged({"가성비"}), index.tagged({"편의점"}) | index.in_categories({"분식"})) \
            if request.cheap else None
        self._goal = request.goal if request.goal in ("다이어트", "벌크업") else None
        self._low_salt = bool(request.excluded & LOW_SALT_WORDS) or "저염" in request.wanted_tags \
            or self.context.salty_so_far
        self.prior = load_popularity()
        taste = request.taste
        self.known = len(request.liked) + (len(taste.chosen) if taste is not None else 0)
        """Dishes this person chose, ate or liked, and likes they said: what is known of their taste."""
        self.cold = self.known == 0
        familiar = WEIGHTS["familiar"] + (FAMILIAR_COLD - WEIGHTS["familiar"]) / (1 + self.known)
        self.weights = {**WEIGHTS, "familiar": familiar}
        """The weight of each component for this request: ``WEIGHTS``, with ``familiar`` handed over from
        ``FAMILIAR_COLD`` to ``WEIGHTS['familiar']`` as evidence about the person grows (see there)."""

    def component_table(self, positions: Sequence[int]) -> dict[str, list[float]]:
        """Component name → its value (in [0, 1]) for each dish at ``positions``, in that order.

        Only the components this request uses are present. Computed column by column over all the
        dishes at once: this is the recommender's hot loop (every dish that passed the constraints).
        """
        dishes = [self.index.dishes[p] for p in positions]
        ctx = self.context
        table: dict[str, list[float]] = {}
        requested: list[list[float]] = []
        if self._wanted_dishes is not None:
            named, related = self._wanted_dishes
            requested.append([1.0 if p in named else RELATED_DISH if p in related else 0.0 for p in positions])
        if self._wanted_ingredients:
            count = len(self._wanted_ingredients)
            requested.append([sum(p in found for found in self._wanted_ingredients) / count for p in positions])
        if requested:
            table["requested"] = [sum(values) / len(requested) for values in zip(*requested, strict=True)]
        table["balance"] = self._balance(dishes)
        if self._recent is not None:
            recent = self._recent
            table["novelty"] = [1.0 if p not in recent else min(1.0, max(0.0, recent[p]) / NOVELTY_DAYS)
                                for p in positions]
        if self._goal is not None:
            table["goal"] = [goal_fit(dish, self._goal, ctx) for dish in dishes]
        if self._liked:
            table["preference"] = [1.0 - 0.5 ** sum(p in found for found in self._liked) for p in positions]
        for name, sets in (("situation", self._situations), ("season", self._season)):
            if sets:
                table[name] = [sum(p in found for found in sets) / len(sets) for p in positions]
        if self._cheap is not None:
            full, half = self._cheap
            table["cheap"] = [1.0 if p in full else 0.5 if p in half else 0.0 for p in positions]
        weight = self.prior.weight
        meal = ctx.meal
        table["familiar"] = [weight(dish.name, meal) for dish in dishes]
        if self._low_salt:
            cap = max(ctx.day.sodium_mg_max, 1.0)
            table["low_sodium"] = [max(0.0, 1.0 - dish.sodium_mg / cap) for dish in dishes]
        taste = self.request.taste
        if taste is not None and taste.events:
            seed = self.request.seed
            explore = exploration_share(self.known)
            normals = [0.0] * len(dishes) if seed is None else [explore * normal_draw(seed, dish.name)
                                                                 for dish in dishes]
            table["taste"] = taste_draws(taste, self.index.dishes, positions, normals)
        return table

    def _balance(self, dishes: Sequence[Dish]) -> list[float]:
        """``balance_parts`` weighted by ``MealContext.balance_weights``, for many dishes at once."""
        ctx = self.context
        weights = ctx.balance_weights
        per_meal = ctx.per_meal
        target = max(ctx.energy_target, 1.0)
        spread = ENERGY_TOLERANCE * target
        w_energy, w_sodium, w_protein = weights["energy"], weights["sodium"], weights["protein"]
        w_carb, w_fat, w_fiber = weights["carbohydrate"], weights["fat"], weights["fiber"]
        sodium_budget, sodium_span = ctx.sodium_budget, max(SODIUM_SPAN * ctx.day.sodium_mg_max, 1.0)
        carb_budget, carb_scale = ctx.carbohydrate_budget, per_meal.carbohydrate_g.max
        fat_budget, fat_scale = ctx.fat_budget, per_meal.fat_g.max
        protein_need, fiber_need = ctx.protein_need, ctx.fiber_need
        carb_scale, fat_scale = (max(x, 1e-9) for x in (carb_scale, fat_scale))
        exp = math.exp
        # The same arithmetic as ``balance_parts``, inlined: this runs for every candidate dish.
        return [
            w_energy * exp(-(((meal_kcal(d) - target) / spread) ** 2))
            + w_sodium * (1.0 if d.sodium_mg <= sodium_budget
                          else max(0.0, 1.0 - (d.sodium_mg - sodium_budget) / sodium_span))
            + w_protein * (1.0 if protein_need <= 0 else min(1.0, d.protein_g / protein_need))
            + w_carb * (1.0 if d.carbohydrate_g <= carb_budget else exp((carb_budget - d.carbohydrate_g) / carb_scale))
            + w_fat * (1.0 if d.fat_g <= fat_budget else exp((fat_budget - d.fat_g) / fat_scale))
            + w_fiber * (1.0 if fiber_need <= 0 else min(1.0, d.fiber_g / fiber_need))
            for d in dishes
        ]

    def totals(self, positions: Sequence[int]) -> tuple[list[float], dict[str, list[float]]]:
        """The weighted totals (see ``weights``) of the dishes at ``positions``, and their components."""
        table = self.component_table(positions)
        totals = [0.0] * len(positions)
        for name, values in table.items():
            weight = self.weights[name]
            totals = [total + weight * value for total, value in zip(totals, values, strict=True)]
        return totals, table

    def score(self, position: int) -> tuple[float, dict[str, float]]:
        """The total and the components of one dish (the same arithmetic as ``totals``)."""
        totals, table = self.totals([position])
        return totals[0], {name: values[0] for name, values in table.items()}
