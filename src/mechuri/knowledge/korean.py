"""Korean grammar that depends on how a word is read aloud: the particle after it, and Sino-Korean numbers.

One job: say which form of a particle (은/는, 이/가, 을/를, 으로/로, 이에요/예요 …) follows a word, and read
numbers written the Korean way (「천이백」, 「1만 2천」). Why one module: the choice depends on the final
consonant (받침) of the last syllable *as spoken*, and a word may end in something other than Hangul —
a digit (「450」 is 사백오십, so 「450을」), a unit (「238kcal」 is …칼로리, so 「238kcal예요」), a Latin
letter (「L」 is 엘) or a bracket (「김치찌개(1인분)」 takes the particle of 김치찌개). Six copies of this
logic used to disagree on exactly those words; every sentence builder now asks this module.

How a non-Hangul ending is read:

- digits: as a Sino-Korean number, by its last spoken syllable — 「10」 십, 「20」 이십, 「100」 백,
  「2,000」 이천, 「10000」 만, 「1.5」 일 점 오 (the last digit after the point);
- a unit after a number (or a multi-letter unit anywhere): kcal 칼로리, g 그램, mg 밀리그램, ml 밀리리터,
  L 리터, % 퍼센트 …;
- one Latin letter, or an all-capital word such as 「KFC」: by the Korean name of its last letter (엘, 엠, 씨);
- another Latin word: a heuristic on its last letters, since Korean loanwords keep only m, n, ng and l
  as finals, plus p, t, k after a single short vowel (「ham」 햄, 「bacon」 베이컨, 「chip」 칩), while
  other endings get a vowel (「burger」 버거, 「salad」 샐러드, 「steak」 스테이크);
- trailing spaces, punctuation and quotes are skipped; a trailing bracketed part is dropped, because the
  particle follows the word before it (「김치찌개(1인분)를」).

What cannot be read (an empty string, Hanja, an emoji) takes the form written after a final consonant,
the one Korean templates write first (「이(가)」).
"""

from __future__ import annotations

import re
from typing import Literal

from mechuri.knowledge.hangul import JONGSEONG, SYLLABLE_FIRST, SYLLABLE_LAST

SINO_DIGITS: dict[str, int] = {"일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "칠": 7, "팔": 8, "구": 9}
"""The Sino-Korean digits 1–9 (영, zero, is never written inside a number)."""
SINO_UNITS: dict[str, int] = {"십": 10, "백": 100, "천": 1000, "만": 10_000}
"""The Sino-Korean powers of ten a number is written with; 만 groups the ones below it (이만오천)."""

_DIGIT_NAMES = "영일이삼사오육칠팔구"
_SMALL_UNIT_NAMES = ("", "십", "백", "천")
_LARGE_UNIT_NAMES = ("만", "억", "조", "경")
_LETTER_NAMES = {
    "a": "에이", "b": "비", "c": "씨", "d": "디", "e": "이", "f": "에프", "g": "지", "h": "에이치", "i": "아이",
    "j": "제이", "k": "케이", "l": "엘", "m": "엠", "n": "엔", "o": "오", "p": "피", "q": "큐", "r": "알",
    "s": "에스", "t": "티", "u": "유", "v": "브이", "w": "더블유", "x": "엑스", "y": "와이", "z": "제트",
}
_UNITS = {  # as read after a number
    "kcal": "칼로리", "cal": "칼로리", "kj": "킬로줄", "g": "그램", "kg": "킬로그램", "mg": "밀리그램",
    "mcg": "마이크로그램", "ug": "마이크로그램", "µg": "마이크로그램", "l": "리터", "ml": "밀리리터",
    "dl": "데시리터", "cc": "시시", "m": "미터", "cm": "센티미터", "mm": "밀리미터", "km": "킬로미터",
    "%": "퍼센트", "℃": "도", "°c": "도", "°": "도",
}
_UNITS_ANYWHERE = frozenset({"kcal", "kj", "kg", "mg", "mcg", "ml", "cm", "mm", "km"})
"""Units read as units even without a number before them (no one spells 「mg」 out letter by letter)."""
_CLOSERS = {")": "(", "]": "[", "}": "{", "）": "（", "］": "［"}
_SKIPPED = set(" \t\n.,!?;:~…·‧-–—_/\\'\"‘’“”「」『』《》〈〉<>*")

_UNIT_TAIL = re.compile(r"(?:(?P<num>[0-9][0-9,]*(?:\.[0-9]+)?)\s*)?(?P<unit>[A-Za-zµ°℃%]+)$")
_NUMBER_TAIL = re.compile(r"[0-9][0-9,]*(?:\.[0-9]+)?$")
_IGNORED_IN_NUMBER = re.compile(r"[\s,]")
_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_NUMBER_TOKEN = re.compile(r"[0-9]+(?:\.[0-9]+)?|.")
_SHORT_STOP = re.compile(r"(?:^|[^aeiou])[aeiou](?:p|t|k|ck)$")
"""「chip」, 「hot」, 「cup」, 「snack」: a stop after one short vowel stays a final (칩, 핫, 컵, 스낵)."""

Pair = Literal["이/가", "은/는", "을/를", "과/와", "으로/로", "이에요/예요", "이랑/랑", "아/야", "이나/나", "이라/라"]
"""A particle as its two forms: after a final consonant / after a vowel (으로/로 also after ㄹ)."""
_MARKERS: dict[str, Pair] = {"은(는)": "은/는", "이(가)": "이/가", "을(를)": "을/를", "과(와)": "과/와",
                             "(으)로": "으로/로", "(이)랑": "이랑/랑"}
_MARKER = re.compile("|".join(re.escape(marker) for marker in _MARKERS))


def _syllable_final(syllable: str) -> str:
    return JONGSEONG[(ord(syllable) - SYLLABLE_FIRST) % 28]


def _is_syllable(char: str) -> bool:
    return SYLLABLE_FIRST <= ord(char) <= SYLLABLE_LAST


def _strip_end(word: str) -> str:
    """``word`` without trailing spaces, punctuation, quotes and a trailing bracketed part."""
    text = word
    while text:
        last = text[-1]
        if last in _CLOSERS:
            opener = text.rfind(_CLOSERS[last])
            text = text[:opener] if opener > 0 and text[:opener].strip() else text[:-1]
        elif last in _SKIPPED:
            text = text[:-1]
        else:
            break
    return text


def _number_reading(written: str) -> str:
    """The last syllable spoken for a number written in digits: 10 → 십, 2,000 → 천, 1.5 → 오."""
    whole, _, fraction = written.replace(",", "").partition(".")
    if fraction:
        return _DIGIT_NAMES[int(fraction[-1])]
    value = int(whole)
    if value == 0:
        return "영"
    group = 0
    while value % 10_000 == 0:
        value //= 10_000
        group += 1
    if group:
        return _LARGE_UNIT_NAMES[min(group, len(_LARGE_UNIT_NAMES)) - 1]
    zeros = 0
    while value % 10 == 0:
        value //= 10
        zeros += 1
    return _SMALL_UNIT_NAMES[zeros] if zeros else _DIGIT_NAMES[value % 10]


def _latin_reading(letters: str) -> str | None:
    """The last spoken syllable of a Latin word, or ``""`` for a vowel ending read without a final."""
    lower = letters.lower()
    if len(letters) == 1 or letters.isupper():
        return _LETTER_NAMES[lower[-1]][-1] if lower[-1] in _LETTER_NAMES else None
    if lower.endswith("ng"):
        return "웅"  # -ng: ㅇ
    if lower[-1] == "m":
        return "엄"
    if lower[-1] == "n":
        return "언"
    if lower[-1] == "l":
        return "얼"
    if _SHORT_STOP.search(lower):
        return {"p": "업", "t": "엇", "k": "억"}[lower[-1]]
    return "어"  # vowels, r, w, y and the stops and fricatives that take an added vowel (버거, 샐러드, 피시)


def _last_spoken(word: str) -> str | None:
    """The last syllable of ``word`` as it is read aloud, in Hangul; None when it cannot be read."""
    text = _strip_end(word)
    if not text:
        return None
    if _is_syllable(text[-1]):
        return text[-1]
    unit = _UNIT_TAIL.search(text)
    if unit:
        letters, key = unit.group("unit"), unit.group("unit").lower()
        if key in _UNITS and (unit.group("num") or key in _UNITS_ANYWHERE):
            return _UNITS[key][-1]
        return _latin_reading(letters) if letters.isascii() and letters.isalpha() else None
    number = _NUMBER_TAIL.search(text)
    if number:
        return _number_reading(number.group(0))
    return None


def final_consonant(word: str) -> str | None:
    """The final consonant (받침) of the last syllable of ``word`` as spoken, as a jamo (「ㄴ」, 「ㄹ」);
    ``""`` when that syllable ends in a vowel; None when the ending cannot be read (empty, emoji, Hanja)."""
    syllable = _last_spoken(word)
    return None if syllable is None else _syllable_final(syllable)


def has_final(word: str) -> bool:
    """Whether ``word`` is followed by the forms written after a final consonant (이, 은, 을, 이에요 …):
    True when its last spoken syllable has a 받침, and when the ending cannot be read."""
    return final_consonant(word) != ""


def ends_in_rieul(word: str) -> bool:
    """Whether the last spoken syllable ends in ㄹ, which takes 로 rather than 으로 (「국물로」, 「7로」)."""
    return final_consonant(word) == "ㄹ"


def particle(word: str, pair: Pair) -> str:
    """The form of ``pair`` that follows ``word``: particle("김치찌개", "을/를") → 「를」,
    particle("물", "으로/로") → 「로」, particle("238kcal", "이에요/예요") → 「예요」."""
    with_final, without_final = pair.split("/")
    if pair == "으로/로" and ends_in_rieul(word):
        return without_final
    return with_final if has_final(word) else without_final


def attach(word: str, pair: Pair) -> str:
    """``word`` followed by its particle: attach("김치찌개", "은/는") → 「김치찌개는」."""
    return word + particle(word, pair)


def resolve_particles(text: str) -> str:
    """Resolve the template markers 은(는), 이(가), 을(를), 과(와), (으)로 and (이)랑 in ``text`` after the
    word each follows: 「'떡볶이'을(를)」 → 「'떡볶이'를」, 「{label}은(는)」 → 「당류는」."""
    def pick(match: re.Match[str]) -> str:
        before = match.string[max(0, match.start() - 80):match.start()]
        return particle(before, _MARKERS[match.group(0)])

    return _MARKER.sub(pick, text)


def parse_number(text: str) -> float | None:
    """A number written in digits, in Sino-Korean words, or both, with 만/천/백/십: 「1,200」 → 1200,
    「천이백」 → 1200, 「이만오천」 → 25000, 「1만 2천」 → 12000, 「1.5만」 → 15000. White space and commas are
    ignored; None when ``text`` is anything else (「천천」, 「이이」, 「만오천원」: pass the number alone)."""
    compact = _IGNORED_IN_NUMBER.sub("", text)
    if _DECIMAL.fullmatch(compact):
        return float(compact)
    if not compact:
        return None
    total = section = 0.0
    digit: float | None = None
    smallest = SINO_UNITS["만"]  # inside one 만-group the units come in falling order: 천, 백, 십
    for token in _NUMBER_TOKEN.findall(compact):
        if _DECIMAL.fullmatch(token) or token in SINO_DIGITS:
            if digit is not None:  # 「이이」, 「2삼」: two digits in a row
                return None
            digit = float(SINO_DIGITS[token]) if token in SINO_DIGITS else float(token)
        elif token == "만":
            if total:  # a second 만
                return None
            total = (section + (digit or 0) or 1) * SINO_UNITS["만"]
            section, digit, smallest = 0.0, None, SINO_UNITS["만"]
        elif token in SINO_UNITS and SINO_UNITS[token] < smallest:
            section += (1 if digit is None else digit) * SINO_UNITS[token]
            digit, smallest = None, SINO_UNITS[token]
        else:  # not a number word, or a unit out of order (「천천」, 「십백」)
            return None
    return total + section + (digit or 0)
