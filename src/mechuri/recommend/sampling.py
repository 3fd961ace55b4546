"""Seeded variety: a Plackett–Luce draw over scores, and a discovery slot for something less common.

Without this every new user asking 「점심 추천해줘」 got the same three dishes: scores are a
deterministic function of the request, and a new user's request is everyone's request. Two mechanisms,
both only among dishes that already passed every hard constraint (they reorder, never admit):

* **Plackett–Luce sampling** among the best ``pool_size`` dishes by score (the pool MMR already
  re-ranks: variety should choose among good dishes, never reach down to poor ones), via the
  Gumbel-max trick: each dish's key is its score plus
  ``TEMPERATURE`` × a Gumbel(0, 1) draw, and dishes are ranked by key. Ranking by such keys is exactly
  a draw from the Plackett–Luce (softmax-without-replacement) model with probabilities ∝
  exp(score / ``TEMPERATURE``): a dish 0.12 better (an everyday dish over a common one of equal fit) is
  e^(0.12/0.06) ≈ 7× likelier to come first, yet the common one still has its chance. The draw is
  seeded (``RecommendationRequest.seed``): the same seed gives the same list, a rerun included; the
  caller derives the seed from the user, the day and the request's rank within the day.
* **Discovery**: ``DISCOVERY_SHARE`` of each list (one of three) is the best draw among dishes that are
  *not* everyday at this meal, scored without the ``familiar`` component, so an occasional or rare dish
  that fits well competes on fit alone. Skipped when the message named a dish or an ingredient (the
  list then answers that request) and when the list is shorter than three.

Each dish's Gumbel draw is a hash of (seed, dish name), not a stream position: it does not depend on
the order of the table or on which other dishes passed the constraints.
"""

from __future__ import annotations

import hashlib
import math
import struct
from collections.abc import Sequence
from statistics import NormalDist

TEMPERATURE = 0.06
"""Gumbel scale in score units (see the module docstring). At 0.03 40 new users saw ~10 distinct
dishes at lunch; at 0.10 the lists drifted to common dishes of poor fit."""
GUMBEL_CLIP = 8.0
"""Draws are clipped to ±8 so that no key moves by more than 0.48: a dish requested by name
(``requested`` weighs 4.30) always stays ahead of one that was not."""
DISCOVERY_SHARE = 1 / 3
"""Share of a list kept for a less common dish (one of three)."""
DISCOVERY_MIN_K = 3
_NORMAL = NormalDist()


def seed_for(*parts: object) -> int:
    """A stable 63-bit seed from any parts (user id, date, request rank): the same parts, the same seed."""
    digest = hashlib.blake2b("\x1f".join(str(part) for part in parts).encode(), digest_size=8).digest()
    return struct.unpack(">Q", digest)[0] >> 1


def _uniform(seed: int, data: bytes) -> float:
    """A uniform draw in (0, 1) fixed by ``seed`` and ``data`` (a keyed hash, not a stream position)."""
    digest = hashlib.blake2b(data, digest_size=8, key=seed.to_bytes(8, "big")).digest()
    return (struct.unpack(">Q", digest)[0] + 0.5) / 2.0**64


def gumbel(seed: int, name: str) -> float:
    """A Gumbel(0, 1) draw fixed by ``seed`` and the dish's name, clipped to ±``GUMBEL_CLIP``."""
    uniform = _uniform(seed, name.encode())
    return max(-GUMBEL_CLIP, min(GUMBEL_CLIP, -math.log(-math.log(uniform))))


def normal_draw(seed: int, name: str) -> float:
    """A standard-normal draw fixed by ``seed`` and the dish's name (for Thompson sampling of the taste
    model): the same inverse-CDF of a hashed uniform as ``gumbel``, with its own salt."""
    return max(-GUMBEL_CLIP, min(GUMBEL_CLIP, _NORMAL.inv_cdf(_uniform(seed, b"taste:" + name.encode()))))


def perturbed(names: Sequence[str], scores: Sequence[float], seed: int | None) -> list[float]:
    """The Plackett–Luce keys of the dishes (their scores when ``seed`` is None: no sampling)."""
    if seed is None:
        return list(scores)
    return [score + TEMPERATURE * gumbel(seed, name) for name, score in zip(names, scores, strict=True)]


def discovery_slots(k: int) -> int:
    """How many of ``k`` picks are kept for discovery."""
    return int(k * DISCOVERY_SHARE + 1e-9) if k >= DISCOVERY_MIN_K else 0
