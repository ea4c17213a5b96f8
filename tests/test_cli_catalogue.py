"""docs/rules.md is generated from rules/checks/*.yaml and must be up to date."""
from __future__ import annotations

import io
from pathlib import Path

from gov_audit._cli import run
from gov_audit._output._catalogue import rules_markdown
from gov_audit._rules import load_rules

DOC = Path(__file__).resolve().parents[1] / "docs" / "rules.md"


def test_committed_catalogue_is_up_to_date():
    assert DOC.read_text(encoding="utf-8") == rules_markdown(), (
        "docs/rules.md is stale: run `.venv/bin/python scripts/gen_rule_catalogue.py`")


def test_rules_format_markdown_prints_the_catalogue():
    out = io.StringIO()
    assert run(["rules", "--format", "markdown"], stdout=out) == 0
    assert out.getvalue() == rules_markdown()


def test_catalogue_has_a_section_per_rule_with_cells_and_formulas():
    text = rules_markdown()
    for rule in load_rules():
        assert f"\n## {rule.id}\n" in text and rule.title_zh in text and rule.title_en in text
    balance = text[text.index("\n## t3.balance\n"):text.index("\n## ", text.index("\n## t3.balance\n") + 5)]
    assert "「自然人」列：表三「一、本年新收政府信息公开申请数量」×「自然人」 + " in balance
    assert "`t3.new.natural + t3.carry_in.natural ＝ t3.total.natural + t3.carry_out.natural`" in balance
