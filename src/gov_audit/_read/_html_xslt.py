"""The HTML reading done in C: an XSLT stylesheet marks up the page's text, Python splits it.

``_html`` defines what a page reads as (its reference walker is the contract); this module
gets the same pieces without a Python step per element (the walk cost up to three times the
parse; most of what is left is building the pieces):

* libxslt walks the document once and writes one string: the text of blocks outside data
  tables, and for each data table its captions, rows and cells (span attributes first),
  with marks between them. A mark is U+FDD0 (a noncharacter, never in real text) and a
  letter saying what it separates;
* Python cleans white space in one pass over the string, drops the line breaks that
  cannot matter with ``str.replace``, splits the string with ``str.split`` and places the
  cells on the grid: a row with a span or under a rowspan, and a cell of several lines,
  take a short loop; the usual row is a few calls that run in C.

``fits`` says when the marks cannot be confused with the page's own text and the element
names mean to the stylesheet what they mean to the walker; a page that does not fit is
walked in Python.
"""
from __future__ import annotations

import re
import threading
from functools import partial
from itertools import accumulate, repeat

from lxml import etree

from ._atoms import Piece
from ._html import _BLOCKS, _DROP, _SPACE, _span, join_lines

_MARK = "\ufdd0"
_FLOW_BREAK, _CELL_BREAK, _TABLE, _CAPTION, _ROW, _CELL, _SPAN = (_MARK + c for c in "bktcrds")


def _names(names) -> str:
    return "|".join(sorted(names))


# Python's str.lower() turns the Kelvin sign (U+212A) into "k", so the walker reads
# <lin\u212a> as <link> (the parser lower-cases ASCII only): the stylesheet names those
# spellings too. (No name that matters has two k's.)
_KELVIN = {name.replace("k", "\u212a") for name in _DROP | _BLOCKS if "k" in name}
_DROPPED = _names(_DROP | {n for n in _KELVIN if n.replace("\u212a", "k") in _DROP})
_BLOCK_NAMES = _names(_BLOCKS | {n for n in _KELVIN if n.replace("\u212a", "k") in _BLOCKS})

_STYLESHEET = f"""\
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="/">
  <xsl:choose>
    <xsl:when test="/*/body"><xsl:apply-templates select="/*/body[1]"/></xsl:when>
    <xsl:otherwise><xsl:apply-templates select="/*"/></xsl:otherwise>
  </xsl:choose>
</xsl:template>
<xsl:template match="{_DROPPED}"/>
<xsl:template match="{_BLOCK_NAMES}">{_FLOW_BREAK}<xsl:apply-templates/>{_FLOW_BREAK}</xsl:template>
<xsl:template match="table[not(.//table)]">{_TABLE}<xsl:for-each
    select=".//caption">{_CAPTION}<xsl:value-of select="."/></xsl:for-each><xsl:for-each
    select=".//tr">{_ROW}<xsl:apply-templates mode="row"/></xsl:for-each>{_TABLE}</xsl:template>
<xsl:template match="node()" mode="row"/>
<xsl:template match="td|th" mode="row">{_CELL}<xsl:apply-templates mode="cell"/></xsl:template>
<xsl:template match="td[@rowspan]|td[@colspan]|th[@rowspan]|th[@colspan]" mode="row">{_CELL}{_SPAN}<xsl:value-of
    select="@rowspan"/>{_SPAN}<xsl:value-of select="@colspan"/>{_SPAN}<xsl:apply-templates mode="cell"/></xsl:template>
<xsl:template match="{_DROPPED}" mode="cell"/>
<xsl:template match="{_BLOCK_NAMES}" mode="cell">{_CELL_BREAK}<xsl:apply-templates mode="cell"/>{_CELL_BREAK}</xsl:template>
</xsl:stylesheet>"""

_LOCAL = threading.local()  # one compiled stylesheet per thread, like the parser

# Pages the stylesheet would misread: ones holding the mark (as UTF-8 or a character
# reference, in text or in a span attribute), and tags whose name has a "}" before a name
# that matters, which the walker reads as that name (its ``_tag`` drops a "{namespace}").
# Both are so rare that looking for them loosely is enough: a false alarm costs only speed.
_MARK_UTF8 = _MARK.encode()
_MARK_REFERENCE = re.compile(rb"&#(?:0*64976|[xX]0*[fF][dD][dD]0)")
_BRACED_NAME = re.compile(rb"\}(?:" + "|".join(sorted(_DROP | _BLOCKS | _KELVIN)).encode() + rb")(?=[\t\n\f\r />]|$)", re.I)


def fits(data: bytes) -> bool:
    """Whether the stylesheet reads the page (UTF-8 bytes as parsed) exactly as the walker does."""
    return not (_MARK_UTF8 in data or _MARK_REFERENCE.search(data) or _BRACED_NAME.search(data))


def _normalise(out: str) -> str:
    """White space as ``_clean`` leaves it (runs become one space; ends are stripped later,
    piece by piece), and the line breaks of a cell that change none of its lines dropped:
    doubled ones, those at the cell's edges and the spaces beside them."""
    out = _SPACE.sub(" ", out)
    if _CELL_BREAK in out:
        out = out.replace(" " + _CELL_BREAK, _CELL_BREAK).replace(_CELL_BREAK + " ", _CELL_BREAK)
        while _CELL_BREAK + _CELL_BREAK in out:
            out = out.replace(_CELL_BREAK + _CELL_BREAK, _CELL_BREAK)
        for mark in (_CELL, _SPAN):
            out = out.replace(mark + _CELL_BREAK, mark)
        for mark in (_CELL, _ROW, _TABLE):
            out = out.replace(_CELL_BREAK + mark, mark)
    return out


def _cell_lines(text: str) -> str:
    """A cell still holding line breaks (several lines, or odd white space at a break)."""
    return join_lines([line for line in map(str.strip, text.split(_CELL_BREAK)) if line])


_new = partial(tuple.__new__, Piece)  # a Piece from a full tuple, without Piece's Python-level __new__
_COLS = [f", col {c}" for c in range(1, 201)]


def _col_labels(n: int) -> list[str]:
    return _COLS[:n] if n <= len(_COLS) else _COLS + [f", col {c}" for c in range(len(_COLS) + 1, n + 1)]


def _serialise(doc) -> str:
    xslt = getattr(_LOCAL, "xslt", None)
    if xslt is None:
        xslt = _LOCAL.xslt = etree.XSLT(etree.XML(_STYLESHEET))
    return str(xslt(doc))


def extract(doc) -> tuple[list[Piece], list[str]]:
    """The pieces of a parsed page and its lines (the page text without the title)."""
    parts = _normalise(_serialise(doc)).split(_TABLE)
    pieces: list[Piece] = []
    lines: list[str] = []
    blocks = 0
    for i, part in enumerate(parts):
        if i % 2 == 0:  # text between data tables
            texts = [t for t in map(str.strip, part.split(_FLOW_BREAK)) if t] if part else ()
        else:
            rows = part.split(_ROW)
            texts = [t for t in map(str.strip, rows[0].split(_CAPTION)) if t] if rows[0] else ()
        if texts:
            pieces += map(_new, zip(texts, [f"html block {n}" for n in range(blocks + 1, blocks + 1 + len(texts))],
                                    repeat(False), repeat(False), repeat("")))
            lines += texts
            blocks += len(texts)
        if i % 2:
            _table(rows, (i + 1) // 2, pieces, lines)
    return pieces, lines


def _grid_row(r: int, n: int, spans: dict | None, cover: set[int] | None, rowspans: list, n_rows: int,
              label: str) -> list[str]:
    """Where the cells of a row with spans, or under a rowspan, sit; records the rowspans
    that start here. The walker's grid, with the usual cases done without a step per cell."""
    widths = [1] * n
    if spans:
        for k, (_, cs) in spans.items():
            widths[k] = _span(cs) if cs else 1
    if not cover or max(cover) < len(cover):  # nothing covered, or the first columns: cells follow
        starts = list(accumulate(widths, initial=len(cover) if cover else 0))
    else:
        starts, c = [], 0
        for width in widths:
            while c in cover:
                c += 1
            starts.append(c)
            c += width
    if spans:
        for k, (rs, _) in spans.items():
            rs = min(_span(rs), n_rows - r) if rs else 1
            if rs > 1:  # covers its columns in rows r + 1 .. r + rs - 1
                rowspans.append((r + rs - 1, range(starts[k], starts[k] + widths[k])))
    col = label + ", col "
    return [col + str(c + 1) for c in starts[:n]]


def _table(rows: list[str], number: int, pieces: list[Piece], lines: list[str]) -> None:
    """One data table's cells on the grid: the walker's ``_Walker.table`` on split strings."""
    n_rows = len(rows) - 1
    rowspans: list[tuple[int, range]] = []  # (last row covered, columns) of rowspans from rows above
    for r in range(n_rows):
        row = rows[r + 1]
        label = f"html table {number}, row {r + 1}"
        texts = row.split(_CELL)
        del texts[0]
        spans = None
        if _SPAN in row:  # a spanned cell is written _SPAN rowspan _SPAN colspan _SPAN text
            spans = {}
            for k, text in enumerate(texts):
                if text.startswith(_SPAN):
                    _, rs, cs, texts[k] = text.split(_SPAN, 3)
                    spans[k] = rs, cs
        texts = list(map(str.strip, texts))
        if _CELL_BREAK in row:
            texts = [_cell_lines(t) if _CELL_BREAK in t else t for t in texts]
        cover = None
        if rowspans:
            rowspans = [span for span in rowspans if span[0] >= r]
            if rowspans:
                cover = set().union(*(columns for _, columns in rowspans))
        if cover is None and spans is None:  # the usual row: cells in columns 1, 2, ...
            wheres = map(label.__add__, _col_labels(len(texts)))
        else:
            wheres = _grid_row(r, len(texts), spans, cover, rowspans, n_rows, label)
        pieces += map(_new, zip(texts, wheres, repeat(True), repeat(False), repeat(label)))
        if any(texts):
            lines.append("\t".join(texts))
