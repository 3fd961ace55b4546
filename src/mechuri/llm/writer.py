"""The LLM writer: a model phrases the Turn, the guardrail checks it, the grounded writer catches it.

``LLMWriter`` implements the dialogue manager's ``ReplyWriter``. A refused Turn (``turn.refusal``: self-harm,
harm, the bot's instructions, off-topic) is never sent to the model: the grounded refusal is the reply and
``meta["llm"]["skipped"]`` says so. For every other Turn it builds the grounded
prompt, lets the backend write within the turn's budget (``llm.budget``: a first-token and a whole-reply
deadline from the turn's arrival, on a bounded pool of model threads), and checks the whole text (``guardrails``). Any
failure — the check, a timeout, a server error, a broken stream, a missing model — gives the grounded
reply instead, and the turn's metadata says which writer spoke and why:

    meta["writer"]           "llm:<backend>" when the model's text was used, else "grounded"
    meta["fallback_reason"]  guardrail | timeout | busy | server_error | broken_stream | unreachable |
                             backend_unavailable | backend_error (absent when the model's text was used)
    meta["fallback_detail"]  the guardrail's reasons or the error message
    meta["llm"]              backend name, milliseconds, the budget (first_token_ms, total_ms), which
                             deadline passed (deadline: queued | first_token | total), and the rejected
                             text (for review and training)

Streaming trade-off: the check needs the whole text, so nothing is shown until the model has finished;
then the accepted text (or the grounded one) is sent in word-sized pieces. A reader therefore waits for
the full generation before the first word, but never sees a sentence that is then taken back. The
backend's own time to first token is measured in ``benchmarks/llm_bench.py``.
"""

from __future__ import annotations

import queue
import re
import threading
import time
from collections.abc import Iterator
from typing import Any

from mechuri.conversation.turn import Turn
from mechuri.conversation.writer import GroundedWriter, ReplyWriter
from mechuri.knowledge.foods import FoodTable, load_food_table
from mechuri.llm.base import Backend, BackendBusy, BackendError, BackendTimeout, cut_at_stop, load_backend
from mechuri.llm.budget import Cancel, TurnBudget, current_budget
from mechuri.llm.guardrails import Guardrail, complete_sentences
from mechuri.llm.prompts import STOP, Prompt, build_prompt
from mechuri.pools import full_pool

REJECTED_TEXT_CHARS = 2000


def word_pieces(text: str) -> Iterator[str]:
    """``text`` in word-sized pieces (a word and the space after it), as the grounded writer streams."""
    yield from re.findall(r"\S+\s*|\s+", text)


class LLMWriter:
    """A ``ReplyWriter`` that lets a model phrase the Turn, and falls back to ``fallback`` when it fails."""

    wants_context = True
    """Asks the dialogue manager for the user's message and profile in ``turn.meta`` (for the prompt and
    the guardrail's allergy and dislike checks)."""

    def __init__(self, backend: Backend, fallback: ReplyWriter | None = None, *, timeout_s: float = 20.0,
                 first_token_s: float | None = None, workers: int = 4, max_tokens: int = 256,
                 temperature: float = 0.3, table: FoodTable | None = None, draft: bool = True) -> None:
        """``timeout_s`` and ``first_token_s`` (default: ``timeout_s``): the budget of a turn that brings
        none (``llm.budget``); ``workers``: model calls in flight at once, the bound of the model's pool.
        ``draft``: put the grounded reply in the prompt as a safe model to follow (helps base models;
        a model fine-tuned on the ``synth:writer`` rows was trained without it, so serve it with False)."""
        self.backend = backend
        self.fallback: ReplyWriter = fallback or GroundedWriter()
        self.timeout_s, self.max_tokens, self.temperature = timeout_s, max_tokens, temperature
        self.first_token_s = timeout_s if first_token_s is None else first_token_s
        self._pool = full_pool(workers, "mechuri-llm")  # started full: see mechuri.pools
        self.max_waiting = 2 * workers
        """Turns that may wait on the model at once (``workers`` running, as many queued); the next falls
        back at once (``busy``), so turns waiting on a slow model never hold every turn thread (the web
        app adds this many to its turn threads)."""
        self._waiting = threading.BoundedSemaphore(self.max_waiting)
        self.draft = draft
        self.guardrail = Guardrail(table or load_food_table())
        self.name = f"llm:{backend.name}"
        self._load_error: BackendError | None = None

    def write(self, turn: Turn) -> str:
        grounded = self.fallback.write(turn)
        if turn.refusal is not None:  # a refusal is never left to a model: the grounded words, no generation
            turn.meta["writer"] = self.fallback.name
            turn.meta["llm"] = {"backend": self.backend.name, "skipped": "refusal"}
            return grounded
        prompt = build_prompt(turn, draft=grounded if self.draft else "")
        budget = current_budget() or TurnBudget(self.first_token_s, self.timeout_s)
        llm: dict[str, Any] = {"backend": self.backend.name, "budget": budget.to_meta()}
        turn.meta["llm"] = llm
        try:
            self._load()
            started = time.monotonic()
            try:
                raw = self._generate(prompt, budget, llm)
            finally:
                llm["ms"] = round(1000 * (time.monotonic() - started))
        except BackendError as exc:
            return self._fall_back(turn, grounded, exc.reason, str(exc))
        except Exception as exc:  # a backend bug must not cost the user their answer
            return self._fall_back(turn, grounded, "backend_error", f"{type(exc).__name__}: {exc}")
        cut = cut_at_stop(raw, STOP).strip()
        text = complete_sentences(cut)  # a reply cut by the token limit loses its half sentence
        if text != cut:
            llm["trimmed"] = True
        verdict = self.guardrail.check(text, turn, grounded=grounded, facts=prompt.user)
        if not verdict.ok:
            llm["rejected"] = text[:REJECTED_TEXT_CHARS]
            return self._fall_back(turn, grounded, "guardrail", list(verdict.reasons))
        turn.meta["writer"] = self.name
        return text

    def stream(self, turn: Turn) -> Iterator[str]:
        """The checked reply in word-sized pieces (see the module docstring for why it is buffered)."""
        yield from word_pieces(self.write(turn))

    def warm_up(self) -> None:
        """Load the model now (a server calls this at start-up so no one waits for it)."""
        self._load()

    def _load(self) -> None:
        """Load once; a model that failed to load is not retried on every turn."""
        if self._load_error is not None:
            raise self._load_error
        try:
            load_backend(self.backend)
        except BackendError as exc:
            self._load_error = exc
            raise

    def _fall_back(self, turn: Turn, grounded: str, reason: str, detail: Any) -> str:
        turn.meta["writer"] = self.fallback.name
        turn.meta["fallback_reason"] = reason
        turn.meta["fallback_detail"] = detail
        return grounded

    def _generate(self, prompt: Prompt, budget: TurnBudget, llm: dict[str, Any]) -> str:
        """The backend's whole text, or ``BackendTimeout`` at the budget's deadline (``llm["deadline"]`` says
        which: ``queued`` — no model slot was free in time, ``first_token`` or ``total``).

        The backend streams on the writer's bounded pool (``workers`` threads), so a slow or silent model
        holds at most that many threads however many turns wait on it; the turn waits here only until its
        deadline, then cancels the call (the HTTP backend shuts its socket down, local ones stop at their
        next token) and the pool thread comes free at once.
        """
        if budget.left(first_token_seen=False) <= 0:
            llm["deadline"] = "queued"
            raise BackendTimeout("the turn's budget was spent before the model was asked")
        if not self._waiting.acquire(blocking=False):
            raise BackendBusy(f"{self.max_waiting} turns already wait on the model")
        try:
            return self._wait_for(prompt, budget, llm)
        finally:
            self._waiting.release()

    def _wait_for(self, prompt: Prompt, budget: TurnBudget, llm: dict[str, Any]) -> str:
        pieces: queue.Queue[tuple[str, Any]] = queue.Queue()
        cancel = Cancel()

        def run() -> None:
            if cancel.cancelled:  # the turn gave up while this call was queued
                return
            try:
                chunks = self.backend.stream(prompt, max_tokens=self.max_tokens, temperature=self.temperature,
                                             stop=STOP, budget=budget, cancel=cancel)
                try:
                    for piece in chunks:
                        if cancel.cancelled:
                            break
                        pieces.put(("piece", piece))
                finally:
                    close = getattr(chunks, "close", None)
                    if close is not None:
                        close()
                pieces.put(("end", None))
            except BaseException as exc:  # handed to the waiting thread
                pieces.put(("error", exc))

        future = self._pool.submit(run)
        text: list[str] = []
        while True:
            left = budget.left(first_token_seen=bool(text))
            try:
                if left <= 0:
                    raise queue.Empty
                kind, value = pieces.get(timeout=left)
            except queue.Empty:
                cancel.cancel()
                stage = "queued" if future.cancel() else "total" if text else "first_token"
                llm["deadline"] = stage
                limit = budget.total_s if text else min(budget.first_token_s, budget.total_s)
                raise BackendTimeout(f"{DEADLINE_WORDS[stage]} within {limit:g} s of the turn's start") from None
            if kind == "piece":
                text.append(value)
            elif kind == "error":
                if isinstance(value, BackendTimeout):  # the backend's own timeouts are cut to the same budget
                    llm["deadline"] = "total" if text else "first_token"
                raise value
            else:
                return "".join(text)

    def close(self) -> None:
        """Stop the model pool (the app's shutdown): queued calls are dropped, running ones cancelled."""
        self._pool.shutdown(wait=False, cancel_futures=True)


DEADLINE_WORDS = {"queued": "no model slot came free", "first_token": "no first token",
                  "total": "no complete reply"}
