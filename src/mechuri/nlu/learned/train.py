"""Train the learned layer and save it: ``mechuri nlu train`` (or ``python -m mechuri.nlu.learned.train``).

Rebuilds the training set (``data.py``), then, never looking at tests/nlu/data/heldout.jsonl:

1. **Cross-validation** — five folds (crc32 of the text): each row is read by a model fitted without it,
   so every training row, and in particular every hand-labeled row (the labeled set's dev split), gets an
   out-of-fold reading.
2. **Calibration** — one temperature for the scores, fitted on the out-of-fold readings of the
   hand-written rows (``labeled`` and ``written``): the simulator's rows share templates across folds, so
   their out-of-fold readings are too sure of themselves to calibrate on.
3. **The combination** — every mode of ``combine.py`` at every threshold is scored by its move accuracy
   on two out-of-fold sets: the labeled dev rows (real messages, but written together with the rules, so
   they favour the rules) and all training rows (varied, but simulated, so they favour the model); and on
   the development set (tests/nlu/data/dev.jsonl: written apart from both, never trained on), read by the
   model fitted on every row. The mode and threshold with the best mean of the three are saved, and
   ``MECHURI_NLU_LEARNED=auto`` (the default) uses them. For ``disagree``, thresholds per move the rules
   read (at least ``PER_MOVE_MIN`` times, chosen on the out-of-fold rows where the rules read it) compete
   too, and are saved only when the development set — the one set not used to choose them — reads better
   with them.
4. **The model** — fitted on every row (before step 3, which reads the development set with it) and written as ``model.npz`` (arrays only) and ``model.json``
   (the choices above with the scores they were made from).
"""

from __future__ import annotations

import json
import math
import time
import zlib
from pathlib import Path
from typing import Any

import numpy as np

from mechuri.nlu.learned import data
from mechuri.nlu.learned.classifier import MODEL_PATH, LinearModel, features, reading
from mechuri.nlu.text import Token, clean, tokenize

C = 20.0
"""Inverse regularization of both heads (fixed beforehand; C = 5 read the hand-labeled rows worse in
cross-validation, 0.894 against 0.900)."""
MIN_DF = 2
FOLDS = 5
THRESHOLDS = (0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
TEMPERATURES = tuple(round(0.5 + 0.1 * i, 1) for i in range(26))
"""0.5 … 3.0: the temperature grid of the calibration."""
META_PATH = MODEL_PATH.with_suffix(".json")
NEVER = 1.01
"""A per-move threshold no probability reaches: the model never overrules the rules' reading of that move
(it still reads the move where they fell back)."""
PER_MOVE_MIN = 20
"""Out-of-fold rows the rules must read as a move before that move gets its own threshold."""
MODE_ORDER = ("off", "unsure", "disagree")
"""On a tie, the mode that leaves more to the rules wins."""

Row = dict[str, Any]


def _feats(row: Row, tokens: list[Token] | None = None) -> list[str]:
    text = row["text"]
    if tokens is None:
        tokens = tokenize(clean(text).analysed)
    return features(text, tokens, (row.get("context") or {}).get("kind"))


def fit(rows: list[Row], docs: list[list[str]] | None = None) -> LinearModel:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    docs = [_feats(r) for r in rows] if docs is None else docs
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
    arrays: dict[str, np.ndarray] = {"vocab": np.array(vocab), "idf": model.idf.astype(np.float32),
                                     "temperature": np.array(model.temperature, dtype=np.float32)}
    for name, (labels, coef, bias) in model.heads.items():
        arrays[f"{name}_labels"] = np.array(labels)
        arrays[f"{name}_coef"] = coef.astype(np.float16)
        arrays[f"{name}_bias"] = bias.astype(np.float32)
    np.savez_compressed(path, **arrays)


def fold_of(row: Row) -> int:
    return zlib.crc32(row["text"].encode()) % FOLDS


def out_of_fold(rows: list[Row], docs: list[list[str]]) -> tuple[list[dict[str, np.ndarray]], list[LinearModel]]:
    """Each row's raw head scores from the model fitted on the other folds (and those models)."""
    scores: list[dict[str, np.ndarray]] = [{} for _ in rows]
    models = []
    for k in range(FOLDS):
        inside = [i for i, r in enumerate(rows) if fold_of(r) != k]
        model = fit([rows[i] for i in inside], [docs[i] for i in inside])
        models.append(model)
        for i, r in enumerate(rows):
            if fold_of(r) == k:
                scores[i] = model.scores(docs[i])
    return scores, models


def fit_temperature(rows: list[Row], scores: list[dict[str, np.ndarray]], models: list[LinearModel]) -> tuple[
        float, dict[str, float]]:
    """The temperature minimizing the move head's negative log-likelihood on the hand-written rows."""
    picked = [i for i, r in enumerate(rows) if r["source"] in ("labeled", "written")]
    nll = {}
    for t in TEMPERATURES:
        total = 0.0
        for i in picked:
            probs = models[fold_of(rows[i])].calibrated(scores[i], t)["move"]
            total -= math.log(max(probs.get(rows[i]["move"], 0.0), 1e-12))
        nll[str(t)] = total / len(picked)
    best = min(TEMPERATURES, key=lambda t: nll[str(t)])
    return best, nll


def choose_mode(rows: list[Row], scores: list[dict[str, np.ndarray]], models: list[LinearModel],
                temperature: float, final: LinearModel | None = None, dev: list[Row] | None = None) -> tuple[
        str, float, dict[str, float], dict[str, dict[str, float]]]:
    """Score every (mode, threshold) — and, for ``disagree``, thresholds per move the rules read — and return
    the best, its per-move thresholds (empty unless they won) and the table. Each candidate is scored on the
    out-of-fold readings of the labeled dev rows and of all training rows and, with ``final`` (the model
    fitted on every training row), on the development set ``dev`` (tests/nlu/data/dev.jsonl, never trained
    on): the best mean wins."""
    from mechuri.nlu.learned.combine import combined_move
    from mechuri.nlu.learned.moves import collapse, move_of
    from mechuri.nlu.understand import understand

    rules = [understand(r["text"], learned="off") for r in rows]
    rules_moves = [move_of(u) for u in rules]
    guesses = [reading(models[fold_of(r)].calibrated(s, temperature)) for r, s in zip(rows, scores, strict=True)]
    labeled = [i for i, r in enumerate(rows) if r["source"] == "labeled"]
    dev = dev if final is not None and dev else []
    dev_rules = [understand(r["text"], learned="off") for r in dev]
    dev_moves = [move_of(u) for u in dev_rules]
    dev_guesses = [reading(final.calibrated(final.scores(_feats(r)), temperature)) for r in dev] if final else []

    def read(at_of: dict[str, float] | float, mode: str) -> tuple[list[bool], list[bool]]:
        def at(move: str) -> float:
            return at_of if isinstance(at_of, float) else at_of.get(move, default)
        got = [combined_move(m, u, g, at(m), mode)[0] == collapse(r["move"])
               for r, u, m, g in zip(rows, rules, rules_moves, guesses, strict=True)]
        on_dev = [combined_move(m, u, g, at(m), mode)[0] == r["move"]
                  for r, u, m, g in zip(dev, dev_rules, dev_moves, dev_guesses, strict=True)]
        return got, on_dev

    right: dict[tuple[str, float], list[bool]] = {}
    table: dict[str, dict[str, float]] = {}
    default = DEFAULT_AT
    for mode in MODE_ORDER:
        for at in (THRESHOLDS if mode != "off" else (1.0,)):
            right[mode, at], on_dev = read(at, mode)
            table[f"{mode}@{at}"] = _scored(right[mode, at], labeled, on_dev)
    right["disagree", NEVER], _ = read(NEVER, "disagree")
    best = max(table, key=lambda key: (table[key]["mean"], -MODE_ORDER.index(key.split("@")[0]),
                                       float(key.split("@")[1])))
    mode, at = best.split("@")
    default = float(at)
    per_move: dict[str, float] = {}
    if mode == "disagree":
        candidate = per_move_thresholds(rules_moves, labeled, right, default)
        got, on_dev = read(candidate, "disagree")
        table["disagree@per_move"] = _scored(got, labeled, on_dev)
        # the per-move thresholds were chosen on the out-of-fold rows, so only the development set (when
        # there is one) judges them fairly: they are kept only where it reads better with them
        judge = "dev_set" if on_dev else "mean"
        if table["disagree@per_move"][judge] > table[best][judge]:
            per_move = candidate
    return mode, default, per_move, table


DEFAULT_AT = 0.8
"""The threshold a move without one of its own falls back to while the candidates are read."""


def _scored(got: list[bool], labeled: list[int], on_dev: list[bool] | None = None) -> dict[str, float]:
    on_labeled = sum(got[i] for i in labeled) / len(labeled)
    on_all = sum(got) / len(got)
    parts = [on_labeled, on_all] + ([sum(on_dev) / len(on_dev)] if on_dev else [])
    out = {"labeled_dev": round(on_labeled, 4), "training": round(on_all, 4)}
    if on_dev:
        out["dev_set"] = round(parts[2], 4)
    out["mean"] = round(sum(parts) / len(parts), 4)
    return out


def per_move_thresholds(rules_moves: list[str], labeled: list[int], right: dict[tuple[str, float], list[bool]],
                        default: float) -> dict[str, float]:
    """For each move the rules read, the ``disagree`` threshold that reads the rows where they read it best
    (the same mean of labeled and all out-of-fold rows): the model is trusted more where the rules are
    often wrong (a statement that is really a forgetting) and less where they are exact. Moves the rules
    read fewer than ``PER_MOVE_MIN`` times keep ``default``; ``NEVER`` is a candidate too (and the only one
    beyond ``THRESHOLDS``, so ``right`` must hold it). A move keeps ``default`` unless its own threshold reads
    its rows better *and* reads none fewer of its hand-labeled rows (real messages) right: the simulated rows
    alone must not teach the model to overrule an exact reading (a dish settled on by name). Only thresholds
    that differ are returned."""
    out: dict[str, float] = {}
    on_labeled = set(labeled)
    for move in sorted(set(rules_moves)):
        rows = [i for i, m in enumerate(rules_moves) if m == move]
        if len(rows) < PER_MOVE_MIN:
            continue
        marked = [i for i in rows if i in on_labeled]

        def score(at: float, rows: list[int] = rows, marked: list[int] = marked) -> tuple[float, float]:
            got = right["disagree", at]
            on_all = sum(got[i] for i in rows) / len(rows)
            part = sum(got[i] for i in marked) / len(marked) if len(marked) >= PER_MOVE_MIN // 2 else on_all
            return (part + on_all) / 2, at  # a tie leaves more to the rules
        best = max((*THRESHOLDS, NEVER), key=score)
        on_marked = [sum(right["disagree", at][i] for i in marked) for at in (best, default)]
        if score(best)[0] > score(default)[0] and on_marked[0] >= on_marked[1]:
            out[move] = best
    return out


def main() -> None:
    started = time.perf_counter()
    rows = data.write()
    docs = [_feats(r) for r in rows]
    scores, models = out_of_fold(rows, docs)
    temperature, nll = fit_temperature(rows, scores, models)
    model = fit(rows, docs)
    model.temperature = temperature
    dev = [json.loads(line) for line in data.DEV.read_text(encoding="utf-8").splitlines()
           if line.strip()] if data.DEV.exists() else []
    mode, threshold, per_move, table = choose_mode(rows, scores, models, temperature, model, dev)
    save(model)
    meta = {"mode": mode, "threshold": threshold, "thresholds_by_rules_move": per_move, "temperature": temperature,
            "mode_scores_out_of_fold": table, "temperature_nll_out_of_fold": nll, "rows": len(rows),
            "features": len(model.index), "C": C, "min_df": MIN_DF, "folds": FOLDS, "seed": data.SEED}
    META_PATH.write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    size = MODEL_PATH.stat().st_size / 1e6
    print(f"{len(rows)} rows, {len(model.index)} features, temperature {temperature}, mode {mode} at {threshold} "
          f"({time.perf_counter() - started:.0f} s) -> {MODEL_PATH} ({size:.1f} MB); by the rules' move: {per_move}")
    for key, row in table.items():
        print(f"  {key:<18} labeled dev {row['labeled_dev']:.3f}  training {row['training']:.3f}  "
              f"dev set {row.get('dev_set', float('nan')):.3f}  mean {row['mean']:.3f}")


if __name__ == "__main__":
    main()
