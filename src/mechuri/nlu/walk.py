"""Reading matched words left to right and deciding what each one is for: wanted, excluded, liked, eaten …

Korean puts the word that decides the meaning after the words it governs (「오이랑 고수 빼고」,
「매운 건 싫고」, 「아침에 라면 먹었어」), so content words wait in ``pending`` until a cue arrives and
then all of them get its role; a clause boundary or the end of the message gives the default role
(wanted). 「안/못/덜」 right before a word and 「-지 않」 right after it negate that word alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mechuri.knowledge.korean import parse_number
from mechuri.knowledge.lookup import FoodLookup
from mechuri.nlu import lexicon as lx
from mechuri.nlu.model import FoodMention, PreferenceStatement
from mechuri.nlu.spans import Span

ROLE_SLOTS = {"tag": "tags", "category": "categories", "cuisine": "cuisines", "ingredient": "ingredients",
              "dish": "dishes"}


@dataclass
class Reading:
    """Everything the walk found, before intents are decided."""

    wanted: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in ROLE_SLOTS.values()})
    excluded: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in ROLE_SLOTS.values()})
    default_dishes: list[str] = field(default_factory=list)
    default_spans: list[Span] = field(default_factory=list)
    meal: str | None = None
    meal_words: list[str] = field(default_factory=list)
    skip_meals: list[str] = field(default_factory=list)
    situations: list[str] = field(default_factory=list)
    cheap: bool = False
    kcal_min: float | None = None
    kcal_max: float | None = None
    preferences: list[PreferenceStatement] = field(default_factory=list)
    foods: list[FoodMention] = field(default_factory=list)
    nutrients: list[str] = field(default_factory=list)
    cues: set[str] = field(default_factory=set)
    reference: int | None = None
    references: list[int] = field(default_factory=list)
    ref_servings: float | None = None
    """Servings said right after the first reference (「그거 2인분이면?」)."""
    has_ref: bool = False
    ref_rejected: bool = False
    empty_pref_cue: bool = False
    logged_something: bool = False
    log_candidates: list[tuple[Span, str, str | None, int]] = field(default_factory=list)
    """(dish word, dish name, meal said with it, where the eating verb starts) for each dish eaten."""
    forget_values: list[str] = field(default_factory=list)
    """「고수 잊어줘」: words to forget whatever kind remembers them (an allergen word with its allergens)."""

    def add(self, bucket: dict[str, list[str]], kind: str, value: str) -> None:
        values = bucket[ROLE_SLOTS[kind]]
        if value not in values:
            values.append(value)

    def prefer(self, kind: str, value: str, polarity: str = "add", said: str = "") -> None:
        statement = PreferenceStatement(kind, value, polarity, said if said != value else "")  # type: ignore[arg-type]
        if value and statement not in self.preferences:
            self.preferences.append(statement)


def _servings(match: re.Match[str]) -> float:
    whole = re.sub(r"\s", "", match.group(0))
    if whole in lx.SERVING_WORDS:
        return lx.SERVING_WORDS[whole]
    number = match.group(1)
    amount = 0.5 if number == lx.HALF else float(lx.NUM_WORDS.get(number, 0) or parse_number(number) or 1)
    return amount + (0.5 if match.group(3) else 0.0)


class Walker:
    """One left-to-right pass over the spans of one message."""

    def __init__(self, text: str, spans: list[Span], lookup: FoodLookup, suggestions: dict[int, tuple[str, ...]]):
        self.text = text
        self.spans = spans
        self.lookup = lookup
        self.suggestions = suggestions
        self.r = Reading()
        self.pending: list[tuple[Span, bool]] = []
        self.topic: str | None = None
        self.negate_from = -1
        self.servings = list(lx.SERVING.finditer(text))
        self.covered = {i for s in spans if s.kind != "boundary" for i in range(s.start, s.end)}
        self.clause_statements = 0
        """Where this sentence's statements start in ``r.preferences``: 「고수 싫다고 한 거 잊어줘」 takes back
        the statements of its own sentence only."""

    # -- helpers --------------------------------------------------------------------------------------
    def _mention(self, span: Span, dish: str | None, *, generic: bool = False) -> None:
        if generic and dish is None:
            prefix = self._prefix(span)
            if prefix:  # 「왕갈비통닭」 is a food the table lacks, not the word 통닭 inside it
                self.r.foods.append(FoodMention(prefix + span.text, None, self._examples(span)))
                return
        following = next((s.start for s in self.spans if s.start >= span.end and s.kind in ("dish", "unknown")),
                         len(self.text))
        if generic and dish is None:  # 「치킨 반 마리」: the amount waits for the answer to 「어떤 치킨?」
            self.r.foods.append(FoodMention(span.text, None, self._examples(span), generic=True,
                                            servings=self.serving_after(span.end, following),
                                            unit=self.unit_after(span.end, following)))
            return
        self.r.foods.append(FoodMention(span.text, dish, self.suggestions.get(span.start, ()),
                                        servings=self.serving_after(span.end, following),
                                        unit=self.unit_after(span.end, following)))

    def _prefix(self, span: Span) -> str:
        """The syllables no other word took, glued before ``span`` in one word (「왕갈비」 of 「왕갈비통닭」)."""
        start = span.start
        while start > 0 and lx.SYLLABLE.match(self.text[start - 1]) and start - 1 not in self.covered:
            start -= 1
        prefix = self.text[start:span.start]
        return prefix if len(prefix) >= 2 and prefix not in lx.NOT_FOOD else ""

    def _examples(self, span: Span, limit: int = 3) -> tuple[str, ...]:
        """Dishes to offer for a general word (치킨 → 후라이드치킨, 양념치킨 …): names that contain it, then
        dishes of that category, tag or ingredient (cheaper than ``FoodLookup.search``, same idea)."""
        word = "".join(span.text.split())
        offered = self.lookup.kinds(word, limit)
        if offered:  # 치킨 → 후라이드치킨, 양념치킨 …: the kinds of the dish, not 치킨무
            return offered
        named = [d.name for d in self.lookup.table if word in d.name]
        if len(named) < limit:
            field = {"category": "category", "tag": "tags", "ingredient": "ingredients"}.get(span.kind)
            for dish in self.lookup.table:
                value = getattr(dish, field) if field else ()
                if span.value == value or (isinstance(value, tuple) and span.value in value):
                    named.append(dish.name)
                if len(named) >= limit:
                    break
        return tuple(dict.fromkeys(named))[:limit]

    def _generic_dish(self, span: Span, *, representative: bool = False) -> str | None:
        """A general word (치킨, 김치) used as a food: the dish it names exactly, if the table has one; with
        ``representative`` (a nutrition question), else the dish that stands for it (치킨 → 후라이드치킨)."""
        hit = self.lookup.exact(span.text)
        if hit is None and representative and not self._prefix(span):  # 「왕갈비통닭」 is no 통닭
            hit = self.lookup.representative(span.text)
        return hit.name if hit else None

    def _flush(self) -> None:
        """End of a clause: pending words get the topic cue if one opened the clause, else the default role."""
        if self.topic and self.pending:
            self._apply(self.topic, None)
            return
        for span, negated in self.pending:
            if span.kind == "meal":
                if self.r.meal is None:
                    self.r.meal = span.value
            elif span.kind == "dish":
                if negated:
                    self.r.add(self.r.excluded, "dish", span.value)
                elif span.value not in self.r.default_dishes:
                    self.r.default_dishes.append(span.value)
                    self.r.default_spans.append(span)
            elif span.kind in ROLE_SLOTS:
                self.r.add(self.r.excluded if negated else self.r.wanted, span.kind, span.value)
        self.pending = []
        self.topic = None

    def _apply(self, cue: str, cue_span: Span | None, negated_cue: bool = False) -> None:
        """Give every pending word the role ``cue`` says; cues with nothing pending may open a clause."""
        r = self.r
        content = [(s, neg) for s, neg in self.pending if s.kind in ROLE_SLOTS or s.kind == "unknown"]
        meals = [s for s, _ in self.pending if s.kind == "meal"]
        refs = [s for s, _ in self.pending if s.kind in ("ref", "ordinal")]
        if negated_cue and cue in ("LOG", "DESIRE"):
            cue = "EXCLUDE"  # 「아침 안 먹었어」, 「별로 안 땡겨」
        elif negated_cue and cue == "LIKE":
            cue = "DISLIKE"  # 「별로 안 좋아함」
            negated_cue = False
        if cue in ("EXCLUDE", "DISLIKE") and refs and not content:
            r.ref_rejected = True
        if cue in ("EXCLUDE", "DISLIKE") and meals and self.pending[-1][0].kind == "meal":
            r.skip_meals.extend(m.value for m in meals if m.value not in r.skip_meals)
            meals = []
        if cue == "EXCLUDE":
            for span, _neg in content:
                if span.kind != "unknown":
                    r.add(r.excluded, span.kind, span.value)
        elif cue == "DESIRE":
            for span, neg in content:
                if span.kind != "unknown":
                    r.add(r.excluded if neg else r.wanted, span.kind, span.value)
        elif cue in ("LIKE", "DISLIKE"):
            kind = "like" if cue == "LIKE" else "dislike"
            polarity = "remove" if negated_cue and cue == "DISLIKE" else "add"
            for span, neg in content:
                if span.kind == "unknown":
                    continue
                r.prefer(("dislike" if neg and kind == "like" else kind), span.value, polarity)
            if not content and not refs:
                if self.topic is None and cue_span is not None and not self.pending:
                    self.topic = cue
                    return
                r.empty_pref_cue = True
        elif cue == "ALLERGY":
            tail = self.text[cue_span.end:] if cue_span else ""
            polarity = "remove" if lx.ALLERGY_REMOVED.match(tail) else "add"
            for span, _neg in content:
                if span.kind == "unknown":
                    continue
                values = lx.ALLERGY_VALUES.get(span.value, (span.value,))
                for value in values:
                    r.prefer("allergy", value, polarity, said=span.text.strip())  # 「계란」 for 난류
            if not content and cue_span is not None and self.topic is None:
                self.topic = cue
                return
        elif cue in ("LOG", "NUTRIENT", "RECIPE", "NUTRITION"):
            for span, _neg in content:
                if span.kind == "unknown":
                    r.logged_something = r.logged_something or cue == "LOG"
                    continue
                if span.kind in ("tag", "cuisine"):
                    continue  # 「매운 떡볶이 칼로리」: an adjective, not a food of its own
                dish = span.value if span.kind == "dish" else self._generic_dish(
                    span, representative=cue in ("NUTRIENT", "NUTRITION"))
                if span.kind != "dish":
                    self._mention(span, dish, generic=True)
                if cue == "LOG":
                    r.logged_something = True
                    if dish:
                        verb_at = cue_span.start if cue_span is not None else len(self.text)
                        r.log_candidates.append((span, dish, meals[-1].value if meals else None, verb_at))
            if cue == "LOG" and not content:
                if cue_span is not None:
                    self.topic = "LOG"  # 「기록해줘 제육볶음」: the dishes come after the verb
                return
            if cue == "LOG":
                meals = []
        for meal in meals:
            r.meal = r.meal or meal.value
        self.pending = []
        self.topic = None

    # -- the walk -------------------------------------------------------------------------------------
    def walk(self) -> Reading:
        r = self.r
        for index, span in enumerate(self.spans):
            kind = span.kind
            if kind == "boundary":
                self._flush()
                if span.text:  # punctuation, not a connective ending: a new sentence
                    self.clause_statements = len(r.preferences)
            elif kind == "tag" and span.value in lx.DIET_OF_TAG and lx.DIET_STATED_NEXT.match(self.text[span.end:]):
                r.prefer("diet", lx.DIET_OF_TAG[span.value], "add")  # 「비건으로 먹고 있어」: a way of eating
            elif kind in ROLE_SLOTS or kind in ("meal", "unknown"):
                if kind == "dish" or kind == "unknown":
                    self._mention(span, span.value if kind == "dish" else None)
                if kind == "meal":
                    r.meal_words.append(span.value)
                    if lx.SKIP_MEAL_NEXT.match(self.text[span.end:]):
                        r.skip_meals.append(span.value)
                        continue
                negated = self.negate_from >= 0 and self.text[self.negate_from:span.start].strip() == ""
                self.negate_from = -1
                self.pending.append((span, negated))
            elif kind in ("ref", "ordinal"):
                r.has_ref = True
                if kind == "ordinal":
                    place = self._ordinal(span.text)
                    if r.reference is None:
                        r.reference = place
                    if place not in r.references:
                        r.references.append(place)
                if r.ref_servings is None:
                    following = next((s.start for s in self.spans[index + 1:] if s.kind in ("dish", "unknown",
                                                                                        "ref", "ordinal")),
                                     len(self.text))
                    r.ref_servings = self.serving_after(span.end, following)
                self.pending.append((span, False))
            elif kind == "cue":
                self._cue(span)
            elif kind == "nutrient":
                values = ("carbohydrate_g", "protein_g", "fat_g") if span.value == "all" else (span.value,)
                r.nutrients.extend(v for v in values if v not in r.nutrients)
                self._apply("NUTRIENT", span)
            elif kind in ("diet", "goal"):
                self._diet(span, self.spans[index + 1] if index + 1 < len(self.spans) else None)
            elif kind == "statement":
                pkind, value = span.value.split(":", 1)
                if pkind == "allergy":  # 「새우랑 게 알러지」: the allergy word also covers what is pending
                    self.pending.append((Span(span.start, span.end, "ingredient", value, value), False))
                    self._apply("ALLERGY", span)
                else:
                    r.prefer(pkind, value)
            elif kind == "situation":
                if span.value not in r.situations:
                    r.situations.append(span.value)
            elif kind == "cheap":
                r.cheap = True
            elif kind in ("kcal_bound", "kcal_range"):
                self._kcal(span)
        self._flush()
        return r

    def _cue(self, span: Span) -> None:
        cue = span.value
        r = self.r
        after = self.text[span.end:]
        if span.text in lx.ADVERB_CUES and lx.NEGATION_NEXT.match(after):
            return
        if cue == "RECIPE" and lx.RECIPE_THEN_ATE.match(after):
            return
        if cue == "LOG" and lx.ASKED_BACK.match(after):
            r.cues.add("SMALLTALK")
            self.pending = [(s, neg) for s, neg in self.pending if s.kind not in ROLE_SLOTS]
            return
        r.cues.add(cue)
        if cue == "NEG":
            self.negate_from = span.end
            return
        if cue == "PAST_RECOMMEND":
            r.has_ref = True
            return
        if cue == "NOT":
            gap = "".join(self.text[self.pending[-1][0].end:span.start].split()) if self.pending else "-"
            if gap in lx.NOT_GAPS:
                last, _ = self.pending[-1]
                self.pending[-1] = (last, True)
            return
        negated = self.negate_from >= 0 and self.text[self.negate_from:span.start].strip() == ""
        self.negate_from = -1
        if cue in ("FORGET", "GOT_OVER"):
            self._forget(cue)
        elif cue in ("EXCLUDE", "DESIRE", "LIKE", "DISLIKE", "ALLERGY", "LOG", "RECIPE", "NUTRITION"):
            self._apply(cue, span, negated)
        elif cue in ("RECOMMEND", "RECOMMEND_WEAK", "ANOTHER", "PLAN", "PLAN_WEAK"):
            self._flush()

    def _forget(self, cue: str) -> None:
        """「고수 싫다고 한 거 잊어줘」, 「오이 싫어하는 거 취소」: the sentence's statements are taken back;
        「오이 이제 괜찮아」 takes back a dislike; 「고수 잊어줘」 forgets the word whatever its kind."""
        r = self.r
        content = [s for s, _ in self.pending if s.kind in ROLE_SLOTS]
        taken_back = False
        for index in range(self.clause_statements, len(r.preferences)):
            statement = r.preferences[index]
            if statement.polarity == "add":
                r.preferences[index] = PreferenceStatement(statement.kind, statement.value, "remove")
                taken_back = True
        if not taken_back:
            for span in content:
                if cue == "GOT_OVER":
                    r.prefer("dislike", span.value, "remove")
                    continue
                for value in (span.value, *lx.ALLERGY_VALUES.get(span.value, ())):
                    if value not in r.forget_values:
                        r.forget_values.append(value)
        self.pending = [(s, neg) for s, neg in self.pending if s.kind not in ROLE_SLOTS]
        self.topic = None

    def _diet(self, span: Span, following: Span | None) -> None:
        """「비건이야」 states a diet to remember; 「비건 메뉴」, 「비건 치킨」 describe only the food asked for now."""
        tag = lx.DIET_REQUEST_TAG.get(span.value)
        tail = self.text[span.end:]
        describes_food = following is not None and following.kind in ("dish", "category", "ingredient") \
            and not self.text[span.end:following.start].strip()
        stated = bool(lx.DIET_STATED_NEXT.match(tail))
        if tag and not stated and (lx.DIET_REQUEST_NEXT.match(tail) or describes_food) \
                and not lx.GOAL_REMOVE_NEXT.match(tail):
            self.pending.append((Span(span.start, span.end, "tag", tag, span.text), False))
            return
        polarity = "remove" if lx.GOAL_REMOVE_NEXT.match(tail) or lx.DIET_DENIED_NEXT.match(tail) else "add"
        self.r.prefer("goal" if span.kind == "goal" else "diet", span.value, polarity)

    def _kcal(self, span: Span) -> None:
        r = self.r
        unit = re.search(lx.KCAL_UNIT, span.text, re.I)
        if not unit and not lx.KCAL_CONTEXT.search(self.text):
            return
        if span.kind == "kcal_range":
            m = lx.KCAL_RANGE.match(span.text)
            low, high = (parse_number(m.group(1)), parse_number(m.group(2))) if m else (None, None)
            if low is not None and high is not None:
                r.kcal_min, r.kcal_max = min(low, high), max(low, high)
            return
        m = lx.KCAL_BOUND.match(span.text)
        if not m:
            return
        number, word = parse_number(m.group(1)), re.sub(r"\s", "", m.group(2))
        if number is None:
            return
        excluded = bool(lx.KCAL_EXCLUDED_NEXT.match(self.text[span.end:]))  # 「1000칼로리 넘는 건 빼줘」
        if word.startswith(lx.KCAL_MAX_WORDS):
            if excluded:
                r.kcal_min = number
            else:
                r.kcal_max = number
        elif word.startswith(lx.KCAL_MIN_WORDS):
            if excluded:
                r.kcal_max = number
            else:
                r.kcal_min = number
        elif word == lx.KCAL_DECADE:
            r.kcal_min, r.kcal_max = number, number + 100
        else:
            r.kcal_min, r.kcal_max = round(number * (1 - lx.KCAL_APPROX)), round(number * (1 + lx.KCAL_APPROX))

    @staticmethod
    def _ordinal(text: str) -> int:
        if lx.ORDINAL_LAST.search(text):
            return -1
        for word, index in sorted(lx.ORDINAL_INDEX.items(), key=lambda kv: -len(kv[0])):
            if text.startswith(word):
                return index
        return 0

    def unit_after(self, start: int, limit: int) -> str:
        """The unit word of the servings said after a dish (「양념치킨 한 마리」 → 마리); 인분 and words such as
        「반만」 read as servings of the table and give an empty unit."""
        for m in self.servings:
            if start <= m.start() < limit:
                unit = m.group(2) or ""
                return "" if unit == "인분" else unit
        return ""

    def serving_after(self, start: int, limit: int) -> float:
        """Servings said between a dish and the next dish or verb (「라면 반 그릇」, 「김밥 두 줄」)."""
        for m in self.servings:
            if start <= m.start() < limit:
                return _servings(m)
        return 1.0
