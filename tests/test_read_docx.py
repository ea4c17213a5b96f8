"""The DOCX reader: body order, merged cells, nested tables, blank cells, corrupt files."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from gov_audit import InputError
from gov_audit._read import read
from gov_audit._read._docx import docx_pieces

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _save(document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _texts(data: bytes) -> list[tuple[str, bool]]:
    pieces, _ = docx_pieces(data)
    return [(p.text, p.cell) for p in pieces]


def test_paragraphs_and_tables_in_body_order():
    d = docx.Document()
    d.add_paragraph("标题")
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "规章", "3"
    d.add_paragraph("之后\t4")
    assert _texts(_save(d)) == [("标题", False), ("规章", True), ("3", True), ("之后", False), ("4", False)]


def test_merged_cells_print_once_and_empty_cells_are_blank():
    d = docx.Document()
    t = d.add_table(rows=3, cols=3)
    t.cell(0, 0).merge(t.cell(2, 0)).text = "三、本年度办理结果"   # vMerge over three rows
    t.cell(0, 1).merge(t.cell(0, 2)).text = "（一）予以公开"       # gridSpan over two columns
    t.cell(1, 1).text = "5"
    t.cell(2, 2).text = "7"
    assert _texts(_save(d)) == [
        ("三、本年度办理结果", True), ("（一）予以公开", True),
        ("5", True), ("", True),
        ("", True), ("7", True),
    ]


def test_nested_table_is_read_where_it_stands():
    d = docx.Document()
    outer = d.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "外"
    frame = outer.cell(0, 1)
    inner = frame.add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "内", "9"
    d.add_paragraph("后")
    texts = _texts(_save(d))
    # the cell that only frames the nested table is layout, not a blank cell of the report
    assert texts == [("外", True), ("内", True), ("9", True), ("后", False)]


def test_multi_paragraph_cell_is_one_piece():
    d = docx.Document()
    cell = d.add_table(rows=1, cols=1).cell(0, 0)
    cell.text = "本年新"
    cell.add_paragraph("制作数量")
    pieces, text = docx_pieces(_save(d))
    assert [p.text for p in pieces] == ["本年新\n制作数量"]
    assert "本年新" in text


def test_deleted_text_skipped_inserted_and_hyperlinked_text_kept():
    d = docx.Document()
    p = d.add_paragraph()
    p._p.append(etree.fromstring(
        f'<w:ins xmlns:w="{W}" w:id="1" w:author="a"><w:r><w:t>新增</w:t></w:r></w:ins>'))
    p._p.append(etree.fromstring(
        f'<w:del xmlns:w="{W}" w:id="2" w:author="a"><w:r><w:delText>删除</w:delText></w:r></w:del>'))
    p._p.append(etree.fromstring(
        f'<w:hyperlink xmlns:w="{W}"><w:r><w:t>链接</w:t></w:r></w:hyperlink>'))
    assert _texts(_save(d)) == [("新增链接", False)]


def test_content_control_around_a_table_is_looked_through():
    d = docx.Document()
    t = d.add_table(rows=1, cols=1)
    t.cell(0, 0).text = "在控件里"
    tbl = t._tbl
    sdt = etree.SubElement(tbl.getparent(), f"{{{W}}}sdt")
    content = etree.SubElement(sdt, f"{{{W}}}sdtContent")
    tbl.addprevious(sdt)
    content.append(tbl)
    assert _texts(_save(d)) == [("在控件里", True)]


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("make", [
    lambda good: good[: len(good) // 2],                                   # truncated download
    lambda good: b"PK\x03\x04" + b"\x00" * 200,                             # zip signature, junk after
    lambda good: _zip({"hello.txt": b"not a word file"}),                   # a zip, but no word/document.xml
    lambda good: _without(good, "word/document.xml"),                      # a docx missing its body
    lambda good: _replace(good, "word/document.xml", b"<w:document><unclosed"),  # broken XML
])
def test_corrupt_docx_is_an_input_error(make):
    d = docx.Document()
    d.add_paragraph("正文")
    bad = make(_save(d))
    with pytest.raises(InputError) as err:
        read(bad, name="bad.docx")
    assert err.value.reason == "corrupt"
    assert "文件已损坏" in str(err.value) and "corrupt" in str(err.value)


def _without(data: bytes, name: str) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    return _zip({i.filename: src.read(i) for i in src.infolist() if i.filename != name})


def _replace(data: bytes, name: str, body: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    return _zip({i.filename: (body if i.filename == name else src.read(i)) for i in src.infolist()})


def test_docx_report_is_read_end_to_end(tmp_path):
    from gov_audit.testing._render import render

    tpl_cells = _zeros("2021")
    tpl_cells["t3.new.natural"] = tpl_cells["t3.new.total"] = 3.0
    tpl_cells["t3.granted.natural"] = tpl_cells["t3.granted.total"] = 3.0
    tpl_cells["t3.total.natural"] = tpl_cells["t3.total.total"] = 3.0
    path = tmp_path / "report.docx"
    path.write_bytes(render(tpl_cells, "docx", seed=1, template="2021"))
    report = read(path)
    assert report.form == "docx" and report.template == "2021" and report.status == "ok"
    assert report.cells == tpl_cells


def _zeros(template: str) -> dict[str, float]:
    from gov_audit import get_template

    return {c: 0.0 for c in get_template(template).codes}



@pytest.mark.parametrize("name", ["report-2019.docx", "report-2021.docx"])
def test_committed_docx_fixture(name):
    """Generated DOCX kept in the repository (tests/fixtures/forms/make_forms.py)."""
    folder = Path(__file__).parent / "fixtures" / "forms"
    truth = json.loads((folder / f"{name}.truth.json").read_text(encoding="utf-8"))
    report = read(folder / name)
    assert (report.form, report.template, report.year) == ("docx", truth["template"], truth["year"])
    assert report.status == "ok"
    assert report.cells == truth["cells"]


def test_macro_enabled_document_is_read_like_docx():
    """python-docx refuses a .docm by its content type; its body is read from the zip instead."""
    d = docx.Document()
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "规章", "3"
    src = zipfile.ZipFile(io.BytesIO(_save(d)))
    members = {}
    for info in src.infolist():
        data = src.read(info)
        if info.filename == "[Content_Types].xml":
            data = data.replace(b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml")
        members[info.filename] = data
    assert _texts(_zip(members)) == [("规章", True), ("3", True)]
