"""The markdown reader on small hand-made documents, one trap each (PDF → markdown damage)."""
from __future__ import annotations

from gov_audit._read import read
from gov_audit._read._markdown import is_footer, markdown_pieces

HEAD = "# 某某县人民政府 2025 年 政府信息公开工作年度报告\n\n本报告所列数据统计期限从2025年1月1日至2025年12月31日止。\n\n"
T3 = {  # canonical row → (printed label, seven values), consistent
    "new": ("一、本年新收政府信息公开申请数量", [10, 2, 0, 0, 1, 0, 13]),
    "carry_in": ("二、上年结转政府信息公开申请数量", [1, 0, 0, 0, 0, 0, 1]),
    "granted": ("（一）予以公开", [6, 1, 0, 0, 1, 0, 8]),
    "partial": ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [2, 0, 0, 0, 0, 0, 2]),
    "reject_mass": ("4.无正当理由大量反复申请", [1, 0, 0, 0, 0, 0, 1]),
    "reject_confirm": ("5.要求行政机关确认或重新出具已获取信息", [0, 1, 0, 0, 0, 0, 1]),
    "other_no_correction": ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", [2, 0, 0, 0, 0, 0, 2]),
    "other_no_fee": ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", [0, 0, 0, 0, 0, 0, 0]),
    "total": ("（七）总计", [10, 2, 0, 0, 1, 0, 13]),
    "carry_out": ("四、结转下年度继续办理", [1, 0, 0, 0, 0, 0, 1]),
}


def row(label: str, vals, extra: str = "") -> str:
    return f"| {label} | " + " | ".join(map(str, vals)) + f" |{extra}\n"


def texts(md: str):
    return [(p.text, p.cell, p.label_only) for p in markdown_pieces(md)]


def values(rep, row_code: str):
    return [rep.cells[f"t3.{row_code}.{c}"] for c in ("natural", "commercial", "research", "public_interest",
                                                         "legal", "other_org", "total")]


# -- pieces -----------------------------------------------------------------------------------
def test_pipe_rows_give_one_piece_per_cell_and_separators_vanish():
    md = "| 信息内容 | 本年处理决定数量 |\n|---|:---:|\n| 行政许可 | 12 |\n| 行政处罚 |  |\n"
    assert texts(md) == [("信息内容", True, True), ("本年处理决定数量", True, True),
                         ("行政许可", True, False), ("12", True, False), ("行政处罚", True, False), ("", True, False)]


def test_other_lines_lose_their_markdown_syntax():
    md = "## 二、主动公开政府信息情况\n> **注：** 单位 `万元`\n- 第一项\n1. 属于国家秘密\n"
    assert [t for t, *_ in texts(md)] == ["二、主动公开政府信息情况", "注： 单位 万元", "第一项", "1. 属于国家秘密"]


def test_page_footers_are_dropped_in_and_outside_tables():
    for footer in ("— 4 —", "- 12 -", "－5－", "第 3 页", "第3页 共9页", "—4—"):
        assert is_footer(footer), footer
    for text in ("—", "4", "-2", "第二十条第（一）项", "— 一 —"):
        assert not is_footer(text), text
    md = "— 4 —\n| 规章 | 1 | — 5 — | 2 | 3 |\n"
    assert [t for t, *_ in texts(md)] == ["规章", "1", "2", "3"]


def test_a_word_header_is_label_text_even_with_digits_but_a_numeric_header_is_data():
    md = "| 类别 | 数据1 | 数据2 | 总计 |\n|---|---|---|---|\n| 1.属于国家秘密 | 4 | 0 | 4 |\n|---|---|---|---|\n"
    assert texts(md) == [("类别", True, True), ("数据1", True, True), ("数据2", True, True), ("总计", True, True),
                         ("1.属于国家秘密", True, False), ("4", True, False), ("0", True, False), ("4", True, False)]


def test_br_joins_words_but_not_numbers():
    assert [t for t, *_ in texts("| 商业企<br>业 | 1<br/>2 | 3<br>件 |\n")] == ["商业企业", "1 2", "3件"]


def test_escaped_bar_stays_in_its_cell():
    assert [t for t, *_ in texts(r"| a \| b | 1 |" + "\n")] == ["a | b", "1"]


# -- whole reports ----------------------------------------------------------------------------
def table3(*codes, extra_row: str = "") -> str:
    return "| 项目 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |\n|---|---|---|---|---|---|---|---|\n" + \
        "".join(row(*T3[c]) for c in codes) + extra_row


def test_year_agency_and_template_from_a_spaced_title():
    rep = read(HEAD + table3("new", "carry_in"), form="markdown")
    assert (rep.year, rep.agency, rep.template) == (2025, "某某县人民政府", "2021")


def test_a_row_that_lost_its_label_takes_the_next_row_by_position():
    md = HEAD + table3("new", "carry_in", "granted", "partial", "reject_mass") + \
        row("", T3["reject_confirm"][1]) + row("行政机关不再处理其政府信息公", T3["other_no_correction"][1]) + \
        "\n（六）其\n2.申请人逾期未按收费通知要求\n他处理\n— 5 —\n" + row("缴纳费用、", T3["other_no_fee"][1]) + \
        row(*T3["total"]) + row(*T3["carry_out"])
    rep = read(md, form="markdown")
    assert values(rep, "reject_mass") == T3["reject_mass"][1]
    assert values(rep, "reject_confirm") == T3["reject_confirm"][1]
    assert values(rep, "other_no_correction") == T3["other_no_correction"][1]
    assert rep.provenance["t3.reject_confirm.natural"].how == "inferred"
    assert values(rep, "other_no_fee") == T3["other_no_fee"][1]
    assert values(rep, "total") == T3["total"][1]
    assert any(f.reason == "row_inferred" for f in rep.parse_findings)


def test_a_lost_label_is_not_guessed_when_the_rows_do_not_fit():
    md = HEAD + table3("new", "carry_in", "granted", "partial", "reject_mass") + "| 0 | 0 |\n" + row(*T3["total"])
    rep = read(md, form="markdown")
    assert values(rep, "reject_mass") == T3["reject_mass"][1]
    assert rep.provenance["t3.reject_confirm.natural"].how == "missing"


def test_trailing_empty_cells_of_a_shifted_row_are_not_values():
    md = HEAD + table3("new", "carry_in") + row(*T3["granted"], "  |") + row(*T3["partial"], "  |")
    rep = read(md, form="markdown")
    assert values(rep, "granted") == T3["granted"][1] and values(rep, "partial") == T3["partial"][1]


def test_rows_under_a_wrong_header_keep_the_standard_column_order():
    wrong = "\n| 项目 | 本年新收件数 | 上年结转件数 | 予以公开 | 部分公开 | 不予公开 | 结转下年度 | 总计 |\n|---|---|---|---|---|---|---|---|\n"
    md = HEAD + table3("new", "carry_in", "granted", "partial") + wrong + row(*T3["total"]) + row(*T3["carry_out"])
    rep = read(md, form="markdown")
    assert values(rep, "total") == T3["total"][1] and values(rep, "carry_out") == T3["carry_out"][1]


def test_one_table_per_row_group_with_placeholder_headers():
    md = HEAD
    for code in ("new", "carry_in", "granted"):
        md += f"### {T3[code][0]}\n| 类别 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |\n|---|---|---|---|---|---|---|---|\n"
        md += row(T3[code][0].split("、")[-1], T3[code][1]) + "\n"
    rep = read(md, form="markdown")
    for code in ("new", "carry_in", "granted"):
        assert values(rep, code) == T3[code][1]


def test_a_header_split_across_lines():
    md = HEAD + "申请人情况\n商业企\n业\n科研\n机构\n" + "".join(row(*T3[c]) for c in ("new", "carry_in"))
    rep = read(md, form="markdown")
    assert values(rep, "new") == T3["new"][1]


def test_table_4_split_into_three_tables():
    head = "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n|---|---|---|---|---|\n"
    md = HEAD + table3("new", "carry_in") + "\n## 四、政府信息公开行政复议、行政诉讼情况\n"
    groups = {"行政复议": [2, 1, 0, 1, 4], "行政诉讼（未经复议直接起诉）": [0, 0, 1, 0, 1], "行政诉讼（复议后起诉）": [1, 0, 0, 0, 1]}
    for title, vals in groups.items():
        md += f"### {title}\n{head}| " + " | ".join(map(str, vals)) + " |\n\n"
    rep = read(md + "## 五、存在的主要问题\n2025年共3项。\n", form="markdown")
    assert [rep.cells[c] for c in rep.cells if c.startswith("t4.")] == [v for vals in groups.values() for v in vals]


def test_placeholders_and_blanks_in_cells_are_not_reported():
    md = HEAD + table3("new") + "| 二、上年结转政府信息公开申请数量 | / | — | 无 |  | 0 | - | 1 |\n"
    rep = read(md, form="markdown")
    assert values(rep, "carry_in") == [None, None, None, None, 0, None, 1]


def test_words_in_a_value_cell_are_reported_and_do_not_shift_the_row():
    md = HEAD + table3("new", "carry_in") + "| （一）予以公开 | 6 | 见附件 | 0 | 0 | 1 | 0 | 8 |\n"
    rep = read(md, form="markdown")
    assert values(rep, "granted") == [6, None, 0, 0, 1, 0, 8]
    assert any(f.cells == ("t3.granted.commercial",) and "见附件" in f.message_zh for f in rep.parse_findings)
