"""Print how well and how fast mechuri understands Korean chat messages, on the dev and test splits.

    .venv/bin/python benchmarks/nlu_eval.py [--repeats 5] [--misses dev|test]

Quality is scored on tests/nlu/data/utterances.jsonl (labels written by hand; see the guide beside it);
time per message is measured over the whole labeled set, repeated, after a warm-up that loads Kiwi and
the food table.
"""

from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path

from mechuri.nlu import understand
from mechuri.nlu.evaluation import load_utterances, score, time_per_message

DATA = Path(__file__).resolve().parents[1] / "tests" / "nlu" / "data" / "utterances.jsonl"
TARGETS = {"intent accuracy (primary)": 0.95, "slot micro-F1": 0.90, "preference F1": 0.90}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="passes over the set for the timing")
    parser.add_argument("--misses", choices=("dev", "test"), help="also list the messages that went wrong")
    args = parser.parse_args()

    started = time.perf_counter()
    understand("점심 뭐 먹지?")
    load_s = time.perf_counter() - started
    reports = {split: score(load_utterances(DATA, split), understand) for split in ("dev", "test")}
    rows = load_utterances(DATA)
    median_ms, p95_ms = time_per_message([row["text"] for row in rows], understand, repeats=args.repeats)

    names = list(reports["dev"].table())
    width = max(map(len, names)) + 2
    print(f"mechuri NLU on {DATA.name}: dev {reports['dev'].n}, test {reports['test'].n} messages")
    print(f"{'metric':<{width}}{'dev':>8}{'test':>8}   target")
    print("-" * (width + 26))
    for name in names:
        target = f">= {TARGETS[name]:.2f}" if name in TARGETS else ""
        print(f"{name:<{width}}{reports['dev'].table()[name]:>8.3f}{reports['test'].table()[name]:>8.3f}   {target}")
    print("-" * (width + 26))
    print(f"{'time per message, median':<{width}}{median_ms:>7.2f} ms   (target < 5 ms)")
    print(f"{'time per message, p95':<{width}}{p95_ms:>7.2f} ms")
    print(f"{'first call (loads Kiwi + table)':<{width}}{load_s:>7.2f} s")
    print(f"timing: {len(rows)} messages x {args.repeats} passes after warm-up, on {platform.processor() or 'cpu'}"
          f" / Python {platform.python_version()}")
    if args.misses:
        print(f"\nmisses on {args.misses}:")
        for row, got, wrong in reports[args.misses].misses:
            print(f"- {row['text']!r} {wrong}: want {row['intents']} {row['slots']}; got {got.intents} "
                  f"{got.slots.filled()}")


if __name__ == "__main__":
    main()
