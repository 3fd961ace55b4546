"""Speaking OpenAI's chat-completions protocol, so any OpenAI client or chat UI can talk to mechuri.

mechuri keeps each user's conversation itself (memory, preferences, today's meals), so only the last
``user`` message of a request is a new turn; the history a client re-sends is not replayed. System
prompts, temperature and the like are accepted and ignored: the answer is grounded in the food table.
The structured Turn rides along under the extra key ``mechuri``, which OpenAI clients ignore.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from mechuri.llm.budget import TurnBudget
from mechuri.web import strings as S
from mechuri.web.chat import failed_stream_error, turn_pieces
from mechuri.web.deps import WebState
from mechuri.web.errors import ApiError
from mechuri.web.hygiene import CleanText
from mechuri.web.streaming import sse

log = logging.getLogger("mechuri.web")

MODEL_ID = "mechuri"


class ContentPart(CleanText):
    """One typed part of a message's content: ``{"type": "text", "text": "…"}`` is read; other types (images …)
    are accepted and ignored. A text part whose ``text`` is not a string is a 422."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(max_length=64)
    text: str | None = None


class ChatMessageIn(CleanText):
    """One message of the request; ``content`` may be a string or a list of typed parts."""

    model_config = ConfigDict(extra="allow")

    role: str = Field(max_length=32)
    content: str | list[ContentPart] | None = None


class ChatCompletionIn(BaseModel):
    """The request body; unknown OpenAI parameters are accepted and ignored."""

    model_config = ConfigDict(extra="allow")

    model: str = Field(default=MODEL_ID, max_length=128)
    messages: list[ChatMessageIn] = Field(min_length=1, max_length=500)
    stream: bool = False


def _text(content: str | list[ContentPart] | None) -> str:
    if isinstance(content, str):
        return content
    return "".join(part.text or "" for part in content or [] if part.type == "text")


def last_user_text(body: ChatCompletionIn) -> str:
    """The newest user message, which is the turn to answer."""
    for message in reversed(body.messages):
        if message.role == "user":
            return _text(message.content)
    raise ApiError(400, "no_user_message", S.OPENAI_NO_USER_MESSAGE)


def completion_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex}"


def completion(turn: Any, model: str) -> dict[str, Any]:
    """A ``chat.completion`` object for a finished Turn."""
    return {
        "id": completion_id(), "object": "chat.completion", "created": int(time.time()), "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": turn.reply},
                     "finish_reason": "stop"}],
        "mechuri": turn.model_dump(mode="json"),
    }


def _chunk(ident: str, created: int, model: str, delta: dict[str, Any], finish: str | None) -> dict[str, Any]:
    return {"id": ident, "object": "chat.completion.chunk", "created": created, "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}


async def stream_completion(state: WebState, user_id: int, text: str, model: str,
                            budget: TurnBudget) -> AsyncIterator[str]:
    """``chat.completion.chunk`` events as OpenAI sends them, ending with ``data: [DONE]``."""
    ident, created = completion_id(), int(time.time())
    yield sse(_chunk(ident, created, model, {"role": "assistant", "content": ""}, None))
    try:
        async for piece in turn_pieces(state, user_id, text, budget):
            if isinstance(piece, str):
                yield sse(_chunk(ident, created, model, {"content": piece}, None))
            else:
                last = _chunk(ident, created, model, {}, "stop")
                last["mechuri"] = piece.model_dump(mode="json")
                yield sse(last)
    except Exception:
        yield sse(await failed_stream_error(state, user_id, "completion"))
    yield sse("[DONE]")


def models() -> dict[str, Any]:
    """``GET /v1/models``: chat UIs list models before they let anyone type."""
    return {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "mechuri"}]}
