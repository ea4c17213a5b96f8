"""The report's own text against its tables, and format conformance."""
from __future__ import annotations

import copy

import pytest

from _corpus import CORPUS, truth_cells
from gov_audit import Report, get_template, read
from gov_audit._narrative import narrative_findings, statements
from gov_audit._rules import RULE_KINDS, instances_for, load_rules

T21 = get_template("2021")
CLEAN = ["pingtan-2019.txt", "pingtan-2021.txt", "pingtan-2023.txt", "pingtan-2025.txt",
         "shuyang-fgj-2023.html", "seed"]


@pytest.fixture(scope="module")
def corpus() -> dict[str, Report]:
    names = ["pingtan-2019.txt", "pingtan-2021.txt", "pingtan-2022.txt", "pingtan-2023.txt", "pingtan-2025.txt",
             "shanghai-office-2025.md", "shuyang-county-2025.md", "shuyang-fgj-2023.html"]
    out = {n: read(CORPUS / n) for n in names}
    out["seed"] = read(CORPUS.parent / "seed-2020-township.txt")
    return out


def text_report(body: str, year: int = 2022, **cells) -> Report:
    values = truth_cells("pingtan-2022.txt", T21.codes)
    values.update({k.replace("__", "."): float(v) for k, v in cells.items()})
    text = (f"测试局{year}年政府信息公开工作年度报告\n本报告所列数据统计期限为{year}年1月1日至{year}年12月31日。\n"
            f"一、总体情况\n{body}\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"
            "四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n六、其他需要报告的事项\n无。")
    return Report("synthetic", "2021", values, year=year, agency="测试局", form="text", text=text)


def rules_of(findings) -> list[tuple[str, str, str]]:
    return [(f.rule, f.severity, f.reason) for f in findings]


def test_pingtan_2022_counts_the_carried_in_application_as_received(corpus):
    found = narrative_findings(corpus["pingtan-2022.txt"])
    assert rules_of(found) == [("text.new", "warning", "text_mismatch")] * 2
    total = next(f for f in found if f.cells == ("t3.new.total",))
    assert (total.observed, total.expected) == (75, 74)
    assert "全区收到政府信息公开申请75件" in total.message_zh
    assert "75 = 74 + " in total.message_zh and "上年结转" in total.message_zh
    assert "carried-in" in total.message_en
    natural = next(f for f in found if f.cells == ("t3.new.natural",))  # 涉及自然人72件 = 71 + 1
    assert (natural.observed, natural.expected) == (72, 71)


@pytest.mark.parametrize("name", CLEAN)
def test_consistent_reports_give_no_text_findings(corpus, name):
    assert narrative_findings(corpus[name]) == []


def test_statements_are_tied_to_the_right_quantities(corpus):
    tied = {(s.rule.id, s.number, s.percent) for s in statements(corpus["pingtan-2023.txt"].text, "2021")}
    assert tied == {("text.new", 81, None), ("text.new", 80, None), ("text.new", 1, None),
                    ("text.handled", 81, None), ("text.granted_or_partial", 42, "51.85"),
                    ("text.refused", 5, "6.17"), ("text.unable", 31, "38.27"), ("text.not_processed", 1, "1.23"),
                    ("text.other_handling", 2, "2.47"), ("text.review", 2, None), ("text.litigation", 7, None)}
    sh = {(s.rule.id, s.number) for s in statements(corpus["shanghai-office-2025.md"].text, "2021")}
    assert {("text.new", 1295), ("text.handled", 1191), ("text.carry_in", 189),
            ("text.unable", 564), ("text.not_processed", 80), ("text.other_handling", 319)} <= sh
    p21 = [(s.rule.id, s.number) for s in statements(corpus["pingtan-2021.txt"].text, "2021")]
    assert p21 == [("text.new", 70), ("text.handled", 69), ("text.carry_out", 1)]  # "1件结转下年度"


def test_a_wrong_number_in_the_text_is_an_error_quoting_the_sentence(corpus):
    r = copy.deepcopy(corpus["pingtan-2025.txt"])
    r.cells["t3.total.total"] = 149.0
    [f] = narrative_findings(r)
    assert rules_of([f]) == [("text.handled", "error", "text_mismatch")]
    assert f.cells == ("t3.total.total",) and (f.observed, f.expected) == (148, 149)
    assert "共办结148件" in f.message_zh and "149" in f.message_zh


def test_group_sums_and_table4_totals(corpus):
    r = copy.deepcopy(corpus["pingtan-2023.txt"])
    r.cells["t3.deny_query.total"] = 3.0       # 不予公开 now sums to 6; text says 5
    r.cells["t4.lit_after.total"] = 3.0        # 行政诉讼 now 8; text says 7
    found = {f.rule: f for f in narrative_findings(r) if f.reason == "text_mismatch"}
    assert set(found) == {"text.refused", "text.litigation"}
    assert "「（三）不予公开」各项合计" in found["text.refused"].message_zh
    assert found["text.litigation"].cells == ("t4.lit_direct.total", "t4.lit_after.total")


def test_inclusive_phrasing_adds_the_carried_in():
    ok = text_report("全年收到政府信息公开申请75件（含上年结转1件），已全部办结。")
    assert narrative_findings(ok) == []
    bad = text_report("全年收到政府信息公开申请75件（含上年结转1件），已全部办结。", t3__new__total=70)
    [f] = [f for f in narrative_findings(bad) if f.rule == "text.new"]
    assert f.severity == "error" and f.expected == 71 and "含上年结转" in f.message_zh


def test_percentages_are_checked_against_the_table():
    good = text_report("全年办结政府信息公开申请75件，其中予以公开及部分公开30件，占40%。")
    assert narrative_findings(good) == []
    bad = text_report("全年办结政府信息公开申请75件，其中予以公开及部分公开30件，占45.5%。")
    [f] = narrative_findings(bad)
    assert rules_of([f]) == [("text.granted_or_partial", "warning", "text_percent_mismatch")]
    assert "45.5%" in f.message_zh


@pytest.mark.parametrize("sentence", [
    "受理各类群众诉求259起。",                                   # not about applications
    "依法做好相关行政复议、行政诉讼案件的应诉工作，全县共办理相关案件74件。",  # which quantity?
    "全年主动公开政府信息14571条，发布政策文件20件。",
    "办理政府信息公开申请，办结率100%。",                            # a rate, no count
])
def test_numbers_that_cannot_be_tied_to_one_quantity_are_not_findings(sentence):
    r = text_report(sentence)
    assert statements(r.text, "2021") == [] and narrative_findings(r) == []


def test_table_text_is_never_read_as_narrative(corpus):
    # pingtan-2022's table reads "（一）予以公开 210000021": no statement may come from it
    assert not any(s.rule.id == "text.granted" for s in statements(corpus["pingtan-2022.txt"].text, "2021"))


def test_missing_and_misordered_headings(corpus):
    [f] = narrative_findings(corpus["shanghai-office-2025.md"])[-1:]
    assert (f.rule, f.severity, f.reason, f.instance) == ("text.sections", "warning", "section_missing", "五")
    r = text_report("正文。")
    r.text = r.text.replace("五、存在的主要问题及改进情况\n", "").replace("一、总体情况", "五、存在的主要问题及改进情况\n一、总体情况")
    assert [(f.reason, f.instance) for f in narrative_findings(r)] == [("section_out_of_order", "五")]


def test_the_statistics_period_must_name_the_report_year(corpus):
    r = copy.deepcopy(corpus["pingtan-2022.txt"])
    r.text = r.text.replace("统计时限为2022年1月1日至2022年12月31日", "统计时限为2021年1月1日至2021年12月31日")
    [f] = [f for f in narrative_findings(r) if f.rule == "text.period"]
    assert (f.severity, f.reason, f.observed, f.expected) == ("error", "period_year_mismatch", 2021, 2022)
    assert "2021年1月1日" in f.message_zh


def test_the_template_must_match_the_report_year():
    r = text_report("正文。", year=2022)
    r.template = "2019"
    [f] = [f for f in narrative_findings(r) if f.rule == "text.template_year"]
    assert (f.severity, f.reason) == ("error", "template_mismatch")
    early = text_report("正文。", year=2019)  # 2019: the unified format was only encouraged
    [g] = [f for f in narrative_findings(early) if f.rule == "text.template_year"]
    assert g.severity == "warning"


def test_reports_without_text_are_skipped():
    r = text_report("全区收到政府信息公开申请99件。")
    r.text = ""
    assert narrative_findings(r) == []


def test_narrative_rules_are_declared_and_not_compiled_in_year():
    kinds = {r.kind for r in load_rules() if RULE_KINDS[r.kind].shape == "narrative"}
    assert kinds == {"text_quantity", "text_sections", "text_period", "template_year"}
    assert not any(i.rule.id.startswith("text.") for t in ("2019", "2021") for i in instances_for(t))


def test_full_width_digits_and_odd_whitespace_read_like_plain_text(corpus):
    """The fast paths (no fold when there are no full-width digits; whitespace removed by
    ``str.split``) read the same statements and findings as the plain text does."""
    import re

    from gov_audit._conformance import squeeze

    r = copy.deepcopy(corpus["pingtan-2022.txt"])
    wide = copy.deepcopy(r)
    wide.text = r.text.translate(str.maketrans("0123456789%.", "０１２３４５６７８９％．"))
    spaced = copy.deepcopy(r)
    spaced.text = r.text.replace("，", "，\u3000").replace("。", "。\xa0\n\x1c")
    plain = statements(r.text, "2021")
    assert plain and statements(wide.text, "2021") == plain == statements(spaced.text, "2021")
    found = narrative_findings(r)
    assert found and narrative_findings(wide) == found == narrative_findings(spaced)
    every_space = "".join(chr(i) for i in range(0x3001) if chr(i).isspace())
    text = f"一{every_space}二\u200b三"
    assert squeeze(text) == re.sub(r"\s+", "", text) == "一二\u200b三"
