"""Each output format on its own: encoding, fixed columns, self-contained HTML, workbook layout,
and suspects, suggestions and cross-year partners shown wherever a finding is."""
from __future__ import annotations

import csv
import io
import json
import re
import shutil

import lxml.html
import openpyxl
import pytest
import yaml
from _corpus import SEED

from gov_audit import AuditResult, Finding, audit
from gov_audit._output import WRITERS
from gov_audit._output._csv import CSV_COLUMNS
from gov_audit._output._layout import layout
from gov_audit._output._view import WORDS, cell_marks, cell_names, view
from gov_audit._read import read
from gov_audit._resources import ENV_VAR, rules_dir
from gov_audit._template import get_template, table_name

SUSPECT = "t3.granted.natural"
PARTNER = "t3.carry_out.natural"


@pytest.fixture(scope="module")
def results():
    """A clean report, and the same report given a finding with a suspect, a suggestion and a partner."""
    clean = audit(SEED)
    finding = Finding("x.carry_over", "error", "identity_violated", "seed-with-finding.txt",
                      cells=("t3.carry_in.natural",), labels=(), instance="natural", observed=3, expected=4,
                      message_zh="跨年度不一致：本年「二、上年结转」为 3，上年「四、结转」为 4。",
                      message_en="Across years: carried in 3, last year carried forward 4.",
                      suspects=(SUSPECT,), suggestions=((SUSPECT, 7.0),),
                      related_report="seed-2019.txt", related_cells=(PARTNER,))
    report = clean.report
    flagged = AuditResult(type(report)(**{**report.__dict__, "source": "seed-with-finding.txt"}), [finding])
    return [clean, flagged]


def test_words_exist_in_both_languages():
    assert set(WORDS["zh"]) == set(WORDS["en"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_format_shows_suspects_suggestions_and_partner(results, lang, tmp_path):
    suspect_label = "「（一）予以公开」×「自然人」"
    partner_label = "「四、结转下年度继续办理」×「自然人」"
    for fmt in ("text", "html", "csv"):
        doc = WRITERS[fmt](results, lang=lang)
        assert suspect_label in doc and "→ 7" in doc and "seed-2019.txt" in doc and partner_label in doc, fmt
    doc = json.loads(WRITERS["json"](results, lang=lang))
    f = doc["reports"][1]["findings"][0]
    assert f["suspects"] == [SUSPECT] and f["suggestions"] == {SUSPECT: 7}
    assert f["related"] == {"report": "seed-2019.txt", "cells": [PARTNER]}
    wb = openpyxl.load_workbook(io.BytesIO(WRITERS["xlsx"](results, lang=lang)))
    sheet = wb.worksheets[3]
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(suspect_label in t for t in texts) and any("seed-2019.txt" in t for t in texts)
    comments = [c.comment.text for row in sheet.iter_rows() for c in row if c.comment]
    assert len(comments) == 2 and all("x.carry_over" in t for t in comments)  # the cell and its suspect


def test_csv_has_bom_fixed_columns_and_one_row_per_finding(results):
    text = WRITERS["csv"](results)
    assert text.startswith("\ufeffreport,agency,")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == CSV_COLUMNS
    assert len(rows) == 2 and all(len(r) == len(CSV_COLUMNS) for r in rows)
    row = dict(zip(rows[0], rows[1]))
    assert row["suggestions"] == f"{SUSPECT}=7" and row["cells"] == "t3.carry_in.natural"
    assert row["observed"] == "3" and row["residual"] == "-1" and row["agency"] == "坡头乡"
    assert text.encode("utf-8").decode("utf-8-sig").startswith("report,")  # what Excel/WPS read


def test_html_is_self_contained_chinese_and_marks_cells(results):
    text = WRITERS["html"](results)
    assert text.startswith("<!DOCTYPE html>")
    doc = lxml.html.fromstring(text.encode("utf-8"))
    assert doc.get("lang") == "zh-CN"
    assert doc.xpath("//meta[@charset]")[0].get("charset") == "utf-8"
    assert not doc.xpath("//script | //link | //img | //iframe | //object")
    assert not re.search(r"(src|href)=\"(https?:)?//", text) and "url(" not in text and "@import" not in text
    assert [a.get("href") for a in doc.xpath("//table[@class='summary']//a")] == ["#r1", "#r2"]
    (cell,) = doc.xpath("//section[@id='r2']//td[@data-code=$c]", c=SUSPECT)
    assert {"flag", "flag-error", "suspect"} <= set(cell.get("class").split())
    assert cell.xpath(".//span[@class='fix']")[0].text == "→ 7"
    assert not doc.xpath("//section[@id='r1']//td[contains(@class, 'flag')]")
    assert len(doc.xpath("//section[@id='r1']//table[@class='grid']")) == 3  # tables 2, 3, 4 as printed
    rows = [td.text for td in doc.xpath("//section[@id='r1']//table[@data-table='t3']//td[contains(@class, 'label')]")]
    assert rows[:4] == ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "三、本年度办理结果",
                        "（一）予以公开"]
    assert WRITERS["html"](results, lang="en").count('lang="en"') == 1


# tests/test_read_variants.py: pasted text whose 上年结转 row ran together (10000001), so those cells
# are read by inference, and most of table 3 is missing
RUN_TOGETHER = ("某某县2021年政府信息公开工作年度报告\n本报告所列数据统计期限自2021年1月1日起至2021年12月31日止。\n"
                "申请人情况 自然人 法人或其他组织 总计\n商业企业 科研机构 社会公益组织 法律服务机构 其他 小计\n"
                "一、本年新收政府信息公开申请数量 9 2 1 0 0 0 4 12\n"
                "二、上年结转政府信息公开申请数量 10000001\n"
                "三、本年度办理结果 （一）予以公开 5 1 1 0 0 0 2 7\n")


def test_html_marks_a_cell_read_by_inference_that_no_finding_names():
    res = audit(read(RUN_TOGETHER))
    # without the notes, nothing names the inferred cells, but they still say how they were read
    shown = AuditResult(res.report, [f for f in res.findings if f.severity != "info"])
    inferred = [c for c, p in res.report.provenance.items() if p.how == "inferred"]
    named = {c for f in shown.findings for c in f.cells + f.suspects + tuple(c for c, _ in f.suggestions)}
    assert inferred and not set(inferred) & named
    doc = lxml.html.fromstring(WRITERS["html"]([shown]).encode("utf-8"))
    for code in inferred:
        (cell,) = doc.xpath("//td[@data-code=$c]", c=code)
        assert "inferred" in cell.get("class").split() and "flag" not in cell.get("class").split()
        assert cell.get("title") == WORDS["zh"]["inferred"] and not cell.xpath(".//sup")
        assert cell.text == str(int(res.report.cells[code]))


def test_html_of_a_large_batch_draws_only_reports_with_findings(results, monkeypatch):
    import gov_audit._output._html as html

    monkeypatch.setattr(html, "DRAW_CLEAN_MAX", 1)
    doc = lxml.html.fromstring(WRITERS["html"](results).encode("utf-8"))
    assert not doc.xpath("//section[@id='r1']//table") and doc.xpath("//section[@id='r2']//table")


def test_xlsx_sheets_are_laid_out_like_the_printed_tables(results):
    wb = openpyxl.load_workbook(io.BytesIO(WRITERS["xlsx"](results)))
    assert wb.sheetnames == ["总览", "问题清单", "1 坡头乡 2020", "2 坡头乡 2020"]
    overview = wb["总览"]
    assert [c.value for c in overview[1]] == ["序号", "报告", "机关", "年度", "模板", "状态", "错误", "警告", "原因"]
    assert overview["B3"].hyperlink.location == "'2 坡头乡 2020'!A1"
    sheet = wb["1 坡头乡 2020"]
    labels = [row[0].value for row in sheet.iter_rows()]
    assert "表三 三、收到和处理政府信息公开申请情况" in labels and "（七）总计" in labels
    total = labels.index("（七）总计") + 1
    header = labels.index("表三 三、收到和处理政府信息公开申请情况") + 2
    assert [c.value for c in sheet[header]][1:8] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构",
                                                     "其他", "总计"]
    assert sheet.cell(total, 8).value == results[0].cells["t3.total.total"]
    assert sheet.cell(labels.index("规范性文件") + 1, 2).value == 153  # t2.normative.new_made
    assert not any(c.comment for row in sheet.iter_rows() for c in row)
    flagged = wb["2 坡头乡 2020"]
    fills = {c.coordinate: c.fill.fgColor.rgb for row in flagged.iter_rows() for c in row if c.comment}
    assert fills and set(fills.values()) == {"00FDE4E1"}


def test_every_format_takes_names_no_file_can_hold_as_they_are(results):
    """A file name's bytes that were not UTF-8 (lone surrogates) and control characters, in the
    report's name, a cross-year partner, a message naming it and the skipped files: every format
    is written, all UTF-8 (and JSON), each name shown escaped the same way; the workbook holds
    no character a worksheet refuses and takes a name starting with "=" as text."""
    clean, flagged = results
    odd, partner = "=drafts/bad\udcff\x07.txt", "drafts/上年\udcfe.txt"
    report = type(flagged.report)(**{**flagged.report.__dict__, "source": odd, "agency": "坡头乡\x0b政府"})
    finding = flagged.findings[0].evolve(report=odd, related_report=partner, message_zh=f"上年报告：{partner}。",
                                         message_en=f"Last year's report: {partner}.")
    batch, skipped = [clean, AuditResult(report, [finding])], ["drafts/notes\udcfd\x1b.odt"]
    shown = ("=drafts/bad\\xff\\x07.txt", "drafts/上年\\xfe.txt", "drafts/notes\\xfd\\x1b.odt")
    for lang in ("zh", "en"):
        for fmt in ("text", "csv", "html"):
            doc = WRITERS[fmt](batch, lang=lang, skipped=skipped)
            doc.encode("utf-8")
            assert all(name in doc for name in shown[:2 if fmt == "csv" else 3]), (fmt, lang)
            assert "\x07" not in doc and "\x0b" not in doc, (fmt, lang)
        doc = json.loads(WRITERS["json"](batch, lang=lang, skipped=skipped).encode("utf-8"))
        r = doc["reports"][1]
        assert r["source"] == shown[0] and doc["skipped"] == [shown[2]]
        f = r["findings"][0]
        assert f["related"]["report"] == shown[1] and shown[1] in f["message"] and shown[1] in f["message_en"]
        wb = openpyxl.load_workbook(io.BytesIO(WRITERS["xlsx"](batch, lang=lang, skipped=skipped)))
        overview, sheet = wb.worksheets[0], wb.worksheets[3]
        assert overview["B3"].value == sheet["A1"].value == shown[0] and sheet["A1"].data_type == "s"
        assert overview["C3"].value == "坡头乡\\x0b政府" and wb.sheetnames[3] == "2 坡头乡_x0b政府 2020"
        texts = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        assert any(shown[1] in t for t in texts) and any(shown[2] in t for t in texts)


def test_json_keeps_the_contract_and_adds_where(results):
    doc = json.loads(WRITERS["json"](results, skipped=["x/notes.json"]))
    assert set(doc) == {"reports", "summary", "skipped"} and doc["skipped"] == ["x/notes.json"]
    assert doc["summary"]["skipped"] == 1 and doc["summary"]["reports"] == 2
    f = doc["reports"][1]["findings"][0]
    assert {"rule", "severity", "reason", "cells", "labels", "observed", "expected", "suspects", "suggestions",
            "message", "message_zh", "message_en"} <= set(f)
    assert f["where"] == "表三「二、上年结转政府信息公开申请数量」×「自然人」"


@pytest.mark.parametrize("with_orjson", [True, False])
def test_json_is_written_exactly_as_json_dumps_would(results, with_orjson, monkeypatch):
    """The writer (orjson, or json.dumps itself without it) gives json.dumps(indent=2)'s text."""
    from gov_audit._output import _json

    if not with_orjson:
        monkeypatch.setattr(_json, "orjson", None)
    doc = {"a": [], "b": {}, "c": [[], {}, (1, 2.5)], "d": {"x": None, "y": True, "z": "引号\"\\\n\x01\u2028"},
           "floats": [1e16, 1e-5, 2.5e-5, 1e-7, -0.0, 0.1 + 0.2, 12.5], "big": 2 ** 70, "keys": {1: "x", None: 0},
           "nested": [{"cells": ["t3.new.natural"], "related": None, "suggestions": {"t3.new.natural": 11}}]}
    assert _json.dumps(doc) == json.dumps(doc, ensure_ascii=False, indent=2)
    text = WRITERS["json"](results)
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2)
    odd = {"nan": float("nan"), "list": [1, float("inf")], "inner": {"x": -float("inf")}}
    assert json.loads(_json.dumps(odd)) == {"nan": None, "list": [1, None], "inner": {"x": None}}
    with pytest.raises(TypeError):
        _json.dumps({"x": object()})


def test_table_and_row_names_as_printed():
    assert (table_name("t3"), table_name("t3", "en"), table_name("t9")) == ("表三", "Table 3", "t9")
    tpl = get_template("2021")
    spec = tpl.cells["t4.lit_after.upheld"]  # table 4 names a row after its group
    assert spec.row_text() == "行政诉讼 复议后起诉" and tpl.cells["t3.total.natural"].row_text() == "（七）总计"
    assert spec.describe("en") == "Table 4「行政诉讼 复议后起诉」×「结果维持」"
    codes = ["t4.lit_direct.upheld", "t4.lit_direct.corrected", "t4.lit_direct.other"]
    assert cell_names(codes, tpl) == ["表四「行政诉讼 未经复议直接起诉」×「结果维持」至「其他结果」（3 格）"]


def test_cell_marks_are_the_same_in_html_and_xlsx(results):
    two = Finding("t3.balance", "warning", "identity_violated", "seed-with-finding.txt",
                  cells=(SUSPECT, "t3.new.natural"), labels=(), instance="natural",
                  message_zh="二", message_en="two")
    flagged = AuditResult(results[1].report, [results[1].findings[0], two])
    (rv,) = view([flagged])
    marks = cell_marks(rv)
    assert list(marks) == ["t3.carry_in.natural", SUSPECT, "t3.new.natural"]
    m = marks[SUSPECT]  # the error's suspect, and the first cell of the warning (which has no suspect)
    assert (m.severity, m.suspect, m.fix, [fv.number for fv in m.findings], m.anchored) == ("error", True, 7.0,
                                                                                            [1, 2], [1, 2])
    assert (marks["t3.new.natural"].severity, marks["t3.new.natural"].suspect) == ("warning", False)
    assert marks["t3.carry_in.natural"].anchored == [] and marks["t3.new.natural"].anchored == []
    doc = lxml.html.fromstring(WRITERS["html"]([flagged]).encode("utf-8"))
    (cell,) = doc.xpath("//td[@data-code=$c]", c=SUSPECT)
    assert cell.get("data-findings") == "1 2" and [a.text for a in cell.xpath(".//sup/a")] == ["1", "2"]
    assert "flag-error" in cell.get("class") and "suspect" in cell.get("class")
    wb = openpyxl.load_workbook(io.BytesIO(WRITERS["xlsx"]([flagged])))
    commented = {len(c.comment.text.split("\n\n")): c for row in wb.worksheets[2].iter_rows() for c in row
                 if c.comment and "t3.balance" in c.comment.text}
    both, warning = commented[2], commented[1]  # SUSPECT, and t3.new.natural
    assert both.fill.fgColor.rgb == "00FDE4E1" and both.border.left.style == "thick"
    assert warning.fill.fgColor.rgb == "00FEF0C7" and warning.border.left.style == "thin"


def test_layout_follows_the_rules_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    packaged = layout("2021")  # cached for the packaged rules
    folder = tmp_path / "rules"
    shutil.copytree(rules_dir(), folder)
    path = folder / "templates" / "2021.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["tables"]["t3"]["title"] = "三、另一个标题"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    monkeypatch.setenv(ENV_VAR, str(folder))
    assert [t.title for t in layout("2021") if t.code == "t3"] == ["三、另一个标题"]
    monkeypatch.delenv(ENV_VAR)
    assert layout("2021") == packaged
