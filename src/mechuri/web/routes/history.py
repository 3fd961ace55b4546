"""The history routes: search one's own chat, and clear it (see ``web.history``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from mechuri.web import history
from mechuri.web.chat import PAGE_MAX
from mechuri.web.deps import CurrentUser, DbSession
from mechuri.web.schemas import ClearedOut, SearchOut

router = APIRouter(prefix="/api/messages", tags=["chat"])


@router.get("/search", response_model=SearchOut)
def get_search(session: DbSession, user: CurrentUser,
               q: Annotated[str, Query(max_length=history.QUERY_MAX * 4, description="찾을 말 (1–100자)")],
               limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = 20) -> SearchOut:
    """Your own messages (yours and mechuri's replies to you) containing ``q``, newest first."""
    return history.search(session, user, q, limit)


@router.delete("", response_model=ClearedOut)
def delete_history(session: DbSession, user: CurrentUser) -> ClearedOut:
    """Delete your whole chat history. Preferences, logged meals and the taste learned from it are kept."""
    return history.clear(session, user)
