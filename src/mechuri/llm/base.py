"""The one small interface every text-generation backend speaks, and the errors it may raise.

A backend turns a prompt into text, whole (``generate``) or in pieces (``stream``). It knows nothing about
Turns, guardrails, the database or fallbacks: those live in ``mechuri.llm.writer``, so a new backend is
one file with two methods; ``stream`` also takes the turn's budget and a cancel token (``llm.budget``). Backends load their weights on first use (``load``), so building one is cheap
and the default grounded path never imports torch.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol, runtime_checkable

from mechuri.llm.budget import Cancel, TurnBudget
from mechuri.llm.prompts import Prompt


class BackendError(RuntimeError):
    """A backend could not produce text; the writer falls back to the grounded reply and says why."""

    reason = "backend_error"


class BackendUnavailable(BackendError):
    """The backend cannot run here: its library is not installed, or its model file is missing."""

    reason = "backend_unavailable"


class BackendTimeout(BackendError):
    """The backend did not answer in time."""

    reason = "timeout"


class BackendBusy(BackendError):
    """Every model slot is taken and as many turns already wait for one: this turn does not queue."""

    reason = "busy"


class BrokenStream(BackendError):
    """A streamed answer stopped midway or sent something that is not a stream event."""

    reason = "broken_stream"


@runtime_checkable
class Backend(Protocol):
    """What a writer needs from a model: text for a prompt, at once or piece by piece."""

    name: str

    def generate(self, prompt: Prompt | str, *, max_tokens: int = 256, temperature: float = 0.3,
                 stop: Sequence[str] = ()) -> str: ...

    def stream(self, prompt: Prompt | str, *, max_tokens: int = 256, temperature: float = 0.3,
               stop: Sequence[str] = (), budget: TurnBudget | None = None,
               cancel: Cancel | None = None) -> Iterator[str]:
        """Pieces of the reply. ``budget``: the turn's deadlines (a remote backend cuts its timeouts to them);
        ``cancel``: fired by the writer when it stops waiting — stop at the next piece, or sooner (a socket
        shut down) if the backend can."""
        ...


def load_backend(backend: Backend) -> None:
    """Load a backend's weights now if it loads lazily (``load()``), so the first reply is not the slow one."""
    load = getattr(backend, "load", None)
    if callable(load):
        load()


class StopCutter:
    """Cuts streamed text at the first stop string, holding back a tail that could still become one.

    Local backends may run past a stop string by a few tokens; pieces are released only once they can no
    longer be the start of a stop string, so a streamed reply never shows half of 「### 질문」.
    """

    def __init__(self, stop: Sequence[str]) -> None:
        self.stop = [s for s in stop if s]
        self.text = ""
        self.sent = 0
        self.done = False

    def feed(self, piece: str) -> str:
        """Add ``piece``; return what may be shown now (empty once a stop string was seen)."""
        if self.done:
            return ""
        self.text += piece
        cut = min((i for i in (self.text.find(s, max(0, self.sent - len(s))) for s in self.stop) if i >= 0),
                  default=-1)
        if cut >= 0:
            self.done = True
            out, self.sent = self.text[self.sent:cut], cut
            self.text = self.text[:cut]
            return out
        hold = max((len(s) - 1 for s in self.stop), default=0)
        safe = len(self.text)
        for s in self.stop:
            for size in range(min(len(s) - 1, len(self.text)), 0, -1):
                if self.text.endswith(s[:size]):
                    safe = min(safe, len(self.text) - size)
                    break
        safe = max(safe, self.sent) if hold else len(self.text)
        out, self.sent = self.text[self.sent:safe], safe
        return out

    def flush(self) -> str:
        """What is left at the end of the stream."""
        out, self.sent = self.text[self.sent:], len(self.text)
        return out


def cut_at_stop(text: str, stop: Sequence[str]) -> str:
    """``text`` up to the first stop string."""
    cutter = StopCutter(stop)
    return cutter.feed(text) + cutter.flush()
