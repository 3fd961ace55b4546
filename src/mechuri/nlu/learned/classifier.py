"""The learned classifier at run time: features of a message, and a linear model read from plain arrays.

Features (the same function at training and at run time): character 1–4-grams of the message with the
spaces taken out (so 「점심뭐먹지」 and 「점심 뭐 먹지」 read alike), Kiwi morpheme unigrams and bigrams
(the rules' own tokens are reused, so no second analysis), and the previous bot turn's kind — alone and
crossed with each morpheme — for multi-turn messages. Weights are TF-IDF (sublinear tf, l2-normalized)
as scikit-learn computes them; the model is a multinomial logistic regression per head (``move`` and
``intent``). The file is an ``.npz`` of numeric arrays and a vocabulary of strings: loading it runs no
code (``allow_pickle=False``) and needs only numpy.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from mechuri.nlu.text import Token, clean, tokenize

MODEL_PATH = Path(__file__).resolve().parent / "model.npz"
MAX_CHARS = 300
"""Only the start of a long message is featurized (the rules read all of it)."""


def features(text: str, tokens: list[Token] | None, context: str | None) -> list[str]:
    """The feature strings of one message; ``tokens`` are Kiwi's (analysed when None)."""
    text = text[:MAX_CHARS].lower()
    if tokens is None:
        tokens = tokenize(clean(text).analysed)
    squeezed = re.sub(r"\s+", "", text)
    out = [f"c:{squeezed[i:i + n]}" for n in (1, 2, 3, 4) for i in range(len(squeezed) - n + 1)]
    morphs = [f"{t.form}/{t.tag[:2]}" for t in tokens[:120]]
    out += [f"m:{m}" for m in morphs]
    out += [f"b:{a}|{b}" for a, b in zip(["^", *morphs], [*morphs, "$"], strict=True)]
    kind = context or "none"
    out.append(f"x:{kind}")
    if context:
        out += [f"x:{kind}:{m}" for m in morphs]
    return out


@dataclass(frozen=True)
class Guess:
    """The model's reading: the best move and intent with their probabilities."""

    move: str
    move_p: float
    intent: str
    intent_p: float
    intents: dict[str, float]
    """Every intent's probability (the combination restricts it to those fitting the move)."""


class LinearModel:
    """TF-IDF + logistic regression heads, rebuilt from arrays. ``temperature`` divides the scores before the
    softmax: it is fitted at training on out-of-fold predictions of hand-written messages, so that a
    probability of 0.8 is right about 80 % of the time there (the combination's thresholds rely on it)."""

    def __init__(self, vocab: list[str], idf: np.ndarray, heads: dict[str, tuple[list[str], np.ndarray, np.ndarray]],
                 temperature: float = 1.0):
        self.index = {feature: i for i, feature in enumerate(vocab)}
        self.idf = idf.astype(np.float32)
        self.heads = {name: (labels, coef.astype(np.float32), bias.astype(np.float32))
                      for name, (labels, coef, bias) in heads.items()}
        self.temperature = float(temperature)

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> LinearModel:
        with np.load(path, allow_pickle=False) as data:
            vocab = [str(v) for v in data["vocab"]]
            heads = {name: ([str(v) for v in data[f"{name}_labels"]], data[f"{name}_coef"], data[f"{name}_bias"])
                     for name in ("move", "intent")}
            temperature = float(data["temperature"]) if "temperature" in data.files else 1.0
            return cls(vocab, data["idf"], heads, temperature)

    def vector(self, feats: list[str]) -> tuple[np.ndarray, np.ndarray]:
        counts = Counter(self.index[f] for f in feats if f in self.index)
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        cols = np.fromiter(counts, dtype=np.int64, count=len(counts))
        vals = np.array([1.0 + math.log(counts[c]) for c in cols], dtype=np.float32) * self.idf[cols]
        return cols, vals / np.linalg.norm(vals)

    def scores(self, feats: list[str]) -> dict[str, np.ndarray]:
        """The raw linear scores of each head (before the temperature and the softmax)."""
        cols, vals = self.vector(feats)
        return {name: coef[:, cols] @ vals + bias for name, (_, coef, bias) in self.heads.items()}

    def probabilities(self, feats: list[str]) -> dict[str, dict[str, float]]:
        return self.calibrated(self.scores(feats))

    def calibrated(self, scores: dict[str, np.ndarray], temperature: float | None = None) -> dict[str, dict[str, float]]:
        """Scores to probabilities at ``temperature`` (the model's own when None)."""
        t = self.temperature if temperature is None else temperature
        out: dict[str, dict[str, float]] = {}
        for name, raw in scores.items():
            z = np.exp((raw - raw.max()) / t)
            z /= z.sum()
            out[name] = dict(zip(self.heads[name][0], (float(p) for p in z), strict=True))
        return out

    def guess(self, text: str, tokens: list[Token] | None = None, context: str | None = None) -> Guess:
        return reading(self.probabilities(features(text, tokens, context)))


def reading(probs: dict[str, dict[str, float]]) -> Guess:
    """The best move (the refusal kinds counted together as ``refuse``) and intent of the heads' probabilities."""
    moves: dict[str, float] = {}
    for label, p in probs["move"].items():  # refuse_harm … count together as refuse
        key = "refuse" if label.startswith("refuse") else label
        moves[key] = moves.get(key, 0.0) + p
    move = max(moves, key=moves.__getitem__)
    if move == "refuse":
        move_label = max((lb for lb in probs["move"] if lb.startswith("refuse")), key=probs["move"].__getitem__)
    else:
        move_label = move
    intent = max(probs["intent"], key=probs["intent"].__getitem__)
    return Guess(move_label, moves[move], intent, probs["intent"][intent], probs["intent"])


@lru_cache(maxsize=2)
def load_model(path: Path = MODEL_PATH) -> LinearModel | None:
    """The shipped model, or None when its file is missing or unreadable (the rules then answer alone)."""
    try:
        return LinearModel.load(path)
    except (OSError, KeyError, ValueError):
        return None
