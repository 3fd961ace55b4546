"""The user simulator (``benchmarks/taste_sim.py``) still runs: 3 eaters × 2 days through every policy."""

from __future__ import annotations

import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))

import taste_sim  # noqa: E402


def test_simulator_plays_every_policy_without_violations() -> None:
    results, text = taste_sim.run(eaters=3, days=2, seed=7, policies=taste_sim.POLICIES, focused=1)
    assert [s.policy for s in results] == list(taste_sim.POLICIES)
    for stats in results:
        assert stats.meals == 3 * 2 * 2
        assert len(stats.first[1]) == 3 * 2
        assert stats.referee == 0 and stats.stated == 0
        assert stats.not_understood == 0 and stats.not_logged == 0
        assert stats.exposure
    oracle = next(s for s in results if s.policy == "oracle")
    assert all(oracle.first[1])  # the oracle's first list always holds a dish the eater accepts
    assert "product" in text and "focused eaters" in text


def test_hidden_taste_is_the_simulators_own() -> None:
    source = (BENCHMARKS / "taste_sim.py").read_text(encoding="utf-8")
    assert "recommend.taste" not in source.replace("``recommend.taste``", "")
    assert "popularity import" not in source and "load_popularity" not in source
