"""Understanding Korean chat messages: intents, slots, preference and meal statements, food mentions."""

from mechuri.nlu.model import FoodMention, MealStatement, PreferenceStatement, Slots, Understanding
from mechuri.nlu.understand import understand

__all__ = ["FoodMention", "MealStatement", "PreferenceStatement", "Slots", "Understanding", "understand"]
