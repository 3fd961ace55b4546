"""What mechuri remembers about a user: preferences, meals eaten, recent menus, and their targets.

The functions here give the database rows a meaning (a later "이제 매운 것도 잘 먹어" reverses an earlier
dislike; an allergy is only dropped when the user says so); the chat, the CLI and the web API all call them.
"""

from mechuri.memory.meals import TYPICAL_MEAL_TIME, log_eaten_meal, recent_foods, typical_eaten_at
from mechuri.memory.preferences import (
    PreferenceUpdate,
    apply_preference,
    delete_user_preference,
    edit_user_preference,
    forget_preferences,
    preference_sets,
)
from mechuri.memory.taste import load_taste, record_feedback, reset_taste, taste_events
from mechuri.memory.today import DaySummary, day_bounds, day_summary, user_targets

__all__ = [
    "TYPICAL_MEAL_TIME",
    "DaySummary",
    "PreferenceUpdate",
    "apply_preference",
    "day_bounds",
    "day_summary",
    "delete_user_preference",
    "edit_user_preference",
    "forget_preferences",
    "load_taste",
    "log_eaten_meal",
    "preference_sets",
    "recent_foods",
    "record_feedback",
    "reset_taste",
    "taste_events",
    "typical_eaten_at",
    "user_targets",
]
