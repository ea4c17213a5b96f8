"""The PDF reader: ruled tables with merged and empty cells, page furniture, scans, broken files.

Test PDFs are drawn here with reportlab (a test dependency) in the CID font STSong-Light,
which needs no font file.
"""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from gov_audit import InputError
from gov_audit._read import read
from gov_audit._read._atoms import LABEL, atomise
from gov_audit._read._pdf import pdf_pieces

FONT = "STSong-Light"
A4 = (595.2756, 841.8898)
FIXTURES = Path(__file__).parent / "fixtures" / "forms"


def _pdf(draw, pages: int = 1, encrypt=None) -> bytes:
    pytest.importorskip("reportlab")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, encrypt=encrypt)
    for n in range(1, pages + 1):
        c.setFont(FONT, 10)
        draw(c, n)
        c.showPage()
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize("name", ["report-2019.pdf", "report-2021.pdf"])
def test_committed_pdf_fixture(name):
    """Generated PDFs kept in the repository (tests/fixtures/forms/make_forms.py): no reportlab needed."""
    truth = json.loads((FIXTURES / f"{name}.truth.json").read_text(encoding="utf-8"))
    report = read(FIXTURES / name)
    assert (report.form, report.template, report.year, report.status) == ("pdf", truth["template"], truth["year"], "ok")
    assert report.cells == truth["cells"]


def test_committed_scan_fixture():
    with pytest.raises(InputError) as err:
        read(FIXTURES / "scan.pdf")
    assert err.value.reason == "no_text_layer"


def _grid(c, x0: float, top: float, widths: list[float], heights: list[float], cells: dict, merges=()):
    """Rule a table and fill it: ``cells[(r, c)] = text``; ``merges`` are (r0, c0, r1, c1) boxes."""
    xs = [x0]
    for w in widths:
        xs.append(xs[-1] + w)
    ys = [top]
    for h in heights:
        ys.append(ys[-1] - h)
    covered = {(r, k) for r0, k0, r1, k1 in merges for r in range(r0, r1 + 1) for k in range(k0, k1 + 1)}
    owner = {(r, k): (r0, k0, r1, k1) for r0, k0, r1, k1 in merges for r in range(r0, r1 + 1)
             for k in range(k0, k1 + 1)}
    for r in range(len(heights)):
        for k in range(len(widths)):
            r0, k0, r1, k1 = owner.get((r, k), (r, k, r, k))
            if (r, k) in covered and (r, k) != (r0, k0):
                continue
            c.rect(xs[k0], ys[r1 + 1], xs[k1 + 1] - xs[k0], ys[r0] - ys[r1 + 1])
            text = cells.get((r, k), "")
            if text:
                c.drawCentredString((xs[k0] + xs[k1 + 1]) / 2, (ys[r0] + ys[r1 + 1]) / 2 - 3, text)


def test_ruled_table_with_merged_and_empty_cells():
    def draw(c, n):
        c.drawString(72, 780, "表格之前的一行")
        _grid(c, 72, 760, [120, 120, 60, 60], [20, 20, 20],
              {(0, 0): "三、本年度办理结果", (0, 1): "（一）予以公开", (0, 2): "5", (0, 3): "6",
               (1, 1): "（二）部分公开", (1, 2): "7", (2, 0): "四、结转", (2, 2): "1", (2, 3): "2"},
              merges=[(0, 0, 1, 0), (2, 0, 2, 1)])
        c.drawString(72, 680, "表格之后的一行")

    pieces, text = pdf_pieces(_pdf(draw))
    assert [(p.text, p.cell) for p in pieces] == [
        ("表格之前的一行", False),
        ("三、本年度办理结果", True), ("（一）予以公开", True), ("5", True), ("6", True),
        ("（二）部分公开", True), ("7", True), ("", True),     # the merged cell prints once; an empty cell is blank
        ("四、结转", True), ("1", True), ("2", True),
        ("表格之后的一行", False),
    ]
    assert len({p.row for p in pieces if p.cell}) == 3  # one row id per printed table row
    assert "三、本年度办理结果\t（一）予以公开\t5\t6" in text


def test_page_numbers_and_running_heads_are_dropped():
    def draw(c, n):
        c.drawCentredString(A4[0] / 2, A4[1] - 30, "某县2021年政府信息公开工作年度报告")  # running head
        c.drawString(72, 600, f"正文第{n}页的内容")
        c.drawCentredString(A4[0] / 2, 28, f"- {n} -")

    pieces, text = pdf_pieces(_pdf(draw, pages=3))
    # the head stays once, on the first page (before any table; often the title itself)
    assert [p.text for p in pieces] == ["某县2021年政府信息公开工作年度报告", "正文第1页的内容",
                                        "正文第2页的内容", "正文第3页的内容"]
    assert text.count("2021") == 1 and "- 2 -" not in text


def test_a_running_head_with_unmapped_glyphs_is_dropped(monkeypatch):
    """A head printed with a glyph that has no Unicode mapping (``(cid:3)``): dropped like any running head."""
    import gov_audit._read._pdf as pdf_module

    real = pdf_module._page_blocks

    def with_cid(page):
        return [(kind, f"(cid:3){block}" if kind == "head" else block) for kind, block in real(page)]

    def draw(c, n):
        c.drawCentredString(A4[0] / 2, A4[1] - 30, "某某县人民政府 2020")
        c.drawString(72, 600, f"正文第{n}页的内容")

    monkeypatch.setattr(pdf_module, "_page_blocks", with_cid)
    pieces, text = pdf_pieces(_pdf(draw, pages=3))
    assert [p.text for p in pieces] == ["某某县人民政府 2020", "正文第1页的内容", "正文第2页的内容", "正文第3页的内容"]
    assert "(cid:" not in text and text.count("某某县人民政府") == 1


def test_running_foot_is_dropped_on_every_page():
    def draw(c, n):
        c.drawString(72, 600, "规章 1 2 3")
        c.drawCentredString(A4[0] / 2, 40, "某县人民政府办公室 2021年")

    assert [p.text for p in pdf_pieces(_pdf(draw, pages=2))[0]] == ["规章 1 2 3", "规章 1 2 3"]


@pytest.mark.parametrize("mark", ["第 {n} 页", "{n}", "— {n} —", "第{n}页 共3页", "{n}/3"])
def test_page_number_styles(mark):
    def draw(c, n):
        c.drawString(72, 600, "正文")
        c.drawCentredString(A4[0] / 2, 28, mark.format(n=n))

    pieces, _ = pdf_pieces(_pdf(draw, pages=1))  # even alone on one page
    assert [p.text for p in pieces] == ["正文"]


def test_a_number_in_the_body_is_kept():
    def draw(c, n):
        c.drawString(72, 600, "12")

    assert [p.text for p in pdf_pieces(_pdf(draw))[0]] == ["12"]


def test_spaced_out_header_reads_as_one_label():
    def draw(c, n):
        _grid(c, 72, 760, [80, 80], [20, 20], {(0, 0): "商 业 企 业", (0, 1): "科  研  机  构",
                                              (1, 0): "3", (1, 1): "4"})

    atoms = atomise(pdf_pieces(_pdf(draw))[0])
    assert [a.text for a in atoms if a.kind == LABEL] == ["商业企业科研机构"] or \
        [a.text for a in atoms if a.kind == LABEL] == ["商业企业", "科研机构"]
    assert [a.text for a in atoms if a.kind != LABEL] == ["3", "4"]


def test_fake_bold_characters_are_read_once():
    def draw(c, n):
        for dx in (0, 0.3):  # printed twice, a hair apart: how some PDFs make bold text
            c.drawString(72 + dx, 600, "总计 12")

    assert [p.text for p in pdf_pieces(_pdf(draw))[0]] == ["总计 12"]


def test_a_box_around_text_is_not_a_table():
    def draw(c, n):
        c.rect(60, 500, 400, 200)
        c.drawString(72, 650, "规章 1 2 3")

    pieces, _ = pdf_pieces(_pdf(draw))
    assert [(p.text, p.cell) for p in pieces] == [("规章 1 2 3", False)]


def test_report_table_runs_over_a_page_break():
    pytest.importorskip("reportlab")
    from gov_audit.testing._render import render

    from gov_audit import get_template

    cells = {c: 0.0 for c in get_template("2021").codes}
    data = render(cells, "pdf", seed=2, template="2021")
    pieces, _ = pdf_pieces(data)
    t3_pages = {p.where.split()[1] for p in pieces if "（七）总计" in p.text or "一、本年新收" in p.text}
    assert len(t3_pages) == 2, "the fixture should put table 3 across a page break"
    report = read(data, name="r.pdf")
    assert report.form == "pdf" and report.status == "ok"
    assert report.cells == cells


def test_scan_without_text_layer():
    pytest.importorskip("reportlab")
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    img = Image.new("RGB", (200, 100), "white")
    for x in range(20, 180):
        img.putpixel((x, 50), (0, 0, 0))

    def draw(c, n):
        c.drawImage(ImageReader(img), 72, 500, 400, 200)

    with pytest.raises(InputError) as err:
        read(_pdf(draw, pages=2), name="scan.pdf")
    assert err.value.reason == "no_text_layer"
    assert "扫描件" in str(err.value) and "OCR" in str(err.value)


def test_encrypted_pdf_is_corrupt_with_a_reason():
    pytest.importorskip("reportlab")
    from reportlab.lib import pdfencrypt

    def draw(c, n):
        c.drawString(72, 600, "机密")

    with pytest.raises(InputError) as err:
        read(_pdf(draw, encrypt=pdfencrypt.StandardEncryption("secret", ownerPassword="owner")), name="x.pdf")
    assert err.value.reason == "corrupt"
    assert "encrypted" in str(err.value) and "加密" in str(err.value)


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.9])
def test_truncated_pdf_is_corrupt(cut):
    data = _pdf(lambda c, n: c.drawString(72, 600, "正文 1 2 3"), pages=2)
    with pytest.raises(InputError) as err:
        read(data[: int(len(data) * cut)], name="cut.pdf")
    assert err.value.reason == "corrupt"


def test_pdf_header_with_junk_is_corrupt():
    with pytest.raises(InputError) as err:
        read(b"%PDF-1.7\n" + b"\x00\x93junk" * 100, name="junk.pdf")
    assert err.value.reason == "corrupt"
