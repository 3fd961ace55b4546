"""Food the table lacks, said as eaten: 「아침에 식빵 먹었어」 (logged as unknown, with a way forward) and
「식빵 2장 200kcal」 / 「아침에 프로틴바 먹었는데 180칼로리야」 (the user gives the energy: a custom entry).

Read with patterns over the text around a calorie number or an eating verb; the result is typed on the
``Understanding`` (``custom_meals``, ``unlisted_eaten``) so the conversation layer never reads the text.
"""

from __future__ import annotations

import re

from mechuri.knowledge.hangul import normalize_key
from mechuri.knowledge.korean import parse_number
from mechuri.nlu import lexicon as lx
from mechuri.nlu.model import CustomMeal

KCAL_GIVEN = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(?:kcal|킬로칼로리|칼로리|캘로리|칼로리야|cal)", re.I)
EATEN = re.compile(r"먹었|먹엇|먹음|마셨|마심|먹고\s*왔|섭취|먹은\s*거")
ASKING = re.compile(r"\?|추천|이하|이내|미만|넘|이상|넘지|정도로|짜\s*줘|식단|몇\s*칼로리|얼마|맞아|맞나|인가|일까|돼\?")
TAIL = re.compile(r"^\s*(?:이야|야|이에요|예요|이래|래|이었어|였어|였음|짜리|정도|쯤|나왔어|이고|인데)?"
                  r"\s*(?:먹었\S*|마셨\S*|기록\S*|적어\S*)?\s*[.!~ㅎㅋㅠ^]*\s*$")
AMOUNT = re.compile(r"(?:\d+(?:\.\d+)?|한|두|세|네|다섯|반)\s*(?:장|개|잔|컵|병|봉지|봉|조각|줄|그릇|인분|캔|알|스푼|팩|쪽|공기|접시)")
NOISE = re.compile(r"^(?:오늘|어제|그저께|아까|방금|점심때|아침에|나|저|저는|나는|내가|제가|그리고|또|좀|막)$")
PARTICLE = re.compile(r"(?:이랑|랑|하고|을|를|은|는|이|가|도|만|으로|로|에)$")
MAX_NAME = 30


def _meal(text: str) -> str | None:
    key = normalize_key(text)
    found = [(key.find(normalize_key(s)), meal) for meal, surfaces in lx.MEAL_WORDS.items() for s in surfaces
             if normalize_key(s) and normalize_key(s) in key]
    return min(found)[1] if found else None


def _name(head: str) -> tuple[str, str]:
    """The food said in ``head`` and its amount: 「아침에 식빵 2장」 → (식빵, 2장)."""
    amount = ""
    m = AMOUNT.search(head)
    if m:
        amount = re.sub(r"\s+", "", m.group(0))
        head = head[:m.start()] + " " + head[m.end():]
    words = []
    for word in head.split():
        word = word.strip(",.!~")
        if not word or NOISE.match(word) or _is_meal_word(word):
            continue
        words.append(word)
    name = " ".join(words)
    name = PARTICLE.sub("", name) if len(name) > 2 else name
    return name.strip(), amount


def _is_meal_word(word: str) -> bool:
    bare = re.sub(r"(?:에는|에|은|는|으로|로|때)$", "", word)
    return any(bare == s for surfaces in lx.MEAL_WORDS.values() for s in surfaces)


def custom_meals(text: str, day_offset: int) -> tuple[CustomMeal, ...]:
    """「식빵 2장 200kcal」, 「아침에 프로틴바 먹었는데 180칼로리야」: a food eaten with its energy given."""
    m = KCAL_GIVEN.search(text)
    if m is None or ASKING.search(text):
        return ()
    head, tail = text[:m.start()], text[m.end():]
    verb = EATEN.search(head)
    if verb is not None:
        head = head[:verb.start()]
    elif not TAIL.match(tail):
        return ()
    if not EATEN.search(text) and not TAIL.match(tail):
        return ()
    name, amount = _name(head)
    kcal = parse_number(m.group(1).replace(",", ""))
    if not name or len(name) > MAX_NAME or not lx.SYLLABLE.search(name) or kcal is None or not 0 < kcal <= 5000:
        return ()
    shown = f"{name} {amount}" if amount else name
    return (CustomMeal(name=shown, kcal=float(kcal), meal=_meal(text), day_offset=day_offset),)


def unlisted_eaten(text: str, known_food: bool) -> tuple[str, ...]:
    """「아침에 식빵 먹었어」: one word before the eating verb that is no dish, no lexicon word and no chat
    word — a food the table lacks (said back as not logged, with how to give its energy)."""
    if known_food or "?" in text:
        return ()
    verb = EATEN.search(text)
    if verb is None:
        return ()
    name, _amount = _name(text[:verb.start()])
    if not name or " " in name or len(name) < 2 or not lx.SYLLABLE.fullmatch(name[0]) or name in lx.NOT_FOOD:
        return ()
    if normalize_key(name) in _lexicon_words() or name.endswith(("거", "것", "걸", "뭐", "다", "잘")):
        return ()
    return (name,)


def _lexicon_words() -> frozenset[str]:
    from mechuri.nlu.spans import LEXICON  # here: spans imports this package's lexicon at load time

    return frozenset(LEXICON)
