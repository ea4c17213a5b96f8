"""How a printed number relates to the value the identities call for.

Fellegi–Holt localisation says *which* cells to change; these helpers say whether the
change looks like a slip people make — two digits swapped, a digit dropped or doubled,
one digit wrong, a neighbour's value copied, a total left at 0 — so that the message can
name it (as a question: it is a plausible story, never a certainty).
"""
from __future__ import annotations

STORIES: dict[str, tuple[str, str]] = {
    "transposed": ("疑为数字颠倒", "transposed digits?"),
    "dropped_digit": ("疑为漏打一位数字", "a dropped digit?"),
    "doubled_digit": ("疑为重复打了一位数字", "a doubled digit?"),
    "extra_digit": ("疑为多打一位数字", "an extra digit?"),
    "wrong_digit": ("疑为一位数字打错", "one wrong digit?"),
    "sign": ("疑为多了负号", "a stray minus sign?"),
    "blank_total": ("疑为合计栏漏填（印为 0）", "a total left unfilled (printed 0)?"),
    "neighbour": ("疑为填入了相邻格的数值", "the neighbouring cell's value?"),
    "swapped": ("疑为相邻两格数值互换", "two neighbouring cells swapped?"),
    "shift_row": ("疑为整行数值错位一格", "the row shifted by one cell?"),
    "shift_column": ("疑为整列数值错位一格", "the column shifted by one cell?"),
}

# How telling each story is. Structural slips (two digits swapped, one dropped or doubled,
# a sign) rarely happen by chance; "one digit differs" fits almost any small change
# (0 → 9), so it only breaks ties and never makes one explanation preferred on its own.
STRENGTH: dict[str, int] = {
    "transposed": 3, "dropped_digit": 3, "doubled_digit": 3, "sign": 3,
    "swapped": 3, "shift_row": 3, "shift_column": 3,
    "extra_digit": 2, "neighbour": 2, "blank_total": 2,
    "wrong_digit": 1,
}
STRONG = 2  # every change of a preferred explanation has a story at least this telling


def _digits(x: float) -> str | None:
    if x is None or x < 0 or not float(x).is_integer():
        return None
    return str(int(x))


def _one_deleted(longer: str, shorter: str) -> int | None:
    """The index whose deletion turns ``longer`` into ``shorter``, if any (first one)."""
    if len(longer) != len(shorter) + 1:
        return None
    for i in range(len(longer)):
        if longer[:i] + longer[i + 1:] == shorter:
            return i
    return None


def digit_story(printed: float, value: float) -> str | None:
    """The digit slip that turns ``value`` into ``printed``, or None."""
    if printed < 0 and value == -printed:
        return "sign"
    p, v = _digits(printed), _digits(value)
    if p is None or v is None or p == v:
        return None
    if len(p) == len(v):
        diff = [i for i in range(len(p)) if p[i] != v[i]]
        if len(diff) == 2 and diff[1] == diff[0] + 1 and p[diff[0]] == v[diff[1]] and p[diff[1]] == v[diff[0]]:
            return "transposed"
        if len(diff) == 1:
            return "wrong_digit"
        return None
    if _one_deleted(v, p) is not None:
        return "dropped_digit"
    i = _one_deleted(p, v)
    if i is not None:
        doubled = (i > 0 and p[i - 1] == p[i]) or (i + 1 < len(p) and p[i + 1] == p[i])
        return "doubled_digit" if doubled else "extra_digit"
    return None


def story(printed: float, value: float | None, *, is_total: bool, neighbours: tuple[float, ...]) -> str | None:
    """The most specific story for one changed cell.

    Structural digit slips first; then a neighbour's (non-zero) value, which is more
    telling than "one digit differs" — any two one-digit numbers differ in one digit.
    """
    if value is None or printed == value:
        return None
    found = digit_story(printed, value)
    if found and found != "wrong_digit":
        return found
    # A copied zero is no evidence: zeros are everywhere in these tables.
    if printed != 0 and printed in neighbours:
        return "neighbour"
    if found:
        return found
    if is_total and printed == 0 and value > 0:
        return "blank_total"
    return None


def label(name: str | None, lang: str) -> str:
    if not name:
        return ""
    zh, en = STORIES[name]
    return zh if lang == "zh" else en
