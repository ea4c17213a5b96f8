"""Blank / "/" / "—" cells are "not reported": never 0, never a false arithmetic error."""
from __future__ import annotations

import pytest

import gov_audit
from gov_audit._template import get_template

from _corpus import truth_cells


def cells_2021():
    return truth_cells("pingtan-2022.txt", get_template("2021").codes, fill_t2=None)


def test_blank_total_column_gives_missing_total_warnings_not_errors():
    cells = cells_2021()
    rows = list(get_template("2021").tables["t3"].rows)
    for row in rows:
        cells[f"t3.{row}.total"] = None
    result = gov_audit.audit(cells, template="2021")
    assert result.errors == []
    missing = [f for f in result.findings if f.reason == "not_reported"]
    # one warning per row sum whose total is blank, naming that total
    row_totals = {f.instance: f.cells for f in missing if f.rule == "t3.row_total"}
    assert set(row_totals) == set(rows)
    assert all(cells_ == (f"t3.{row}.total",) for row, cells_ in row_totals.items())
    assert all("未填报" in f.message_zh and "not reported" in f.message_en for f in missing)


def test_blank_is_not_zero():
    cells = cells_2021()
    assert cells["t3.new.natural"] != 0
    cells["t3.new.natural"] = None  # had it been read as 0, three identities would fail
    result = gov_audit.audit(cells, template="2021")
    assert result.errors == []
    assert {f.rule for f in result.findings} == {"t3.balance", "t3.row_total"}
    assert all(f.reason == "not_reported" and f.cells == ("t3.new.natural",) for f in result.findings)


def test_a_table_left_entirely_blank_is_not_checked():
    cells = cells_2021()
    for code in cells:
        if code.startswith("t4."):
            cells[code] = None
    assert gov_audit.audit(cells, template="2021").findings == []


def test_real_report_with_blank_organisation_columns_has_no_error():
    """沭阳县发改局 2023 leaves the five 法人或其他组织 columns blank in every row."""
    cells = truth_cells("shuyang-fgj-2023.html", get_template("2021").codes, fill_t2=None)
    result = gov_audit.audit(cells, template="2021")
    assert result.errors == []
    assert {f.rule for f in result.findings} == {"t3.row_total"}
    # one warning per printed row, listed as the clerk reads the table: row by row, top down
    codes = get_template("2021").codes
    rows = [codes.index(f.cells[0]) for f in result.findings]
    assert len(rows) == 25 and rows == sorted(rows)


@pytest.mark.parametrize("placeholder", ["/", "—", "无", "－", ""])
def test_placeholders_read_as_not_reported(placeholder):
    from gov_audit._read._atoms import Piece, atomise
    from gov_audit._read._numbers import value_of

    atoms = atomise([Piece(placeholder, "cell", cell=True)])
    assert len(atoms) == 1 and value_of(atoms[0]) is None
