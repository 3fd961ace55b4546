"""Hangul to jamo, so that fuzzy matching sees 떡복이 and 떡볶이 as one keystroke apart.

Compared syllable by syllable, 떡복이 and 떡볶이 differ in a whole third of their letters; compared as the
keys a person presses (ㄸ ㅓ ㄱ ㅂ ㅗ ㄱ ㅇ ㅣ vs … ㄱ ㄱ …) they differ by one. Double consonants and
compound vowels are split into their parts because that is how they are mistyped (ㅐ/ㅔ, ㄲ/ㄱ).
"""

from __future__ import annotations

SYLLABLE_FIRST = 0xAC00
SYLLABLE_LAST = 0xD7A3
_CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_JUNGSEONG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
JONGSEONG = ("", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ", "ㄾ", "ㄿ", "ㅀ", "ㅁ",
             "ㅂ", "ㅄ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ")
"""The final consonants (받침) in syllable order, ``""`` for none: a syllable's is ``(code - SYLLABLE_FIRST) % 28``."""

_SPLIT = {
    "ㄲ": "ㄱㄱ", "ㄸ": "ㄷㄷ", "ㅃ": "ㅂㅂ", "ㅆ": "ㅅㅅ", "ㅉ": "ㅈㅈ",
    "ㄳ": "ㄱㅅ", "ㄵ": "ㄴㅈ", "ㄶ": "ㄴㅎ", "ㄺ": "ㄹㄱ", "ㄻ": "ㄹㅁ", "ㄼ": "ㄹㅂ", "ㄽ": "ㄹㅅ", "ㄾ": "ㄹㅌ",
    "ㄿ": "ㄹㅍ", "ㅀ": "ㄹㅎ", "ㅄ": "ㅂㅅ",
    "ㅐ": "ㅏㅣ", "ㅒ": "ㅑㅣ", "ㅔ": "ㅓㅣ", "ㅖ": "ㅕㅣ", "ㅘ": "ㅗㅏ", "ㅙ": "ㅗㅏㅣ", "ㅚ": "ㅗㅣ",
    "ㅝ": "ㅜㅓ", "ㅞ": "ㅜㅓㅣ", "ㅟ": "ㅜㅣ", "ㅢ": "ㅡㅣ",
}


def _split(jamo: str) -> str:
    return _SPLIT.get(jamo, jamo)


def to_jamo(text: str) -> str:
    """Decompose every Hangul syllable into basic jamo; other characters pass through unchanged."""
    out: list[str] = []
    for char in text:
        code = ord(char)
        if SYLLABLE_FIRST <= code <= SYLLABLE_LAST:
            index = code - SYLLABLE_FIRST
            lead, rest = divmod(index, 21 * 28)
            vowel, tail = divmod(rest, 28)
            out.append(_split(_CHOSEONG[lead]))
            out.append(_split(_JUNGSEONG[vowel]))
            if tail:
                out.append(_split(JONGSEONG[tail]))
        else:
            out.append(_split(char))
    return "".join(out)


def normalize_key(text: str) -> str:
    """The form names are compared in: no spaces or punctuation between words, lower-case Latin letters."""
    return "".join(char for char in text.lower() if char.isalnum())
