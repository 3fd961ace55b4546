"""Recommendation examples: a user's remembered context and today's meals in, a grounded answer out.

Each example is one run of the real recommender on a varied random request (allergies, dislikes,
diets, goals, calorie caps, situations, today's meals taken from the food table …). The ``input``
holds what mechuri knows at that moment — the profile, today's meals and the meal's targets — and a
list of candidate dishes with their facts, among them one or two that break a hard constraint. The
``output`` recommends what the recommender chose, with its grounded reasons, and says why the
offending candidates were left out. A model trained on this learns to use the context it is given —
allergies included — and to take every number from it.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace

from mechuri.data.example import Example
from mechuri.data.synthesize import amount, facts_line
from mechuri.knowledge.foods import Dish, FoodTable
from mechuri.knowledge.korean import attach
from mechuri.knowledge.targets import meal_targets
from mechuri.knowledge.vocab import NUTRIENT_FIELDS, NUTRIENT_LABELS
from mechuri.recommend import RecommendationRequest, recommend
from mechuri.recommend.audit import random_request, violations

DAY_ORDER = ("아침", "점심", "저녁")
EATEN_BEFORE = {"아침": (), "점심": ("아침",), "저녁": ("아침", "점심"), "간식": ("아침", "점심"),
                "야식": ("아침", "점심", "저녁")}
SITUATION_PHRASES = {"비오는날": "비 오는데", "해장": "해장하고 싶은데", "여름": "너무 더운데", "겨울": "날이 추운데",
                     "혼밥": "혼자 먹을", "회식": "회식 자리로", "스트레스": "스트레스 받는 날인데"}
TAG_PHRASES = {"국물": "국물 있는 걸로", "매운": "매운 걸로", "면": "면 요리로", "밥": "밥 종류로", "고기": "고기 들어간 걸로",
               "해산물": "해산물로", "따뜻한": "따뜻한 걸로", "담백한": "담백한 걸로", "든든한": "든든한 걸로",
               "가벼운": "가벼운 걸로"}
ENDINGS = ("추천해 줘", "뭐 먹지?", "메뉴 골라 줄래?", "추천 부탁해요", "뭐가 좋을까요?", "먹을 만한 거 알려 줘")
ANOTHER_ENDINGS = ("다른 걸로 추천해 줘", "그거 말고 다른 거 없어?", "다른 메뉴로 다시 골라 줘")
INTROS = ("{meal} 메뉴로 이렇게 골라 봤어요.", "{meal_ro} 이런 건 어떠세요?", "{meal} 추천드려요!")


def _meal_phrase(meal: str) -> str:
    return {"아침": "아침", "점심": "점심", "저녁": "저녁 메뉴", "간식": "간식", "야식": "야식"}[meal]


def user_message(request: RecommendationRequest, rng: random.Random) -> str:
    """What the user typed: the meal, this message's slots and an ending, in natural order."""
    parts = [SITUATION_PHRASES[s] for s in sorted(request.situations) if s in SITUATION_PHRASES][:1]
    if request.people and request.people > 1:
        parts.append(f"{request.people}명이서")
    parts.append(_meal_phrase(request.meal or "점심"))
    parts += [f"{c}으로" if c in ("중식", "일식", "양식", "한식") else f"{c} 음식으로"
              for c in sorted(request.wanted_cuisines)]
    parts += [TAG_PHRASES[t] for t in sorted(request.wanted_tags) if t in TAG_PHRASES]
    parts += [f"{c} 종류로" for c in sorted(request.wanted_categories)]
    parts += [f"{i} 들어간 걸로" for i in sorted(request.wanted_ingredients)]
    if request.kcal_max is not None:
        parts.append(f"{round(request.kcal_max)}kcal 이하로")
    if request.cheap:
        parts.append("저렴하게")
    parts.append(rng.choice(ANOTHER_ENDINGS if request.avoid_names else ENDINGS))
    return " ".join(parts)


def _words(values: frozenset[str]) -> str:
    return ", ".join(sorted(values)) or "없음"


def context_block(request: RecommendationRequest, eaten: list[tuple[str, Dish]],
                  candidates: list[Dish]) -> str:
    """What mechuri knows at this turn, in the shape a grounded prompt gives it to a model."""
    meal = request.meal or "점심"
    per_meal = meal_targets(request.targets, meal)
    lines = ["[사용자 정보]", f"알레르기: {_words(request.allergies)}", f"싫어하는 것: {_words(request.excluded)}",
             f"식단: {_words(request.diets)}", f"목표: {request.goal or '없음'}", f"좋아하는 것: {_words(request.liked)}",
             f"하루 목표: 열량 {round(request.targets.kcal)}kcal, 나트륨 {round(request.targets.sodium_mg_max)}mg 이하",
             f"{meal} 권장: 열량 약 {round(per_meal.kcal)}kcal, 나트륨 약 {round(per_meal.sodium_mg_max)}mg 이하, "
             f"단백질 약 {round(per_meal.protein_g.min)}g 이상", "[오늘 먹은 것]"]
    lines += [f"{m}: {facts_line(dish)}" for m, dish in eaten] or ["아직 없음"]
    if eaten:
        lines.append("합계: " + ", ".join(f"{NUTRIENT_LABELS[field]} {amount(field, request.eaten(field))}"
                                          for field in ("kcal", "carbohydrate_g", "protein_g", "sodium_mg")))
    if request.recent:
        recent = sorted(request.recent.items(), key=lambda item: (item[1], item[0]))[:5]
        lines.append("[최근 먹거나 추천받은 메뉴] " + ", ".join(
            f"{name}({'오늘' if days == 0 else f'{days}일 전'})" for name, days in recent))
    if request.avoid_names:
        lines.append(f"[직전에 추천한 메뉴] {_words(request.avoid_names)}")
    lines.append("[후보 메뉴 (음식 표)]")
    lines += [f"- {facts_line(dish)}" for dish in candidates]
    return "\n".join(lines)


def _why_excluded(dish: Dish, request: RecommendationRequest) -> str | None:
    """A short clause for a candidate that breaks the user's allergy, dislike, diet or calorie cap."""
    for word in sorted(request.allergies):
        if violations(dish, RecommendationRequest(allergies=frozenset({word}))):
            return f"{word} 알레르기 때문에"
    for word in sorted(request.excluded):
        if violations(dish, RecommendationRequest(excluded=frozenset({word}))):
            return f"싫어하시는 {word} 때문에"
    for diet in sorted(request.diets):
        if violations(dish, RecommendationRequest(diets=frozenset({diet}))):
            return f"{diet} 식단에 맞지 않아서"
    if request.kcal_max is not None and dish.kcal > request.kcal_max:
        return f"{round(dish.kcal)}kcal로 말씀하신 {round(request.kcal_max)}kcal를 넘어서"
    return None


def _distractors(table: FoodTable, request: RecommendationRequest, rng: random.Random,
                 chosen: set[str]) -> list[tuple[Dish, str]]:
    """One or two dishes that look like candidates but break a personal hard constraint."""
    if not (request.allergies or request.excluded or request.diets or request.kcal_max is not None):
        return []
    found: list[tuple[Dish, str]] = []
    wanted = rng.choice((1, 2))
    for dish in rng.sample(table.dishes, 80):
        if dish.name in chosen or (request.meal and request.meal not in dish.meals):
            continue
        why = _why_excluded(dish, request)
        if why is not None:
            found.append((dish, why))
            if len(found) == wanted:
                break
    return found


def answer(request: RecommendationRequest, items: list, notice: str | None, relaxations: list,
           eaten: list[tuple[str, Dish]], distractors: list[tuple[Dish, str]], rng: random.Random) -> str:
    """The grounded reply: intro, what is left of today, the picks with reasons, shortfall, exclusions."""
    meal = request.meal or "점심"
    lines = []
    if items:
        lines.append("다른 메뉴로 다시 골라 봤어요." if request.avoid_names
                     else rng.choice(INTROS).format(meal=meal, meal_ro=attach(meal, "으로/로")))
    if eaten:
        eaten_kcal, target = round(request.eaten("kcal")), round(request.targets.kcal)
        lines.append(f"오늘 {eaten_kcal}kcal 드셔서 하루 목표 {target}kcal까지 {target - eaten_kcal}kcal 남았어요."
                     if eaten_kcal <= target else f"오늘 이미 {eaten_kcal}kcal로 하루 목표 {target}kcal를 넘었어요. "
                     "가볍게 골랐어요.")
    for rank, item in enumerate(items, start=1):
        dish = item.dish
        reasons = ". ".join(item.reasons[:2])
        lines.append(f"{rank}. {dish.name} ({round(dish.serving_g)}g, {round(dish.kcal)}kcal) — {reasons}.")
    if notice:
        lines.append(f"{notice}.")
        if relaxations:
            lines.append("대신 이렇게 바꿔 보시면 어떨까요? " + " ".join(f"{r.description_ko}." for r in relaxations[:2]))
    if distractors:
        lines.append("후보 중 " + ", ".join(f"{attach(dish.name, '은/는')} {why}" for dish, why in distractors)
                     + " 뺐어요.")
    elif request.allergies and items:
        lines.append(f"{_words(request.allergies)} 알레르기는 모두 피했어요.")
    return "\n".join(lines)


def _with_real_meals(table: FoodTable, request: RecommendationRequest,
                     rng: random.Random) -> tuple[RecommendationRequest, list[tuple[str, Dish]]]:
    """Replace the random request's made-up day with dishes actually eaten at the meals before this one."""
    meal = request.meal or rng.choice(("아침", "점심", "저녁", "간식", "야식"))
    before = EATEN_BEFORE[meal]
    eaten_meals = before[:rng.randint(0, len(before))]
    eaten = [(m, rng.choice([d for d in table.dishes if m in d.meals])) for m in eaten_meals]
    totals = {field: sum(dish.nutrition()[field] for _, dish in eaten) for field in NUTRIENT_FIELDS} if eaten else {}
    request = replace(request, meal=meal, k=5, eaten_meals=tuple(eaten_meals), eaten_totals=totals)
    return request, eaten


def recommendation_examples(table: FoodTable, rng: random.Random, count: int) -> Iterator[Example]:
    """``count`` recommendation examples from seeded random requests (see the module docstring)."""
    names = [dish.name for dish in table]
    for number in range(count):
        request, eaten = _with_real_meals(table, random_request(rng, names), rng)
        result = recommend(table, request)
        picks = result.items[:3]
        distractors = _distractors(table, request, rng, {item.dish.name for item in result.items})
        candidates = [item.dish for item in result.items] + [dish for dish, _ in distractors]
        rng.shuffle(candidates)
        notice = result.notice_ko if len(picks) < 3 else None  # k=5 was asked: say nothing for 3–4
        output = answer(request, picks, notice, result.relaxations, eaten, distractors, rng)
        yield Example(user_message(request, rng), context_block(request, eaten, candidates), output,
                      source="synth:recommend", intent="recommend",
                      meta={"group": f"recommend-{number}", "picks": [item.dish.name for item in picks],
                            "excluded": [dish.name for dish, _ in distractors]})
