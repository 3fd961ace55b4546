"""The chat API: one turn as JSON, one turn streamed as Server-Sent Events, and the paged history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from mechuri.conversation import Turn
from mechuri.web import chat
from mechuri.web.deps import CallerDep, CurrentUser, DbSession, state
from mechuri.web.hygiene import IdQuery
from mechuri.web.schemas import ChatIn, MessagesPage
from mechuri.web.streaming import SSE_HEADERS

router = APIRouter(prefix="/api", tags=["chat"])


@router.post("/chat", response_model=Turn)
async def post_chat(body: ChatIn, request: Request, who: CallerDep) -> Turn:
    """Answer one message; returns the Turn JSON (also stored with the reply in the history)."""
    text = chat.checked_message(body.message)
    return await chat.run_turn(state(request), who.user_id, text)


@router.post("/chat/stream", response_class=StreamingResponse,
             responses={200: {"content": {"text/event-stream": {}},
                              "description": "SSE: `delta` events ({text}), then one `turn` event (Turn JSON); "
                                             "`error` if the turn fails midway."}})
def post_chat_stream(body: ChatIn, request: Request, who: CallerDep) -> StreamingResponse:
    """Answer one message as it is written; the turn completes and is stored even if the client stops reading."""
    text = chat.checked_message(body.message)
    web = state(request)
    return StreamingResponse(chat.stream_turn(web, who.user_id, text, web.turn_budget()),
                             media_type="text/event-stream", headers=SSE_HEADERS)


@router.get("/messages", response_model=MessagesPage)
def get_messages(session: DbSession, user: CurrentUser,
                 limit: Annotated[int, Query(ge=1, le=chat.PAGE_MAX)] = 50,
                 before_id: IdQuery = None) -> MessagesPage:
    """The caller's own messages, oldest first; page backwards with ``before_id=next_before_id``."""
    return chat.history(session, user, limit, before_id)
