"""The chat history beyond paging: searching one's own messages, and clearing them.

Why search runs on the server: the page holds only the pages of history it has shown, and a person looks
for 「지난주에 추천받은 그 찌개」 weeks later. Only the caller's own messages are searched (both sides of their
conversation: what they said and what mechuri answered), with ``LIKE`` on every database, the user's
wildcards escaped so 「100%」 means the text 100%.

Clearing deletes the messages only: what was learned from them (preferences, meals, taste) stays, with its
link to the message it came from set to null, so 「기록 지우기」 never silently forgets an allergy. The short-term
context (「두 번째 거」) lived in the last reply and goes with it.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from mechuri.db.models import MealLog, Message, RecommendationLog, TasteEvent, User, UserPreference
from mechuri.web import strings as S
from mechuri.web.chat import PAGE_MAX
from mechuri.web.errors import ApiError
from mechuri.web.hygiene import has_control_characters
from mechuri.web.schemas import ClearedOut, SearchHitOut, SearchOut

QUERY_MAX = 100
SNIPPET_CONTEXT = 40
"""Characters shown on each side of the first match: enough to recognise the sentence, short enough to list."""


def _like_pattern(query: str) -> str:
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def snippet(content: str, query: str) -> str:
    """The part of ``content`` around the first match of ``query`` (case-insensitive), cut at both ends."""
    at = content.lower().find(query.lower())
    if at < 0:
        return content[: SNIPPET_CONTEXT * 2]
    start = max(0, at - SNIPPET_CONTEXT)
    end = min(len(content), at + len(query) + SNIPPET_CONTEXT)
    return ("…" if start else "") + content[start:end] + ("…" if end < len(content) else "")


def search(session: Session, user: User, query: str, limit: int) -> SearchOut:
    """The caller's messages containing ``query``, newest first, at most ``limit`` (and whether there are more)."""
    query = query.strip()
    if not 1 <= len(query) <= QUERY_MAX:
        raise ApiError(422, "invalid_input", S.SEARCH_QUERY.format(max=QUERY_MAX))
    if has_control_characters(query):
        raise ApiError(422, "invalid_input", S.CONTROL_CHARACTERS)
    limit = max(1, min(limit, PAGE_MAX))
    rows = session.scalars(
        select(Message).where(Message.user_id == user.id,
                              func.lower(Message.content).like(_like_pattern(query), escape="\\"))
        .order_by(Message.id.desc()).limit(limit + 1)
    ).all()
    hits = [SearchHitOut(id=row.id, role=row.role, created_at=row.created_at,  # type: ignore[arg-type]
                         snippet=snippet(row.content, query)) for row in rows[:limit]]
    return SearchOut(query=query, results=hits, more=len(rows) > limit)


def clear(session: Session, user: User) -> ClearedOut:
    """Delete every message of the caller, keeping what was learned from them (see the module docstring)."""
    mine = select(Message.id).where(Message.user_id == user.id).scalar_subquery()
    for model, column in ((UserPreference, UserPreference.source_message_id), (MealLog, MealLog.source_message_id),
                          (RecommendationLog, RecommendationLog.message_id), (TasteEvent, TasteEvent.message_id)):
        session.execute(update(model).where(model.user_id == user.id, column.in_(mine)).values({column: None}))
    result = session.execute(delete(Message).where(Message.user_id == user.id))
    return ClearedOut(deleted=result.rowcount or 0)
