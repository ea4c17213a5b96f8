"""The atom stream as the locator sees it: runs of labels, printed rows of values.

Helpers of ``_locate``, kept apart so that each module stays small: label groups (the
text a row label is searched in), the value chunks of a region (one per printed row),
and how a region is shared among rows whose labels were lost.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, NamedTuple

from ._atoms import BLANK, LABEL, NUM, PLACEHOLDER, TEXT, Atom, Group, normalise

VALUE_KINDS = (NUM, PLACEHOLDER, BLANK, TEXT)


@dataclass
class Chunk:
    """The values of one printed row inside a region, and the label text printed before them."""

    label: str
    atoms: list[Atom]


def label_groups(atoms: list[Atom]) -> list[Group]:
    """Each maximal run of label atoms, with its joined text (``atomise_indexed`` finds the same on the way)."""
    groups: list[Group] = []
    start, texts = -1, []
    for i, a in enumerate(atoms):
        if a.kind == LABEL:
            if start < 0:
                start, texts = i, [a.text]
            else:
                texts.append(a.text)
        elif start >= 0:
            groups.append(Group(start, i, "".join(texts)))
            start = -1
    if start >= 0:
        groups.append(Group(start, len(atoms), "".join(texts)))
    return groups


def find_label(groups: list[Group], spellings: list[str], start: int, stop: int | None = None,
          skip: set[int] = frozenset()) -> int | None:
    """Index of the first group at or after ``start`` whose text holds a spelling (full label first)."""
    stop = len(groups) if stop is None else stop
    for spelling in spellings:
        for g in range(start, stop):
            if g not in skip and spelling in groups[g].text:
                return g
    return None


def values_in(atoms: list[Atom], start: int, stop: int) -> list[Atom]:
    return [a for a in atoms[start:stop] if a.kind in VALUE_KINDS]


def chunks_of(atoms: list[Atom], start: int, stop: int) -> list[Chunk]:
    """The values of a region cut into printed rows: a new chunk at a label or a new table row/line."""
    chunks: list[Chunk] = []
    label: list[str] = []
    for a in atoms[start:stop]:
        if a.kind == LABEL:
            label.append(a.text)
        elif a.kind in VALUE_KINDS:
            if chunks and not label and chunks[-1].atoms[-1].row == a.row:
                chunks[-1].atoms.append(a)
            else:
                chunks.append(Chunk("".join(label), [a]))
                label = []
    return chunks


def share_region(chunks: list[Chunk], rows: list[str], width: dict[str, int]) -> list[list[Atom]] | None:
    """Share a region among a found row and the rows after it that were not found.

    One printed row each, in order, when the region holds exactly that many (blank
    cells beyond a row's width — an emptied label cell, a shifted row's trailing cell —
    are dropped); else, when every value is its own atom and their number is exactly
    the rows' total width, by count. Otherwise ``None``: nothing is guessed.
    """
    if len(chunks) == len(rows):
        fitted = [_fit(c.atoms, width[r]) for c, r in zip(chunks, rows)]
        if all(f is not None for f in fitted):
            return fitted
    flat = [a for c in chunks for a in c.atoms]
    if len(flat) == sum(width[r] for r in rows) and len(chunks) > 1:
        out, k = [], 0
        for r in rows:
            out.append(flat[k:k + width[r]])
            k += width[r]
        return out
    return None


def _fit(atoms: list[Atom], width: int) -> list[Atom] | None:
    """A printed row's values without the blank cells beyond its width (trailing first)."""
    atoms = list(atoms)
    while len(atoms) > width and atoms[-1].kind == BLANK:
        atoms.pop()
    while len(atoms) > width and atoms[0].kind == BLANK:
        atoms.pop(0)
    return atoms if len(atoms) == width else None


# -- more values than columns ---------------------------------------------------------------
#
# A row's region may hold more value atoms than its printed columns. Some of them are
# known not to be values (a footnote mark in a label cell, the empty or numbered heading
# cells of a later row); a table cell that yields several atoms is one position whose
# content is not a number. What is left over after that is explained only where every
# explanation gives the same values (an unmerged label's empty cells, an empty extra
# column, the copies a merged cell leaves in markdown); otherwise the caller reports the
# row as unreadable. Nothing is ever dropped silently just because it does not fit.


class RowContext(NamedTuple):
    """What the surplus steps need to know of a row's cells (built only for a row with surplus)."""

    label_wheres: frozenset   # cells holding a row label or table-4 header: numbers there are marks
    label_row: str | None     # the printed row of the row's label (table cells only)
    heading: frozenset        # value cells printed before a later label, in another printed row
    region: tuple             # every atom of the row's region (labels too): each cell's content


def row_context(atoms: list[Atom], label_start: int, start: int, stop: int, label_row: str | None = None
                ) -> RowContext:
    """The context of the region ``atoms[start:stop]``; ``atoms[label_start:start]`` are its row label (or header).

    Label cells are the cells of those atoms, later cells printing the same label again
    (markdown repeats a merged label in every column it spans), and the cell of the label
    that ends the region (``atoms[stop]``): a mark printed before a row label falls in the
    region of the row above.
    """
    # Atom fields by index (kind 0, text 1, where 3, row 5, cell 6): this runs for many rows of some forms
    wheres: set[str] = set()
    texts: set[str] = set()
    for a in atoms[label_start:start]:
        if a[6]:
            wheres.add(a[3])
            texts.add(a[1])
    end = stop
    if stop < len(atoms) and atoms[stop][0] == LABEL:
        end = stop + 1
        if atoms[stop][6]:
            wheres.add(atoms[stop][3])
    region = tuple(atoms[start:end])
    last_label: dict[str, int] = {}
    for i, a in enumerate(region):
        if a[0] == LABEL and a[6]:
            last_label[a[5]] = i
            if a[1] in texts:
                wheres.add(a[3])
    heading: set[str] = set()
    if last_label:
        for i, a in enumerate(region):
            if a[6] and a[0] != LABEL and a[5] != label_row and last_label.get(a[5], -1) > i:
                heading.add(a[3])
    return RowContext(frozenset(wheres), label_row, frozenset(heading), region)


def drop_non_values(vals: list[Atom], width: int, ctx: RowContext) -> list[Atom]:
    """``vals`` without the atoms that are known not to be values, when there are more than ``width``.

    * a number in the same table cell as a row label (or a table-4 header) is a footnote
      or reference mark (``一、本年新收…<sup>1</sup>``, ``①``, ``（注1）``) — unless the
      label cell holds more numbers than the row has to spare (a whole row printed in one cell);
    * trailing cells printed in another table row, before a label of that row, are a
      later row's heading cells (the empty cells under a merged heading, an ordinal ``2``);
    * trailing cells printed in later table rows, when the label's own table row holds at
      least ``width`` values, are values of later rows whose labels were lost.
    """
    surplus = len(vals) - width
    if surplus <= 0:
        return vals
    label_wheres = ctx.label_wheres
    if label_wheres:
        marks = [a for a in vals if a[6] and a[3] in label_wheres]  # (cell, where)
        if 0 < len(marks) <= surplus:
            vals = [a for a in vals if not (a[6] and a[3] in label_wheres)]
    if ctx.heading:
        n = len(vals)
        while n > width and vals[n - 1].cell and vals[n - 1].where in ctx.heading:
            n -= 1
        vals = vals[:n]
    if ctx.label_row is not None and len(vals) > width:
        # cells in later printed rows are later rows' (rows whose label was lost and could not
        # be placed), once the label's own printed row holds enough values
        n = len(vals)
        while n > 0 and vals[n - 1].cell and vals[n - 1].row != ctx.label_row:
            n -= 1
        if width <= n < len(vals) and vals[n - 1].row == ctx.label_row:
            vals = vals[:n]
    return vals


def fit_surplus(vals: list[Atom], width: int, ctx: RowContext, widest: int = 0,
                plausible: Callable[[list[Atom]], bool | None] | None = None,
                copies: Callable[[], bool] | None = None) -> list[Atom]:
    """``vals`` fitted to ``width`` where the surplus can be told apart; else as long as it is (or shorter).

    A table cell that yields several atoms (``7 1``, ``71<br>2``, ``71*``, ``71（含5件）``) is
    one position whose content is not a number: it becomes one ``TEXT`` atom (read as not
    reported, with a finding). Then, where values are still left over:

    * where ``copies()`` (the document repeats a merged cell in every column it spans, as
      markdown does), in a row narrower than the ``widest`` row of its table, copies of
      the cell before at the end of the row are that cell's;
    * when all the values read the same, any ``width`` of them give the same cells;
    * the empty cells right after the label in its printed row, exactly as many as the
      surplus, are the pieces of an unmerged label cell;
    * empty cells at the end of the row are an empty extra column.

    The last two look just like an extra value cell in a row whose first (or last) value
    is blank, so each is used only where the row's identities (``plausible``) can be
    checked on the values left, and hold; when both apply they must give the same
    values. None is tried after a cell was made one position: two defects in one row
    are not guessed at.
    """
    if len(vals) <= width:
        return vals
    vals, collapsed = _one_per_cell(vals, ctx)
    if len(vals) <= width or collapsed:
        return vals
    if len(vals) <= widest and copies_previous(vals, len(vals) - 1) and copies is not None and copies():
        n = len(vals)
        while n > width and copies_previous(vals, n - 1):
            n -= 1
        vals = vals[:n]
        if n == width:
            return vals
    keys = [_key(a) for a in vals]
    if all(k == keys[0] for k in keys):
        return vals[:width]
    surplus = len(vals) - width
    readings = []
    lead = 0
    if ctx.label_row is not None:
        while lead < len(vals) and vals[lead].kind == BLANK and vals[lead].cell and vals[lead].row == ctx.label_row:
            lead += 1
    if lead == surplus:
        fitted = vals[lead:]
        if plausible is not None and plausible(fitted) is True:
            readings.append(fitted)
    if all(a.cell and a.kind == BLANK for a in vals[width:]):
        fitted = vals[:width]
        if plausible is not None and plausible(fitted) is True:
            readings.append(fitted)
    if not readings or len({tuple(map(_key, r)) for r in readings}) > 1:
        return vals
    return readings[0]


def _key(a: Atom):
    """What a value atom reads as, for comparing readings: blanks and placeholders alike."""
    if a.kind == BLANK or a.kind == PLACEHOLDER:
        return None
    if a.kind == NUM:
        return (a.text, a.unit)
    return a  # words: equal only to themselves


def copies_previous(vals: list[Atom], i: int) -> bool:
    """Whether the cell ``vals[i]`` prints the same as the cell before it, in the same printed row."""
    a, b = vals[i], vals[i - 1] if i > 0 else None
    return (b is not None and a.cell and b.cell and b.row == a.row and b.where != a.where
            and a.kind == b.kind and a.text == b.text and a.unit == b.unit)


def _one_per_cell(vals: list[Atom], ctx: RowContext) -> tuple[list[Atom], bool]:
    """Each table cell that yields several atoms made one ``TEXT`` atom holding its printed text."""
    count: dict[str, int] = {}
    for a in ctx.region:
        if a.cell:
            count[a.where] = count.get(a.where, 0) + 1
    out: list[Atom] = []
    collapsed = False
    for a in vals:
        if not a.cell or count.get(a.where, 0) < 2:
            out.append(a)
            continue
        if out and out[-1].kind == TEXT and out[-1].where == a.where and out[-1].cell:
            continue  # the rest of a cell already made one
        parts: list[str] = []
        prev = None
        for b in ctx.region:
            if b.cell and b.where == a.where:
                if prev is not None and prev != LABEL and b.kind != LABEL:
                    parts.append(" ")
                parts.append(b.raw)
                prev = b.kind
        raw = "".join(parts).strip()
        out.append(Atom(TEXT, normalise(raw), raw, a.where, "", a.row, True))
        collapsed = True
    return out, collapsed
