"""Deciding what a message asks for, from what the walk found: the intents, primary first.

A message can ask one thing and state others (「매운 건 싫고 점심 추천해줘」 = recommend + preference), so
intents are collected independently and ordered by what the bot must answer first: requests about the
last answer, then new requests, then statements, then social talk.
"""

from __future__ import annotations

from mechuri.nlu import lexicon as lx
from mechuri.nlu.model import DISH_REQUESTS, Intent, Pick
from mechuri.nlu.walk import Reading

ORDER: tuple[Intent, ...] = (
    "unsafe", "memory", "followup", "another", "plan", "recommend", "today", "nutrition", "recipe", "meal_log",
    "allergy", "diet", "preference", "thanks", "greeting", "smalltalk", "out_of_domain",
)
REQUESTS: frozenset[Intent] = frozenset({"followup", "another", "plan", "recommend", "nutrition", "recipe", "today"})


def has_constraints(r: Reading) -> bool:
    """Whether the message says anything about what to eat now (a bare 「매운 거」 is a request)."""
    return bool(any(r.wanted.values()) or any(r.excluded.values()) or r.situations or r.cheap
                or r.kcal_max is not None or r.kcal_min is not None or r.meal)


def _only_meal(r: Reading) -> bool:
    """「오늘 점심 맛있었다」: a meal word alone, next to chat words, is no request."""
    return bool(r.meal) and not (any(r.wanted.values()) or any(r.excluded.values()) or r.situations or r.cheap
                                 or r.kcal_max is not None or r.kcal_min is not None)


def decide(r: Reading, text: str, *, logged: bool) -> list[Intent]:
    """The intents of one message in priority order; never empty."""
    cues = r.cues
    found: set[Intent] = set()
    food_said = bool(r.foods) or has_constraints(r) or bool(r.meal_words)
    states_diet = any(p.kind in ("diet", "goal") for p in r.preferences)
    if ("PLAN" in cues or lx.PLAN_REQUEST.search(text) or ("PLAN_WEAK" in cues and not states_diet)
            or (len(set(r.meal_words)) >= 3 and cues & {"RECOMMEND", "RECOMMEND_WEAK"})):
        found.add("plan")
    if "ANOTHER" in cues or r.ref_rejected:
        found.add("another")
    if not found and (cues & {"RECOMMEND", "DESIRE"}):
        found.add("recommend")
    asks_nutrition = bool(r.nutrients) or "NUTRITION" in cues
    asks_recipe = "RECIPE" in cues
    if asks_nutrition:
        found.add("nutrition")
    if asks_recipe and not ("plan" in found and not r.foods):  # 「식단표 만들어줘」 is no recipe question
        found.add("recipe")
    else:
        asks_recipe = False
    about_dish = bool(r.foods)
    asks_about_last = (r.has_ref and not r.ref_rejected) or ((asks_nutrition or asks_recipe) and not about_dish)
    if asks_about_last and not found & {"another", "plan", "recommend"}:
        found.add("followup")
    if logged or r.logged_something:
        found.add("meal_log")
    if lx.TODAY_QUESTION.search(text) and "meal_log" not in found and not r.foods and not found & {
            "plan", "another"}:
        found -= {"nutrition", "followup", "recommend"}  # 「오늘 몇 칼로리 먹었어?」 asks about the day, no dish
        found.add("today")
    kinds = {p.kind for p in r.preferences}
    if "allergy" in kinds:
        found.add("allergy")
    if kinds & {"diet", "goal"}:
        found.add("diet")
    if kinds & {"like", "dislike"} or r.forget_values:
        found.add("preference")
    if not found & REQUESTS:
        if ("RECOMMEND_WEAK" in cues and (food_said or not (found or cues & {"SMALLTALK", "OOD"}))) or (
                food_said and "meal_log" not in found and lx.SHORT_REQUEST.search(text)):
            found.add("recommend")
        elif r.default_dishes and not found and not r.wanted["dishes"]:
            # one bare dish asks about it; 「야식으로 족발 vs 보쌈」 asks to choose
            found.add("recommend" if len(r.default_dishes) >= 2 or r.meal else "nutrition")
        elif (has_constraints(r) and not found & {"meal_log", "preference", "allergy", "diet"}
              and not ("SMALLTALK" in cues and _only_meal(r))):
            found.add("recommend")
    if "OOD" in cues and not food_said and not found & {"nutrition", "recipe", "followup", "meal_log"}:
        found -= DISH_REQUESTS
        if not found & {"preference", "allergy", "diet"}:
            found.add("out_of_domain")
    if "THANKS" in cues:
        found.add("thanks")
    if "GREETING" in cues:
        found.add("greeting")
    if not found and ("SMALLTALK" in cues or r.empty_pref_cue or "FORGET" in cues):
        found.add("smalltalk")
    if not found:
        chat = (len(set(lx.SYLLABLE.findall(text))) >= lx.CHAT_MIN_SYLLABLES and len(text) <= lx.CHAT_MAX_CHARS
                and "OOD" not in cues)
        found.add("smalltalk" if chat else "out_of_domain")
    return [intent for intent in ORDER if intent in found]


SOCIAL_AND_STATEMENTS: frozenset[Intent] = frozenset({"allergy", "diet", "preference", "thanks", "greeting"})


def settle(intents: list[Intent], pick: Pick) -> list[Intent]:
    """A dish settled on is eaten, not asked about: 「첫 번째 걸로 할게」 is a follow-up on the last list that
    logs a meal; 「김치찌개로 할게」 is a meal log. Statements and social words said with it stay."""
    found: set[Intent] = {i for i in intents if i in SOCIAL_AND_STATEMENTS} | {"meal_log"}
    if not pick.named:
        found.add("followup")
    return [intent for intent in ORDER if intent in found]
