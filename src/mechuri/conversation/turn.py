"""The structured result of one chat turn: what mechuri decided, and the Korean reply that says it.

Every writer (grounded or LLM) renders a ``Turn``; the web API and ``mechuri ask --json`` return it as
JSON. The field names below are a contract (see ARCHITECTURE.md): add fields, never rename them.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from mechuri.knowledge.foods import Dish
from mechuri.nlu.model import Intent, RefusalKind
from mechuri.recommend.constraints import HardConstraints


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
    source: str = ""
    portion: str = ""
    """How the amount was said when a unit other than 인분 was (「1마리」, 「반 조각」); empty for servings."""
    said_as: str = ""
    """The generic name the user typed when this dish stands for it (「치킨」 for 후라이드치킨)."""
    variants: list[str] = Field(default_factory=list)
    """The other dishes that generic name covers (양념치킨, 간장치킨 …)."""

    @classmethod
    def from_dish(cls, dish: Dish, servings: float = 1.0, **extra: Any) -> DishFacts:
        data = dish.to_dict(servings)
        return cls(**{key: data[key] for key in cls.model_fields if key in data}, **extra)

    @property
    def from_mfds(self) -> bool:
        """Values taken from the 식약처 dish database (not estimated)."""
        return not self.estimated and self.source.startswith("식약처 음식DB")


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


class YesNoAnswer(BaseModel):
    """The answer to a yes/no question (``Understanding.yes_no``) and the numbers that decide it: 「라면이 김밥보다
    나트륨 더 많아?」 → ``yes`` with ``value`` 1800, ``other_value`` 1000, ``difference`` 800; 「김치찌개 칼로리
    높아?」 → no, ``value`` against ``reference`` (the ``meal``'s share of the day); 「떡볶이 매워?」 → whether
    the table tags the dish ``tag``. Every number is the Turn's, rounded as the reply states it."""

    yes: bool
    claim: Literal["more", "less", "high", "low", "is"]
    dish: str
    nutrient: str | None = None
    tag: str | None = None
    other: str | None = None
    value: float | None = None
    other_value: float | None = None
    difference: float | None = None
    reference: float | None = None
    meal: str | None = None


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
    direction: Literal["more", "less"] | None = None
    """Which way the comparison asked (「뭐가 더 달아?」 more, 「뭐가 덜 짜?」 less): the reply names that dish
    first; None keeps the default (the lighter dish, or the richer one in protein and fibre)."""
    permission: bool = False
    """「라면 먹어도 돼?」: the reply starts with whether the dishes fit the user's allergies and diets."""
    verdict: YesNoAnswer | None = None
    """The 네/아니요 answer when the question was a yes/no one; the reply starts with it."""
    estimate_note: bool = False
    """Say that the numbers are estimates (some dish's values are): true the first time in a conversation
    only, so the disclaimer is not repeated after every answer."""
    mfds_note: bool = False
    """Cite the 식약처 dish database (every dish's values come from it): once per conversation."""
    unknown_units: list[tuple[str, str]] = Field(default_factory=list)
    """(dish, unit) pairs whose unit does not fit the dish (「김치찌개 한 마리」): said, and counted as 인분."""

    @property
    def dishes(self) -> list[DishFacts]:
        """Every dish found, the first one first."""
        return [self.dish, *self.compared] if self.dish is not None else []


class PreferenceChange(BaseModel):
    action: Literal["added", "removed", "kept"]
    kind: str
    value: str
    said: str | None = None
    """The user's word for ``value`` when it differs (「계란」 for 난류): what the acknowledgement names."""


class NotRemembered(BaseModel):
    """Something the user asked to forget that memory did not hold: 「땅콩 알레르기 지워줘」 with no such
    allergy (``kind`` and ``value``), 「고수 잊어줘」 (no ``kind``), 「알레르기 다 지워줘」 with none (no
    ``value``), 「기억한 거 다 지워줘」 with nothing remembered (neither)."""

    kind: str | None = None
    value: str = ""


class RecallAnswer(BaseModel):
    """「내 알레르기 뭐였지?」: the kinds of preference asked about and what memory holds of each."""

    kinds: list[str]
    remembered: dict[str, list[str]] = Field(default_factory=dict)
    """Every kind asked, with its remembered values (an empty list when none)."""

    @property
    def empty(self) -> bool:
        return not any(self.remembered.values())


class Refusal(BaseModel):
    """Why this message got a refusal or redirection instead of an answer (no dish, no number)."""

    kind: RefusalKind


class LoggedMeal(DishFacts):
    """A meal written to the user's log in this turn."""

    id: int
    meal: str
    eaten_at: str


class CustomLoggedMeal(BaseModel):
    """A food the table lacks, logged with the energy the user gave (「식빵 2장 200kcal」): only ``kcal`` is
    known; the stored snapshot says so (``kcal_only``), and the day's other totals leave it out."""

    id: int
    name: str
    meal: str
    kcal: float
    eaten_at: str


class ListChoice(BaseModel):
    """「첫 번째 걸로 할게」, 「그걸로 먹을게」, 「김치찌개로 할게」: the dish the user settled on, logged in
    ``meal_logged``. ``rank`` is its place in the last list (1 = first), None when it was not on it;
    ``shown`` is that list (what it was chosen over: a taste model learns from both). ``dish`` is None when
    nothing pointed at a dish (no list, or 「그걸로」 after several): the reply asks which one."""

    dish: str | None
    rank: int | None = None
    shown: list[str] = Field(default_factory=list)
    meal: str | None = None


class RatedDish(BaseModel):
    """「2번 별로야」, 「첫 번째 거 좋다」: a dish of the last list rated (taste feedback), at its ``rank`` (1 = first)."""

    dish: str
    value: Literal["up", "down"]
    rank: int


class QAAnswer(BaseModel):
    """A cooking or food question answered from the bundled Q&A collection."""

    id: str
    question: str
    answer: str
    score: float


class RelaxationOffer(BaseModel):
    """A constraint the user could loosen to see more dishes, and how many would then fit."""

    constraint: str
    description: str
    available: int


class Comparison(BaseModel):
    """「짜장면이랑 짬뽕 중에 뭐가 나아?」: only the dishes named compete; ``excluded`` says why a named dish
    could not be offered (the constraints it breaks)."""

    asked: list[str]
    excluded: dict[str, list[str]] = Field(default_factory=dict)


class BlockedDish(BaseModel):
    """A dish asked for by name (「새우볶음밥 먹고 싶어」) that the user's allergies, diets or exclusions forbid:
    ``why`` names the constraints (``allergy``, ``excluded``, ``diet:할랄`` …) and ``words`` the user's own
    words it breaks (새우, 할랄 …). The reply says so in one line and offers close dishes instead."""

    name: str
    why: list[str] = Field(default_factory=list)
    words: list[str] = Field(default_factory=list)


class RecommendationAnswer(BaseModel):
    """How a list of dishes was asked for and chosen: the meal, how many were wanted, the relaxations
    that would bring more, a choice among named dishes, and the request's slots (「다른 거」 reuses them)."""

    meal: str
    k: int
    relaxations: list[RelaxationOffer] = Field(default_factory=list)
    comparison: Comparison | None = None
    request: dict[str, Any] = Field(default_factory=dict)
    blocked: list[BlockedDish] = Field(default_factory=list)
    """Dishes asked for by name that a hard constraint forbids; ``alternatives`` says whether the dishes
    listed were chosen for being close to them (same category, main ingredients, cuisine)."""
    alternatives: bool = False


class PlanAnswer(BaseModel):
    """What the plan on ``Turn.plan`` was asked for and how it came out (the plan's days stay in ``plan``)."""

    feasible: bool
    problems: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    days: int = 1
    target_kcal: int
    goal: str | None = None
    replan: bool = False
    skipped: list[str] = Field(default_factory=list)
    status: str = ""
    solve_seconds: float = 0.0
    basis: str = ""
    goal_applied: bool = False
    already_logged: list[str] = Field(default_factory=list)
    """Day 1's meals already logged today: the web card offers no second 「기록하기」 for them."""
    request: dict[str, Any] = Field(default_factory=dict)
    """The plan request as JSON with the planned dishes: 「다시 짜줘」 on the next turn asks it again."""


class AmbiguousFood(BaseModel):
    """A food word said as eaten that names no single dish (「치킨 먹었어」): the dishes it could be."""

    query: str
    suggestions: list[str] = Field(default_factory=list)


class MealLogOutcome(BaseModel):
    """What a meal log could not write, and the day's energy after what it did write."""

    unknown: list[str] = Field(default_factory=list)
    ambiguous: list[AmbiguousFood] = Field(default_factory=list)
    unknown_units: list[tuple[str, str]] = Field(default_factory=list)
    """(dish, unit) pairs logged by the count said because the unit does not fit the dish."""
    today_kcal: float | None = None
    target_kcal: float | None = None
    day_offset: int = 0
    """The day ``today_kcal`` sums: the day the meals were logged for (0 today, -1 어제 …), so a log for
    yesterday reports yesterday's total, not today's."""


class Turn(BaseModel):
    """One answered message.

    The typed parts (``recommendation_answer``, ``plan_answer``, ``log_outcome``, ``constraints``) are what
    writers, prompts and the guardrail read; ``meta`` holds traces only (the understood slots, the moves
    played, the dialogue context, the writer used), plus the older meta keys mirrored for the JSON contract.
    """

    reply: str
    intent: Intent
    intents: list[Intent] = Field(default_factory=list)
    recommendations: list[Recommendation] = Field(default_factory=list)
    nutrition: NutritionAnswer | None = None
    qa: QAAnswer | None = None
    preferences_changed: list[PreferenceChange] = Field(default_factory=list)
    meal_logged: list[LoggedMeal] = Field(default_factory=list)
    custom_logged: list[CustomLoggedMeal] = Field(
        default_factory=list, description="Foods the table lacks, logged with the energy the user gave.")
    plan: list[dict[str, Any]] | None = None
    intake: dict[str, Any] | None = Field(
        default=None, description="「오늘 뭐 먹었지?」: the day's meals, totals and targets (conversation/intake.py).")
    cautions: list[Caution] = Field(
        default_factory=list, description="The user's allergies and diets that a dish asked about or logged breaks.")
    constraints: HardConstraints = Field(
        default_factory=HardConstraints, description="What no dish of this turn may break (allergies, diets, "
        "dislikes and the message's exclusions), built once per turn.")
    recommendation_answer: RecommendationAnswer | None = None
    plan_answer: PlanAnswer | None = None
    log_outcome: MealLogOutcome | None = None
    preferences_known: list[str] = Field(
        default_factory=list, description="Preferences said again that were already remembered.")
    choice: ListChoice | None = Field(
        default=None, description="The dish settled on from the last list (「첫 번째 걸로 할게」), logged as eaten.")
    recipe_for: str | None = Field(
        default=None, description="The dish a cooking question pointed at (「첫 번째 거 레시피」): the Q&A was "
        "searched for it, and without ``qa`` the reply says the collection lacks it.")
    preferences_not_found: list[NotRemembered] = Field(
        default_factory=list, description="What the user asked to forget that was not remembered.")
    recall: RecallAnswer | None = None
    rated: RatedDish | None = None
    taste_reset: int | None = Field(
        default=None, description="「내 입맛 초기화」: how many learned taste events were forgotten (0: none yet).")
    refusal: Refusal | None = None
    turn_number: int | None = Field(
        default=None, description="How many answers this user had before this one (from the dialogue context): "
        "writers rotate their phrasings by it, so consecutive acknowledgements are not word for word the same.")
    message_id: int | None = None
    reply_id: int | None = None
    meta: dict[str, Any] = Field(default_factory=dict)

    def mirror_meta(self) -> None:
        """Write the typed parts into the older ``meta`` keys too: the Turn JSON is a contract that only
        grows (``mechuri ask --json`` and stored messages keep every key they had)."""
        meta = self.meta
        if self.preferences_known:
            meta["preferences_known"] = list(self.preferences_known)
        if self.log_outcome is not None:
            if self.log_outcome.unknown:
                meta["meals_unknown"] = list(self.log_outcome.unknown)
            if self.log_outcome.ambiguous:
                meta["meals_ambiguous"] = [a.model_dump() for a in self.log_outcome.ambiguous]
            if self.log_outcome.today_kcal is not None:
                meta["today"] = {"kcal": self.log_outcome.today_kcal, "target_kcal": self.log_outcome.target_kcal}
        answer = self.recommendation_answer
        if answer is not None:
            meta.update({"recommendation_asked": True, "meal": answer.meal, "k": answer.k,
                         "relaxations": [r.model_dump() for r in answer.relaxations],
                         "hard_constraints": bool(self.constraints.allergies or self.constraints.excluded),
                         "request": answer.request})
            if answer.comparison is not None:
                meta["comparison"] = answer.comparison.model_dump()
        if self.plan_answer is not None:
            meta["plan_request"] = self.plan_answer.request
            meta["plan_info"] = self.plan_answer.model_dump(exclude={"request"})
