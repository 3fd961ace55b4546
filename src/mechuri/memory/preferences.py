"""Preference memory with the rules people expect: the newest statement wins, allergies stay until revoked.

- like X ⇄ dislike X: saying one removes the other ("이제 매운 것도 잘 먹어" drops the dislike of 매운).
- An allergy is never removed by a like ("새우 좋아해" while allergic keeps the allergy, reported as
  ``kept`` so the reply can remind the user); only an explicit removal ("새우 알레르기 없어졌어") drops it.
- A goal is one at a time (다이어트 replaces 벌크업) and is mirrored on the profile for the energy target.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy.orm import Session

from mechuri.db import crud
from mechuri.db.models import Message, User, UserPreference
from mechuri.knowledge.vocab import DIETS, GOAL_TO_PROFILE, GOALS

Polarity = Literal["add", "remove"]
_OPPOSITE = {"like": "dislike", "dislike": "like"}


@dataclass(frozen=True)
class PreferenceUpdate:
    """One change made to memory (or deliberately not made: ``kept``)."""

    action: Literal["added", "removed", "kept"]
    kind: str
    value: str


def _validate(kind: str, value: str) -> None:
    if kind == "diet" and value not in DIETS:
        raise ValueError(f"diet must be one of {DIETS}, not {value!r}")
    if kind == "goal" and value not in GOALS:
        raise ValueError(f"goal must be one of {GOALS}, not {value!r}")


def apply_preference(session: Session, user: User, kind: str, value: str, polarity: Polarity = "add",
                     source_message: Message | None = None) -> list[PreferenceUpdate]:
    """Record what the user just said about their taste, diet, goal or allergies; return what changed."""
    _validate(kind, value)
    updates: list[PreferenceUpdate] = []
    if polarity == "remove":
        if crud.remove_preference_value(session, user, kind, value):
            updates.append(PreferenceUpdate("removed", kind, value))
            if kind == "goal":
                crud.update_profile(session, user, goal=None)
        return updates

    if kind == "like" and any(p.value == value for p in crud.list_preferences(session, user, ["allergy"])):
        return [PreferenceUpdate("kept", "allergy", value)]
    if kind in _OPPOSITE and crud.remove_preference_value(session, user, _OPPOSITE[kind], value):
        updates.append(PreferenceUpdate("removed", _OPPOSITE[kind], value))
    if kind == "allergy" and crud.remove_preference_value(session, user, "like", value):
        updates.append(PreferenceUpdate("removed", "like", value))
    if kind == "goal":
        for old in crud.list_preferences(session, user, ["goal"]):
            if old.value != value:
                crud.remove_preference_value(session, user, "goal", old.value)
                updates.append(PreferenceUpdate("removed", "goal", old.value))
        crud.update_profile(session, user, goal=GOAL_TO_PROFILE[value])
    existed = any(p.value == value for p in crud.list_preferences(session, user, [kind]))
    crud.set_preference(session, user, kind, value, source_message=source_message)
    if not existed:
        updates.append(PreferenceUpdate("added", kind, value))
    return updates


def forget_preferences(session: Session, user: User, *, values: tuple[str, ...] = (),
                       kinds: tuple[str, ...] = ()) -> list[PreferenceUpdate]:
    """「고수 잊어줘」 (``values``: under whatever kind they are remembered) or 「알레르기 다 지워줘」 (``kinds``:
    every value of them). Saying so is how an allergy is dropped, so allergies are forgotten too."""
    updates: list[PreferenceUpdate] = []
    for preference in crud.list_preferences(session, user, kinds or None):
        wanted = (kinds and preference.kind in kinds) or preference.value in values
        if wanted and crud.remove_preference_value(session, user, preference.kind, preference.value):
            updates.append(PreferenceUpdate("removed", preference.kind, preference.value))
            if preference.kind == "goal":
                crud.update_profile(session, user, goal=None)
    return updates


def edit_user_preference(session: Session, user: User, preference_id: int, *, kind: str | None = None,
                         value: str | None = None) -> UserPreference:
    """Change one of the user's own preference rows (the web panel's edit); other users' rows are not found."""
    preference = session.get(UserPreference, preference_id)
    if preference is None or preference.user_id != user.id:
        raise crud.NotFoundError(f"preference {preference_id} not found")
    new_kind = kind or preference.kind
    new_value = (value if value is not None else preference.value).strip()
    _validate(new_kind, new_value)
    if new_kind not in ("like", "dislike", "allergy", "diet", "goal"):
        raise ValueError(f"unknown kind {new_kind!r}")
    if not new_value or len(new_value) > 64:
        raise ValueError("value must be 1–64 characters")
    preference.kind, preference.value = new_kind, new_value
    session.flush()
    return preference


def delete_user_preference(session: Session, user: User, preference_id: int) -> None:
    """Forget one preference the user deleted by hand (the only way besides saying so in chat)."""
    preference = session.get(UserPreference, preference_id)
    if preference is not None and preference.user_id == user.id and preference.kind == "goal":
        crud.update_profile(session, user, goal=None)
    crud.delete_preference(session, user, preference_id)


def preference_sets(session: Session, user: User) -> dict[str, frozenset[str]]:
    """The user's preferences grouped by kind, as the recommender takes them."""
    groups: dict[str, set[str]] = {kind: set() for kind in ("like", "dislike", "allergy", "diet", "goal")}
    for preference in crud.list_preferences(session, user):
        groups.setdefault(preference.kind, set()).add(preference.value)
    return {kind: frozenset(values) for kind, values in groups.items()}
