"""Daily and per-meal nutrition targets, from the 2020 Korean Dietary Reference Intakes.

The recommender scores dishes against a person's targets, so the targets must rest on a public,
citable standard rather than on numbers someone liked. This module turns a profile (sex, age and,
when known, height, weight and activity) into plain numbers; it reads no files and no clock.

Sources
-------
* 보건복지부·한국영양학회, *2020 한국인 영양소 섭취기준* (Dietary Reference Intakes for Koreans 2020,
  KDRI): 에너지 필요추정량(EER), 에너지적정비율(AMDR: 탄수화물 55–65 %, 단백질 7–20 %, 지질 15–30 %),
  단백질 권장섭취량(RNI), 식이섬유 충분섭취량(AI), 나트륨 만성질환위험감소섭취량(CDRR), 당류 (총당류
  10–20 %, 첨가당 10 % 미만), 포화지방산 (19세 이상 7 % 미만, 3–18세 8 % 미만).
* WHO, *Guideline: Sugars intake for adults and children*, 2015 (free sugars < 10 % of energy,
  the same limit the KDRI adopts for added sugar).
* Mifflin MD, St Jeor ST, Hill LA, Scott BJ, Daugherty SA, Koh YO. A new predictive equation for
  resting energy expenditure in healthy individuals. *Am J Clin Nutr* 1990;51(2):241–247.

How the energy target is chosen
-------------------------------
1. Height, weight and activity all known: Mifflin–St Jeor BMR × activity factor, because a
   person's own body size predicts their needs better than the average body of their age band.
2. Otherwise: the KDRI EER of the sex/age band, which already assumes a reference body and a
   typical (저활동적) activity level for that band.
3. Goal: ``diet`` −20 %, ``bulk`` +10 %, ``maintain`` unchanged. A diet never goes below the BMR
   (when known) nor below 1,200 kcal (women) / 1,500 kcal (men), the usual floors below which a
   self-directed diet stops being safe without supervision; it also never goes above maintenance.
4. Energy is rounded to the nearest 10 kcal: more digits would suggest a precision the equations
   (±10 % for an individual) do not have.

Everything else follows from the energy: macronutrient grams from the AMDR percentages
(4 kcal/g for carbohydrate and protein, 9 kcal/g for fat), sugar and saturated fat caps likewise.
Protein RNI, fiber AI and sodium CDRR are fixed per band and do not scale with energy.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from types import MappingProxyType
from typing import Final, Literal, get_args

from mechuri.knowledge.korean import attach
from mechuri.units import amount

Sex = Literal["M", "F"]
"""Biological sex as the KDRI tables use it: ``"M"`` 남자, ``"F"`` 여자."""

ActivityLevel = Literal["sedentary", "low", "active", "very_active"]
"""KDRI physical-activity categories: 비활동적, 저활동적, 활동적, 매우 활동적."""

Goal = Literal["maintain", "diet", "bulk"]
"""What the user wants from their meals: keep weight, lose weight, gain weight."""

_SEXES: Final[tuple[str, ...]] = get_args(Sex)
_ACTIVITIES: Final[tuple[str, ...]] = get_args(ActivityLevel)
_GOALS: Final[tuple[str, ...]] = get_args(Goal)

_SEX_KO: Final[Mapping[str, str]] = MappingProxyType({"M": "남자", "F": "여자"})
ACTIVITY_KO: Final[Mapping[str, str]] = MappingProxyType(
    {"sedentary": "거의 앉아서 지내요", "low": "가볍게 움직여요", "active": "활동적이에요", "very_active": "매우 활동적이에요"}
)
"""The activity levels in a person's words, as the profile form offers them (for ``summary``)."""

KCAL_PER_G_CARBOHYDRATE: Final = 4.0
KCAL_PER_G_PROTEIN: Final = 4.0
KCAL_PER_G_FAT: Final = 9.0

# AMDR (에너지적정비율), fractions of energy; the same for ages 3+ in the 2020 KDRI.
CARBOHYDRATE_AMDR: Final = (0.55, 0.65)
PROTEIN_AMDR: Final = (0.07, 0.20)
FAT_AMDR: Final = (0.15, 0.30)

TOTAL_SUGARS_RANGE: Final = (0.10, 0.20)
"""KDRI 총당류 10–20 % of energy. Kept for reference; the food table's ``sugar_g`` is total sugars,
but the target we enforce is the stricter added-sugar cap below."""
ADDED_SUGAR_MAX: Final = 0.10
"""첨가당 < 10 % of energy (KDRI, same as the WHO guideline)."""

SATURATED_FAT_MAX_ADULT: Final = 0.07
"""포화지방산 < 7 % of energy for 19 and over."""
SATURATED_FAT_MAX_YOUTH: Final = 0.08
"""포화지방산 < 8 % of energy for 3–18."""

ACTIVITY_FACTORS: Final[Mapping[str, float]] = MappingProxyType(
    {"sedentary": 1.2, "low": 1.375, "active": 1.55, "very_active": 1.725}
)
"""Multipliers on the Mifflin–St Jeor BMR. These are the conventional TDEE factors used with BMR
equations, mapped onto the four KDRI activity categories; they are *not* the KDRI's own PA
coefficients, which belong to the KDRI EER regression and do not apply to a BMR."""

DIET_DEFICIT: Final = 0.20
BULK_SURPLUS: Final = 0.10
DIET_FLOOR_KCAL: Final[Mapping[str, float]] = MappingProxyType({"F": 1200.0, "M": 1500.0})
"""Lowest daily energy a diet target may reach without medical supervision."""

MIN_AGE: Final = 6
MAX_AGE: Final = 120
HEIGHT_RANGE_CM: Final = (100.0, 250.0)
WEIGHT_RANGE_KG: Final = (25.0, 300.0)


@dataclass(frozen=True)
class Range:
    """A closed interval ``[min, max]``: targets are bands to land in, not points to hit."""

    min: float
    max: float

    def __post_init__(self) -> None:
        """Refuse an inverted range, which would silently make every dish 'out of range'."""
        if self.min > self.max:
            raise ValueError(f"Range min {self.min} is greater than max {self.max}")

    @property
    def mid(self) -> float:
        """The middle of the range, for scores that need one number to aim at."""
        return (self.min + self.max) / 2

    def scaled(self, factor: float) -> Range:
        """The same range multiplied by ``factor`` (used to split a day into meals)."""
        return Range(self.min * factor, self.max * factor)


@dataclass(frozen=True)
class KdriBand:
    """One sex/age row of the 2020 KDRI tables that this module uses."""

    age_min: int
    age_max: int | None
    """Inclusive upper age; ``None`` for the open-ended 75세 이상 band."""
    eer_kcal: int
    """에너지 필요추정량 (kcal/day)."""
    protein_rni_g: int
    """단백질 권장섭취량 (g/day)."""
    fiber_ai_g: int
    """식이섬유 충분섭취량 (g/day)."""
    sodium_cdrr_mg: int
    """나트륨 만성질환위험감소섭취량 (mg/day): intake above it should be reduced."""

    @property
    def label(self) -> str:
        """Korean age label as the KDRI prints it, e.g. ``"19–29세"`` or ``"75세 이상"``."""
        if self.age_max is None:
            return f"{self.age_min}세 이상"
        return f"{self.age_min}–{self.age_max}세"

    def contains(self, age: int) -> bool:
        """Whether ``age`` (만 나이) falls in this band."""
        return self.age_min <= age and (self.age_max is None or age <= self.age_max)


KDRI_2020: Final[Mapping[str, tuple[KdriBand, ...]]] = MappingProxyType(
    {
        "M": (
            KdriBand(6, 8, eer_kcal=1700, protein_rni_g=35, fiber_ai_g=25, sodium_cdrr_mg=1900),
            KdriBand(9, 11, eer_kcal=2000, protein_rni_g=50, fiber_ai_g=25, sodium_cdrr_mg=2300),
            KdriBand(12, 14, eer_kcal=2500, protein_rni_g=60, fiber_ai_g=30, sodium_cdrr_mg=2300),
            KdriBand(15, 18, eer_kcal=2700, protein_rni_g=65, fiber_ai_g=30, sodium_cdrr_mg=2300),
            KdriBand(19, 29, eer_kcal=2600, protein_rni_g=65, fiber_ai_g=30, sodium_cdrr_mg=2300),
            KdriBand(30, 49, eer_kcal=2500, protein_rni_g=65, fiber_ai_g=30, sodium_cdrr_mg=2300),
            KdriBand(50, 64, eer_kcal=2200, protein_rni_g=60, fiber_ai_g=30, sodium_cdrr_mg=2300),
            KdriBand(65, 74, eer_kcal=2000, protein_rni_g=60, fiber_ai_g=25, sodium_cdrr_mg=2100),
            KdriBand(75, None, eer_kcal=1900, protein_rni_g=60, fiber_ai_g=25, sodium_cdrr_mg=1700),
        ),
        "F": (
            KdriBand(6, 8, eer_kcal=1500, protein_rni_g=35, fiber_ai_g=20, sodium_cdrr_mg=1900),
            KdriBand(9, 11, eer_kcal=1800, protein_rni_g=45, fiber_ai_g=25, sodium_cdrr_mg=2300),
            KdriBand(12, 14, eer_kcal=2000, protein_rni_g=55, fiber_ai_g=25, sodium_cdrr_mg=2300),
            KdriBand(15, 18, eer_kcal=2000, protein_rni_g=55, fiber_ai_g=20, sodium_cdrr_mg=2300),
            KdriBand(19, 29, eer_kcal=2000, protein_rni_g=55, fiber_ai_g=20, sodium_cdrr_mg=2300),
            KdriBand(30, 49, eer_kcal=1900, protein_rni_g=50, fiber_ai_g=20, sodium_cdrr_mg=2300),
            KdriBand(50, 64, eer_kcal=1700, protein_rni_g=50, fiber_ai_g=20, sodium_cdrr_mg=2300),
            KdriBand(65, 74, eer_kcal=1600, protein_rni_g=50, fiber_ai_g=20, sodium_cdrr_mg=2100),
            KdriBand(75, None, eer_kcal=1500, protein_rni_g=50, fiber_ai_g=20, sodium_cdrr_mg=1700),
        ),
    }
)
"""2020 KDRI values by sex, from 6 years (the youngest a chatbot user plausibly is) upward.

Note: the sodium CDRR is 2,300 mg for 9–64 years; it is lower for 6–8 (1,900), 65–74 (2,100)
and 75+ (1,700) because it scales with the (lower) adequate intake of those groups."""


@dataclass(frozen=True)
class NutritionTargets:
    """What a day (or one meal) should supply; every value is for the same period.

    ``kcal`` is a point target; ranges are acceptable bands; ``*_max`` values are caps to stay
    under; ``fiber_g`` is an amount to reach. ``basis`` says, in Korean, which rule produced the
    energy so the chatbot can explain its numbers (the equation's name and factor, for the CLI, the API
    and whoever checks the arithmetic); ``summary`` says the same to a person, without the jargon
    (「키·몸무게·나이, 활동량 ‘가볍게 움직여요’ 기준」 rather than 「Mifflin–St Jeor × 활동계수 1.375」).
    """

    kcal: float
    carbohydrate_g: Range
    protein_g: Range
    fat_g: Range
    sodium_mg_max: float
    added_sugar_max_g: float
    saturated_fat_max_g: float
    fiber_g: float
    basis: str
    summary: str = ""


MEAL_SHARES: Final[Mapping[str, float]] = MappingProxyType(
    {"아침": 0.25, "점심": 0.35, "저녁": 0.30, "간식": 0.10, "야식": 0.10}
)
"""Share of the daily targets that one meal should carry.

아침 + 점심 + 저녁 + 간식 = 1.0: a day of three meals and one optional snack. Breakfast is the
lightest main meal because most people eat less in the morning; lunch the largest because it is
the main meal of a Korean workday. 야식 is the late-night alternative to 간식 (same share), not an
extra fifth meal, so a day with 야식 instead of 간식 also sums to 1.0."""


def kdri_band(sex: Sex, age: int) -> KdriBand:
    """The 2020 KDRI row for ``sex`` and ``age`` (만 나이, ``MIN_AGE``..``MAX_AGE``)."""
    _check_sex(sex)
    _check_age(age)
    for band in KDRI_2020[sex]:
        if band.contains(age):
            return band
    raise AssertionError(f"no KDRI band for {sex} {age}")  # pragma: no cover - table covers 6+


def mifflin_st_jeor_bmr(sex: Sex, age: int, height_cm: float, weight_kg: float) -> float:
    """Resting energy (kcal/day) by Mifflin–St Jeor 1990: 10W + 6.25H − 5A + 5 (men) / − 161 (women).

    Chosen over Harris–Benedict because it was fitted on a modern population and predicts within
    10 % for more people. It was derived from adults (19–78); for minors it is an approximation.
    """
    base = 10.0 * weight_kg + 6.25 * height_cm - 5.0 * age
    return base + 5.0 if sex == "M" else base - 161.0


def compute_targets(
    sex: Sex,
    age: int,
    height_cm: float | None = None,
    weight_kg: float | None = None,
    activity: ActivityLevel | None = None,
    goal: Goal = "maintain",
) -> NutritionTargets:
    """Daily nutrition targets for one person.

    Uses Mifflin–St Jeor × activity factor when height, weight and activity are all given (a
    partial profile falls back to the KDRI EER for the band, because guessing the missing part
    would be less accurate than the band average). Values given are validated even when unused,
    so a typo in a profile is reported rather than silently ignored.

    Raises ``ValueError`` with a message that names the bad field and the accepted values.
    """
    _check_sex(sex)
    _check_age(age)
    if height_cm is not None:
        _check_between("height_cm", height_cm, HEIGHT_RANGE_CM, "cm")
    if weight_kg is not None:
        _check_between("weight_kg", weight_kg, WEIGHT_RANGE_KG, "kg")
    if activity is not None and activity not in _ACTIVITIES:
        raise ValueError(f"activity must be one of {', '.join(_ACTIVITIES)}; got {activity!r}")
    if goal not in _GOALS:
        raise ValueError(f"goal must be one of {', '.join(_GOALS)}; got {goal!r}")

    band = kdri_band(sex, age)
    bmr: float | None = None
    if height_cm is not None and weight_kg is not None and activity is not None:
        bmr = mifflin_st_jeor_bmr(sex, age, height_cm, weight_kg)
        factor = ACTIVITY_FACTORS[activity]
        maintenance = bmr * factor
        basis = f"Mifflin–St Jeor × 활동계수 {factor}"
        summary = f"키·몸무게·나이, 활동량 ‘{ACTIVITY_KO[activity]}’ 기준"
    else:
        maintenance = float(band.eer_kcal)
        basis = f"2020 KDRI 필요추정량 ({_SEX_KO[sex]} {band.label})"
        summary = f"{_SEX_KO[sex]} {band.label} 평균 (한국인 영양소 섭취기준)"

    kcal, goal_note, goal_words = _apply_goal(sex, maintenance, bmr, goal)
    if goal_note:
        basis = f"{basis}, {goal_note}"
        summary = f"{summary}, {goal_words}"
    return _targets_for(
        kcal,
        protein_floor_g=band.protein_rni_g,
        fiber_g=band.fiber_ai_g,
        sodium_mg_max=band.sodium_cdrr_mg,
        saturated_fat_share=SATURATED_FAT_MAX_ADULT if age >= 19 else SATURATED_FAT_MAX_YOUTH,
        basis=basis,
        summary=summary,
    )


def meal_targets(targets: NutritionTargets, meal: str) -> NutritionTargets:
    """The part of a day's ``targets`` that one ``meal`` (a key of ``MEAL_SHARES``) should carry.

    Every value is scaled by the meal's share, caps and the fiber goal included: a meal that
    uses its share of the sodium cap leaves the rest of the day its share too.
    """
    if meal not in MEAL_SHARES:
        raise ValueError(f"meal must be one of {', '.join(MEAL_SHARES)}; got {meal!r}")
    share = MEAL_SHARES[meal]
    return scale_targets(targets, share, f"{meal} {round(share * 100)}%")


def scale_targets(targets: NutritionTargets, share: float, note: str = "") -> NutritionTargets:
    """Every value of ``targets`` times ``share``, caps and the fiber goal included (one meal, or any set of
    meals such as a day without its dinner); ``note`` is added to the basis when the share is not 1."""
    return replace(
        targets,
        kcal=targets.kcal * share,
        carbohydrate_g=targets.carbohydrate_g.scaled(share),
        protein_g=targets.protein_g.scaled(share),
        fat_g=targets.fat_g.scaled(share),
        sodium_mg_max=targets.sodium_mg_max * share,
        added_sugar_max_g=targets.added_sugar_max_g * share,
        saturated_fat_max_g=targets.saturated_fat_max_g * share,
        fiber_g=targets.fiber_g * share,
        basis=f"{targets.basis} · {note}" if note and share != 1 else targets.basis,
    )


DEFAULT_KCAL: Final = 2200
"""Energy for a user with no profile: the mean of the KDRI EER for men (2,500) and women (1,900)
aged 30–49, the middle of the adult age range that most chatbot users fall in. Averaging 19–29
instead would skew high (2,300) for a group that skews older; either sex alone would be wrong for
half the users. Protein RNI and fiber AI are likewise averaged across sexes for 30–49."""


def default_targets() -> NutritionTargets:
    """Targets for a user who has not told us anything; see ``DEFAULT_KCAL`` for the choice."""
    men = kdri_band("M", 40)
    women = kdri_band("F", 40)
    return _targets_for(
        float(DEFAULT_KCAL),
        protein_floor_g=(men.protein_rni_g + women.protein_rni_g) / 2,
        fiber_g=(men.fiber_ai_g + women.fiber_ai_g) / 2,
        sodium_mg_max=men.sodium_cdrr_mg,
        saturated_fat_share=SATURATED_FAT_MAX_ADULT,
        basis="기본값: 2020 KDRI 필요추정량 30–49세 남녀 평균 (프로필 없음)",
        summary="기본값: 30–49세 남녀 평균 (프로필을 채우면 내게 맞춰요)",
    )


def age_from_birth_year(birth_year: int, today: date) -> int:
    """Age from a birth year alone: ``today.year − birth_year``.

    With only the year we cannot know whether this year's birthday has passed, so this is the
    연 나이; it equals 만 나이 from the birthday on and is one too high before it. The KDRI bands
    are several years wide, so this only matters at a band edge. ``today`` is a parameter so the
    caller decides the time zone (the app's is Asia/Seoul) and tests stay deterministic.
    """
    if birth_year > today.year:
        raise ValueError(f"birth_year {birth_year} is after today ({today.isoformat()})")
    return today.year - birth_year


def _apply_goal(sex: Sex, maintenance: float, bmr: float | None, goal: Goal) -> tuple[float, str, str]:
    """Adjust maintenance energy for the goal; return the rounded kcal, a Korean note for ``basis`` and the
    same in a person's words for ``summary`` (both '' if none)."""
    if goal == "maintain":
        return _round10(maintenance), "", ""
    if goal == "bulk":
        pct = round(BULK_SURPLUS * 100)
        return _round10(maintenance * (1 + BULK_SURPLUS)), f"벌크업 +{pct}%", f"벌크업이라 {pct}% 늘림"

    pct = round(DIET_DEFICIT * 100)
    note, words = f"다이어트 −{pct}%", f"다이어트라 {pct}% 줄임"
    floor = DIET_FLOOR_KCAL[sex]
    floor_note = f"최저 {floor:,.0f} kcal"
    if bmr is not None and bmr > floor:
        floor, floor_note = bmr, f"기초대사량 {bmr:,.0f} kcal"
    target = maintenance * (1 - DIET_DEFICIT)
    if target >= floor:
        # max(): rounding 1,263 down to 1,260 must not slip under a BMR floor of 1,262.75.
        return max(_round10(target), _ceil10(floor)), note, words
    if floor >= maintenance:
        # The floor is above what this person burns: eating at maintenance is already the
        # lowest safe target, and 'dieting' upwards would be absurd.
        return (_round10(maintenance), f"{note} 대신 유지 (하한 {attach(floor_note, '이/가')} 유지 열량보다 높음)",
                "다이어트 중이지만 더 줄이면 안전한 최저선 아래라 지금 열량 유지")
    return _ceil10(floor), f"{note} ({floor_note} 하한 적용)", f"다이어트라 줄이되 안전한 최저선 {amount(floor, 'kcal')} 지킴"


def _targets_for(
    kcal: float,
    *,
    protein_floor_g: float,
    fiber_g: float,
    sodium_mg_max: float,
    saturated_fat_share: float,
    basis: str,
    summary: str,
) -> NutritionTargets:
    """Derive every gram target from the energy, so that the parts always add up to the whole."""
    protein_min = float(max(kcal * PROTEIN_AMDR[0] / KCAL_PER_G_PROTEIN, protein_floor_g))
    protein_max = max(kcal * PROTEIN_AMDR[1] / KCAL_PER_G_PROTEIN, protein_min)
    return NutritionTargets(
        kcal=kcal,
        carbohydrate_g=Range(
            kcal * CARBOHYDRATE_AMDR[0] / KCAL_PER_G_CARBOHYDRATE,
            kcal * CARBOHYDRATE_AMDR[1] / KCAL_PER_G_CARBOHYDRATE,
        ),
        protein_g=Range(protein_min, protein_max),
        fat_g=Range(kcal * FAT_AMDR[0] / KCAL_PER_G_FAT, kcal * FAT_AMDR[1] / KCAL_PER_G_FAT),
        sodium_mg_max=float(sodium_mg_max),
        added_sugar_max_g=kcal * ADDED_SUGAR_MAX / KCAL_PER_G_CARBOHYDRATE,
        saturated_fat_max_g=kcal * saturated_fat_share / KCAL_PER_G_FAT,
        fiber_g=float(fiber_g),
        basis=basis,
        summary=summary,
    )


def _round10(kcal: float) -> float:
    """Nearest multiple of 10, halves rounded up (Python's round() would round 1,745 down to 1,740)."""
    return float(math.floor(kcal / 10 + 0.5) * 10)


def _ceil10(kcal: float) -> float:
    """Next multiple of 10 at or above ``kcal``, so a floor stays a floor after rounding."""
    return float(math.ceil(kcal / 10) * 10)


def _check_sex(sex: object) -> None:
    if sex not in _SEXES:
        raise ValueError(f"sex must be one of {', '.join(_SEXES)}; got {sex!r}")


def _check_age(age: object) -> None:
    if isinstance(age, bool) or not isinstance(age, int):
        raise ValueError(f"age must be a whole number of years; got {age!r}")
    if not MIN_AGE <= age <= MAX_AGE:
        raise ValueError(f"age must be between {MIN_AGE} and {MAX_AGE} (KDRI bands used here); got {age}")


def _check_between(name: str, value: float, bounds: tuple[float, float], unit: str) -> None:
    # `not (lo <= v <= hi)` also rejects NaN, which compares false with everything.
    lo, hi = bounds
    if not lo <= value <= hi:
        raise ValueError(f"{name} must be between {lo:g} and {hi:g} {unit}; got {value!r}")
