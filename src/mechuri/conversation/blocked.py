"""「새우볶음밥 먹고 싶어」 with a shrimp allergy: the dish asked for by name is out, the reply says which
constraint keeps it out, and the dishes listed are the closest ones that break nothing — never a silent
swap to unrelated dishes (``recommend.similar``)."""

from __future__ import annotations

from dataclasses import replace

from mechuri.conversation.turn import BlockedDish
from mechuri.knowledge.foods import FoodTable
from mechuri.recommend import RecommendationRequest, ScoredDish
from mechuri.recommend.constraints import HardConstraints
from mechuri.recommend.similar import alternatives, blocked_dishes
from mechuri.recommend.terms import dish_matches_term


def _words(table: FoodTable, name: str, why: tuple[str, ...], hard: HardConstraints) -> list[str]:
    dish = table[name]
    words: list[str] = []
    if "allergy" in why:
        words += [w for w in hard.allergies if dish_matches_term(dish, w, "allergy")]
    if "excluded" in why:
        words += [w for w in hard.excluded if dish_matches_term(dish, w, "avoid")]
    words += [c.removeprefix("diet:") for c in why if c.startswith("diet:")]
    return list(dict.fromkeys(words))


def check_asked(table: FoodTable, request: RecommendationRequest, hard: HardConstraints,
                ) -> tuple[RecommendationRequest, list[BlockedDish], list[ScoredDish] | None]:
    """The request without the forbidden dishes it names, those dishes with why, and — when every dish
    named is forbidden — the close alternatives to list instead of the usual recommendation (else None)."""
    named = sorted(name for name in request.wanted_dishes if table.get(name) is not None)
    found = blocked_dishes(table, request, named)
    if not found:
        return request, [], None
    blocked = [BlockedDish(name=b.name, why=list(b.constraints), words=_words(table, b.name, b.constraints, hard))
               for b in found]
    out = {b.name for b in found}
    kept = replace(request, wanted_dishes=request.wanted_dishes - out)
    if any(name not in out for name in named):
        return kept, blocked, None
    return kept, blocked, alternatives(table, kept, [table[name] for name in sorted(out)], k=request.k)
