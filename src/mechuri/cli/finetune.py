"""``mechuri train``, ``mechuri train merge``, ``mechuri generate`` and ``mechuri eval`` (README,
"Fine-tuning (QLoRA)").

``mechuri.finetune`` and torch are imported inside each command: they need the ``hf`` and ``train``
extras, and ``mechuri --help`` should stay instant without them.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from mechuri.cli.output import console

train_app = typer.Typer(help="LoRA/QLoRA 미세조정: 설정 파일로 학습, 이어서 학습(--resume), 어댑터 병합(merge).",
                        invoke_without_command=True)


@train_app.callback()
def train(
    ctx: typer.Context,
    config: Annotated[Path | None, typer.Option(help="YAML 설정 파일 (configs/*.yaml)")] = None,
    resume: Annotated[bool, typer.Option(help="실행 폴더의 마지막 체크포인트부터 이어서")] = False,
    max_steps: Annotated[int | None, typer.Option(min=1, help="설정의 training.max_steps 대신")] = None,
    out: Annotated[Path | None, typer.Option(help="실행 폴더 (기본: runs/<name>)")] = None,
    progress: Annotated[bool, typer.Option("--progress/--no-progress")] = True,
) -> None:
    """Train a LoRA adapter as the config says; the run folder gets adapter/, metrics.jsonl, loss.png."""
    if ctx.invoked_subcommand is not None:
        return
    from mechuri.finetune.config import ConfigError
    from mechuri.finetune.loop import run_training

    if config is None and not (resume and out is not None):
        console.print("[red]--config가 필요해요[/red] (이어서 학습: --resume --out RUN_DIR)")
        raise typer.Exit(2)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        summary = run_training(config, out, resume=resume, max_steps=max_steps, progress=progress)
    except (ConfigError, FileNotFoundError, ValueError) as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    console.print(f"done: {summary.steps} steps, train loss {summary.train_loss:.4f}, eval loss "
                  f"{summary.eval_loss if summary.eval_loss is None else round(summary.eval_loss, 4)}, "
                  f"{summary.wall_s:.0f} s, {summary.tokens_per_s:.0f} tokens/s, peak RSS "
                  f"{summary.peak_rss_mb:.0f} MB → {summary.run_dir}")


@train_app.command("merge")
def merge(
    run_dir: Annotated[Path, typer.Argument(help="학습 실행 폴더 (adapter/ 포함)")],
    out: Annotated[Path, typer.Option(help="병합된 모델을 저장할 폴더")],
    base: Annotated[str | None, typer.Option(help="기본 모델 (기본: 실행 설정의 model.path)")] = None,
) -> None:
    """Merge the run's adapter into its (non-quantized) base: a plain HF folder, served as hf:DIR."""
    from mechuri.finetune.merge import merge_run

    try:
        target = merge_run(run_dir, out, base=base)
    except FileNotFoundError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    console.print(f"merged → {target}  (serve: mechuri chat --engine 'hf:{target}')")


@train_app.command("export")
def export(
    run_dir: Annotated[Path, typer.Argument(help="학습 실행 폴더 (adapter/ 포함)")],
    out: Annotated[Path, typer.Option(help="내보낼 폴더")] = Path("models/mechuri-gemma3-270m"),
    base_gguf: Annotated[Path | None, typer.Option(
        help="LoRA를 얹을 기본 GGUF (기본: PyPI의 gemma3-270m); 텐서 이름과 모양을 여기에 맞춰 확인해요")] = None,
) -> None:
    """Export the run's adapter as the shipped model: adapter/ (PEFT, for hf:), adapter.gguf (llama.cpp
    LoRA, for gguf:), serving.json and MODEL_CARD.md; served by name with --engine gguf:mechuri."""
    from mechuri.finetune.export import export_run
    from mechuri.finetune.gguf_lora import ConversionError
    from mechuri.llm.base import BackendUnavailable
    from mechuri.llm.gguf import packaged_model_path

    try:
        base = base_gguf or packaged_model_path("gemma3-270m")
        exported = export_run(run_dir, out, base_gguf=base)
    except (FileNotFoundError, ConversionError, BackendUnavailable) as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    sizes = ", ".join(f"{name} {size / 1e6:.1f} MB" for name, size in exported.files.items())
    console.print(f"exported → {exported.folder} ({sizes}); serving {exported.serving}")


def _backend(model: str, adapter: Path | None, load_in_4bit: bool) -> object:
    from mechuri.finetune.modeling import resolve_model
    from mechuri.llm.hf import HFBackend

    if adapter is not None and (adapter / "adapter" / "adapter_config.json").exists():
        adapter = adapter / "adapter"  # a run folder names its adapter
    return HFBackend(resolve_model(model), str(adapter) if adapter else None, load_in_4bit=load_in_4bit,
                     template="alpaca")


def generate_command(
    question: Annotated[str, typer.Argument(help="질문")],
    model: Annotated[str, typer.Option(help="모델 폴더, 허브 id 또는 packaged:gemma3-270m")],
    adapter: Annotated[Path | None, typer.Option(help="LoRA 어댑터 폴더 (또는 학습 실행 폴더)")] = None,
    temperature: Annotated[float, typer.Option(min=0.0, max=2.0)] = 0.7,
    top_p: Annotated[float, typer.Option(min=0.0, max=1.0)] = 0.9,
    max_new_tokens: Annotated[int, typer.Option(min=1)] = 256,
    seed: Annotated[int | None, typer.Option(help="샘플링 시드")] = None,
    load_in_4bit: Annotated[bool, typer.Option("--4bit", help="NF4 4-bit로 불러오기")] = False,
) -> None:
    """Answer one question in the Alpaca format (「### 질문: … ### 답변:」), streamed to the terminal."""
    from mechuri.llm.prompts import STOP, instruction_prompt

    if seed is not None:
        import torch

        torch.manual_seed(seed)
    backend = _backend(model, adapter, load_in_4bit)
    for piece in backend.stream(instruction_prompt(question), max_tokens=max_new_tokens,  # type: ignore[attr-defined]
                                temperature=temperature, top_p=top_p, stop=STOP):
        typer.echo(piece, nl=False)
    typer.echo()


def eval_command(
    model: Annotated[str, typer.Option(help="기본 모델 (폴더, 허브 id, packaged:gemma3-270m)")],
    adapter: Annotated[Path | None, typer.Option(help="미세조정 어댑터 (또는 학습 실행 폴더)")] = None,
    dataset: Annotated[Path, typer.Option(help="validation.jsonl이 있는 데이터셋 폴더")] = Path("data/dataset"),
    limit: Annotated[int, typer.Option(min=4, help="행동 평가 문항 수")] = 40,
    heldout: Annotated[int, typer.Option(min=1, help="손실/퍼플렉서티를 잴 검증 예제 수 (파일 전체에 고르게)")] = 48,
    base_row: Annotated[bool, typer.Option("--base/--no-base", help="어댑터 없는 기본 모델도 평가")] = True,
    max_new_tokens: Annotated[int, typer.Option(min=8)] = 160,
    out: Annotated[Path | None, typer.Option(help="eval.json, eval.md를 쓸 폴더 (기본: 실행 폴더)")] = None,
    slots: Annotated[bool, typer.Option(
        "--slots/--no-slots", help="미세조정 모델을 슬롯 디코딩(양을 {N}으로 쓰고 채움)으로도 평가")] = True,
) -> None:
    """Held-out loss/perplexity and the behaviour suite for the grounded writer, the base model and the
    fine-tuned one, in one table (and eval.json / eval.md)."""
    from mechuri.finetune.data import read_rows, spread
    from mechuri.finetune.evaluate import (
        COLUMNS,
        build_suite,
        cell,
        grounded_score,
        model_score,
        write_report,
    )
    from mechuri.knowledge.foods import load_food_table

    path = dataset / "validation.jsonl"
    if not path.exists():
        console.print(f"[red]{path} is missing; build it with `mechuri data build`[/red]")
        raise typer.Exit(2)
    rows = read_rows(path)
    suite = build_suite(rows, limit, load_food_table())
    scores = [grounded_score(suite)]
    systems: list[tuple[str, Path | None, bool]] = []
    if base_row or adapter is None:
        systems.append(("base", None, False))
    if adapter is not None:
        systems.append(("fine-tuned", adapter, False))
        if slots:
            systems.append(("fine-tuned + slots", adapter, True))
    backends: dict[Path | None, object] = {}
    for name, chosen, slotted in systems:
        backend = backends.setdefault(chosen, _backend(model, chosen, False))
        with console.status(f"{name} …") as status:
            scores.append(model_score(name, backend, suite, [] if slotted else spread(rows, heldout),
                                      max_new_tokens, progress=lambda text, s=status: s.update(text),
                                      slots=slotted))
    table = Table(title=f"mechuri eval ({len(suite)} prompts, {min(heldout, len(rows))} held-out rows)")
    for _, title in COLUMNS:
        table.add_column(title)
    for score in scores:
        table.add_row(*(cell(getattr(score, key)) for key, _ in COLUMNS))
    console.print(table)
    if out is None:
        run = adapter.parent if adapter is not None and adapter.name == "adapter" else adapter
        out = run if run is not None else Path("eval")
    write_report(scores, out, suite)
    console.print(f"→ {out / 'eval.json'}, {out / 'eval.md'}")
