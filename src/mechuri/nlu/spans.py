"""Finding the words that matter in a message: lexicon words, dish names, numbers and references.

People type without spaces (「점심에김치찌개먹었어」) and with too many, so words are matched on the
message's spaceless form. Every possible match is collected and the best non-overlapping set is kept
(weighted interval scheduling, a match weighing its length squared): a longer reading beats its pieces
(김치찌개 over 김치 + 찌개, 「추천 고마워」 over 추천 + 고마워), a match
that starts at a word boundary beats one that starts inside a word (초밥 in 「나 초밥」, not 나초), and a
general word beats a dish alias spelled the same (치킨 the category over a dish aliased 치킨).
"""

from __future__ import annotations

import re
import weakref
from bisect import bisect_right
from dataclasses import dataclass

from mechuri.knowledge.hangul import normalize_key
from mechuri.knowledge.lookup import FoodLookup
from mechuri.nlu import lexicon as lx
from mechuri.nlu.text import Token

CONTENT_KINDS = frozenset({"tag", "category", "cuisine", "ingredient", "dish"})


@dataclass(frozen=True)
class Span:
    """A matched word: where it is in the analysed text, what kind of thing it is, and its canonical value."""

    start: int
    end: int
    kind: str
    value: str
    text: str


def _compile_lexicon() -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}

    def add(kind: str, value: str, surfaces: tuple[str, ...]) -> None:
        for surface in surfaces:
            table.setdefault(normalize_key(surface), (kind, value))

    for word, (kind, value) in lx.STATEMENT_WORDS.items():
        table[normalize_key(word)] = ("statement", f"{kind}:{value}")
    for kind, words in (("tag", lx.TAG_WORDS), ("category", lx.CATEGORY_WORDS), ("cuisine", lx.CUISINE_WORDS),
                        ("meal", lx.MEAL_WORDS), ("situation", lx.SITUATION_WORDS), ("diet", lx.DIET_WORDS),
                        ("goal", lx.GOAL_WORDS), ("nutrient", lx.NUTRIENT_WORDS),
                        ("ingredient", lx.INGREDIENT_WORDS), ("cue", lx.CUE_WORDS)):
        for value, surfaces in words.items():
            add(kind, value, surfaces)
    add("cheap", "cheap", lx.CHEAP_WORDS)
    add("nutrient", "all", lx.NUTRIENT_ALL)
    return table


LEXICON = _compile_lexicon()
_LEX_MAX = max(len(key) for key in LEXICON)
_DISH_KEYS: weakref.WeakKeyDictionary[FoodLookup, tuple[dict[str, str], int]] = weakref.WeakKeyDictionary()


def dish_keys(lookup: FoodLookup) -> tuple[dict[str, str], int]:
    """Spaceless name and alias → dish name for ``lookup`` (built once per lookup), and the longest key."""
    cached = _DISH_KEYS.get(lookup)
    if cached is None:
        keys: dict[str, str] = {}
        for dish in lookup.table:
            for name in (dish.name, *dish.aliases):
                key = normalize_key(name)
                if len(key) >= 2:
                    keys.setdefault(key, dish.name)
        cached = (keys, max((len(k) for k in keys), default=0))
        _DISH_KEYS[lookup] = cached
    return cached


@dataclass
class _Flat:
    """The spaceless form of a text with the way back to the original positions."""

    chars: str
    where: list[int]
    word_start: set[int]


def _flatten(text: str) -> _Flat:
    chars: list[str] = []
    where: list[int] = []
    word_start: set[int] = set()
    new_word = True
    for index, char in enumerate(text):
        if char.isalnum():
            if new_word:
                word_start.add(len(chars))
            chars.append(char.lower())
            where.append(index)
            new_word = False
        else:
            new_word = True
            if not char.isspace():
                chars.append("\x00")  # punctuation: no match may cross it
                where.append(index)
    return _Flat("".join(chars), where, word_start)


def _token_agrees(surface: str, start: int, end: int, tokens: dict[tuple[int, int], list[Token]],
                  text: str) -> bool:
    """Whether a word Kiwi must confirm is that word here (see ``lexicon.SINGLE``)."""
    here = tokens.get((start, end), ())
    if surface in lx.SINGLE_VETO:
        return not any(t.tag in lx.SINGLE_VETO[surface] for t in here)
    if any(t.form == surface and t.tag in lx.SINGLE[surface] for t in here):
        return True
    alone = (start == 0 or text[start - 1].isspace()) and bool(lx.STANDALONE_NEXT.match(text[end:]))
    return surface in lx.STANDALONE and alone


def regex_spans(text: str) -> list[Span]:
    """Calorie bounds, ordinals and references: read with patterns, and they block the lexicon under them."""
    spans: list[Span] = []
    taken: list[tuple[int, int]] = []

    def free(m: re.Match[str]) -> bool:
        return all(m.end() <= s or m.start() >= e for s, e in taken)

    for kind, pattern in (("kcal_range", lx.KCAL_RANGE), ("kcal_bound", lx.KCAL_BOUND), ("ordinal", lx.ORDINAL),
                          ("ref", lx.REFERENCE)):
        for m in pattern.finditer(text):
            if free(m):
                taken.append((m.start(), m.end()))
                spans.append(Span(m.start(), m.end(), kind, m.group(0), m.group(0)))
    return spans


def lexicon_spans(text: str, tokens: list[Token], lookup: FoodLookup, blocked: list[Span]) -> list[Span]:
    """The best non-overlapping reading of ``text`` as lexicon words and dish names."""
    flat = _flatten(text)
    keys, dish_max = dish_keys(lookup)
    by_place: dict[tuple[int, int], list[Token]] = {}
    for token in tokens:
        by_place.setdefault((token.start, token.end), []).append(token)
    blocked_at = set()
    for span in blocked:
        blocked_at.update(range(span.start, span.end))
    longest = max(_LEX_MAX, dish_max)
    chars, n = flat.chars, len(flat.chars)
    candidates: list[tuple[int, int, float, str, str]] = []
    for i in range(n):
        if chars[i] == "\x00" or flat.where[i] in blocked_at:
            continue
        at_word_start = i in flat.word_start
        crossed = 0
        for length in range(1, min(longest, n - i) + 1):
            j = i + length
            if chars[j - 1] == "\x00" or flat.where[j - 1] in blocked_at:
                break
            if length > 1 and j - 1 in flat.word_start:
                crossed += 1
            if crossed and not at_word_start:
                break
            sub = chars[i:j]
            bonus = (0.3 if at_word_start else 0.0) + (0.2 if j == n or j in flat.word_start else 0.0)
            bonus -= 0.25 * crossed
            entry = LEXICON.get(sub)
            if entry is not None:
                a_start, a_end = flat.where[i], flat.where[j - 1] + 1
                checked = sub in lx.SINGLE or sub in lx.SINGLE_VETO
                if (checked and not _token_agrees(sub, a_start, a_end, by_place, text)) or (
                        len(sub) == 1 and sub not in lx.SINGLE and entry[0] != "cue"):
                    entry = None
            if entry is not None:
                weight = length ** 2 + bonus + 0.05 + lx.CUE_PRIORITY.get(entry[1], 0.0) * (entry[0] == "cue")
                candidates.append((i, j, weight, entry[0], entry[1]))
            dish = keys.get(sub)
            if dish is not None and sub in lx.SINGLE and not _token_agrees(
                    sub, flat.where[i], flat.where[j - 1] + 1, by_place, text):
                dish = None  # 「덜 짜요」: a dish alias that is also an everyday predicate, read where Kiwi says noun
            if dish is not None and sub in lx.PREDICATE_ALIASES and not text[flat.where[j - 1] + 1:].strip(" ?？!.~ㅠㅜ"):
                dish = None  # 「라면 짜요?」: ending the sentence it is the predicate, whatever Kiwi's tag
            if dish is not None:
                candidates.append((i, j, length ** 2 + bonus, "dish", dish))
    chosen = _best_set(candidates)
    spans = []
    for i, j, _weight, kind, value in chosen:
        a_start, a_end = flat.where[i], flat.where[j - 1] + 1
        spans.append(Span(a_start, a_end, kind, value, text[a_start:a_end]))
    return spans


def _best_set(candidates: list[tuple[int, int, float, str, str]]) -> list[tuple[int, int, float, str, str]]:
    """Weighted interval scheduling: the non-overlapping candidates with the largest total weight."""
    if not candidates:
        return []
    ordered = sorted(candidates, key=lambda c: (c[1], c[0]))
    ends = [c[1] for c in ordered]
    best = [0.0] * (len(ordered) + 1)
    take = [False] * len(ordered)
    prev = [0] * len(ordered)
    for k, (start, _end, weight, _kind, _value) in enumerate(ordered):
        prev[k] = bisect_right(ends, start, 0, k)
        with_it = weight + best[prev[k]]
        take[k] = with_it > best[k]
        best[k + 1] = with_it if take[k] else best[k]
    chosen = []
    k = len(ordered) - 1
    while k >= 0:
        if take[k]:
            chosen.append(ordered[k])
            k = prev[k] - 1
        else:
            k -= 1
    return chosen[::-1]


_MERGEABLE = frozenset({"tag", "category", "cuisine", "ingredient"})
_NOUNS = frozenset({"NNG", "NNP", "XR", "SL", "NNB"})


def repair_dishes(text: str, tokens: list[Token], spans: list[Span], lookup: FoodLookup,
                  suggestions: dict[int, tuple[str, ...]]) -> list[Span]:
    """Second looks at dish names the word matcher split or cut short.

    A misspelled dish can fall apart into general words (김치찌게 → 김치 + 찌게): a run of such words is
    tried as one name with the fuzzy lookup. A dish name inside a longer noun (우주선스테이크) is not that
    dish: the whole noun is looked up, and becomes an unknown food when the table has no such dish.
    """
    ordered = sorted(spans, key=lambda s: s.start)
    out: list[Span] = []
    index = 0
    while index < len(ordered):
        span = ordered[index]
        run = [span]
        while (run[-1].kind in _MERGEABLE and index + len(run) < len(ordered)
               and ordered[index + len(run)].kind in _MERGEABLE
               and not text[run[-1].end:ordered[index + len(run)].start].strip()):
            run.append(ordered[index + len(run)])
        if len(run) >= 2:
            name = text[run[0].start:run[-1].end]
            result = lookup.resolve(name)
            if result.found and result.dish is not None and result.match == "fuzzy":
                out.append(Span(run[0].start, run[-1].end, "dish", result.dish.name, name))
                index += len(run)
                continue
        out.append(span)
        index += 1
    hard = set()
    for span in out:
        if span.kind not in _MERGEABLE:
            hard.update(range(span.start, span.end))
    noun_chars = {k for t in tokens if t.tag in _NOUNS for k in range(t.start, t.end)}
    for position, span in enumerate(out):
        if span.kind != "dish":
            continue
        start = span.start
        while start > 0 and text[start - 1].isalnum() and start - 1 not in hard and start - 1 in noun_chars:
            start -= 1
        if span.start - start < 2:
            continue
        name = text[start:span.end]
        result = lookup.resolve(name)
        stand_in = None if result.found else lookup.representative(name)  # 「삼각김밥」 → 참치마요삼각김밥
        if result.found and result.dish is not None:
            out[position] = Span(start, span.end, "dish", result.dish.name, name)
        elif stand_in is not None:
            out[position] = Span(start, span.end, "dish", stand_in.name, name)
        else:
            suggestions[start] = result.suggestions or (span.value,)
            out[position] = Span(start, span.end, "unknown", "", name)
    dishes = [s for s in out if s.kind in ("dish", "unknown")]
    return [s for s in out if s.kind in ("dish", "unknown")
            or not any(d.start <= s.start and s.end <= d.end for d in dishes)]
