"""A ``-`` printed between two digits with no space (``5-233``): a placeholder, or a minus sign?

In a row whose cells ran together the dash may be a blank cell (``5|-|233``) or the sign
of the next number (``5|-2|33``, in a signed column such as table 2's net change). The
locator asks ``glued_dash`` when a row holds such a dash; it tries every reading and says
which fits the row's identity.
"""
from __future__ import annotations

import itertools

from .._template import Template
from ._atoms import GLUED, NUM, Atom
from ._numbers import is_plain_digits
from ._split import Decision, cuts_of, row_test


def glued_dash(template: Template, table: str, row: str, codes: list[str], vals: list[Atom],
               layout: list[str]) -> Decision | None:
    """A row holding a ``-`` glued between two digits (``5-233``): placeholder or minus sign?

    Every reading is tried — each such dash a placeholder cell or the sign of the
    number after it, a run of digits cut under the row identity — and kept where only
    signed columns are negative. When the sign reading is the only fit the row is
    recorded as inferred; when several fit, as ambiguous (not reported). None (read the
    row as usual) when the dash can only be a placeholder.
    """
    dashes = [k for k, a in enumerate(vals) if a.unit == GLUED]
    if len(dashes) > 3 or not all(a.kind != NUM or is_plain_digits(a) for a in vals):
        return None
    spec = template.cells
    cols = list(template.tables[table].row_columns[row])
    signed = {i for i, c in enumerate(layout) if c in cols and spec[codes[cols.index(c)]].kind == "signed_count"}
    test = row_test(template, table, layout)
    options: set[tuple] = set()
    for signs in itertools.product((False, True), repeat=len(dashes)):
        items: list[tuple[str, bool] | None] = []  # (digits, negative) or None for a placeholder
        k = 0
        while k < len(vals):
            a = vals[k]
            if k in dashes and signs[dashes.index(k)]:
                items.append((vals[k + 1].text, True))
                k += 2
                continue
            items.append((a.text, False) if a.kind == NUM else None)
            k += 1
        if len(items) == len(layout):
            found = [tuple(None if it is None else (-1 if it[1] else 1) * int(it[0]) for it in items)]
        elif len(items) < len(layout) and None not in items:
            found = _signed_cuts(items, len(layout))
        else:
            continue
        for v in found:
            if all(x is None or x >= 0 or i in signed for i, x in enumerate(v)) and (
                    None in v or test(v)):
                options.add(tuple(v[layout.index(c)] for c in cols))
    if not options or all(None in o for o in options) and len(options) == 1:
        return None
    opts = sorted(options, key=lambda o: tuple((x is None, x or 0) for x in o))
    if len(opts) == 1:
        return Decision(row, codes, vals, opts[0], opts, "inferred")
    shown = [tuple("-" if x is None else x for x in o) for o in opts]
    return Decision(row, codes, vals, None, shown, "ambiguous")


def _signed_cuts(items: list[tuple[str, bool]], n: int) -> list[tuple[int, ...]]:
    """Every cut of digit runs (each maybe signed: the sign goes to its first number) into ``n`` numbers."""
    out = []
    for counts, combo in cuts_of([d for d, _ in items], n):
        values = []
        for (_, negative), part in zip(items, combo):
            values.append(-part[0] if negative else part[0])
            values.extend(part[1:])
        out.append(tuple(values))
    return out
