"""The LLM writer: a model phrases the Turn, the guardrail checks it as it writes, the grounded writer
catches it.

``LLMWriter`` implements the dialogue manager's ``ReplyWriter``. A refused Turn (``turn.refusal``: self-harm,
harm, the bot's instructions, off-topic) is never sent to the model: the grounded refusal is the reply and
``meta["llm"]["skipped"]`` says so. For every other Turn it builds the grounded prompt (in slot mode,
``slots=True``, with the facts' amounts as numbered slots the writer fills: ``llm.slots``), lets the
backend write within the turn's budget (``llm.budget``: a first-token and a whole-reply deadline from the
turn's arrival, on a bounded pool of model threads), and checks the reply **sentence by sentence as it
is written** (``sentences``, ``Guardrail.check_sentence``): each sentence is shown as soon as it is whole
and has passed, so the first one reaches the reader while the model writes the rest.

When a sentence fails — a number the Turn does not hold, a dish the user may not eat — it is never shown:
the writer stops the model and **switches to the grounded reply from that point on**: the grounded
sentences whose facts the shown ones have not yet given (``switch``), so the joined reply is the model's
true opening followed by the grounded rest. When the model finishes, the whole reply is checked too
(a chosen dish, the asked value or an allergy warning left out); what it lacks is added the same way.
An error or a deadline mid-reply switches the same way; before any sentence was shown, the whole
grounded reply is sent, as before streaming existed. The turn's metadata says which writer spoke and why:

    meta["writer"]           "llm:<backend>" (the model's words only), "llm:<backend>+grounded" (a switch
                             midway), "grounded" (nothing of the model's shown)
    meta["fallback_reason"]  guardrail | timeout | busy | server_error | broken_stream | unreachable |
                             backend_unavailable | backend_error (absent when only the model spoke)
    meta["fallback_detail"]  the guardrail's reasons or the error message
    meta["switch"]           on a switch midway: the model's sentences shown (``after_sentences``), the
                             grounded sentences added, ``reason``, and whether covered facts were skipped
    meta["llm"]              backend name, milliseconds (``ms``; ``first_sentence_ms``: until the first
                             sentence was shown), sentences shown, the budget (first_token_ms, total_ms),
                             which deadline passed (deadline: queued | first_token | total), slots filled,
                             and the rejected text (for review and training)
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
from mechuri.llm.base import Backend, BackendBusy, BackendError, BackendTimeout, StopCutter, load_backend
from mechuri.llm.budget import Cancel, TurnBudget, current_budget
from mechuri.llm.guardrails import Guardrail, finished
from mechuri.llm.prompts import STOP, Prompt, build_prompt
from mechuri.llm.sentences import SentenceBuffer
from mechuri.llm.slots import SlotFiller, slot_built_prompt
from mechuri.llm.switch import grounded_rest
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
                 temperature: float = 0.3, table: FoodTable | None = None, draft: bool = True,
                 slots: bool = False) -> None:
        """``timeout_s`` and ``first_token_s`` (default: ``timeout_s``): the budget of a turn that brings
        none (``llm.budget``); ``workers``: model calls in flight at once, the bound of the model's pool.
        ``draft``: put the grounded reply in the prompt as a safe model to follow (helps base models;
        a model fine-tuned on the ``synth:writer`` rows was trained without it, so serve it with False).
        ``slots``: the facts' amounts as numbered slots the writer fills (``llm.slots``), for a model
        fine-tuned on the slotted rows."""
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
        self.draft, self.slots = draft, slots
        self.guardrail = Guardrail(table or load_food_table())
        self.name = f"llm:{backend.name}"
        self._load_error: BackendError | None = None

    def write(self, turn: Turn) -> str:
        """The whole reply: what ``stream`` shows, joined."""
        return "".join(self.stream(turn)).strip()

    def stream(self, turn: Turn) -> Iterator[str]:
        """The reply sentence by sentence as the model writes it, each checked before it is shown, with
        the switch to the grounded reply described in the module docstring."""
        grounded = self.fallback.write(turn)
        if turn.refusal is not None:  # a refusal is never left to a model: the grounded words, no generation
            turn.meta["writer"] = self.fallback.name
            turn.meta["llm"] = {"backend": self.backend.name, "skipped": "refusal"}
            yield from word_pieces(grounded)
            return
        prompt = build_prompt(turn, draft=grounded if self.draft else "")
        slotted = slot_built_prompt(prompt) if self.slots else None
        slotted = slotted if slotted is not None and slotted.values else None
        budget = current_budget() or TurnBudget(self.first_token_s, self.timeout_s)
        llm: dict[str, Any] = {"backend": self.backend.name, "budget": budget.to_meta()}
        turn.meta["llm"] = llm
        shown: list[str] = []
        space = ""  # the white space after the last sentence shown, sent with the next one
        failure: tuple[str, Any] | None = None
        rejected = ""
        started = time.monotonic()
        filler = SlotFiller(slotted)
        sentences = self._sentences(slotted.prompt() if slotted else prompt, budget, llm, filler)
        try:
            self._load()
            for sentence in sentences:
                verdict = self.guardrail.check_sentence(sentence, turn, grounded=grounded, facts=prompt.user,
                                                        shown="".join(shown))
                if not verdict.ok:
                    failure, rejected = ("guardrail", list(verdict.reasons)), sentence
                    break
                if not shown:
                    llm["first_sentence_ms"] = round(1000 * (time.monotonic() - started))
                body = sentence.rstrip()
                shown.append(sentence)
                yield space + (body if len(shown) > 1 else body.lstrip())  # the reply starts at its first word
                space = sentence[len(body):]
        except BackendError as exc:
            failure = (exc.reason, str(exc))
        except Exception as exc:  # a backend bug must not cost the user their answer
            failure = ("backend_error", f"{type(exc).__name__}: {exc}")
        finally:
            sentences.close()  # stops the model when the reply stops early
            llm["ms"] = round(1000 * (time.monotonic() - started))
        llm["sentences"] = len(shown)
        if slotted is not None:
            llm["slots"] = {"given": len(slotted.values), "filled": filler.filled, "unknown": filler.unknown}
        text = "".join(shown).strip()
        if failure is None:
            verdict = self.guardrail.check(text, turn, grounded=grounded, facts=prompt.user)
            if verdict.ok:
                turn.meta["writer"] = self.name
                return
            failure = ("guardrail", list(verdict.reasons))
        if (rejected or not shown) and (text or rejected):
            llm["rejected"] = (text + " " + rejected).strip()[:REJECTED_TEXT_CHARS]
        turn.meta["fallback_reason"], turn.meta["fallback_detail"] = failure
        if not shown:
            turn.meta["writer"] = self.fallback.name
            yield from word_pieces(grounded)
            return
        yield from self._switch(turn, text, grounded, prompt, failure[0])

    def _switch(self, turn: Turn, shown: str, grounded: str, prompt: Prompt, reason: str) -> Iterator[str]:
        """The grounded reply from where the model's shown sentences stop (``switch.grounded_rest``); when
        the joined reply would still lack a fact the whole-reply check asks for, every grounded sentence
        after the opening."""
        names, words = self.guardrail.dishes, [caution.word for caution in turn.cautions]
        rest = grounded_rest(shown, grounded, names, words=words)
        joined = f"{shown}\n{''.join(rest)}".strip()
        reasons = self.guardrail.check(joined, turn, grounded=grounded, facts=prompt.user).reasons
        covered = not any(reason.startswith("missing_") for reason in reasons)
        if not covered:
            rest = grounded_rest(shown, grounded, names, words=words, covered=False)
        turn.meta["writer"] = f"{self.name}+{self.fallback.name}"
        turn.meta["switch"] = {"after_sentences": turn.meta["llm"]["sentences"], "reason": reason,
                               "grounded_sentences": len(rest), "skipped_covered": covered}
        body = "".join(rest).strip()
        if body:
            yield "\n"
            yield from word_pieces(body)

    def _sentences(self, prompt: Prompt, budget: TurnBudget, llm: dict[str, Any],
                   filler: SlotFiller) -> Iterator[str]:
        """The model's sentences as each completes: cut at a stop string, slots filled. A last sentence
        the token limit cut off is dropped when whole ones came before it (``llm["trimmed"]``); alone, it
        is kept, and the whole-reply check calls it unfinished."""
        pieces = self._pieces(prompt, budget, llm)
        cutter, buffer, given = StopCutter(STOP), SentenceBuffer(), 0
        try:
            for piece in pieces:
                for sentence in buffer.feed(filler.feed(cutter.feed(piece))):
                    given += 1
                    yield sentence
                if cutter.done:
                    break
            for sentence in buffer.feed(filler.feed(cutter.flush()) + filler.flush()):
                given += 1
                yield sentence
            last = buffer.flush()
            if last.strip():
                if given and not finished(last):
                    llm["trimmed"] = True
                else:
                    yield last
        finally:
            pieces.close()

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

    def _pieces(self, prompt: Prompt, budget: TurnBudget, llm: dict[str, Any]) -> Iterator[str]:
        """The backend's pieces as they come, or ``BackendTimeout`` at the budget's deadline
        (``llm["deadline"]`` says which: ``queued`` — no model slot was free in time, ``first_token`` or
        ``total``); closing the iterator cancels the call.

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
            yield from self._wait_for(prompt, budget, llm)
        finally:
            self._waiting.release()

    def _wait_for(self, prompt: Prompt, budget: TurnBudget, llm: dict[str, Any]) -> Iterator[str]:
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
        seen = False
        try:
            while True:
                left = budget.left(first_token_seen=seen)
                try:
                    if left <= 0:
                        raise queue.Empty
                    kind, value = pieces.get(timeout=left)
                except queue.Empty:
                    cancel.cancel()
                    stage = "queued" if future.cancel() else "total" if seen else "first_token"
                    llm["deadline"] = stage
                    limit = budget.total_s if seen else min(budget.first_token_s, budget.total_s)
                    raise BackendTimeout(f"{DEADLINE_WORDS[stage]} within {limit:g} s of the turn's start") from None
                if kind == "piece":
                    seen = True
                    yield value
                elif kind == "error":
                    if isinstance(value, BackendTimeout):  # the backend's own timeouts are cut to the same budget
                        llm["deadline"] = "total" if seen else "first_token"
                    raise value
                else:
                    return
        finally:
            cancel.cancel()  # the reader stopped early (a rejected sentence, a closed stream): stop the model

    def close(self) -> None:
        """Stop the model pool (the app's shutdown): queued calls are dropped, running ones cancelled."""
        self._pool.shutdown(wait=False, cancel_futures=True)


DEADLINE_WORDS = {"queued": "no model slot came free", "first_token": "no first token",
                  "total": "no complete reply"}
