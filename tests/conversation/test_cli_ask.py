"""`mechuri ask` as other tools use it: one JSON Turn per message, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys

CONTRACT_KEYS = ("name", "serving_g", "kcal", "carbohydrate_g", "protein_g", "fat_g", "sodium_mg", "allergens",
                 "tags")


def ask(db_url: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MECHURI_DATABASE_URL": db_url}
    return subprocess.run([sys.executable, "-m", "mechuri", "ask", *args], input=stdin, capture_output=True,
                          text=True, timeout=180, env=env)


def test_one_message_gives_one_json_turn_with_the_contract_keys(db_url):
    out = ask(db_url, "--user", "서연", "--json", "점심 추천해줘")
    assert out.returncode == 0, out.stderr
    turn = json.loads(out.stdout)
    assert turn["intent"] == "recommend" and turn["reply"]
    assert len(turn["recommendations"]) == 3
    for item in turn["recommendations"]:
        assert all(key in item for key in CONTRACT_KEYS)


def test_stdin_lines_are_answered_in_order_and_remember_context(db_url):
    lines = "새우 알레르기 있어요\n저녁 추천해줘\n두 번째 거 칼로리는?\n"
    out = ask(db_url, "--user", "도윤", "--db", db_url, "--json", stdin=lines)
    assert out.returncode == 0, out.stderr
    turns = [json.loads(line) for line in out.stdout.splitlines()]
    assert turns[1]["intent"] == "recommend" and "followup" in turns[2]["intents"]
    change = turns[0]["preferences_changed"][0]  # the Turn JSON only grows: later fields (said) may follow
    assert {key: change[key] for key in ("action", "kind", "value")} == {"action": "added", "kind": "allergy",
                                                                          "value": "새우"}
    second = turns[1]["recommendations"][1]
    assert turns[2]["nutrition"]["dish"]["name"] == second["name"]
    assert turns[2]["nutrition"]["dish"]["kcal"] == second["kcal"]
    assert all("새우" not in r["allergens"] for r in turns[1]["recommendations"])


def test_choosing_from_the_list_logs_the_meal(db_url):
    out = ask(db_url, "--user", "민지", "--json", stdin="점심 뭐 먹지?\n두번째 거로 할게요\n")
    assert out.returncode == 0, out.stderr
    listed, chosen = [json.loads(line) for line in out.stdout.splitlines()]
    second = listed["recommendations"][1]
    assert [m["name"] for m in chosen["meal_logged"]] == [second["name"]]
    assert chosen["meal_logged"][0]["kcal"] == second["kcal"]
    assert chosen["meal_logged"][0]["meal"] == listed["recommendation_answer"]["meal"] == chosen["choice"]["meal"]
    assert chosen["choice"]["dish"] == second["name"] and chosen["choice"]["rank"] == 2
    assert chosen["choice"]["shown"] == [r["name"] for r in listed["recommendations"]]
    assert chosen["recommendations"] == [] and chosen["nutrition"] is None
    assert second["name"] in chosen["reply"] and "기록" in chosen["reply"]


def test_without_json_it_prints_the_reply_for_people(db_url):
    out = ask(db_url, "--user", "하준", "김치찌개 칼로리 알려줘")
    assert out.returncode == 0, out.stderr
    assert "김치찌개" in out.stdout and "kcal" in out.stdout and not out.stdout.lstrip().startswith("{")


def test_a_refused_message_says_why_and_exits_2(db_url):
    out = ask(db_url, "--user", "하준", "--json", "가" * 2001)
    assert out.returncode == 2
    assert "너무 길어요" in json.loads(out.stdout)["error"]
