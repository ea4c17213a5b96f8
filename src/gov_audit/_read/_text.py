"""Plain text: pasted from a web page or a PDF, one cell per line or cells on a line.

Each line becomes one piece; tabs and runs of two or more spaces separate cells on a
line. Single spaces are left to the tokenizer (they separate numbers, not labels).
"""
from __future__ import annotations

import re

from ._atoms import Piece


CELL_BREAK = re.compile(r"\t|\s{2,}|\u3000")


def text_pieces(text: str) -> list[Piece]:
    pieces = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line or line.isspace():  # no cell in it (the test below, without the split)
            continue
        where = f"line {n}"
        for cell in CELL_BREAK.split(line):
            if cell.strip():
                pieces.append(Piece(cell, where))
    return pieces
