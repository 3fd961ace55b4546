"""The JSON shapes of the web API, as pydantic models so they are validated and appear in the OpenAPI schema.

Request bodies refuse unknown fields (a typo in a field name is an error, not a silent no-op); string
lengths here are generous outer bounds, and the Korean rules are checked by the feature modules.
"""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from mechuri.conversation.turn import DishFacts
from mechuri.web.hygiene import ID_MAX, CleanText


class _Body(CleanText):
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
    state: Literal["pending", "failed"] | None = Field(
        default=None, description="User messages: pending while the answer is being made; failed when it never "
        "came (the server stopped mid-turn) — send it again. Null: answered.")


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

    id: int | None = Field(default=None, ge=1, le=ID_MAX)
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


class MealItemIn(_Body):
    name: str = Field(max_length=64, examples=["김치찌개"],
                      description="음식 표의 메뉴 이름 (별칭·오타도 찾아요). 영양 수치는 보내지 않아요: 서버가 음식 표에서 계산해요.")
    servings: float = Field(default=1.0, description="인분 (0.1–20; 밥 반 공기는 0.5)")


class MealLogIn(_Body):
    """One meal eaten: its dishes and servings. Nutrition numbers are never accepted from the client."""

    meal: str = Field(max_length=8, examples=["점심"], description="아침, 점심, 저녁, 간식, 야식")
    items: list[MealItemIn] = Field(description="1–8 dishes, e.g. a planned meal's main, rice and sides")
    date: dt.date | None = Field(default=None, description="먹은 날 (YYYY-MM-DD, 앱의 시간대 기준). 없으면 오늘; "
                                                          "앞으로의 날짜와 7일보다 전은 안 돼요")


class MealsLoggedOut(BaseModel):
    logged: list[MealOut] = Field(description="The rows stored, with the food table's nutrition snapshot.")
    today: TodayOut


# --- meal plans -------------------------------------------------------------------------------------

class FixedMealIn(_Body):
    day: int = Field(default=1, description="몇째 날 (1부터)")
    meal: str = Field(max_length=8, examples=["점심"])
    name: str = Field(max_length=64, examples=["짜장면"], description="이미 정한 메뉴 (음식 표의 이름; 별칭·오타도 찾아요)")


class PlanIn(_Body):
    """What to plan. Allergies, dislikes and diets always come from what mechuri remembers."""

    days: int = Field(default=1, description="1 (하루) 또는 7 (일주일)")
    meals: list[str] = Field(default_factory=lambda: ["아침", "점심", "저녁"],
                             description="짤 끼니 (아침, 점심, 저녁, 간식, 야식)")
    skip_meals: list[str] = Field(default_factory=list,
                                  description="따로 먹는 끼니: 짜지 않고, 그 몫만큼 하루 목표도 줄여요 (「저녁 약속」)")
    kcal_target: float | None = Field(default=None, description="하루 목표 열량 (800–5,000 kcal); 없으면 내 목표")
    fixed: list[FixedMealIn] = Field(default_factory=list, description="이미 정한 메뉴: 그대로 두고 나머지를 짜요")
    goal: str | None = Field(default=None, description="다이어트, 벌크업, 유지; 없으면 기억한 목표")
    variant: int = Field(default=0, description="다시 짜기: 앞 답의 request.variant + 1 (0–1,000)")
    avoid_dishes: list[Annotated[str, Field(max_length=64)]] = Field(
        default_factory=list, description="되도록 피할 메뉴 (다시 짜기: 앞 답의 request.dishes), 200개까지")
    use_today: bool = Field(default=True, description="하루 식단이면 오늘 이미 기록한 끼니는 그 메뉴 그대로 두고 짜요")


class PlannedItemOut(DishFacts):
    """One dish of a planned meal, its numbers from the food table for the servings planned (the same facts
    a chat recommendation carries)."""

    meal: str
    role: Literal["main", "rice", "side", "extra"]
    fixed: bool = Field(description="The user decided this dish; planned around, not chosen.")


class PlanDayTargetOut(BaseModel):
    """What this day's planned meals should supply: energy (±5 %), gram ranges [min, max], sodium cap."""

    kcal: float
    carbohydrate_g: list[float]
    protein_g: list[float]
    fat_g: list[float]
    sodium_mg_max: float


class PlanChecksOut(BaseModel):
    energy_error_pct: float
    energy_ok: bool
    carbohydrate_ok: bool
    protein_ok: bool
    fat_ok: bool
    sodium_ok: bool


class PlanDayOut(BaseModel):
    """One day, as the chat Turn's ``plan`` carries it, plus its date."""

    day: int
    date: str = Field(description="The local date of this day (day 1 is today).")
    meals: list[PlannedItemOut] = Field(description="Every dish of the day, in meal order, each with its meal.")
    totals: dict[str, float]
    target: PlanDayTargetOut
    checks: PlanChecksOut


class PlanRequestOut(BaseModel):
    """The request as planned: send it back with ``variant + 1`` and ``avoid_dishes = dishes`` to plan again."""

    days: int
    meals: list[str]
    skip_meals: list[str]
    kcal_target: float | None
    fixed: list[FixedMealIn]
    goal: str | None
    variant: int
    dishes: list[str] = Field(description="The dishes this plan chose (rice and kimchi excepted).")


class PlanOut(BaseModel):
    feasible: bool = Field(description="False when no plan can meet the request; ``problems`` says why.")
    plan: list[PlanDayOut]
    problems: list[str] = Field(description="Why no plan exists, in Korean, with the numbers.")
    notes: list[str] = Field(description="Honest remarks on a plan (sodium over the line, repeats …).")
    request: PlanRequestOut
    targets: TargetsOut = Field(description="Your daily targets the plan was made for (goal applied).")
    target_kcal: float = Field(description="The day's energy planned for (before skipped meals leave).")
    already_logged: list[str] = Field(description="Meals of day 1 kept as already logged today (use_today).")
    solve_seconds: float


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
    """``/healthz``: the process is alive (no database is touched)."""

    status: Literal["ok"]


class Ready(BaseModel):
    """``/readyz``: the database was read and written, and the reply writer is loaded."""

    status: Literal["ok"]
    database: Literal["ok"]
    writer: str = Field(description="The reply writer in use (its engine name).")
