"""Every Korean sentence about meal plans, in one place (해요체, short): the planner's explanations of
what cannot fit, its notes on a plan, and the chat reply lines. Placeholders take only names and
numbers from the plan, which come from the food table."""

from __future__ import annotations

from collections.abc import Iterable

# Every amount ({target}, {least}, {cap}, {kcal} …) comes written by mechuri.units.amount (「1,800kcal」,
# 「2,300mg」), as the plan card beside these lines and every other card writes it.

# --- why no plan ---------------------------------------------------------------------------------
NO_DISH_FOR_MEAL = "{meal}에 {constraints}에 맞는 메뉴가 하나도 없어요."
TOO_MUCH = "{fixed}까지 드시면 다른 끼니를 가장 가볍게 짜도 {day}목표 {target}(±5%)를 넘어요 (최소 {least})."
TOO_MUCH_PLAIN = "{constraints}에 맞는 메뉴로는 가장 가볍게 짜도 {day}목표 {target}(±5%)를 넘어요 (최소 {least})."
TOO_LITTLE = "{constraints}에 맞는 메뉴로는 가장 든든하게 짜도 {day}목표 {target}(±5%)에 못 미쳐요 (최대 {most})."
NO_COMBINATION = "{constraints}(으)로는 {day}목표 {target}(±5%)에 맞는 메뉴 조합을 찾지 못했어요."
NO_CONSTRAINTS = "지금 조건"

# --- notes on a plan -----------------------------------------------------------------------------
NOTE_SODIUM = "나트륨은 {days} {cap} 기준을 넘었어요. 조건에 맞는 메뉴로는 더 낮추기 어려웠어요."
NOTE_MACRO = "{nutrient}은(는) {days} 권장 범위를 벗어났어요 ({detail})."
NOTE_FIXED_BREAKS = "{meal} {name}은(는) {constraints}에 걸리지만 직접 정하신 메뉴라 그대로 두었어요."
NOTE_REPEATS = "조건에 맞는 메뉴가 적어서 {names}은(는) 두 번 이상 넣었어요."
NUTRIENT_KO = {"carbohydrate_g": "탄수화물", "protein_g": "단백질", "fat_g": "지방"}

# --- chat ----------------------------------------------------------------------------------------
PLAN_INTRO_DAY = "하루 {target}에 맞춰 식단을 짰어요."
PLAN_INTRO_WEEK = "일주일 식단을 하루 {target}에 맞춰 짰어요."
PLAN_INTRO_AGAIN = "다른 메뉴로 다시 짰어요."
PLAN_GOAL = {"다이어트": "다이어트라서 평소보다 20% 줄인 열량이에요.", "벌크업": "벌크업이라서 평소보다 10% 늘린 열량이에요."}
PLAN_SKIPPED = "{meals}은(는) 빼고, 그 몫만큼 목표도 줄였어요 ({kcal})."
PLAN_MEAL_LINE = "· {meal}: {items} ({kcal})"
PLAN_DAY_LINE = "{day}일차: {meals} — {kcal}"
PLAN_DAY_TOTAL = "합계 {kcal} (목표 대비 {error:+.1f}%) · 탄수화물 {carb} · 단백질 {protein} · 지방 {fat} · 나트륨 {sodium}"
PLAN_WEEK_TOTAL = "하루 평균 {kcal}, 목표와의 차이는 최대 {worst:.1f}%예요."
PLAN_FIXED = "{items}은(는) 그대로 두고 짰어요."
PLAN_OUTRO = "마음에 안 드시면 「다시 짜줘」라고 해 주세요."
PLAN_FAILED = "식단을 짤 수 없었어요."
PLAN_FAILED_HINT = "조건이나 목표 열량을 바꿔서 다시 말씀해 주세요."
SERVING_RICE = {0.5: "반 공기", 1.0: "", 1.5: "한 공기 반"}
DAY_WORD = "{day}일차 "
ONE_DAY_WORD = "하루 "


def join_ko(words: Iterable[str]) -> str:
    """「새우·땅콩」: several words as one noun phrase."""
    return "·".join(words)


def constraints_text(allergies: Iterable[str], excluded: Iterable[str], diets: Iterable[str]) -> str:
    """The user's hard constraints named as they would say them: 「새우 알레르기, 비건 식단, 오이 제외」."""
    parts = []
    allergies, excluded, diets = sorted(allergies), sorted(excluded), sorted(diets)
    if allergies:
        parts.append(f"{join_ko(allergies)} 알레르기")
    if diets:
        parts.append(f"{join_ko(diets)} 식단")
    if excluded:
        parts.append(f"{join_ko(excluded)} 제외")
    return ", ".join(parts) or NO_CONSTRAINTS


def days_text(days: Iterable[int], total: int) -> str:
    """「1·3일차에」 for a week, 「」 for a single day (the sentence already speaks of that day)."""
    listed = list(days)
    if total == 1:
        return ""
    return f"{join_ko(str(d) for d in listed)}일차에"
