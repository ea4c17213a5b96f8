"""The report year in format conformance: the template by year, the title year, the 统计期限 sentence."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from _corpus import CORPUS, truth_cells
from gov_audit import Report, get_template, load_rules, read
from gov_audit._conformance import conformance_findings
from gov_audit._read._meta import find_year, title_year
from gov_audit._template import template_for_year, templates

RULES = {r.id: r for r in load_rules()}
PERIOD, TEMPLATE_YEAR = RULES["text.period"], RULES["text.template_year"]
WORDINGS = tuple(PERIOD.spec["wordings"])
FIRST = min(t.first_year for t in templates().values())
CELLS = truth_cells("pingtan-2022.txt", get_template("2021").codes)


def report(text: str, year: int | None) -> Report:
    return Report("synthetic", "2021", dict(CELLS), year=year, agency="测试局", form="text", text=text)


def reasons(findings) -> list[tuple[str, str]]:
    return [(f.rule, f.reason) for f in findings]


# -- the template a year calls for -----------------------------------------------------------------

@given(st.integers(1980, 2200))
def test_template_for_year_is_none_only_before_every_template(year):
    t = template_for_year(year)
    if year < FIRST:
        assert t is None
    else:
        assert t is not None
        assert t.covers_year(year) or t.first_year == max(x.first_year for x in templates().values())


@pytest.mark.parametrize(("year", "code"), [(2018, None), (2019, "2019"), (2020, "2019"), (2021, "2021"),
                                            (2035, "2021")])
def test_template_for_year_examples(year, code):
    t = template_for_year(year)
    assert (t.code if t else None) == code


def test_a_2018_report_in_the_2019_format_is_not_told_to_use_the_2021_format():
    text = (CORPUS / "pingtan-2019.txt").read_text(encoding="utf-8").replace("2019年", "2018年")
    r = read(text.encode("utf-8"), name="pingtan-2018.txt")
    assert (r.year, r.template) == (2018, "2019")
    assert conformance_findings(r, [TEMPLATE_YEAR]) == []
    # the check itself still runs: the same report said to be on 2022
    r.text = r.text.replace("2018年", "2022年")
    [f] = conformance_findings(r, [TEMPLATE_YEAR])
    assert (f.reason, f.expected) == ("template_mismatch", 2021)


# -- the year in the title --------------------------------------------------------------------------

TITLES = ["测试局{y}年政府信息公开工作年度报告", "测试局{w}年度政府信息公开工作年度报告",
          "测试局（{y}）年政府信息公开工作年度报告", "{w}年度测试局政府信息公开工作年度报告",
          "测试局 {y} 年\n政府信息公开工作年度报告", "测试局政府信息公开工作{w}年度报告"]


def _wide(year: int) -> str:
    return str(year).translate(str.maketrans("0123456789", "０１２３４５６７８９"))


@pytest.mark.parametrize("title", TITLES)
@pytest.mark.parametrize("wide", [False, True])
def test_a_title_year_in_any_form_is_checked_against_the_period(title, wide):
    y = _wide(2023) if wide else "2023"
    text = title.format(y=y, w=y) + "\n本报告所列数据统计期限为2022年1月1日至2022年12月31日。\n一、总体情况\n正文。"
    assert title_year(text) == 2023
    [f] = conformance_findings(report(text, year=2022), [PERIOD])
    assert (f.reason, f.observed, f.expected) == ("period_year_mismatch", 2022, 2023)


def test_a_full_width_year_in_the_period_sentence_is_checked():
    text = "测试局2023年政府信息公开工作年度报告\n本报告所列数据统计期限为２０２２年1月1日至２０２２年12月31日。"
    [f] = conformance_findings(report(text, year=2023), [PERIOD])
    assert (f.reason, f.observed, f.expected) == ("period_year_mismatch", 2022, 2023)


# -- the wordings of the 统计期限 sentence: one list, read by both -----------------------------------

def test_the_wordings_are_one_list_with_every_wording_either_copy_had():
    assert set(WORDINGS) >= {"期限", "时限", "时间", "区间", "周期", "范围", "日期", "期间", "时段", "截止"}
    assert "patterns" not in PERIOD.spec


FILLER = "为本报告中所列全部数据的"  # 12 characters: the most the reader allows after the wording
assert len(FILLER) == 12


@pytest.mark.parametrize("wording", WORDINGS)
def test_each_wording_is_read_by_the_year_reader_and_checked(wording):
    head = "测试局2023年政府信息公开工作年度报告\n"
    # the reader: the period's year (2022) only if the wording is taken as one (else 统计 plus
    # 14 characters is too far from the year, and the title's 2023 is taken)
    assert find_year(head + f"本报告统计{wording}{FILLER}2022年1月1日起至2022年12月31日止。") == 2022
    # the conformance check: a sentence with this wording naming another year is found
    text = head + f"本报告所列数据统计{wording}为2022年1月1日至2022年12月31日。"
    [f] = conformance_findings(report(text, year=2022), [PERIOD])
    assert (f.reason, f.observed, f.expected) == ("period_year_mismatch", 2022, 2023)


@given(wording=st.sampled_from(WORDINGS), year=st.integers(2019, 2099), other=st.integers(2019, 2099),
       filler=st.text(alphabet="为本报告中所列全部数据的自从", max_size=12))
def test_the_period_sentence_gives_the_year_and_its_mismatch(wording, year, other, filler):
    head = f"测试局{other}年政府信息公开工作年度报告\n"
    text = head + f"本报告所列数据统计{wording}{filler}{year}年1月1日至{year}年12月31日。\n一、总体情况\n"
    assert find_year(text) == year
    found = conformance_findings(report(text, year=year), [PERIOD])
    assert reasons(found) == ([] if year == other else [("text.period", "period_year_mismatch")])
