"""The JSON shapes of the web API, as pydantic models so they are validated and appear in the OpenAPI schema.

Request bodies refuse unknown fields (a typo in a field name is an error, not a silent no-op). The real
rules (lengths, patterns, choices, ranges) are checked by the feature modules, which answer each with its
own Korean reason; ``rule(…)`` writes the same rules, from the same constants, into the schema, while
pydantic keeps only generous outer bounds (so an over-long name gets the Korean reason, not pydantic's).
"""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from mechuri.conversation.manager import MAX_MESSAGE_CHARS
from mechuri.conversation.turn import DishFacts
from mechuri.db.models import MEAL_TYPES, PREFERENCE_KINDS
from mechuri.knowledge.vocab import GOALS, MEALS
from mechuri.plan.request import MAX_DAY_KCAL, MIN_DAY_KCAL, PLAN_DAYS
from mechuri.web.accounts import DISPLAY_NAME_MAX, PASSWORD_MAX, PASSWORD_MIN, USERNAME_PATTERN
from mechuri.web.hygiene import ID_MAX, CleanText


class _Body(CleanText):
    model_config = ConfigDict(extra="forbid")


MEAL_ITEMS_MAX = 8
"""A planned meal is a main, rice, two sides and an extra; eight leaves room for a hand-made one."""
SERVINGS_RANGE = (0.1, 20.0)
"""The same bounds the database and chat's meal logging keep."""
PLAN_VARIANT_MAX = 1000
PLAN_AVOID_MAX = 200
"""A week plans about 35 dishes; 200 is several 「다시 짜기」 in a row, and bounds the request's work."""
PLAN_FIXED_MAX = 14
"""Two decided meals a day for a week: more is not a plan any more but a menu the user already has."""
NOT_BLANK = r"\S"
"""JSON Schema's ``pattern`` matches anywhere: at least one character that is not white space."""


def rule(**schema: Any) -> dict[str, Any]:
    """The rule a feature module enforces, for the schema only (``json_schema_extra``): JSON Schema keywords
    such as ``minLength``, ``maxLength``, ``pattern``, ``enum``, ``minimum``, ``maximum``, ``maxItems``."""
    return {"json_schema_extra": schema}


def text_rule(low: int, high: int) -> dict[str, Any]:
    """A one-line text of ``low``–``high`` characters that is not only white space."""
    return rule(minLength=low, maxLength=high, pattern=NOT_BLANK)


# --- accounts ---------------------------------------------------------------------------------------

class SignupIn(_Body):
    username: str = Field(max_length=64, examples=["minji"], description="영문·숫자·한글과 _ . -",
                          **rule(pattern=f"^{USERNAME_PATTERN.pattern}$", minLength=3, maxLength=32))
    password: str = Field(max_length=512, description="흔한 비밀번호·아이디와 같은 것은 안 돼요; 서로 다른 글자 4가지 이상",
                          **rule(minLength=PASSWORD_MIN, maxLength=PASSWORD_MAX))
    display_name: str = Field(max_length=64, examples=["민지"], **text_rule(1, DISPLAY_NAME_MAX))


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


class PasswordChangeIn(_Body):
    """Both passwords: the current one proves it is you, the new one follows the sign-up rules."""

    current_password: str = Field(max_length=512)
    new_password: str = Field(max_length=512, description="가입 때와 같은 규칙; 지금 비밀번호와 달라야 해요",
                              **rule(minLength=PASSWORD_MIN, maxLength=PASSWORD_MAX))


class AccountDeleteIn(_Body):
    """Deleting the account asks for its password again."""

    password: str = Field(max_length=512)


class ExportOut(BaseModel):
    """Everything stored about you (``GET /api/account/export``). ``tables`` holds the rows of every table
    with rows of yours, by table name, oldest first: ``messages`` (assistant messages carry their Turn in
    ``meta``), ``user_preferences``, ``meal_logs``, ``recommendation_logs``, ``taste_events``,
    ``web_sessions``, ``api_tokens``, ``login_failures`` (when, not from where). Password hashes, token
    digests and CSRF tokens are never included."""

    format: Literal["mechuri.export/1"]
    exported_at: datetime
    user: dict[str, Any] = Field(description="Your account: username, display name, profile, created_at.")
    plans: list[dict[str, Any]] = Field(description="Meal plans made in chat: message_id, created_at, plan, request.")
    tables: dict[str, list[dict[str, Any]]]


# --- chat -------------------------------------------------------------------------------------------

class ChatIn(_Body):
    message: str = Field(max_length=20_000, description=f"한국어 메시지 ({MAX_MESSAGE_CHARS:,}자 이하; 넘으면 422)",
                         json_schema_extra={"minLength": 1, "maxLength": MAX_MESSAGE_CHARS, "pattern": NOT_BLANK})


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


class SearchHitOut(BaseModel):
    id: int = Field(description="The message's id: ``GET /api/messages?before_id=id+1`` pages back from it.")
    role: Literal["user", "assistant"]
    created_at: datetime
    snippet: str = Field(description="The text around the first match.")


class SearchOut(BaseModel):
    query: str
    results: list[SearchHitOut] = Field(description="Newest first.")
    more: bool = Field(description="More messages match than were returned.")


class ClearedOut(BaseModel):
    deleted: int = Field(description="How many messages were deleted.")


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
    kind: Annotated[str, Field(max_length=64, **rule(enum=list(PREFERENCE_KINDS)))] | None = None
    value: Annotated[str, Field(max_length=256, **text_rule(1, 64))] | None = Field(
        default=None, description="diet와 goal은 GET /api/preferences의 diets·goals 중 하나")


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
    basis: str = Field(description="which rule set the energy, by its method's name (Mifflin–St Jeor × factor, "
                                   "KDRI EER …), for clients that check the arithmetic")
    summary: str = Field(description="the same in a person's words, without the jargon: what the web page shows")


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
    servings: float = Field(default=1.0, description="인분 (0.1–20; 밥 반 공기는 0.5)",
                            **rule(minimum=SERVINGS_RANGE[0], maximum=SERVINGS_RANGE[1]))


class MealLogIn(_Body):
    """One meal eaten: its dishes and servings. Nutrition numbers are never accepted from the client."""

    meal: str = Field(max_length=8, examples=["점심"], description="아침, 점심, 저녁, 간식, 야식",
                      **rule(enum=list(MEAL_TYPES)))
    items: list[MealItemIn] = Field(description="1–8 dishes, e.g. a planned meal's main, rice and sides",
                                    **rule(minItems=1, maxItems=MEAL_ITEMS_MAX))
    date: dt.date | None = Field(default=None, description="먹은 날 (YYYY-MM-DD, 앱의 시간대 기준). 없으면 오늘; "
                                                          "앞으로의 날짜와 7일보다 전은 안 돼요")


class MealEditIn(_Body):
    """What may change about a logged meal: how much, which meal, when. The dish stays (delete and log
    again for another dish); the nutrition is recomputed by the server for the new servings."""

    servings: float | None = Field(default=None, description="인분 (0.1–20)")
    meal: str | None = Field(default=None, max_length=8, description="아침, 점심, 저녁, 간식, 야식")
    eaten_at: datetime | None = Field(
        default=None, description="먹은 때 (ISO 8601; 시간대가 없으면 앱의 시간대). 앞으로의 시각과 7일보다 전은 안 돼요")


class MealEditedOut(BaseModel):
    meal: MealOut = Field(description="The meal as stored now.")
    today: TodayOut


class MealsLoggedOut(BaseModel):
    logged: list[MealOut] = Field(description="The rows stored, with the food table's nutrition snapshot.")
    today: TodayOut


# --- the weekly report ------------------------------------------------------------------------------

class ReportDayOut(BaseModel):
    date: str = Field(description="The local date (YYYY-MM-DD).")
    meals: int = Field(description="How many dishes were logged that day (0: nothing logged, nothing judged).")
    totals: dict[str, float] = Field(description="kcal, carbohydrate_g, protein_g, fat_g, sodium_mg eaten.")
    status: dict[str, Literal["under", "ok", "over"]] | None = Field(
        description="Each nutrient against its band (``bands``); null when nothing was logged.")
    score: float | None = Field(description="How far the day missed its bands, summed (0 = all inside; lower is "
                                            "better; shortfalls count only on a complete day).")
    complete: bool = Field(description="A past day with two or more meals (아침, 점심 …) logged: judged in full, "
                                       "and a candidate for the best and worst day.")


class ReportDishOut(BaseModel):
    """A dish of the food table, with its numbers for one serving."""

    name: str
    serving_g: float
    kcal: float
    carbohydrate_g: float
    protein_g: float
    fat_g: float
    sodium_mg: float


class ReportSuggestionOut(BaseModel):
    nutrient: str | None = Field(description="The nutrient the suggestion is about; null when there is none.")
    direction: Literal["over", "under"] | None
    days: int = Field(description="On how many logged days it was over (or under).")
    text: str = Field(description="The suggestion in Korean, its numbers from the food table and the log.")
    dish: ReportDishOut | None = Field(default=None, description="The dish suggested (a swap or an addition).")
    instead_of: str | None = Field(default=None, description="The logged dish a swap replaces.")


class WeekReportOut(BaseModel):
    start: str
    end: str = Field(description="Today, the last day of the report.")
    timezone: str
    targets: TargetsOut = Field(description="The daily targets (the remembered goal applied), as in the today view.")
    bands: dict[str, list[float]] = Field(description="Nutrient → [min, max] a day should land in (kcal ±5 %).")
    days: list[ReportDayOut] = Field(description="Seven days, oldest first.")
    logged_days: int
    best: str | None = Field(description="The complete day closest to its targets (null without one).")
    worst: str | None = Field(description="The complete day furthest from them (null with fewer than two).")
    counts: dict[str, dict[str, int]] = Field(description="Nutrient → how many logged days were over and under.")
    suggestion: ReportSuggestionOut


# --- meal plans -------------------------------------------------------------------------------------

class FixedMealIn(_Body):
    day: int = Field(default=1, description="몇째 날 (1부터)")
    meal: str = Field(max_length=8, examples=["점심"])
    name: str = Field(max_length=64, examples=["짜장면"], description="이미 정한 메뉴 (음식 표의 이름; 별칭·오타도 찾아요)")


class PlanIn(_Body):
    """What to plan. Allergies, dislikes and diets always come from what mechuri remembers."""

    days: int = Field(default=1, description="1 (하루) 또는 7 (일주일)", **rule(enum=list(PLAN_DAYS)))
    meals: list[Annotated[str, Field(**rule(enum=list(MEALS)))]] = Field(
        default_factory=lambda: ["아침", "점심", "저녁"], description="짤 끼니 (아침, 점심, 저녁, 간식, 야식)",
        **rule(minItems=1, uniqueItems=True))
    skip_meals: list[str] = Field(default_factory=list,
                                  description="따로 먹는 끼니: 짜지 않고, 그 몫만큼 하루 목표도 줄여요 (「저녁 약속」)")
    kcal_target: Annotated[float, Field(**rule(minimum=MIN_DAY_KCAL, maximum=MAX_DAY_KCAL))] | None = Field(
        default=None, description="하루 목표 열량 (800–5,000 kcal); 없으면 내 목표")
    fixed: list[FixedMealIn] = Field(default_factory=list, description="이미 정한 메뉴: 그대로 두고 나머지를 짜요",
                                     **rule(maxItems=PLAN_FIXED_MAX))
    goal: Annotated[str, Field(**rule(enum=list(GOALS)))] | None = Field(
        default=None, description="다이어트, 벌크업, 유지; 없으면 기억한 목표")
    variant: int = Field(default=0, description="다시 짜기: 앞 답의 request.variant + 1 (0–1,000)",
                         **rule(minimum=0, maximum=PLAN_VARIANT_MAX))
    avoid_dishes: list[Annotated[str, Field(max_length=64)]] = Field(
        default_factory=list, description="되도록 피할 메뉴 (다시 짜기: 앞 답의 request.dishes), 200개까지",
        **rule(maxItems=PLAN_AVOID_MAX))
    use_today: bool = Field(default=True, description="하루 식단이면 오늘 이미 기록한 끼니는 그 메뉴 그대로 두고 짜요")


class PlannedItemOut(DishFacts):
    """One dish of a planned meal, its numbers from the food table for the servings planned (the same facts
    a chat recommendation carries)."""

    meal: str
    role: Literal["main", "rice", "side", "extra"]
    fixed: bool = Field(description="The user decided this dish; planned around, not chosen.")


class IcsMealIn(_Body):
    meal: str = Field(max_length=8, examples=["점심"])
    items: list[MealItemIn] = Field(description="1–8 dishes and servings; the numbers come from the food table")


class IcsDayIn(_Body):
    date: dt.date = Field(description="The day's date (YYYY-MM-DD, the app's time zone)")
    meals: list[IcsMealIn]


class IcsIn(_Body):
    """A plan's meals to put in a calendar: names and servings only, like logging a meal."""

    days: list[IcsDayIn] = Field(description="1–7 days")


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
    name: str = Field(max_length=256, examples=["내 노트북"], **text_rule(1, 64))


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
