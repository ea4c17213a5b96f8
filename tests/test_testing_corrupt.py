"""gov_audit.testing.corruptions: each corruption changes one cell, as recorded."""
from __future__ import annotations

import pytest
from hypothesis import find, given
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument, Unsatisfiable

import gov_audit
from gov_audit._template import get_template
from gov_audit.testing import CORRUPTION_KINDS, Corruption, corruptions, reports
from gov_audit.testing._corrupt import _digit_edits, _neighbours
from gov_audit.testing._plan import plan_for

TEMPLATES = ("2019", "2021")


@given(st.sampled_from(TEMPLATES).flatmap(lambda t: reports(t)).flatmap(
    lambda r: st.tuples(st.just(r), corruptions(r))))
def test_a_corruption_changes_one_count_cell_as_recorded(drawn):
    report, (broken, change) = drawn
    tpl = get_template(report.template)
    changed = [c for c in tpl.codes if broken.cells[c] != report.cells[c]]
    assert changed == [change.cell]
    assert (change.original, change.new) == (report.cells[change.cell], broken.cells[change.cell])
    assert tpl.cells[change.cell].kind == "count"  # the default scope: no money, no signed counts
    assert report.cells[change.cell] is not None
    old, new = change.original, change.new
    if change.kind == "off_by":
        assert new >= 0 and float(new).is_integer()
    elif change.kind == "sign_flip":
        assert new == -old != 0
    elif change.kind == "blank_total":
        assert new is None and change.cell in plan_for(tpl).totals
    elif change.kind == "neighbour":
        assert change.source in _neighbours(tpl, change.cell) and new == report.cells[change.source]
    else:
        a, b = str(int(old)), str(int(new))
        assert {"transposed": len(b) == len(a) and sorted(a) == sorted(b),
                "dropped_digit": len(b) < len(a), "doubled_digit": len(b) == len(a) + 1}[change.kind]
    assert broken.provenance[change.cell].raw == ("" if new is None else f"{new:g}")


@pytest.mark.parametrize("kind, value, expected", [
    ("transposed", 153, {135, 513}),
    ("transposed", 11, set()),          # no change: not a corruption
    ("transposed", 10, set()),          # "01" is not how anyone writes 1
    ("transposed", 1203, {2103, 1023, 1230}),
    ("dropped_digit", 105, {5, 15, 10}),
    ("dropped_digit", 7, set()),
    ("doubled_digit", 0, set()),        # 0 → 00 is still 0
    ("doubled_digit", 70, {770, 700}),
])
def test_digit_edits(kind, value, expected):
    assert set(_digit_edits(kind, value)) == expected


def _one_cell(template: str, code: str, value: float) -> gov_audit.Report:
    cells = {c: 0.0 for c in get_template(template).codes}
    cells[code] = value
    return gov_audit.Report("one", template, cells)


def test_kinds_and_cells_narrow_the_choice():
    report = _one_cell("2021", "t3.granted.natural", 153.0)
    broken, change = find(corruptions(report, kinds=["transposed"], cells=["t3.granted.natural"]),
                          lambda pair: True)
    assert change == Corruption("transposed", "t3.granted.natural", 153.0, broken.cells["t3.granted.natural"])
    assert change.new in (135.0, 513.0)
    assert str(change).startswith("transposed t3.granted.natural: 153 → ")


def test_a_report_with_nothing_to_corrupt_gives_no_examples():
    blank = gov_audit.Report("blank", "2021", {c: None for c in get_template("2021").codes})
    with pytest.raises(Unsatisfiable):  # corruptions() is st.nothing()
        find(corruptions(blank), lambda pair: True)
    with pytest.raises(Unsatisfiable):  # zeros cannot be sign-flipped
        find(corruptions(_one_cell("2021", "t3.new.natural", 0.0), kinds=["sign_flip"]), lambda pair: True)


@pytest.mark.parametrize("kwargs", [{"kinds": ["typo"]}, {"kinds": []}, {"cells": ["t9.x.y"]}])
def test_bad_arguments_are_refused(kwargs):
    with pytest.raises(InvalidArgument):
        corruptions(_one_cell("2021", "t3.new.natural", 1.0), **kwargs)


def test_a_plain_dict_is_refused():
    with pytest.raises(InvalidArgument, match="Report"):
        corruptions({"t3.new.natural": 1.0})


def test_every_kind_is_reachable():
    report = _one_cell("2021", "t3.granted.natural", 153.0)
    report.cells.update({"t3.granted.total": 153.0, "t3.total.natural": 153.0, "t3.total.total": 153.0,
                         "t3.new.natural": 153.0, "t3.new.total": 153.0})
    for kind in CORRUPTION_KINDS:
        _, change = find(corruptions(report, kinds=[kind]), lambda pair: True)
        assert change.kind == kind
