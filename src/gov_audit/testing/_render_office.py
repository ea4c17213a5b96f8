"""Writers for the office forms: DOCX (python-docx) and PDF with a text layer (reportlab)."""
from __future__ import annotations

import random

from ._layout import Cell, Doc, Grid
from ._render_web import _esc

def write_docx(doc: Doc, rng: random.Random) -> bytes:
    """A Word document: the tables with their label cells merged as Word merges them.

    Merges are written as Word writes them — ``gridSpan`` on the first cell of a row,
    ``vMerge restart`` above and ``vMerge`` continuation cells below — straight into
    the XML: python-docx's ``merge`` rescans the table per call and is slow.
    """
    import io

    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml

    out = docx.Document()
    title = out.add_paragraph(doc.title)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, block in doc.blocks:
        if kind != "table":
            out.add_paragraph(block)
            continue
        grid: Grid = block
        table = out.add_table(rows=0, cols=grid.width)
        table.style = "Table Grid"
        below: dict[int, Cell] = {}  # r * width + c -> the cell merged down into row r at column c
        rows_xml = []
        for r, row in enumerate(grid.rows):
            tcs = []
            c = 0
            while c < grid.width:
                if c in row:
                    cell = row[c]
                    texts = [cell.text]
                    if cell.role == "head" and len(cell.text) > 5 and rng.random() < 0.3:
                        cut = rng.randrange(2, len(cell.text) - 1)  # a header broken over two paragraphs
                        texts = [cell.text[:cut], cell.text[cut:]]
                    tcs.append(_tc(texts, cell.colspan, "restart" if cell.rowspan > 1 else None))
                    for k in range(1, cell.rowspan):
                        below[(r + k) * grid.width + c] = cell
                    c += cell.colspan
                elif r * grid.width + c in below:
                    cell = below.pop(r * grid.width + c)
                    tcs.append(_tc([""], cell.colspan, "continue"))
                    c += cell.colspan
                else:
                    tcs.append(_tc([""], 1, None))
                    c += 1
            rows_xml.append("<w:tr>" + "".join(tcs) + "</w:tr>")
        for tr in rows_xml:
            table._tbl.append(parse_xml(f'<w:tbl {_W_NS}>{tr}</w:tbl>')[0])
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


_W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _tc(paragraphs: list[str], colspan: int, vmerge: str | None) -> str:
    props = f'<w:gridSpan w:val="{colspan}"/>' if colspan > 1 else ""
    props += '<w:vMerge w:val="restart"/>' if vmerge == "restart" else "<w:vMerge/>" if vmerge else ""
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{_esc(t)}</w:t></w:r></w:p>' if t else "<w:p/>"
                   for t in paragraphs)
    return f'<w:tc><w:tcPr><w:tcW w:w="{700 * colspan}" w:type="dxa"/>{props}</w:tcPr>{body}</w:tc>'


# PDF ---------------------------------------------------------------------------------------------------

_PDF_FONT = "STSong-Light"  # a CID font every PDF viewer has: no font file to ship


def write_pdf(doc: Doc, rng: random.Random) -> bytes:
    """A PDF with a text layer (reportlab): ruled tables that run over page breaks, page numbers,
    sometimes a running head, header words printed with spaces between the characters."""
    import io

    try:
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    except ImportError as exc:  # a test dependency, not a dependency of the library
        raise ImportError("writing PDF needs reportlab (pip install reportlab)") from exc

    if _PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_PDF_FONT))
    body = ParagraphStyle("body", fontName=_PDF_FONT, fontSize=11, leading=17, firstLineIndent=22, wordWrap="CJK")
    head = ParagraphStyle("head", parent=body, firstLineIndent=0, spaceBefore=6)
    big = ParagraphStyle("title", parent=body, fontSize=16, leading=24, alignment=1, firstLineIndent=0)
    cell_style = ParagraphStyle("cell", fontName=_PDF_FONT, fontSize=8, leading=10, alignment=1, wordWrap="CJK")
    page_mark = rng.choice(("- {n} -", "第 {n} 页", "{n}", "— {n} —"))
    running_head = rng.random() < 0.5
    width = A4[0] - 100

    def decorate(canvas, _doc) -> None:
        canvas.saveState()
        canvas.setFont(_PDF_FONT, 9)
        canvas.drawCentredString(A4[0] / 2, 28, page_mark.format(n=canvas.getPageNumber()))
        if running_head:
            canvas.drawCentredString(A4[0] / 2, A4[1] - 30, doc.title)
        canvas.restoreState()

    story = [Paragraph(_esc(doc.title), big), Spacer(1, 8)]
    for kind, block in doc.blocks:
        if kind != "table":
            story.append(Paragraph(_esc(block), head if kind == "h" else body))
            continue
        grid: Grid = block
        data = []
        for row in grid.matrix():
            out_row = []
            for cell in row:
                if cell is None or not cell.text:
                    out_row.append("")
                elif cell.role == "value":
                    out_row.append(cell.text)
                else:
                    text = cell.text
                    if cell.role == "head" and len(text) <= 6 and rng.random() < 0.5:
                        text = " ".join(text)  # 商 业 企 业: spread out to fill the header cell
                    out_row.append(Paragraph(_esc(text), cell_style))
            data.append(out_row)
        commands = [("FONT", (0, 0), (-1, -1), _PDF_FONT, 8), ("GRID", (0, 0), (-1, -1), 0.5, "black"),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (0, 0), (-1, -1), "CENTER")]
        for r, row in enumerate(grid.rows):
            for c, cell in row.items():
                if cell.rowspan > 1 or cell.colspan > 1:
                    commands.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
        widths = _pdf_widths(grid, width)
        story += [Table(data, colWidths=widths, style=TableStyle(commands)), Spacer(1, 6)]
    buf = io.BytesIO()
    pdf = SimpleDocTemplate(buf, pagesize=A4, leftMargin=50, rightMargin=50, topMargin=60, bottomMargin=60,
                            title=doc.title, author=doc.agency)
    pdf.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buf.getvalue()


def _pdf_widths(grid: Grid, width: float) -> list[float]:
    if grid.name == "t3":
        labels = [0.11 * width, 0.12 * width, 0.23 * width]
        return labels + [(width - sum(labels)) / (grid.width - 3)] * (grid.width - 3)
    if grid.name == "t2":
        return [0.28 * width] + [0.72 * width / (grid.width - 1)] * (grid.width - 1)
    return [width / grid.width] * grid.width
