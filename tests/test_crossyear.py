"""Checks across years: one agency's reports for consecutive years."""
from __future__ import annotations

import copy
import json

import pytest

from _corpus import CORPUS
from gov_audit import Report, audit_reports, get_template, read
from gov_audit._crossyear import agency_key, check_pair, check_series, cross_year_rules
from gov_audit._output._json import to_json
from gov_audit._rules import RULE_KINDS, instances_for


@pytest.fixture(scope="module")
def pingtan() -> dict[int, Report]:
    return {y: read(CORPUS / f"pingtan-{y}.txt") for y in (2019, 2021, 2022, 2023, 2025)}


def series(pingtan) -> list[Report]:
    return [copy.deepcopy(pingtan[y]) for y in sorted(pingtan)]


def test_the_real_series_is_consistent_and_is_paired(pingtan):
    reports = series(pingtan)
    assert check_series(reports) == []
    assert {agency_key(r.agency) for r in reports} == {"平潭综合实验区"}
    # the 2021 report carried 1 application forward; break it and 2022 must complain
    reports[1].cells["t3.carry_out.natural"] = 2.0
    found = check_series(reports)
    assert [(f.rule, f.instance, f.report) for f in found] == [("x.carry_over", "natural", reports[2].source)]


def test_batch_pairs_by_agency_and_year_and_names_both_reports(pingtan):
    reports = series(pingtan)
    reports[2].cells["t3.carry_in.total"] = 3.0  # 2022 says 3 came in; 2021 carried 1 forward
    results = audit_reports(reports)
    [f] = [f for r in results for f in r.findings if f.rule == "x.carry_over"]
    assert f.report == reports[2].source and f.severity == "error"
    assert f.cells == ("t3.carry_in.total",)                     # this report's canonical code
    assert f.related_report == reports[1].source and f.related_cells == ("t3.carry_out.total",)
    assert (f.observed, f.expected) == (3.0, 1.0)
    assert "上年报告：" in f.message_zh and reports[1].source in f.message_zh and "「总计」列" in f.message_zh
    assert reports[1].source in f.message_en
    doc = json.loads(to_json(results))
    related = [g["related"] for r in doc["reports"] for g in r["findings"] if g["rule"] == "x.carry_over"]
    assert related == [{"report": reports[1].source, "cells": ["t3.carry_out.total"]}]


def test_other_agencies_and_gaps_are_not_paired(pingtan):
    reports = series(pingtan)
    reports[2].cells["t3.carry_in.total"] = 3.0
    reports[1].agency = "上海市人民政府办公厅"
    assert not any(f.rule.startswith("x.") for r in audit_reports(reports) for f in r.findings)
    # 2019 → 2021 skips a year: never compared
    a, b = copy.deepcopy(pingtan[2019]), copy.deepcopy(pingtan[2021])
    b.cells["t3.carry_in.total"] = 9.0
    assert check_series([a, b]) == []


@pytest.mark.parametrize("a, b, same", [
    ("平潭综合实验区管委会（全区汇总）", "平潭综合实验区", True),
    ("平潭综合实验区 管委会", "平潭综合实验区", True),
    ("沭阳县人民政府", "沭阳县", True),
    ("上海市人民政府办公厅", "上海市人民政府", False),
    ("沭阳县发展和改革局（江苏宿迁）", "沭阳县人民政府", False),
])
def test_agency_names_are_normalised(a, b, same):
    assert (agency_key(a) == agency_key(b)) is same


def test_two_copies_of_last_year_give_one_finding_not_two(pingtan):
    reports = series(pingtan)
    reports[2].cells["t3.carry_in.total"] = 3.0
    twin = copy.deepcopy(reports[1])
    twin.source = "pingtan-2021.html"
    results = audit_reports([*reports, twin])
    assert sum(f.rule == "x.carry_over" for r in results for f in r.findings) == 1


def _t2(year: int, template: str, **cells) -> Report:
    tpl = get_template(template)
    values = {c: 0.0 for c in tpl.codes}
    values.update({k.replace("__", "."): float(v) for k, v in cells.items()})
    return Report(f"r{year}", template, values, year=year, agency="测试局")


def test_documents_in_force_roll_forward_is_a_warning():
    last = _t2(2021, "2021", t2__normative__in_force=665)
    this = _t2(2022, "2021", t2__normative__issued=88, t2__normative__repealed=55, t2__normative__in_force=700)
    [f] = check_pair(this, last)
    assert (f.rule, f.severity, f.instance) == ("x.documents_in_force", "warning", "normative")
    assert (f.observed, f.expected) == (755.0, 753.0)  # 700 + 55 vs 665 + 88
    this.cells["t2.normative.in_force"] = 698.0
    assert check_pair(this, last) == []


def test_table2_rules_only_compare_like_templates():
    last = _t2(2020, "2019", t2__license__prev_items=10, t2__license__delta=2)
    this = _t2(2021, "2021", t2__normative__in_force=5)
    assert check_pair(this, last) == []  # 2020 (2019 format) has no 现行有效件数
    this = _t2(2020, "2019", t2__license__prev_items=11)
    last = _t2(2019, "2019", t2__license__prev_items=10, t2__license__delta=2)
    [f] = check_pair(this, last)
    assert (f.rule, f.severity, f.related_cells) == ("x.items_carried", "warning",
                                                      ("t2.license.prev_items", "t2.license.delta"))


def test_a_blank_on_either_side_is_not_checked():
    last = _t2(2021, "2021", t3__carry_out__total=4)
    this = _t2(2022, "2021", t3__carry_in__total=1)
    assert [f.rule for f in check_pair(this, last)] == ["x.carry_over"]
    last.cells["t3.carry_out.total"] = None
    assert check_pair(this, last) == []


def test_cross_year_rules_are_not_in_year_rules():
    assert {r.id for r in cross_year_rules()} == {"x.carry_over", "x.documents_in_force", "x.items_carried"}
    assert all(RULE_KINDS[r.kind].shape == "cross_year" for r in cross_year_rules())
    assert not any(i.rule.id.startswith("x.") for t in ("2019", "2021") for i in instances_for(t))


def test_explicit_rules_and_the_batch_pass_agree_with_check_pair():
    """The per-template-pair plan (cached for the packaged rules) gives what the rules say."""
    last = _t2(2021, "2021", t3__carry_out__total=4, t2__normative__in_force=665)
    this = _t2(2022, "2021", t3__carry_in__total=1, t2__normative__issued=88, t2__normative__in_force=700)
    found = check_pair(this, last)
    assert [f.rule for f in found] == ["x.carry_over", "x.documents_in_force"]
    assert check_pair(this, last, cross_year_rules()) == found
    assert check_pair(this, last, [r for r in cross_year_rules() if r.id == "x.carry_over"]) == found[:1]
    results = audit_reports([last, this], post=False)
    from gov_audit._crossyear import cross_year_pass

    cross_year_pass(results)
    assert [f for f in results[1].findings if f.rule.startswith("x.")] == found
    assert not any(f.rule.startswith("x.") for f in results[0].findings)
    assert found[0].message_zh.endswith("上年报告：r2021（2021 年度）。") and "相差 -3" in found[0].message_zh


def test_a_prev_cell_of_no_template_is_a_rule_error_not_a_rule_that_never_applies():
    """Last year's template may lack a cell another template has (the rule then skips the
    pair); a cell that no template has is a typo, and used to switch the rule off."""
    import dataclasses

    from gov_audit import RuleError

    [carry] = [r for r in cross_year_rules() if r.id == "x.carry_over"]
    typo = dataclasses.replace(carry, spec={**carry.spec, "rhs": ["prev:t3.carry_ot.{col}"]})
    last = _t2(2021, "2021", t3__carry_out__total=4)
    this = _t2(2022, "2021", t3__carry_in__total=1)
    with pytest.raises(RuleError, match=r"'rhs': 'prev:t3.carry_ot.\{col\}' names cells that no template has") as info:
        check_pair(this, last, [typo])
    assert info.value.rule == "x.carry_over" and info.value.path.endswith("cross_year.yaml")
    # a 2021-format cell against a 2020 report (2019 format): not applicable, no error
    [in_force] = [r for r in cross_year_rules() if r.id == "x.documents_in_force"]
    assert check_pair(this, _t2(2021, "2019"), [in_force]) == []
