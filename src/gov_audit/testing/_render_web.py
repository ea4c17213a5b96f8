"""Writers for the web and text forms: CMS HTML, Word-exported HTML, pasted text, markdown."""
from __future__ import annotations

import random

from ._layout import Cell, Doc, Grid

def _texts(grid: Grid) -> list[list[str | None]]:
    """Each row's printed texts by position; None where a merged cell covers the position."""
    return [[None if cell is None else cell.text for cell in row] for row in grid.matrix()]


def _split_points(grid: Grid, rng: random.Random, header: int) -> list[tuple[int, int]]:
    """Cut a table into one to three parts at row boundaries after its header rows."""
    n = len(grid.rows)
    cuts = sorted(rng.sample(range(header + 1, n), k=min(rng.randint(0, 2), max(0, n - header - 1))))
    bounds = [0, *cuts, n]
    return list(zip(bounds, bounds[1:]))


_HEADER_ROWS = {"t2": 2, "t3": 3, "t4": 3}


# HTML: a CMS page ------------------------------------------------------------------------------------

def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _spans(cell: Cell) -> str:
    return (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + \
           (f' colspan="{cell.colspan}"' if cell.colspan > 1 else "")


def _html_cell(cell: Cell, rng: random.Random | None) -> str:
    text = _esc(cell.text)
    if rng is not None and cell.role != "value" and len(cell.text) > 3 and rng.random() < 0.3:
        cut = rng.randrange(1, len(cell.text))  # editors split labels into runs of markup
        text = f"<span>{_esc(cell.text[:cut])}</span><span style=\"font-family:仿宋\">{_esc(cell.text[cut:])}</span>"
    if rng is not None and rng.random() < 0.3:
        text = f"<p style=\"text-align:center\">{text or '&nbsp;'}</p>"
    tag = "th" if rng is not None and cell.role == "head" and rng.random() < 0.3 else "td"
    return f"<{tag}{_spans(cell)}>{text}</{tag}>"


def _html_table(grid: Grid, rng: random.Random | None) -> str:
    rows = ["<tr>" + "".join(_html_cell(grid.rows[r][c], rng) for c in sorted(grid.rows[r])) + "</tr>"
            for r in range(len(grid.rows))]
    return "<table border=\"1\" cellspacing=\"0\" style=\"border-collapse:collapse\"><tbody>" + \
        "\n".join(rows) + "</tbody></table>"


def write_html(doc: Doc, rng: random.Random, *, varied: bool = False) -> str:
    """A saved CMS page; ``varied``: random merge styles, labels split into spans, tables cut in parts."""
    body = []
    for kind, block in doc.blocks:
        if kind == "p":
            body.append(f"<p style=\"text-indent:2em\">{_esc(block)}</p>")
        elif kind == "h":
            body.append(f"<p><strong>{_esc(block)}</strong></p>")
        else:
            grid: Grid = block
            if not varied:
                body.append(_html_table(grid, None))
                continue
            if grid.name == "t3" and rng.random() < 0.6:
                grid = grid.unmerged(rng)
            for start, stop in _split_points(grid, rng, _HEADER_ROWS.get(grid.name, 1)):
                body.append(_html_table(grid.slice(start, stop), rng))
                if rng.random() < 0.3:
                    body.append("<p>&nbsp;</p>")
    return (
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + _esc(doc.title) + "</title>"
        "<script>var _hmt = _hmt || []; window.pageId = 10086;</script>"
        "<style>td{border:1px solid #000}</style></head><body>\n"
        "<div class=\"nav\">当前位置：<a href=\"/\">首页</a> &gt; 政务公开 &gt; 政府信息公开年报</div>\n"
        f"<div class=\"article\"><h1>{_esc(doc.title)}</h1>\n"
        f"<div class=\"info\">来源：{_esc(doc.agency)}　发布时间：{doc.year + 1}-01-20</div>\n"
        "<div class=\"content\">\n" + "\n".join(body) + "\n</div></div>\n"
        f"<div class=\"footer\">主办：{_esc(doc.agency)}　<a href=\"#\">网站地图</a></div>\n</body></html>\n")


# HTML exported from Word ------------------------------------------------------------------------------

_MSO_TD = ("border:solid windowtext 1.0pt;border-top:none;mso-border-top-alt:solid windowtext .5pt;"
           "mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt 0cm 5.4pt")


def _mso_runs(text: str, rng: random.Random, role: str) -> str:
    if not text:
        return "<span lang=EN-US><o:p>&nbsp;</o:p></span>"
    if role == "value":
        return (f"<span lang=EN-US style='font-size:10.5pt;font-family:\"Times New Roman\"'>{_esc(text)}"
                "<o:p></o:p></span>")
    parts, rest = [], text
    while rest:  # Word cuts a label into runs wherever formatting or spell-check state changed
        cut = len(rest) if len(rest) < 3 or rng.random() < 0.5 else rng.randrange(1, len(rest))
        parts.append(rest[:cut])
        rest = rest[cut:]
    runs = []
    for k, part in enumerate(parts):
        runs.append(f"<span style='font-size:10.5pt;font-family:仿宋_GB2312;mso-hansi-font-family:\"Times New Roman\"'>"
                    f"{_esc(part)}</span>")
        if k < len(parts) - 1 and rng.random() < 0.3:
            runs.append("<span lang=EN-US style='mso-spacerun:yes'>&nbsp;</span>")
    return "".join(runs) + "<span lang=EN-US><o:p></o:p></span>"


def _mso_table(grid: Grid, rng: random.Random) -> str:
    rows = []
    for r in range(len(grid.rows)):
        tds = []
        for c in sorted(grid.rows[r]):
            cell = grid.rows[r][c]
            width = 48 * cell.colspan
            tds.append(f"<td width={width}{_spans(cell).replace(chr(34), '')} valign=center "
                       f"style='width:{width * 0.75:.1f}pt;{_MSO_TD};height:19.85pt'>"
                       f"<p class=MsoNormal align=center style='text-align:center;line-height:15.0pt;"
                       f"mso-line-height-rule:exactly'>{_mso_runs(cell.text, rng, cell.role)}</p></td>")
        rows.append(f"<tr style='mso-yfti-irow:{r};height:19.85pt'>\n " + "\n ".join(tds) + "\n</tr>")
    return ("<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse;"
            "border:none;mso-border-alt:solid windowtext .5pt;mso-yfti-tbllook:1184;mso-padding-alt:0cm 5.4pt "
            "0cm 5.4pt'>\n<tbody>\n" + "\n".join(rows) + "\n</tbody></table>")


def write_word_html(doc: Doc, rng: random.Random) -> str:
    """A page saved by Word ("Web page, filtered" or pasted into a CMS): MsoNormal everywhere."""
    body = [f"<p class=MsoNormal align=center style='text-align:center'><b><span style='font-size:22.0pt;"
            f"font-family:方正小标宋简体'>{_esc(doc.title)}</span></b></p>"]
    for kind, block in doc.blocks:
        if kind == "table":
            body.append(_mso_table(block, rng))
            body.append("<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>")
        else:
            font = "黑体" if kind == "h" else "仿宋_GB2312"
            body.append(f"<p class=MsoNormal style='text-indent:32.0pt;mso-char-indent-count:2.0'>"
                        f"<span style='font-size:16.0pt;font-family:{font}'>{_esc(block)}</span></p>")
    return (
        "<html xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\" "
        "xmlns:w=\"urn:schemas-microsoft-com:office:word\" xmlns=\"http://www.w3.org/TR/REC-html40\">\n<head>"
        "<meta http-equiv=Content-Type content=\"text/html; charset=utf-8\">"
        "<meta name=Generator content=\"Microsoft Word 15\">\n"
        "<!--[if gte mso 9]><xml><w:WordDocument><w:View>Print</w:View><w:Zoom>100</w:Zoom>"
        "</w:WordDocument></xml><![endif]-->\n<style><!-- p.MsoNormal{margin:0cm;text-align:justify;"
        "font-size:10.5pt;font-family:等线} --></style></head>\n"
        "<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>\n<div class=WordSection1>\n"
        + "\n".join(body) + "\n</div>\n</body>\n</html>\n")


# Pasted text --------------------------------------------------------------------------------------------

def _pasted(doc: Doc, table_lines) -> list[str]:
    """Narrative blocks as they are, each table as the lines ``table_lines(grid)`` gives."""
    out = []
    for kind, block in doc.blocks:
        out.extend(table_lines(block) if kind == "table" else [block])
    return out


def write_text_lines(doc: Doc, rng: random.Random) -> str:
    """One cell per line with a tab indent, rows apart by an empty line (copied from a web page)."""
    def table(grid: Grid) -> list[str]:
        lines = []
        for row in _texts(grid):
            for text in row:
                text = text or ""
                if text and text[0].isdigit() and rng.random() < 0.3:
                    text = rng.choice((" " + text, text + " "))
                lines.append("\t" + text)
            lines.append("")
        return lines + [""]

    return "\n".join([doc.title, "", *_pasted(doc, table)]) + "\n"


SEPARATORS = ("\t", "  ", "   ", " ", "\u3000")


def write_text_spaced(doc: Doc, rng: random.Random, seps: tuple[str, ...] = SEPARATORS) -> str:
    """One table row per line, cells apart by tabs or runs of spaces (copied from a PDF).

    ``seps``: the separators a line may use (each line picks one).
    """
    def table(grid: Grid) -> list[str]:
        return [rng.choice(seps).join(t for t in row if t) for row in _texts(grid)] + [""]

    return "\n".join([doc.title, "", *_pasted(doc, table)]) + "\n"


def write_text_run(doc: Doc, rng: random.Random, spaced: float = 0.3) -> str:
    """Everything after the title on one line, cells run together (text scraped from a page).

    ``spaced``: the share of table rows whose cells keep one space between them.
    """
    def table(grid: Grid) -> list[str]:
        return [(" " if rng.random() < spaced else "").join(t for t in row if t) for row in _texts(grid)]

    return doc.title + "\n" + "".join(_pasted(doc, table)) + "\n"


# Markdown -----------------------------------------------------------------------------------------------

def write_markdown(doc: Doc, rng: random.Random, below: str | None = None) -> str:
    """Pipe tables (no merged cells in markdown: a merged label repeats or leaves empty cells).

    ``below``: a cell merged down rows is ``"repeat"``-ed or left ``"empty"`` in the rows
    below its first; by default each table picks one at random.
    """
    out = [f"# {doc.title}", ""]
    for kind, block in doc.blocks:
        if kind == "p":
            out += [block, ""]
        elif kind == "h":
            out += [f"## {block}", ""]
        else:
            # converters repeat a cell merged across columns; one merged down rows is repeated
            # or left empty below its first row
            repeat_down = rng.random() < 0.5 if below is None else below == "repeat"
            texts = [[""] * block.width for _ in block.rows]
            for r, row in enumerate(block.rows):
                for c, cell in row.items():
                    for dr in range(cell.rowspan):
                        for dc in range(cell.colspan):
                            texts[r + dr][c + dc] = cell.text if dr == 0 or repeat_down else ""
            for r, row_texts in enumerate(texts):
                out.append("| " + " | ".join(t.replace("|", "\\|") for t in row_texts) + " |")
                if r == 0:
                    out.append("|" + "---|" * block.width)
            out.append("")
    return "\n".join(out) + "\n"


# DOCX --------------------------------------------------------------------------------------------------
