"""The JSON shapes of the web API, as pydantic models so they are validated and appear in the OpenAPI schema.

Request bodies refuse unknown fields (a typo in a field name is an error, not a silent no-op); string
lengths here are generous outer bounds, and the Korean rules are checked by the feature modules.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- accounts ---------------------------------------------------------------------------------------

class SignupIn(_Body):
    username: str = Field(max_length=64, examples=["minji"])
    password: str = Field(max_length=512)
    display_name: str = Field(max_length=64, examples=["민지"])


class LoginIn(_Body):
    username: str = Field(max_length=256)
    password: str = Field(max_length=512)


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str


class AuthOut(BaseModel):
    """The logged-in user and the CSRF token to send as ``X-CSRF-Token`` on state-changing requests."""

    user: UserOut
    csrf_token: str


# --- chat -------------------------------------------------------------------------------------------

class ChatIn(_Body):
    message: str = Field(max_length=20_000, description="한국어 메시지 (2,000자 이하; 넘으면 422)")


class MessageOut(BaseModel):
    id: int
    role: Literal["user", "assistant"]
    content: str
    created_at: datetime
    turn: dict[str, Any] | None = Field(
        default=None, description="Assistant messages: the stored Turn JSON (cards are drawn from it).")


class MessagesPage(BaseModel):
    messages: list[MessageOut] = Field(description="Oldest first.")
    next_before_id: int | None = Field(description="Pass as before_id to get older messages; null at the start.")


# --- preferences ------------------------------------------------------------------------------------

class PreferenceOut(BaseModel):
    id: int
    kind: str
    value: str
    source_message_id: int | None
    created_at: datetime


class PreferenceChangeOut(BaseModel):
    action: Literal["added", "removed", "kept"]
    kind: str
    value: str


class PreferencesOut(BaseModel):
    preferences: list[PreferenceOut]
    changes: list[PreferenceChangeOut] = Field(default_factory=list)
    kinds: list[str]
    diets: list[str]
    goals: list[str]
    allergens: list[str]


class PreferencePut(_Body):
    """``{kind, value}`` adds (as if said in chat); ``{id, kind?, value?}`` edits that row."""

    id: int | None = None
    kind: str | None = Field(default=None, max_length=64)
    value: str | None = Field(default=None, max_length=256)


# --- profile and today ------------------------------------------------------------------------------

class RangeOut(BaseModel):
    min: float
    max: float


class TargetsOut(BaseModel):
    kcal: float
    carbohydrate_g: RangeOut
    protein_g: RangeOut
    fat_g: RangeOut
    sodium_mg_max: float
    added_sugar_max_g: float
    saturated_fat_max_g: float
    fiber_g: float
    basis: str


class ProfileIn(_Body):
    """The whole profile (PUT replaces it): null clears a field."""

    display_name: str | None = Field(default=None, max_length=256)
    sex: str | None = Field(default=None, max_length=16)
    birth_year: int | None = None
    height_cm: float | None = None
    weight_kg: float | None = None
    activity_level: str | None = Field(default=None, max_length=32)
    goal: str | None = Field(default=None, max_length=32)


class ProfileOut(BaseModel):
    username: str
    display_name: str
    sex: str | None
    birth_year: int | None
    height_cm: float | None
    weight_kg: float | None
    activity_level: str | None
    goal: str | None
    targets: TargetsOut
    choices: dict[str, list[str]]


class MealOut(BaseModel):
    id: int
    meal_type: str
    food_name: str
    servings: float
    eaten_at: datetime
    nutrition: dict[str, Any]


class TodayOut(BaseModel):
    day: str
    timezone: str
    meals: list[MealOut]
    totals: dict[str, float]
    targets: TargetsOut
    remaining_kcal: float


# --- API tokens -------------------------------------------------------------------------------------

class TokenIn(_Body):
    name: str = Field(max_length=256)


class TokenOut(BaseModel):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None


class TokenCreated(TokenOut):
    token: str = Field(description="The secret; shown only in this response.")


class TokensOut(BaseModel):
    tokens: list[TokenOut]


class Health(BaseModel):
    status: Literal["ok"]
    database: Literal["ok"]
