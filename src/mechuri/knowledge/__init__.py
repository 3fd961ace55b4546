"""What mechuri knows about food: the dish table, lookup of typed names, and nutrition targets."""

from mechuri.knowledge.foods import Dish, FoodTable, load_food_table
from mechuri.knowledge.lookup import FoodLookup, LookupResult, default_lookup

__all__ = ["Dish", "FoodLookup", "FoodTable", "LookupResult", "default_lookup", "load_food_table"]
