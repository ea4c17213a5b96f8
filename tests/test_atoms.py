"""The tokenizer and value reader: how one printed cell or line becomes atoms and numbers."""
from __future__ import annotations

import pytest

from gov_audit._read._atoms import BLANK, LABEL, NUM, PLACEHOLDER, TEXT, Piece, atomise, normalise
from gov_audit._read._numbers import ValueProblem, looks_like_value, value_of


def kinds(text: str, cell: bool = False) -> list[tuple[str, str]]:
    return [(a.kind, a.text) for a in atomise([Piece(text, "test", cell=cell)])]


def value(text: str, kind: str = "count", unit: str | None = None) -> float | None:
    atoms = atomise([Piece(text, "test", cell=True)])
    assert len(atoms) == 1, atoms
    return value_of(atoms[0], kind, unit)


# -- numbers as printed ----------------------------------------------------------------------
@pytest.mark.parametrize("printed, expected", [
    ("12", 12), ("１２", 12), ("0", 0), ("1,234", 1234), ("1，234", 1234), ("12件", 12), ("３件", 3),
    (" 7 ", 7), ("\u00a05\u00a0", 5),
])
def test_counts(printed, expected):
    assert value(printed) == expected


@pytest.mark.parametrize("printed, expected", [
    ("+4", 4), ("-2", -2), ("－2", -2), ("增加4", 4), ("减少2", -2), ("增加 3", 3), ("4", 4), ("0", 0),
])
def test_signed_deltas(printed, expected):
    assert value(printed, "signed_count") == expected


@pytest.mark.parametrize("printed, unit, expected", [
    ("251000元", "万元", 25.1), ("251000 元", "万元", 25.1), ("3.5万元", "万元", 3.5), ("9116.36", "万元", 9116.36),
    ("1.2亿元", "万元", 12000), ("75394432.52元", None, 75394432.52), ("5949.088667", "万元", 5949.088667),
    ("1,250.5万元", "万元", 1250.5),
])
def test_money_is_converted_to_the_column_unit(printed, unit, expected):
    assert value(printed, "money", unit) == pytest.approx(expected)


@pytest.mark.parametrize("printed", ["/", "／", "—", "——", "-", "无", "暂无", "—/—"])
def test_placeholders_are_not_reported_never_zero(printed):
    atoms = atomise([Piece(printed, "test", cell=True)])
    assert [a.kind for a in atoms] == [PLACEHOLDER]
    assert value_of(atoms[0]) is None


@pytest.mark.parametrize("printed", ["", " ", "\u00a0", "\u3000", "\u00a0\u00a0\u00a0"])
def test_an_empty_cell_is_a_blank_and_an_empty_line_is_nothing(printed):
    assert [a.kind for a in atomise([Piece(printed, "t", cell=True)])] == [BLANK]
    assert atomise([Piece(printed, "t")]) == []
    assert value_of(atomise([Piece(printed, "t", cell=True)])[0]) is None


def test_a_run_of_placeholders_is_one_per_cell():
    assert kinds("/ / 无") == [(PLACEHOLDER, "/"), (PLACEHOLDER, "/"), (PLACEHOLDER, "无")]


def test_a_percentage_or_a_unit_of_money_is_not_a_count():
    with pytest.raises(ValueProblem):
        value("17.46%")
    with pytest.raises(ValueProblem):
        value("12件", "money", "万元")


# -- what is not a number ---------------------------------------------------------------------
def test_a_range_dash_is_not_a_sign():
    assert kinds("2019-2020") == [(NUM, "2019"), (PLACEHOLDER, "-"), (NUM, "2020")]


def test_a_placeholder_before_a_value_is_not_a_minus_sign():
    assert kinds("0 - 2") == [(NUM, "0"), (PLACEHOLDER, "-"), (NUM, "2")]


def test_a_row_ordinal_belongs_to_the_label():
    assert kinds("1. 属于国家秘密") == [(LABEL, "1.属于国家秘密")]
    assert kinds("2.其他法律行政法规禁止公开") == [(LABEL, "2.其他法律行政法规禁止公开")]


def test_a_value_glued_to_the_next_ordinal_gives_its_last_digit_back():
    assert kinds("3252.没有现成信息") == [(NUM, "325"), (LABEL, "2.没有现成信息")]


def test_a_decimal_is_not_an_ordinal():
    assert kinds("24252.311082") == [(NUM, "24252.311082")]


def test_numbers_in_one_piece_split_on_white_space_labels_do_not():
    assert kinds("64 0 0 2") == [(NUM, "64"), (NUM, "0"), (NUM, "0"), (NUM, "2")]
    assert kinds("商业 企业") == [(LABEL, "商业企业")]


def test_full_width_brackets_quotes_and_spaces_fold():
    assert normalise("（七）总计") == normalise("(七) 总计") == "(七)总计"
    assert normalise("3.危及“三安全一稳定”") == normalise("3.危及\"三安全一稳定\"")


def test_a_header_cell_is_a_label_even_with_digits():
    atoms = atomise([Piece("数据1", "t", cell=True, label_only=True)])
    assert [(a.kind, a.text) for a in atoms] == [(LABEL, "数据1")]


@pytest.mark.parametrize("text, expected", [
    ("12", True), ("+4", True), ("/", True), ("3.5万元", True), ("数据1", False), ("总计", False),
    ("1.属于国家秘密", False), ("", False),
])
def test_looks_like_value(text, expected):
    assert looks_like_value(text) is expected


def row_kinds(*cells: str) -> list[tuple[str, str]]:
    return [(a.kind, a.text) for a in atomise([Piece(c, f"r1 c{k}", cell=True, row="r1") for k, c in enumerate(cells)])]


def test_words_in_a_value_cell_keep_their_column():
    assert row_kinds("（一）予以公开", "5", "见附件", "12（含5件）", "") == [
        (LABEL, "(一)予以公开"), (NUM, "5"), (TEXT, "见附件"), (TEXT, "12(含5件)"), (BLANK, "")]
    with pytest.raises(ValueProblem):
        value_of(atomise([Piece("5", "a", cell=True, row="r"), Piece("见附件", "b", cell=True, row="r")])[1])


def test_a_number_in_the_first_column_is_an_ordinal_not_a_value_position():
    assert row_kinds("1", "属于国家秘密", "0") == [(NUM, "1"), (LABEL, "属于国家秘密"), (NUM, "0")]
    assert row_kinds("", "1.属于国家秘密", "0") == [(BLANK, ""), (LABEL, "1.属于国家秘密"), (NUM, "0")]


def test_placeholders_after_a_label_and_a_single_space_are_values():
    # text copied from a PDF with single spaces: the row's blank cells, not part of its label
    assert kinds("6.属于四类过程性信息 — — —") == [
        (LABEL, "6.属于四类过程性信息"), (PLACEHOLDER, "—"), (PLACEHOLDER, "—"), (PLACEHOLDER, "—")]
    assert kinds("其他 / 3") == [(LABEL, "其他"), (PLACEHOLDER, "/"), (NUM, "3")]
    assert kinds("a — b") == [(LABEL, "a—b")]  # a dash inside a label stays in it


def test_a_dash_glued_between_digits_is_marked_as_maybe_a_sign():
    # "5-233" in a row run together may be 5|-|233 or 5|-2|33: the locator weighs both
    from gov_audit._read._atoms import GLUED, tokenize
    assert [(a.kind, a.text, a.unit) for a in tokenize("5-233")] == [
        (NUM, "5", ""), (PLACEHOLDER, "-", GLUED), (NUM, "233", "")]
    assert [a.unit for a in tokenize("0 - 2")] == ["", "", ""]
    assert [a.unit for a in tokenize("5 -")] == ["", ""]


def test_a_long_run_is_cut_block_by_block_under_each_blocks_total():
    # table 4 run together: too many cuts as a whole, one cut under the three 总计
    from gov_audit._read._split import block_splits, sum_rule
    assert block_splits("560013690038579500304979", (5, 5, 5), sum_rule(4, range(4))) == [
        (56, 0, 0, 13, 69, 0, 0, 38, 57, 95, 0, 0, 30, 49, 79)]
    assert block_splits("000000000000000", (5, 5, 5), sum_rule(4, range(4))) == [(0,) * 15]

