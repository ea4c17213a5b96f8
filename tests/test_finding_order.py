"""Findings are listed as a clerk reads the tables: by report, errors first, then rule and printed place."""
from __future__ import annotations

from gov_audit import Finding
from gov_audit._finding import _merged_order, relevance
from gov_audit._template import templates


def test_one_order_keeps_every_templates_printed_order():
    order = _merged_order()
    for t in templates().values():
        keys = [order[c] for c in t.codes]
        assert keys == sorted(keys) and len(set(keys)) == len(keys), t.code


def test_findings_of_a_rule_follow_the_table_not_the_alphabet():
    # alphabetically t3.carry_out < t3.new < t3.total; printed: 一、新收 … （七）总计 … 四、结转
    rows = ["t3.total.natural", "t3.carry_out.natural", "t3.new.natural"]
    found = [Finding("t3.row_total", "warning", "not_reported", "r.html", (c,)) for c in rows]
    ordered = [f.cells[0] for f in sorted(found, key=relevance)]
    assert ordered == ["t3.new.natural", "t3.total.natural", "t3.carry_out.natural"]


def test_errors_come_first_and_unknown_cells_last():
    error = Finding("t3.balance", "error", "identity_violated", "r.html", ("t3.total.natural",))
    custom = Finding("t3.balance", "warning", "not_reported", "r.html", ("my.own.cell",))
    known = Finding("t3.balance", "warning", "not_reported", "r.html", ("t3.new.natural", "t3.total.natural"))
    bare = Finding("read.unreadable", "warning", "unreadable", "r.html")
    assert sorted([custom, bare, known, error], key=relevance) == [error, bare, known, custom]
