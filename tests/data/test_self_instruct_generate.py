"""Self-Instruct end to end over real HTTP: `mechuri data generate` against a local teacher that errs."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from typer.testing import CliRunner

from mechuri.cli import app
from mechuri.data.dedupe import rouge_l_fmeasure
from mechuri.data.example import Example, read_jsonl
from mechuri.data.filters import FilterConfig, first_problem
from mechuri.data.seed import load_seed_tasks
from mechuri.data.self_instruct import GeneratorConfig, SelfInstructRun, encode_prompt, parse_response
from mechuri.data.teacher import Teacher, TeacherConfig

runner = CliRunner()


def _generate(base_url: str, out: Path, target: int, *extra: str) -> dict:
    result = runner.invoke(app, ["data", "generate", "--base-url", base_url, "--model", "teacher", "--out", str(out),
                                 "--target", str(target), "--max-tokens", "5000", "--no-progress", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.output.strip().splitlines()[-1])


def test_generate_keeps_only_clean_distinct_tasks_and_resumes(teacher_server, tmp_path, tokenizer):
    base_url, server = teacher_server
    out = tmp_path / "run"
    summary = _generate(base_url, out, 30, "--concurrency", "3")

    assert summary["kept"] == 30 and summary["stopped"] == "target"
    assert server.calls["500"] == 1 and summary["teacher"]["retries"] >= 1  # the 500 was retried
    assert server.calls["context"] >= 1 and summary["teacher"]["shrunk_max_tokens"] >= 1
    assert max(server.max_tokens_seen[-3:]) < 5000  # later requests ask for what fitted

    kept = list(read_jsonl(out / "generated.jsonl"))
    rejected = list(read_jsonl(out / "rejected.jsonl"))
    reasons = {row["reason"] for row in rejected}
    assert {"blacklist", "not_korean", "ungrounded_numbers", "near_duplicate", "truncated"} <= reasons
    copied_seed = next(row for row in rejected if row.get("instruction", "").startswith("비가 추적추적"))
    assert copied_seed["reason"] == "near_duplicate" and copied_seed["rouge_l"] == 1.0
    state = json.loads((out / "state.json").read_text(encoding="utf-8"))
    assert state["kept"] == 30 and state["rejected"] == len(rejected)

    seeds = [tokenizer.tokenize(task.instruction) for task in load_seed_tasks()]
    tokens = [tokenizer.tokenize(row["instruction"]) for row in kept]
    for position, row in enumerate(kept):
        assert first_problem(Example.from_dict(row), FilterConfig(grounded_numbers=True)) is None
        assert row["source"] == "self_instruct" and row["intent"]
        for other in [*seeds, *tokens[:position]]:
            assert rouge_l_fmeasure(tokens[position], other) < 0.7

    # Resume: a second run continues the same folder up to the new target, leaving earlier lines alone.
    again = _generate(base_url, out, 45)
    resumed = list(read_jsonl(out / "generated.jsonl"))
    assert again["kept"] == 45 and resumed[:30] == kept
    assert len({row["instruction"] for row in resumed}) == 45
    first_run_requests = {row["meta"]["request"] for row in kept}
    assert min(row["meta"]["request"] for row in resumed[30:]) > max(first_run_requests)


def test_prompt_shrinks_when_it_alone_does_not_fit(teacher_server, tmp_path):
    """A prompt of three demonstrations does not fit the context even with the fewest new tokens
    allowed; the run drops demonstrations until it does, instead of failing."""
    base_url, server = teacher_server
    server.fail_first = False
    seeds = load_seed_tasks()[:3]
    run = SelfInstructRun(tmp_path / "small", seeds, GeneratorConfig(target=5, seed_demos=3, machine_demos=0, seed=1))
    demos = run.demos_for(0)
    server.context_tokens = max(len(encode_prompt([demo], 20)) // 2 for demo in demos) + 350
    assert len(encode_prompt(demos, 20)) // 2 + 264 > server.context_tokens  # three demos cannot fit

    async def main():
        config = TeacherConfig(base_url=base_url, model="t", max_tokens=300, min_max_tokens=256, concurrency=2)
        async with Teacher(config) as teacher:
            return await run.run(teacher, progress=False), teacher.stats

    summary, stats = asyncio.run(main())
    assert summary.kept == 5 and stats["shrunk_prompt"] >= 1 and "request_failed" not in summary.reasons


def test_parse_response_reads_a_numbered_list():
    text = ("김치 보관법을 알려 줘\n4. 입력:\n<입력 없음>\n4. 출력:\n김치는 냉장 보관해요.\n###\n"
            "5. 지시문: 다음 메뉴를 분류해 줘\n5. 입력:\n떡볶이\n5. 출력:\n분식\n###\n6. 지시문: 잘린")
    tasks, problems = parse_response(text, 4, "length")
    assert [(t.instruction, t.input, t.output) for t in tasks] == [
        ("김치 보관법을 알려 줘", "", "김치는 냉장 보관해요."), ("다음 메뉴를 분류해 줘", "떡볶이", "분식")]
    assert problems == ["truncated"]
