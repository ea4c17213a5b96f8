"""Numbers read the same, exactly, everywhere: one formatter for messages, tables and columns.

The expected texts come from how the values are written in decimal (an integer, or an
integer of cents scaled by 100), never from the formatter itself.
"""
from __future__ import annotations

import csv
import io
import math
from decimal import Decimal

import pytest
from _corpus import SEED
from hypothesis import given
from hypothesis import strategies as st

from gov_audit import audit
from gov_audit._messages import _difference, fmt
from gov_audit._output import WRITERS
from gov_audit._output import _csv, _view

WHOLE = st.integers(min_value=-10 ** 12, max_value=10 ** 12)
CENTS = st.integers(min_value=-10 ** 12, max_value=10 ** 12)  # amounts up to 1e10 with two decimal places


def decimal_text(cents: int) -> str:
    """How an amount of ``cents`` / 100 is written: no exponent, no trailing zeros or point."""
    return format(Decimal(cents).scaleb(-2).normalize(), "f")


@given(WHOLE)
def test_whole_numbers_print_exactly_without_a_decimal_point(n):
    assert fmt(n) == fmt(float(n)) == str(n)


@given(CENTS)
def test_amounts_print_as_written(cents):
    x = cents / 100  # the float nearest the decimal, as a reader turns "12345.67" into a number
    text = fmt(x)
    assert text == decimal_text(cents)
    assert float(text) == x and "e" not in text.lower()


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_every_finite_float_reads_back_the_same_and_never_in_exponent_notation(x):
    text = fmt(x)
    assert float(text) == x and "e" not in text.lower()
    assert x == 0 or float(text) != 0  # a tiny value is not shown as 0


def test_examples_from_reports():
    assert fmt(-1234567.89) == "-1234567.89"  # was -1.23457e+06
    assert fmt(12345.67) == "12345.67"  # was 12345.7
    assert fmt(75394432.52) == "75394432.52"
    assert fmt(1e-7) == "0.0000001"  # the view showed 0
    assert fmt(None) == "空" and _view.fmt(None, "en") == "blank" and _csv._num(None) == ""
    assert [fmt(x) for x in (math.inf, -math.inf)] == ["inf", "-inf"]


@given(st.one_of(WHOLE, CENTS.map(lambda c: c / 100), st.floats(allow_nan=False, allow_infinity=False)))
def test_view_and_csv_show_numbers_as_the_messages_do(x):
    assert _view.fmt(x, "zh") == _view.fmt(x, "en") == _csv._num(x) == fmt(x)


@given(CENTS, CENTS)
def test_differences_of_amounts_are_the_decimal_differences(a, b):
    # 75394432.52 - 75394432 in floats is 0.5199999958...; the message should say 0.52
    assert _difference(a / 100, b / 100) == (a - b) / 100


@given(WHOLE, WHOLE)
def test_differences_of_counts_are_unchanged(a, b):
    assert _difference(float(a), float(b)) == float(a - b)


@pytest.fixture(scope="module")
def negative_amount():
    """The seed report (2019 format) with a negative procurement amount: one ``t2.non_negative`` error quoting it."""
    cells = dict(audit(SEED).cells)
    cells["t2.procurement.amount"] = -1234567.89  # 政府集中采购 金额
    return audit(cells, name="negative-fee.txt")


def test_a_negative_amount_is_quoted_exactly_in_every_output(negative_amount):
    (f,) = [f for f in negative_amount.findings if f.rule == "t2.non_negative"]
    assert "-1234567.89" in f.message_zh and "-1234567.89" in f.message_en
    for name in ("text", "html", "json"):
        assert "-1234567.89" in WRITERS[name]([negative_amount]), name
    rows = list(csv.DictReader(io.StringIO(WRITERS["csv"]([negative_amount])[1:])))
    (row,) = [r for r in rows if r["rule"] == "t2.non_negative"]
    assert row["observed"] == "-1234567.89" and "-1234567.89" in row["message"]
