"""The structured result of one chat turn: what mechuri decided, and the Korean reply that says it.

Every writer (grounded or LLM) renders a ``Turn``; the web API and ``mechuri ask --json`` return it as
JSON. The field names below are a contract (see ARCHITECTURE.md): add fields, never rename them.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from mechuri.knowledge.foods import Dish
from mechuri.nlu.model import Intent


class DishFacts(BaseModel):
    """A dish and its nutrition for the servings in question, always copied from the food table."""

    name: str
    cuisine: str
    category: str
    servings: float = 1.0
    serving_g: float
    kcal: float
    carbohydrate_g: float
    sugar_g: float
    protein_g: float
    fat_g: float
    saturated_fat_g: float
    sodium_mg: float
    fiber_g: float
    allergens: list[str]
    tags: list[str]
    estimated: bool = False

    @classmethod
    def from_dish(cls, dish: Dish, servings: float = 1.0) -> DishFacts:
        data = dish.to_dict(servings)
        return cls(**{key: data[key] for key in cls.model_fields})


class Recommendation(DishFacts):
    """A recommended dish with the grounded reasons it was chosen."""

    reason: str = Field(description="One short Korean sentence built from the numbers.")
    reasons: list[str] = Field(default_factory=list)
    score: float = 0.0


class Caution(BaseModel):
    """A dish the turn talks about (asked about, or logged as eaten) that the user must not (allergy) or
    does not (diet) eat. Nothing filtered it out, so the reply warns; recommendations never need one."""

    dish: str
    kind: Literal["allergy", "diet"]
    word: str


class NutritionAnswer(BaseModel):
    """The answer to "X 칼로리 얼마야?": the dish found (or not) and which nutrients were asked.

    「김치찌개랑 된장찌개 중에 뭐가 더 칼로리 낮아?」 names more than one dish: ``dish`` is the first found,
    ``compared`` the others found, ``not_found`` the names the table does not have, and ``compare`` says
    the user asked which has more or less (the reply then states the differences).
    """

    query: str
    found: bool
    dish: DishFacts | None = None
    nutrients: list[str] = Field(default_factory=list)
    suggestions: list[str] = Field(default_factory=list)
    compared: list[DishFacts] = Field(default_factory=list)
    not_found: list[str] = Field(default_factory=list)
    compare: bool = False

    @property
    def dishes(self) -> list[DishFacts]:
        """Every dish found, the first one first."""
        return [self.dish, *self.compared] if self.dish is not None else []


class PreferenceChange(BaseModel):
    action: Literal["added", "removed", "kept"]
    kind: str
    value: str


class LoggedMeal(DishFacts):
    """A meal written to the user's log in this turn."""

    id: int
    meal: str
    eaten_at: str


class QAAnswer(BaseModel):
    """A cooking or food question answered from the bundled Q&A collection."""

    id: str
    question: str
    answer: str
    score: float


class Turn(BaseModel):
    """One answered message."""

    reply: str
    intent: Intent
    intents: list[Intent] = Field(default_factory=list)
    recommendations: list[Recommendation] = Field(default_factory=list)
    nutrition: NutritionAnswer | None = None
    qa: QAAnswer | None = None
    preferences_changed: list[PreferenceChange] = Field(default_factory=list)
    meal_logged: list[LoggedMeal] = Field(default_factory=list)
    plan: list[dict[str, Any]] | None = None
    intake: dict[str, Any] | None = Field(
        default=None, description="「오늘 뭐 먹었지?」: the day's meals, totals and targets (conversation/intake.py).")
    cautions: list[Caution] = Field(
        default_factory=list, description="The user's allergies and diets that a dish asked about or logged breaks.")
    message_id: int | None = None
    reply_id: int | None = None
    meta: dict[str, Any] = Field(default_factory=dict)
