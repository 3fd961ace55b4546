"""What a turn does, one intent at a time: remember preferences, log meals, answer nutrition and cooking
questions, and recommend menus. Each action reads the ``Understanding`` and fills part of the ``Turn``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from mechuri.conversation import strings as S
from mechuri.conversation.blocked import check_asked
from mechuri.conversation.context import DialogueContext
from mechuri.conversation.custom_log import log_custom
from mechuri.conversation.pending import pending_log
from mechuri.conversation.turn import (
    AmbiguousFood,
    Caution,
    Comparison,
    DishFacts,
    ListChoice,
    LoggedMeal,
    MealLogOutcome,
    NotRemembered,
    NutritionAnswer,
    PreferenceChange,
    QAAnswer,
    RecallAnswer,
    Recommendation,
    RecommendationAnswer,
    Refusal,
    RelaxationOffer,
    Turn,
    YesNoAnswer,
)
from mechuri.db import crud
from mechuri.db.models import Message, User
from mechuri.knowledge.foods import Dish, FoodTable
from mechuri.knowledge.lookup import FoodLookup
from mechuri.knowledge.portions import portion
from mechuri.knowledge.qa import QAIndex
from mechuri.knowledge.targets import meal_targets
from mechuri.memory import (
    apply_preference,
    day_summary,
    forget_preferences,
    load_taste,
    log_eaten_meal,
    preference_sets,
    recent_foods,
    typical_eaten_at,
)
from mechuri.nlu import MealStatement, Understanding, meal_at
from mechuri.recommend import RecommendationRequest, recommend
from mechuri.recommend.constraints import HardConstraints, dish_conflicts, explain_exclusions
from mechuri.recommend.reasons import dish_descriptions, fresh_reason
from mechuri.recommend.sampling import seed_for

NOVELTY_DAYS = 7


@dataclass
class TurnServices:
    """Everything an action may consult, gathered once per turn."""

    session: Session
    user: User
    message: Message
    now: datetime
    timezone: str
    table: FoodTable
    lookup: FoodLookup
    qa_index: Callable[[], QAIndex]
    """Built on first use: most turns ask no cooking question."""
    context: DialogueContext


def remember_preferences(u: Understanding, turn: Turn, sv: TurnServices) -> None:
    """Store likes, dislikes, allergies, diets and goals said in this message (with the message as source)."""
    for statement in u.preferences:
        try:
            updates = apply_preference(sv.session, sv.user, statement.kind, statement.value,
                                       statement.polarity, source_message=sv.message)
        except ValueError:
            continue  # a value outside the vocabulary is not remembered rather than failing the turn
        if not updates and statement.polarity == "add":
            turn.preferences_known.append(statement.said or statement.value)
        if not updates and statement.polarity == "remove":
            turn.preferences_not_found.append(NotRemembered(kind=statement.kind, value=statement.value))
        turn.preferences_changed += [PreferenceChange(action=x.action, kind=x.kind, value=x.value,
                                                      said=statement.said or None) for x in updates]
    forget = u.forget
    if forget:
        updates = forget_preferences(sv.session, sv.user, values=forget.values, kinds=forget.kinds)
        turn.preferences_changed += [PreferenceChange(action=x.action, kind=x.kind, value=x.value) for x in updates]
        if not updates and forget.values:
            turn.preferences_not_found.append(NotRemembered(value=forget.values[0]))  # the word said
        elif not updates:
            everything = len(forget.kinds) == len(RECALL_ORDER)
            turn.preferences_not_found += [NotRemembered()] if everything else [
                NotRemembered(kind=kind) for kind in forget.kinds]


RECALL_ORDER = ("allergy", "dislike", "like", "diet", "goal")
"""The order a memory answer lists the kinds in: what must never be served first."""


def recall_preferences(u: Understanding, turn: Turn, sv: TurnServices) -> None:
    """「내 알레르기 뭐였지?」: what memory holds of the kinds asked (every kind when none was named)."""
    prefs = preference_sets(sv.session, sv.user)
    kinds = [kind for kind in RECALL_ORDER if kind in (u.recall or RECALL_ORDER)]
    turn.recall = RecallAnswer(kinds=kinds, remembered={kind: sorted(prefs.get(kind, ())) for kind in kinds})


def refuse(u: Understanding, turn: Turn, _sv: TurnServices) -> None:
    """A refusal or redirection instead of an answer; the kind decides the words (self-harm: the crisis line)."""
    assert u.refusal is not None
    turn.refusal = Refusal(kind=u.refusal)


def _eaten_at(sv: TurnServices, meal: str, day_offset: int) -> datetime:
    day = sv.now.astimezone(ZoneInfo(sv.timezone)).date() + timedelta(days=day_offset)
    return typical_eaten_at(meal, day, sv.now, sv.timezone)


def _picked(u: Understanding, sv: TurnServices) -> ListChoice:
    """The dish 「첫 번째 걸로 할게」 or 「그걸로 먹을게」 points at, with its rank in the last list; no dish when
    nothing says which (no list to count in, or 「그걸로」 after a list of several with none talked about)."""
    shown = sv.context.recommended
    meal = sv.context.meal if shown else None
    pick = u.pick
    name: str | None = None
    if pick is not None and pick.reference is not None:
        if -len(shown) <= pick.reference < len(shown):
            name = shown[pick.reference]
    elif sv.context.last_dish:
        name = sv.context.last_dish
    elif len(shown) == 1:
        name = shown[0]
    if name is None or sv.table.get(name) is None:
        return ListChoice(dish=None, shown=list(shown), meal=meal)
    rank = shown.index(name) + 1 if name in shown else None
    return ListChoice(dish=name, rank=rank, shown=list(shown), meal=meal if rank else None)


def _chosen(sv: TurnServices, name: str) -> ListChoice | None:
    """A dish logged by name (「김치찌개로 할게」, 「김치찌개 먹었어」) that was on the last list: a choice too."""
    shown = sv.context.recommended
    if name not in shown:
        return None
    return ListChoice(dish=name, rank=shown.index(name) + 1, shown=list(shown), meal=sv.context.meal)


def log_meals(u: Understanding, turn: Turn, sv: TurnServices) -> None:
    """Write each meal the user said they ate, with the table's nutrition for the servings eaten.

    A dish settled on (「첫 번째 걸로 할게」, 「김치찌개로 할게」) is eaten now, as the meal its list was asked
    for, and is recorded as the turn's ``choice``; 「첫 번째 걸로」 with no list to point at logs nothing
    (the reply asks which dish)."""
    outcome = MealLogOutcome()
    local_now = sv.now.astimezone(ZoneInfo(sv.timezone))
    statements = list(u.meals)
    if u.pick is not None and not u.pick.named:
        turn.choice = _picked(u, sv)
        if turn.choice.dish is not None:
            statements = [MealStatement(turn.choice.dish, turn.choice.meal, u.servings, u.day_offset)]
    for statement in statements:
        dish = sv.table.get(statement.dish) if statement.dish else None
        if dish is None:
            outcome.unknown.append(statement.dish or "")
            continue
        choice = turn.choice if turn.choice is not None and turn.choice.dish == dish.name else _chosen(sv, dish.name)
        picked = u.pick is not None
        meal = (statement.meal or (choice.meal if choice is not None and picked else None) or u.slots.meal
                or meal_at(local_now))
        servings, extra = _amount(dish, statement.servings, statement.unit, outcome.unknown_units)
        servings = min(max(servings, 0.1), 20)
        eaten_at = sv.now if picked and not statement.day_offset else _eaten_at(sv, meal, statement.day_offset)
        row = log_eaten_meal(sv.session, sv.user, dish, meal=meal, servings=servings, eaten_at=eaten_at,
                             source_message=sv.message)
        facts = DishFacts.from_dish(dish, servings, **extra)
        turn.meal_logged.append(LoggedMeal(**facts.model_dump(), id=row.id, meal=meal,
                                           eaten_at=row.eaten_at.isoformat()))
        if choice is not None and turn.choice is None:
            turn.choice = choice
        if turn.choice is not None and turn.choice.dish == dish.name:
            turn.choice.meal = meal
            sv.context.last_dish = dish.name
    log_custom(u, turn, outcome, sv)
    if not u.meals and u.pick is None:
        vague = [mention for mention in u.foods if mention.dish is None]
        outcome.ambiguous += [AmbiguousFood(query=mention.text, suggestions=list(mention.suggestions))
                              for mention in vague]
        if len(vague) == 1 and vague[0].suggestions and not turn.meal_logged and not turn.custom_logged:
            sv.context.pending_log = pending_log(vague[0], u.meal_said or u.slots.meal or meal_at(local_now),
                                                u.day_offset)
    if turn.meal_logged:
        add_cautions(turn, sv, [meal.name for meal in turn.meal_logged])
    if turn.meal_logged or turn.custom_logged:
        days = {statement.day_offset for statement in statements} if turn.meal_logged else set()
        days |= {custom.day_offset for custom in u.custom_meals} if turn.custom_logged else set()
        outcome.day_offset = days.pop() if len(days) == 1 else 0
        summary = day_summary(sv.session, sv.user, sv.now, sv.timezone, outcome.day_offset)
        outcome.today_kcal, outcome.target_kcal = summary.totals["kcal"], summary.targets.kcal
    turn.log_outcome = outcome


def _referenced_dish(u: Understanding, sv: TurnServices) -> Dish | None:
    """The dish a follow-up points at: 「두 번째 거」 in the last recommendations, or the last dish talked about."""
    shown = sv.context.recommended
    if u.reference is not None and shown:
        index = u.reference
        if -len(shown) <= index < len(shown):
            return sv.table.get(shown[index])
        return None
    if sv.context.last_dish:
        return sv.table.get(sv.context.last_dish)
    return sv.table.get(shown[0]) if shown else None


def _listed(u: Understanding, sv: TurnServices) -> list[Dish]:
    """Every dish of the last list the message points at (「1번이랑 3번」), in the order said."""
    shown = sv.context.recommended
    names = [shown[i] for i in u.references if -len(shown) <= i < len(shown)]
    return [dish for dish in (sv.table.get(name) for name in dict.fromkeys(names)) if dish is not None]


def portion_text(count: float, unit: str) -> str:
    """「1마리」, 「반 조각」, 「1.5판」: an amount said in a unit."""
    if count == 0.5:
        return f"반 {unit}"
    return f"{count:g}{unit}"


def _amount(dish: Dish, count: float, unit: str, unknown: list[tuple[str, str]]) -> tuple[float, dict[str, Any]]:
    """Table servings for ``count`` ``unit`` of ``dish`` and how the amount reads (「양념치킨 한 마리」 → 2
    servings, 「1마리」); a unit that does not fit the dish is noted in ``unknown`` and counted as 인분."""
    if not unit:
        return count, {}
    amount = portion(dish, count, unit)
    if amount.servings is None:
        unknown.append((dish.name, unit))
        return count, {}
    return amount.servings, {"portion": portion_text(count, unit)}


def _facts(dish: Dish, count: float, unit: str, said: str, sv: TurnServices,
           unknown: list[tuple[str, str]]) -> DishFacts:
    """A dish's facts at the amount said; when the name said was a generic one standing for it (치킨 →
    후라이드치킨), that name and the other dishes it covers."""
    servings, extra = _amount(dish, count, unit, unknown)
    stand_in = sv.lookup.representative(said) if said else None
    if stand_in is not None and stand_in.name == dish.name:
        extra.update(said_as=said.strip(), variants=list(sv.lookup.variants(said)))
    return DishFacts.from_dish(dish, servings, **extra)


def answer_nutrition(u: Understanding, turn: Turn, sv: TurnServices) -> None:
    """Nutrition of the dishes mentioned (or the ones a follow-up points at), straight from the table, each
    at the servings said; the differences when the message asks which has more; names the table lacks;
    and the user's allergies and diets the dishes break. An unknown dish alone gets suggestions: it never
    borrows the numbers of the dish talked about before (only 「1번」, 「두 번째 거」 point into the list)."""
    nutrients = list(u.nutrients)
    mention = next((m for m in u.foods if m.dish), None) or (u.foods[0] if u.foods else None)
    listed = _listed(u, sv)
    others: list[Dish] = []
    said = {m.dish: m for m in reversed(u.foods) if m.dish}  # the first mention's wins
    unknown_units: list[tuple[str, str]] = []

    def facts(one: Dish) -> DishFacts:
        m = said.get(one.name)
        return _facts(one, m.servings if m else 1.0, m.unit if m else "", m.text if m else "", sv, unknown_units)

    if mention is not None and (mention.dish or not listed):
        dish = sv.table.get(mention.dish) if mention.dish else None
        if dish is None:
            turn.nutrition = NutritionAnswer(query=mention.text, found=False, nutrients=nutrients,
                                             suggestions=list(mention.suggestions))
            return
        first = facts(dish)
        names = dict.fromkeys(m.dish for m in u.foods if m.dish and m.dish != dish.name)
        others = [other for other in (sv.table.get(name) for name in names) if other is not None]
    else:
        dish = listed[0] if listed else (_referenced_dish(u, sv) if not u.references else None)
        if dish is None:
            turn.nutrition = NutritionAnswer(query="", found=False, nutrients=nutrients)
            return
        first = DishFacts.from_dish(dish, u.servings)
        others = listed[1:]
    turn.nutrition = NutritionAnswer(
        query=mention.text if mention and mention.dish else dish.name, found=True,
        dish=first, nutrients=nutrients, compared=[facts(other) for other in others],
        not_found=list(dict.fromkeys(m.text for m in u.foods if not m.dish and not m.generic)),
        compare=bool(others and u.compare), direction=u.direction if others and u.compare else None,
        permission=u.permission)
    if u.yes_no is not None:
        turn.nutrition.verdict = _verdict(u, turn.nutrition.dishes, sv)
    turn.nutrition.unknown_units = unknown_units
    if any(one.estimated for one in turn.nutrition.dishes):
        turn.nutrition.estimate_note = not (sv.context.estimate_said and sv.context.still_talking(sv.now))
        sv.context.estimate_said = True
    elif all(one.from_mfds for one in turn.nutrition.dishes):
        turn.nutrition.mfds_note = not (sv.context.mfds_said and sv.context.still_talking(sv.now))
        sv.context.mfds_said = True
    sv.context.last_dish = dish.name
    add_cautions(turn, sv, [facts.name for facts in turn.nutrition.dishes])


def _reference(field: str, meal: str, sv: TurnServices) -> float:
    """The meal's share of the user's day for ``field``: what 「칼로리 높아?」 is measured against (energy and
    sodium in whole units, grams to one decimal, as the reply states them)."""
    per = meal_targets(day_summary(sv.session, sv.user, sv.now, sv.timezone).targets, meal)
    value = {"kcal": per.kcal, "sodium_mg": per.sodium_mg_max, "carbohydrate_g": per.carbohydrate_g.max,
             "protein_g": per.protein_g.mid, "fat_g": per.fat_g.max, "sugar_g": per.added_sugar_max_g,
             "saturated_fat_g": per.saturated_fat_max_g, "fiber_g": per.fiber_g}[field]
    return float(round(value)) if field in ("kcal", "sodium_mg") else round(value, 1)


def _verdict(u: Understanding, dishes: list[DishFacts], sv: TurnServices) -> YesNoAnswer | None:
    """네 or 아니요 to ``u.yes_no``, decided from the numbers (or tags) of the dishes answered about."""
    ask = u.yes_no
    by_name = {facts.name: facts for facts in dishes}
    facts = by_name.get(ask.dish) if ask is not None else None
    if ask is None or facts is None:
        return None
    if ask.claim == "is":
        return YesNoAnswer(yes=ask.tag in facts.tags, claim="is", dish=facts.name, tag=ask.tag)
    field = ask.nutrient or "kcal"
    value = float(getattr(facts, field))
    if ask.claim in ("more", "less"):
        other = by_name.get(ask.other or "")
        if other is None:
            return None
        other_value = float(getattr(other, field))
        yes = value > other_value if ask.claim == "more" else value < other_value
        return YesNoAnswer(yes=yes, claim=ask.claim, dish=facts.name, nutrient=field, other=other.name,
                           value=value, other_value=other_value, difference=round(abs(value - other_value), 1))
    meal = u.slots.meal or meal_at(sv.now.astimezone(ZoneInfo(sv.timezone)))
    reference = _reference(field, meal, sv)
    yes = value > reference if ask.claim == "high" else value < reference
    return YesNoAnswer(yes=yes, claim=ask.claim, dish=facts.name, nutrient=field, value=value,
                       reference=reference, meal=meal)


def add_cautions(turn: Turn, sv: TurnServices, names: list[str]) -> None:
    """Note each of the user's allergies and diets that a dish of ``names`` breaks (once per dish and word)."""
    prefs = preference_sets(sv.session, sv.user)
    if not (prefs["allergy"] or prefs["diet"]):
        return
    seen = {(c.dish, c.kind, c.word) for c in turn.cautions}
    for name in dict.fromkeys(names):
        for kind, word in dish_conflicts(sv.table, name, prefs["allergy"], prefs["diet"]):
            if (name, kind, word) not in seen:
                seen.add((name, kind, word))
                turn.cautions.append(Caution(dish=name, kind=kind, word=word))  # type: ignore[arg-type]


def answer_cooking_question(u: Understanding, turn: Turn, sv: TurnServices) -> None:
    """The best entry of the bundled Q&A collection, or nothing (the writer then says so). A follow-up
    (「첫 번째 거 레시피 알려줘」) asks about the dish it points at: the search is for that dish's name, and
    only an entry about that dish answers it."""
    if "followup" in u.intents and not any(m.dish for m in u.foods):
        dish = _referenced_dish(u, sv)
        if dish is None:
            return
        turn.recipe_for = dish.name
        sv.context.last_dish = dish.name
        kinds = u.cooking_kinds
        hits = [hit for hit in sv.qa_index().search(S.recipe_query(dish.name), k=5)
                if (dish.name in hit.entry.dishes or dish.name in hit.entry.question)
                and (not kinds or hit.entry.kind in kinds)]
    else:
        hits = sv.qa_index().search(u.text)
    if hits:
        best = hits[0]
        turn.qa = QAAnswer(id=best.entry.id, question=best.entry.question, answer=best.entry.answer,
                           score=round(best.score, 3))


MEAL_CARRY_OVER = timedelta(hours=2)
"""How long a meal named in a request still holds for the next request that names none."""


def _request_slots(u: Understanding, sv: TurnServices, another: bool) -> dict[str, Any]:
    """This message's recommendation slots; 「다른 거」 starts from the previous request's slots."""
    s = u.slots
    fresh: dict[str, Any] = {
        "meal": s.meal, "meal_inferred": s.meal_inferred, "kcal_max": s.kcal_max, "kcal_min": s.kcal_min,
        "cuisines": list(s.cuisines), "categories": list(s.categories), "tags_wanted": list(s.tags_wanted),
        "tags_excluded": list(s.tags_excluded), "ingredients_wanted": list(s.ingredients_wanted),
        "ingredients_excluded": list(s.ingredients_excluded), "dishes_wanted": list(s.dishes_wanted),
        "dishes_excluded": list(s.dishes_excluded), "categories_excluded": list(s.categories_excluded),
        "cuisines_excluded": list(s.cuisines_excluded), "people": s.people, "situations": list(s.situations),
        "cheap": s.cheap,
    }
    previous = sv.context.request
    if not another and (s.meal is None or s.meal_inferred) and previous.get("meal") \
            and not previous.get("meal_inferred") and sv.context.stored_at is not None \
            and sv.now - sv.context.stored_at <= MEAL_CARRY_OVER:
        # 「점심 추천해줘」 … 「치킨 말고 피자」: still lunch, whatever the clock says now
        fresh["meal"], fresh["meal_inferred"] = previous["meal"], False
    if not another or not previous:
        return fresh
    merged = dict(sv.context.request)
    for key, value in fresh.items():
        if key == "meal_inferred" or (key == "meal" and s.meal_inferred):
            continue  # 「다른 거」 at 7 pm after a lunch request still means lunch
        if isinstance(value, list):
            merged[key] = sorted(set(merged.get(key, [])) | set(value))
        elif value not in (None, False):
            merged[key] = value
    return merged


SEASON_BY_MONTH = {12: "겨울", 1: "겨울", 2: "겨울", 6: "여름", 7: "여름", 8: "여름"}
"""Months whose weather makes people lean to warm or cold food; spring and autumn add nothing."""


def _season(sv: TurnServices) -> tuple[str, ...]:
    """When the user names no situation, the season nudges the choice (콩국수 in July, 국밥 in January)."""
    season = SEASON_BY_MONTH.get(sv.now.astimezone(ZoneInfo(sv.timezone)).month)
    return (season,) if season else ()


def _seed(sv: TurnServices) -> int:
    """The draw's seed (``recommend.sampling``): this user, today (in their time zone) and how many lists
    they were shown today before this one — so two users rarely see the same list, a replay of the same
    day gives the same lists, and asking again (or 「다른 거」) draws afresh."""
    local = sv.now.astimezone(ZoneInfo(sv.timezone))
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    shown = {row.message_id for row in crud.recommended_since(sv.session, sv.user, midnight)}
    return seed_for("mechuri-menu", sv.user.id, local.date().isoformat(), len(shown))


def recommend_menus(u: Understanding, turn: Turn, sv: TurnServices) -> None:
    """Pick menus under every hard constraint, scored for balance, taste and novelty."""
    another = u.intent == "another" or ("another" in u.intents and "recommend" not in u.intents)
    slots = _request_slots(u, sv, another)
    choices = sorted(set(u.slots.dishes_wanted)) if not another and len(set(u.slots.dishes_wanted)) >= 2 \
        and u.choice else []
    prefs = preference_sets(sv.session, sv.user)
    summary = day_summary(sv.session, sv.user, sv.now, sv.timezone)
    meal = slots.get("meal") or u.slots.meal or meal_at(sv.now.astimezone(ZoneInfo(sv.timezone)))
    avoid = set(sv.context.shown_chain if another else ())
    avoid |= set(slots.get("dishes_excluded", []))
    hard = HardConstraints.of(prefs, slots)
    request = RecommendationRequest(
        meal=meal,
        meal_explicit=bool(slots.get("dishes_wanted") or slots.get("categories")),
        k=max(3, len(choices)) if not choices else len(choices) + 3,
        kcal_max=slots.get("kcal_max"),
        kcal_min=slots.get("kcal_min"),
        allergies=frozenset(hard.allergies),
        excluded=frozenset(hard.excluded),
        diets=frozenset(hard.diets),
        goal=next(iter(sorted(prefs["goal"])), None),
        wanted_tags=frozenset(slots["tags_wanted"]),
        wanted_categories=frozenset(slots["categories"]),
        wanted_cuisines=frozenset(slots["cuisines"]),
        wanted_ingredients=frozenset(slots["ingredients_wanted"]),
        wanted_dishes=frozenset(slots["dishes_wanted"]),
        liked=prefs["like"],
        targets=summary.targets,
        eaten_totals=dict(summary.totals),
        eaten_meals=summary.meal_types,
        recent=recent_foods(sv.session, sv.user, sv.now, NOVELTY_DAYS),
        avoid_names=frozenset(avoid),
        people=slots.get("people"),
        cheap=bool(slots.get("cheap")),
        situations=frozenset(slots["situations"] or _season(sv)),
        situations_inferred=not slots["situations"] and bool(_season(sv)),
        seed=_seed(sv),
        taste=load_taste(sv.session, sv.user, sv.table),
    )
    request, blocked, close = check_asked(sv.table, request, hard) if not choices else (request, [], None)
    result = recommend(sv.table, request)
    items = result.items if close is None else close
    comparison = None
    if choices:  # only the dishes named compete, best first; one that breaks a constraint is named as such
        items = [item for item in items if item.dish.name in choices]
        broken = explain_exclusions(sv.table, request)
        comparison = Comparison(asked=choices, excluded={name: list(broken.get(name, ())) for name in choices
                                                         if name not in {item.dish.name for item in items}})
    said: set[str] = set()
    for item in items:
        facts = DishFacts.from_dish(item.dish)
        reason = fresh_reason(item.reasons, said, dish_descriptions(item.dish))
        turn.recommendations.append(Recommendation(**facts.model_dump(), reason=reason, reasons=list(item.reasons),
                                                   score=round(item.score, 4)))
    turn.constraints = hard
    turn.recommendation_answer = RecommendationAnswer(
        meal=meal, k=len(choices) or request.k, comparison=comparison, request=slots,
        relaxations=[RelaxationOffer(constraint=r.constraint, description=r.description_ko, available=r.available)
                     for r in result.relaxations] if close is None else [],
        blocked=blocked, alternatives=close is not None)
    names = [r.name for r in turn.recommendations]
    sv.context.recommended = names
    sv.context.shown_chain = (sv.context.shown_chain if another else []) + names
    sv.context.request = slots
    sv.context.meal = meal
    # 「그걸로 할게」 after 「둘 중에는 짬뽕을 추천해요」 (or after a single dish) means that dish
    sv.context.last_dish = names[0] if names and (comparison is not None or len(names) == 1) else None
