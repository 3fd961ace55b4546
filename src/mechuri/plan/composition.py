"""What one planned meal may hold: the role each dish plays on a Korean table, and which dishes need rice.

A plan of single dishes would be wrong in two ways: 김치찌개 or 제육볶음 alone is not how anyone eats them
(the table's notes say 「공깃밥 미포함」, 「밥 제외」), and energy would move in steps of one whole dish. So a
meal is a main dish, plus a bowl of rice when the main is eaten with rice, plus up to two 반찬 with that
rice, plus at most one light extra (a drink, fruit, an egg, a yogurt). Rice comes in half, one and one
and a half bowls, which is how people actually adjust a Korean meal — and what lets the day land close to
its energy target without odd portions of the main dish.
"""

from __future__ import annotations

import re
from typing import Final, Literal

from mechuri.knowledge.foods import Dish

Role = Literal["main", "rice", "side", "extra"]

STAPLE_RICE: Final[frozenset[str]] = frozenset({"흰쌀밥", "현미밥", "잡곡밥", "오곡밥", "즉석밥", "곤약밥"})
"""A plain bowl of rice: the staple beside a rice-eaten main, never a main of its own in a plan."""

STAPLES: Final[frozenset[str]] = STAPLE_RICE | {"배추김치", "깍두기"}
"""Dishes a Korean table repeats every day; the no-repeat rule of a week plan does not count them."""

RICE_SERVINGS: Final[tuple[float, ...]] = (0.5, 1.0, 1.5)
"""반 공기, 한 공기, 한 공기 반."""

EXTRA_CATEGORIES: Final[frozenset[str]] = frozenset({"디저트", "기타", "간편식"})
EXTRA_MAX_KCAL: Final = 160.0
"""Small items of these categories (바나나, 사과, 삶은계란, 요거트, 컵과일 …) are add-ons, not meals."""

LIGHT_MEALS: Final[frozenset[str]] = frozenset({"간식", "야식"})
"""Meals made of one or two light items rather than a main dish with rice."""

MAX_SIDES: Final = 2
MAX_EXTRAS_MAIN_MEAL: Final = 1
MAX_EXTRAS_LIGHT_MEAL: Final = 2

RICE_EATEN_CATEGORIES: Final[frozenset[str]] = frozenset(
    {"찌개", "국", "탕", "전골", "찜", "조림", "구이", "볶음", "고기"}
)
"""Korean dishes of these categories are eaten with rice unless their notes say rice is included."""

_RICE_LEFT_OUT = re.compile(r"공깃밥[^;,]{0,10}?(제외|미포함|별도)|(?<![가-힣])밥\s*(제외|미포함|별도)")
_RICE_INCLUDED = re.compile(r"(공깃밥|밥)[^;]{0,6}?(포함|없음)")


SUGARY_DRINK_MIN_SUGAR_G: Final = 20.0
"""A drink with this much sugar a serving (콜라 38 g, 레몬에이드 38 g, 바닐라라테 30 g) is never planned: it
would fill an energy gap with added sugar, the opposite of a balanced day (KDRI/WHO: < 10 % of energy).
Milk, 두유, 아메리카노 and 녹차 stay. A user who names one as a fixed meal still gets it."""


def is_sugary_drink(dish: Dish) -> bool:
    """Whether ``dish`` is a sweetened drink that a plan must not add on its own."""
    return dish.category == "음료" and dish.sugar_g >= SUGARY_DRINK_MIN_SUGAR_G


def dish_role(dish: Dish) -> Role:
    """The part ``dish`` plays in a planned meal (see the module docstring)."""
    if dish.name in STAPLE_RICE:
        return "rice"
    if dish.category == "반찬":
        return "side"
    if dish.category == "음료" or (dish.category in EXTRA_CATEGORIES and dish.kcal <= EXTRA_MAX_KCAL):
        return "extra"
    return "main"


def needs_rice(dish: Dish) -> bool:
    """Whether ``dish`` is eaten with a bowl of rice: its notes leave rice out, or it is a Korean
    soup, stew or side-like main whose notes do not say rice is already in it."""
    if dish_role(dish) != "main":
        return False
    if _RICE_LEFT_OUT.search(dish.notes):
        return True
    if _RICE_INCLUDED.search(dish.notes):
        return False
    return dish.cuisine == "한식" and dish.category in RICE_EATEN_CATEGORIES


def is_staple(name: str) -> bool:
    """Whether the dish may appear on every day of a week plan."""
    return name in STAPLES
