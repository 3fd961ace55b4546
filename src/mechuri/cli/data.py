"""``mechuri data …``: build the instruction dataset — generate, synthesize, import, build.

The ``mechuri.data`` modules are imported inside each command: they need the optional ``data`` extra
and Kiwi, and ``mechuri --help`` should stay instant without them.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from mechuri.cli.output import console, print_json

data_app = typer.Typer(help="학습 데이터 만들기: Self-Instruct 생성, 근거 기반 합성, 외부 Q&A 가져오기, 데이터셋 빌드.",
                       no_args_is_help=True)


@data_app.command("generate")
def generate(
    base_url: Annotated[str, typer.Option(help="OpenAI 호환 서버 주소 (…/v1까지)")],
    model: Annotated[str, typer.Option(help="교사 모델 이름")],
    out: Annotated[Path, typer.Option(help="실행 폴더 (이어서 생성 가능)")] = Path("data/self_instruct"),
    target: Annotated[int, typer.Option(min=1, help="남길 과제 수 (폴더 전체 기준)")] = 1000,
    api_key: Annotated[str | None, typer.Option(help="API 키 (--api-key-file 권장)")] = None,
    api_key_file: Annotated[Path | None, typer.Option(help="API 키가 든 파일")] = None,
    api: Annotated[str, typer.Option(help="chat | completions")] = "chat",
    concurrency: Annotated[int, typer.Option(min=1, max=256, help="동시 요청 수")] = 4,
    tasks_per_prompt: Annotated[int, typer.Option(min=4, max=50)] = 20,
    max_tokens: Annotated[int, typer.Option(min=64)] = 3072,
    temperature: Annotated[float, typer.Option(min=0.0, max=2.0)] = 1.0,
    top_p: Annotated[float, typer.Option(min=0.0, max=1.0)] = 1.0,
    max_requests: Annotated[int | None, typer.Option(min=1, help="이번 실행의 최대 요청 수")] = None,
    max_retries: Annotated[int, typer.Option(min=0)] = 6,
    timeout: Annotated[float, typer.Option(min=1.0, help="요청당 제한 시간(초)")] = 300.0,
    seed: Annotated[int, typer.Option()] = 42,
    progress: Annotated[bool, typer.Option("--progress/--no-progress")] = True,
) -> None:
    """교사 모델로 Self-Instruct 과제 생성 (필터, ROUGE-L 중복 제거, 이어서 생성)."""
    from mechuri.data.seed import load_seed_tasks
    from mechuri.data.self_instruct import GeneratorConfig, SelfInstructRun
    from mechuri.data.teacher import Teacher, TeacherConfig

    if api not in ("chat", "completions"):
        raise typer.BadParameter("--api must be chat or completions")
    key = api_key_file.read_text(encoding="utf-8").strip() if api_key_file else api_key
    teacher_config = TeacherConfig(base_url=base_url, model=model, api_key=key, api=api,  # type: ignore[arg-type]
                                   max_tokens=max_tokens, temperature=temperature, top_p=top_p,
                                   concurrency=concurrency, max_retries=max_retries, timeout_s=timeout)
    config = GeneratorConfig(target=target, tasks_per_prompt=tasks_per_prompt, seed=seed, max_requests=max_requests)
    run = SelfInstructRun(out, load_seed_tasks(), config)

    async def main() -> object:
        async with Teacher(teacher_config, seed=seed) as teacher:
            return await run.run(teacher, progress=progress)

    summary = asyncio.run(main())
    print_json(summary.__dict__)
    if summary.stopped == "failures":  # type: ignore[attr-defined]
        raise typer.Exit(1)


@data_app.command("synthesize")
def synthesize_command(
    out: Annotated[Path, typer.Option(help="결과 JSONL")] = Path("data/synthesized.jsonl"),
    recommend: Annotated[int, typer.Option(min=0, help="추천 예시 수")] = 700,
    compare: Annotated[int, typer.Option(min=0, help="두 메뉴 비교 예시 수")] = 400,
    day_total: Annotated[int, typer.Option(min=0, help="하루 합계 예시 수")] = 250,
    unknown: Annotated[int, typer.Option(min=0, help="표에 없는 음식 예시 수")] = 120,
    writer: Annotated[int, typer.Option(min=0, help="답변 작성기 예시 수 (대화 관리자의 실제 프롬프트)")] = 600,
    seed: Annotated[int, typer.Option()] = 7,
) -> None:
    """음식 표와 추천기로 근거 있는 예시 합성 (모든 음식·별칭의 영양 Q&A 포함)."""
    from collections import Counter

    from mechuri.data.example import write_jsonl
    from mechuri.data.synthesize import SynthesisConfig, synthesize

    examples = synthesize(SynthesisConfig(compare=compare, day_total=day_total, unknown=unknown,
                                          recommend=recommend, writer=writer, seed=seed))
    write_jsonl(out, examples)
    print_json({"out": str(out), "total": len(examples), "by_source": dict(Counter(e.source for e in examples))})


@data_app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="JSON, JSONL 또는 CSV 파일")],
    instruction: Annotated[str, typer.Option(help="지시문 열 이름 또는 {열} 템플릿")],
    output: Annotated[str, typer.Option(help="출력 열 이름 또는 {열} 템플릿")],
    input_: Annotated[str, typer.Option("--input", help="입력 열 이름 또는 {열} 템플릿")] = "",
    intent: Annotated[str | None, typer.Option(help="의도 (고정값, 열 이름, 생략하면 추정)")] = None,
    name: Annotated[str | None, typer.Option(help="출처 이름 (기본: 파일 이름)")] = None,
    fmt: Annotated[str | None, typer.Option("--format", help="json | jsonl | csv (기본: 확장자)")] = None,
    out: Annotated[Path | None, typer.Option(help="결과 JSONL (기본: data/imports/<name>.jsonl)")] = None,
) -> None:
    """외부 Q&A·칼로리 표를 필드 매핑으로 가져오기."""
    from mechuri.data.example import write_jsonl
    from mechuri.data.importers import FieldMapping, ImportFormatError, import_file

    if fmt not in (None, "json", "jsonl", "csv"):
        raise typer.BadParameter("--format must be json, jsonl or csv")
    source = name or file.stem
    try:
        result = import_file(file, FieldMapping(instruction=instruction, output=output, input=input_, intent=intent),
                             source, fmt)  # type: ignore[arg-type]
    except ImportFormatError as exc:
        console.print(f"가져올 수 없어요: {exc}")
        raise typer.Exit(2) from exc
    target = out or Path("data/imports") / f"{source}.jsonl"
    write_jsonl(target, result.examples)
    print_json({"out": str(target), "imported": len(result.examples), "skipped": dict(result.skipped)})
    if not result.examples:
        raise typer.Exit(1)


@data_app.command("build")
def build_command(
    out: Annotated[Path, typer.Option(help="데이터셋 폴더")] = Path("data/dataset"),
    generated: Annotated[list[Path] | None, typer.Option(help="Self-Instruct 실행 폴더 (여러 번 가능)")] = None,
    imports: Annotated[list[Path] | None, typer.Option(help="mechuri data import 결과 JSONL (여러 번 가능)")] = None,
    synthesized: Annotated[Path | None, typer.Option(help="미리 합성한 JSONL (없으면 지금 합성)")] = None,
    seeds: Annotated[bool, typer.Option("--seeds/--no-seeds")] = True,
    qa: Annotated[bool, typer.Option("--qa/--no-qa")] = True,
    synth: Annotated[bool, typer.Option("--synth/--no-synth")] = True,
    recommend: Annotated[int, typer.Option(min=0, help="합성할 추천 예시 수")] = 700,
    writer: Annotated[int, typer.Option(min=0, help="합성할 답변 작성기 예시 수")] = 600,
    validation: Annotated[float, typer.Option(min=0.0, max=0.5, help="검증 세트 비율")] = 0.05,
    seed: Annotated[int, typer.Option()] = 13,
    hf: Annotated[bool, typer.Option("--hf/--no-hf", help="Hugging Face datasets 형식도 저장")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="요약을 JSON으로 출력")] = False,
) -> None:
    """모든 출처를 모아 거르고 중복 제거, 분할해 Alpaca JSON/JSONL, HF 데이터셋, 데이터 카드로 저장."""
    from mechuri.data.build import BuildConfig, build_dataset
    from mechuri.data.card import card_stats
    from mechuri.data.synthesize import SynthesisConfig

    config = BuildConfig(out_dir=out, generated=tuple(generated or ()), imports=tuple(imports or ()),
                         synthesized=synthesized, synthesis=SynthesisConfig(recommend=recommend, writer=writer),
                         include_seeds=seeds, include_qa=qa, include_synth=synth, validation_share=validation,
                         seed=seed, write_hf=hf)
    report = build_dataset(config)
    stats = card_stats(report)
    if as_json:
        print_json({key: stats[key] for key in ("total", "splits", "by_source", "by_intent", "dropped")}
                   | {"files": report.files})
        return
    table = Table(title=f"{out} — {stats['total']:,}개 (train {stats['splits']['train']:,} / "
                        f"validation {stats['splits']['validation']:,})")
    for column in ("출처", "읽음", "남김"):
        table.add_column(column, justify="left" if column == "출처" else "right")
    for source, kept in stats["by_source"].items():
        table.add_row(source, f"{stats['read'].get(source, 0):,}", f"{kept:,}")
    console.print(table)
    console.print("의도별: " + ", ".join(f"{k} {v:,}" for k, v in stats["by_intent"].items()))
    console.print(f"데이터 카드: {report.files['README.md']}")
