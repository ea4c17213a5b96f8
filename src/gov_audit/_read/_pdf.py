"""PDF with a text layer: ruled tables cell by cell, the text around them line by line.

Each page is read top to bottom: the ruled tables pdfplumber finds (one piece per cell;
a merged cell prints once, the positions it covers print nothing) and the lines of text
outside them, in the order they stand on the page. A table that runs over a page break
simply continues on the next page, because the locator reads one stream of pieces.
Page numbers and running heads or feet (a margin line printed on several pages) are
dropped, so a stray ``- 3 -`` or the report's title with its year cannot land among a
row's values. Characters a PDF prints twice (fake bold) are read once.

A PDF with no characters at all is a scan (``no_text_layer``); one whose fonts carry no
Unicode map (text comes out as ``(cid:123)``) is no better and is treated the same way.
"""
from __future__ import annotations

import contextlib
import io
import logging
import re

from ._atoms import Piece

MARGIN = 0.1  # top and bottom tenth of a page: where running heads and page numbers sit
_PAGE_NUMBER = re.compile(
    r"[\s\-—–－_]*(?:第\s*)?\d{1,4}\s*(?:页)?\s*(?:(?:/|／|of)\s*\d{1,4}|[,，]?\s*共\s*\d{1,4}\s*页)?[\s\-—–－_]*",
    re.I)
_CID = re.compile(r"\(cid:\d+\)")


def pdf_pieces(data: bytes) -> tuple[list[Piece], str]:
    """The pieces of a PDF and its plain text (lines; table rows tab-separated)."""
    with _quiet_pdfminer():
        return _pdf_pieces(data)


@contextlib.contextmanager
def _quiet_pdfminer():
    """pdfminer logs a warning per damaged object; the reader reports the file once, as a reason."""
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _pdf_pieces(data: bytes) -> tuple[list[Piece], str]:
    from . import input_error  # late: the package imports its readers lazily

    pdf = _open(data)
    pages: list[list[tuple[str, object]]] = []
    chars = cid_chars = images = 0
    try:
        for number, page in enumerate(pdf.pages, 1):
            try:
                page_chars = page.chars
                images += len(page.images)
                chars += len(page_chars)
                cid_chars += sum(1 for c in page_chars if c.get("text", "").startswith("(cid:"))
                pages.append(_printed(_page_blocks(page.dedupe_chars())) if page_chars else [])
            except Exception as exc:  # noqa: BLE001 - pdfminer raises many types for one cause
                if number == 1:
                    raise input_error("corrupt", f"page 1: {type(exc).__name__}: {exc}") from None
                break  # a damaged later page: keep what was read; the locator reports missing cells
    finally:
        pdf.close()
    if chars == 0:
        raise input_error("no_text_layer", f"{len(pages)} pages, {images} images, no characters")
    if cid_chars > chars / 2:
        raise input_error("no_text_layer", f"{cid_chars} of {chars} characters have no Unicode mapping")
    return _emit(pages, _running_lines(pages))


def _emit(pages: list[list[tuple[str, object]]], running: set[str]) -> tuple[list[Piece], str]:
    pieces: list[Piece] = []
    lines: list[str] = []
    for number, blocks in enumerate(pages, 1):
        line_no = table_no = 0
        for kind, block in blocks:
            if kind in ("head", "foot", "line"):
                line_no += 1
                text = block
                if kind != "line" and (_PAGE_NUMBER.fullmatch(text) or _shape(text) in running):
                    if not (number == 1 and kind == "head" and not _PAGE_NUMBER.fullmatch(text)):
                        continue  # page number, running head or foot: not part of the report's text
                    # a running head on the first page stands before any table and is often the
                    # title itself: keep it for the year and agency
                lines.append(text)
                if text.strip():
                    where = f"page {number} line {line_no}"
                    pieces.append(Piece(text, where, row=where))
                continue
            table_no += 1
            for r, row in enumerate(block, 1):
                shown = []
                for c, cell in enumerate(row, 1):
                    if cell is None:  # covered by a merged cell printed earlier
                        continue
                    pieces.append(Piece(cell, f"page {number} table {table_no} row {r} cell {c}", cell=True,
                                        row=f"page {number} table {table_no} row {r}"))
                    shown.append(cell.replace("\n", " "))
                lines.append("\t".join(shown))
    return pieces, "\n".join(lines)


def _printed(blocks: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """A page's blocks without the ``(cid:N)`` that glyphs with no Unicode mapping come out as.

    Stripped here, once, before anything looks at the text: running heads and feet are
    then told apart by what is printed, the same when they are counted as when dropped.
    """
    out: list[tuple[str, object]] = []
    for kind, block in blocks:
        if kind == "table":
            block = [[None if cell is None else _CID.sub("", cell) for cell in row] for row in block]
        else:
            block = _CID.sub("", block)
        out.append((kind, block))
    return out


def _shape(text: str) -> str:
    """A margin line with its numbers blanked: "第 3 页" and "第 4 页" have one shape."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _running_lines(pages: list[list[tuple[str, object]]]) -> set[str]:
    """Shapes of margin lines printed on more than one page: running heads and feet."""
    seen: dict[str, int] = {}
    for blocks in pages:
        for shape in {_shape(b) for kind, b in blocks if kind in ("head", "foot")}:
            seen[shape] = seen.get(shape, 0) + 1
    return {shape for shape, n in seen.items() if n > 1 and shape}


def _open(data: bytes):
    from . import input_error

    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        _ = pdf.pages  # parses the page tree: a broken one fails here, not later
    except Exception as exc:  # noqa: BLE001 - encrypted, truncated, not a PDF: all one reason
        text = f"{type(exc).__name__}: {exc}".rstrip(": ")
        if b"/Encrypt" in data or "password" in text.lower():
            text = f"加密文件，需要密码 encrypted, needs a password ({text})"
        raise input_error("corrupt", text) from None
    return pdf


def _page_blocks(page) -> list[tuple[str, object]]:
    """A page's lines and tables, top to bottom: ``("head"|"line"|"foot", text)`` or ``("table", rows)``."""
    tables = [t for t in page.find_tables() if _is_grid(t)]
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    text_page = page.filter(outside) if boxes else page
    found: list[tuple[float, int, tuple[str, object]]] = []
    for ln in text_page.extract_text_lines(return_chars=False):
        kind = "head" if ln["bottom"] <= page.height * MARGIN else \
            "foot" if ln["top"] >= page.height * (1 - MARGIN) else "line"
        found.append((ln["top"], 0, (kind, ln["text"])))
    found += [(t.bbox[1], 1, ("table", t.extract())) for t in tables]
    found.sort(key=lambda b: (b[0], b[1]))
    return [block for _, _, block in found]


def _is_grid(table) -> bool:
    """A real table has more than one cell; a lone ruled box is a frame around text."""
    return len(table.cells) > 1
