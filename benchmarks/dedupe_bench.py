"""Time ROUGE-L near-duplicate removal: the Self-Instruct reference (rouge_score, every new instruction
against every kept one) against ``mechuri.data.dedupe`` (inverted index + exact filters), at 2k/10k/50k.

Workload: Korean instructions like a Self-Instruct run's — distinct bases (seed tasks, the bundled Q&A,
synthesized questions and requests) and 1–3-word edits of recent ones (``near_duplicate_workload``),
tokenized once by the same Kiwi tokenizer for both sides.

The reference is what Self-Instruct / Alpaca do per instruction: ``rouge_score``'s ``_score_lcs(new,
kept)`` against all kept instructions (they spread it over a process pool; at best that divides the
time by the core count, shown in its own column). Where running it would take too long
(``--measure-reference-upto``), its time is *estimated*: the exact number of pairs it would score (known
from the decisions, which are identical) × the measured time per pair on a sample of such pairs. The
table says which figures are estimates. At the measured sizes the decisions are checked to be equal.

    .venv/bin/python benchmarks/dedupe_bench.py [--sizes 2000 10000 50000] [--measure-reference-upto 2000]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from dataclasses import replace

from rouge_score import rouge_scorer

from mechuri.data.dedupe import KoreanTokenizer, RougeLIndex, dedupe_token_lists, near_duplicate_workload
from mechuri.data.seed import load_seed_tasks
from mechuri.data.synthesize import compare_examples, day_total_examples, nutrition_examples
from mechuri.data.synthesize_recommend import user_message
from mechuri.knowledge.foods import load_food_table
from mechuri.knowledge.qa import load_qa
from mechuri.recommend.audit import random_request

THRESHOLD = 0.7


def base_instructions(seed: int) -> list[str]:
    """Distinct Korean instructions of every kind mechuri's dataset holds."""
    rng = random.Random(seed)
    table = load_food_table()
    names = [dish.name for dish in table]
    bases = [task.instruction for task in load_seed_tasks()] + [entry.question for entry in load_qa()]
    bases += [e.instruction for e in nutrition_examples(table, rng)]
    bases += [e.instruction for e in compare_examples(table, rng, 3000)]
    bases += [e.instruction for e in day_total_examples(table, rng, 2000)]
    for _ in range(6000):
        request = random_request(rng, names)
        bases.append(user_message(replace(request, meal=request.meal or "점심"), rng))
    return list(dict.fromkeys(bases))


def reference(token_lists: list[list[str]]) -> tuple[list[bool], float]:
    """Self-Instruct's loop, serial: score the new instruction against every kept one, keep if all < 0.7."""
    started = time.perf_counter()
    kept: list[list[str]] = []
    dropped = []
    for tokens in token_lists:
        scores = [rouge_scorer._score_lcs(tokens, other).fmeasure for other in kept]
        duplicate = bool(scores) and max(scores) >= THRESHOLD
        dropped.append(duplicate)
        if not duplicate:
            kept.append(tokens)
    return dropped, time.perf_counter() - started


def estimate_reference(token_lists: list[list[str]], dropped: list[bool], sample: int, seed: int) -> float:
    """Pairs the reference would score × seconds per pair, measured on pairs drawn like its own."""
    rng = random.Random(seed)
    kept_before, kept_positions, pairs = [], [], 0
    for position, duplicate in enumerate(dropped):
        kept_before.append(len(kept_positions))
        pairs += len(kept_positions)
        if not duplicate:
            kept_positions.append(position)
    candidates = [p for p in range(len(token_lists)) if kept_before[p] > 0]
    weights = [kept_before[p] for p in candidates]
    drawn = [(token_lists[p], token_lists[kept_positions[rng.randrange(kept_before[p])]])
             for p in rng.choices(candidates, weights=weights, k=sample)]
    started = time.perf_counter()
    for new, other in drawn:
        rouge_scorer._score_lcs(new, other)
    return pairs * (time.perf_counter() - started) / sample


def ours(token_lists: list[list[str]]) -> tuple[list[bool], float, float]:
    started = time.perf_counter()
    batch = [d is not None for d in dedupe_token_lists(token_lists, THRESHOLD)]
    batch_s = time.perf_counter() - started
    started = time.perf_counter()
    index = RougeLIndex(THRESHOLD)
    streaming = [index.offer(tokens) is not None for tokens in token_lists]
    streaming_s = time.perf_counter() - started
    assert batch == streaming, "batch and streaming orders must decide the same"
    return batch, batch_s, streaming_s


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10_000, 50_000])
    parser.add_argument("--measure-reference-upto", type=int, default=2000,
                        help="run the reference for real up to this size; estimate above it")
    parser.add_argument("--sample-pairs", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    started = time.perf_counter()
    KoreanTokenizer().tokenize("모델 불러오기")
    load_s = time.perf_counter() - started
    bases = base_instructions(args.seed)
    cores = os.cpu_count() or 1
    print(f"{len(bases):,} distinct base instructions; ROUGE-L threshold {THRESHOLD}; {cores} CPU cores; "
          f"Python {sys.version.split()[0]}; Kiwi loaded in {load_s:.1f} s (not counted below)")
    rows = []
    for size in args.sizes:
        texts = near_duplicate_workload(bases, size, seed=args.seed)
        tokenizer = KoreanTokenizer()  # a fresh cache per size: each size pays its own tokenizing
        started = time.perf_counter()
        token_lists = [tokenizer.tokenize(text) for text in texts]
        tokenize_s = time.perf_counter() - started
        decisions, batch_s, streaming_s = ours(token_lists)
        estimated = estimate_reference(token_lists, decisions, args.sample_pairs, args.seed)
        if size <= args.measure_reference_upto:
            expected, reference_s = reference(token_lists)
            same = "yes" if expected == decisions else "NO"
            note = f"measured (estimate {estimated:,.1f} s)"
        else:
            reference_s, same, note = estimated, "n/a", "estimated"
        rows.append((size, size - sum(decisions), tokenize_s, reference_s, note, reference_s / cores, batch_s,
                     streaming_s, reference_s / min(batch_s, streaming_s), same))
        print(f"  {size:,} done", flush=True)

    header = ("instructions", "kept", "tokenize s", "reference s", "reference is", f"÷{cores} cores s",
              "ours batch s", "ours streaming s", "speed-up", "same decisions")
    print("\n| " + " | ".join(header) + " |\n|" + "---|" * len(header))
    for size, kept, tok_s, ref_s, note, pool_s, batch_s, stream_s, speedup, same in rows:
        print(f"| {size:,} | {kept:,} | {tok_s:,.1f} | {ref_s:,.1f} | {note} | {pool_s:,.1f} | {batch_s:,.2f} | "
              f"{stream_s:,.2f} | {speedup:,.0f}× | {same} |")
    print("\nreference: rouge_score _score_lcs(new, kept) for every kept instruction (Self-Instruct/Alpaca), "
          "serial; '÷ cores' is the best a process pool could do. Tokenizing (Kiwi) is shared and not included.")
    return 0 if all(row[-1] != "NO" for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
