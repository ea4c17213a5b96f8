"""PDF with a text layer: ruled tables cell by cell, the text around them line by line.

Each page is read top to bottom: the ruled tables pdfplumber finds (one piece per cell;
a merged cell prints once, the positions it covers print nothing) and the lines of text
outside them, in the order they stand on the page. A table that runs over a page break
simply continues on the next page, because the locator reads one stream of pieces.
Page numbers in the top or bottom margin are dropped, so a stray ``- 3 -`` cannot land
among a row's values. Characters a PDF prints twice (fake bold) are printed once.

A PDF with no characters at all is a scan (``no_text_layer``); one whose fonts carry no
Unicode map (text comes out as ``(cid:123)``) is no better and is treated the same way.
"""
from __future__ import annotations

import io
import re

from ._atoms import Piece

MARGIN = 0.1  # top and bottom tenth of a page: where running heads and page numbers sit
_PAGE_NUMBER = re.compile(
    r"[\s\-—–－_]*(?:第\s*)?\d{1,4}\s*(?:页)?\s*(?:(?:/|／|of)\s*\d{1,4}|[,，]?\s*共\s*\d{1,4}\s*页)?[\s\-—–－_]*",
    re.I)
_CID = re.compile(r"\(cid:\d+\)")


def pdf_pieces(data: bytes) -> tuple[list[Piece], str]:
    """The pieces of a PDF and its plain text (lines; table rows tab-separated)."""
    from . import input_error  # late: the package imports its readers lazily

    pdf = _open(data)
    pieces: list[Piece] = []
    lines: list[str] = []
    chars = cid_chars = images = 0
    try:
        for number, page in enumerate(pdf.pages, 1):
            try:
                page_chars = page.chars
                images += len(page.images)
                chars += len(page_chars)
                cid_chars += sum(1 for c in page_chars if c.get("text", "").startswith("(cid:"))
                if page_chars:
                    _read_page(page.dedupe_chars(), number, pieces, lines)
            except Exception as exc:  # noqa: BLE001 - pdfminer raises many types for one cause
                if number == 1:
                    raise input_error("corrupt", f"page 1: {type(exc).__name__}: {exc}") from None
                # a damaged later page: keep what was read; the locator reports missing cells
                lines.append(f"[page {number} unreadable: {type(exc).__name__}]")
                break
    finally:
        pdf.close()
    if chars == 0:
        raise input_error("no_text_layer", f"{len(pdf.pages)} pages, {images} images, no characters")
    if cid_chars > chars / 2:
        raise input_error("no_text_layer", f"{cid_chars} of {chars} characters have no Unicode mapping")
    return pieces, "\n".join(lines)


def _open(data: bytes):
    from . import input_error

    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        _ = pdf.pages  # parses the page tree: a broken one fails here, not later
    except Exception as exc:  # noqa: BLE001 - encrypted, truncated, not a PDF: all one reason
        text = f"{type(exc).__name__}: {exc}"
        if "password" in text.lower() or "encrypt" in text.lower():
            text = f"encrypted ({text})"
        raise input_error("corrupt", text) from None
    return pdf


def _read_page(page, number: int, pieces: list[Piece], lines: list[str]) -> None:
    tables = [t for t in page.find_tables() if _is_grid(t)]
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    text_lines = page.filter(outside).extract_text_lines(return_chars=False) if boxes else \
        page.extract_text_lines(return_chars=False)
    text_lines = [ln for ln in text_lines if not _is_page_number(ln, page.height)]
    blocks: list[tuple[float, int, object]] = [(ln["top"], 0, ln) for ln in text_lines]
    blocks += [(t.bbox[1], 1, t) for t in tables]
    blocks.sort(key=lambda b: (b[0], b[1]))
    line_no = table_no = 0
    for _, kind, block in blocks:
        if kind == 0:
            line_no += 1
            text = _CID.sub("", block["text"])
            lines.append(text)
            if text.strip():
                pieces.append(Piece(text, f"page {number} line {line_no}"))
            continue
        table_no += 1
        for r, row in enumerate(block.extract(), 1):
            shown = []
            for c, cell in enumerate(row, 1):
                if cell is None:  # covered by a merged cell printed earlier
                    continue
                cell = _CID.sub("", cell)
                pieces.append(Piece(cell, f"page {number} table {table_no} row {r} cell {c}", cell=True))
                shown.append(cell.replace("\n", " "))
            lines.append("\t".join(shown))


def _is_grid(table) -> bool:
    """A real table has more than one cell; a lone ruled box is a frame around text."""
    return len(table.cells) > 1


def _is_page_number(line: dict, height: float) -> bool:
    in_margin = line["bottom"] <= height * MARGIN or line["top"] >= height * (1 - MARGIN)
    return in_margin and _PAGE_NUMBER.fullmatch(line["text"]) is not None
