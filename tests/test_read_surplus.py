"""A row with more value positions than its printed columns is never truncated silently.

A footnote mark on a row label (``<sup>1</sup>``, ``①``, ``（注1）``), the empty pieces of an
unmerged label cell and a value cell holding two tokens all give a row more value atoms
than columns. Each is either told apart (the mark is no value, the empty pieces are the
label's, the two-token cell is one cell that is not a number) or the row is left
unreported with a finding — never read shifted with status ok and no finding.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

from gov_audit import read
from gov_audit._read import pieces_of
from gov_audit._read._atoms import atomise
from gov_audit._read._locate import locate
from gov_audit._read._meta import detect_template, find_year
from gov_audit.testing import reports
from gov_audit.testing._render import render

NEW = "一、本年新收政府信息公开申请数量"
MARKS = ["<sup>1</sup>", "①", "（注1）", "[1]", "注2", "<sup>12</sup>", "1"]


@lru_cache(maxsize=1)
def _base() -> tuple[dict, str]:
    truth = read("tests/fixtures/corpus/pingtan-2022.html")
    return dict(truth.cells), render(truth, "html", seed=3)


def _read(old: str, new: str):
    cells, html = _base()
    assert old in html, old
    return cells, _read_html(html.replace(old, new, 1))


def _no_silent_wrong_value(truth: dict, rep) -> None:
    """Every cell read differently from the truth is None or named by a finding."""
    named = {c for f in rep.parse_findings for c in f.cells}
    wrong = [(c, truth[c], v) for c, v in rep.cells.items() if v is not None and v != truth[c] and c not in named]
    assert not wrong, wrong


def _read_html(html: str):
    """The report read from ``html``, checking on the way that the fast path reads what the general steps read."""
    pieces, text = pieces_of(html.encode(), "html")
    atoms = atomise(pieces)
    tpl, _ = detect_template(text, find_year(text))
    fast, general = locate(atoms, tpl), locate(atoms, tpl, fast=False)
    assert list(fast.values.items()) == list(general.values.items())
    assert list(fast.sources.items()) == list(general.sources.items())
    assert fast.problems == general.problems
    return read(html.encode(), form="html")


def _wrong_or_missing(truth: dict, rep) -> list[str]:
    return [c for c, v in rep.cells.items() if v != truth[c]]


# -- footnote marks on a row label ------------------------------------------------------------
@pytest.mark.parametrize("mark", MARKS)
def test_a_mark_on_a_table_3_label_is_no_value(mark):
    truth, rep = _read(f"{NEW}</td>", f"{NEW}{mark}</td>")
    _no_silent_wrong_value(truth, rep)
    assert _wrong_or_missing(truth, rep) == []  # a mark in the label's own cell: read as if unmarked
    assert rep.status == "ok"


@pytest.mark.parametrize("mark", MARKS)
def test_a_mark_before_a_table_3_label_is_no_value(mark):
    truth, rep = _read(f">{NEW}</td>", f">{mark}{NEW}</td>")
    _no_silent_wrong_value(truth, rep)
    assert _wrong_or_missing(truth, rep) == []


@pytest.mark.parametrize("mark", MARKS)
@pytest.mark.parametrize("label", ["复议后起诉", "行政复议", "尚未审结"])
def test_a_mark_on_a_table_4_header_is_no_value(mark, label):
    truth, rep = _read(f"{label}</td>", f"{label}{mark}</td>")
    _no_silent_wrong_value(truth, rep)
    assert [c for c in _wrong_or_missing(truth, rep) if c.startswith("t4.")] == []


@pytest.mark.parametrize("mark", MARKS)
def test_a_mark_on_a_table_2_label_is_no_value(mark):
    truth, rep = _read("规章</td>", f"规章{mark}</td>")
    _no_silent_wrong_value(truth, rep)
    assert _wrong_or_missing(truth, rep) == []


def test_a_mark_in_pasted_text_leaves_the_row_unreported():
    """Without cells a mark cannot be told from a value: the row is not read, and says so."""
    cells, _ = _base()
    text = render(cells, "text_spaced", seed=3, template="2021")
    assert f"{NEW} " in text
    rep = read(text.replace(f"{NEW} ", f"{NEW}1 ", 1), form="text")
    _no_silent_wrong_value(cells, rep)
    row = [f"t3.new.{c}" for c in ("natural", "commercial", "research", "public_interest", "legal", "other_org",
                                    "total")]
    assert all(rep.cells[c] is None for c in row)
    assert rep.status == "partial"
    found = [f for f in rep.parse_findings if set(row) <= set(f.cells)]
    assert found and found[0].reason == "cell_missing" and "多于其 7 列" in found[0].message_zh


# -- an unmerged label cell -------------------------------------------------------------------
def test_the_empty_pieces_of_an_unmerged_label_are_no_values():
    truth, rep = _read(f'<td colspan="3">{NEW}</td>', f"<td>{NEW}</td><td></td><td></td>")
    _no_silent_wrong_value(truth, rep)
    assert _wrong_or_missing(truth, rep) == []


def test_empty_label_pieces_and_an_empty_first_value_leave_the_row_unreported():
    """Three empty cells where two are the label's: which empty cell is a value cannot be told."""
    cells, html = _base()
    html = html.replace(f'<td colspan="3">{NEW}</td><td>71</td>', f"<td>{NEW}</td><td></td><td></td><td></td>", 1)
    assert "<td></td><td></td><td></td>" in html
    rep = read(html.encode(), form="html")
    truth = dict(cells, **{"t3.new.natural": None})
    _no_silent_wrong_value(truth, rep)


# -- a value cell holding two tokens ----------------------------------------------------------
@pytest.mark.parametrize("cell", ["7 1", "71<br>2", "71*", "71（含5件）", "71 / 2"])
def test_a_cell_of_two_tokens_is_one_cell_that_is_not_a_number(cell):
    truth, rep = _read("<td>71</td>", f"<td>{cell}</td>")
    _no_silent_wrong_value(truth, rep)
    assert _wrong_or_missing(truth, rep) == ["t3.new.natural"]
    assert rep.cells["t3.new.natural"] is None
    assert any(f.reason == "cell_missing" and f.cells == ("t3.new.natural",) for f in rep.parse_findings)


# -- what cannot be told apart ----------------------------------------------------------------
def test_an_extra_value_cell_leaves_the_row_unreported_with_a_finding():
    truth, rep = _read("<td>71</td>", "<td>71</td><td>5</td>")
    _no_silent_wrong_value(truth, rep)
    row = [c for c in truth if c.startswith("t3.new.")]
    assert all(rep.cells[c] is None for c in row) and rep.status == "partial"
    finding = next(f for f in rep.parse_findings if set(row) <= set(f.cells))
    assert "有 8 个数值（71 5 3 0 0 0 0 74），多于其 7 列" in finding.message_zh
    assert "8 values (71 5 3 0 0 0 0 74), more than its 7 columns" in finding.message_en


def test_an_extra_table_4_value_leaves_table_4_unreported_with_a_finding():
    cells, html = _base()
    at = html.index("复议后起诉")
    tail = html[at:]
    first = re.search(r"<td>(\d+)</td>", tail)
    html = html[:at] + tail[:first.start()] + f"<td>9</td>{first.group(0)}" + tail[first.end():]
    rep = read(html.encode(), form="html")
    _no_silent_wrong_value(cells, rep)
    assert all(rep.cells[c] is None for c in cells if c.startswith("t4."))
    assert any("表四有 16 个数值" in f.message_zh for f in rep.parse_findings)


# -- the property ----------------------------------------------------------------------------
_LABEL_CELL = re.compile(r"<td(?: [^>]*)?>([^<>]*[^\d\s<>/—－\-无.,%万元][^<>]*)</td>")
FORMS = ["html", "html_split", "word_html"]


@settings(max_examples=max(10, settings().max_examples // 2), deadline=None)
@given(reports(None), st.sampled_from(["html", "html_split"]), st.integers(0, 2**16), st.sampled_from(MARKS),
       st.data())
def test_a_mark_after_any_label_never_gives_a_wrong_value_without_a_finding(report, form, seed, mark, data):
    html = render(report, form, seed=seed)
    labels = [m for m in _LABEL_CELL.finditer(html) if not m.group(1).strip().isdigit()]
    m = data.draw(st.sampled_from(labels), label="label cell")
    note(f"render(report, {form!r}, seed={seed}); mark {mark!r} after {m.group(1)!r}")
    rep = _read_html(html[:m.end(1)] + mark + html[m.end(1):])
    _no_silent_wrong_value(report.cells, rep)


_VALUE_CELL = re.compile(r"<td>(\d+)</td>")
_MERGED_LABEL = re.compile(r'<td colspan="(\d)">([^<>]*)</td>')


@settings(max_examples=max(10, settings().max_examples // 2), deadline=None)
@given(reports(None), st.sampled_from(["html", "html_split"]), st.integers(0, 2**16),
       st.sampled_from(["unmerge", "two tokens", "extra cell"]), st.data())
def test_other_extra_positions_never_give_a_wrong_value_without_a_finding(report, form, seed, defect, data):
    """Unmerged label cells, cells of two tokens and stray extra cells: told apart, or reported."""
    html = render(report, form, seed=seed)
    if defect == "unmerge":
        spots = list(_MERGED_LABEL.finditer(html))
        if not spots:
            return
        m = data.draw(st.sampled_from(spots), label="merged label")
        new = f"<td>{m.group(2)}</td>" + "<td></td>" * (int(m.group(1)) - 1)
    elif defect == "two tokens":
        spots = list(_VALUE_CELL.finditer(html))
        m = data.draw(st.sampled_from(spots), label="value cell")
        extra = data.draw(st.sampled_from([" 1", "<br>2", "*", "（含5件）", " /"]), label="extra")
        new = f"<td>{m.group(1)}{extra}</td>"
    else:
        spots = list(re.finditer(r"<td(?: [^>]*)?>[^<>]*</td>", html))
        m = data.draw(st.sampled_from(spots), label="cell")
        cell = data.draw(st.sampled_from(["<td></td>", "<td>0</td>", "<td>5</td>", "<td>/</td>"]), label="extra")
        new = m.group(0) + cell if data.draw(st.booleans(), label="after") else cell + m.group(0)
    note(f"render(report, {form!r}, seed={seed}); {m.group(0)!r} → {new!r}")
    rep = _read_html(html[:m.start()] + new + html[m.end():])
    _no_silent_wrong_value(report.cells, rep)


def test_an_empty_extra_column_is_dropped_where_the_row_identity_holds():
    truth, rep = _read("<td>74</td>", "<td>74</td><td></td>")
    _no_silent_wrong_value(truth, rep)
    assert _wrong_or_missing(truth, rep) == []


def test_an_extra_cell_in_a_row_with_a_blank_first_value_is_not_taken_for_a_label_piece():
    """``'' 5 0 …``: an unmerged label piece, or a blank first value and a stray cell? Not guessed."""
    cells, html = _base()
    html = html.replace(f'<td colspan="3">{NEW}</td><td>71</td><td>3</td>',
                        f'<td colspan="3">{NEW}</td><td></td><td>5</td><td>3</td>', 1)
    rep = read(html.encode(), form="html")
    row = [c for c in cells if c.startswith("t3.new.")]
    assert all(rep.cells[c] is None for c in row)
    assert any(set(row) <= set(f.cells) for f in rep.parse_findings)


def test_a_table_3_run_together_past_splitting_leaves_a_partial_report_not_a_failed_one():
    # A rendered report whose table 3 ran together beyond what the identities can split (its
    # twin, the same report as a web page, gives the truth). Its carried-in row once took
    # table 4's values silently; now table 3 stays unreported, and the report is still a
    # report: table 2 is read, and table 3 carries findings instead of wrong numbers.
    folder = Path(__file__).parent / "fixtures" / "forms"
    report = read(folder / "run-together-t3-unsplittable.txt")
    truth = read(folder / "run-together-t3-unsplittable.html").cells
    assert report.status == "partial"
    read_cells = {c: v for c, v in report.cells.items() if v is not None}
    assert read_cells and all(truth[c] == v for c, v in read_cells.items())
    assert any(c.startswith("t2.") for c in read_cells)
    assert all(report.cells[c] is None for c in report.cells if c.startswith("t3.carry_in."))
    assert any(f.reason == "cell_missing" and any(c.startswith("t3.") for c in f.cells) for f in report.parse_findings)
