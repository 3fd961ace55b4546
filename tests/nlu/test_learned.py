"""The learned understanding layer: the held-out and training sets, the shipped model, and the rules
answering alone when the model is missing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mechuri.nlu import understand
from mechuri.nlu.learned import classifier, data
from mechuri.nlu.learned.moves import MOVES, collapse, move_of

DATA = Path(__file__).parent / "data"


def _rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def test_heldout_set_is_large_multi_turn_and_labeled() -> None:
    rows = _rows("heldout.jsonl")
    assert len(rows) >= 800
    assert sum("context" in r for r in rows) >= 0.3 * len(rows)
    assert {r["move"] for r in rows} <= set(MOVES)
    assert len({r["id"] for r in rows}) == len(rows)


def test_training_set_is_rebuilt_exactly_and_kept_apart_from_the_heldout_set() -> None:
    built = data.build()
    assert built == _rows("train_learned.jsonl")
    assert len(built) >= 3000
    held = {data._norm(r["text"]) for r in _rows("heldout.jsonl")}
    assert not held & {data._norm(r["text"]) for r in built}


def test_shipped_model_loads_without_pickle_and_reads_a_move() -> None:
    model = classifier.load_model()
    assert model is not None
    guess = model.guess("점심 뭐 먹지", None, None)
    assert collapse(guess.move) in MOVES
    assert 0.0 < guess.move_p <= 1.0
    assert classifier.MODEL_PATH.stat().st_size < 5_000_000


def test_model_file_missing_leaves_the_rules_answering(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert classifier.load_model(tmp_path / "missing.npz") is None
    monkeypatch.setattr(classifier, "load_model", lambda path=None: None)
    for text in ("점심 뭐 먹지?", "내 기록 좀 봐봐", "ㅋㅋㅋ", "", "죽고 싶어", "a" * 3000):
        for mode in ("unsure", "disagree"):
            got, rules = understand(text, learned=mode), understand(text, learned="off")
            assert got == rules


def test_rules_unsure_asks_the_model_and_exact_refusals_stay() -> None:
    assert move_of(understand("내 기록 좀 봐봐", learned="off")) == "smalltalk"
    assert move_of(understand("내 기록 좀 봐봐", learned="unsure")) == "ask_memory"
    for mode in ("unsure", "disagree"):
        u = understand("죽고 싶어", learned=mode)
        assert u.intents == ["unsafe"] and u.refusal == "self_harm"


def test_a_listed_dish_chosen_through_the_model_keeps_the_rules_reference() -> None:
    u = understand("2번으로 먹을래", learned="disagree", context="list")
    assert move_of(u) == "choose" and u.pick is not None and u.pick.reference == 1
