"""Every real report in the corpus reads to its hand-checked truth, cell for cell.

A ``null`` in a truth file is a blank or placeholder cell and must stay ``None`` (never
0). Table-2 values are checked where the truth file lists them by printed label.
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from gov_audit._read import read
from gov_audit._template import get_template

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
CASES = sorted(CORPUS.glob("*.truth.json"))
# OCR misreadings the truth notes document (the printed text says 沐阳, the agency is 沭阳).
OCR_FOLDS = str.maketrans({"沐": "沭"})


def _id(path: Path) -> str:
    return path.name[: -len(".truth.json")]


@pytest.fixture(scope="module", params=CASES, ids=_id)
def case(request):
    truth = json.loads(request.param.read_text(encoding="utf-8"))
    return truth, read(CORPUS / truth["file"])


def test_cells_equal_truth(case):
    truth, report = case
    wrong = {code: (want, report.cells.get(code)) for code, want in truth["cells"].items()
             if not (want is None and report.cells.get(code) is None
                     or want is not None and report.cells.get(code) is not None
                     and abs(report.cells[code] - want) < 1e-9)}
    assert wrong == {}


def test_blank_cells_stay_blank_with_provenance(case):
    truth, report = case
    for code, want in truth["cells"].items():
        if want is None:
            assert report.provenance[code].how == "blank", code


def test_template_year_and_agency(case):
    truth, report = case
    assert report.template == truth["template"]
    assert report.year == truth["report_year"]
    # the truth names the agency with annotations ("（全区汇总）", "(江苏宿迁)"): ours is its printed name
    assert report.agency
    assert truth["agency"].translate(OCR_FOLDS).startswith(report.agency.translate(OCR_FOLDS))


def test_every_truth_cell_found_and_no_error_from_the_reader(case):
    truth, report = case
    assert [c for c in truth["cells"] if report.provenance[c].how in ("missing", "ambiguous")] == []
    assert [f.rule for f in report.parse_findings if f.severity == "error"] == []


def _money(value) -> float:
    """``'75394432.52元'`` → 75394432.52 (the truth keeps the printed unit where the header has none)."""
    if isinstance(value, (int, float)):
        return float(value)
    return float(re.sub(r"[^\d.\-]", "", str(value)))


def _code(spec_labels: dict, printed: str) -> str:
    norm = lambda s: re.sub(r"\s", "", unicodedata.normalize("NFKC", s))  # noqa: E731
    for code, label in spec_labels.items():
        if norm(printed) in {norm(s) for s in label.spellings[:1]}:
            return code
    for code, label in spec_labels.items():
        if norm(printed) in {norm(s) for s in label.spellings}:
            return code
    raise KeyError(printed)


@pytest.mark.parametrize("path", [p for p in CASES if "table2_by_label" in json.loads(p.read_text(encoding="utf-8"))],
                         ids=_id)
def test_table2_equals_truth(path):
    truth = json.loads(path.read_text(encoding="utf-8"))
    report = read(CORPUS / truth["file"])
    t2 = get_template(truth["template"]).tables["t2"]
    for row_label, columns in truth["table2_by_label"].items():
        row = _code(t2.rows, row_label)
        for col_label, want in columns.items():
            code = f"t2.{row}.{_code(t2.columns, col_label)}"
            assert report.cells[code] == pytest.approx(_money(want)), code


def test_same_report_in_two_forms_reads_the_same():
    """pingtan-2019 and pingtan-2022 exist as page text and as page HTML: same cells."""
    for year in (2019, 2022):
        text, html = read(CORPUS / f"pingtan-{year}.txt"), read(CORPUS / f"pingtan-{year}.html")
        t34 = [c for c in text.cells if not c.startswith("t2.")]
        assert {c: text.cells[c] for c in t34} == {c: html.cells[c] for c in t34}
