"""Short-term dialogue context, read back from the last stored assistant turn.

Keeping it in the database (inside the assistant message's ``meta``) rather than in process memory means
「두 번째 거 칼로리는?」 and 「다른 거」 work across restarts, CLI invocations and several web workers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mechuri.db.models import Message, User

CONVERSATION_GAP = timedelta(hours=3)
"""A silence longer than this starts a new conversation: what was said once (the estimate note) is said again."""


@dataclass
class DialogueContext:
    """What the previous answer was about."""

    recommended: list[str] = field(default_factory=list)
    """Dishes of the last recommendation, in the order shown (what 「두 번째 거」 points at)."""
    shown_chain: list[str] = field(default_factory=list)
    """Every dish shown since the last fresh request, so repeated 「다른 거」 keeps finding new ones."""
    request: dict[str, Any] = field(default_factory=dict)
    """The slots of the last recommendation request, reused by 「다른 거」."""
    last_dish: str | None = None
    """The dish the last answer talked about (a nutrition answer or a single recommendation)."""
    meal: str | None = None
    """The meal the last list was asked for: a dish chosen from it (「첫 번째 걸로 할게」) is logged as that meal."""
    plan_request: dict[str, Any] = field(default_factory=dict)
    """The plan request of the previous answer when it was a meal plan, else empty: what 「다시 짜줘」
    asks again. Read from that turn's ``meta["plan_request"]``, so it never outlives the next answer."""
    stored_at: datetime | None = None
    """When the previous answer was given: a context from hours ago no longer says which meal is meant."""
    estimate_said: bool = False
    """Whether this conversation already said that the nutrition numbers are estimates (said once only)."""
    mfds_said: bool = False
    """Whether this conversation already cited the 식약처 dish database for the numbers (cited once only)."""
    turns: int = 0
    """How many answers the user has had: the writer rotates acknowledgements by it."""
    pending_log: dict[str, Any] = field(default_factory=dict)
    """A meal said with a kind of dish the table has many of (「저녁에 치킨 반 마리 먹었어」), which the previous
    answer asked about: the word, the dishes offered, the meal, servings, unit and day — the next message
    naming one of them (「양념치킨이요」, 「두 번째」, 「양념」) logs it (``conversation.pending``). Like
    ``plan_request``, it never outlives the next answer."""
    kind: str | None = None
    """What the previous answer was (``list``, ``plan``, ``nutrition``, ``recipe``, ``log``, ``today``,
    ``memory``, ``state``, ``greeting``): the learned understanding layer reads a message in that light."""

    def to_meta(self) -> dict[str, Any]:
        return {"recommended": self.recommended, "shown_chain": self.shown_chain, "request": self.request,
                "last_dish": self.last_dish, "meal": self.meal, "estimate_said": self.estimate_said,
                "mfds_said": self.mfds_said, "turns": self.turns, "kind": self.kind,
                "pending_log": self.pending_log}

    def still_talking(self, now: datetime) -> bool:
        """Whether ``now`` continues the conversation of the previous answer (no long silence between)."""
        return self.stored_at is not None and now - self.stored_at <= CONVERSATION_GAP

    @classmethod
    def from_meta(cls, meta: dict[str, Any] | None) -> DialogueContext:
        """Read the context back from a stored assistant message's meta (the Turn JSON, whose own
        ``meta`` holds the context)."""
        turn_meta = (meta or {}).get("meta") or {}
        data = turn_meta.get("context") or {}
        plan = (meta or {}).get("plan_answer") or {}
        asked = (meta or {}).get("recommendation_answer") or {}
        return cls(recommended=list(data.get("recommended", [])), shown_chain=list(data.get("shown_chain", [])),
                   request=dict(data.get("request", {})), last_dish=data.get("last_dish"),
                   meal=data.get("meal") or asked.get("meal") or (data.get("request") or {}).get("meal"),
                   plan_request=dict(plan.get("request") or turn_meta.get("plan_request") or {}),
                   estimate_said=bool(data.get("estimate_said")), mfds_said=bool(data.get("mfds_said")),
                   turns=int(data.get("turns") or 0),
                   kind=data.get("kind"), pending_log=dict(data.get("pending_log") or {}))


def load_context(session: Session, user: User) -> DialogueContext:
    """The context saved with the user's most recent assistant message (empty for a new chat)."""
    row = session.execute(
        select(Message.meta, Message.created_at).where(Message.user_id == user.id, Message.role == "assistant")
        .order_by(Message.id.desc()).limit(1)
    ).first()
    if row is None:
        return DialogueContext()
    context = DialogueContext.from_meta(row.meta)
    context.stored_at = row.created_at
    return context
