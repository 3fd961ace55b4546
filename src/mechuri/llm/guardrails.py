"""Checks an LLM's reply against the Turn it was asked to phrase, before anyone sees it.

The dialogue manager decided what is true; a model only phrases it, and may not add to it. A reply is
rejected when it
- answers a refused message (names a dish), or answers self-harm without the crisis line (109),
- names a dish the user may not eat (an allergy, a dislike, this message's exclusion, or an ethical or
  medical diet — the recommender's own ``explain_exclusions`` decides, so chat and recommender agree),
- in a recommendation, names a dish of the food table that is not among the menus chosen,
- states a number that is not in the Turn (Korean number forms included: 1,200 · 1만 2천 · 삼백 칼로리),
  where a number matches when it is a Turn value rounded to the precision the text writes it with — and
  an amount written with a unit (kcal, mg, g) must be one of the Turn's amounts in that unit,
- leaves out one of the menus chosen, or a dish a nutrition question asked about, or the value asked,
  or the allergy or diet that dish breaks (「새우 알레르기」: the answer's warning),
- is empty, far too long, unfinished (cut off by the token limit), not Korean, repeats itself, or echoes
  the prompt (its markers or its fact lines).
Every rejection reason is a short code, recorded in the turn's metadata by the writer.

Strict on purpose: a false rejection costs a plainer (grounded) reply; a false acceptance could put an
allergen on someone's plate or a wrong calorie count in their log.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from mechuri.conversation.strings import CRISIS_LINE
from mechuri.conversation.turn import Turn
from mechuri.knowledge.foods import Dish, FoodTable
from mechuri.knowledge.hangul import normalize_key
from mechuri.knowledge.korean import SINO_DIGITS, SINO_UNITS, parse_number
from mechuri.llm.prompts import LABELS, OPEN_QUESTION, REFUSAL_FACTS, SLOT_RULE, SYSTEM
from mechuri.llm.sentences import split_sentences
from mechuri.recommend import RecommendationRequest, explain_exclusions

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUMBER = re.compile(rf"(?P<n>{_DIGITS})\s?(?P<m>만|천|백)?")
_SINO = re.compile(rf"(?<![가-힣])(?P<w>[{''.join(SINO_DIGITS)}{''.join(SINO_UNITS)}]{{2,}})\s?"
                   r"(?=칼로리|킬로칼로리|kcal|그램|밀리그램|g\b|mg\b|인분|개|원|퍼센트|%)")
_NOT_FACT_KEYS = frozenset({"id", "message_id", "reply_id", "score", "llm"})
_ECHOES = ("###", LABELS["facts"], LABELS["draft"].split(" (")[0])
_INSTRUCTIONS = tuple(dict.fromkeys(
    normalize_key(clause) for text in (SYSTEM, OPEN_QUESTION, SLOT_RULE, LABELS["request"])
    for clause in re.split(r"[.,]\s", text) if len(normalize_key(clause)) >= 10))
"""Clauses of the instruction: a reply that repeats one is reciting the prompt, not answering."""
_FACT_LINE = re.compile(r"^\s*-\s*(?:" + "|".join(re.escape(v) for k, v in LABELS.items()
                                                 if k not in ("facts", "draft", "request")) + r")(?:\s*\d+)?\s*:",
                        re.MULTILINE)
"""A line of the prompt's fact list (「- 영양 정보: …」, 「- 추천 메뉴 2: …」) copied into the reply."""
_FINAL = re.compile(r"[.!?~…」』\"')\]]$|[요다죠까네자라어아지게군걸]$|[\u2600-\u27bf\U0001f000-\U0001faff]\ufe0f?$")
"""How a finished Korean reply ends: punctuation, a sentence ending, or an emoji — not 「…(450g, 750kcal) —」."""
_UNITS = re.compile(r"kcal|mg|g\b", re.IGNORECASE)


_UNIT_AFTER = re.compile(r"\s?(kcal|킬로칼로리|칼로리|mg|밀리그램|g(?![A-Za-z])|그램)")
_UNIT_NAMES = {"킬로칼로리": "kcal", "칼로리": "kcal", "밀리그램": "mg", "그램": "g"}
_UNIT_KEYS = (("kcal", re.compile(r"kcal")), ("mg", re.compile(r"(?:^|_)mg(?:$|_)")),
              ("g", re.compile(r"(?:^|_)g(?:$|_)")))
"""A Turn field's unit from its name: ``kcal``, ``today_kcal``; ``sodium_mg``, ``sodium_mg_max``; ``protein_g``."""


@dataclass(frozen=True)
class StatedNumber:
    """A number as written in a text (``text``) and its value; ``decimals`` is the precision written;
    ``unit`` the amount's unit written right after it (kcal, mg or g; empty for a bare number)."""

    text: str
    value: float
    decimals: int
    unit: str = ""


def _unit_at(text: str, end: int) -> str:
    match = _UNIT_AFTER.match(text, end)
    return _UNIT_NAMES.get(match.group(1), match.group(1)) if match else ""


@dataclass(frozen=True)
class Verdict:
    """Whether a reply may be shown, and if not, every reason (short codes such as ``number:700``)."""

    ok: bool
    reasons: tuple[str, ...] = ()


def stated_numbers(text: str) -> list[StatedNumber]:
    """Every number a text states: digits with commas and decimals, 1만 2천-style and 삼백 칼로리-style."""
    found: list[StatedNumber] = []
    pending: StatedNumber | None = None
    pending_end, pending_scale = -1, 0
    for match in _NUMBER.finditer(text):
        raw, multiplier = match.group("n"), match.group("m")
        written = match.group(0).strip()
        value = parse_number(written) or 0.0
        decimals = len(raw.split(".")[1]) if "." in raw and not multiplier else 0
        scale = SINO_UNITS[multiplier] if multiplier else 1
        joined = (pending is not None and text[pending_end:match.start()].strip() == ""
                  and pending_scale > max(scale, value))
        if joined and pending is not None:  # 1만 2천, 1만2000: one number in parts
            whole = pending.text + text[pending_end:match.end()]
            pending = StatedNumber(whole.strip(), parse_number(whole) or pending.value + value, 0,
                                   _unit_at(text, match.end()))
        else:
            if pending is not None:
                found.append(pending)
            pending = StatedNumber(written, value, decimals, _unit_at(text, match.end()))
        pending_end, pending_scale = match.end(), scale if scale > 1 else 0
    if pending is not None:
        found.append(pending)
    for match in _SINO.finditer(text):
        value = parse_number(match.group("w"))
        if value is not None and any(c in SINO_UNITS for c in match.group("w")):
            found.append(StatedNumber(match.group("w"), value, 0, _unit_at(text, match.end("w"))))
    return found


def _values(data: Any, key: str = "") -> Iterable[float | str]:
    """Every number and string inside the Turn's JSON, except ids and scores (not facts to say)."""
    if key in _NOT_FACT_KEYS:
        return
    if isinstance(data, bool):
        return
    if isinstance(data, int | float):
        yield float(data)
    elif isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for name, value in data.items():
            yield from _values(value, str(name))
    elif isinstance(data, list | tuple):
        for value in data:
            yield from _values(value, key)


def turn_numbers(turn: Turn, texts: Iterable[str] = ()) -> set[float]:
    """The numbers a reply may state: the Turn's values and those written in its texts (reasons, Q&A
    answers, the user's message) and in ``texts`` (the grounded reply, the prompt's facts), and the list
    positions 1…k of a recommendation."""
    allowed: set[float] = set()
    for value in (*_values(turn.model_dump(mode="json")), *texts):
        if isinstance(value, str):
            allowed.update(n.value for n in stated_numbers(value))
        else:
            allowed.add(value)
    if turn.recommendations:  # 「1. 김치찌개」, 「세 가지 중 2번」
        count = max(len(turn.recommendations), turn.recommendation_answer.k if turn.recommendation_answer else 0)
        allowed.update(float(i) for i in range(1, count + 1))
    return allowed


def _unit_values(data: Any, key: str = "") -> Iterable[tuple[str, float]]:
    """(unit, value) for every number of the Turn's JSON whose field names its unit (``sodium_mg``)."""
    if key in _NOT_FACT_KEYS or isinstance(data, bool):
        return
    if isinstance(data, int | float):
        unit = next((name for name, pattern in _UNIT_KEYS if pattern.search(key)), "")
        if unit:
            yield unit, float(data)
    elif isinstance(data, dict):
        for name, value in data.items():
            yield from _unit_values(value, str(name))
    elif isinstance(data, list | tuple):
        for value in data:
            yield from _unit_values(value, key)


def turn_amounts(turn: Turn, texts: Iterable[str] = ()) -> dict[str, set[float]]:
    """The amounts a reply may state, by unit: the Turn's fields that name one (``kcal``, ``sodium_mg``,
    ``protein_g``) and the amounts written with one in its texts and in ``texts`` (the grounded reply,
    the facts). 「나트륨 12mg」 must be an mg value of the Turn — a protein of 12 g does not make it true."""
    found: dict[str, set[float]] = {"kcal": set(), "mg": set(), "g": set()}
    for unit, value in _unit_values(turn.model_dump(mode="json")):
        found[unit].add(value)
    for value in (*_values(turn.model_dump(mode="json")), *texts):
        if isinstance(value, str):
            for number in stated_numbers(value):
                if number.unit:
                    found[number.unit].add(number.value)
    return found


def number_problems(said: Iterable[StatedNumber], allowed: set[float],
                    amounts: dict[str, set[float]]) -> list[str]:
    """``number:<text>`` for each stated number that is not the Turn's: an amount with a unit among that
    unit's values (when the Turn has any), any other number among all of its values."""
    return [f"number:{n.text}" for n in said
            if not number_matches(n, amounts[n.unit] if n.unit and amounts.get(n.unit) else allowed)]


def number_matches(number: StatedNumber, allowed: Iterable[float]) -> bool:
    """Whether ``number`` is one of ``allowed`` as written: 512.3 may be said as 512 or 512.3, not 500 or
    513. Within half a unit of the last digit written, so a value on the half (228.5) may be rounded
    either way: Python's own formatting rounds it to the even 228, a person (or a model) to 229."""
    half = 0.5 * 10 ** -number.decimals + 1e-9
    return any(abs(number.value - value) <= half for value in allowed)


class DishNames:
    """Finds the food table's dishes named in a text, by name or alias, longest name first.

    Longest first, so 「참치김밥」 is read as 참치김밥 and not also as 김밥; names are compared without
    spaces (normalize_key), single-letter names are ignored (too many ordinary words contain them).
    """

    def __init__(self, table: FoodTable) -> None:
        self.table = table

    @cached_property
    def _names(self) -> list[tuple[str, Dish]]:
        pairs = {(normalize_key(word), dish.name): dish for dish in self.table
                 for word in (dish.name, *dish.aliases)}
        return sorted(((key, dish) for (key, _), dish in pairs.items() if len(key) >= 2),
                      key=lambda pair: -len(pair[0]))

    def named(self, text: str) -> list[Dish]:
        """The dishes ``text`` names, in order of first appearance."""
        key = normalize_key(text)
        taken = [False] * len(key)
        found: dict[str, tuple[int, Dish]] = {}
        for name, dish in self._names:
            start = key.find(name)
            while start >= 0:
                if not any(taken[start:start + len(name)]):
                    taken[start:start + len(name)] = [True] * len(name)
                    found.setdefault(dish.name, (start, dish))
                start = key.find(name, start + 1)
        return [dish for _, dish in sorted(found.values(), key=lambda pair: pair[0])]


def hard_request(turn: Turn) -> RecommendationRequest | None:
    """The turn's never-relaxed constraints (built once by the dialogue manager) as a request, or None."""
    hard = turn.constraints.never_relaxed()
    if not hard:
        return None
    return hard.as_request()


def turn_dish_names(turn: Turn) -> set[str]:
    """The dishes the Turn itself talks about: recommended, asked about, logged, and the remembered words
    it reads back or forgets when no list of dishes is given (a disliked 김치찌개 is named to say it is
    remembered, not suggested)."""
    names = {item.name for item in turn.recommendations} | {meal.name for meal in turn.meal_logged}
    if turn.recommendation_answer is None and turn.plan is None:  # with a list, they stay checked
        if turn.recall is not None:
            names.update(value for values in turn.recall.remembered.values() for value in values)
        names.update(change.value for change in turn.preferences_changed)
        names.update(missing.value for missing in turn.preferences_not_found if missing.value)
    if turn.nutrition is not None:
        names.update(dish.name for dish in turn.nutrition.dishes)
    return names


_HANGUL = re.compile(r"[가-힣ㄱ-ㅎㅏ-ㅣ]")
_LATIN = re.compile(r"[A-Za-z]")


def hangul_share(text: str) -> float | None:
    """Hangul among Hangul and Latin letters, or None for text with neither (numbers, symbols).

    Unit symbols (kcal, mg, g) are not counted: an answer full of amounts is still Korean. One rule for
    the reply guardrail, the dataset filters and ``mechuri eval``'s Korean column.
    """
    letters = _UNITS.sub("", text)
    hangul, latin = len(_HANGUL.findall(letters)), len(_LATIN.findall(letters))
    return hangul / (hangul + latin) if hangul + latin else None


_SENTENCE_END = re.compile(r"(?:(?<!\d)[.!?…]|[요다죠까네][.!?~]?)(?=\s)")


def finished(text: str) -> bool:
    """Whether ``text`` ends as a finished Korean reply or sentence does (punctuation, an ending, an emoji)."""
    return bool(_FINAL.search(text.strip()))


def complete_sentences(text: str) -> str:
    """``text`` without a last sentence cut off by the token limit (「…(450g, 750kcal) —」), when at least
    one whole sentence comes before it; otherwise ``text`` unchanged (and the check calls it unfinished)."""
    stripped = text.strip()
    if not stripped or _FINAL.search(stripped):
        return stripped
    ends = [match.end() for match in _SENTENCE_END.finditer(stripped)]
    return stripped[:ends[-1]].rstrip() if ends else stripped


_PLACEHOLDER = re.compile(r"\{[^{}\s]{1,24}\}")
"""A slot the model wrote that nothing filled (「{9}」: no such fact): template text, never shown."""


def text_problems(text: str, *, letters_required: bool = True) -> list[str]:
    """What is wrong with a piece of reply text wherever it stands: not Korean, an echo of the prompt,
    garbled bytes, an unfilled slot. ``letters_required``: text without letters (「1.」, an emoji) is not
    Korean — right for a whole reply, too strict for one sentence of it."""
    problems = []
    share = hangul_share(text)
    if (share if share is not None else (0.0 if letters_required else 1.0)) < 0.6:
        problems.append("not_korean")
    spaceless = normalize_key(text)
    if (any(echo in text for echo in _ECHOES) or _FACT_LINE.search(text)
            or any(clause in spaceless for clause in _INSTRUCTIONS)):
        problems.append("prompt_echo")
    if "\ufffd" in text:
        problems.append("garbled")
    if _PLACEHOLDER.search(text):
        problems.append("placeholder")
    return problems


def looks_repetitive(text: str) -> bool:
    """A loop: at least 12 words, fewer than 4 in 10 of them different (「450g: 274kcal: 13.4g: 450g: …」)."""
    words = text.split()
    return len(words) >= 12 and len(set(words)) / len(words) < 0.4


def sanity_problems(text: str, max_chars: int) -> list[str]:
    """Length and language: the reply must be Korean prose of a sensible length, not an echo or a loop."""
    stripped = text.strip()
    if not stripped:
        return ["empty"]
    problems = []
    if len(stripped) > max_chars:
        problems.append("too_long")
    problems += text_problems(stripped)
    if not _FINAL.search(stripped):
        problems.append("unfinished")
    if looks_repetitive(stripped):
        problems.append("repetitive")
    return problems


_LIST_MARKER = re.compile(r"^\s*\d+[.)]\s*")


def _said(sentence: str) -> str:
    """What a sentence says, for spotting one said twice: without its list number, spaces or case."""
    return normalize_key(_LIST_MARKER.sub("", sentence))


class Guardrail:
    """Checks replies against Turns over one food table (name index built once)."""

    def __init__(self, table: FoodTable, *, max_chars: int = 800, min_max_ratio: float = 3.0) -> None:
        self.table = table
        self.dishes = DishNames(table)
        self.max_chars = max_chars
        self.min_max_ratio = min_max_ratio

    def check(self, text: str, turn: Turn, *, grounded: str = "", facts: str = "") -> Verdict:
        """Check ``text`` against ``turn``. ``grounded`` is the grounded writer's reply to the same Turn (its
        dishes and numbers are safe by construction); ``facts`` is the prompt's fact list (its numbers are
        the Turn's, formatted; its dish names are not all safe: a dislike may be a dish name)."""
        reasons = sanity_problems(text, self.limit(grounded))
        if reasons == ["empty"]:
            return Verdict(False, tuple(reasons))
        if turn.refusal is not None:  # a refusal names no dish; a self-harm reply gives the crisis line
            words = {dish.name for dish in self.dishes.named(grounded)}  # 「메뉴나 음식 이야기」 may read as one
            reasons += ["refusal_answered"] if any(d.name not in words for d in self.dishes.named(text)) else []
            reasons += ["missing_crisis_line"] if turn.refusal.kind == "self_harm" and CRISIS_LINE not in text else []
        reasons += self._dish_problems(text, turn, grounded)
        reasons += [f"missing_dish:{name}" for name in self._missing(text, turn)]
        reasons += [f"missing_caution:{word}" for word in self._unwarned(text, turn)]
        refusal = (REFUSAL_FACTS[turn.refusal.kind],) if turn.refusal is not None else ()  # 109, 24시간
        texts = (grounded, facts, *refusal)
        said = stated_numbers(text)
        reasons += number_problems(said, turn_numbers(turn, texts), turn_amounts(turn, texts))
        if self._answer_missing(said, turn):
            reasons.append("missing_number")
        return Verdict(not reasons, tuple(dict.fromkeys(reasons)))

    def limit(self, grounded: str) -> int:
        """The longest reply allowed: ``max_chars``, or ``min_max_ratio`` times the grounded reply."""
        return max(self.max_chars, int(self.min_max_ratio * len(grounded)))

    def check_sentence(self, sentence: str, turn: Turn, *, grounded: str = "", facts: str = "",
                       shown: str = "") -> Verdict:
        """Check one sentence of a reply being streamed, before it is shown: everything that can be wrong
        in a sentence on its own — a number not in the Turn, a dish the user may not eat or that was not
        chosen, a refused message answered, the prompt echoed, garbled or unfilled text — and, against
        ``shown`` (the sentences already sent), a sentence said twice or a reply grown too long. What only
        the whole reply can show (a chosen dish or the asked value left out, a warning missing) is
        checked by ``check`` once the model has finished."""
        stripped = sentence.strip()
        if not stripped:
            return Verdict(True)
        reasons = text_problems(stripped, letters_required=False)
        if len(shown.strip()) + len(sentence) > self.limit(grounded):
            reasons.append("too_long")
        if (_said(stripped) in {_said(s) for s in split_sentences(shown)}  # 「4. 된장찌개 …」 after 「2. 된장찌개 …」
                or looks_repetitive(f"{shown} {stripped}")):  # or one sentence that loops
            reasons.append("repetitive")
        if turn.refusal is not None:
            words = {dish.name for dish in self.dishes.named(grounded)}
            reasons += ["refusal_answered"] if any(d.name not in words for d in self.dishes.named(stripped)) else []
        reasons += self._dish_problems(stripped, turn, grounded)
        refusal = (REFUSAL_FACTS[turn.refusal.kind],) if turn.refusal is not None else ()
        texts = (grounded, facts, *refusal)
        reasons += number_problems(stated_numbers(stripped), turn_numbers(turn, texts), turn_amounts(turn, texts))
        return Verdict(not reasons, tuple(dict.fromkeys(reasons)))

    def _missing(self, text: str, turn: Turn) -> list[str]:
        """The Turn's dishes the reply leaves out: every menu chosen (the cards and the text show the same
        answer), and every dish a nutrition question asked about."""
        key = normalize_key(text)
        dishes = [item.name for item in turn.recommendations]
        if turn.nutrition is not None:
            dishes += [dish.name for dish in turn.nutrition.dishes]
        return [name for name in dishes
                if not any(normalize_key(word) in key for word in (name, *self._aliases(name)))]

    def _unwarned(self, text: str, turn: Turn) -> list[str]:
        """The allergies and diets a dish asked about or logged breaks that the reply does not warn of: the numbers
        of 새우볶음밥 without 「새우 알레르기」 would read as 「go ahead」. The word must stand outside the
        dish names (새우볶음밥 names 새우 without warning of it), and an allergy must be called one."""
        if not turn.cautions:
            return []
        key = normalize_key(text)
        for dish in sorted(self.dishes.named(text), key=lambda d: -len(d.name)):
            for name in (dish.name, *dish.aliases):
                key = key.replace(normalize_key(name), " ")
        warned = {"allergy": "알레르기" in key or "알러지" in key, "diet": True}
        return list(dict.fromkeys(c.word for c in turn.cautions
                                  if normalize_key(c.word) not in key or not warned[c.kind]))

    @staticmethod
    def _answer_missing(said: list[StatedNumber], turn: Turn) -> bool:
        """Whether a nutrition answer fails to state any of the values asked for (「칼로리 얼마야?」 needs the
        calories)."""
        answer = turn.nutrition
        if answer is None or answer.dish is None:
            return False
        fields = answer.nutrients or ["kcal", "carbohydrate_g", "protein_g", "fat_g", "sodium_mg"]
        values = [float(getattr(answer.dish, name)) for name in fields]
        return not any(number_matches(number, values) for number in said)

    def _aliases(self, name: str) -> tuple[str, ...]:
        dish = self.table.get(name)
        return dish.aliases if dish is not None else ()

    def _dish_problems(self, text: str, turn: Turn, grounded: str) -> list[str]:
        named = self.dishes.named(text)
        if not named:
            return []
        safe = turn_dish_names(turn)
        safe |= {dish.name for source in (grounded, turn.qa.answer if turn.qa else "")
                 for dish in self.dishes.named(source)}
        strangers = [dish for dish in named if dish.name not in safe]
        problems: list[str] = []
        request = hard_request(turn)
        forbidden: set[str] = set()
        if request is not None and strangers:
            broken = explain_exclusions(strangers, request)
            forbidden = set(broken)
            problems += [f"forbidden_dish:{name}({','.join(why)})" for name, why in broken.items()]
        if turn.recommendations or turn.recommendation_answer is not None:
            asked = {dish.name for dish in self.dishes.named(str(turn.meta.get("user_message") or ""))}
            problems += [f"unlisted_dish:{dish.name}" for dish in strangers
                         if dish.name not in forbidden and dish.name not in asked]
        return problems
