"""The locator's fast path reads exactly what its general steps read, and keeps applying.

``locate(atoms, template)`` reads a plainly printed row (one run of values between its
label and the next row's, in the template's columns) straight into its cells, and sends
every other row through the general steps. ``fast=False`` forces the general steps for
every row, so the two can be compared on reports written in every published form, with
corruptions, blank cells and the ambiguous layouts of pasted text.
"""
from __future__ import annotations

import pickle
import sys
import unicodedata

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

from gov_audit import get_template
from gov_audit._read import from_pieces, pieces_of
from gov_audit._read._atoms import GLUED, atomise, atomise_indexed
from gov_audit._read._locate import locate
from gov_audit._read._meta import _COMMON_WIDE, _FULL_WIDTH, _FULL_WIDTH_FOLDED, _nfkc, detect_template, find_year
from gov_audit._read._regions import label_groups
from gov_audit._report import CellSource
from gov_audit.testing import corruptions, reports
from gov_audit.testing._render import FORMS, render

READER_FORM = {"html": "html", "html_split": "html", "word_html": "html", "text_lines": "text",
               "text_spaced": "text", "text_run": "text", "markdown": "markdown", "docx": "docx", "pdf": "pdf"}
SEEDS = st.integers(0, 2**32 - 1)


def _pieces(report, form: str, seed: int, blank: str | None = None):
    if form == "pdf":
        pytest.importorskip("reportlab")
    out = render(report, form, seed=seed, blank=blank)
    note(f"render(report, {form!r}, seed={seed}, blank={blank!r})")
    return pieces_of(out if isinstance(out, bytes) else out.encode("utf-8"), READER_FORM[form])


def _both(pieces, text):
    atoms = atomise(pieces)
    tpl, _ = detect_template(text, find_year(text))
    assert _nfkc(text) == unicodedata.normalize("NFKC", text)
    # what from_pieces hands the locator, found while atomising, is what the locator finds itself
    indexed, groups, glued_at = atomise_indexed(pieces)
    assert indexed == atoms
    assert groups == label_groups(atoms)
    assert glued_at == [i for i, a in enumerate(atoms) if a.unit == GLUED]
    located = locate(atoms, tpl)
    indexed_located = locate(atoms, tpl, groups=groups, glued_at=glued_at)
    _assert_same(indexed_located, located)
    assert indexed_located.fast_rows == located.fast_rows
    general = locate(atoms, tpl, fast=False)
    assert general.fast_rows == 0  # the general steps only: what the fast path is compared with
    return located, general


def _assert_same(one, other) -> None:
    assert list(one.values.items()) == list(other.values.items())
    assert list(one.sources.items()) == list(other.sources.items())
    assert one.problems == other.problems


@settings(max_examples=max(10, settings().max_examples))
@given(st.data(), st.sampled_from([f for f in FORMS if f != "pdf"]), SEEDS)
def test_fast_path_reads_what_the_general_steps_read(data, form, seed):
    report = data.draw(reports(None, blanks=data.draw(st.booleans())), label="report")
    if data.draw(st.booleans(), label="corrupt"):
        report, _ = data.draw(corruptions(report), label="corruption")
    blank = "" if form.startswith("text") and data.draw(st.booleans(), label="empty blanks") else None
    _assert_same(*_both(*_pieces(report, form, seed, blank)))


@settings(max_examples=max(2, settings().max_examples // 10), deadline=None)  # PDF: ~1 s per example
@given(reports(None), SEEDS)
def test_fast_path_reads_what_the_general_steps_read_in_pdf(report, seed):
    _assert_same(*_both(*_pieces(report, "pdf", seed)))


@pytest.mark.parametrize("form", ["html", "word_html", "markdown", "docx", "text_lines"])
@pytest.mark.parametrize("template", ["2019", "2021"])
def test_fast_path_applies_to_plainly_printed_tables(form, template):
    """Every row of tables 2 and 3, as the national template prints them, is read the fast way."""
    tpl = get_template(template)
    cells = {c: float(i % 5) for i, c in enumerate(tpl.codes)}
    if form == "docx":
        pytest.importorskip("docx")
    pieces, text = pieces_of(_bytes(render(cells, form, seed=1, template=template, year=tpl.first_year)),
                             READER_FORM[form])
    fast, general = _both(pieces, text)
    _assert_same(fast, general)
    assert fast.fast_rows == len(tpl.tables["t2"].rows) + len(tpl.tables["t3"].rows)
    assert all(s.how == "read" for s in fast.sources.values())


def _bytes(out) -> bytes:
    return out if isinstance(out, bytes) else out.encode("utf-8")


def test_report_pickles_whole_and_cheaply():
    """Reports cross process boundaries: provenance comes back as equal CellSource tuples."""
    tpl = get_template("2021")
    pieces, text = pieces_of(_bytes(render({c: 1.0 for c in tpl.codes}, "html", seed=3, template="2021")), "html")
    report = from_pieces(pieces, text, source="r.html", form="html")
    back = pickle.loads(pickle.dumps(report))
    assert back == report
    assert list(back.provenance) == list(report.provenance)
    assert all(type(s) is CellSource for s in back.provenance.values())
    assert back.provenance["t3.new.natural"].how == "read"


def test_full_width_folding_keeps_compatibility_equivalence():
    """The characters ``_meta._nfkc`` folds first: each has its replacement's compatibility decomposition.

    That is what makes the quick route exact (same NFKD, so same NFKC); checked for every
    such character, and the search pattern finds exactly them among all code points.
    """
    for wide, folded in _FULL_WIDTH_FOLDED.items():
        assert len(folded) == 1 and folded != wide
        assert unicodedata.normalize("NFKD", wide) == unicodedata.normalize("NFKD", folded)
    assert set(_COMMON_WIDE) <= set(_FULL_WIDTH_FOLDED)
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    assert set(_FULL_WIDTH.findall(every)) == set(_FULL_WIDTH_FOLDED)


# Report text with what folds alone (full-width punctuation, the ideographic space) and what
# folds with its neighbours (combining marks, half-width katakana and their sound marks).
_TRICKY = list("（），：；\u3000ＡＺａ１２。、汉字年abc 12\n\t") + [
    "\u0301", "\u0308", "\u3099", "\u309a", "ｶ", "ﾞ", "ﾟ", "①", "㈠", "⽉", "\uf900", "é", "ﬁ", "…",
    "\u1100", "\u1161", "\uff5e", "\u00a0", "\u2002"]


@given(st.lists(st.sampled_from(_TRICKY), max_size=40).map("".join))
def test_nfkc_of_a_report_text_is_unicodedata_nfkc(text):
    assert _nfkc(text) == unicodedata.normalize("NFKC", text)


def test_nfkc_of_every_code_point_next_to_full_width_text():
    for block in range(0, sys.maxunicode + 1, 4096):
        chars = [chr(c) for c in range(block, min(block + 4096, sys.maxunicode + 1)) if not 0xD800 <= c < 0xE000]
        text = "（" + "，a".join(chars) + "）"
        assert _nfkc(text) == unicodedata.normalize("NFKC", text)
