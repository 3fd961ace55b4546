"""OpenAI-compatible endpoints (``/v1``), authenticated by a personal API token only."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from mechuri.web import chat, openai_compat
from mechuri.web.deps import TokenCallerDep, state
from mechuri.web.streaming import SSE_HEADERS

router = APIRouter(prefix="/v1", tags=["openai"])


@router.post("/chat/completions", response_model=None,
             responses={200: {"content": {"application/json": {}, "text/event-stream": {}},
                              "description": "chat.completion, or chat.completion.chunk events with stream=true"}})
async def chat_completions(body: openai_compat.ChatCompletionIn, request: Request,
                     who: TokenCallerDep) -> Any:
    """Answer the last user message as mechuri (memory and preferences of the token's user apply)."""
    text = chat.checked_message(openai_compat.last_user_text(body))
    if body.stream:
        web = state(request)
        return StreamingResponse(openai_compat.stream_completion(web, who.user_id, text, body.model,
                                                                 web.turn_budget()),
                                 media_type="text/event-stream", headers=SSE_HEADERS)
    turn = await chat.run_turn(state(request), who.user_id, text)
    return openai_compat.completion(turn, body.model)


@router.get("/models")
def list_models(who: TokenCallerDep) -> dict[str, Any]:
    """The one model mechuri serves."""
    return openai_compat.models()
