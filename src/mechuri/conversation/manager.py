"""The dialogue manager: one user message in, one stored, structured, written ``Turn`` out.

Order matters and is the product's promise: the user's message is committed to the database before any
understanding or model runs (a crash never loses what someone typed), marked ``pending``; the facts of the
answer are decided from the knowledge base and memory, and every memory change commits in one
transaction with the grounded reply that announces it (the question is then answered, whatever happens
next); only then does a writer phrase the reply, and its words replace the grounded ones. A process killed
mid-turn therefore leaves either an answered question, or a pending one with no memory change, which
``crud.fail_stale_turns`` later marks failed (the web app shows it with a retry).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import asdict
from datetime import UTC, datetime

from mechuri.config import Settings, get_settings
from mechuri.conversation.actions import TurnServices
from mechuri.conversation.context import load_context
from mechuri.conversation.moves import play
from mechuri.conversation.pending import answer_pending
from mechuri.conversation.turn import Turn
from mechuri.conversation.writer import GroundedWriter, ReplyWriter
from mechuri.db import Database, crud
from mechuri.db.models import User
from mechuri.knowledge.foods import FoodTable, load_food_table
from mechuri.knowledge.lookup import FoodLookup, default_lookup
from mechuri.knowledge.qa import QAIndex, default_qa_index
from mechuri.memory import preference_sets
from mechuri.nlu import Understanding, understand
from mechuri.recommend.constraints import HardConstraints

log = logging.getLogger("mechuri.conversation")

MAX_MESSAGE_CHARS = 2000
"""Longest message accepted; longer ones are refused with a clear error before anything is stored."""

Clock = Callable[[], datetime]


class MessageRefused(ValueError):
    """A message the dialogue manager will not take (empty, too long); ``str()`` is the Korean reason to show
    the user. Only this is a refusal: any other exception out of a turn is a bug, not the user's doing."""


def validate_message(text: str) -> str:
    """The message as it will be stored, or ``MessageRefused`` with a Korean explanation."""
    if not isinstance(text, str) or not text.strip():
        raise MessageRefused("메시지가 비어 있어요.")
    if len(text) > MAX_MESSAGE_CHARS:
        raise MessageRefused(f"메시지가 너무 길어요. {MAX_MESSAGE_CHARS:,}자 이하로 보내 주세요 (지금 {len(text):,}자).")
    return text.strip()


class DialogueManager:
    """Answers chat messages for any user of one database."""

    def __init__(self, db: Database, settings: Settings | None = None, *, writer: ReplyWriter | None = None,
                 table: FoodTable | None = None, clock: Clock | None = None) -> None:
        self.db = db
        self.settings = settings or get_settings()
        self.writer: ReplyWriter = writer if writer is not None else GroundedWriter()
        self.table = table or load_food_table()
        self.lookup = default_lookup() if table is None else FoodLookup(self.table)
        self._qa: QAIndex | None = None
        self.clock: Clock = clock or (lambda: datetime.now(UTC))

    @property
    def qa(self) -> QAIndex:
        """Built on first cooking question: most turns never need it."""
        if self._qa is None:
            self._qa = default_qa_index()
        return self._qa

    def respond(self, user_id: int, text: str, *, at: datetime | None = None) -> Turn:
        """Answer one message; the whole reply at once. ``at`` answers as of that time (see ``stream``)."""
        turn: Turn | None = None
        for piece in self.stream(user_id, text, at=at):
            if isinstance(piece, Turn):
                turn = piece
        assert turn is not None
        return turn

    def stream(self, user_id: int, text: str, *, at: datetime | None = None) -> Iterator[str | Turn]:
        """Answer one message: yields the reply in pieces as the writer produces them, then the Turn.

        ``at`` (timezone-aware; default: the manager's clock) is the time the message is sent: it is stored,
        understood and answered as of then, and every row the turn writes is stamped with it — how scripts,
        benchmarks and simulators play a user's days (``mechuri ask --at``)."""
        text = validate_message(text)
        if at is not None and at.tzinfo is None:
            raise MessageRefused("시각에는 시간대가 있어야 해요 (예: 2026-12-01T12:10:00+09:00).")
        now = at or self.clock()
        with self.db.session(at=now) as session:
            user = self._user(session, user_id)
            message_id = crud.add_message(session, user, "user", text, created_at=now, state="pending").id

        try:
            turn = self._decide(user_id, message_id, text, now)
        except BaseException:
            self._fail(message_id)
            raise
        pieces: list[str] = []
        for piece in self.writer.stream(turn):
            pieces.append(piece)
            yield piece
        turn.reply = "".join(pieces).strip()
        turn.meta.setdefault("writer", self.writer.name)  # an LLM writer records who really spoke
        self._store_reply(user_id, turn)
        yield turn

    @staticmethod
    def _user(session, user_id: int) -> User:
        user = session.get(User, user_id)
        if user is None:
            raise LookupError(f"user {user_id} not found")
        return user

    def _fail(self, message_id: int) -> None:
        """The turn raised before its answer was stored: the question is marked failed (not left pending)."""
        try:
            with self.db.session() as session:
                crud.fail_turn(session, message_id)
        except Exception:  # the database itself is failing: the sweep marks it once it is back
            log.exception("could not mark message %s failed", message_id)

    def _decide(self, user_id: int, message_id: int, text: str, now: datetime) -> Turn:
        """Understand the message and act on it; everything that changes memory happens here, and commits
        with the grounded reply (``_store_grounded``) and the question marked answered."""
        with self.db.session(at=now) as session:
            user = self._user(session, user_id)
            message = session.get(crud.Message, message_id)
            context = load_context(session, user)
            u: Understanding = understand(text, now=now, lookup=self.lookup, context=context.kind,
                                          learned=self.settings.nlu_learned)
            pending, context.pending_log = context.pending_log, {}
            if pending and context.still_talking(now):  # 「치킨 먹었어」 → 「어떤 걸요?」 → 「양념치킨이요」
                u = answer_pending(u, pending) or u
            turn = Turn(reply="", intent=u.intent, intents=list(u.intents), message_id=message_id)
            turn.meta["slots"] = _slots_meta(u)
            services = TurnServices(session=session, user=user, message=message, now=now,
                                    timezone=self.settings.timezone, table=self.table, lookup=self.lookup,
                                    qa_index=lambda: self.qa, context=context)
            turn.turn_number = services.context.turns
            services.context.turns += 1
            turn.meta["moves"] = play(u, turn, services)
            services.context.kind = answer_kind(turn)
            if not turn.constraints:  # no list was asked for: the user's own constraints still bind the reply
                turn.constraints = HardConstraints.of(preference_sets(session, user))
            turn.mirror_meta()
            turn.meta["context"] = services.context.to_meta()
            if getattr(self.writer, "wants_context", False):  # an LLM writer's prompt and guardrail need them
                turn.meta["user_message"] = text
                turn.meta["profile"] = {kind: sorted(values)
                                        for kind, values in preference_sets(session, user).items() if values}
            self._store_grounded(session, user, message, turn, now)
        return turn

    def _store_grounded(self, session, user: User, message: crud.Message, turn: Turn, now: datetime) -> None:
        """The grounded reply, stored in the turn's own transaction: a memory change is never committed
        without the reply that announces it. ``turn.meta["provisional"]`` marks it until the writer's words
        replace it (``_store_reply``); a reply still provisional is what a killed turn left."""
        grounded = GroundedWriter().write(turn)
        meta = turn.model_dump(mode="json", exclude={"reply"})
        meta["meta"] = {**meta["meta"], "writer": GroundedWriter.name, "provisional": True}
        reply = crud.add_message(session, user, "assistant", grounded, meta=meta, created_at=now)
        turn.reply_id = reply.id
        reply.meta = {**meta, "reply_id": reply.id}
        if turn.recommendations:
            crud.log_recommendations(session, user, [r.name for r in turn.recommendations], reply)
        message.state = None  # answered

    def _store_reply(self, user_id: int, turn: Turn) -> None:
        """The writer's words (and who wrote them) replace the provisional grounded reply."""
        with self.db.session() as session:
            reply = session.get(crud.Message, turn.reply_id)
            if reply is None or reply.user_id != user_id:
                raise LookupError(f"reply {turn.reply_id} of user {user_id} not found")
            reply.content = turn.reply
            reply.meta = turn.model_dump(mode="json", exclude={"reply"})

    def user_id_for(self, username: str) -> int:
        """The id of ``username``, creating a password-less (CLI) user on first use."""
        with self.db.session() as session:
            return crud.get_or_create_user(session, username).id


_KIND_OF_INTENT = {"recommend": "list", "another": "list", "plan": "plan", "nutrition": "nutrition",
                   "followup": "nutrition", "recipe": "recipe", "meal_log": "log", "today": "today",
                   "memory": "memory", "preference": "state", "allergy": "state", "diet": "state",
                   "greeting": "greeting"}


def answer_kind(turn: Turn) -> str | None:
    """What this answer was, as the next message will be read against (a list shown wins: 「2번」 then
    points into it)."""
    if turn.recommendations:
        return "list"
    if turn.plan is not None:
        return "plan"
    return _KIND_OF_INTENT.get(turn.intent)


def _slots_meta(u: Understanding) -> dict:
    """The understood slots, without empty ones, kept in the turn's metadata for debugging and training."""
    return {key: value for key, value in asdict(u.slots).items() if value not in (None, False, (), [])}
