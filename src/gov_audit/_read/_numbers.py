"""Read one printed value: counts, signed deltas, money with units, placeholders."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from ._atoms import BLANK, NUM, PLACEHOLDER, UNITS, Atom, prepare, tokenize

# How many of the column's unit one printed unit is worth (money columns only).
_MONEY = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}
# Every unit the tokenizer knows that is neither money nor a percentage counts things.
_COUNT_UNITS = {""} | {u for u in UNITS if u not in _MONEY and u != "%"}


class ValueProblem(ValueError):
    """A printed value that is not a number of the expected kind."""


def value_of(atom: Atom, kind: str = "count", unit: str | None = None) -> float | None:
    """The number an atom stands for; ``None`` for a blank or a placeholder (not reported).

    Money is converted to the column's unit when both are known (``251000元`` under a
    万元 header is 25.1); with no unit in the header the value is kept as printed.
    A signed count accepts ``+4``, ``-2``, ``增加4``, ``减少2``; a count does not take a
    percentage or a money unit.
    """
    if atom.kind in (BLANK, PLACEHOLDER):
        return None
    if atom.kind != NUM:
        raise ValueProblem(f"{atom.raw!r} is not a number")
    if not atom.unit and len(atom.text) <= 15 and atom.text.isascii() and atom.text.isdigit():
        # The usual cell, a plain count: exact as an int and as a float, so no Decimal is needed.
        return float(int(atom.text))
    text, sign = atom.text.replace(",", ""), 1
    for word, s in (("增加", 1), ("减少", -1), ("增", 1), ("减", -1)):
        if text.startswith(word):
            text, sign = text[len(word):].strip(), s
            break
    try:
        number = Decimal(text) * sign
    except InvalidOperation:
        raise ValueProblem(f"{atom.raw!r} is not a number") from None
    if kind == "money":
        if atom.unit and atom.unit not in _MONEY:
            raise ValueProblem(f"{atom.raw!r} is not an amount of money")
        if atom.unit and unit in _MONEY:
            number = number * _MONEY[atom.unit] / _MONEY[unit]
    elif atom.unit not in _COUNT_UNITS:
        raise ValueProblem(f"{atom.raw!r} is not a count")
    return float(number)


def is_plain_digits(atom: Atom) -> bool:
    """A bare run of digits: the only kind of atom that may be several cells run together."""
    return atom.kind == NUM and atom.text.isdecimal() and not atom.unit  # isdecimal() is exactly \d+


def looks_like_value(text: str) -> bool:
    """Whether the whole text of a cell is one value or placeholder (``12``, ``+4``, ``/``, ``3.5万元``)."""
    atoms = tokenize(prepare(text), "")
    return len(atoms) == 1 and atoms[0].kind in (NUM, PLACEHOLDER)
