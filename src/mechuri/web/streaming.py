"""Running a blocking iterator (a dialogue turn) in a worker thread and relaying it as Server-Sent Events.

The turn runs in its own thread and always runs to the end, even when the client stops reading (the
stop button, a closed tab): the user's message is already stored, and the reply and any memory change
must be stored with it, or the history would show a question without its answer. Only the relaying
stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import Executor
from typing import Any, TypeVar

log = logging.getLogger("mechuri.web")

T = TypeVar("T")

SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
"""No caching, and no buffering in nginx (which would hold the whole reply back until the end)."""


def sse(data: Any, event: str | None = None) -> str:
    """One SSE message; ``data`` is JSON-encoded unless it is already a string (OpenAI's ``[DONE]``)."""
    payload = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {payload}\n\n"


async def iterate_in_thread(make: Callable[[], Iterator[T]], executor: Executor) -> AsyncIterator[T]:
    """Yield what ``make()`` yields, produced in ``executor``; an exception there is re-raised here."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()

    def post(kind: str, value: Any) -> None:
        with contextlib.suppress(RuntimeError):  # the loop is gone (shutting down): finish the turn anyway
            loop.call_soon_threadsafe(queue.put_nowait, (kind, value))

    def produce() -> None:
        try:
            for item in make():
                post("item", item)
        except BaseException as exc:  # handed to the consumer, which decides what the client sees
            post("error", exc)
        else:
            post("done", None)

    loop.run_in_executor(executor, produce)
    while True:
        kind, value = await queue.get()
        if kind == "item":
            yield value
        elif kind == "error":
            raise value
        else:
            return
