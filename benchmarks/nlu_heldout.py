"""Score the rules, the learned model and their combination on a labeled message set (issue 14).

    PYTHONPATH=src .venv/bin/python benchmarks/nlu_heldout.py [--data dev] [--misses] [--repeats 3]

The default set is tests/nlu/data/heldout.jsonl (801 messages written before any model; see the README
beside it): only aggregate figures are printed for it — it is never tuned on, so ``--misses`` is refused
there. ``--data dev`` (tests/nlu/data/dev.jsonl, written later to develop on) or any file of the same
schema is scored the same way, and may list its misses.
Systems: (a) rules only (``understand(..., learned=False)``); (b) the linear model alone (move and
intent; it has no slots — everything exact comes from the rules in every system); (c1) rules first, the
model where the rules fell back (``understand(..., learned="unsure", context=...)``); (c2) also where the
model overrules them at the threshold chosen at training (``learned="disagree"``); the default (``auto``)
is whichever of these training chose, printed under the table; (d) the small language model (Gemma 3 270M
embeddings + a trained head) is measured by benchmarks/nlu_gemma.py (it needs llama-cpp-python and takes
minutes).
"""

from __future__ import annotations

import argparse
import json
import platform
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mechuri.nlu import understand
from mechuri.nlu.evaluation import time_per_message
from mechuri.nlu.learned.classifier import load_model
from mechuri.nlu.learned.combine import resolve
from mechuri.nlu.learned.moves import FOOD_MOVES, MOVES, collapse, move_of
from mechuri.nlu.model import Understanding

SETS = Path(__file__).resolve().parents[1] / "tests" / "nlu" / "data"
DATA = SETS / "heldout.jsonl"
REFUSALS = frozenset({"refuse", "off_topic"})

Row = dict[str, Any]
Reading = tuple[str, str, set[tuple[str, object]] | None]


def slots_of(u: Understanding) -> set[tuple[str, object]]:
    """(slot, value) pairs the held-out set labels: the meal said, dishes named, list places."""
    pairs: set[tuple[str, object]] = set()
    meal = u.slots.meal if not u.slots.meal_inferred else None
    meal = meal or next((m.meal for m in u.meals if m.meal), None)
    if meal:
        pairs.add(("meal", meal))
    pairs.update(("dishes", f.dish) for f in u.foods if f.dish)
    pairs.update(("dishes", m.dish) for m in u.meals)
    refs = list(u.references) or ([u.reference] if u.reference is not None else [])
    if not refs and u.pick is not None and u.pick.reference is not None:
        refs = [u.pick.reference]
    pairs.update(("references", r) for r in refs)
    return pairs


def gold_slots(row: Row) -> set[tuple[str, object]]:
    slots = row["slots"]
    pairs: set[tuple[str, object]] = {("meal", slots["meal"])} if slots.get("meal") else set()
    pairs.update(("dishes", d) for d in slots.get("dishes", []))
    pairs.update(("references", r) for r in slots.get("references", []))
    return pairs


def context(row: Row) -> str | None:
    return (row.get("context") or {}).get("kind")


def systems() -> dict[str, Callable[[Row], Reading]]:
    model = load_model()

    def rules(row: Row) -> Reading:
        u = understand(row["text"], learned="off")
        return move_of(u), u.intent, slots_of(u)

    def combined(mode: str, with_context: bool = True) -> Callable[[Row], Reading]:
        def run(row: Row) -> Reading:
            u = understand(row["text"], learned=mode, context=context(row) if with_context else None)
            return move_of(u), u.intent, slots_of(u)
        return run

    out = {"(a) rules only": rules}
    if model is not None:
        def learned(row: Row) -> Reading:
            guess = model.guess(row["text"], None, context(row))
            return collapse(guess.move), guess.intent, None

        out["(b) linear model only"] = learned
        out["(c1) rules + model where rules fell back"] = combined("unsure")
        out["(c1') the same, no context"] = combined("unsure", False)
        out["(c2) rules + model where unsure or overruling"] = combined("disagree")
    return out


def f1(gold: list[set], got: list[set]) -> float:
    tp = sum(len(g & p) for g, p in zip(gold, got, strict=True))
    fp = sum(len(p - g) for g, p in zip(gold, got, strict=True))
    fn = sum(len(g - p) for g, p in zip(gold, got, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="passes over the set for the timing")
    parser.add_argument("--data", default="heldout",
                        help="heldout, dev, or the path of a JSON-lines file of the same schema")
    parser.add_argument("--misses", action="store_true", help="list each system's misses (not on the held-out set)")
    args = parser.parse_args()
    path = SETS / f"{args.data}.jsonl" if args.data in ("heldout", "dev") else Path(args.data)
    if args.misses and path.resolve() == DATA:
        parser.error("the held-out set is never tuned on: no misses are listed for it")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    understand("점심 뭐 먹지?", learned="disagree")  # warm-up: Kiwi, the food table, the model
    multi = sum("context" in r for r in rows)
    print(f"{path.stem}: {len(rows)} messages ({multi} multi-turn), {path}")
    table = []
    for name, run in systems().items():
        got = [run(row) for row in rows]
        move_acc = sum(g[0] == r["move"] for g, r in zip(got, rows, strict=True)) / len(rows)
        intent_acc = sum(g[1] == r["intent"] for g, r in zip(got, rows, strict=True)) / len(rows)
        multi_acc = sum(g[0] == r["move"] for g, r in zip(got, rows, strict=True) if "context" in r) / multi
        slot = f1([gold_slots(r) for r in rows], [g[2] for g in got]) if got[0][2] is not None else None
        food_to_unsafe = sum(r["move"] in REFUSALS and g[0] in FOOD_MOVES for g, r in zip(got, rows, strict=True))
        refused_food = sum(r["move"] in FOOD_MOVES and g[0] in REFUSALS for g, r in zip(got, rows, strict=True))
        median_ms, p95_ms = time_per_message(rows, run, repeats=args.repeats, warmup=0)
        table.append((name, move_acc, intent_acc, multi_acc, slot, food_to_unsafe, refused_food, median_ms, p95_ms))
        print(f"\n## {name}")
        print(f"{'move':<12}{'n':>5}{'prec':>7}{'recall':>8}   most often read as")
        for move in MOVES:
            n = sum(r["move"] == move for r in rows)
            predicted = [r["move"] for g, r in zip(got, rows, strict=True) if g[0] == move]
            prec = predicted.count(move) / len(predicted) if predicted else 0.0
            wrong = Counter(g[0] for g, r in zip(got, rows, strict=True) if r["move"] == move and g[0] != move)
            recall = sum(g[0] == move for g, r in zip(got, rows, strict=True) if r["move"] == move) / n if n else 0
            confused = ", ".join(f"{m} {c}" for m, c in wrong.most_common(3))
            print(f"{move:<12}{n:>5}{prec:>7.2f}{recall:>8.2f}   {confused}")
        if args.misses:
            for g, r in zip(got, rows, strict=True):
                if g[0] != r["move"]:
                    print(f"  miss {r['id']} [{context(r) or '-'}] {r['text']!r}: {r['move']} read as {g[0]}")
                if g[2] is not None and g[2] != gold_slots(r):
                    print(f"  slot {r['id']} {r['text']!r}: missing {sorted(gold_slots(r) - g[2], key=str)}, "
                          f"extra {sorted(g[2] - gold_slots(r), key=str)}")
    print("\n| system | move acc | intent acc | move acc, multi-turn | slot F1 | food answers to unsafe/off-topic "
          "| refusals of food questions | median ms | p95 ms |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, move_acc, intent_acc, multi_acc, slot, bad1, bad2, median_ms, p95_ms in table:
        slot_text = f"{slot:.3f}" if slot is not None else "— (rules')"
        print(f"| {name} | {move_acc:.3f} | {intent_acc:.3f} | {multi_acc:.3f} | {slot_text} | {bad1} | {bad2} "
              f"| {median_ms:.2f} | {p95_ms:.2f} |")
    print("| (d) small LM (Gemma 3 270M embeddings + head) | see benchmarks/nlu_gemma.py | | | | | | | |")
    print(f"\ndefault (MECHURI_NLU_LEARNED=auto): {resolve('auto')}, chosen at training (model.json)")
    print(f"\ntiming: {len(rows)} messages x {args.repeats} passes after warm-up, one process, on "
          f"{platform.processor() or platform.machine()} / Python {platform.python_version()}; "
          "targets: move/intent >= 0.97, slot F1 >= 0.95, rules median < 5 ms, with the model p95 < 300 ms")


if __name__ == "__main__":
    main()
