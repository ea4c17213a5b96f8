"""gov_audit.testing.reports / panels: shape, options, and construction from any rule set."""
from __future__ import annotations

import textwrap

import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import gov_audit
from gov_audit import RuleError
from gov_audit._rules import instances_for
from gov_audit._template import get_template
from gov_audit.testing import panels, render, reports, write_report
from gov_audit.testing._plan import plan_for

TEMPLATES = ("2019", "2021")


@pytest.mark.parametrize("call", [
    lambda: reports("2020"),
    lambda: reports(rules="rules/"),
    lambda: reports(blanks="yes"),
    lambda: reports(max_count=-1),
    lambda: panels(min_size=3, max_size=2),
    lambda: panels(template="1999"),
])
def test_bad_options_are_refused_at_once(call):
    with pytest.raises(InvalidArgument):
        call()


@given(st.sampled_from(TEMPLATES).flatmap(lambda t: reports(t)))
def test_a_report_has_every_cell_of_its_template(report):
    tpl = get_template(report.template)
    assert list(report.cells) == tpl.codes
    assert tpl.covers_year(report.year)
    assert report.agency is None  # so the cross-year checks never pair generated reports
    integer = {i.key for i in instances_for(tpl) if i.rule.kind == "integer"}
    assert all(float(report.cells[c]).is_integer() for c in integer if report.cells[c] is not None)


@given(st.sampled_from(TEMPLATES).flatmap(lambda t: reports(t)))
def test_blanks_never_leave_an_identity_half_reported(report):
    # the blank policy's not_reported warnings, checked without an audit
    for inst in instances_for(report.template):
        if inst.kind.shape == "linear":
            blank = [report.cells[c] is None for c in inst.cells]
            assert all(blank) or not any(blank), inst.name


@given(reports("2021", blanks=False, max_count=3))
def test_options_blanks_and_max_count(report):
    assert None not in report.cells.values()
    for f in plan_for(get_template("2021")).free:
        assert abs(report.cells[f.cell]) <= 3, f.cell


@given(reports("2019", max_count=0))
def test_max_count_zero_gives_all_zero_reports(report):
    assert set(report.cells.values()) <= {0.0, None}


@pytest.mark.skipif(settings.get_current_profile_name() == "ci",
                    reason="shrinking a whole report takes ~10 s; runs with HYPOTHESIS_PROFILE=thorough")
def test_reports_shrink_to_the_smallest_story():
    # Everything shrinks towards zero: the smallest report with 3 applications handled
    # has one non-zero result cell and the totals and `new` that follow from it.
    report = find(reports("2021", blanks=False), lambda r: r.cells["t3.total.total"] >= 3)
    assert report.cells["t3.total.total"] == 3
    assert len([c for c, v in report.cells.items() if v]) == 6, {c: v for c, v in report.cells.items() if v}


@given(panels(None, min_size=2, max_size=4))
def test_panels_have_the_panel_shape_and_audit_clean(panel):
    template = panel.attrs["template"]
    assert 2 <= len(panel) <= 4
    assert list(panel.columns) == get_template(template).codes
    assert panel.index.name == "report" and panel.index.is_unique
    assert set(panel.dtypes.astype(str)) == {"Float64"}
    assert gov_audit.audit_panel(panel, template).findings_list == []


# ---------------------------------------------------------------- the construction follows the rule files

EXTRA = textwrap.dedent("""\
    rules:
      - id: test.cross_table
        title: {zh: 跨表不等式, en: "a cross-table inequality"}
        severity: error
        kind: at_most
        templates: ["2019", "2021"]
        lhs: ["t4.review.total", "t4.lit_direct.total"]
        rhs: ["t3.total.total"]
      - id: test.fractional
        title: {zh: 需要分数消元的恒等式, en: "an identity whose elimination needs fractions"}
        severity: error
        kind: sum_identity
        templates: ["2019", "2021"]
        lhs: ["t4.lit_after.upheld", "t4.lit_after.upheld"]
        rhs: ["t4.lit_after.other", "t4.lit_after.other", "t4.lit_after.other"]
      - id: test.forced_zero
        title: {zh: 只能为零, en: "only zeros can satisfy it"}
        severity: error
        kind: sum_identity
        templates: ["2019", "2021"]
        lhs: ["t3.deny_secret.natural", "t3.deny_law.natural"]
        rhs: []
    """)


@pytest.fixture(scope="module")
def extra_rules(tmp_path_factory):
    folder = tmp_path_factory.mktemp("extra_rules")
    (folder / "checks").mkdir()
    (folder / "checks" / "extra.yaml").write_text(EXTRA, encoding="utf-8")
    return gov_audit.load_rules() + gov_audit.load_rules(folder)


@given(data=st.data())
def test_reports_keep_rules_added_in_another_folder(extra_rules, data):
    template = data.draw(st.sampled_from(TEMPLATES))
    batch = data.draw(st.lists(reports(template, rules=extra_rules), min_size=1, max_size=8))
    for result in gov_audit.audit_reports(batch, rules=extra_rules):
        assert result.findings == [], result.findings[0]
    for r in batch:
        if r.cells["t4.lit_after.upheld"] is not None:
            assert 2 * r.cells["t4.lit_after.upheld"] == 3 * r.cells["t4.lit_after.other"]
        assert r.cells["t3.deny_secret.natural"] in (0, None)


def test_the_plan_for_new_rules_links_tables_and_scales_steps(extra_rules):
    plan = plan_for(get_template("2021"), extra_rules)
    # one blankable unit now spans tables 3 and 4, so table 4 is never blanked alone
    assert any("t3.new.total" in comp and "t4.review.total" in comp for comp in plan.components)
    assert {f.step for f in plan.free if f.cell.startswith("t4.lit_after.")} > {1}


def test_a_broken_rule_fails_when_drawn_not_when_declared(tmp_path):
    (tmp_path / "checks").mkdir()
    (tmp_path / "checks" / "bad.yaml").write_text(textwrap.dedent("""\
        rules:
          - id: test.bad
            title: {zh: 坏规则, en: "a bad rule"}
            severity: error
            kind: sum_identity
            templates: ["2021"]
            lhs: ["t3.no_such_row.total"]
            rhs: ["t3.new.total"]
        """), encoding="utf-8")
    strategy = reports("2021", rules=gov_audit.load_rules(tmp_path))  # no error yet
    with pytest.raises(RuleError, match="no_such_row"):
        find(strategy, lambda r: True)


def test_write_report_takes_the_form_from_the_suffix_and_refuses_an_unknown_one(tmp_path):
    report = find(reports("2021"), lambda r: True)
    for name, form in (("a.html", "html"), ("b.HTM", "html"), ("c.txt", "text_lines"), ("d.md", "markdown")):
        assert write_report(report, tmp_path / name).read_text(encoding="utf-8") == render(report, form), name
    # DOCX and PDF carry the time they were written, so only their kind is compared
    assert write_report(report, tmp_path / "e.docx").read_bytes()[:2] == b"PK"
    assert write_report(report, tmp_path / "f.pdf").read_bytes()[:5] == b"%PDF-"
    with pytest.raises(ValueError, match=r"'\.rtf'.*\.html, \.txt, \.md, \.docx, \.pdf"):
        write_report(report, tmp_path / "g.rtf")
    assert not (tmp_path / "g.rtf").exists()
    write_report(report, tmp_path / "g.rtf", form="text_run")  # a form given outright needs no suffix
    assert (tmp_path / "g.rtf").read_text(encoding="utf-8") == render(report, "text_run")
