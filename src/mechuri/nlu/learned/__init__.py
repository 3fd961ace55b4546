"""The learned half of understanding (issue 14): a linear model over character and morpheme n-grams that
decides what a message *is* (its move and primary intent) where the rules are unsure.

The rules stay the source of everything exact (dish names, numbers, allergens, list references); see
``combine.py`` for when the model is asked and ``MODEL_CARD.md`` for the data and the figures.
"""

from mechuri.nlu.learned.moves import MOVES, REFUSE_KINDS, collapse

__all__ = ["MOVES", "REFUSE_KINDS", "collapse"]
