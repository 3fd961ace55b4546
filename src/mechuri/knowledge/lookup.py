"""Finding a dish from what a person typed: exact, alias, spacing-insensitive, then fuzzy on jamo.

A wrong dish said with confidence is worse than "not found": a fuzzy match is accepted only when it is
close on the keys typed (jamo), the query is long enough to judge, and no other dish is nearly as close.
Otherwise the caller gets suggestions to offer instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz, process

from mechuri.knowledge.foods import Dish, FoodTable, load_food_table
from mechuri.knowledge.hangul import normalize_key, to_jamo
from mechuri.knowledge.portions import GENERIC_NAMES

MatchKind = Literal["exact", "alias", "fuzzy"]

FUZZY_ACCEPT = 87.0
"""Jamo similarity (0–100) a fuzzy match needs: 떡복이→떡볶이 scores 95, 김치찜→김치찌개 only 80."""
FUZZY_MARGIN = 4.0
"""How much the best dish must beat the runner-up, so an ambiguous typo is not resolved by chance."""
FUZZY_MIN_JAMO = 5
"""Queries shorter than this (in jamo) are too short to fuzzy-match safely (밥 ≠ 빵)."""
SUGGEST_MIN = 60.0


@dataclass(frozen=True)
class LookupResult:
    """What a query resolved to: a dish and how, or nothing and the closest dishes to offer."""

    query: str
    dish: Dish | None
    match: MatchKind | None
    score: float
    suggestions: tuple[str, ...] = field(default=())

    @property
    def found(self) -> bool:
        return self.dish is not None


class FoodLookup:
    """Resolves typed dish names against a ``FoodTable``."""

    def __init__(self, table: FoodTable) -> None:
        self.table = table
        self._keys: dict[str, tuple[str, MatchKind]] = {}
        for dish in table:
            self._keys.setdefault(normalize_key(dish.name), (dish.name, "exact"))
        for dish in table:
            for alias in dish.aliases:
                self._keys.setdefault(normalize_key(alias), (dish.name, "alias"))
        self._jamo_keys = list(self._keys)
        self._jamo_choices = [to_jamo(key) for key in self._jamo_keys]

    def exact(self, text: str) -> Dish | None:
        """The dish whose name or alias equals ``text`` ignoring spaces and case, else None."""
        hit = self._keys.get(normalize_key(text))
        return self.table[hit[0]] if hit else None

    def representative(self, text: str) -> Dish | None:
        """The dish a generic name stands for (치킨 → 후라이드치킨), when ``text`` is one and no dish is named
        so; see ``portions.GENERIC_NAMES``."""
        key = normalize_key(text)
        if key in self._keys or key not in GENERIC_NAMES:
            return None
        return self.table.get(GENERIC_NAMES[key][0])

    def variants(self, text: str) -> tuple[str, ...]:
        """The other dishes a generic name covers (치킨 → 양념치킨, 간장치킨 …), those the table has."""
        names = GENERIC_NAMES.get(normalize_key(text), ("", ()))[1]
        return tuple(name for name in names if name in self.table)

    def kinds(self, text: str, limit: int = 3) -> tuple[str, ...]:
        """What to offer for a generic name (치킨 → 후라이드치킨, 양념치킨, 간장치킨): the representative first, then
        its variants; empty when ``text`` is not a generic name."""
        standing = self.representative(text)
        return (standing.name, *self.variants(text))[:limit] if standing is not None else ()

    def _ranked(self, key: str, limit: int) -> list[tuple[str, float]]:
        """Distinct dish names ranked by the best jamo similarity of any of their names or aliases."""
        scored = process.extract(to_jamo(key), self._jamo_choices, scorer=fuzz.ratio, limit=limit * 4)
        best: dict[str, float] = {}
        for _choice, score, index in scored:
            name = self._keys[self._jamo_keys[index]][0]
            best[name] = max(best.get(name, 0.0), float(score))
        return sorted(best.items(), key=lambda item: (-item[1], item[0]))[:limit]

    def resolve(self, text: str, *, suggestions: int = 3) -> LookupResult:
        """Find the one dish ``text`` means, or say it is not known and suggest close ones."""
        key = normalize_key(text)
        if not key:
            return LookupResult(text, None, None, 0.0)
        hit = self._keys.get(key)
        if hit:
            return LookupResult(text, self.table[hit[0]], hit[1], 100.0)
        ranked = self._ranked(key, max(suggestions, 2))
        if ranked:
            best_name, best_score = ranked[0]
            runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
            confident = (best_score >= FUZZY_ACCEPT and best_score - runner_up >= FUZZY_MARGIN
                         and len(to_jamo(key)) >= FUZZY_MIN_JAMO)
            if confident:
                return LookupResult(text, self.table[best_name], "fuzzy", best_score)
        said = set(key)
        # a suggestion shares a syllable with what was typed: jamo similarity alone offers 깨죽 for 맥주
        close = tuple(name for name, score in ranked[:suggestions] if score >= SUGGEST_MIN and said & set(name))
        return LookupResult(text, None, None, ranked[0][1] if ranked else 0.0, close)

    def search(self, text: str, *, limit: int = 20) -> list[Dish]:
        """Dishes related to ``text``, best first: named exactly so, of that category or cuisine, a name
        containing it, an alias containing it, a tag or ingredient equal to it, then the closest fuzzy
        matches — for ``mechuri food search``."""
        key = normalize_key(text)
        if not key:
            return []
        scored: dict[str, float] = {}
        for dish in self.table:
            aliases = [normalize_key(alias) for alias in dish.aliases]
            name = normalize_key(dish.name)
            if key == name or key in aliases:
                scored[dish.name] = 300
            elif key in (dish.category, dish.cuisine):
                scored[dish.name] = 220
            elif key in name:
                scored[dish.name] = 200 - len(name) / 100  # shorter names are closer to what was asked
            elif any(key in alias for alias in aliases):
                scored[dish.name] = 150
            elif text.strip() in dish.tags or key in dish.ingredients:
                scored[dish.name] = 100
        if len(scored) < limit:
            for name, score in self._ranked(key, limit):
                if score >= SUGGEST_MIN:
                    scored.setdefault(name, score / 2)
        ordered = sorted(scored.items(), key=lambda item: (-item[1], item[0]))
        return [self.table[name] for name, _ in ordered[:limit]]


@lru_cache(maxsize=1)
def default_lookup() -> FoodLookup:
    """A lookup over the shipped food table, built once per process."""
    return FoodLookup(load_food_table())
