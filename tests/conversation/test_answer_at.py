"""Answering as of another time (``mechuri ask --at``, JSON lines with ``at``, ``respond(at=…)``): the message,
the reply and every row the turn writes carry that time, so a script can play a user's days."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from mechuri.conversation import MessageRefused
from mechuri.db import Database
from mechuri.db.models import MealLog, Message, RecommendationLog, UserPreference


def ask(db_url: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MECHURI_DATABASE_URL": db_url}
    return subprocess.run([sys.executable, "-m", "mechuri", "ask", *args], input=stdin, capture_output=True,
                          text=True, timeout=180, env=env)

SEOUL = ZoneInfo("Asia/Seoul")
MONDAY_LUNCH = datetime(2026, 11, 30, 12, 10, tzinfo=SEOUL)


def _rows(db_url: str, model):
    db = Database(db_url)
    with db.session() as s:
        rows = list(s.scalars(select(model)).all())
    db.dispose()
    return rows


def test_every_row_of_a_turn_is_stamped_with_the_time_it_was_said(manager, db, clock):
    """The clock says Saturday; the message is answered as Monday lunch: the user's message, the reply, the
    preference, the meal log and the recommendation log all say Monday (the recommendation log used to be
    stamped with the wall clock)."""
    user = manager.user_id_for("민준")
    manager.respond(user, "오이 싫어", at=MONDAY_LUNCH)
    manager.respond(user, "아침에 토스트 먹었어", at=MONDAY_LUNCH)
    turn = manager.respond(user, "점심 추천해줘", at=MONDAY_LUNCH)
    assert turn.recommendation_answer.meal == "점심" and len(turn.recommendations) == 3
    with db.session() as s:
        stamps = [row.created_at for model in (Message, UserPreference, MealLog, RecommendationLog)
                  for row in s.scalars(select(model)).all()]
        meal = s.scalars(select(MealLog)).one()
    assert len(stamps) == 6 + 1 + 1 + 3  # messages, preference, meal, recommendations
    assert {stamp.astimezone(UTC) for stamp in stamps} == {MONDAY_LUNCH.astimezone(UTC)}
    assert meal.eaten_at.astimezone(SEOUL).date() == MONDAY_LUNCH.date()


def test_a_time_without_a_zone_is_refused_through_the_api(manager):
    with pytest.raises(MessageRefused, match="시간대"):
        manager.respond(manager.user_id_for("민준"), "점심 추천해줘", at=datetime(2026, 11, 30, 12, 0))


def test_ask_at_answers_as_of_that_time(db_url):
    out = ask(db_url, "--user", "서아", "--json", "--at", "2026-12-01T19:30:00+09:00", "뭐 먹지")
    assert out.returncode == 0, out.stderr
    turn = json.loads(out.stdout)
    assert turn["recommendation_answer"]["meal"] == "저녁"  # 7:30 pm in Seoul, whatever the wall clock says
    logged = _rows(db_url, RecommendationLog)
    assert {row.created_at.astimezone(SEOUL) for row in logged} == {datetime(2026, 12, 1, 19, 30, tzinfo=SEOUL)}


def test_json_lines_play_several_days_in_one_process(db_url):
    """Day 1: lunch logged. Day 2: 「오늘 뭐 먹었지?」 sees nothing yet, 「어제 뭐 먹었지?」 sees day 1's lunch;
    a line without ``at`` takes ``--at``; a naive time is read in Seoul."""
    day1 = datetime(2026, 12, 1, 12, 20, tzinfo=SEOUL)
    lines = [
        {"text": "점심에 김치찌개 먹었어", "at": day1.isoformat()},
        {"text": "오늘 뭐 먹었지?", "at": (day1 + timedelta(days=1)).replace(tzinfo=None).isoformat()},
        {"text": "어제 뭐 먹었지?", "at": (day1 + timedelta(days=1, hours=1)).isoformat()},
        {"text": "저녁 추천해줘"},
    ]
    stdin = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n"
    out = ask(db_url, "--user", "지호", "--json", "--at", "2026-12-03T18:00:00+09:00", stdin=stdin)
    assert out.returncode == 0, out.stderr
    turns = [json.loads(line) for line in out.stdout.splitlines()]
    assert turns[0]["meal_logged"][0]["name"] == "김치찌개"
    assert turns[1]["intake"]["meals"] == [] and turns[1]["intake"]["day"] == "2026-12-02"
    assert [m["name"] for m in turns[2]["intake"]["meals"]] == ["김치찌개"]
    stored = sorted(_rows(db_url, Message), key=lambda m: m.id)
    assert stored[-1].created_at.astimezone(SEOUL) == datetime(2026, 12, 3, 18, 0, tzinfo=SEOUL)


def test_a_bad_time_is_a_clear_error(db_url):
    out = ask(db_url, "--user", "지호", "--json", "--at", "어제 점심", "점심 추천해줘")
    assert out.returncode == 2 and "시각을 읽을 수 없어요" in out.stderr
    out = ask(db_url, "--user", "지호", "--json", stdin='{"text": "점심 추천", "at": "곧"}\n{"at": 3}\n')
    assert out.returncode == 2
    errors = [json.loads(line)["error"] for line in out.stdout.splitlines()]
    assert "시각을 읽을 수 없어요" in errors[0] and '"text"' in errors[1]
