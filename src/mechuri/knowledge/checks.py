"""Data checks for the food table: the rules in ``docs/food-table.md`` as code.

The tests run these over the shipped table, and ``mechuri food check`` runs them over any folder, so
a contributor adding rows sees every problem at once rather than one failing assertion at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mechuri.knowledge.foods import Dish
from mechuri.knowledge.vocab import (
    ALLERGENS,
    ANIMAL_FLESH_ALLERGENS,
    ANIMAL_PRODUCT_ALLERGENS,
    CATEGORIES,
    CUISINES,
    INGREDIENT_ALLERGENS,
    MEALS,
    TAGS,
)

HIGH_PROTEIN_G = 20
LOW_CALORIE_KCAL = 400
LOW_SODIUM_MG = 800


@dataclass(frozen=True)
class DataProblem:
    """One broken rule on one dish."""

    dish: str
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.dish}: [{self.rule}] {self.detail}"


def energy_from_macros(dish: Dish) -> float:
    """Atwater energy: 4 kcal/g carbohydrate and protein, 9 kcal/g fat."""
    return 4 * dish.carbohydrate_g + 4 * dish.protein_g + 9 * dish.fat_g


def check_energy(dish: Dish) -> Iterable[DataProblem]:
    computed = energy_from_macros(dish)
    tolerance = max(0.15 * dish.kcal, 40)
    if abs(dish.kcal - computed) > tolerance:
        yield DataProblem(dish.name, "energy",
                          f"kcal {dish.kcal:g} vs 4C+4P+9F = {computed:.0f} (tolerance {tolerance:.0f})")


def check_ranges(dish: Dish) -> Iterable[DataProblem]:
    bounds = {"serving_g": (20, 1500), "kcal": (5, 2500), "sodium_mg": (0, 6000)}
    for field, (low, high) in bounds.items():
        value = getattr(dish, field)
        if not low <= value <= high:
            yield DataProblem(dish.name, "range", f"{field} {value:g} outside {low}–{high}")
    for field in ("carbohydrate_g", "sugar_g", "protein_g", "fat_g", "saturated_fat_g", "fiber_g"):
        value = getattr(dish, field)
        if value < 0 or value > dish.serving_g:
            yield DataProblem(dish.name, "range", f"{field} {value:g} outside 0–serving ({dish.serving_g:g} g)")
    if dish.sugar_g > dish.carbohydrate_g:
        yield DataProblem(dish.name, "range", "sugar exceeds carbohydrate")
    if dish.fiber_g > dish.carbohydrate_g:
        yield DataProblem(dish.name, "range", "fiber exceeds carbohydrate")
    if dish.saturated_fat_g > dish.fat_g:
        yield DataProblem(dish.name, "range", "saturated fat exceeds fat")


def check_vocabulary(dish: Dish) -> Iterable[DataProblem]:
    if dish.cuisine not in CUISINES:
        yield DataProblem(dish.name, "vocabulary", f"cuisine {dish.cuisine!r}")
    if dish.category not in CATEGORIES:
        yield DataProblem(dish.name, "vocabulary", f"category {dish.category!r}")
    if not dish.meals:
        yield DataProblem(dish.name, "vocabulary", "no meals")
    for field, vocabulary in (("meals", MEALS), ("tags", TAGS), ("allergens", ALLERGENS)):
        for word in getattr(dish, field):
            if word not in vocabulary:
                yield DataProblem(dish.name, "vocabulary", f"{field} has {word!r}")
    if not dish.ingredients:
        yield DataProblem(dish.name, "vocabulary", "no ingredients")
    if not dish.source:
        yield DataProblem(dish.name, "vocabulary", "no source")


def implied_allergens(dish: Dish) -> set[str]:
    """Allergens the listed ingredients imply, minus those the notes explain away ("밀 없음")."""
    implied = {allergen for ingredient in dish.ingredients for allergen in INGREDIENT_ALLERGENS.get(ingredient, ())}
    return {allergen for allergen in implied if f"{allergen} 없음" not in dish.notes}


def check_allergens(dish: Dish) -> Iterable[DataProblem]:
    missing = implied_allergens(dish) - set(dish.allergens)
    if missing:
        yield DataProblem(dish.name, "allergen", f"ingredients imply {sorted(missing)} but allergens omit them")


def check_derived_tags(dish: Dish) -> Iterable[DataProblem]:
    tags = set(dish.tags)
    allergens = set(dish.allergens)
    if "고단백" in tags and dish.protein_g < HIGH_PROTEIN_G:
        yield DataProblem(dish.name, "tag", f"고단백 but protein {dish.protein_g:g} g")
    if "저칼로리" in tags and dish.kcal > LOW_CALORIE_KCAL:
        yield DataProblem(dish.name, "tag", f"저칼로리 but {dish.kcal:g} kcal")
    if "저염" in tags and dish.sodium_mg > LOW_SODIUM_MG:
        yield DataProblem(dish.name, "tag", f"저염 but sodium {dish.sodium_mg:g} mg")
    if "비건" in tags and ("채식가능" not in tags or allergens & ANIMAL_PRODUCT_ALLERGENS):
        yield DataProblem(dish.name, "tag", "비건 needs 채식가능 and no animal-product allergen")
    if "채식가능" in tags and allergens & ANIMAL_FLESH_ALLERGENS:
        yield DataProblem(dish.name, "tag", f"채식가능 but allergens {sorted(allergens & ANIMAL_FLESH_ALLERGENS)}")


def _spaceless(text: str) -> str:
    return "".join(text.split())


def check_unique_names(dishes: Iterable[Dish]) -> Iterable[DataProblem]:
    """Every name and alias, compared without spaces, must point at exactly one dish."""
    owner: dict[str, str] = {}
    for dish in dishes:
        seen_here: set[str] = set()
        for word in (dish.name, *dish.aliases):
            key = _spaceless(word)
            if key in seen_here:
                continue
            seen_here.add(key)
            if key in owner:
                yield DataProblem(dish.name, "unique", f"{word!r} already names {owner[key]!r}")
            else:
                owner[key] = dish.name


PER_DISH_CHECKS = (check_energy, check_ranges, check_vocabulary, check_allergens, check_derived_tags)


def check_dishes(dishes: Iterable[Dish]) -> list[DataProblem]:
    """Every problem in the table, per-dish rules first, then uniqueness across the table."""
    dishes = list(dishes)
    problems = [problem for dish in dishes for check in PER_DISH_CHECKS for problem in check(dish)]
    problems.extend(check_unique_names(dishes))
    return problems
