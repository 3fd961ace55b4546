"""How mechuri writes an amount, in one place: 「12.5g」, 「79g」, 「1,800kcal」, 「2,392mg」, 「190–224g」.

The replies (``conversation.strings``), the API's texts and the browser must write the same number the
same way, or a user sees 「12.5 g」 on a card beside 「79g」 in the reply and 「189.8–224.2 g」 in one panel
beside 「190–224 g」 in another. The rules:

* the number and its unit touch, as Korean writes them (「79g」, 「238kcal」);
* energy (kcal) and sodium (mg) are whole numbers: a tenth of a kcal or a mg means nothing on a plate;
* grams keep one decimal where there is one (「12.5g」), none where it is zero (「79g」, not 「79.0g」);
* thousands are separated (「1,800kcal」);
* a range — a target band — is whole numbers at both ends (「190–224g」): it is an estimate to land in,
  and decimals would claim a precision the equations behind it do not have.

The browser has the same rules in ``web/static/app.js`` (``amount``, ``amountNumber``, ``amountRange``);
a browser test (``tests/e2e/test_reading.py``) checks the two agree on a table of values. Every card and
chart, the weekly report's sentences, a plan's shared text and .ics file, the chat's plan lines, day
totals and yes/no verdicts, the LLM's facts and ``mechuri targets`` use these and nothing else (not yet
the instruction dataset's synthetic texts, ``data/synthesize.amount``: 「2392mg」, without the separator;
changing it changes the published dataset).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Final

WHOLE_UNITS: Final = frozenset({"kcal", "mg"})
"""Units written as whole numbers; every other unit keeps one decimal where it has one."""


def number(value: float, decimals: int = 1) -> str:
    """``value`` rounded to ``decimals`` places, without trailing zeros, thousands separated:
    ``number(21.5)`` → 「21.5」, ``number(30.0)`` → 「30」, ``number(2392)`` → 「2,392」.

    Halves round away from zero on the number's shortest decimal form (``repr``: 2392.5 → 「2,393」,
    0.15 → 「0.2」), which is what the browser's ``Intl.NumberFormat`` does; Python's ``round`` would round
    halves to even and on the binary value, and the page and the reply would differ by one at a tie."""
    exact = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{exact:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def amount_number(value: float, unit: str) -> str:
    """The number ``amount`` writes, without its unit: for a table column whose heading names the unit."""
    return number(value, 0 if unit in WHOLE_UNITS else 1)


def amount(value: float, unit: str) -> str:
    """One amount with its unit: 「12.5g」, 「79g」, 「1,800kcal」, 「2,392mg」."""
    return f"{amount_number(value, unit)}{unit}"


def band_end(value: float, unit: str) -> str:
    """One end of a target band on its own (「하루 기준(224g)」): whole, as ``amount_range`` writes both ends,
    so a line quoted in a sentence is the number the chart beside it shows."""
    return f"{number(value, 0)}{unit}"


def amount_range(low: float, high: float, unit: str) -> str:
    """A target band, whole numbers at both ends: 「190–224g」; one number when both ends round alike."""
    lo, hi = number(low, 0), number(high, 0)
    return f"{lo}{unit}" if lo == hi else f"{lo}–{hi}{unit}"
