"""Nutrition targets: what the recommender aims at, checked against the published numbers."""

from __future__ import annotations

import dataclasses
import re
from datetime import date

import pytest
from typer.testing import CliRunner

from mechuri.cli import app
from mechuri.knowledge.targets import (
    ACTIVITY_FACTORS,
    KDRI_2020,
    MEAL_SHARES,
    NutritionTargets,
    Range,
    age_from_birth_year,
    compute_targets,
    default_targets,
    kdri_band,
    meal_targets,
    mifflin_st_jeor_bmr,
)
from mechuri.units import amount, amount_range

# --- Energy from the 2020 KDRI table (no body measurements) -------------------------------------


@pytest.mark.parametrize(
    ("sex", "age", "kcal"),
    [
        ("M", 7, 1700),
        ("F", 7, 1500),
        ("M", 10, 2000),
        ("F", 10, 1800),
        ("M", 13, 2500),
        ("F", 13, 2000),
        ("M", 16, 2700),
        ("F", 16, 2000),
        ("M", 19, 2600),
        ("F", 29, 2000),
        ("M", 30, 2500),
        ("F", 49, 1900),
        ("M", 50, 2200),
        ("F", 64, 1700),
        ("M", 65, 2000),
        ("F", 74, 1600),
        ("M", 75, 1900),
        ("F", 120, 1500),
    ],
)
def test_without_a_body_profile_energy_is_the_kdri_estimated_energy_requirement(sex, age, kcal):
    assert compute_targets(sex, age).kcal == kcal


def test_kdri_basis_names_the_table_sex_and_band():
    assert compute_targets("F", 24).basis == "2020 KDRI 필요추정량 (여자 19–29세)"
    assert compute_targets("M", 80).basis == "2020 KDRI 필요추정량 (남자 75세 이상)"


def test_kdri_bands_cover_every_age_from_6_to_120_without_gaps_or_overlaps():
    for sex, bands in KDRI_2020.items():
        for age in range(6, 121):
            assert sum(band.contains(age) for band in bands) == 1, (sex, age)


def test_a_partial_body_profile_falls_back_to_the_kdri_table():
    assert compute_targets("F", 25, height_cm=163, weight_kg=55).kcal == 2000
    assert compute_targets("F", 25, height_cm=163, activity="low").basis.startswith("2020 KDRI")


# --- Energy from Mifflin–St Jeor ----------------------------------------------------------------


def test_mifflin_st_jeor_matches_the_published_equation():
    # Woman, 29, 163 cm, 55 kg: 10·55 + 6.25·163 − 5·29 − 161
    assert mifflin_st_jeor_bmr("F", 29, 163, 55) == pytest.approx(1262.75)
    # Man, 30, 180 cm, 80 kg: 10·80 + 6.25·180 − 5·30 + 5
    assert mifflin_st_jeor_bmr("M", 30, 180, 80) == pytest.approx(1780.0)


def test_with_a_full_profile_energy_is_bmr_times_activity_rounded_to_10_kcal():
    targets = compute_targets("F", 29, height_cm=163, weight_kg=55, activity="low")
    # 1262.75 × 1.375 = 1736.3 → 1740
    assert targets.kcal == 1740
    assert targets.basis == "Mifflin–St Jeor × 활동계수 1.375"


def test_activity_factors_are_the_four_kdri_categories():
    assert dict(ACTIVITY_FACTORS) == {"sedentary": 1.2, "low": 1.375, "active": 1.55, "very_active": 1.725}


def test_more_activity_means_more_energy():
    kcals = [compute_targets("M", 35, 175, 70, level).kcal for level in ACTIVITY_FACTORS]
    assert kcals == sorted(kcals)
    assert len(set(kcals)) == 4


# --- Goals ----------------------------------------------------------------------------------------


def test_diet_takes_20_percent_off_and_says_so():
    targets = compute_targets("F", 24, goal="diet")
    assert targets.kcal == 1600
    assert targets.basis == "2020 KDRI 필요추정량 (여자 19–29세), 다이어트 −20%"


def test_bulk_adds_10_percent_and_says_so():
    targets = compute_targets("M", 24, goal="bulk")
    assert targets.kcal == 2860
    assert targets.basis.endswith("벌크업 +10%")


def test_diet_never_goes_below_the_bmr():
    # Sedentary: 0.8 × 1.2 × BMR < BMR, so the BMR floor always binds.
    bmr = mifflin_st_jeor_bmr("F", 29, 163, 55)
    targets = compute_targets("F", 29, 163, 55, "sedentary", goal="diet")
    assert targets.kcal >= bmr
    assert targets.kcal == 1270
    assert "기초대사량" in targets.basis

    man = compute_targets("M", 30, 180, 80, "sedentary", goal="diet")
    assert man.kcal == 1780


def test_diet_never_goes_below_1500_kcal_for_men_without_a_bmr():
    # Boy 6–8: 1,700 × 0.8 = 1,360 → 1,500
    targets = compute_targets("M", 7, goal="diet")
    assert targets.kcal == 1500
    assert "1,500 kcal" in targets.basis


def test_diet_never_goes_below_1200_kcal_for_women():
    # 75+ woman: 1,500 × 0.8 = 1,200, exactly at the floor.
    assert compute_targets("F", 80, goal="diet").kcal == 1200
    # Small active woman whose BMR is under 1,200: the 1,200 floor applies.
    small = compute_targets("F", 60, 150, 45, "active", goal="diet")
    assert small.kcal == 1200


def test_diet_never_asks_for_more_than_maintenance():
    # Small, old, sedentary woman: BMR 726.5 × 1.2 ≈ 872 kcal, already under the 1,200 floor.
    maintain = compute_targets("F", 90, 150, 40, "sedentary")
    diet = compute_targets("F", 90, 150, 40, "sedentary", goal="diet")
    assert diet.kcal == maintain.kcal == 870
    assert "유지" in diet.basis


def test_diet_respects_its_floors_for_every_profile_on_a_grid():
    for sex in ("M", "F"):
        floor = 1500 if sex == "M" else 1200
        for age in (19, 45, 70):
            for height in (150, 170, 190):
                for weight in (45, 70, 110):
                    for activity in ACTIVITY_FACTORS:
                        maintain = compute_targets(sex, age, height, weight, activity).kcal
                        diet = compute_targets(sex, age, height, weight, activity, goal="diet").kcal
                        bmr = mifflin_st_jeor_bmr(sex, age, height, weight)
                        assert diet <= maintain
                        assert diet == maintain or diet >= max(bmr, floor)


# --- Everything else follows from energy ------------------------------------------------------


@pytest.mark.parametrize(
    "targets",
    [
        compute_targets("F", 24),
        compute_targets("M", 40, 175, 72, "active", "bulk"),
        compute_targets("F", 15, goal="diet"),
        default_targets(),
    ],
    ids=["woman-kdri", "man-mifflin-bulk", "girl-diet", "default"],
)
def test_macro_grams_are_the_amdr_shares_of_the_energy(targets: NutritionTargets):
    kcal = targets.kcal
    assert targets.carbohydrate_g.min == pytest.approx(0.55 * kcal / 4)
    assert targets.carbohydrate_g.max == pytest.approx(0.65 * kcal / 4)
    assert targets.fat_g.min == pytest.approx(0.15 * kcal / 9)
    assert targets.fat_g.max == pytest.approx(0.30 * kcal / 9)
    assert targets.protein_g.min >= 0.07 * kcal / 4  # or higher, when the RNI floor binds
    assert targets.protein_g.max == pytest.approx(0.20 * kcal / 4)
    assert targets.added_sugar_max_g == pytest.approx(0.10 * kcal / 4)


def test_protein_rni_is_a_floor_under_the_amdr_minimum():
    # Woman 19–29: 7 % of 2,000 kcal is 35 g, but her RNI is 55 g.
    assert compute_targets("F", 24).protein_g.min == 55
    # Man 50+: RNI 60 g.
    assert compute_targets("M", 55).protein_g.min == 60
    # Man 19–49: RNI 65 g.
    assert compute_targets("M", 40).protein_g.min == 65


@pytest.mark.parametrize(
    ("sex", "age", "sodium"),
    [("M", 30, 2300), ("F", 50, 2300), ("F", 12, 2300), ("M", 7, 1900), ("M", 70, 2100), ("F", 80, 1700)],
)
def test_sodium_cap_is_the_kdri_chronic_disease_risk_reduction_intake(sex, age, sodium):
    assert compute_targets(sex, age).sodium_mg_max == sodium


@pytest.mark.parametrize(
    ("sex", "age", "fiber"),
    [("M", 25, 30), ("F", 25, 20), ("M", 60, 30), ("F", 60, 20), ("M", 70, 25), ("M", 13, 30)],
)
def test_fiber_is_the_kdri_adequate_intake(sex, age, fiber):
    assert compute_targets(sex, age).fiber_g == fiber


def test_saturated_fat_cap_is_7_percent_for_adults_and_8_percent_for_minors():
    adult = compute_targets("M", 19)
    teen = compute_targets("M", 18)
    assert adult.saturated_fat_max_g == pytest.approx(0.07 * adult.kcal / 9)
    assert teen.saturated_fat_max_g == pytest.approx(0.08 * teen.kcal / 9)


def test_targets_are_immutable():
    targets = compute_targets("F", 24)
    with pytest.raises(dataclasses.FrozenInstanceError):
        targets.kcal = 3000  # type: ignore[misc]


# --- Range -------------------------------------------------------------------------------------


def test_range_mid_is_the_middle():
    assert Range(55, 75).mid == 65


def test_range_refuses_min_above_max():
    with pytest.raises(ValueError, match="greater than max"):
        Range(10, 5)


# --- Meals -------------------------------------------------------------------------------------


def test_three_meals_and_a_snack_make_a_whole_day():
    day = ("아침", "점심", "저녁", "간식")
    assert sum(MEAL_SHARES[meal] for meal in day) == pytest.approx(1.0)


def test_a_late_night_snack_replaces_the_snack_rather_than_adding_a_meal():
    assert MEAL_SHARES["야식"] == MEAL_SHARES["간식"]


def test_breakfast_is_lighter_than_lunch_and_dinner():
    assert MEAL_SHARES["아침"] < MEAL_SHARES["저녁"] < MEAL_SHARES["점심"]


def test_meal_targets_scale_every_value_by_the_share():
    day = compute_targets("F", 29, 163, 55, "low")
    lunch = meal_targets(day, "점심")
    assert lunch.kcal == pytest.approx(1740 * 0.35)
    assert lunch.carbohydrate_g.min == pytest.approx(day.carbohydrate_g.min * 0.35)
    assert lunch.protein_g.max == pytest.approx(day.protein_g.max * 0.35)
    assert lunch.fat_g.mid == pytest.approx(day.fat_g.mid * 0.35)
    assert lunch.sodium_mg_max == pytest.approx(2300 * 0.35)
    assert lunch.added_sugar_max_g == pytest.approx(day.added_sugar_max_g * 0.35)
    assert lunch.saturated_fat_max_g == pytest.approx(day.saturated_fat_max_g * 0.35)
    assert lunch.fiber_g == pytest.approx(20 * 0.35)
    assert lunch.basis == "Mifflin–St Jeor × 활동계수 1.375 · 점심 35%"


def test_the_meals_of_a_day_add_back_up_to_the_day():
    day = compute_targets("M", 40)
    meals = [meal_targets(day, name) for name in ("아침", "점심", "저녁", "간식")]
    assert sum(m.kcal for m in meals) == pytest.approx(day.kcal)
    assert sum(m.sodium_mg_max for m in meals) == pytest.approx(day.sodium_mg_max)


def test_an_unknown_meal_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="아침, 점심, 저녁, 간식, 야식"):
        meal_targets(default_targets(), "브런치")


# --- No profile -----------------------------------------------------------------------------------


def test_default_targets_are_2200_kcal_and_labelled_as_a_default():
    targets = default_targets()
    assert targets.kcal == 2200
    assert targets.basis.startswith("기본값")
    assert "30–49세 남녀 평균" in targets.basis
    assert targets.sodium_mg_max == 2300
    assert targets.fiber_g == 25


def test_default_energy_is_the_mean_of_men_and_women_30_to_49():
    assert (kdri_band("M", 40).eer_kcal + kdri_band("F", 40).eer_kcal) / 2 == default_targets().kcal


# --- Age -----------------------------------------------------------------------------------------


def test_age_from_birth_year_counts_calendar_years():
    assert age_from_birth_year(1996, date(2025, 1, 1)) == 29
    assert age_from_birth_year(1996, date(2025, 12, 31)) == 29
    assert age_from_birth_year(2025, date(2025, 6, 1)) == 0


def test_a_birth_year_in_the_future_is_refused():
    with pytest.raises(ValueError, match="after today"):
        age_from_birth_year(2030, date(2025, 6, 1))


# --- Bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sex": "F", "age": 5}, "age must be between 6 and 120"),
        ({"sex": "F", "age": 121}, "age must be between 6 and 120"),
        ({"sex": "F", "age": 30.5}, "whole number"),
        ({"sex": "X", "age": 30}, "sex must be one of M, F"),
        ({"sex": "f", "age": 30}, "sex must be one of M, F"),
        ({"sex": "F", "age": 30, "height_cm": 99}, "height_cm must be between 100 and 250 cm"),
        ({"sex": "F", "age": 30, "height_cm": 251}, "height_cm must be between 100 and 250 cm"),
        ({"sex": "F", "age": 30, "height_cm": float("nan")}, "height_cm"),
        ({"sex": "F", "age": 30, "weight_kg": 24}, "weight_kg must be between 25 and 300 kg"),
        ({"sex": "F", "age": 30, "weight_kg": 301}, "weight_kg must be between 25 and 300 kg"),
        ({"sex": "F", "age": 30, "activity": "couch"}, "activity must be one of sedentary, low"),
        ({"sex": "F", "age": 30, "goal": "cut"}, "goal must be one of maintain, diet, bulk"),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_the_field(kwargs, message):
    with pytest.raises(ValueError, match=message):
        compute_targets(**kwargs)


def test_boundary_values_are_accepted():
    compute_targets("M", 6, height_cm=100, weight_kg=25, activity="sedentary")
    compute_targets("F", 120, height_cm=250, weight_kg=300, activity="very_active")


def test_the_diet_floor_note_reads_kcal_as_kalori():
    """「1,200 kcal」 is read …칼로리 (a vowel): 「하한 최저 1,200 kcal가」, not the hard-coded 「…kcal이」."""
    basis = compute_targets("F", 80, height_cm=150, weight_kg=40, activity="sedentary", goal="diet").basis
    assert basis.endswith("다이어트 −20% 대신 유지 (하한 최저 1,200 kcal가 유지 열량보다 높음)")


def test_the_summary_says_the_basis_in_plain_words():
    """Issue 16, item 13: the page shows ``summary``, never the equation's name or its factor."""
    cases = [compute_targets("F", 29, 163, 54, "low"), compute_targets("M", 40, 175, 70, "active", "bulk"),
             compute_targets("F", 29, goal="diet"), compute_targets("F", 70, 150, 40, "sedentary", "diet"),
             default_targets()]
    for targets in cases:
        assert targets.summary and not any(word in targets.summary for word in ("Mifflin", "활동계수", "KDRI", "×"))
    assert cases[0].summary == "키·몸무게·나이, 활동량 ‘가볍게 움직여요’ 기준"
    assert cases[1].summary.endswith("벌크업이라 10% 늘림") and cases[2].summary.startswith("여자 19–29세 평균")


def test_the_targets_command_writes_amounts_as_the_web_page_and_the_replies_do():
    """「2,000 kcal」, 「275–325 g」 in `mechuri targets` beside 「2,000kcal」, 「275–325g」 everywhere else."""
    result = CliRunner().invoke(app, ["targets", "--sex", "F", "--age", "29"])
    assert result.exit_code == 0, result.output
    targets = compute_targets("F", 29)
    assert amount(targets.kcal, "kcal") in result.output
    assert amount_range(targets.carbohydrate_g.min, targets.carbohydrate_g.max, "g") in result.output
    assert f"{amount(targets.sodium_mg_max, 'mg')} 이하" in result.output
    assert not re.search(r"\d (?:g|mg|kcal)(?![a-z])", result.output), result.output
