"""Random, plausible plan requests and profiles, seeded: what the property tests and the benchmark feed
the planner. Shared so that both measure the same population of users."""

from __future__ import annotations

import random
from collections.abc import Sequence

from mechuri.knowledge.foods import Dish
from mechuri.knowledge.targets import NutritionTargets, compute_targets
from mechuri.knowledge.vocab import DIETS
from mechuri.plan.composition import dish_role
from mechuri.plan.request import DEFAULT_MEALS, PlanRequest
from mechuri.recommend.audit import ALLERGY_WORDS, DISLIKE_WORDS

LIKES: tuple[str, ...] = ("국물", "고기", "해산물", "면", "밥", "한식", "양식", "일식", "매운", "담백한")


def random_targets(rng: random.Random) -> NutritionTargets:
    """A person: sex, age 15–80, and (half the time) a body and activity; any goal."""
    sex = rng.choice(["M", "F"])
    age = rng.randint(15, 80)
    body = rng.random() < 0.5
    return compute_targets(
        sex, age,
        height_cm=rng.uniform(150, 190) if body else None,
        weight_kg=rng.uniform(45, 100) if body else None,
        activity=rng.choice(["sedentary", "low", "active", "very_active"]) if body else None,
        goal=rng.choice(["maintain", "maintain", "diet", "bulk"]),
    )


def random_plan_request(rng: random.Random, dishes: Sequence[Dish], days: int | None = None) -> PlanRequest:
    """A request like users make: some allergies, dislikes and diets, sometimes a snack, a skipped meal,
    a dish already decided or an energy target of their own."""
    days = days if days is not None else rng.choice([1, 7])
    meals = DEFAULT_MEALS + (("간식",) if rng.random() < 0.3 else ())
    skip = (rng.choice(DEFAULT_MEALS),) if rng.random() < 0.15 else ()
    fixed = {}
    if rng.random() < 0.2:
        meal = rng.choice([m for m in meals if m not in skip])
        mains = [d for d in dishes if meal in d.meals and dish_role(d) == "main"]
        fixed[(rng.randint(1, days), meal)] = rng.choice(mains).name
    return PlanRequest(
        days=days,
        meals=meals,
        skip_meals=skip,
        fixed=fixed,
        kcal_target=float(rng.randrange(1300, 3001, 50)) if rng.random() < 0.2 else None,
        allergies=frozenset(rng.sample(ALLERGY_WORDS, rng.choice([0, 0, 1, 1, 2]))),
        excluded=frozenset(rng.sample(DISLIKE_WORDS, rng.choice([0, 0, 1, 2]))),
        diets=frozenset(rng.sample(DIETS, 1)) if rng.random() < 0.25 else frozenset(),
        liked=frozenset(rng.sample(LIKES, rng.choice([0, 1, 2]))),
        variant=rng.randint(0, 3),
    )
