"""One shared kiwipiepy analyser for the whole process, and the content words of a Korean text.

Loading Kiwi's model takes about two seconds and ~100 MB, so every part of mechuri (NLU, Q&A retrieval,
dataset tools) shares one instance, created on first use. The model ships on PyPI (kiwipiepy-model),
so nothing is downloaded at run time.
"""

from __future__ import annotations

import threading
from functools import lru_cache

from kiwipiepy import Kiwi

_lock = threading.Lock()
KIWI_LOCK = threading.RLock()
"""Held around every analysis: the web app calls from several threads and Kiwi's thread safety is
not documented for every version, so callers serialise (an analysis takes well under a millisecond)."""

CONTENT_TAGS = frozenset({"NNG", "NNP", "VV", "VA", "XR", "SL", "MAG"})
"""Nouns, verb and adjective stems, roots, foreign words, adverbs: what a question is about."""
_NOUN_TAGS = frozenset({"NNG", "NNP"})


EXTRA_WORDS = ("육전", "닭가슴살", "곤약밥", "오트밀", "그릭요거트", "에어프라이어")
"""Food words Kiwi's dictionary splits or drops (육전 → 육 + 전), taught to it as proper nouns."""


@lru_cache(maxsize=1)
def get_kiwi() -> Kiwi:
    """The process-wide analyser, taught every dish name of the food table (and its aliases without
    spaces) so that 「육전」 or 「닭가슴살샐러드」 stay whole words instead of being split into noise."""
    from mechuri.knowledge.foods import load_food_table  # late: the table is not needed to import this module

    with _lock:
        kiwi = Kiwi()
        words = set(EXTRA_WORDS)
        for dish in load_food_table():
            words.update("".join(word.split()) for word in (dish.name, *dish.aliases))
        for word in sorted(words):
            if len(word) >= 2 and all("가" <= ch <= "힣" for ch in word):
                kiwi.add_user_word(word, "NNP", 0.0)
        return kiwi


def content_words(text: str) -> list[str]:
    """Content morphemes of ``text``, plus each run of adjacent nouns joined into one compound word
    (닭 + 가슴살 → 닭가슴살), because dish and ingredient names are compounds people split or join."""
    words: list[str] = []
    run: list[str] = []
    kiwi = get_kiwi()
    with KIWI_LOCK:
        tokens = kiwi.tokenize(text)
    for token in tokens:
        if token.tag in CONTENT_TAGS:
            words.append(token.form.lower())
        if token.tag in _NOUN_TAGS:
            run.append(token.form)
            continue
        if len(run) > 1:
            words.append("".join(run))
        run = []
    if len(run) > 1:
        words.append("".join(run))
    return words
