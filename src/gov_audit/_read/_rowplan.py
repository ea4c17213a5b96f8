"""What reading one template table needs, worked out once per template: its rows' cell codes,
printed labels and their normalised spellings, and whether a row has every column."""
from __future__ import annotations

from typing import NamedTuple

from .._template import Template
from ._atoms import spellings_of
from ._memo import per_object



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
    """The rows of a table with their cell codes, worked out once per template."""
    return per_object(_PLANS, template, (id(template), table), lambda: _plan(template, table))


def _plan(template: Template, table: str) -> tuple[Row, ...]:
    t = template.tables[table]
    return tuple(Row(r, [f"{table}.{r}.{c}" for c in t.row_columns[r]], t.rows[r].label,
                     tuple(t.row_columns[r]), tuple(t.row_columns[r]) == tuple(t.columns),
                     spellings_of(t.rows[r]))
                 for r in t.rows)


_TABLE_CODES: dict[tuple[int, str], tuple[Template, tuple[str, ...]]] = {}


def table_codes(template: Template, table: str) -> tuple[str, ...]:
    """Every cell code of one table, in template order (worked out once per template)."""
    return per_object(_TABLE_CODES, template, (id(template), table),
                      lambda: tuple(c for row in row_plan(template, table) for c in row.codes))
