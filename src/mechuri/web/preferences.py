"""The preference panel's operations, on top of ``memory`` so that a hand edit obeys the chat's rules.

Adding goes through ``memory.apply_preference`` (a like removes the matching dislike, a like never
overrides an allergy, one goal at a time), so the panel and the chat can never disagree.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from mechuri.db import crud
from mechuri.db.models import PREFERENCE_KINDS, User, UserPreference
from mechuri.knowledge.vocab import ALLERGENS, DIETS, GOAL_TO_PROFILE, GOALS
from mechuri.memory import PreferenceUpdate, apply_preference, delete_user_preference, edit_user_preference
from mechuri.web import strings as S
from mechuri.web.errors import ApiError
from mechuri.web.schemas import PreferenceChangeOut, PreferenceOut, PreferencePut, PreferencesOut


def _check(kind: str, value: str) -> None:
    """Korean 422s for what memory would refuse with an English ValueError."""
    if kind not in PREFERENCE_KINDS:
        raise ApiError(422, "invalid_input", S.PREFERENCE_KIND.format(kinds=", ".join(PREFERENCE_KINDS)))
    if not value or len(value) > 64:
        raise ApiError(422, "invalid_input", S.PREFERENCE_VALUE)
    if kind == "diet" and value not in DIETS:
        raise ApiError(422, "invalid_input", S.PREFERENCE_DIET.format(values=", ".join(DIETS)))
    if kind == "goal" and value not in GOALS:
        raise ApiError(422, "invalid_input", S.PREFERENCE_GOAL.format(values=", ".join(GOALS)))


def listing(session: Session, user: User, changes: list[PreferenceUpdate] | None = None) -> PreferencesOut:
    """The user's preferences, what the last operation changed, and the choices the panel offers."""
    rows = crud.list_preferences(session, user)
    return PreferencesOut(
        preferences=[PreferenceOut(id=p.id, kind=p.kind, value=p.value, source_message_id=p.source_message_id,
                                   created_at=p.created_at) for p in rows],
        changes=[PreferenceChangeOut(action=c.action, kind=c.kind, value=c.value) for c in changes or []],
        kinds=list(PREFERENCE_KINDS), diets=list(DIETS), goals=list(GOALS), allergens=list(ALLERGENS),
    )


def put(session: Session, user: User, body: PreferencePut) -> list[PreferenceUpdate]:
    """Add ``{kind, value}`` or edit ``{id, …}``; returns what changed."""
    if body.id is None:
        kind, value = (body.kind or "").strip(), (body.value or "").strip()
        _check(kind, value)
        return apply_preference(session, user, kind, value, "add")
    row = session.get(UserPreference, body.id)
    if row is None or row.user_id != user.id:
        raise ApiError(404, "not_found", S.NOT_FOUND)
    if body.kind is None and body.value is None:
        raise ApiError(422, "invalid_input", S.PREFERENCE_EDIT_EMPTY)
    kind = (body.kind or row.kind).strip()
    value = (body.value if body.value is not None else row.value).strip()
    _check(kind, value)
    if (kind, value) == (row.kind, row.value):
        return []
    clash = session.scalars(select(UserPreference.id).where(
        UserPreference.user_id == user.id, UserPreference.kind == kind, UserPreference.value == value)).first()
    if clash is not None:
        raise ApiError(409, "preference_exists", S.PREFERENCE_EXISTS)
    old = PreferenceUpdate("removed", row.kind, row.value)
    was_goal = row.kind == "goal"
    edit_user_preference(session, user, body.id, kind=kind, value=value)
    if kind == "goal":  # the profile mirrors the goal, as it does when the goal is said in chat
        crud.update_profile(session, user, goal=GOAL_TO_PROFILE[value])
    elif was_goal:
        crud.update_profile(session, user, goal=None)
    return [old, PreferenceUpdate("added", kind, value)]


def remove(session: Session, user: User, preference_id: int) -> list[PreferenceUpdate]:
    """Delete one of the user's own rows; someone else's id is a 404, like a missing one."""
    row = session.get(UserPreference, preference_id)
    if row is None or row.user_id != user.id:
        raise ApiError(404, "not_found", S.NOT_FOUND)
    removed = PreferenceUpdate("removed", row.kind, row.value)
    delete_user_preference(session, user, preference_id)
    return [removed]
