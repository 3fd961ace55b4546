"""The plain data the NLU hands to the dialogue manager: intents, slots and statements of one message.

Everything here is frozen data with canonical words only (vocabulary words, table dish names), so the
dialogue manager and the recommender never have to look at the raw Korean text again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, get_args

PreferenceKind = Literal["like", "dislike", "allergy", "diet", "goal"]
PREFERENCE_KINDS: tuple[PreferenceKind, ...] = get_args(PreferenceKind)
Polarity = Literal["add", "remove"]
RefusalKind = Literal["self_harm", "harm", "prompt", "off_topic"]
"""Why a message is not answered with food: someone may hurt themselves (the crisis line, nothing else),
a request to hurt others (weapons, poison, spiking a drink), an attempt at the bot's instructions, or a
request outside food (stocks, code, politics)."""

Intent = Literal[
    "recommend", "nutrition", "recipe", "preference", "allergy", "diet", "meal_log", "another", "followup",
    "plan", "today", "memory", "unsafe", "greeting", "thanks", "smalltalk", "out_of_domain",
]
"""What a message asks or says; one message can carry several (the primary first)."""
INTENTS: tuple[Intent, ...] = get_args(Intent)
"""Every intent label ``understand`` can give."""
DISH_REQUESTS: frozenset[Intent] = frozenset({"recommend", "another", "plan"})
"""The intents that ask for dishes to eat: only they carry request slots, and they answer with dishes."""


@dataclass(frozen=True)
class Slots:
    """The constraints a message puts on what to eat now.

    ``categories_excluded`` and ``cuisines_excluded`` are additions to the agreed interface: without them
    「치킨 말고 피자」 or 「중식 말고」 would have nowhere to put what is excluded.
    """

    meal: str | None = None
    meal_inferred: bool = False
    kcal_max: float | None = None
    kcal_min: float | None = None
    cuisines: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    tags_wanted: tuple[str, ...] = ()
    tags_excluded: tuple[str, ...] = ()
    ingredients_wanted: tuple[str, ...] = ()
    ingredients_excluded: tuple[str, ...] = ()
    dishes_wanted: tuple[str, ...] = ()
    dishes_excluded: tuple[str, ...] = ()
    people: int | None = None
    situations: tuple[str, ...] = ()
    cheap: bool = False
    plan_days: int | None = None
    skip_meals: tuple[str, ...] = ()
    categories_excluded: tuple[str, ...] = ()
    cuisines_excluded: tuple[str, ...] = ()

    def filled(self) -> dict[str, object]:
        """Only the slots that say something (for JSON, logs and the labeled test set)."""
        out: dict[str, object] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if value in (None, False, ()):
                continue
            out[name] = list(value) if isinstance(value, tuple) else value
        return out


@dataclass(frozen=True)
class PreferenceStatement:
    """Something lasting the user says about themselves: 「오이 못 먹어」, 「새우 알레르기 있어」, 「비건이야」."""

    kind: PreferenceKind
    value: str
    polarity: Polarity = "add"
    said: str = field(default="", compare=False)
    """The user's own word when it is not ``value`` (「계란」 for the allergen 난류, 「치즈」 for 우유), so the
    reply acknowledges what was said; empty when the value is the word said."""


@dataclass(frozen=True)
class MealStatement:
    """A dish the user says they ate: 「어제 저녁에 치킨 반 마리 먹었어」."""

    dish: str
    meal: str | None = None
    servings: float = 1.0
    day_offset: int = 0
    unit: str = ""
    """The unit word said with the servings (「치킨 반 마리」 → 마리); empty for 인분 or none."""


@dataclass(frozen=True)
class FoodMention:
    """A dish named in the message; ``dish`` is None when the food table does not know it, or when the
    word is ``generic`` (a category such as 치킨 or 볶음, whose ``suggestions`` are dishes of that kind)."""

    text: str
    dish: str | None
    suggestions: tuple[str, ...] = ()
    generic: bool = False
    servings: float = 1.0
    """Servings said right after the name (「김치찌개 2인분 칼로리」, 「라면 반 개」), else one."""
    unit: str = ""
    """The unit of those servings (개, 마리, 조각 …); empty for 인분 or when none was said."""


@dataclass(frozen=True)
class PlanAsk:
    """What a message says about a meal plan beyond the slots: read whatever the intent, because
    「다시 짜줘」 is a plan request only when the previous answer was a plan (the dialogue manager knows)."""

    day_kcal: float | None = None
    """A plausible daily energy target said with the request (「하루 1800kcal로」)."""
    only_meals: tuple[str, ...] = ()
    """「아침 점심만」: the meals the plan covers, when the message limits them."""
    meals_out: tuple[str, ...] = ()
    """「저녁 약속 있어」: meals eaten elsewhere, which the plan leaves out."""
    again: bool = False
    """「다시」, 「새로」, 「다른 식단」: the previous answer asked again, with other dishes."""
    tomorrow: bool = False
    """「내일 식단」: a day that has not started, so today's meals do not count toward it."""


@dataclass(frozen=True)
class CustomMeal:
    """A food eaten with the energy the user gave (「식빵 2장 200kcal」): logged with that kcal only, its other
    nutrients unknown. ``name`` keeps the amount said (「식빵 2장」)."""

    name: str
    kcal: float
    meal: str | None = None
    day_offset: int = 0


@dataclass(frozen=True)
class Pick:
    """The user settles on a dish to eat: 「첫 번째 걸로 할게」, 「그걸로 먹을게」, 「두 번째 거 먹었어」,
    「김치찌개로 할게」. Only the dialogue manager knows what the last list was, so this says only how the
    dish was pointed at: ``reference`` into the last list (as ``Understanding.reference``), or None for
    「그거」 (the dish last talked about); ``named`` holds dishes named instead (they are also ``meals``)."""

    reference: int | None = None
    named: tuple[str, ...] = ()


YesNoClaim = Literal["more", "less", "high", "low", "is"]


@dataclass(frozen=True)
class YesNo:
    """A question to answer 네 or 아니요 first: 「라면이 김밥보다 나트륨 더 많아?」 (``more``: ``dish`` has more
    ``nutrient`` than ``other``), 「김치찌개 칼로리 높아?」 (``high``/``low``: against the meal's share of the
    day), 「떡볶이 매워?」 (``is``: the dish has the table's ``tag``). ``dish`` and ``other`` are table names."""

    claim: YesNoClaim
    dish: str
    nutrient: str | None = None
    tag: str | None = None
    other: str | None = None


@dataclass(frozen=True)
class ForgetAsk:
    """「고수 잊어줘」, 「알레르기 다 지워줘」: what to forget where the message does not say it as a statement
    with its kind (「고수 싫다고 한 거 잊어줘」 is a ``dislike 고수 remove`` statement instead)."""

    values: tuple[str, ...] = ()
    """Words to forget under whatever kind they are remembered (an allergen word also as its allergen:
    「계란 지워줘」 → 달걀, 난류)."""
    kinds: tuple[PreferenceKind, ...] = ()
    """Every remembered value of these kinds (「알레르기 다 지워줘」 → allergy)."""

    def __bool__(self) -> bool:
        return bool(self.values or self.kinds)


@dataclass(frozen=True)
class Rating:
    """「2번 별로야」, 「첫 번째 거 좋다」: a dish of the last list rated without being chosen. ``reference``
    points into that list (as ``Understanding.reference``; None for 「그거」: the dish last talked about)."""

    value: Literal["up", "down"]
    reference: int | None = None


@dataclass(frozen=True)
class Understanding:
    """What one chat message means; ``intents`` has the primary intent first."""

    text: str
    intents: list[Intent]
    slots: Slots = field(default_factory=Slots)
    preferences: list[PreferenceStatement] = field(default_factory=list)
    meals: list[MealStatement] = field(default_factory=list)
    foods: list[FoodMention] = field(default_factory=list)
    nutrients: tuple[str, ...] = ()
    reference: int | None = None
    issues: tuple[str, ...] = ()
    plan: PlanAsk = field(default_factory=PlanAsk)
    day_offset: int = 0
    """The day the message is about, from today (「어제 뭐 먹었지?」 → -1)."""
    compare: bool = False
    """「뭐가 더 칼로리 낮아?」, 「라면이 김밥보다 …」: the differences between the dishes named are asked."""
    choice: bool = False
    reset_taste: bool = False
    rating: Rating | None = None
    """A listed dish rated up or down (taste feedback; a dish rated down is also skipped like 「다른 거」)."""
    """「내 입맛 초기화」: forget the taste learned from choices and meals (stated preferences stay)."""
    """「짜장면이랑 짬뽕 중에 뭐가 나아?」: choose among the dishes named rather than suggest new ones."""
    references: tuple[int, ...] = ()
    """Every place in the last list the message points at, in order (「1번이랑 3번 중에 …」 → (0, 2))."""
    servings: float = 1.0
    """Servings said with a reference (「그거 2인분이면?」 → 2): a named dish keeps its own in ``foods``."""
    pick: Pick | None = None
    custom_meals: tuple[CustomMeal, ...] = ()
    """Foods eaten with the energy given (「아침에 프로틴바 먹었는데 180칼로리야」): logged as custom entries."""
    unlisted_eaten: tuple[str, ...] = ()
    """A food said as eaten that the table lacks (「아침에 식빵 먹었어」): said back as not logged."""
    """「첫 번째 걸로 할게」: the dish the user settles on (to be logged as eaten), when the message says one."""
    recall: tuple[PreferenceKind, ...] = ()
    """「내 알레르기 뭐였지?」 (intent ``memory``): the kinds of preference asked about; every kind when the
    question names none (「나에 대해 뭐 기억해?」)."""
    forget: ForgetAsk = field(default_factory=ForgetAsk)
    refusal: RefusalKind | None = None
    """Set when the message gets a refusal or redirection instead of an answer (intent ``unsafe`` for
    self_harm, harm and prompt; ``out_of_domain`` for off_topic)."""
    yes_no: YesNo | None = None
    """A yes/no question about the dishes named (「라면이 김밥보다 나트륨 더 많아?」, 「떡볶이 매워?」)."""
    permission: bool = False
    """「잡곡밥이랑 된장찌개 먹어도 되나요?」: whether the dishes named fit the person, answered 네/아니요 first."""
    cooking_kinds: tuple[str, ...] = ()
    """The kinds of cooking answer asked (「만드는 법」 → recipe, 「보관」 → storage, 「유래」 → culture), so a
    question about a listed dish is never answered with another kind of entry about it."""
    meal_said: str | None = None
    """The meal a message names, whatever it asks (「점심에 국밥 먹었어」 → 점심): a meal log that cannot be
    written yet (which 국밥?) keeps it for the answer."""
    direction: Literal["more", "less"] | None = None
    """Which way a comparison asks (「뭐가 더 달아?」 more, 「뭐가 덜 짜?」 less): the answer names that dish."""

    @property
    def intent(self) -> Intent:
        return self.intents[0] if self.intents else "out_of_domain"
