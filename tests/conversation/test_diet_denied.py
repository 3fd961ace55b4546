"""A diet or condition denied is not stored: 「저 비건 아니에요」 used to store 비건 (and then every menu was
vegan); now it takes back a stored one, or says there was none."""

from __future__ import annotations

from sqlalchemy import select

from mechuri.db.models import UserPreference


def _diets(db, chat) -> set[str]:
    with db.session() as s:
        rows = s.scalars(select(UserPreference).where(UserPreference.user_id == chat.user_id,
                                                      UserPreference.kind == "diet"))
        return {row.value for row in rows}


def test_denying_a_diet_never_stores_it(chat, db):
    for message in ("저 비건 아니에요", "할랄 아니야", "채식주의자 아님", "당뇨 없어요"):
        turn = chat(message)
        assert not any(c.action == "added" for c in turn.preferences_changed), message
    assert _diets(db, chat) == set()
    assert chat("점심 추천해줘").recommendations


def test_denying_a_stored_diet_takes_it_back(chat, db):
    chat("비건으로 먹고 있어요")
    assert _diets(db, chat) == {"비건"}
    turn = chat("아 저 이제 비건 아니에요")
    assert [(c.action, c.value) for c in turn.preferences_changed] == [("removed", "비건")]
    assert _diets(db, chat) == set()
