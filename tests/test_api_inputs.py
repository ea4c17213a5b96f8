"""The public entry points refuse broken input with a clear error instead of a clean-looking report.

Each section is one defect found by an adversarial tester: panel columns that are not
the template's cells, values that are not numbers, rules given as an iterator, rule ids
given twice, unknown templates and frames of other than one report, report labels.
"""
from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import gov_audit as ga
from gov_audit import InputError, Report, RuleError
from gov_audit._read._atoms import PLACEHOLDERS as READER_PLACEHOLDERS

T21, T19 = ga.get_template("2021"), ga.get_template("2019")
ONLY_2019 = sorted(set(T19.codes) - set(T21.codes))
# every placeholder a report prints (the reader's list), and spaced or empty text
PLACEHOLDERS = sorted(READER_PLACEHOLDERS) + ["", "  ", " / "]


def cells_2021(**changes) -> dict:
    d = {c: 0 for c in T21.codes}
    d["t3.new.natural"] = 5  # breaks t3.balance[natural] and t3.row_total[new]
    d.update({k.replace("__", "."): v for k, v in changes.items()})
    return d


def broken_panel() -> pd.DataFrame:
    return pd.DataFrame([cells_2021()], index=["r0"])


def chinese_first(text: str) -> bool:
    cjk = re.search(r"[\u4e00-\u9fff]", text)
    latin = re.search(r"[A-Za-z]{4,}", re.sub(r"t\d\.[\w.]+|audit\w*\(\)|MultiIndex|True|False|None|NaN", "", text))
    return bool(cjk) and (latin is None or cjk.start() < latin.start())


def test_the_broken_panel_has_findings():  # the baseline the column tests below change
    assert {f.rule for f in ga.audit_panel(broken_panel()).findings_list} >= {"t3.balance", "t3.row_total"}


# ---- item 1: the panel's columns ---------------------------------------------------------------

def test_upper_case_columns_are_an_error_not_a_clean_report():
    with pytest.raises(InputError) as err:
        ga.audit_panel(broken_panel().rename(columns=str.upper))
    assert err.value.reason == "unknown_cells"
    assert "T3.NEW.NATURAL" in err.value.detail and "小写" in str(err.value) and "lower case" in str(err.value)
    assert chinese_first(str(err.value))


def test_multiindex_columns_are_an_error():
    panel = broken_panel()
    panel.columns = pd.MultiIndex.from_tuples([(c, "v") for c in panel.columns])
    with pytest.raises(InputError) as err:
        ga.audit_panel(panel)
    assert err.value.reason == "bad_columns" and "MultiIndex" in str(err.value)
    with pytest.raises(InputError):
        ga.audit(panel)


def test_a_misspelt_column_is_named_not_read_as_blank():
    with pytest.raises(InputError) as err:
        ga.audit_panel(broken_panel().rename(columns={"t3.new.natural": "t3.new.naturl"}))
    assert err.value.reason == "unknown_cells" and "t3.new.naturl" in str(err.value)
    assert "t3.new.total" not in str(err.value)


def test_cells_of_another_template_are_not_dropped():
    panel = pd.DataFrame([{c: 1 for c in T19.codes}])
    with pytest.raises(InputError) as err:
        ga.audit_panel(panel, template="2021")
    assert err.value.reason == "unknown_cells" and "t3.other.natural（2019）" in str(err.value)
    assert ga.audit_panel(panel, template="2019").template.code == "2019"


def test_panel_of_refuses_a_report_of_another_template():
    report = ga.audit({c: 1 for c in T19.codes}).report
    with pytest.raises(InputError) as err:
        ga.panel_of([report], "2021")
    assert "t3.other.natural" in err.value.detail and "t2.rules.new_made（2019）" in str(err.value)
    assert list(ga.panel_of([report], "2019").columns) == T19.codes


def test_a_panel_with_no_cell_column_is_an_error():
    for panel in (pd.DataFrame({"agency": ["甲"], "year": [2022]}), pd.DataFrame(index=[0, 1])):
        with pytest.raises(InputError) as err:
            ga.audit_panel(panel)
        assert err.value.reason == "no_cells" and chinese_first(str(err.value))


def test_other_columns_and_absent_cells_are_still_fine():
    panel = broken_panel().assign(agency="甲局").drop(columns=["t4.review.total"])
    found = ga.audit_panel(panel).findings_list
    assert {f.rule for f in found} >= {"t3.balance", "t3.row_total"}
    assert any(f.reason == "not_reported" and f.cells == ("t4.review.total",) for f in found)


def test_iter_findings_checks_the_panel_before_the_first_finding():
    with pytest.raises(InputError):
        ga.iter_findings(broken_panel().rename(columns=str.upper), "2021")  # no next() needed


def test_a_panel_is_a_dataframe():
    with pytest.raises(TypeError, match="DataFrame"):
        ga.audit_panel([cells_2021()])


@given(st.sampled_from(T21.codes), st.text(alphabet="abcdefghijklmnopqrstuvwxyz_.", min_size=1, max_size=6))
def test_any_renamed_cell_column_is_named(code, suffix):
    wrong = code + suffix
    panel = broken_panel().rename(columns={code: wrong})
    if wrong in T21.cells:  # renamed onto another cell: now given twice
        with pytest.raises(InputError) as err:
            ga.audit_panel(panel)
        assert err.value.reason == "duplicate_cells"
        return
    with pytest.raises(InputError) as err:
        ga.audit_panel(panel)
    assert err.value.reason == "unknown_cells" and wrong in str(err.value)


# ---- item 2: values that are not numbers ---------------------------------------------------------

@given(st.sampled_from(T21.codes), st.sampled_from(PLACEHOLDERS))
def test_a_placeholder_in_any_cell_of_a_dict_is_not_reported(code, placeholder):
    result = ga.audit(cells_2021(**{code.replace(".", "__"): placeholder}))
    assert result.cells[code] is None
    assert all(v is not None for c, v in result.cells.items() if c != code)


@pytest.mark.parametrize(("given_", "read"), [
    ("1,234", 1234.0), ("１２", 12.0), (" 7 ", 7.0), ("-3", -3.0), ("2.5", 2.5), ("１，２３４", 1234.0),
    (np.int64(3), 3.0), (np.float32(4), 4.0), (Decimal("6"), 6.0), (Fraction(1, 2), 0.5), (None, None),
    (float("nan"), None), (pd.NA, None), (Decimal("NaN"), None), (8, 8.0)])
def test_numbers_and_numeric_text_are_read(given_, read):
    assert ga.audit(cells_2021(t3__new__natural=given_)).cells["t3.new.natural"] == read
    series = pd.Series(cells_2021(t3__new__natural=given_), name="s")
    assert ga.audit(series).cells["t3.new.natural"] == read


@pytest.mark.parametrize(("value", "reason"), [
    ("abc", "not_a_number"), ("12件", "not_a_number"), ("1,23", "not_a_number"), ("nan", "not_a_number"),
    ([1], "not_a_number"), (complex(1, 1), "not_a_number"), (True, "boolean"), (np.bool_(False), "boolean"),
    (float("inf"), "not_finite"), (-np.inf, "not_finite"), (Decimal("1e400"), "not_finite"),
    (10**400, "not_finite"), ("1e400", "not_finite")])
def test_a_value_that_is_no_count_is_an_error_naming_the_cell(value, reason):
    for given_ in (cells_2021(t3__new__natural=value), pd.DataFrame([cells_2021(t3__new__natural=value)])):
        with pytest.raises(InputError) as err:
            ga.audit(given_)
        assert err.value.reason == reason and "t3.new.natural" in str(err.value)
        assert chinese_first(str(err.value))


def test_a_panel_reads_text_values_as_audit_does():
    texts = cells_2021(t3__new__natural="5", t3__new__total="/", t3__granted__natural="—", t3__granted__total="")
    numbers = cells_2021(t3__new__total=None, t3__granted__natural=None, t3__granted__total=None)
    panel = pd.DataFrame([texts, numbers], index=["text", "numbers"], dtype=object)
    result = ga.audit_panel(panel)
    key = lambda fs: sorted((f.rule, f.instance, f.cells, f.observed, f.expected) for f in fs)  # noqa: E731
    assert key(result.for_report("text")) == key(result.for_report("numbers")) != []
    assert key(result.for_report("text")) == key(ga.audit(texts).findings)


def test_a_panel_names_every_value_it_cannot_read():
    panel = pd.DataFrame([cells_2021(t3__new__natural="abc"), cells_2021(t3__new__total="12件")], index=["a", "b"])
    with pytest.raises(InputError) as err:
        ga.audit_panel(panel)
    assert "t3.new.natural @ a" in str(err.value) and "'12件'" in str(err.value)


@pytest.mark.parametrize("column", [[True], pd.array([True], dtype="boolean"), [np.inf], [-np.inf]])
def test_a_panel_with_booleans_or_infinities_is_an_error(column):
    panel = broken_panel()
    panel["t3.new.natural"] = pd.Series(column, index=panel.index)
    with pytest.raises(InputError) as err:
        ga.audit_panel(panel)
    assert "t3.new.natural" in str(err.value)


def test_localisation_skips_infinite_values():
    # a Report is taken as it is (a reader can read a 400-digit number as inf): no crash
    cells = {c: float(v) for c, v in cells_2021().items()}
    cells["t3.new.natural"] = float("inf")
    result = ga.audit(Report("inf", "2021", cells))
    assert any(f.rule == "t3.balance" for f in result.errors)
    cells["t3.new.natural"] = 1e308
    cells["t3.new.total"] = 1e308
    ga.audit(Report("huge", "2021", cells))


# ---- item 3: rules given as an iterator, or not as rules -----------------------------------------

def _reports():
    return [ga.audit(cells_2021()).report, ga.audit({c: 1 for c in T19.codes}).report]


def test_rules_given_as_a_generator_serve_every_template():
    reports = _reports()
    listed = [r.findings for r in ga.audit_reports(reports, rules=ga.load_rules())]
    once = [r.findings for r in ga.audit_reports(reports, rules=(r for r in ga.load_rules()))]
    assert once == listed and all(listed)


@pytest.mark.parametrize("call", ["audit", "audit_panel", "iter_findings", "schema_for", "compiled_for"])
def test_every_entry_point_takes_a_generator_of_rules(call):
    from gov_audit._compile import compiled_for

    rules = lambda: (r for r in ga.load_rules())  # noqa: E731
    if call == "audit":
        assert ga.audit(cells_2021(), rules=rules()).errors == ga.audit(cells_2021()).errors
    elif call == "audit_panel":
        listed = ga.audit_panel(broken_panel(), rules=rules()).findings_list
        assert listed == ga.audit_panel(broken_panel()).findings_list
    elif call == "iter_findings":
        assert list(ga.iter_findings(broken_panel(), "2021", rules())) == list(ga.iter_findings(broken_panel(), "2021"))
    elif call == "schema_for":
        assert [c.name for c in ga.schema_for("2021", rules()).checks] == [c.name for c in ga.schema_for("2021").checks]
    else:
        assert len(compiled_for("2021", rules()).checked) == len(compiled_for("2021").checked)


@pytest.mark.parametrize("rules", [["t3.balance"], "t3.balance", [None], 5])
def test_rules_that_are_not_rules_are_a_type_error_naming_them(rules):
    for call in (lambda: ga.audit(cells_2021(), rules=rules), lambda: ga.audit_panel(broken_panel(), rules=rules),
                 lambda: ga.audit_reports(_reports(), rules=rules), lambda: ga.schema_for("2021", rules),
                 lambda: ga.iter_findings(broken_panel(), "2021", rules)):
        with pytest.raises(TypeError, match="Rule objects"):
            call()


# ---- item 4: a rule id given twice ---------------------------------------------------------------

@pytest.mark.parametrize("twice", ["all", "one"])
def test_duplicate_rule_ids_are_a_rule_error(twice):
    import dataclasses

    rules = ga.load_rules()
    balance = next(r for r in rules if r.id == "t3.balance")
    given_ = rules + rules if twice == "all" else rules + [dataclasses.replace(balance, severity="warning")]
    for call in (lambda: ga.audit(cells_2021(), rules=given_), lambda: ga.audit_panel(broken_panel(), rules=given_),
                 lambda: ga.audit_reports(_reports(), rules=iter(given_)), lambda: ga.schema_for("2021", given_),
                 lambda: ga.iter_findings(broken_panel(), "2021", given_)):
        with pytest.raises(RuleError, match="t3.balance") as err:
            call()
        assert chinese_first(str(err.value))


def test_one_id_for_different_templates_is_not_a_duplicate():
    rules = ga.load_rules()  # text.other_handling has one entry per template
    assert len({r.id for r in rules}) < len(rules)
    ga.audit(cells_2021(), rules=rules)


# ---- item 5: unknown templates, frames of other than one report, labels given twice --------------

@pytest.mark.parametrize("call", [
    lambda: ga.audit(cells_2021(), template="2020"), lambda: ga.audit_panel(broken_panel(), "2020"),
    lambda: ga.get_template("2020"), lambda: ga.schema_for("2020"), lambda: ga.audit(Report("x", "2020", {})),
    lambda: ga.iter_findings(broken_panel(), "2020"), lambda: ga.panel_of([], "2020"),
    lambda: ga.audit_reports([Report("x", "2020", {})])])
def test_an_unknown_template_is_an_input_error_listing_the_known(call):
    with pytest.raises(InputError) as err:
        call()
    assert err.value.reason == "unknown_template"
    assert "2019" in str(err.value) and "2021" in str(err.value) and chinese_first(str(err.value))


@pytest.mark.parametrize("rows", [0, 2])
def test_audit_takes_one_report_and_points_to_audit_panel(rows):
    with pytest.raises(InputError) as err:
        ga.audit(pd.DataFrame([cells_2021()] * rows, columns=T21.codes))
    assert err.value.reason == "not_one_report" and "audit_panel" in str(err.value)


def test_a_cell_given_twice_is_an_error_naming_it():
    frame = broken_panel()
    frame.columns = ["t3.new.natural" if c == "t3.new.total" else c for c in frame.columns]
    for call in (lambda: ga.audit(frame), lambda: ga.audit_panel(frame), lambda: ga.audit(frame.iloc[0])):
        with pytest.raises(InputError) as err:
            call()
        assert err.value.reason == "duplicate_cells" and "t3.new.natural" in str(err.value)


# ---- item 6: reports named by their index label ---------------------------------------------------

def test_for_report_takes_the_label_or_its_str():
    result = ga.audit_panel(pd.DataFrame([cells_2021(), cells_2021()]))
    assert result.for_report(0) == result.for_report("0") != []
    assert {f.report for f in result.findings_list} == {"0", "1"}


@pytest.mark.parametrize("placeholder", sorted(READER_PLACEHOLDERS))
def test_every_placeholder_the_readers_know_is_not_reported_in_data(placeholder):
    # (NFKC turns … into ...: the comparison must survive it)
    result = ga.audit({"t3.new.natural": placeholder, "t3.new.total": 0})
    assert result.cells["t3.new.natural"] is None
