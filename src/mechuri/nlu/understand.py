"""``understand``: one chat message in, an ``Understanding`` out — pure, fast, and never raising.

The steps: clean the text, let Kiwi tokenize it, find words (lexicon, dish names, numbers), resolve
unknown food-looking words with the fuzzy lookup, walk the words to give each its role, decide the
intents, then assemble the plain result the dialogue manager reads.
"""

from __future__ import annotations

import itertools
import logging
import re
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from mechuri.knowledge.hangul import normalize_key
from mechuri.knowledge.lookup import FoodLookup, default_lookup
from mechuri.knowledge.vocab import MEALS
from mechuri.nlu import details, safety
from mechuri.nlu import lexicon as lx
from mechuri.nlu.custom import custom_meals, unlisted_eaten
from mechuri.nlu.intents import ORDER, SOCIAL_AND_STATEMENTS, decide, settle
from mechuri.nlu.model import (
    DISH_REQUESTS,
    PREFERENCE_KINDS,
    FoodMention,
    ForgetAsk,
    Intent,
    MealStatement,
    Pick,
    PreferenceKind,
    Slots,
    Understanding,
)
from mechuri.nlu.spans import Span, lexicon_spans, regex_spans, repair_dishes
from mechuri.nlu.text import Token, clean, tokenize
from mechuri.nlu.walk import Reading, Walker

if TYPE_CHECKING:
    from mechuri.nlu.learned.classifier import LinearModel
    from mechuri.nlu.learned.embedding import EmbeddingModel

log = logging.getLogger(__name__)

SEOUL = ZoneInfo("Asia/Seoul")
MAX_FUZZY = 8
"""Fuzzy lookups per message: each costs a scan of every dish name, and real messages need one or two."""
MAX_FOODS = 20
_FOOD_CONTEXT = frozenset({"RECIPE", "NUTRITION"})
_NOUN_TAGS = frozenset({"NNG", "NNP", "XR", "SL", "NNB", "XPN"})


def understand(text: str, *, now: datetime | None = None, lookup: FoodLookup | None = None,
               context: str | None = None, learned: str | None = None) -> Understanding:
    """What ``text`` means; ``now`` only fills in the meal from the time of day (read in Asia/Seoul; a naive
    datetime is taken to be Seoul time). ``context`` is the kind of the bot's previous turn (``list``,
    ``nutrition``, ``plan`` …) when known; ``learned`` is how far the learned model is asked: ``off``,
    ``unsure`` (where the rules fell back), ``disagree`` (also where it overrules them) or ``auto`` (the one
    chosen at training; see nlu/learned/combine.py); default: the ``nlu_learned`` setting. Without the model file the rules answer
    alone."""
    try:
        return _understand(text, now, lookup or default_lookup(), context, learned)
    except Exception:  # the chat must answer something even if a rule has a bug
        log.exception("nlu failed on a message of %d characters", len(text) if isinstance(text, str) else -1)
        shown = text[:1000] if isinstance(text, str) else ""
        return Understanding(text=shown, intents=["out_of_domain"], issues=("internal_error",))


def meal_at(now: datetime) -> str:
    """The meal people in Korea are thinking about at ``now`` (read in Asia/Seoul)."""
    hour = (now.astimezone(SEOUL) if now.tzinfo else now.replace(tzinfo=SEOUL)).hour
    breakfast, lunch, dinner, snack, late_night = MEALS
    for start, end, meal in ((5, 10, breakfast), (10, 15, lunch), (15, 17, snack), (17, 21, dinner)):
        if start <= hour < end:
            return meal
    return late_night


def _understand(raw: str, now: datetime | None, lookup: FoodLookup, context: str | None = None,
                learned: str | None = None) -> Understanding:
    cleaned = clean(raw)
    if "empty" in cleaned.issues:
        return Understanding(text="", intents=["out_of_domain"], issues=cleaned.issues)
    if "no_korean" in cleaned.issues:
        refused = safety.refusal(cleaned.analysed)
        if refused is not None:
            return Understanding(text=cleaned.shown, intents=["unsafe"], issues=cleaned.issues, refusal=refused)
        key = re.sub(r"[^a-z ]", "", cleaned.analysed.lower()).strip()
        intent = lx.ENGLISH_INTENTS.get(key, "out_of_domain")
        return Understanding(text=cleaned.shown, intents=[intent], issues=cleaned.issues)
    text = cleaned.analysed
    tokens = tokenize(text)
    fixed = regex_spans(text)
    suggestions: dict[int, tuple[str, ...]] = {}
    spans = fixed + repair_dishes(text, tokens, lexicon_spans(text, tokens, lookup, fixed), lookup, suggestions)
    spans += _boundaries(text, tokens, spans)
    spans += _unknown_foods(text, tokens, spans, lookup, suggestions)
    spans.sort(key=lambda s: (s.start, s.end))
    refused = safety.refusal(text, spans)
    if refused is not None:  # no food answer at all: nothing else of the message is acted on
        return Understanding(text=cleaned.shown, intents=["unsafe"], issues=cleaned.issues, refusal=refused)
    walker = Walker(text, spans, lookup, suggestions)
    reading = walker.walk()
    meals = _meal_statements(reading, walker, text)
    intents = decide(reading, text, logged=bool(meals))
    pick = _pick(reading, text, meals)
    if pick is not None:
        meals += [MealStatement(m.dish, reading.meal, m.servings) for m in reading.foods if m.dish in pick.named]
        intents = settle(intents, pick)
    forget = _forget(reading, text)
    if forget.kinds:
        intents = _with_forget(intents, forget.kinds, reading, text)
    reset_taste = details.resets_taste(text)
    if reset_taste:  # 「취향 학습한 거 지워줘」 forgets what was learned, never the allergies said
        forget = ForgetAsk()
        intents = ["preference", *(i for i in intents if i in ("thanks", "greeting"))]
    recall = () if forget or reading.preferences or reset_taste else _recall(reading, text)
    if recall:
        intents = ["memory", *(i for i in intents if i in ("thanks", "greeting"))]
    off_topic = intents[0] == "out_of_domain" and "OOD" in reading.cues
    plan = details.plan_ask(text)
    dropped = details.meals_dropped(text) if context == "plan" and "plan" not in intents else ()
    if dropped:  # 「점심은 회사에서 먹어서 빼고」 after a plan: the same plan without that meal
        intents = ["plan", *(i for i in intents if i in SOCIAL_AND_STATEMENTS)]
        plan = replace(plan, again=True, meals_out=tuple(dict.fromkeys((*plan.meals_out, *dropped))))
    nutrients = tuple(reading.nutrients)
    if "plan" in intents and plan.day_kcal is not None and not reading.foods and set(nutrients) <= {"kcal"}:
        # 「하루 1800칼로리로 식단 짜줘」: the 칼로리 is the plan's target, not a question about a dish
        intents = [i for i in intents if i not in ("nutrition", "followup")]
        nutrients = ()
    dishes_named = len({m.dish for m in reading.foods if m.dish})
    if not nutrients and dishes_named >= 2 and (details.compares(text) or details.chooses(text)):
        # 「라면이랑 우동 중에 뭐가 더 짜?」: a taste asked between dishes is a nutrient comparison
        tasted = details.taste_nutrient(text)
        if tasted is not None:
            nutrients = (tasted,)
            intents = ["nutrition", *(i for i in intents if i in SOCIAL_AND_STATEMENTS and i != "nutrition")]
    if dishes_named and details.asks_permission(text) and set(intents) & {"recommend", "smalltalk", "out_of_domain"}:
        # 「잡곡밥이랑 된장찌개 먹어도 되나요?」 asks about these dishes (the answer says what they break)
        intents = ["nutrition", *(i for i in intents if i in SOCIAL_AND_STATEMENTS)]
    across: tuple[int, ...] = ()
    if not dishes_named and details.whole_list(text) and (asked := details.said_nutrient(text)) is not None:
        # 「아까 추천한 거 중에 젤 단백질 많은 거」: every dish of the last list, compared on what was asked
        nutrients, across = (asked,), (0, 1, 2)
        intents = ["followup", "nutrition", *(i for i in intents if i in SOCIAL_AND_STATEMENTS)]
    wished: tuple[str, ...] = ()
    if ("recommend" in intents and "nutrition" in intents and not dishes_named and not reading.has_ref
            and not across):
        # 「단백질 좀 챙기고 싶은데 추천좀」: the nutrient is what the list should be rich (or light) in, not a
        # question about the dish talked about before
        way = details.direction(text)
        wishes = [NUTRIENT_WISHES.get((n, way or ("more" if n == "protein_g" else None))) for n in nutrients]
        wished = tuple(tag for tag in wishes if tag)
        intents = [i for i in intents if i != "nutrition"]
        nutrients = ()
    custom = custom_meals(text, details.day_offset(text))
    unlisted = () if custom or meals or pick else unlisted_eaten(text, bool(reading.foods))
    kinds = {word: lookup.kinds(word) for word in unlisted}
    for word, offered in kinds.items():  # 「점심에 국밥 먹었어」: a kind of dish the table has many of — ask which
        if offered:
            end = text.find(word) + len(word)
            reading.foods.append(FoodMention(word, None, offered, generic=True,
                                             servings=walker.serving_after(end, len(text)),
                                             unit=walker.unit_after(end, len(text))))
    unlisted = tuple(word for word in unlisted if not kinds[word])
    if custom or unlisted:
        # 「식빵 2장 200kcal」: the number is the food's energy, not a question or a request
        named = {normalize_key(c.name.split()[0]) for c in custom}
        meals = [m for m in meals if normalize_key(m.dish) not in named]
        intents = ["meal_log", *[i for i in intents if i in SOCIAL_AND_STATEMENTS]]
        nutrients = ()
    slots = _slots(reading, intents, text, now, bool(meals))
    if wished:
        slots = replace(slots, tags_wanted=tuple(dict.fromkeys((*slots.tags_wanted, *wished))))
    u = Understanding(
        text=cleaned.shown, intents=intents, slots=slots, preferences=reading.preferences, meals=meals,
        foods=reading.foods[:MAX_FOODS], nutrients=nutrients,
        reference=reading.reference if "followup" in intents else None, issues=cleaned.issues,
        plan=plan, day_offset=details.day_offset(text), compare=details.compares(text),
        choice=details.chooses(text), reset_taste=reset_taste,
        rating=details.rating(text, has_ref=reading.has_ref, rejected=reading.ref_rejected,
                              reference=reading.reference, settled=pick is not None or bool(meals)),
        references=across or (tuple(reading.references) if "followup" in intents else ()),
        servings=reading.ref_servings or 1.0, pick=pick, recall=recall, forget=forget,
        refusal="off_topic" if off_topic else None, custom_meals=custom, unlisted_eaten=unlisted,
        yes_no=details.yes_no(text, reading.foods, nutrients) if "nutrition" in intents else None,
        direction=details.direction(text) if "nutrition" in intents else None,
        meal_said=reading.meal or next(iter(reading.meal_words), None),
        cooking_kinds=details.cooking_kinds(text) if "recipe" in intents else (),
        permission="nutrition" in intents and bool(dishes_named) and details.asks_permission(text),
    )
    from mechuri.nlu.learned.combine import resolve

    mode = resolve(learned or _learned_setting())
    if mode != "off":
        u = _with_model(u, reading, tokens, text, now, context, bool(meals), mode)
    return u


NUTRIENT_WISHES: dict[tuple[str, str | None], str] = {
    ("protein_g", "more"): "고단백", ("kcal", "less"): "저칼로리", ("sodium_mg", "less"): "저염",
    ("fat_g", "less"): "담백한", ("sugar_g", "less"): "저칼로리",
}
"""A nutrient wished for in a request (and which way) → the table tag that carries it."""


def _learned_setting() -> str:
    from mechuri.config import get_settings

    return get_settings().nlu_learned


def _learned_model() -> LinearModel | EmbeddingModel | None:
    """The model the ``nlu_model`` setting names: the linear one, or Gemma embeddings + a head (the linear
    one when Gemma's runtime or heads are missing)."""
    from mechuri.config import get_settings
    from mechuri.nlu.learned.classifier import load_model

    if get_settings().nlu_model == "gemma":
        from mechuri.nlu.learned.embedding import load_embedding_model

        small = load_embedding_model()
        if small is not None:
            return small
    return load_model()


def _with_model(u: Understanding, r: Reading, tokens: list[Token], text: str, now: datetime | None,
                context: str | None, logged: bool, mode: str) -> Understanding:
    """The learned model's move where the rules are unsure (nlu/learned/combine.py); exact things stay
    the rules'."""
    from mechuri.nlu.learned.combine import combined_move
    from mechuri.nlu.learned.moves import move_of

    model = _learned_model()
    rules_move = move_of(u)
    if model is None or rules_move == "refuse":
        return u
    guess = model.guess(text, tokens, context)
    move, intent = combined_move(rules_move, u, guess, mode=mode)
    if intent is None:
        return u
    if intent in ("plan", "another") and u.plan.again and context not in ("plan", "list"):
        return u  # 「다시 짜줘」 with nothing before it to do again: the rules' reading (ask what is meant) stands
    if move == "refuse":
        kind = guess.move.removeprefix("refuse_")
        return Understanding(text=u.text, intents=["unsafe"], issues=u.issues,
                             refusal=kind if kind in ("self_harm", "harm", "prompt") else "harm")
    intents: list[Intent] = [intent, *(i for i in u.intents if i in ("greeting", "thanks") and i != intent)]
    pick, meals = None, list(u.meals)
    if move == "choose":
        named = tuple(dict.fromkeys(f.dish for f in u.foods if f.dish))
        pick = Pick(reference=r.reference) if r.has_ref or not named else Pick(named=named)
        meals += [MealStatement(d, r.meal) for d in pick.named if all(m.dish != d for m in meals)]
        intents[0] = "meal_log" if pick.named else "followup"
    if move == "log" and not meals:  # 「야식으로 족발 먹어버림」: a log the rules had no verb for; the dishes are theirs
        named = dict.fromkeys(f.dish for f in u.foods if f.dish)
        meals = [MealStatement(d, r.meal, f.servings, u.day_offset, f.unit)
                 for d, f in ((d, next(f for f in u.foods if f.dish == d)) for d in named)]
    followup = "followup" in intents
    return replace(
        u, intents=intents, pick=pick, meals=meals, compare=u.compare or move == "compare",
        recall=(_kinds(text) or PREFERENCE_KINDS) if move == "ask_memory" else (),
        refusal="off_topic" if move == "off_topic" else None,
        reference=r.reference if followup else None, references=tuple(r.references) if followup else (),
        slots=_slots(r, intents, text, now, logged),
    )


_NOT_PICKING = frozenset({"ANOTHER", "RECOMMEND", "RECOMMEND_WEAK", "PLAN", "PLAN_WEAK", "RECIPE", "NUTRITION"})


def _pick(r: Reading, text: str, meals: list[MealStatement]) -> Pick | None:
    """「첫 번째 걸로 할게」, 「그거 먹었어」, 「김치찌개로 할게」: a dish settled on (a question, a nutrition or
    recipe question, or a new request settles nothing)."""
    if "?" in text or r.ref_rejected or r.cues & _NOT_PICKING or r.nutrients or r.excluded["dishes"]:
        return None
    if r.has_ref:
        return Pick(reference=r.reference) if lx.PICK.search(text) or "LOG" in r.cues else None
    named = tuple(dict.fromkeys(m.dish for m in r.foods if m.dish))
    if named and not meals and lx.PICK_BY_NAME.search(text):
        return Pick(named=named)
    return None


_KIND_INTENT: dict[str, Intent] = {"allergy": "allergy", "like": "preference", "dislike": "preference",
                                   "diet": "diet", "goal": "diet"}


def _kinds(text: str) -> tuple[PreferenceKind, ...]:
    """The kinds of preference ``text`` talks about (「알레르기」, 「싫어하는 거」, 「식단」, 「내 정보」)."""
    found = {kind for pattern, kinds in lx.RECALL_KINDS if pattern.search(text) for kind in kinds}
    if not found and lx.RECALL_ANY.search(text):
        found = set(PREFERENCE_KINDS)
    return tuple(kind for kind in PREFERENCE_KINDS if kind in found)


def _forget(r: Reading, text: str) -> ForgetAsk:
    """「고수 잊어줘」 (words of any kind) or 「알레르기 다 지워줘」 (every value of a kind); statements with
    their kind (「땅콩 알레르기 지워줘」) are taken back in the walk instead."""
    if "FORGET" not in r.cues or any(p.polarity == "remove" for p in r.preferences):
        return ForgetAsk(values=tuple(r.forget_values))
    if r.forget_values:
        return ForgetAsk(values=tuple(r.forget_values))
    kinds = _kinds(text)
    if not kinds and lx.FORGET_ALL.search(text):
        kinds = PREFERENCE_KINDS
    return ForgetAsk(kinds=kinds)


def _with_forget(intents: list[Intent], kinds: tuple[PreferenceKind, ...], r: Reading, text: str) -> list[Intent]:
    """The statement intents of the kinds forgotten; 「식단」 said to forget it asks for no plan."""
    found = set(intents) - {"smalltalk", "out_of_domain"}
    if "PLAN" not in r.cues and not lx.PLAN_REQUEST.search(text):
        found.discard("plan")
    found |= {_KIND_INTENT[kind] for kind in kinds}
    return [intent for intent in ORDER if intent in found]


_NOT_RECALL = frozenset({"PLAN", "ANOTHER", "LOG", "FORGET", "RECIPE", "NUTRITION"})


def _recall(r: Reading, text: str) -> tuple[PreferenceKind, ...]:
    """「내 알레르기 뭐였지?」, 「나 뭐 못 먹는다고 했지?」: the kinds of memory asked about, or none when the
    message is no question about what the bot remembers of the user."""
    if lx.GOAL_RECALL.search(text) and not (r.foods or r.cues & (_NOT_RECALL - {"NUTRITION"})
                                            or lx.RECALL_NOT.search(text)):
        return ("goal",)
    if r.cues & _NOT_RECALL or r.foods or r.nutrients or lx.PLAN_REQUEST.search(text) or lx.RECALL_NOT.search(text) \
            or lx.TODAY_QUESTION.search(text):
        return ()
    if not (lx.RECALL_ASK.search(text) and lx.RECALL_MEMORY.search(text)):
        return ()
    return _kinds(text)


def _boundaries(text: str, tokens: list[Token], spans: list[Span]) -> list[Span]:
    """Clause ends: punctuation, laughter, and Kiwi's connective endings after a predicate (-는데, -고 …)."""
    covered = set()
    for span in spans:
        covered.update(range(span.start, span.end))
    out = [Span(m.start(), m.end(), "boundary", "", m.group(0)) for m in lx.BOUNDARY.finditer(text)
           if m.start() not in covered]
    for before, token in itertools.pairwise(tokens):
        if (token.tag == "EC" and token.form in lx.CLAUSE_ENDINGS and before.tag in lx.PREDICATE_TAGS
                and token.start not in covered and token.end - 1 not in covered):
            out.append(Span(token.end, token.end, "boundary", "", ""))
    return out


def _unknown_foods(text: str, tokens: list[Token], spans: list[Span], lookup: FoodLookup,
                   suggestions: dict[int, tuple[str, ...]]) -> list[Span]:
    """Words no rule matched: a misspelled dish (떡복이) is resolved by the fuzzy lookup; a noun right
    before 칼로리/레시피 that is no dish at all (우주선스테이크) becomes an unknown mention with suggestions."""
    ordered = sorted((s for s in spans if s.kind != "boundary"), key=lambda s: s.start)
    nouns = {t.start for t in tokens if t.tag in _NOUN_TAGS}
    amounts = {i for pattern in (lx.SERVING, lx.AMOUNT) for m in pattern.finditer(text) for i in range(*m.span())}
    found: list[Span] = []
    edges = [(0, None)] + [(s.end, s) for s in ordered]
    tries = 0
    for index, (gap_start, before) in enumerate(edges):
        after = ordered[index] if index < len(ordered) else None
        gap_end = after.start if after else len(text)
        # 「소주 한 병 칼로리」: the amount between a name and the question is no name (and the name before
        # it is the one asked about); 「마지막 거는」: what a reference points at is no name either
        words = [(m.start() + gap_start, m.group(0)) for m in re.finditer(r"\S+", text[gap_start:gap_end])
                 if m.start() + gap_start not in amounts and not lx.THING.match(_strip(m.group(0)) or "-")
                 and not lx.THING.match("".join(ch for ch in m.group(0) if ch.isalnum()))]
        context = after is not None and (after.kind == "nutrient" or (after.kind == "cue" and after.value in
                                                                         _FOOD_CONTEXT))
        asks_nutrition = after is not None and (after.kind == "nutrient" or after.value in ("NUTRITION", "NUTRIENT"))
        named = before is not None and before.kind in ("dish", "unknown")  # 「제육볶음 황금레시피」: 황금 is no food
        for position, (start, word) in enumerate(words):
            if tries >= MAX_FUZZY:
                return found
            last = position == len(words) - 1
            name = _strip(word)
            measured = _amount_follows(text, start + len(name), amounts)  # 「소주 한 병은?」, 「맥주 500cc」
            near_cue = (context or measured) and last
            if len(name) < (2 if near_cue else 3) or not lx.SYLLABLE.search(name) or name in lx.NOT_FOOD:
                continue  # two syllables are too little to guess a dish from without a food word next to it
            tries += 1
            result = lookup.resolve(name)
            if result.found and result.dish is not None:
                found.append(Span(start, start + len(name), "dish", result.dish.name, name))
            elif near_cue and asks_nutrition and (stand_in := lookup.representative(name)) is not None:
                found.append(Span(start, start + len(name), "dish", stand_in.name, name))  # 국밥 → 돼지국밥
            elif near_cue and not named and start in nouns and (context or lookup.representative(name) is None):
                # (a kind of dish said with an amount, 「국밥 한 그릇 먹었어」, is asked about as a kind below)
                suggestions[start] = result.suggestions
                found.append(Span(start, start + len(name), "unknown", "", name))
    return found


def _amount_follows(text: str, end: int, amounts: set[int]) -> bool:
    """Whether an amount (「한 병」, 「500cc」, 「2인분」) comes right after the word ending at ``end``: what is
    measured so is a food or a drink, even with no 칼로리 after it."""
    rest = len(text[end:]) - len(text[end:].lstrip())
    return end + rest in amounts


def _strip(word: str) -> str:
    """A word without punctuation and with at most one trailing particle (「떡복이는」 → 「떡복이」)."""
    word = "".join(ch for ch in word if ch.isalnum())
    for particle in lx.PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= 2:
            return word[: -len(particle)]
    return word


def _meal_statements(r: Reading, walker: Walker, text: str) -> list[MealStatement]:
    """Dishes said to be eaten, with the meal, servings and day said around them."""
    days = [(m.start(), offset) for pattern, offset in lx.DAY_OFFSET for m in pattern.finditer(text)]
    days += [(m.start(), 0) for m in lx.TODAY.finditer(text)]
    days.sort()
    candidates = list(r.log_candidates)
    if not candidates and _topic_log(r, text):
        candidates = [(span, span.value, r.meal, len(text)) for span in r.default_spans]
        # the meal word and the dishes were eaten, not asked for: they leave the request slots
        r.meal, r.default_dishes, r.default_spans = None, [], []
    out: list[MealStatement] = []
    for index, (span, dish, meal, _verb_at) in enumerate(candidates):
        following = candidates[index + 1][0].start if index + 1 < len(candidates) else len(text)
        limit = following if following > span.end else len(text)
        servings = walker.serving_after(span.end, limit)
        offset = next((o for p, o in reversed(days) if p < span.start), 0)
        out.append(MealStatement(dish, meal, servings, offset, walker.unit_after(span.end, limit)))
    if out:
        out = _eaten_before(out, walker, text, days)
    return out


_EATEN_AND = re.compile(r"\s*(?:[^\s]{0,6}\s*)?(?:을|를)?\s*(?:먹고|마시고|먹은\s*(?:다음|뒤|후)|먹고\s*나서|먹었고|먹었는데)")
"""「아침에 라면 먹고 점심에 짬뽕 먹었어」: a dish joined to a later eaten one by 먹고 … was eaten too."""


def _eaten_before(out: list[MealStatement], walker: Walker, text: str,
                  days: list[tuple[int, int]]) -> list[MealStatement]:
    """The dishes said before the eating verb of a log with 「먹고」, 「먹은 다음」 (each with the meal word said
    before it): the walk gives the log verb to the dishes of its own clause only."""
    logged = {statement.dish for statement in out}
    dish_spans = sorted((s for s in walker.spans if s.kind == "dish" and s.value not in logged), key=lambda s: s.start)
    extra: list[MealStatement] = []
    for span in dish_spans:
        if not _EATEN_AND.match(text[span.end:]):
            continue
        meals = [m for m in lx.MEAL_WORD.finditer(text[:span.start])]
        meal = meals[-1].group(0) if meals else None
        following = next((s.start for s in dish_spans if s.start > span.end), len(text))
        offset = next((o for p, o in reversed(days) if p < span.start), 0)
        extra.append(MealStatement(span.value, meal, walker.serving_after(span.end, following), offset,
                                   walker.unit_after(span.end, following)))
        logged.add(span.value)
    return extra + out


def _topic_log(r: Reading, text: str) -> bool:
    """「점심은 김치찌개」: a meal, then dishes, no question and no request — a log without a verb."""
    if not r.meal or not r.default_spans or "?" in text or r.cues - {"THANKS", "GREETING", "SMALLTALK"}:
        return False
    if r.nutrients or r.preferences or r.has_ref or any(r.wanted.values()) or any(r.excluded.values()):
        return False
    if not lx.TOPIC_MEAL_LOG.search(text) or lx.CHOICE_WORDS.search(text):
        return False
    return bool(lx.LOG_TAIL.match(text[r.default_spans[-1].end:]))


def _slots(r: Reading, intents: list[Intent], text: str, now: datetime | None, logged: bool) -> Slots:
    """Constraints on what to eat now: only a request for dishes (recommend, another, plan) has them —
    「마파두부 레시피 간단하게」 asks for a recipe, and 「그거 매워?」 asks a question, not for something 매운."""
    requests = DISH_REQUESTS & set(intents)
    if not requests:
        return Slots()
    dishes_wanted = list(r.wanted["dishes"])
    if requests:
        dishes_wanted += [d for d in r.default_dishes if d not in dishes_wanted]
    meal, inferred = r.meal, False
    if "plan" in intents and len(set(r.meal_words) - set(r.skip_meals)) >= 2:
        meal = None
    if meal is None and now is not None and {"recommend", "another"} & set(intents):
        meal, inferred = meal_at(now), True
    people = None
    if not logged and requests:
        m = lx.PEOPLE.search(text)
        if m:
            word = next(g for g in m.groups() if g)
            people = lx.NUM_WORDS.get(word) or int(word)
    if people is None:
        people = next((n for situation, n in lx.SITUATION_PEOPLE.items() if situation in r.situations), None)
    plan_days = None
    if "plan" in intents:
        plan_days = next((days for pattern, days in lx.PLAN_DAYS if pattern.search(text)), None)
    return Slots(
        meal=meal, meal_inferred=inferred, kcal_max=r.kcal_max, kcal_min=r.kcal_min,
        cuisines=tuple(r.wanted["cuisines"]), categories=tuple(r.wanted["categories"]),
        tags_wanted=tuple(t for t in r.wanted["tags"] if t not in r.excluded["tags"]),
        tags_excluded=tuple(r.excluded["tags"]),
        ingredients_wanted=tuple(i for i in r.wanted["ingredients"] if i not in r.excluded["ingredients"]),
        ingredients_excluded=tuple(r.excluded["ingredients"]),
        dishes_wanted=tuple(d for d in dishes_wanted if d not in r.excluded["dishes"]),
        dishes_excluded=tuple(r.excluded["dishes"]), people=people, situations=tuple(r.situations),
        cheap=r.cheap, plan_days=plan_days, skip_meals=tuple(r.skip_meals),
        categories_excluded=tuple(r.excluded["categories"]), cuisines_excluded=tuple(r.excluded["cuisines"]),
    )
