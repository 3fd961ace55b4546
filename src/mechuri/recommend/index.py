"""A per-table index of dish features, built once so that one ``recommend()`` call costs milliseconds.

Term sets, diet verdicts and meal suitability depend only on the table, not on the request; computing
them for ~450 dishes on every chat turn would dominate the recommender's time. ``DishIndex.of`` keeps
the last few indexes keyed by the identity of the table and checks that the dishes are still the same
objects, so a rebuilt or edited table is never answered from a stale index.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from mechuri.knowledge.foods import Dish
from mechuri.knowledge.hangul import normalize_key
from mechuri.knowledge.vocab import DIETS, MEALS
from mechuri.recommend.diets import RULE_DIETS, fails_rule_diet
from mechuri.recommend.terms import MIN_SUBSTRING, DishTerms, MatchMode, build_dish_terms, expand_term

LOW_SODIUM_MAX_MG = 800.0
"""저염: sodium per serving, the same line the table's 저염 tag uses (docs/food-table.md)."""
LOW_CARB_MAX_G = 45.0
LOW_CARB_MAX_ENERGY_SHARE = 0.40
"""저탄수: at most 45 g carbohydrate and at most 40 % of the dish's energy from it — both, so that
neither a tiny sweet snack nor a huge low-ratio plate passes."""
DIABETES_SUGAR_MAX_G = 15.0
DIABETES_CARB_MAX_G = 80.0
"""당뇨관리: at most 15 g sugars and 80 g carbohydrate per dish, keeping one meal's glycaemic load modest."""

_TERM_CACHE_LIMIT = 4096
_INDEX_CACHE_LIMIT = 4


def _fails_diet(dish: Dish, terms: DishTerms, diet: str) -> bool:
    """Whether ``dish`` breaks ``diet``; the thresholds are documented above."""
    if diet == "채식":
        return "채식가능" not in dish.tags or bool(terms.cautious & _FLESH)
    if diet == "비건":
        return "비건" not in dish.tags or bool(terms.cautious & _ANIMAL_PRODUCTS)
    if diet == "저염":
        return dish.sodium_mg > LOW_SODIUM_MAX_MG
    if diet == "저탄수":
        return (dish.carbohydrate_g > LOW_CARB_MAX_G
                or 4 * dish.carbohydrate_g > LOW_CARB_MAX_ENERGY_SHARE * max(dish.kcal, 1.0))
    if diet == "당뇨관리":
        return dish.sugar_g > DIABETES_SUGAR_MAX_G or dish.carbohydrate_g > DIABETES_CARB_MAX_G
    if diet in RULE_DIETS:
        return fails_rule_diet(dish, terms, diet)
    raise ValueError(f"unknown diet {diet!r}")


_FLESH = frozenset({"고등어", "게", "새우", "돼지고기", "닭고기", "쇠고기", "오징어", "조개류"})
_ANIMAL_PRODUCTS = _FLESH | {"난류", "우유"}


@dataclass
class DishIndex:
    """The table's dishes with everything the constraints and scores need, by position."""

    dishes: tuple[Dish, ...]
    terms: tuple[DishTerms, ...]
    positions: dict[str, int]
    """Normalised name or alias → position."""
    everything: frozenset[int]
    meal_fit: dict[str, frozenset[int]]
    """Meal → positions of the dishes that suit it."""
    diet_failing: dict[str, frozenset[int]]
    """Diet → positions of the dishes that break it."""
    _declared: dict[str, frozenset[int]]
    """Inverted index: word → positions whose ``DishTerms.declared`` has it (``prefer`` matching)."""
    _cautious: dict[str, frozenset[int]]
    """Inverted index: word → positions whose ``DishTerms.cautious`` has it (``allergy``/``avoid``)."""
    _blob: str
    """Every dish's ``DishTerms.texts`` joined by newlines, for one substring scan over the table."""
    _starts: tuple[int, ...]
    """Offset in ``_blob`` where each dish's texts begin (position order), to map a hit to a dish."""
    _term_cache: dict[tuple[str, MatchMode], frozenset[int]]
    _set_cache: dict[tuple[str, ...], frozenset[int]]

    @classmethod
    def build(cls, dishes: Iterable[Dish]) -> DishIndex:
        """Compute every table-only feature; see the module docstring for why once."""
        ordered = tuple(dishes)
        terms = tuple(build_dish_terms(dish) for dish in ordered)
        positions: dict[str, int] = {}
        for position, dish_terms in enumerate(terms):
            for name in sorted(dish_terms.names):
                positions.setdefault(name, position)
        for position, dish in enumerate(ordered):  # canonical names win over another dish's alias
            positions[normalize_key(dish.name)] = position
        declared: dict[str, set[int]] = {}
        cautious: dict[str, set[int]] = {}
        starts: list[int] = []
        offset = 0
        for position, dish_terms in enumerate(terms):
            for word in dish_terms.declared:
                declared.setdefault(word, set()).add(position)
            for word in dish_terms.cautious:
                cautious.setdefault(word, set()).add(position)
            starts.append(offset)
            offset += len(dish_terms.texts) + 1
        return cls(
            dishes=ordered,
            terms=terms,
            positions=positions,
            everything=frozenset(range(len(ordered))),
            meal_fit={meal: frozenset(i for i, dish in enumerate(ordered) if meal in dish.meals)
                      for meal in MEALS},
            diet_failing={diet: frozenset(i for i, (dish, t) in enumerate(zip(ordered, terms, strict=True))
                                          if _fails_diet(dish, t, diet))
                          for diet in DIETS},
            _declared={word: frozenset(found) for word, found in declared.items()},
            _cautious={word: frozenset(found) for word, found in cautious.items()},
            _blob="\n".join(t.texts for t in terms),
            _starts=tuple(starts),
            _term_cache={},
            _set_cache={},
        )

    @classmethod
    def of(cls, table: Iterable[Dish]) -> DishIndex:
        """The index of ``table``, reused while the table holds the very same dishes."""
        dishes = tuple(table)
        key = id(table)
        cached = _INDEXES.get(key)
        if cached is not None and cached.dishes == dishes:
            return cached
        index = cls.build(dishes)
        if len(_INDEXES) >= _INDEX_CACHE_LIMIT:
            _INDEXES.pop(next(iter(_INDEXES)))
        _INDEXES[key] = index
        return index

    def matching(self, term: str, mode: MatchMode) -> frozenset[int]:
        """Positions of the dishes ``term`` applies to in ``mode`` (see ``terms``), cached per index."""
        key = (term, mode)
        found = self._term_cache.get(key)
        if found is None:
            found = self._scan(expand_term(term, mode), mode)
            if len(self._term_cache) >= _TERM_CACHE_LIMIT:
                self._term_cache.clear()
                self._set_cache.clear()
            self._term_cache[key] = found
        return found

    def _scan(self, atoms: frozenset[str], mode: MatchMode) -> frozenset[int]:
        """``terms.terms_match`` for every dish at once: inverted-index lookups, and for the cautious
        modes one substring scan of the whole table per atom (a group word has dozens of atoms)."""
        empty: frozenset[int] = frozenset()
        if mode == "prefer":
            return empty.union(*(self._declared.get(atom, empty) for atom in atoms))
        found = set().union(*(self._cautious.get(atom, empty) for atom in atoms))
        blob, starts = self._blob, self._starts
        for atom in atoms:
            if len(atom) < MIN_SUBSTRING:
                continue
            hit = blob.find(atom)
            while hit != -1:
                found.add(bisect_right(starts, hit) - 1)
                hit = blob.find(atom, hit + 1)
        return frozenset(found)

    def matching_any(self, terms: Iterable[str], mode: MatchMode) -> frozenset[int]:
        """Positions of the dishes any of ``terms`` applies to."""
        found: frozenset[int] = frozenset()
        for term in terms:
            found |= self.matching(term, mode)
        return found

    def tagged(self, tags: Iterable[str]) -> frozenset[int]:
        """Positions of the dishes carrying any of ``tags`` (exactly, as the table spells them)."""
        wanted = frozenset(tags)
        key = ("\x00tags", *sorted(wanted))
        found = self._set_cache.get(key)
        if found is None:
            found = frozenset(i for i, dish in enumerate(self.dishes) if wanted.intersection(dish.tags))
            self._set_cache[key] = found
        return found

    def in_categories(self, categories: Iterable[str]) -> frozenset[int]:
        """Positions of the dishes whose category is one of ``categories``."""
        wanted = frozenset(categories)
        key = ("\x00categories", *sorted(wanted))
        found = self._set_cache.get(key)
        if found is None:
            found = frozenset(i for i, dish in enumerate(self.dishes) if dish.category in wanted)
            self._set_cache[key] = found
        return found

    def named(self, names: Iterable[str]) -> frozenset[int]:
        """Positions of the dishes called (by name or alias) any of ``names``; unknown names are skipped."""
        found = (self.positions.get(normalize_key(name)) for name in names)
        return frozenset(position for position in found if position is not None)


_INDEXES: dict[int, DishIndex] = {}
