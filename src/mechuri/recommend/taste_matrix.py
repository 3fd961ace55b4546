"""The taste model scored over a whole table at once: every dish's features as one matrix, built once.

``TasteModel.draw`` scores one dish with a Python sum over its ~11 features; the recommender asks it for
every dish that passed the constraints (~700 at an open 「점심 추천해줘」), which made the ``taste`` component
the largest part of a recommendation for a person with feedback (≈ 9 ms of a turn on the 2-core
development machine, ``benchmarks/taste_latency.py``). The features of a dish never change, so the table's
features are laid out once as a dense dishes × features matrix (736 × 410 on the shipped table, 2.4 MB),
and a request's scores are two matrix–vector products over the candidates' rows: the model's means, and
its variances (the squared matrix times 1/precision) for the Thompson draw. Same arithmetic as
``TasteModel.draw``, up to the order of a floating-point sum.

Matrices are kept for the last few tables by identity (like ``DishIndex.of``), so an edited or rebuilt
table is never scored with a stale one.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mechuri.knowledge.foods import Dish
from mechuri.recommend.taste import EXPLORATION, PRIOR_PRECISION, TasteModel, dish_features

_CACHE_LIMIT = 4
_cache: dict[int, tuple[tuple[Dish, ...], FeatureMatrix]] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class FeatureMatrix:
    """The taste features (``taste.dish_features``) of a sequence of dishes, one row per dish in order."""

    columns: dict[str, int]
    """Feature name → column."""
    values: np.ndarray
    """(dishes, features): a dish's feature values (1/√n on its n features, 0 elsewhere)."""
    squares: np.ndarray
    """``values`` squared: a row times 1/precision is the dish's utility variance."""

    @classmethod
    def of(cls, dishes: Sequence[Dish]) -> FeatureMatrix:
        features = [dish_features(dish) for dish in dishes]
        columns = {name: i for i, name in enumerate(sorted({name for row in features for name in row}))}
        values = np.zeros((len(dishes), len(columns)))
        for row, found in enumerate(features):
            for name, value in found.items():
                values[row, columns[name]] = value
        return cls(columns, values, values * values)

    def model_vectors(self, model: TasteModel) -> tuple[np.ndarray, np.ndarray]:
        """The model's means and inverse precisions over this matrix's columns (features the model never
        saw: mean 0, precision ``PRIOR_PRECISION``; features no dish here has are left out)."""
        mean = np.zeros(len(self.columns))
        inverse = np.full(len(self.columns), 1.0 / PRIOR_PRECISION)
        columns = self.columns
        for name, value in model.mean.items():
            column = columns.get(name)
            if column is not None:
                mean[column] = value
        for name, precision in model.precision.items():
            column = columns.get(name)
            if column is not None:
                inverse[column] = 1.0 / precision
        return mean, inverse


def feature_matrix(dishes: tuple[Dish, ...]) -> FeatureMatrix:
    """The matrix of ``dishes`` (a ``DishIndex.dishes`` tuple), built on first use and kept by identity."""
    entry = _cache.get(id(dishes))
    if entry is not None and entry[0] is dishes:
        return entry[1]
    matrix = FeatureMatrix.of(dishes)
    with _lock:
        if len(_cache) >= _CACHE_LIMIT:
            _cache.pop(next(iter(_cache)))
        _cache[id(dishes)] = (dishes, matrix)
    return matrix


def taste_draws(model: TasteModel, dishes: tuple[Dish, ...], rows: Sequence[int],
                normals: Sequence[float]) -> list[float]:
    """``model.draw(dishes[row], z)`` for every row and its standard-normal ``z``, in one pass."""
    matrix = feature_matrix(dishes)
    mean, inverse = matrix.model_vectors(model)
    index = np.asarray(rows, dtype=np.intp)
    utility = (matrix.values @ mean)[index]  # every row, then the candidates: cheaper than copying their rows
    spread = np.sqrt((matrix.squares @ inverse)[index])
    drawn = utility + np.asarray(normals, dtype=float) * spread * EXPLORATION
    return (1.0 / (1.0 + np.exp(-drawn))).tolist()
