"""Real variants of the national tables, read through the shared locator (any input form).

Extra printed cells — a 法人或其他组织 小计 column, （三）…（六） subtotal rows, a 行政诉讼
合计 column — must not shift any canonical cell, and are checked against what they sum.
"""
from __future__ import annotations

import pytest
from _corpus import CORPUS

from gov_audit._read import read

HEAD = "<html><head><title>某某市某某局2021年度政府信息公开工作年度报告</title></head><body>" \
       "<p>本报告中所列数据统计期限自2021年1月1日起至2021年12月31日止。</p>"
COLS = ("natural", "commercial", "research", "public_interest", "legal", "other_org", "total")
ROWS = {  # canonical row → (printed label, natural, five organisations, total)
    "new": ("一、本年新收政府信息公开申请数量", [9, 2, 1, 0, 0, 0, 12]),
    "carry_in": ("二、上年结转政府信息公开申请数量", [1, 0, 0, 0, 0, 0, 1]),
    "granted": ("（一）予以公开", [4, 1, 0, 0, 0, 0, 5]),
    "partial": ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [1, 0, 0, 0, 0, 0, 1]),
    "deny_secret": ("1.属于国家秘密", [1, 0, 0, 0, 0, 0, 1]),
    "deny_law": ("2.其他法律行政法规禁止公开", [0, 1, 0, 0, 0, 0, 1]),
    "unable_not_held": ("1.本机关不掌握相关政府信息", [1, 0, 1, 0, 0, 0, 2]),
    "unable_need_create": ("2.没有现成信息需要另行制作", [1, 0, 0, 0, 0, 0, 1]),
    "unable_unclear": ("3.补正后申请内容仍不明确", [1, 0, 0, 0, 0, 0, 1]),
    "total": ("（七）总计", [9, 2, 1, 0, 0, 0, 12]),
    "carry_out": ("四、结转下年度继续办理", [1, 0, 0, 0, 0, 0, 1]),
}


def row(code: str) -> str:
    label, vals = ROWS[code]
    return tr(label, *vals)


def tr(*cells) -> str:
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def with_subtotal(vals, subtotal=None):
    """The printed row with a 小计 after the five organisations (Σ unless given)."""
    return [*vals[:6], sum(vals[1:6]) if subtotal is None else subtotal, vals[6]]


def read_html(body: str):
    return read((HEAD + body + "</body></html>").encode(), form="html")


def t3_values(rep, row):
    return [rep.cells[f"t3.{row}.{c}"] for c in COLS]


def header_with_subtotal() -> str:
    return (tr("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况")
            + tr("自然人", "法人或其他组织", "总计")
            + tr("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "小计"))


def test_an_extra_subtotal_column_does_not_shift_the_total():
    rows = "".join(tr(label, *with_subtotal(v)) for label, v in ROWS.values())
    rep = read_html(f"<table>{header_with_subtotal()}{rows}</table>")
    for row, (_, vals) in ROWS.items():
        assert t3_values(rep, row) == vals, row
    assert [f for f in rep.parse_findings if f.severity == "error"] == []


def test_a_wrong_printed_subtotal_is_an_error_of_its_own_rule():
    rows = "".join(tr(label, *with_subtotal(v, 7 if row == "new" else None)) for row, (label, v) in ROWS.items())
    rep = read_html(f"<table>{header_with_subtotal()}{rows}</table>")
    assert t3_values(rep, "new") == ROWS["new"][1]
    errors = [f for f in rep.parse_findings if f.severity == "error"]
    assert [f.rule for f in errors] == ["read.t3_org_subtotal"]
    assert errors[0].cells == tuple(f"t3.new.{c}" for c in COLS[1:6])
    assert "7" in errors[0].message_zh and "3" in errors[0].message_zh


def test_subtotal_rows_under_a_group_are_not_taken_for_the_next_row():
    subtotal = [sum(ROWS[r][1][k] for r in ("deny_secret", "deny_law")) for k in range(7)]
    order = ["new", "carry_in", "granted", "partial"]
    rows = "".join(tr(ROWS[r][0], *ROWS[r][1]) for r in order)
    rows += tr("（三）不予公开", "小计", *subtotal)
    rows += "".join(tr(ROWS[r][0], *ROWS[r][1]) for r in ("deny_secret", "deny_law"))
    unable = ("unable_not_held", "unable_need_create", "unable_unclear")
    rows += "".join(tr(ROWS[r][0], *ROWS[r][1]) for r in unable)
    right = [sum(ROWS[r][1][k] for r in unable) for k in range(7)]
    rows += tr("小计", *[v + 1 for v in right])  # printed wrong on purpose
    rows += "".join(tr(ROWS[r][0], *ROWS[r][1]) for r in ("total", "carry_out"))
    rep = read_html(f"<table>{rows}</table>")
    for code in order + ["deny_secret", "deny_law", *unable, "total"]:
        assert t3_values(rep, code) == ROWS[code][1], code
    errors = [f for f in rep.parse_findings if f.severity == "error"]
    assert {f.rule for f in errors} == {"read.t3_group_subtotal"}
    assert all(c.startswith("t3.unable_") for f in errors for c in f.cells)
    assert len(errors) == 7  # every column of the wrong 无法提供 subtotal


def test_a_group_label_row_with_empty_cells_is_ignored():
    rows = "".join(tr(ROWS[r][0], *ROWS[r][1]) for r in ("new", "carry_in", "granted", "partial"))
    rows += tr("（三）不予公开", *[""] * 7) + row("deny_secret")
    rep = read_html(f"<table>{rows}</table>")
    assert t3_values(rep, "partial") == ROWS["partial"][1]
    assert t3_values(rep, "deny_secret") == ROWS["deny_secret"][1]


T4 = [2, 1, 0, 1, 4, 1, 0, 0, 1, 2, 0, 1, 0, 0, 1]


def t4_table(values, with_total: bool) -> str:
    head = tr("行政复议", "行政诉讼") + tr("未经复议直接起诉", "复议后起诉", *(["合计"] if with_total else []))
    head += tr(*["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3)
    return f"<p>四、政府信息公开行政复议、行政诉讼情况</p><table>{head}{tr(*values)}</table><p>五、存在的主要问题</p>"


def t3_min() -> str:
    return "<table>" + "".join(row(r) for r in ("new", "carry_in")) + "</table>"


def t4_values(rep):
    return [rep.cells[c] for c in rep.cells if c.startswith("t4.")]


def test_an_extra_litigation_total_column_in_table_4():
    rep = read_html(t3_min() + t4_table([*T4, 3], True))
    assert t4_values(rep) == T4
    assert [f.rule for f in rep.parse_findings if f.severity == "error"] == []


def test_a_wrong_litigation_total_is_reported():
    rep = read_html(t3_min() + t4_table([*T4, 5], True))
    assert t4_values(rep) == T4
    assert [f.rule for f in rep.parse_findings if f.severity == "error"] == ["read.t4_litigation_total"]


def test_table_4_without_extras_is_read_as_printed():
    rep = read_html(t3_min() + t4_table(T4, False))
    assert t4_values(rep) == T4


def test_normative_documents_under_either_name_and_signed_deltas():
    t2 = ("<p>二、主动公开政府信息情况</p><table>" + tr("第二十条第（一）项") + tr("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量")
          + tr("规章", 0, 0, 0) + tr("行政规范性文件", 3, 3, 12) + tr("信息内容", "上一年项目数量", "本年增/减", "处理决定数量")
          + tr("行政许可", 40, "+4", 100) + tr("行政处罚", 12, "减少2", 8) + tr("行政强制", 3, "/", 0)
          + tr("信息内容", "上一年项目数量", "本年增/减") + tr("行政事业性收费", "5", "-1")
          + tr("信息内容", "采购项目数量", "采购总金额") + tr("政府集中采购", "1,234", "251000元") + "</table>")
    html = (HEAD.replace("2021", "2019") + t2 + "<p>三、收到和处理政府信息公开申请情况</p>" + t3_min() + "</body></html>")
    rep = read(html.encode(), form="html")
    assert rep.template == "2019"
    assert [rep.cells[f"t2.normative.{c}"] for c in ("new_made", "new_pub", "total_pub")] == [3, 3, 12]
    assert rep.cells["t2.license.delta"] == 4 and rep.cells["t2.penalty.delta"] == -2
    assert rep.cells["t2.coercion.delta"] is None and rep.provenance["t2.coercion.delta"].how == "blank"
    assert rep.cells["t2.fee.delta"] == -1
    assert rep.cells["t2.procurement.items"] == 1234 and rep.cells["t2.procurement.amount"] == 251000


def test_table_2_in_another_order_and_money_in_yuan_under_a_wan_yuan_header():
    t2 = ("<p>二、主动公开政府信息情况</p><table>" + tr("信息内容", "本年收费金额（单位：万元）") + tr("行政事业性收费", "251000元")
          + tr("信息内容", "本年处理决定数量") + tr("行政许可", "12件") + tr("行政处罚", "１２") + tr("行政强制", "—")
          + tr("信息内容", "本年制发件数", "本年废止件数", "现行有效件数") + tr("规章", 0, 0, 1) + tr("规范性文件", 2, 1, 30)
          + "</table>")
    rep = read_html(t2 + "<p>三、收到和处理政府信息公开申请情况</p>" + t3_min())
    assert rep.template == "2021"
    assert rep.cells["t2.fee.fee_amount"] == 25.1
    assert rep.cells["t2.license.decisions"] == 12 and rep.cells["t2.penalty.decisions"] == 12
    assert rep.cells["t2.coercion.decisions"] is None
    assert [rep.cells[f"t2.normative.{c}"] for c in ("issued", "repealed", "in_force")] == [2, 1, 30]
    assert [rep.cells[f"t2.rules.{c}"] for c in ("issued", "repealed", "in_force")] == [0, 0, 1]


def test_a_malformed_table_gives_missing_cell_findings_not_exceptions():
    rows = (tr(ROWS["new"][0], 1, 2) + row("carry_in") + tr(ROWS["granted"][0], "abc", "", "？", 1, 2, 3, 4, 5)
            + "<tr><td rowspan='x'>" + tr(ROWS["partial"][0], "<b>1</b", "<i>2"))
    rep = read_html(f"<table>{rows}</table><table><tr><td>")
    assert rep.status == "partial"
    assert rep.provenance["t3.new.natural"].how == "missing"
    assert t3_values(rep, "carry_in") == ROWS["carry_in"][1]
    assert any(f.reason == "cell_missing" for f in rep.parse_findings)


def test_subtotal_column_in_pasted_text_with_digits_run_together():
    text = ("某某县2021年政府信息公开工作年度报告\n本报告所列数据统计期限自2021年1月1日起至2021年12月31日止。\n"
            "申请人情况 自然人 法人或其他组织 总计\n商业企业 科研机构 社会公益组织 法律服务机构 其他 小计\n"
            "一、本年新收政府信息公开申请数量 9 2 1 0 0 0 4 12\n"
            "二、上年结转政府信息公开申请数量 10000001\n"  # 1|0|0|0|0|0|0|1 with the 小计 column
            "三、本年度办理结果 （一）予以公开 5 1 1 0 0 0 2 7\n")
    rep = read(text)
    assert t3_values(rep, "new") == [9, 2, 1, 0, 0, 0, 12]
    assert t3_values(rep, "carry_in") == [1, 0, 0, 0, 0, 0, 1]
    assert rep.provenance["t3.carry_in.total"].how == "inferred"
    assert t3_values(rep, "granted") == [5, 1, 1, 0, 0, 0, 7]
    assert [f.rule for f in rep.parse_findings if f.severity == "error"] == ["read.t3_org_subtotal"]  # new: 4 ≠ 2+1


@pytest.mark.parametrize("fixture", ["pingtan-2019.html", "pingtan-2022.html"])
@pytest.mark.parametrize("wording", ["二、上年度结转政府信息公开申请数量", "二、上一年度结转政府信息公开申请数量"])
def test_carried_in_row_worded_with_niandu_reads_the_whole_report(fixture, wording):
    # 上年度结转 for 上年结转: a real wording; the row must still be found (it once made the
    # whole report "not a report", since table 3 is located by its first two rows)
    from gov_audit.testing._render import render

    truth = read(CORPUS / fixture)
    page = render(truth, "html", seed=3)
    assert "二、上年结转政府信息公开申请数量" in page
    report = read(page.replace("二、上年结转政府信息公开申请数量", wording, 1).encode(), form="html")
    assert report.status == "ok" and report.cells == truth.cells
