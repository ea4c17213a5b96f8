"""The report the project started from: a real 2020 township report pasted as text."""
from __future__ import annotations

import re

import gov_audit

from _corpus import SEED


def test_seed_reads_all_198_cells_as_template_2019_with_no_error():
    result = gov_audit.audit(SEED)
    assert result.report.template == "2019" and result.report.year == 2020
    assert len(result.cells) == 198 and all(v is not None for v in result.cells.values())
    assert result.cells["t2.normative.new_made"] == 153
    assert result.cells["t2.normative.new_pub"] == 97
    assert result.cells["t2.normative.total_pub"] == 97
    assert all(v == 0 for c, v in result.cells.items() if not c.startswith("t2.normative."))
    assert result.errors == [] and result.status == "ok"


def test_changing_one_table3_number_gives_an_error_naming_that_cell(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    start = text.index("（二）部分公开")
    # the first value after 部分公开 is 自然人; print 7 there instead of 0
    m = re.compile(r"\u00a0?0\u00a0?").search(text, start)
    broken = text[:m.start()] + "7" + text[m.end():]
    path = tmp_path / "broken.txt"
    path.write_text(broken, encoding="utf-8")
    result = gov_audit.audit(path)
    assert result.cells["t3.partial.natural"] == 7
    errors = result.errors
    assert errors and all("t3.partial.natural" in f.cells for f in errors)
    assert {f.rule for f in errors} == {"t3.results_total", "t3.row_total"}
