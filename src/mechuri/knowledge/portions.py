"""What people say instead of a table row: generic names (피자, 치킨 …) and units (한 마리, 한 조각 …).

* ``GENERIC_NAMES``: a word that names a kind of dish, not one dish, resolves to a representative dish of
  the table; the answer says which (「치킨은 후라이드치킨 기준으로 …」) and lists the variants.
* ``unit_grams``: how many grams one unit of a dish is. Per-dish rows in ``data/units.csv`` win over the
  rules by category below; a unit that fits neither is unknown for that dish (the answer says so instead
  of silently using one serving).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from mechuri.knowledge.foods import Dish

UNITS_PATH = Path(__file__).parent / "data" / "units.csv"

GENERIC_NAMES: dict[str, tuple[str, tuple[str, ...]]] = {
    "치킨": ("후라이드치킨", ("양념치킨", "간장치킨", "반반치킨", "순살치킨", "마늘치킨")),
    "통닭": ("후라이드치킨", ("양념치킨", "간장치킨", "반반치킨")),
    "피자": ("콤비네이션피자", ("페퍼로니피자", "불고기피자", "포테이토피자", "치즈피자")),
    "파스타": ("토마토스파게티", ("크림파스타", "까르보나라", "로제파스타", "알리오올리오")),
    "샌드위치": ("햄치즈샌드위치", ("에그마요샌드위치", "참치샌드위치", "클럽샌드위치", "비엘티샌드위치")),
    "삼각김밥": ("참치마요삼각김밥", ("전주비빔삼각김밥", "불고기삼각김밥")),
    "국밥": ("돼지국밥", ("순댓국", "소머리국밥", "콩나물국밥", "굴국밥", "따로국밥")),
    "버거": ("햄버거", ("불고기버거", "치즈버거", "새우버거", "치킨버거")),
    "케이크": ("생크림케이크", ("치즈케이크", "초코케이크")),
    "커피": ("아메리카노", ("카페라테", "콜드브루")),
    "도시락": ("편의점도시락", ("현미닭가슴살도시락",)),
    "덮밥": ("제육덮밥", ("회덮밥", "김치덮밥", "오삼불고기덮밥")),
}
"""generic word → (representative dish, variants). Every name must be a dish of the table (tests check)."""

UNITS = ("인분", "그릇", "접시", "공기", "마리", "조각", "피스", "판", "개", "줄", "잔", "컵", "캔", "병", "봉지", "봉",
         "팩", "장", "쪽", "알", "통")

_BOWL = {"찌개", "탕", "국", "전골", "면", "밥", "덮밥", "죽", "수프", "파스타"}
_PLATE = {"볶음", "구이", "찜", "조림", "튀김", "전", "분식", "회", "초밥", "샐러드", "반찬", "고기", "만두", "덮밥", "밥",
          "파스타", "기타", "도시락", "간편식"}
_DRINK = {"음료"}


@dataclass(frozen=True)
class Portion:
    """``count`` × ``unit`` of a dish: how many table servings that is, or unknown (``servings`` None)."""

    count: float
    unit: str
    grams: float | None
    servings: float | None

    @property
    def known(self) -> bool:
        return self.servings is not None


@lru_cache(maxsize=1)
def _unit_rows() -> dict[tuple[str, str], float]:
    with UNITS_PATH.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {(row["dish"].strip(), row["unit"].strip()): float(row["grams"]) for row in rows}


def unit_rows() -> dict[tuple[str, str], float]:
    """The per-dish units of ``data/units.csv``: (dish, unit) → grams."""
    return dict(_unit_rows())


def unit_grams(dish: Dish, unit: str) -> float | None:
    """Grams of one ``unit`` of ``dish``, or None when the unit does not fit that dish."""
    unit = {"피스": "조각", "봉": "봉지"}.get(unit, unit)
    explicit = _unit_rows().get((dish.name, unit))
    if explicit is not None:
        return explicit
    if unit == "인분":
        return dish.serving_g
    category = dish.category
    if unit == "그릇" and category in _BOWL:
        return dish.serving_g
    if unit == "접시" and category in _PLATE:
        return dish.serving_g
    if unit in ("잔", "컵") and category in _DRINK:
        return dish.serving_g
    if unit == "줄" and dish.name.endswith("김밥") and "삼각" not in dish.name:
        return dish.serving_g
    if unit == "개" and category in ("버거", "샌드위치", "빵", "디저트", "간편식"):
        return dish.serving_g
    if unit in ("조각", "판") and category == "피자":
        return dish.serving_g / 2 if unit == "조각" else dish.serving_g * 4  # a serving is 2 of 8 slices
    if unit == "마리" and category == "치킨" and dish.serving_g >= 250:
        return dish.serving_g * 2  # the table's chicken serving is half a bird
    if unit == "조각" and category == "치킨" and dish.serving_g >= 250:
        return dish.serving_g / 4  # half a bird is about four pieces
    if unit == "장" and category == "전":
        return dish.serving_g
    return None


def portion(dish: Dish, count: float, unit: str) -> Portion:
    """``count`` ``unit`` of ``dish`` (「양념치킨 한 마리」 → 2 servings); an unknown unit keeps ``servings``
    None so the caller can say it, not ignore it."""
    grams = unit_grams(dish, unit) if unit else dish.serving_g
    if grams is None:
        return Portion(count, unit, None, None)
    return Portion(count, unit, grams * count, round(grams * count / dish.serving_g, 2))
