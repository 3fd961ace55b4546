"""The Korean food table: one ``Dish`` per menu, loaded from the CSV parts shipped in the package."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from mechuri.knowledge.vocab import NUTRIENT_FIELDS

FOODS_DIR = Path(__file__).parent / "data" / "foods"

_INT_FIELDS = ("sodium_mg",)
_FLOAT_FIELDS = ("serving_g", "kcal", "carbohydrate_g", "sugar_g", "protein_g", "fat_g", "saturated_fat_g",
                 "fiber_g")
_LIST_FIELDS = ("aliases", "meals", "tags", "ingredients", "allergens")


class FoodTableError(ValueError):
    """A row of the food table cannot be read (a missing column, a number that is not a number …)."""


@dataclass(frozen=True, slots=True)
class Dish:
    """One menu as served to one person, with its nutrition per serving."""

    name: str
    aliases: tuple[str, ...]
    cuisine: str
    category: str
    meals: tuple[str, ...]
    tags: tuple[str, ...]
    ingredients: tuple[str, ...]
    allergens: tuple[str, ...]
    serving_g: float
    kcal: float
    carbohydrate_g: float
    sugar_g: float
    protein_g: float
    fat_g: float
    saturated_fat_g: float
    sodium_mg: float
    fiber_g: float
    source: str
    estimated: bool
    notes: str = ""

    def nutrition(self, servings: float = 1.0) -> dict[str, float]:
        """Nutrition for ``servings`` servings, rounded as a label would show it."""
        values: dict[str, float] = {}
        for field in NUTRIENT_FIELDS:
            value = getattr(self, field) * servings
            values[field] = round(value) if field in ("kcal", "sodium_mg") else round(value, 1)
        return values

    def to_dict(self, servings: float = 1.0) -> dict[str, Any]:
        """The stable JSON shape other tools rely on (see ARCHITECTURE's contracts)."""
        data = asdict(self)
        for key in _LIST_FIELDS:
            data[key] = list(data[key])
        data.update(self.nutrition(servings))
        data["serving_g"] = round(self.serving_g * servings)
        data["servings"] = servings
        return data


def _parse_row(row: dict[str, str], where: str) -> Dish:
    try:
        values: dict[str, Any] = {key: (row.get(key) or "").strip() for key in Dish.__dataclass_fields__}
        for key in _LIST_FIELDS:
            values[key] = tuple(part.strip() for part in values[key].split("|") if part.strip())
        for key in _FLOAT_FIELDS:
            values[key] = float(values[key])
        for key in _INT_FIELDS:
            values[key] = float(int(float(values[key])))
        values["estimated"] = values["estimated"] in ("1", "true", "True", "yes")
    except ValueError as exc:
        raise FoodTableError(f"{where}: {exc}") from exc
    if not values["name"]:
        raise FoodTableError(f"{where}: empty name")
    return Dish(**values)


def read_food_csv(path: Path) -> list[Dish]:
    """All dishes of one CSV part, in file order."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = set(Dish.__dataclass_fields__) - {"notes"} - set(reader.fieldnames or ())
        if missing:
            raise FoodTableError(f"{path.name}: missing columns {sorted(missing)}")
        return [_parse_row(row, f"{path.name}:{line}") for line, row in enumerate(reader, start=2)]


class FoodTable:
    """Every dish mechuri knows, by name; iteration order is stable (file name, then row)."""

    def __init__(self, dishes: list[Dish]) -> None:
        self.dishes: tuple[Dish, ...] = tuple(dishes)
        self._by_name = {dish.name: dish for dish in self.dishes}

    @classmethod
    def from_dir(cls, folder: Path = FOODS_DIR) -> FoodTable:
        parts = sorted(folder.glob("*.csv"))
        if not parts:
            raise FoodTableError(f"no food table parts (*.csv) in {folder}")
        return cls([dish for part in parts for dish in read_food_csv(part)])

    def __len__(self) -> int:
        return len(self.dishes)

    def __iter__(self) -> Iterator[Dish]:
        return iter(self.dishes)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def get(self, name: str) -> Dish | None:
        """The dish with exactly this canonical name (use ``FoodLookup`` for what people type)."""
        return self._by_name.get(name)

    def __getitem__(self, name: str) -> Dish:
        return self._by_name[name]


@lru_cache(maxsize=1)
def load_food_table() -> FoodTable:
    """The table shipped with mechuri, read once per process."""
    return FoodTable.from_dir()
