"""Train the learned layer and save it: ``mechuri nlu train`` (or ``python -m mechuri.nlu.learned.train``).

Rebuilds the training set (``data.py``), fits one TF-IDF vocabulary and two logistic-regression heads
(move, intent) with scikit-learn, chooses the combination's confidence threshold on a slice of the
training set held back for it (never on tests/nlu/data/heldout.jsonl), refits on everything and writes
``model.npz`` (arrays only) and ``model.json`` (the threshold and the training summary).
"""

from __future__ import annotations

import json
import time
import zlib
from pathlib import Path
from typing import Any

import numpy as np

from mechuri.nlu.learned import data
from mechuri.nlu.learned.classifier import MODEL_PATH, LinearModel, features
from mechuri.nlu.text import clean, tokenize

C = 20.0
"""Inverse regularization of both heads (fixed beforehand, not searched)."""
MIN_DF = 2
THRESHOLDS = (0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
META_PATH = MODEL_PATH.with_suffix(".json")


def _feats(row: dict[str, Any]) -> list[str]:
    text = row["text"]
    return features(text, tokenize(clean(text).analysed), (row.get("context") or {}).get("kind"))


def fit(rows: list[dict[str, Any]]) -> LinearModel:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    docs = [_feats(r) for r in rows]
    vectorizer = TfidfVectorizer(analyzer=lambda feats: feats, sublinear_tf=True, min_df=MIN_DF, lowercase=False)
    x = vectorizer.fit_transform(docs)
    heads = {}
    for head in ("move", "intent"):
        y = [r[head] for r in rows]
        clf = LogisticRegression(C=C, max_iter=3000)
        clf.fit(x, y)
        heads[head] = (list(clf.classes_), clf.coef_, clf.intercept_)
    vocab = [None] * len(vectorizer.vocabulary_)
    for feature, index in vectorizer.vocabulary_.items():
        vocab[index] = feature
    return LinearModel(vocab, vectorizer.idf_, heads)


def save(model: LinearModel, path: Path = MODEL_PATH) -> None:
    vocab = sorted(model.index, key=model.index.__getitem__)
    arrays: dict[str, np.ndarray] = {"vocab": np.array(vocab), "idf": model.idf.astype(np.float32)}
    for name, (labels, coef, bias) in model.heads.items():
        arrays[f"{name}_labels"] = np.array(labels)
        arrays[f"{name}_coef"] = coef.astype(np.float16)
        arrays[f"{name}_bias"] = bias.astype(np.float32)
    np.savez_compressed(path, **arrays)


def choose_threshold(rows: list[dict[str, Any]]) -> tuple[float, dict[str, float]]:
    """Fit on 80 % of the training rows, and pick the threshold at which the combination reads the other
    20 % best (ties: the higher threshold, which leaves more to the rules)."""
    from mechuri.nlu.learned.combine import combined_move
    from mechuri.nlu.learned.moves import collapse, move_of
    from mechuri.nlu.understand import understand

    def held(r: dict[str, Any]) -> bool:
        return zlib.crc32(r["text"].encode()) % 5 == 0

    model = fit([r for r in rows if not held(r)])
    check = [r for r in rows if held(r)]
    rules = [understand(r["text"], learned="off") for r in check]
    guesses = [model.guess(r["text"], None, (r.get("context") or {}).get("kind")) for r in check]
    scores = {}
    for threshold in THRESHOLDS:
        right = sum(combined_move(move_of(u), u, g, threshold)[0] == collapse(r["move"])
                    for r, u, g in zip(check, rules, guesses, strict=True))
        scores[str(threshold)] = right / len(check)
    best = max(THRESHOLDS, key=lambda t: (scores[str(t)], t))
    return best, scores


def main() -> None:
    started = time.perf_counter()
    rows = data.write()
    threshold, scores = choose_threshold(rows)
    model = fit(rows)
    save(model)
    meta = {"threshold": threshold, "threshold_scores_on_training_slice": scores, "rows": len(rows),
            "features": len(model.index), "C": C, "min_df": MIN_DF, "seed": data.SEED}
    META_PATH.write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    size = MODEL_PATH.stat().st_size / 1e6
    print(f"{len(rows)} rows, {len(model.index)} features, threshold {threshold} "
          f"({time.perf_counter() - started:.0f} s) -> {MODEL_PATH} ({size:.1f} MB)")


if __name__ == "__main__":
    main()
