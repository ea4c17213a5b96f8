"""Read one printed value: counts, signed deltas, money with units, placeholders."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ._atoms import BLANK, NUM, PLACEHOLDER, Atom


class ValueProblem(ValueError):
    """A printed value that is not a number of the expected kind."""


def value_of(atom: Atom, kind: str = "count", unit: str | None = None) -> float | None:
    """The number an atom stands for; ``None`` for a blank or a placeholder (not reported).

    Money is converted to the column's unit (万元 for the 2021 fee column); a value
    printed with 元 under a 万元 header is divided by 10,000.
    """
    if atom.kind in (BLANK, PLACEHOLDER):
        return None
    if atom.kind != NUM:
        raise ValueProblem(f"{atom.raw!r} is not a number")
    text = atom.text.replace(",", "").replace("，", "")
    sign = 1
    if text.startswith("增加"):
        text = text[2:]
    elif text.startswith("减少"):
        text, sign = text[2:], -1
    try:
        number = Decimal(text) * sign
    except InvalidOperation:
        raise ValueProblem(f"{atom.raw!r} is not a number") from None
    if kind == "money" and unit == "万元" and atom.unit == "元":
        number = number / Decimal(10000)
    return float(number)


def is_plain_digits(atom: Atom) -> bool:
    return atom.kind == NUM and re.fullmatch(r"\d+", atom.text) is not None and not atom.unit
