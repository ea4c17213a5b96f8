"""What reading one template table needs, worked out once per template: its rows' cell codes,
printed labels and their normalised spellings, and whether a row has every column."""
from __future__ import annotations

from typing import NamedTuple

from .._template import Template
from ._atoms import spellings_of



class Row(NamedTuple):
    """What reading one template row needs, worked out once per template."""

    name: str
    codes: list[str]
    label: str
    columns: tuple[str, ...]
    full: bool  # the row has a cell in every column of its table, in the table's column order
    spellings: tuple[str, ...]  # its label's normalised spellings (``spellings_of``)


_PLANS: dict[tuple[int, str], tuple[Template, tuple[Row, ...]]] = {}


def row_plan(template: Template, table: str) -> tuple[Row, ...]:
    """The rows of a table with their cell codes (the entry keeps ``template`` alive, so its id is not reused)."""
    found = _PLANS.get((id(template), table))
    if found is None or found[0] is not template:
        t = template.tables[table]
        rows = tuple(Row(r, [f"{table}.{r}.{c}" for c in t.row_columns[r]], t.rows[r].label,
                          tuple(t.row_columns[r]), tuple(t.row_columns[r]) == tuple(t.columns),
                          spellings_of(t.rows[r]))
                     for r in t.rows)
        found = _PLANS[(id(template), table)] = (template, rows)
    return found[1]


_TABLE_CODES: dict[tuple[int, str], tuple[Template, tuple[str, ...]]] = {}


def table_codes(template: Template, table: str) -> tuple[str, ...]:
    """Every cell code of one table, in template order (worked out once per template; the entry keeps it alive)."""
    found = _TABLE_CODES.get((id(template), table))
    if found is None or found[0] is not template:
        found = _TABLE_CODES[(id(template), table)] = (template, tuple(c for row in row_plan(template, table)
                                                                         for c in row.codes))
    return found[1]
