"""The food commands, run as a user would run them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def mechuri(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mechuri", *args], capture_output=True, text=True, timeout=120)


def test_help_lists_every_command():
    out = mechuri("--help")
    assert out.returncode == 0
    for command in ("food", "targets", "db"):
        assert command in out.stdout


def test_food_show_prints_a_readable_table_and_json():
    out = mechuri("food", "show", "김치찌게")
    assert out.returncode == 0, out.stderr
    assert "김치찌개" in out.stdout and "나트륨" in out.stdout and "kcal" in out.stdout
    fuzzy = mechuri("food", "show", "삼겹쌀")
    assert "'삼겹쌀' → '삼겹살'로 찾았어요." in fuzzy.stdout  # the particle resolved (ㄹ takes 로), not 「(으)로」
    data = json.loads(mechuri("food", "show", "김치찌개", "--json").stdout)
    dish = data["dish"]
    assert data["found"] and dish["name"] == "김치찌개"
    for key in ("name", "serving_g", "kcal", "carbohydrate_g", "protein_g", "fat_g", "sodium_mg", "allergens",
                "tags"):
        assert key in dish


def test_food_show_unknown_dish_says_so_and_fails():
    out = mechuri("food", "show", "우주선스테이크")
    assert out.returncode == 1
    assert "'우주선스테이크'는 음식 표에 없어요." in out.stdout  # not 「은(는)」


def test_food_search_finds_chicken():
    out = mechuri("food", "search", "치킨", "--json")
    names = [d["name"] for d in json.loads(out.stdout)]
    assert "후라이드치킨" in names


def test_food_check_passes_on_the_shipped_table():
    out = mechuri("food", "check")
    assert out.returncode == 0, out.stdout[-2000:]
    assert "문제 0건" in out.stdout


@pytest.mark.parametrize("args", [["--sex", "F", "--age", "29"], ["--sex", "M", "--birth-year", "1990",
                                                                   "--height", "175", "--weight", "70",
                                                                   "--activity", "active", "--goal", "bulk"]])
def test_targets_prints_kdri_targets(args):
    out = mechuri("targets", *args)
    assert out.returncode == 0, out.stderr
    assert "kcal" in out.stdout and "나트륨" in out.stdout


def test_targets_json_for_a_29_year_old_woman_is_the_kdri_value():
    data = json.loads(mechuri("targets", "--sex", "F", "--age", "29", "--json").stdout)
    assert data["kcal"] == 2000
    assert data["sodium_mg_max"] == 2300


def test_targets_rejects_bad_input_with_a_message():
    out = mechuri("targets", "--sex", "X", "--age", "29")
    assert out.returncode != 0
    assert "sex" in (out.stderr + out.stdout).lower()
