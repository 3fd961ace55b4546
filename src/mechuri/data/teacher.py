"""A teacher model behind any OpenAI-compatible server (vLLM, llama.cpp, Ollama, OpenAI, mechuri itself).

Self-Instruct spends most of its wall time waiting on the teacher, and a long run meets every kind of
failure a server has. So: requests run concurrently up to a limit; timeouts, dropped connections,
429 and 5xx are retried with exponential backoff and jitter (honouring ``Retry-After``); and a
"context length exceeded" answer is not retried as is but made to fit — first by asking for fewer new
tokens (exactly as many as fit when the server says its limit, else 20 % fewer), then by letting the
caller rebuild a shorter prompt (fewer demonstrations). Other client errors (a wrong key or model)
fail at once: retrying them only hides the mistake.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

import httpx

from mechuri.llm.openai_http import retry_after_s

RETRY_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504})
_CONTEXT_MARKERS = ("context length", "context_length", "maximum context", "context size", "context window",
                    "too many tokens", "reduce the length", "reduce your prompt", "prompt is too long",
                    "exceed_context", "max_model_len")
MAX_SHRINKS = 40
"""A safety net only: shrinking ``max_tokens`` stops at ``min_max_tokens`` and the prompt at one demo."""


class TeacherError(RuntimeError):
    """The teacher could not answer (after retries, or with an error retrying cannot fix)."""


class ContextLengthError(TeacherError):
    """The prompt plus ``max_tokens`` does not fit the model's context."""

    def __init__(self, message: str, *, limit: int | None = None, prompt_tokens: int | None = None) -> None:
        super().__init__(message)
        self.limit = limit
        self.prompt_tokens = prompt_tokens


class _Retryable(Exception):
    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class TeacherConfig:
    """Where the teacher is and how to talk to it."""

    base_url: str
    """Up to and including ``/v1``, e.g. ``http://127.0.0.1:8000/v1``."""
    model: str
    api_key: str | None = None
    api: Literal["chat", "completions"] = "chat"
    max_tokens: int = 3072
    min_max_tokens: int = 256
    """Below this many new tokens a list of tasks is too short to be worth it: shrink the prompt instead."""
    temperature: float = 1.0
    top_p: float = 1.0
    concurrency: int = 4
    max_retries: int = 6
    backoff_base_s: float = 1.0
    backoff_max_s: float = 60.0
    timeout_s: float = 300.0


@dataclass(frozen=True)
class Completion:
    """The teacher's answer and what it took to get it."""

    text: str
    finish_reason: str | None
    prompt: str
    """The prompt that was finally sent (shorter than asked when it had to shrink)."""
    max_tokens: int
    attempts: int
    shrinks: int


def _context_error(status: int, body: str) -> ContextLengthError | None:
    """A context-length complaint in any of the dialects servers use, with the numbers when given."""
    lowered = body.lower()
    if status not in (400, 413, 422) or not any(marker in lowered for marker in _CONTEXT_MARKERS):
        return None
    limit = prompt_tokens = None
    match = re.search(r"maximum context length is (\d+)", lowered)
    if match:
        limit = int(match.group(1))
        used = re.search(r"\((\d+) in the (?:messages|prompt)", lowered)
        prompt_tokens = int(used.group(1)) if used else None
    try:
        error = json.loads(body).get("error", {})
        if isinstance(error, dict) and "n_ctx" in error:  # llama.cpp server
            limit, prompt_tokens = int(error["n_ctx"]), int(error.get("n_prompt_tokens", 0)) or None
    except (ValueError, AttributeError, TypeError):
        pass
    return ContextLengthError(body[:500], limit=limit, prompt_tokens=prompt_tokens)


class Teacher:
    """An async client for one teacher; use as ``async with Teacher(config) as teacher``."""

    def __init__(self, config: TeacherConfig, *, client: httpx.AsyncClient | None = None,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep, seed: int | None = None) -> None:
        self.config = config
        self._client = client
        self._own_client = client is None
        self._sleep = sleep
        self._rng = random.Random(seed)
        self._semaphore = asyncio.Semaphore(config.concurrency)
        self._max_tokens = config.max_tokens
        """Where the next request starts: lowered to what fitted once a context error taught the limit,
        so later requests (of similar prompts) do not each pay a failed round trip."""
        self.stats: Counter[str] = Counter()
        """requests, retries, shrunk_max_tokens, shrunk_prompt, failed — for the run's state and card."""

    async def __aenter__(self) -> Teacher:
        if self._client is None:
            headers = {"Authorization": f"Bearer {self.config.api_key}"} if self.config.api_key else {}
            self._client = httpx.AsyncClient(timeout=self.config.timeout_s, headers=headers)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._own_client and self._client is not None:
            await self._client.aclose()
            self._client = None

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        delay = min(self.config.backoff_max_s, self.config.backoff_base_s * 2 ** (attempt - 1))
        delay *= 0.5 + self._rng.random() / 2
        if retry_after is not None:
            delay = max(delay, retry_after)
        return min(delay, self.config.backoff_max_s)

    def _body(self, prompt: str, max_tokens: int) -> tuple[str, dict[str, Any]]:
        config = self.config
        body: dict[str, Any] = {"model": config.model, "max_tokens": max_tokens, "temperature": config.temperature,
                                "top_p": config.top_p}
        if config.api == "chat":
            body["messages"] = [{"role": "user", "content": prompt}]
            return "/chat/completions", body
        body["prompt"] = prompt
        return "/completions", body

    async def _post(self, prompt: str, max_tokens: int) -> tuple[str, str | None]:
        assert self._client is not None, "use Teacher inside 'async with'"
        path, body = self._body(prompt, max_tokens)
        self.stats["requests"] += 1
        try:
            response = await self._client.post(self.config.base_url.rstrip("/") + path, json=body)
        except (httpx.TimeoutException, httpx.TransportError) as exc:
            raise _Retryable(f"{type(exc).__name__}: {exc}") from exc
        if response.status_code in RETRY_STATUS:
            raise _Retryable(f"HTTP {response.status_code}: {response.text[:200]}", retry_after_s(response))
        if response.status_code >= 400:
            context = _context_error(response.status_code, response.text)
            if context is not None:
                raise context
            raise TeacherError(f"HTTP {response.status_code} from the teacher: {response.text[:300]}")
        try:
            choice = response.json()["choices"][0]
            text = choice["message"]["content"] if self.config.api == "chat" else choice["text"]
            return str(text or ""), choice.get("finish_reason")
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise _Retryable(f"malformed response: {response.text[:200]}") from exc

    def _fitted_max_tokens(self, error: ContextLengthError, current: int) -> int:
        """How many new tokens to ask for next: what the server says fits, else 20 % fewer."""
        if error.limit is not None and error.prompt_tokens is not None:
            return min(current - 1, error.limit - error.prompt_tokens - 8)
        return int(current * 0.8)

    async def complete(self, prompt: str, *, shrink: Callable[[str], str | None] | None = None) -> Completion:
        """The teacher's completion of ``prompt``. ``shrink`` returns a shorter prompt (or None when it
        cannot) for when the prompt alone does not fit. Raises ``TeacherError`` when it gives up."""
        async with self._semaphore:
            attempts = shrinks = 0
            max_tokens = self._max_tokens
            while True:
                attempts += 1
                try:
                    text, finish = await self._post(prompt, max_tokens)
                    self._max_tokens = min(self._max_tokens, max_tokens)
                    return Completion(text, finish, prompt, max_tokens, attempts, shrinks)
                except ContextLengthError as error:
                    shrinks += 1
                    if shrinks > MAX_SHRINKS:
                        self.stats["failed"] += 1
                        raise
                    fitted = self._fitted_max_tokens(error, max_tokens)
                    if fitted >= self.config.min_max_tokens:
                        max_tokens = fitted
                        self.stats["shrunk_max_tokens"] += 1
                        continue
                    smaller = shrink(prompt) if shrink is not None else None
                    if smaller is None or len(smaller) >= len(prompt):
                        self.stats["failed"] += 1
                        raise
                    prompt = smaller
                    self.stats["shrunk_prompt"] += 1
                except _Retryable as error:
                    if attempts > self.config.max_retries:
                        self.stats["failed"] += 1
                        raise TeacherError(f"gave up after {attempts} attempts: {error}") from error
                    self.stats["retries"] += 1
                    await self._sleep(self._backoff(attempts, error.retry_after))
