"""The HTML reader on small hand-made pages, one trap each."""
from __future__ import annotations

import pytest

from gov_audit._read import read
from gov_audit._read._html import declared_charset, html_pieces

T3_ROWS = [  # (printed label, seven values) — a consistent little table 3 (2021 template)
    ("一、本年新收政府信息公开申请数量", [5, 1, 0, 0, 0, 0, 6]),
    ("二、上年结转政府信息公开申请数量", [1, 0, 0, 0, 0, 0, 1]),
    ("（一）予以公开", [3, 1, 0, 0, 0, 0, 4]),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [1, 0, 0, 0, 0, 0, 1]),
]
T3_TAIL = [("（七）总计", [5, 1, 0, 0, 0, 0, 6]), ("四、结转下年度继续办理", [1, 0, 0, 0, 0, 0, 1])]


def cells(html: str, encoding: str = "utf-8"):
    pieces, _ = html_pieces(html.encode(encoding))
    return [(p.text, p.cell) for p in pieces]


def table_cells(html: str) -> list[str]:
    pieces, _ = html_pieces(html.encode("utf-8"))
    return [p.text for p in pieces if p.cell]


def t3_rows_html(rows) -> str:
    return "".join(f"<tr><td>{label}</td>" + "".join(f"<td>{v}</td>" for v in vals) + "</tr>" for label, vals in rows)


# -- grid expansion ---------------------------------------------------------------------------
def test_rowspan_and_colspan_give_one_piece_per_real_cell():
    html = """<table>
      <tr><td rowspan="2">（三）不予公开</td><td>1.属于国家秘密</td><td colspan="2">7</td></tr>
      <tr><td>2.其他法律行政法规禁止公开</td><td>8</td><td>9</td></tr></table>"""
    assert table_cells(html) == ["（三）不予公开", "1.属于国家秘密", "7", "2.其他法律行政法规禁止公开", "8", "9"]


def test_spans_are_placed_on_the_grid():
    html = """<table><tr><td rowspan="2">A</td><td>B</td></tr><tr><td>C</td></tr></table>"""
    pieces, _ = html_pieces(html.encode())
    assert [(p.text, p.where.split("html ")[1]) for p in pieces] == [
        ("A", "table 1, row 1, col 1"), ("B", "table 1, row 1, col 2"), ("C", "table 1, row 2, col 2")]


@pytest.mark.parametrize("span", ['rowspan="abc"', 'rowspan="0"', 'colspan="99999999"', 'rowspan="-3"', 'colspan=""'])
def test_bad_spans_do_not_raise(span):
    assert table_cells(f"<table><tr><td {span}>1</td><td>2</td></tr><tr><td>3</td></tr></table>") == ["1", "2", "3"]


def test_empty_cells_are_blank_cells():
    html = """<table><tr><td>&nbsp;</td><td><p><o:p> </o:p></p></td><td><span>&nbsp;&nbsp;</span></td>
              <td>　</td><td></td><td>0</td></tr></table>"""
    assert cells(html) == [("", True)] * 5 + [("0", True)]


def test_padding_around_a_value_is_dropped():
    html = "<table><tr><td><span style='font-family:Calibri'>&nbsp;</span>0<span>&nbsp;&nbsp;&nbsp;</span></td></tr></table>"
    assert table_cells(html) == ["0"]


# -- text inside one cell --------------------------------------------------------------------
def test_words_split_across_spans_and_paragraphs_join():
    html = """<table><tr><td><span><font face="方正仿宋_GBK">申请人情</font></span><span>况</span></td>
      <td><p>商业</p><p>企业</p></td><td><p>三、本</p><p>年</p><p>度</p>办理结果</td></tr></table>"""
    assert table_cells(html) == ["申请人情况", "商业企业", "三、本年度办理结果"]


def test_a_header_written_one_character_per_paragraph_joins():
    html = "<table><tr><td><p>结</p><p>果</p><p>纠</p><p>正</p></td></tr></table>"
    assert table_cells(html) == ["结果纠正"]


def test_numbers_in_separate_paragraphs_stay_apart():
    html = "<table><tr><td><p>1</p><p>2</p></td><td>3<br>4</td><td><p>12</p><p>件</p></td></tr></table>"
    assert table_cells(html) == ["1 2", "3 4", "12件"]


# -- text outside tables ----------------------------------------------------------------------
def test_blocks_outside_tables_are_pieces_in_reading_order():
    html = """<html><head><title>标题</title><style>p {color: red}</style><script>var x = "总计 1 2 3";</script></head>
      <body><h1>某某县人民政府2023年政府信息公开工作年度报告</h1><div>一、总体情况<p>共收到申请 <b>26</b> 件。</p></div>
      <!-- 注释 99 --><noscript>请启用脚本 7</noscript>
      <table><tr><td>表</td></tr></table><p>结尾</p></body></html>"""
    assert cells(html) == [("某某县人民政府2023年政府信息公开工作年度报告", False), ("一、总体情况", False),
                           ("共收到申请 26 件。", False), ("表", True), ("结尾", False)]


def test_layout_tables_are_walked_as_blocks_and_data_tables_inside_them_as_grids():
    html = """<table class="layout"><tr><td>导航</td><td><div>正文标题</div>
      <table><tr><td>规章</td><td>0</td></tr></table></td></tr></table>"""
    assert cells(html) == [("导航", False), ("正文标题", False), ("规章", True), ("0", True)]


def test_a_caption_is_a_heading_before_the_grid():
    assert cells("<table><caption>表三 申请情况</caption><tr><td>1</td></tr></table>") == [("表三 申请情况", False), ("1", True)]


def test_plain_text_has_the_title_first_and_tab_separated_rows():
    html = "<html><head><title>某局2023年政府信息公开年度报告</title></head><body><table><tr><td>A</td><td>1</td></tr></table></body></html>"
    _, text = html_pieces(html.encode())
    assert text.splitlines() == ["某局2023年政府信息公开年度报告", "A\t1"]


# -- encodings --------------------------------------------------------------------------------
PAGE = "<html><body><p>沭阳县发展和改革局2023年政府信息公开年度报告</p><table><tr><td>总计</td><td>26</td></tr></table></body></html>"


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8"])
def test_gbk_and_utf8_pages_without_a_declaration(encoding):
    assert cells(PAGE, encoding)[0][0] == "沭阳县发展和改革局2023年政府信息公开年度报告"


def test_declared_gb2312_page_using_gbk_characters():
    page = PAGE.replace("<html>", '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>')
    data = page.encode("gbk")
    assert declared_charset(data) == "gb2312"
    assert html_pieces(data)[0][0].text.startswith("沭阳县")


def test_a_wrong_declaration_does_not_garble_utf8():
    page = PAGE.replace("<html>", '<html><head><meta charset="gbk"></head>')
    assert html_pieces(page.encode("utf-8"))[0][0].text.startswith("沭阳县")


def test_byte_order_mark():
    assert html_pieces(b"\xef\xbb\xbf" + PAGE.encode())[0][0].text.startswith("沭阳县")


@pytest.mark.parametrize("data", [b"<", b"<html></html>", b"<table><tr><td>", b"\x00\x01<p>", b"<?xml version='1.0' encoding='utf-8'?><p>x</p>"])
def test_malformed_pages_do_not_raise(data):
    pieces, text = html_pieces(data)
    assert isinstance(pieces, list) and isinstance(text, str)


# -- whole reports ----------------------------------------------------------------------------
def report_html(body: str) -> bytes:
    head = "<html><head><title>某某县人民政府2023年政府信息公开工作年度报告</title></head><body>"
    return (head + "<p>本报告所列数据统计期限自2023年1月1日起至2023年12月31日止。</p>" + body + "</body></html>").encode()


def test_table_3_split_over_two_tables_with_chrome_around():
    body = ("<div class='nav'>首页 政务公开 2024年</div><p>三、收到和处理政府信息公开申请情况</p>"
            f"<table>{t3_rows_html(T3_ROWS[:2])}</table><p>— 第 1 页 —</p>"
            f"<table>{t3_rows_html(T3_ROWS[2:] + T3_TAIL)}</table><div>版权所有 联系我们</div>")
    rep = read(report_html(body), form="html")
    assert rep.year == 2023 and rep.agency == "某某县人民政府"
    for label, vals in T3_ROWS[:1]:
        assert [rep.cells[f"t3.new.{c}"] for c in ("natural", "commercial", "total")] == [5, 1, 6]
    assert rep.cells["t3.granted.total"] == 4 and rep.cells["t3.carry_out.natural"] == 1


def test_blank_columns_read_as_not_reported():
    rows = "".join(f"<tr><td>{label}</td><td>{v[0]}</td>" + "<td><p><o:p>&nbsp;</o:p></p></td>" * 5 + f"<td>{v[6]}</td></tr>"
                   for label, v in T3_ROWS)
    rep = read(report_html(f"<table>{rows}</table>"), form="html")
    assert rep.cells["t3.new.natural"] == 5 and rep.cells["t3.new.total"] == 6
    assert rep.cells["t3.new.commercial"] is None and rep.provenance["t3.new.commercial"].how == "blank"


def test_group_label_spanning_rows_is_read_once():
    rows = ('<tr><td rowspan="2">（三）不予公开</td><td>1.属于国家秘密</td>' + "<td>1</td>" * 7 + "</tr>"
            "<tr><td>2.其他法律行政法规禁止公开</td>" + "<td>2</td>" * 7 + "</tr>")
    rep = read(report_html(f"<table>{t3_rows_html(T3_ROWS)}{rows}</table>"), form="html")
    assert rep.cells["t3.deny_secret.natural"] == 1 and rep.cells["t3.deny_law.total"] == 2


def test_vertical_table_4_headers():
    head = ("<tr><td colspan='5'>行政复议</td><td colspan='10'>行政诉讼</td></tr><tr>"
            + "".join(f"<td rowspan='2'>{''.join(f'<p>{c}</p>' for c in w)}</td>" for w in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"])
            + "<td colspan='5'>未经复议直接起诉</td><td colspan='5'>复议后起诉</td></tr><tr>"
            + "".join(f"<td>{''.join(f'<p>{c}</p>' for c in w)}</td>" for w in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2)
            + "</tr>")
    values = [0, 0, 0, 1, 1, 2, 0, 0, 0, 2, 0, 0, 1, 0, 1]
    body = (f"<table>{t3_rows_html(T3_ROWS)}</table><p>四、政府信息公开行政复议、行政诉讼情况</p><table>{head}<tr>"
            + "".join(f"<td><span>&nbsp;</span>{v}<span>&nbsp;</span></td>" for v in values) + "</tr></table>")
    rep = read(report_html(body), form="html")
    assert [rep.cells[c] for c in rep.cells if c.startswith("t4.")] == values


# -- the stylesheet reads pages exactly as the reference walker does ------------------------------
# html_pieces reads pages with _html_xslt (libxslt walks the document); _html._Walker is the
# reading written out in Python, the contract. Each page below has one trap; the generated
# pages mix them.
from gov_audit._read import _html, _html_xslt  # noqa: E402

TRAPS = [
    "<p>1</p><p>2</p>", "<p>12</p><p>件</p>", "3<br>4", "a<br/>b", "&nbsp;", "<p><o:p>&nbsp;</o:p></p>", "<o:p></o:p>",
    "<span>申请人情</span><span>况</span>", "<b>26</b>", " ", "\n", "\u3000", "\u200b", "\ufeff", "\u2028", "\x1c", "\x85",
    "²", "①", "٣", "总计", "0", "<!-- 注释 9 -->", "<script>var x='<td>1</td>';</script>", "<style>td{a:b}p{c:d}</style>",
    "<noscript>7</noscript>", "<title>T2</title>", "<div>块</div>", "<ul><li>a</li><li>1</li></ul>", "<caption>表</caption>",
    "<w:sdt>w</w:sdt>", "<linK>k</linK>", "<bloc\u212aquote>q</bloc\u212aquote>", "&#1;", "&#13;", "\r\n", "<td>stray</td>",
    "<tr><td>stray row</td></tr>", "<select><option>9</option></select>", "<pre> p  re </pre>", "<hr>", "<table></table>",
    "</p>", "</td>", "<svg><title>st</title></svg>",
]
SPANS = ["", "", "", ' rowspan="2"', ' colspan="2"', ' rowspan="3" colspan="2"', ' rowspan="2;"', ' colspan="abc"',
         ' rowspan="0"', ' colspan="5000"', ' rowspan="-1"', ' rowspan=""', ' colspan=" 2 "', ' rowspan="２"', ' ROWSPAN="2"']


def _text(rng, most=3) -> str:
    return "".join(rng.choice(TRAPS) if rng.random() < 0.6 else rng.choice(["结", "果", "12", " 4 ", "x y", "（一）"])
                   for _ in range(rng.randint(0, most)))


def _table(rng, depth: int) -> str:
    rows = []
    for _ in range(rng.randint(0, 5)):
        cells = []
        for _ in range(rng.randint(0, 5)):
            inner = "".join(f"<p>{_text(rng, 2)}</p>" for _ in range(rng.randint(1, 3))) if rng.random() < 0.3 else _text(rng)
            if depth and rng.random() < 0.15:
                inner += _table(rng, depth - 1)  # the outer table becomes a layout table
            tag = rng.choice(["td", "td", "th"])
            cells.append(f"<{tag}{rng.choice(SPANS)}>{inner}" + ("" if rng.random() < 0.1 else f"</{tag}>"))
        rows.append(f"<tr>{''.join(cells)}</tr>" if rng.random() < 0.9 else "".join(cells))
    caption = f"<caption>{_text(rng)}</caption>" if rng.random() < 0.2 else ""
    return f"<table>{caption}{''.join(rows)}</table>"


def _page(rng) -> bytes:
    body = "".join(_table(rng, rng.randint(0, 2)) if rng.random() < 0.4 else
                   f"<ul><li>{_table(rng, 0)}</li></ul>" if rng.random() < 0.2 else _text(rng, 5)
                   for _ in range(rng.randint(0, 8)))
    head = rng.choice(["", "<head><title>标题 一</title></head>", "<head><title> t </title><style>p{}</style></head>"])
    shape = rng.choice(["<html>{h}<body>{b}</body></html>", "{h}{b}", "<html>{h}<body></body><body>{b}</body></html>"])
    return shape.format(h=head, b=body).encode(rng.choice(["utf-8", "utf-8", "gb18030"]), "replace")


def walked(data: bytes) -> tuple[list, str]:
    doc, _ = _html._parse_page(data)
    if doc is None:
        return [], ""
    walker = _html._Walker()
    body = doc.find("body")
    walker.walk(body if body is not None else doc)
    title = _html._title(doc)
    return walker.pieces, "\n".join(([title] if title else []) + walker.lines)


def test_generated_pages_read_as_the_walker_reads_them():
    import random
    rng = random.Random(20240501)
    pages = [_page(rng) for _ in range(400)]
    fitted = 0
    for data in pages:
        doc, utf8 = _html._parse_page(data)
        fitted += doc is not None and _html_xslt.fits(utf8)
        assert html_pieces(data) == walked(data), data
    assert fitted > 300  # the pages above exercise the stylesheet, not the fallback


@pytest.mark.parametrize("html, expected", [
    # a rowspan covers the first column of the rows below; a colspan moves the cells after it
    ('<table><tr><td rowspan="3">A</td><td colspan="2">B</td><td>C</td></tr><tr><td>D</td><td>E</td></tr>'
     '<tr><td>F</td></tr></table>',
     [("A", "1, col 1"), ("B", "1, col 2"), ("C", "1, col 4"), ("D", "2, col 2"), ("E", "2, col 3"), ("F", "3, col 2")]),
    # a rowspan in a middle column: the cells of the next row go around it
    ('<table><tr><td>a</td><td rowspan="2">b</td><td>c</td></tr><tr><td>d</td><td>e</td></tr></table>',
     [("a", "1, col 1"), ("b", "1, col 2"), ("c", "1, col 3"), ("d", "2, col 1"), ("e", "2, col 3")]),
    # a rowspan past the last row is cut at the table's end; span typos read sanely
    ('<table><tr><td rowspan="9">x</td><td colspan="2;">y</td><td colspan="abc">z</td></tr><tr><td>w</td></tr></table>',
     [("x", "1, col 1"), ("y", "1, col 2"), ("z", "1, col 4"), ("w", "2, col 2")]),
])
def test_grid_positions(html, expected):
    pieces, _ = html_pieces(html.encode())
    assert [(p.text, p.where.split("row ")[1]) for p in pieces] == expected


def test_lines_of_a_cell_join_and_white_space_is_cleaned():
    html = ("<table><tr><td>\n<p> 1 </p>\n<p>\u3000</p><p>2</p></td><td><p>结</p><br><p>果</p></td>"
            "<td>a \u2028<br> b</td><td><p>①</p><p>²</p></td><td>\u200b</td></tr></table>")
    assert table_cells(html) == ["1 2", "结果", "ab", "① ²", ""]


def test_text_outside_tables_and_captions_are_numbered_blocks():
    html = "<body>前<table><caption> 表一 </caption><tr><td>1</td></tr></table>后<div>尾</div></body>"
    pieces, text = html_pieces(html.encode())
    assert [(p.text, p.where) for p in pieces] == [
        ("前", "html block 1"), ("表一", "html block 2"), ("1", "html table 1, row 1, col 1"),
        ("后", "html block 3"), ("尾", "html block 4")]
    assert text.splitlines() == ["前", "表一", "1", "后", "尾"]


@pytest.mark.parametrize("trap", ["<p>\ufdd0d</p>", "<p>&#64976;r</p>", "<td rowspan='\ufdd02'>", "<x}td>y</x}td>"])
def test_pages_the_stylesheet_cannot_mark_up_are_walked(trap):
    data = f"<table><tr><td>1</td>{trap}<td rowspan='2'>2</td></tr><tr><td>3</td></tr></table>".encode()
    assert not _html_xslt.fits(data)
    assert html_pieces(data) == walked(data)


def test_damaged_utf8_is_decoded_before_parsing():
    page = PAGE.encode() + b"\xe4\xb8"  # a truncated download: cut mid-character
    assert html_pieces(page) == html_pieces(PAGE.encode())
    assert html_pieces(b"\xef\xbb\xbf" + PAGE.encode()) == html_pieces(PAGE.encode())


@pytest.mark.parametrize("noise", ['<p id="a">x</p><p id="a">y</p>', "</div></span>", "<p>a</b>"])
def test_a_utf8_page_with_parser_complaints_is_parsed_once_as_it_is(noise):
    """Real pages make libxml2 complain (a repeated id, stray end tags): valid UTF-8 is still kept as is."""
    from lxml import etree

    data = PAGE.replace("</body>", noise + "</body>").encode()
    doc, utf8 = _html._parse_page(data)
    assert _html._parser().error_log  # the parser did complain
    assert utf8 is data  # … and the page was not decoded and parsed again
    again = etree.fromstring(data.decode("utf-8").encode("utf-8"), _html._parser())
    assert etree.tostring(doc) == etree.tostring(again)


def test_a_gbk_page_with_parser_complaints_is_still_decoded():
    page = PAGE.replace("</body>", '<p id="a">x</p><p id="a">y</p></body>')
    data = page.encode("gb18030")
    doc, utf8 = _html._parse_page(data)
    assert utf8 == page.encode("utf-8")
    assert html_pieces(data) == html_pieces(page.encode("utf-8"))


@pytest.mark.parametrize("depth", [300, 1500])
def test_a_deeply_nested_page_is_read_whole(depth):
    """CMS templates nest deep; libxml2's default limit (256) would drop everything below it."""
    page = ("<html><body>" + "<div>" * depth + PAGE.split("<body>")[1].split("</body>")[0]
            + "</div>" * depth + "</body></html>").encode()
    assert [p.text for p in html_pieces(page)[0]] == [p.text for p in html_pieces(PAGE.encode())[0]]
