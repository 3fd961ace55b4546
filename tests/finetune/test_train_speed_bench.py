"""benchmarks/train_speed.py on the tiny GPT-NeoX: every lever gets a row, in LoRA and NF4 mode, and the
rows train the same examples (the real figures come from Gemma 3 270M; see the README)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    pytest.importorskip("bitsandbytes", reason="the hf extra is not installed")
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location("train_speed", BENCHMARKS / "train_speed.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "train_speed", module)
    spec.loader.exec_module(module)
    return module


def test_every_lever_has_a_row(bench: ModuleType, tiny_model: Path, tiny_dataset: Path, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "speed.json"
    code = bench.main(["--model", str(tiny_model), "--dataset", str(tiny_dataset), "--batches", "1",
                       "--lora-targets", "query_key_value", "--threads", "1", "--json", str(out)])
    assert code == 0
    results = json.loads(out.read_text())
    assert [(r["mode"], r["variant"]) for r in results] == [
        (mode, variant.label) for mode in ("lora", "nf4") for variant in bench.VARIANTS
        if not (mode == "nf4" and variant.bf16_base)]
    for mode in ("lora", "nf4"):
        rows = [r for r in results if r["mode"] == mode]
        assert all(r["s_per_8"] > 0 and r["steps"] == 1 for r in rows)
        assert rows[0]["padding"] > rows[-1]["padding"]  # padded to the length vs grouped
    lines = [" ".join(line.split()) for line in capsys.readouterr().out.splitlines()]
    assert any(line.startswith("| QLoRA NF4 ≤256 | + bf16 autocast (the CPU config) |") for line in lines)


def test_a_missing_dataset_says_how_to_build_it(bench: ModuleType, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--dataset", str(tmp_path)]) == 2
    assert "mechuri data build" in capsys.readouterr().out
