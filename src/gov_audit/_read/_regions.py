"""The atom stream as the locator sees it: runs of labels, printed rows of values.

Helpers of ``_locate``, kept apart so that each module stays small: label groups (the
text a row label is searched in), the value chunks of a region (one per printed row),
and how a region is shared among rows whose labels were lost.
"""
from __future__ import annotations

from dataclasses import dataclass

from ._atoms import BLANK, LABEL, NUM, PLACEHOLDER, TEXT, Atom, Group

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
