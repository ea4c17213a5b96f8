"""Word documents (.docx): paragraphs and tables of the body, in reading order.

Each paragraph outside a table is a line (split into cells on tabs and runs of spaces,
like pasted text); each table cell is one piece. Merged cells print once: a cell
spanning columns (``gridSpan``) is one ``w:tc`` element, and the cells a vertical merge
continues (``vMerge`` without ``restart``) print nothing — python-docx's ``row.cells``
would repeat the merged cell instead, so the XML is walked directly. Nested tables are
read where they stand inside their cell. Text boxes, headers and footers are left out:
they hold page furniture, not the report's tables.
"""
from __future__ import annotations

import io
import zipfile

from ._atoms import Piece
from ._text import CELL_BREAK

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_TAG = {name: f"{{{_W}}}{name}" for name in
        ("p", "tbl", "tr", "tc", "tcPr", "vMerge", "sdt", "sdtContent", "customXml", "r", "t", "tab", "br", "cr",
         "noBreakHyphen", "txbxContent", "del")}
_VAL = f"{{{_W}}}val"


def docx_pieces(data: bytes) -> tuple[list[Piece], str]:
    """The pieces of a .docx and its plain text (paragraphs as lines, table rows tab-separated)."""
    body = _open_body(data)
    walker = _Walker()
    walker.blocks(body)
    return walker.pieces, "\n".join(walker.lines)


def _open_body(data: bytes):
    from . import input_error  # late: the package imports its readers lazily

    import docx

    try:
        return docx.Document(io.BytesIO(data)).element.body
    except ValueError as exc:
        if "content type" not in str(exc):
            raise input_error("corrupt", f"{type(exc).__name__}: {exc}") from None
        # python-docx refuses macro-enabled documents and templates (.docm, .dotx):
        # their body is the same WordprocessingML, so read it straight from the zip
        return _raw_body(data, exc)
    except zipfile.BadZipFile as exc:
        raise input_error("corrupt", f"not a zip/docx: {exc}") from None
    except KeyError as exc:  # a zip without word/document.xml or another required part
        raise input_error("corrupt", f"missing part {exc}") from None
    except Exception as exc:  # noqa: BLE001 - zlib, lxml and python-docx raise many types for one cause
        raise input_error("corrupt", f"{type(exc).__name__}: {exc}") from None


def _raw_body(data: bytes, why: Exception):
    from lxml import etree

    from . import input_error

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            xml = z.read("word/document.xml")
        body = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, huge_tree=False)).find(f"{{{_W}}}body")
    except Exception as exc:  # noqa: BLE001 - as above: one cause, a broken package
        raise input_error("corrupt", f"{why}; {type(exc).__name__}: {exc}") from None
    if body is None:
        raise input_error("corrupt", f"{why}; no document body")
    return body


class _Walker:
    """Walks block content (body, cell, content control) and collects pieces and text lines."""

    def __init__(self) -> None:
        self.pieces: list[Piece] = []
        self.lines: list[str] = []
        self.paragraphs = 0
        self.tables = 0

    def blocks(self, parent) -> None:
        for child in parent.iterchildren():
            tag = child.tag
            if tag == _TAG["p"]:
                self.paragraph(child)
            elif tag == _TAG["tbl"]:
                self.table(child)
            elif tag in (_TAG["sdt"], _TAG["customXml"]):
                # content controls and custom XML wrap ordinary paragraphs and tables
                content = child.find(_TAG["sdtContent"]) if tag == _TAG["sdt"] else child
                if content is not None:
                    self.blocks(content)

    def paragraph(self, p) -> None:
        self.paragraphs += 1
        text = paragraph_text(p)
        self.lines.append(text)
        for n, line in enumerate(text.split("\n")):
            for cell in CELL_BREAK.split(line):
                if cell.strip():
                    where = f"paragraph {self.paragraphs}" + (f" line {n + 1}" if n else "")
                    self.pieces.append(Piece(cell, where, row=where))

    def table(self, tbl) -> None:
        self.tables += 1
        number = self.tables
        for r, tr in enumerate(_children(tbl, "tr"), 1):
            row_text = []
            for c, tc in enumerate(_children(tr, "tc"), 1):
                if _continues_merge(tc):
                    continue
                text = self.cell(tc, f"table {number} row {r} cell {c}", f"table {number} row {r}")
                row_text.append(text)
            self.lines.append("\t".join(row_text))

    def cell(self, tc, where: str, row: str) -> str:
        """Pieces of one cell: its paragraphs as one piece, nested tables where they stand."""
        parts: list[str] = []   # paragraphs not yet emitted
        shown: list[str] = []   # this cell's own text, for the plain-text line
        nested = False

        def flush() -> None:
            text = "\n".join(parts).strip("\n")
            if text.strip():
                self.pieces.append(Piece(text, where, cell=True, row=row))
                shown.append(text)
            parts.clear()

        for child in _block_children(tc):
            if child.tag == _TAG["tbl"]:
                flush()
                nested = True
                self.table(child)
            else:
                parts.append(paragraph_text(child))
        flush()
        if not shown and not nested:
            # an empty cell is a blank cell of the report; one that only frames a nested
            # table is layout, not a cell
            self.pieces.append(Piece("", where, cell=True, row=row))
        return " ".join(shown)


def _children(el, name: str):
    """Direct children named ``name``, looking through content controls and custom XML."""
    for child in el.iterchildren():
        if child.tag == _TAG[name]:
            yield child
        elif child.tag in (_TAG["sdt"], _TAG["customXml"]):
            content = child.find(_TAG["sdtContent"]) if child.tag == _TAG["sdt"] else child
            if content is not None:
                yield from _children(content, name)


def _block_children(tc):
    for child in tc.iterchildren():
        if child.tag in (_TAG["p"], _TAG["tbl"]):
            yield child
        elif child.tag in (_TAG["sdt"], _TAG["customXml"]):
            content = child.find(_TAG["sdtContent"]) if child.tag == _TAG["sdt"] else child
            if content is not None:
                yield from _block_children(content)


def _continues_merge(tc) -> bool:
    """A cell that continues a vertical merge from the row above (prints nothing)."""
    tc_pr = tc.find(_TAG["tcPr"])
    if tc_pr is None:
        return False
    vmerge = tc_pr.find(_TAG["vMerge"])
    return vmerge is not None and vmerge.get(_VAL, "continue") == "continue"


def paragraph_text(p) -> str:
    """The text of a paragraph: runs (also inside hyperlinks, fields, insertions), tabs, breaks.

    Deleted text (``w:del``) and text boxes are skipped; tab stops in the paragraph
    properties are not tabs.
    """
    out: list[str] = []
    for el in p.iter(_TAG["t"], _TAG["tab"], _TAG["br"], _TAG["cr"], _TAG["noBreakHyphen"]):
        if el.getparent().tag != _TAG["r"] or _inside(el, p, (_TAG["del"], _TAG["txbxContent"])):
            continue
        if el.tag == _TAG["t"]:
            out.append(el.text or "")
        elif el.tag == _TAG["tab"]:
            out.append("\t")
        elif el.tag == _TAG["noBreakHyphen"]:
            out.append("-")
        else:
            out.append("\n")
    return "".join(out)


def _inside(el, stop, tags) -> bool:
    for anc in el.iterancestors():
        if anc is stop:
            return False
        if anc.tag in tags:
            return True
    return False
