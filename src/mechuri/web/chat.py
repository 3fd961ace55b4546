"""Chat turns for the web: the history as JSON, and a streamed turn as Server-Sent Events.

The stream speaks three events: ``delta`` (``{"text": …}``, a piece of the reply as it is written),
``turn`` (the final Turn JSON, the same object POST /api/chat returns) and ``error`` (the usual error
body, when a turn fails after the stream has begun and no status code can say so any more).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy.orm import Session

from mechuri.conversation import MessageRefused, validate_message
from mechuri.db import crud
from mechuri.db.models import Message, User
from mechuri.llm.budget import TurnBudget, budget_scope, iterate_with_budget
from mechuri.web import strings as S
from mechuri.web.deps import WebState
from mechuri.web.errors import ApiError, error_body
from mechuri.web.schemas import MessageOut, MessagesPage
from mechuri.web.streaming import iterate_in_thread, sse

log = logging.getLogger("mechuri.web")

PAGE_MAX = 200


def checked_message(text: str) -> str:
    """The message as the dialogue manager will accept it, or a 422 with its Korean reason."""
    try:
        return validate_message(text)
    except MessageRefused as exc:
        raise ApiError(422, "invalid_message", str(exc)) from exc


def message_out(message: Message) -> MessageOut:
    """A stored message; an assistant's carries its Turn (reply included) so cards can be redrawn."""
    turn = None
    if message.role == "assistant" and message.meta:
        turn = {**message.meta, "reply": message.content}
    return MessageOut(id=message.id, role=message.role, content=message.content,  # type: ignore[arg-type]
                      created_at=message.created_at, turn=turn, state=message.state)  # type: ignore[arg-type]


def history(session: Session, user: User, limit: int, before_id: int | None) -> MessagesPage:
    """One page of the user's own messages, oldest first, and the cursor for the page before it."""
    rows = crud.list_messages(session, user, limit=limit + 1, before_id=before_id)
    older = len(rows) > limit
    rows = rows[-limit:] if older else rows
    return MessagesPage(messages=[message_out(m) for m in rows],
                        next_before_id=rows[0].id if older and rows else None)


def _account_gone(state: WebState, user_id: int) -> bool:
    with state.db.session() as session:
        return session.get(User, user_id) is None


async def account_gone(state: WebState, user_id: int) -> bool:
    """Whether the caller's account was deleted while their turn ran (they deleted it from another tab): the
    turn then fails to store its reply, which is the account's end, not a server error."""
    return await asyncio.to_thread(_account_gone, state, user_id)


async def failed_stream_error(state: WebState, user_id: int, what: str) -> dict[str, Any]:
    """The error event of a stream whose turn raised (called in the ``except``): 401 when the account is
    gone, else a 500 logged with its traceback."""
    if await account_gone(state, user_id):
        return error_body(401, "login_required", S.LOGIN_REQUIRED)
    log.exception("streamed %s failed for user %s", what, user_id)
    return error_body(500, "server_error", S.SERVER_ERROR)


async def run_turn(state: WebState, user_id: int, text: str) -> Any:
    """One whole turn computed on the turn threads (``text`` already checked by ``checked_message``), under
    a budget that starts now."""
    budget = state.turn_budget()

    def respond() -> Any:
        with budget_scope(budget):
            return state.dialogue.respond(user_id, text)

    try:
        return await asyncio.get_running_loop().run_in_executor(state.executor, respond)
    except Exception as exc:
        if await account_gone(state, user_id):
            raise ApiError(401, "login_required", S.LOGIN_REQUIRED) from exc
        raise


def turn_pieces(state: WebState, user_id: int, text: str, budget: TurnBudget) -> AsyncIterator[Any]:
    """The pieces and the Turn of one streamed turn, computed on the turn threads under ``budget``."""
    return iterate_in_thread(lambda: iterate_with_budget(budget, lambda: state.dialogue.stream(user_id, text)),
                             state.executor)


async def stream_turn(state: WebState, user_id: int, text: str, budget: TurnBudget) -> AsyncIterator[str]:
    """The SSE body of one turn (``text`` already checked by ``checked_message``; ``budget`` started when the
    request arrived, not when the body is first read)."""
    try:
        async for piece in turn_pieces(state, user_id, text, budget):
            if isinstance(piece, str):
                yield sse({"text": piece}, "delta")
            else:
                yield sse(piece.model_dump(mode="json"), "turn")
    except Exception:
        yield sse(await failed_stream_error(state, user_id, "turn"), "error")
