"""A person's taste, learned from what they do: an online Bayesian logistic regression over dish features.

Each feedback event says "this person wanted (y = 1) or passed over (y = 0) this dish", with a weight for
how much it says: choosing a dish from a list is strong, eating a dish is good evidence, a list skipped
with 「다른 거」 is a mild negative for every dish shown. A dish is described by the features a person's
taste plausibly follows — cuisine, category, flavour and temperature tags, main ingredients — never by its
name alone, so choosing 제육볶음 also lifts 오징어볶음 and 고추장불고기 a little. Two kinds of feature carry
what those leave out: ``protein:`` (the kind of meat, so 삼겹살, 순대 and 돼지고기 count as the same pork)
and ``combo:`` (heat × protein: 매운+돼지고기, 순한+해산물 …). A linear model over 매운 and 돼지고기 alone
can only add the two; a person who loves spicy pork but passes over spicy seafood and plain pork teaches
it to lower 매운 and 돼지고기 again, and the pair stays half-learned (the focused eaters of
``benchmarks/taste_sim.py`` found a spicy pork dish in 64 % of first lists on days 11–15 without these
features, 72 % with them, at the same weights).

The model keeps, per feature, a Gaussian belief over its weight (mean ``m``, precision ``q``), updated one
event at a time with the Laplace / assumed-density step of Chapelle & Li (2011): the prediction
p = σ(m·x) is moved towards y by (y − p)·x/q, and the precision grows by x²·p(1−p) — so a feature seen
often becomes confident and one never seen stays at the prior (0: no opinion), which is what a cold start
needs: the population prior decides until the person's own choices say otherwise. The posterior variance
gives an uncertainty per dish, so a recommender can explore (Thompson sampling) instead of only exploiting.

Pure and deterministic: events in, scores out; storage lives in ``mechuri.memory.taste``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from mechuri.knowledge.foods import Dish, FoodTable
from mechuri.knowledge.vocab import INGREDIENT_ALLERGENS

FeedbackKind = Literal["chose", "ate", "skipped", "passed", "liked", "disliked"]
"""chose: picked from a list; ate: logged as eaten; skipped: shown, then 「다른 거」; passed: shown beside the
chosen dish; liked / disliked: said in chat or 👍/👎 on a card."""

EVENT_SIGNAL: dict[FeedbackKind, tuple[int, float]] = {
    "chose": (1, 1.0), "ate": (1, 0.6), "liked": (1, 1.0),
    "skipped": (0, 0.3), "passed": (0, 0.2), "disliked": (0, 1.0),
}
"""(label, weight) of each kind: a choice outweighs a meal that was merely eaten; a skipped list says little
about any one of its dishes (the list may have failed for one of them)."""

PRIOR_PRECISION = 1.0
"""Belief in "no opinion" before any event: one strong choice moves a feature's mean to about ±0.4."""
TASTE_TAGS = frozenset({"매운", "달콤한", "짭짤한", "담백한", "바삭한", "시원한", "기름진", "국물", "따뜻한", "차가운",
                        "고기", "해산물", "면", "밥", "빵", "떡", "튀김", "구이", "든든한", "가벼운", "발효"})
"""The table's tags that describe how a dish tastes or what it is made of (not when or where it is eaten)."""
MAIN_INGREDIENTS = 3
"""Only the first ingredients (the table lists the main ones first) describe what a dish is."""
MEATS = frozenset({"돼지고기", "쇠고기", "닭고기"})
"""The meat a main ingredient is (through the labeling list's ingredient → allergen map, so 삼겹살, 목살,
순대 and 돼지고기 are all 돼지고기): one ``protein:`` feature per kind of meat, because a person who keeps
choosing 제육볶음 likes pork, not the word 돼지고기, and 오삼불고기 (삼겹살) should profit from it."""
SEAFOOD_TAG = "해산물"
SPICY_TAG = "매운"


@lru_cache(maxsize=4096)
def dish_features(dish: Dish) -> dict[str, float]:
    """The features of ``dish`` a taste follows, each 1/√n so that a dish with many tags does not count more
    (cached: dishes are immutable; callers must not change the dict)."""
    names = {f"cuisine:{dish.cuisine}", f"category:{dish.category}"}
    names |= {f"tag:{tag}" for tag in dish.tags if tag in TASTE_TAGS}
    names |= {f"ingredient:{name}" for name in dish.ingredients[:MAIN_INGREDIENTS]}
    proteins = main_proteins(dish)
    names |= {f"protein:{protein}" for protein in proteins if protein in MEATS}  # 해산물 is a tag already
    heat = "매운" if SPICY_TAG in dish.tags else "순한"
    names |= {f"combo:{heat}+{protein}" for protein in proteins}
    value = 1.0 / math.sqrt(len(names))
    return {name: value for name in sorted(names)}


def main_proteins(dish: Dish) -> frozenset[str]:
    """The kinds of meat among the dish's main ingredients, and 해산물 when it is tagged so."""
    found = {allergen for name in dish.ingredients[:MAIN_INGREDIENTS]
             for allergen in INGREDIENT_ALLERGENS.get(name, ()) if allergen in MEATS}
    if SEAFOOD_TAG in dish.tags:
        found.add(SEAFOOD_TAG)
    return frozenset(found)


@dataclass(frozen=True)
class TasteEvent:
    """One thing a person did about a dish (read from storage, oldest first)."""

    dish: str
    kind: FeedbackKind


@dataclass
class TasteModel:
    """Per-feature Gaussian beliefs; ``mean``/``precision`` hold only features some event touched."""

    mean: dict[str, float] = field(default_factory=dict)
    precision: dict[str, float] = field(default_factory=dict)
    events: int = 0
    chosen: list[str] = field(default_factory=list)
    """Dishes the person chose or ate, most recent last (what a reason can point back to)."""

    @classmethod
    def learn(cls, events: Iterable[TasteEvent], table: FoodTable) -> TasteModel:
        """The model after ``events`` in order; events about dishes the table no longer has are skipped."""
        return cls().extend(events, table)

    def extend(self, events: Iterable[TasteEvent], table: FoodTable) -> TasteModel:
        """This model after ``events`` too (in order; unknown dishes skipped): learning is sequential, so a
        model learned from a list of events and extended with more equals one learned from them all."""
        for event in events:
            dish = table.get(event.dish)
            if dish is not None:
                self.update(dish, event.kind)
        return self

    def copy(self) -> TasteModel:
        """An independent copy (a cached model is never handed out to be changed)."""
        return TasteModel(dict(self.mean), dict(self.precision), self.events, list(self.chosen))

    def update(self, dish: Dish, kind: FeedbackKind) -> None:
        """One Laplace step of online Bayesian logistic regression on ``dish``'s features."""
        label, weight = EVENT_SIGNAL[kind]
        x = dish_features(dish)
        mean, precision = self.mean, self.precision
        p = _sigmoid(sum(mean.get(f, 0.0) * v for f, v in x.items()))
        # (y − p)·x/q and x²·p(1 − p) as written in the module docstring, in the same order of operations;
        # the names are bound once because a model is relearned from up to 500 events on every request.
        step = weight * (label - p)
        for name, value in x.items():
            q = precision.get(name, PRIOR_PRECISION)
            mean[name] = mean.get(name, 0.0) + step * value / q
            precision[name] = q + weight * value * value * p * (1 - p)
        self.events += 1
        if label == 1:
            if dish.name in self.chosen:
                self.chosen.remove(dish.name)
            self.chosen.append(dish.name)

    def utility(self, dish: Dish) -> tuple[float, float]:
        """Mean and variance of the learned utility of ``dish`` (0 and the prior variance when unknown)."""
        x = dish_features(dish)
        mean = sum(self.mean.get(f, 0.0) * v for f, v in x.items())
        variance = sum(v * v / self.precision.get(f, PRIOR_PRECISION) for f, v in x.items())
        return mean, variance

    def score(self, dish: Dish, rng: random.Random | None = None) -> float:
        """How much this person would want ``dish``, in (0, 1): σ of the mean utility, or of a Thompson draw
        from its posterior when ``rng`` is given (exploration where the model is unsure)."""
        mean, variance = self.utility(dish)
        if rng is not None:
            mean = rng.gauss(mean, math.sqrt(variance) * EXPLORATION)
        return _sigmoid(mean)

    def draw(self, dish: Dish, z: float) -> float:
        """``score`` with a Thompson draw given as a standard-normal ``z`` (the recommender derives it
        from the list's seed and the dish's name, so the same seed gives the same draw)."""
        mean, variance = self.utility(dish)
        return _sigmoid(mean + z * math.sqrt(variance) * EXPLORATION)

    def because(self, dish: Dish, table: FoodTable | Callable[[str], Dish | None]) -> tuple[str, str] | None:
        """The feature that lifts ``dish`` most and the latest dish the person chose that shares it — the
        grounds for 「지난번에 고르신 제육볶음처럼 매콤한 요리예요」 — or None when nothing learned lifts it."""
        x = dish_features(dish)
        lifts = sorted(((self.mean.get(f, 0.0) * v, f) for f, v in x.items()), reverse=True)
        for lift, name in lifts:
            if lift <= MIN_LIFT:
                return None
            find = table if callable(table) else table.get
            for chosen in reversed(self.chosen):
                other = find(chosen)
                if chosen != dish.name and other is not None and name in dish_features(other):
                    return chosen, name
        return None

    def top_features(self, n: int = 5) -> list[tuple[str, float]]:
        """The strongest learned likes and dislikes (for the preferences panel), strongest first; among
        equally strong ones (one event lifts every feature of its dish alike) the more telling kind first
        (``PANEL_ORDER``: 매콤한 돼지고기 before 한식), so a dish's ~11 features do not crowd out its taste."""
        ranked = sorted(self.mean.items(), key=lambda item: (-round(abs(item[1]), 3), _panel_rank(item[0]), item[0]))
        return [(name, round(value, 3)) for name, value in ranked[:n] if abs(value) > MIN_LIFT]


EXPLORATION = 0.5
"""Thompson draws use half the posterior's standard deviation: enough to try a new kind now and then,
not so much that a clear taste is drowned by noise."""
MIN_LIFT = 0.04
"""A learned lift below this is noise, not a taste worth saying out loud. One strong choice of a dish with
~11 features (value 1/√11 ≈ 0.30 each) lifts each by 0.5 · 0.30² ≈ 0.045: enough to point back to it."""


PANEL_ORDER = ("combo", "protein", "tag", "category", "cuisine", "ingredient")
"""Feature kinds from the most to the least telling about a taste."""


def _panel_rank(feature: str) -> int:
    kind = feature.partition(":")[0]
    return PANEL_ORDER.index(kind) if kind in PANEL_ORDER else len(PANEL_ORDER)


def _sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    z = math.exp(value)
    return z / (1.0 + z)
