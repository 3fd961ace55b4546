"""Understanding Korean chat messages: intents, slots, preference and meal statements, food mentions."""

from mechuri.nlu.model import (
    DISH_REQUESTS,
    INTENTS,
    FoodMention,
    Intent,
    MealStatement,
    Pick,
    PlanAsk,
    PreferenceStatement,
    Slots,
    Understanding,
    YesNo,
)
from mechuri.nlu.understand import meal_at, understand

__all__ = ["DISH_REQUESTS", "INTENTS", "FoodMention", "Intent", "MealStatement", "Pick", "PlanAsk",
           "PreferenceStatement", "Slots", "Understanding", "YesNo", "meal_at", "understand"]
