"""A turn's time budget for its language model, and the token that cancels a model call.

Why a budget per turn rather than a timeout per request: a user waits for the whole turn, from the moment
their message arrived (time spent queued for a turn thread or a free model slot included), and a model
that trickles keep-alive lines or hangs after its first words never trips a per-read timeout. So a turn
has two deadlines, both counted from its arrival: the first token (``llm_first_token_s``) and the whole
reply (``llm_timeout_s``). Past either, the writer stops waiting, cancels the call (``Cancel``: an HTTP
backend shuts its socket down) and answers with the grounded reply.

The web app starts a budget when a chat request arrives and hands it to the turn's thread with
``budget_scope``; the LLM writer reads it with ``current_budget`` (a turn without one — the CLI — starts
its own when the writer begins).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass(frozen=True)
class TurnBudget:
    """The two deadlines of one turn, as ``time.monotonic()`` instants."""

    first_token_s: float
    total_s: float
    started: float = field(default_factory=time.monotonic)

    @property
    def first_token_at(self) -> float:
        return self.started + min(self.first_token_s, self.total_s)

    @property
    def ends_at(self) -> float:
        return self.started + self.total_s

    def left(self, *, first_token_seen: bool) -> float:
        """Seconds until the deadline that applies now (the first token's until one has come), ≥ 0."""
        until = self.ends_at if first_token_seen else self.first_token_at
        return max(0.0, until - time.monotonic())

    def to_meta(self) -> dict[str, int]:
        """The budget in milliseconds, for ``turn.meta["llm"]``."""
        return {"first_token_ms": round(1000 * min(self.first_token_s, self.total_s)),
                "total_ms": round(1000 * self.total_s)}


_current: ContextVar[TurnBudget | None] = ContextVar("mechuri_turn_budget", default=None)


def current_budget() -> TurnBudget | None:
    """The budget of the turn running in this thread, if its caller started one."""
    return _current.get()


@contextlib.contextmanager
def budget_scope(budget: TurnBudget | None) -> Iterator[None]:
    """Run the enclosed turn under ``budget`` (set in the thread that runs the turn)."""
    token = _current.set(budget)
    try:
        yield
    finally:
        _current.reset(token)


def iterate_with_budget(budget: TurnBudget | None, make: Callable[[], Iterator]) -> Iterator:
    """``make()``'s items, produced under ``budget``: the scope holds while the generator runs in this thread."""
    with budget_scope(budget):
        yield from make()


class Cancel:
    """Cancels one model call from another thread.

    ``cancelled`` is checked by backends between pieces; a backend blocked in a read registers a hook with
    ``on_cancel`` (the HTTP backend shuts its socket down), run at once when the waiting turn gives up, so
    no thread and no connection outlives the turn's deadline.
    """

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._hooks: list[Callable[[], None]] = []

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def on_cancel(self, hook: Callable[[], None]) -> Callable[[], None]:
        """Run ``hook`` on cancellation (at once if already cancelled); returns what unregisters it, which a
        backend calls once its call is over, so a late cancel never touches a connection reused since."""
        with self._lock:
            if not self._event.is_set():
                self._hooks.append(hook)
                return lambda: self._forget(hook)
        hook()
        return lambda: None

    def _forget(self, hook: Callable[[], None]) -> None:
        with self._lock, contextlib.suppress(ValueError):
            self._hooks.remove(hook)

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds`` (a backoff between retries); True as soon as the call is cancelled."""
        return self._event.wait(max(0.0, seconds))

    def cancel(self) -> None:
        with self._lock:
            self._event.set()
            hooks, self._hooks = self._hooks, []
        for hook in hooks:
            with contextlib.suppress(Exception):  # a socket already closed: nothing left to cancel
                hook()
