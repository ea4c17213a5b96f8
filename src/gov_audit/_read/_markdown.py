"""Markdown, mostly made from PDFs by converters, OCR or language models.

Pipe-table rows give one piece per cell (an empty cell is a blank cell); separator
rows are dropped; every other line is one piece, with its heading marks, emphasis and
bullets removed. What the conversion breaks is handled here or left to the locator:

* page footers (``— 4 —``, ``第 4 页``) land between and inside tables: dropped;
* a header row made of words (``| 类别 | 数据1 | … | 总计 |``, placeholder headers a
  converter invented) is label text, never values — but a "header" row that holds
  numbers is data: converters make the first row of every table its header, even
  where a table was cut in the middle (``| 1.属于国家秘密 | 4 | 0 | … |``);
* labels broken over lines or cells (``商业企`` / ``业``) and rows whose label was
  lost are left to the locator, which sees the same atoms as for every other form;
* ``<br>`` inside a cell joins the words around it but keeps numbers apart.
"""
from __future__ import annotations

import re

from ._atoms import Piece
from ._html import join_lines
from ._numbers import looks_like_value

_FOOTER = re.compile(r"^[\s_=~·•]*(?:[—–－\-]{1,2}\s*\d{1,4}\s*[—–－\-]{1,2}|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
                     r"|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)[\s_=~·•]*$", re.I)
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{1,}:?\s*(?:\|\s*:?-{1,}:?\s*)*\|?\s*$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_QUOTE = re.compile(r"^\s*(?:>\s*)+")
_BULLET = re.compile(r"^\s*[-*+]\s+(?=\D)")
_EMPHASIS = re.compile(r"(\*\*|__|`+|~~)")
_BREAK = re.compile(r"<br\s*/?>", re.I)
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")
_CELL_BAR = re.compile(r"(?<!\\)\|")
# What any markdown syntax _inline removes starts with: text without these is plain text.
_SYNTAX = re.compile(r"[<*_`~\\&]")


def is_footer(text: str) -> bool:
    """A page number printed by the PDF the markdown came from (``— 4 —``, ``第 4 页 共 9 页``)."""
    return bool(_FOOTER.match(text.strip())) if text.strip() else False


def is_pipe_row(line: str) -> bool:
    s = line.strip()
    return s.startswith("|") and s.count("|") >= 2


def cells_of(line: str) -> list[str]:
    """The cells of one pipe-table row (``\\|`` is a literal bar inside a cell)."""
    s = line.strip()
    s = s[1:] if s.startswith("|") else s
    s = s[:-1] if s.endswith("|") and not s.endswith("\\|") else s
    if "\\" not in s:  # no escaped bar: every bar separates cells
        return s.split("|")
    return [c.replace("\\|", "|") for c in _CELL_BAR.split(s)]


def _inline(text: str) -> str:
    """Text without markdown syntax; ``<br>`` joins words but keeps numbers apart."""
    if not _SYNTAX.search(text):  # the usual cell: no tag, break, emphasis, escape or entity
        return text.strip()
    parts = [_TAG.sub("", p).strip() for p in _BREAK.split(text)]
    out = _EMPHASIS.sub("", join_lines([p for p in parts if p]))
    return _ESCAPE.sub(r"\1", out).replace("&nbsp;", " ").strip()


def _is_word_header(cells: list[str]) -> bool:
    """A header row of words: no cell after the first is a value (a number or a placeholder)."""
    texts = [_inline(c) for c in cells]
    body = [t for t in texts[1:] if t]
    return bool([t for t in texts if t]) and not any(looks_like_value(t) for t in body)


def markdown_pieces(text: str) -> list[Piece]:
    """The pieces of a markdown document in reading order."""
    pieces: list[Piece] = []
    lines = text.splitlines()
    for n, line in enumerate(lines, 1):
        if not line.strip() or is_footer(line):
            continue
        if is_pipe_row(line):
            if _SEPARATOR.match(line):
                continue
            cells = cells_of(line)
            following = lines[n] if n < len(lines) else ""
            header = bool(_SEPARATOR.match(following)) and _is_word_header(cells)
            where = f"line {n}"
            for k, cell in enumerate(cells, 1):
                value = _inline(cell)
                if not value.isdecimal() and is_footer(value):  # (a bare number is never a footer)
                    continue
                pieces.append(Piece(value, f"{where}, cell {k}", True, header, where))
            continue
        plain = _inline(_BULLET.sub("", _QUOTE.sub("", _HEADING.sub("", line))))
        if plain:
            pieces.append(Piece(plain, f"line {n}", row=f"line {n}"))
    return pieces
