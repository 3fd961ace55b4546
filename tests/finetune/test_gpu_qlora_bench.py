"""benchmarks/gpu_qlora.py: its ``--tiny`` run goes through the whole QLoRA path on the CPU and prints a
row per batching mode, and without a CUDA GPU the 5.8B run says so and exits cleanly."""

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
    monkeypatch.syspath_prepend(str(BENCHMARKS))  # the script imports its sibling _table.py
    spec = importlib.util.spec_from_file_location("gpu_qlora", BENCHMARKS / "gpu_qlora.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "gpu_qlora", module)  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


def test_tiny_run_reports_every_mode(bench: ModuleType, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "result.json"
    # max_seq_len 256 and a 96-row pool keep it to a few seconds; the lengths are seeded, so deterministic
    code = bench.main(["--tiny", "--device", "cpu", "--steps", "2", "--warmup", "1", "--threads", "1",
                       "--max-seq-len", "256", "--rows", "96", "--modes", "packing,padded,random",
                       "--json", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    table = [line for line in printed.splitlines() if line.startswith("|")]
    assert table[0].startswith("| mode") and len(table) == 2 + 3
    assert [line.split("|")[1].strip() for line in table[2:]] == ["packing", "length_grouped", "random"]

    modes = {row["mode"]: row for row in json.loads(out.read_text(encoding="utf-8"))["modes"]}
    for row in modes.values():
        assert row["steps"] == 2 and row["s_per_step"] > 0 and row["tokens_per_s"] > 0
        assert row["t4_ratio_step"] == pytest.approx(3.7 / row["s_per_step"])
        assert row["peak_allocated_gib"] is None  # no GPU memory to report on the CPU
    # A packed step holds more than 8 examples and far less padding than shuffled padded batches.
    assert modes["packing"]["examples_per_step"] > 8 == modes["random"]["examples_per_step"]
    assert modes["packing"]["padding_share"] < modes["random"]["padding_share"]
    assert modes["length_grouped"]["padding_share"] < modes["random"]["padding_share"]


def test_without_cuda_it_exits_cleanly_with_a_hint(bench: ModuleType,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("a CUDA GPU is present: the full benchmark would run")
    assert bench.main(["--steps", "1"]) == 0
    printed = capsys.readouterr().out.strip()
    assert printed.count("\n") == 0 and "CUDA GPU is needed" in printed and "--tiny" in printed
