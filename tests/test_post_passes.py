"""The post-passes (localisation, the text, cross-year) check the rules in force and keep the caller's order."""
from __future__ import annotations

import copy
import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from _corpus import CORPUS, truth_cells
from gov_audit import InputError, Report, audit, audit_reports, get_template, load_rules, read
from gov_audit._api import run_post_passes
from gov_audit._explain import message
from gov_audit._localise import Change, Explanation, Localisation

T21 = get_template("2021")


def by_kind(*kinds: str) -> list:
    return [r for r in load_rules() if r.kind in kinds]


def renamed(rule, new_id: str):
    return dataclasses.replace(rule, id=new_id)


@pytest.fixture(scope="module")
def pingtan() -> dict[str, Report]:
    return {n: read(CORPUS / n) for n in ("pingtan-2021.txt", "pingtan-2022.txt")}


def _by_reason(f):
    return (f.reason, f.rule, f.instance, f.cells)


# ---- item: the caller's key ------------------------------------------------------------------

def test_a_custom_key_orders_the_findings_the_passes_add(pingtan):
    # pingtan-2022 has text findings (text.new) that the narrative pass adds to reader findings
    [result] = audit_reports([copy.deepcopy(pingtan["pingtan-2022.txt"])], key=_by_reason)
    assert any(f.rule.startswith("text.") for f in result.findings)
    assert result.findings == sorted(result.findings, key=_by_reason)


def test_a_custom_key_orders_cross_year_findings_too(pingtan):
    last, this = copy.deepcopy(pingtan["pingtan-2021.txt"]), copy.deepcopy(pingtan["pingtan-2022.txt"])
    this.cells["t3.carry_in.natural"] = 5.0  # 2021 carried 1 forward
    results = audit_reports([last, this], key=_by_reason)
    assert any(f.rule == "x.carry_over" for f in results[1].findings)
    assert all(r.findings == sorted(r.findings, key=_by_reason) for r in results)


def test_run_post_passes_orders_by_its_key_only_the_results_it_adds_to(pingtan):
    reports = [copy.deepcopy(pingtan["pingtan-2022.txt"]), Report("blank", "2021", dict.fromkeys(T21.codes))]
    results = audit_reports(reports, post=False, key=_by_reason)
    blank_before = list(results[1].findings)
    run_post_passes(results, key=_by_reason)
    assert results[0].findings == sorted(results[0].findings, key=_by_reason)
    assert results[1].findings == blank_before


# ---- item: the rules in force reach every pass -------------------------------------------------

def test_no_rules_means_no_rule_findings_at_all(pingtan):
    result = audit(copy.deepcopy(pingtan["pingtan-2022.txt"]), rules=[])
    assert result.findings and all(f.rule.startswith("read.") for f in result.findings)  # the reader's own


def test_localisation_counts_only_the_identities_that_were_checked():
    cells = truth_cells("pingtan-2022.txt", T21.codes)
    cells["t3.unable_not_held.natural"] = 73.0  # truly 37: fails t3.results_total and t3.row_total
    everything = audit(cells, template="2021")
    assert {f.rule for f in everything.errors} == {"t3.results_total", "t3.row_total"}
    assert all("可同时满足 2 条" in f.message_zh for f in everything.errors)
    # only the row identity checked: 自然人 73 → 37 or 总计 37 → 73 fix it equally well
    only = audit(cells, template="2021", rules=[r for r in load_rules() if r.id in ("t3.row_total", "t3.non_negative")])
    [f] = only.errors
    assert f.rule == "t3.row_total"
    assert set(f.suspects) == {"t3.unable_not_held.natural", "t3.unable_not_held.total"}
    assert "2 条" not in f.message_zh and "都能使这条勾稽关系成立" in f.message_zh
    assert "makes the identity hold" in f.message_en


def test_the_text_pass_checks_the_text_rules_given(pingtan):
    report = pingtan["pingtan-2022.txt"]
    packaged = {f.rule for f in audit(copy.deepcopy(report)).findings}
    assert "text.new" in packaged
    mine = [renamed(r, "mine.new") if r.id == "text.new" else r for r in by_kind("text_quantity")]
    found = {f.rule for f in audit(copy.deepcopy(report), rules=mine).findings}
    assert "mine.new" in found and not (found - {"mine.new"}) - {f for f in found if f.startswith("read.")}
    without = {f.rule for f in audit(copy.deepcopy(report), rules=by_kind("sum_identity")).findings}
    assert not any(r.startswith(("text.", "mine.")) for r in without)


def test_the_format_checks_are_those_given():
    r = Report("synthetic", "2021", truth_cells("pingtan-2022.txt", T21.codes), year=2022, form="text",
               text="测试局2022年政府信息公开工作年度报告\n正文。")  # no headings at all
    assert any(f.rule == "text.sections" for f in audit(copy.deepcopy(r)).findings)
    assert not any(f.rule == "text.sections" for f in audit(copy.deepcopy(r), rules=by_kind("text_period")).findings)
    mine = [renamed(x, "mine.sections") for x in by_kind("text_sections")]
    assert {f.rule for f in audit(copy.deepcopy(r), rules=mine).findings} == {"mine.sections"}


def _pair(**this_cells) -> list[Report]:
    tpl = T21
    last = Report("r2021", "2021", {c: 0.0 for c in tpl.codes}, year=2021, agency="测试局")
    values = {c: 0.0 for c in tpl.codes}
    values.update({k.replace("__", "."): float(v) for k, v in this_cells.items()})
    return [last, Report("r2022", "2021", values, year=2022, agency="测试局")]


def test_the_cross_year_pass_checks_the_year_over_year_rules_given():
    broken = dict(t3__carry_in__natural=2, t3__carry_in__total=2, t3__new__natural=-2, t3__new__total=-2)
    packaged = [f.rule for f in audit_reports(_pair(**broken))[1].findings if f.related_report]
    assert packaged == ["x.carry_over", "x.carry_over"]
    mine = [renamed(r, "mine.carry") for r in load_rules() if r.id == "x.carry_over"]
    assert [f.rule for f in audit_reports(_pair(**broken), rules=mine)[1].findings] == ["mine.carry"] * 2
    assert audit_reports(_pair(**broken), rules=by_kind("non_negative"))[1].findings[0].rule == "t3.non_negative"
    assert not any(f.related_report for f in audit_reports(_pair(**broken), rules=by_kind("non_negative"))[1].findings)


def test_the_packaged_rules_and_their_list_give_the_same_findings(pingtan):
    reports = [copy.deepcopy(pingtan[n]) for n in sorted(pingtan)]
    reports[1].cells["t3.carry_in.natural"] = 5.0
    default = audit_reports(copy.deepcopy(reports))
    listed = audit_reports(copy.deepcopy(reports), rules=load_rules())
    assert [r.findings for r in default] == [r.findings for r in listed]


# ---- item: a dict's template ---------------------------------------------------------------------

def test_a_dict_of_2019_cells_is_read_as_2019():
    result = audit({"t2.rules.new_made": 1, "t2.rules.new_pub": 2, "t2.rules.total_pub": 3})
    assert result.report.template == "2019"
    kept = {c: v for c, v in result.cells.items() if v is not None}
    assert kept == {"t2.rules.new_made": 1.0, "t2.rules.new_pub": 2.0, "t2.rules.total_pub": 3.0}
    broken = audit({"t2.rules.new_made": 1, "t2.rules.new_pub": 5, "t2.rules.total_pub": 3})
    assert [f.rule for f in broken.findings] == ["t2.published_within_total"]  # 5 published of 3 in all


def test_cells_every_template_has_are_read_in_the_newest():
    assert audit({"t3.new.total": 1, "t3.new.natural": 1}).report.template == "2021"
    assert audit({}).report.template == "2021"


def test_a_misspelt_code_is_an_error_naming_it():
    with pytest.raises(InputError) as err:
        audit({"t3.new.totl": 5, "t3.new.natural": 5})
    assert err.value.reason == "unknown_cells"
    text = str(err.value)
    assert "t3.new.totl" in text and "t3.new.natural" not in text
    assert text.index("拼写") < text.index("misspelt")  # Chinese first


def test_columns_that_are_not_cell_codes_are_left_aside():
    import pandas as pd

    frame = pd.DataFrame([{"agency": "测试局", "year": 2022, "t3.new.total": 1.0, "t3.new.natural": 1.0}],
                         index=["r"])
    result = audit(frame)
    assert result.report.template == "2021" and result.cells["t3.new.total"] == 1.0
    with pytest.raises(InputError) as err:  # a code with a table prefix is still checked
        audit({"agency": "测试局", "t3.new.totl": 1.0})
    assert "t3.new.totl" in str(err.value) and "agency" not in str(err.value)


def test_a_cell_of_another_template_is_an_error_naming_both():
    import pandas as pd

    frame = pd.DataFrame([{"t3.new.total": 1.0, "t2.rules.issued": 2.0}], index=["r"])
    assert audit(frame).report.template == "2021"
    with pytest.raises(InputError) as err:
        audit(frame, template="2019")
    assert "t2.rules.issued（2021）" in str(err.value) and "t3.new.total" not in str(err.value)


@given(st.sampled_from(sorted(set(T21.codes) - set(get_template("2019").codes))),
       st.sampled_from(get_template("2019").codes))
def test_a_dict_keeps_every_value_or_says_why(only_2021, any_2019):
    cells = {only_2021: 1.0, any_2019: 2.0}
    try:
        result = audit(cells)
    except InputError as exc:
        assert only_2021 in str(exc) or any_2019 in str(exc)
    else:
        assert all(result.cells[c] == v for c, v in cells.items())


# ---- item: the explanation when no identity fails ------------------------------------------------

def _two_negative_cells() -> dict:
    # one negative cell in each of two table-4 rows, made up for in the same row: every
    # identity still holds, only non-negativity fails
    cells = truth_cells("pingtan-2022.txt", T21.codes)
    cells.update({"t4.review.upheld": -1.0, "t4.review.other": cells["t4.review.other"] + 1,
                  "t4.lit_direct.corrected": -1.0, "t4.lit_direct.pending": cells["t4.lit_direct.pending"] + 1})
    return cells


def test_two_negative_cells_and_no_failing_identity_are_explained_without_identities():
    result = audit(_two_negative_cells(), template="2021")
    assert [f.reason for f in result.errors] == ["negative_value"] * 2
    for f in result.errors:
        assert "勾稽关系成立" not in f.message_zh and "以下任一种改动都能通过检查——" in f.message_zh
        assert "failing identities" not in f.message_en and "any one of these changes passes the checks" in f.message_en


def _loc(n_identities: int, n_bad: int, explanations: tuple, complete: bool = True) -> Localisation:
    failing = tuple(f"t3.balance[c{i}]" for i in range(n_identities)) + \
        tuple(f"bad[t3.granted.c{i}]" for i in range(n_bad))
    return Localisation("2021", failing, len(explanations[0].changes), explanations, complete)


_A = Change("t3.granted.natural", -1.0, 1.0)
_B = Change("t3.partial.natural", -2.0, 2.0)
SHAPES = {  # a single change, several changes (_several), tied alternatives (ambiguous)
    "single": (Explanation((_A,)),),
    "several": (Explanation((_A, _B)),),
    "ambiguous": (Explanation((_A,)), Explanation((_B,))),
}


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("n", [0, 1, 2, 3])
def test_every_explanation_counts_the_failing_identities_in_words(shape, n):
    zh, en = (message(_loc(n, 1 if n == 0 else 0, SHAPES[shape]), lang) for lang in ("zh", "en"))
    assert "全部 0" not in zh and "全部 1 " not in zh and "all 0" not in en and "all 1 " not in en
    if n == 0:
        assert "勾稽关系" not in zh and "identit" not in en
    elif n == 1:
        assert "这条" in zh and "identity" in en
    else:
        assert f"{n} 条" in zh and ("both" if n == 2 else f"all {n}") in en
