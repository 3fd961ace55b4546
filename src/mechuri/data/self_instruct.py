"""Self-Instruct for mechuri: prompt a teacher with sampled tasks, parse its new tasks, filter, keep.

The recipe is Stanford Alpaca's take on Self-Instruct (Wang et al. 2022; Taori et al. 2023): each
request shows the teacher a few full tasks (instruction, input, output) — mostly human-written seeds,
plus one it wrote earlier once there are some, as Self-Instruct mixes them — and asks it to continue
the numbered list. Each new task must pass the filters (``filters``) and be less than ROUGE-L 0.7
similar to every seed and every task kept so far (``dedupe``).

A run lives in one folder and can be stopped and resumed at any point: ``generated.jsonl`` (kept
tasks), ``rejected.jsonl`` (every rejected one with its reason) and ``state.json`` (counters). On
resume the dedupe index is rebuilt from the seeds and the kept file, and request numbers — which seed
the sampling — continue where they stopped.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

from mechuri.data.dedupe import DEFAULT_THRESHOLD, KoreanTokenizer, RougeLIndex
from mechuri.data.example import Example, guess_intent, read_jsonl
from mechuri.data.filters import FilterConfig, first_problem
from mechuri.data.seed import SeedTask
from mechuri.data.teacher import Teacher, TeacherError

PROMPT_HEADER = """당신은 한국어 메뉴 추천 챗봇 '메추리'를 학습시킬 과제 데이터를 만드는 작가입니다. 다양한 과제 {count}개를 만들어 주세요. 이 과제들은 언어 모델에게 주어지고, 우리는 모델이 지시를 얼마나 잘 따르는지 평가합니다.

요구 사항:
1. 지시문마다 다른 동사와 표현을 써서 다양하게 만드세요.
2. 말투도 다양하게: 질문, 부탁, 명령, 반말과 존댓말을 섞으세요.
3. 과제 종류도 다양하게: 상황별 메뉴 추천(끼니, 날씨, 기분, 다이어트, 알레르기, 예산, 편의점 간식, 야식, 혼밥, 회식), 영양 질문, 요리와 재료 질문, 음식 문화, 취향 대화, 분류 과제 등.
4. 언어 모델이 글로만 답할 수 있어야 합니다. 이미지, 파일, 링크, 음악, 지도를 다루거나 주문, 예약, 결제 같은 행동을 요구하면 안 됩니다.
5. 지시문, 입력, 출력은 모두 자연스러운 한국어로 쓰세요.
6. 지시문은 한두 문장으로 씁니다.
7. 필요하면 입력을 넣으세요. 입력은 구체적인 상황(먹은 음식, 조건, 영양 정보 등)이어야 하고 짧게 씁니다. 입력이 필요 없으면 "<입력 없음>"이라고 쓰세요.
8. 출력은 지시문과 입력에 맞는 좋은 답으로, 너무 길지 않게 씁니다.
9. 열량이나 나트륨 같은 영양 수치는 입력에 주어진 숫자만 쓰세요. 입력에 없으면 숫자를 지어내지 말고 일반적으로 설명하세요.

과제 목록:
"""
NO_INPUT = "<입력 없음>"
_NO_INPUT_WORDS = frozenset({"<입력 없음>", "<입력없음>", "<noinput>", "<no input>", "입력 없음", "없음", "(없음)"})
_FIELD = re.compile(r"(\d+)\s*\.\s*(지시문|입력|출력)\s*:")


@dataclass(frozen=True)
class GeneratorConfig:
    """How many tasks to keep and how each prompt is put together."""

    target: int = 1000
    """Machine-written tasks to keep (over all runs in the folder)."""
    tasks_per_prompt: int = 20
    """How long the numbered list the teacher is asked to complete is (demonstrations included)."""
    seed_demos: int = 2
    machine_demos: int = 1
    threshold: float = DEFAULT_THRESHOLD
    seed: int = 42
    max_requests: int | None = None
    """Stop after this many requests in one run even if the target is not reached (default: target)."""
    max_consecutive_failures: int = 5
    filters: FilterConfig = field(default_factory=lambda: FilterConfig(grounded_numbers=True))


@dataclass(frozen=True)
class Demo:
    instruction: str
    input: str
    output: str


def encode_prompt(demos: list[Demo], tasks_per_prompt: int) -> str:
    """The Alpaca-style prompt: header, the numbered demonstrations, and the next number to continue."""
    parts = [PROMPT_HEADER.format(count=tasks_per_prompt)]
    for number, demo in enumerate(demos, start=1):
        parts.append(f"###\n{number}. 지시문: {demo.instruction}\n{number}. 입력:\n{demo.input or NO_INPUT}\n"
                     f"{number}. 출력:\n{demo.output}\n")
    parts.append(f"###\n{len(demos) + 1}. 지시문:")
    return "".join(parts)


@dataclass(frozen=True)
class ParsedTask:
    instruction: str
    input: str
    output: str


def parse_response(text: str, first_number: int, finish_reason: str | None) -> tuple[list[ParsedTask], list[str]]:
    """The tasks in a completion, and the reason for each block that is not one. A completion API
    continues after 「N. 지시문:」, so the header is put back when missing; a chat model may repeat it.
    When the teacher stopped on the token limit, the last task may be cut off and is rejected."""
    text = text.strip()
    if not _FIELD.match(text):
        text = f"{first_number}. 지시문: {text}"
    blocks = [block for block in re.split(r"^\s*###\s*$|###", text, flags=re.MULTILINE) if block.strip()]
    tasks: list[ParsedTask] = []
    problems: list[str] = []
    for index, block in enumerate(blocks):
        if index == len(blocks) - 1 and finish_reason == "length":
            problems.append("truncated")
            continue
        pieces = _FIELD.split(block)
        fields: dict[str, str] = {}
        for position in range(1, len(pieces) - 2, 3):
            fields.setdefault(pieces[position + 1], pieces[position + 2].strip())
        if not fields.get("지시문") or "출력" not in fields:
            problems.append("parse_error")
            continue
        given = fields.get("입력", "").strip()
        if given.lower() in _NO_INPUT_WORDS:
            given = ""
        tasks.append(ParsedTask(fields["지시문"], given, fields["출력"]))
    return tasks, problems


@dataclass
class RunSummary:
    kept: int
    rejected: int
    requests: int
    reasons: dict[str, int]
    teacher: dict[str, int]
    stopped: str
    """Why the run stopped: target, max_requests or failures."""


class SelfInstructRun:
    """One resumable generation run in ``out_dir``."""

    def __init__(self, out_dir: Path, seeds: list[SeedTask], config: GeneratorConfig | None = None,
                 tokenizer: KoreanTokenizer | None = None) -> None:
        self.out_dir = out_dir
        self.seeds = seeds
        self.config = config or GeneratorConfig()
        self.tokenizer = tokenizer or KoreanTokenizer()
        self.kept_path = out_dir / "generated.jsonl"
        self.rejected_path = out_dir / "rejected.jsonl"
        self.state_path = out_dir / "state.json"
        self.kept: list[Example] = []
        self.kept_instructions: list[str] = []
        self.reasons: Counter[str] = Counter()
        self.next_request = 0
        self.requests = 0
        self._index = RougeLIndex(self.config.threshold)
        self._load()

    def _load(self) -> None:
        """Rebuild counters and the dedupe index from what earlier runs wrote."""
        for task in self.seeds:
            self._index.add(self.tokenizer.tokenize(task.instruction))
            self.kept_instructions.append(task.instruction)
        if self.kept_path.exists():
            for row in read_jsonl(self.kept_path):
                example = Example.from_dict(row)
                self.kept.append(example)
                self._index.add(self.tokenizer.tokenize(example.instruction))
                self.kept_instructions.append(example.instruction)
                self.next_request = max(self.next_request, int(example.meta.get("request", -1)) + 1)
        if self.rejected_path.exists():
            for row in read_jsonl(self.rejected_path):
                self.reasons[row.get("reason", "unknown")] += 1
                self.next_request = max(self.next_request, int(row.get("request", -1)) + 1)
        if self.state_path.exists():
            state = json.loads(self.state_path.read_text(encoding="utf-8"))
            self.next_request = max(self.next_request, int(state.get("next_request", 0)))

    def demos_for(self, request: int) -> list[Demo]:
        """The demonstrations of request number ``request``: seeded by it, so a resumed run asks the
        same way. Seeds give one random instance each; machine tasks are used once there are some."""
        rng = random.Random(f"{self.config.seed}:{request}")
        machine = min(self.config.machine_demos, len(self.kept))
        seeds = min(len(self.seeds), self.config.seed_demos + self.config.machine_demos - machine)
        demos = []
        for task in rng.sample(self.seeds, seeds):
            instance = rng.choice(task.instances)
            demos.append(Demo(task.instruction, instance.input, instance.output))
        demos += [Demo(e.instruction, e.input, e.output) for e in rng.sample(self.kept, machine)]
        rng.shuffle(demos)
        return demos

    def _write(self, handle: TextIO, row: dict[str, Any]) -> None:
        handle.write(json.dumps(row, ensure_ascii=False) + "\n")

    def process(self, request: int, text: str, finish_reason: str | None, first_number: int,
                kept_file: TextIO, rejected_file: TextIO) -> int:
        """Filter and dedupe one completion's tasks, writing each to the kept or rejected file."""
        tasks, problems = parse_response(text, first_number, finish_reason)
        for problem in problems:
            self.reasons[problem] += 1
            self._write(rejected_file, {"request": request, "reason": problem, "detail": text[-300:]})
        kept = 0
        for task in tasks:
            if len(self.kept) >= self.config.target:
                break
            example = Example(task.instruction, task.input, task.output, source="self_instruct",
                              intent=guess_intent(f"{task.instruction} {task.input}"),
                              id=f"si-{len(self.kept):06d}", meta={"request": request})
            reason = first_problem(example, self.config.filters)
            detail: dict[str, Any] = {}
            if reason is None:
                duplicate = self._index.offer(self.tokenizer.tokenize(example.instruction))
                if duplicate is not None:
                    reason = "near_duplicate"
                    detail = {"similar_to": self.kept_instructions[duplicate.index],
                              "rouge_l": round(duplicate.score, 4)}
            if reason is not None:
                self.reasons[reason] += 1
                self._write(rejected_file, {"request": request, "reason": reason, **detail,
                                            **example.alpaca()})
                continue
            self.kept.append(example)
            self.kept_instructions.append(example.instruction)
            self._write(kept_file, example.to_dict())
            kept += 1
        kept_file.flush()
        rejected_file.flush()
        return kept

    def _save_state(self, teacher: Teacher, stopped: str | None) -> None:
        state = {"next_request": self.next_request, "kept": len(self.kept), "rejected": sum(self.reasons.values()),
                 "reasons": dict(self.reasons), "teacher": dict(teacher.stats), "stopped": stopped,
                 "config": {**asdict(self.config), "filters": asdict(self.config.filters)}}
        temporary = self.state_path.with_suffix(".tmp")
        temporary.write_text(json.dumps(state, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(temporary, self.state_path)

    async def _ask(self, teacher: Teacher, request: int) -> tuple[int, int, Any]:
        demos = self.demos_for(request)

        def shrink(_prompt: str) -> str | None:
            if len(demos) <= 1:
                return None
            demos.pop()
            return encode_prompt(demos, self.config.tasks_per_prompt)

        try:
            completion = await teacher.complete(encode_prompt(demos, self.config.tasks_per_prompt), shrink=shrink)
        except TeacherError as error:
            return request, len(demos) + 1, error
        return request, len(demos) + 1, completion

    async def run(self, teacher: Teacher, *, progress: bool = True) -> RunSummary:
        """Ask, filter and keep until ``target`` tasks are kept (or ``max_requests`` / repeated failures)."""
        from tqdm import tqdm

        self.out_dir.mkdir(parents=True, exist_ok=True)
        limit = self.config.max_requests if self.config.max_requests is not None else max(10, self.config.target)
        pending: set[asyncio.Task[tuple[int, int, Any]]] = set()
        failures = issued = 0
        stopped = "target"
        bar = tqdm(total=self.config.target, initial=len(self.kept), desc="self-instruct", unit="task",
                   disable=not progress)
        with self.kept_path.open("a", encoding="utf-8") as kept_file, \
                self.rejected_path.open("a", encoding="utf-8") as rejected_file:
            try:
                while True:
                    while (len(pending) < teacher.config.concurrency and len(self.kept) < self.config.target
                           and issued < limit):
                        pending.add(asyncio.create_task(self._ask(teacher, self.next_request)))
                        self.next_request += 1
                        issued += 1
                    if not pending:
                        stopped = "target" if len(self.kept) >= self.config.target else "max_requests"
                        break
                    done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                    for finished in sorted(done, key=lambda task: task.result()[0]):
                        request, first_number, outcome = finished.result()
                        self.requests += 1
                        if isinstance(outcome, TeacherError):
                            failures += 1
                            self.reasons["request_failed"] += 1
                            self._write(rejected_file, {"request": request, "reason": "request_failed",
                                                        "detail": str(outcome)[:300]})
                            continue
                        failures = 0
                        bar.update(self.process(request, outcome.text, outcome.finish_reason, first_number,
                                                kept_file, rejected_file))
                        bar.set_postfix(rejected=sum(self.reasons.values()), requests=self.requests)
                    self._save_state(teacher, None)
                    if len(self.kept) >= self.config.target:
                        break
                    if failures >= self.config.max_consecutive_failures:
                        stopped = "failures"
                        break
            finally:
                for task in pending:
                    task.cancel()
                await asyncio.gather(*pending, return_exceptions=True)
                bar.close()
        self._save_state(teacher, stopped)
        return RunSummary(kept=len(self.kept), rejected=sum(self.reasons.values()), requests=self.requests,
                          reasons=dict(self.reasons), teacher=dict(teacher.stats), stopped=stopped)
