"""Messages for people, Chinese first, English alongside.

Rule kinds and readers never format text themselves; they call these helpers so that
wording stays consistent across the terminal, JSON, CSV, HTML and XLSX outputs.
"""
from __future__ import annotations

from ._rules import RuleInstance
from ._template import Template


def fmt(x: float | None) -> str:
    if x is None:
        return "空"
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def place(inst: RuleInstance, template: Template, lang: str) -> str:
    """Where an instance applies: a column or row label of its table."""
    table = template.tables.get(inst.cells[0].split(".", 1)[0])
    if not inst.key or table is None:
        return ""
    if inst.key in template.cells:
        return template.cells[inst.key].describe(lang)
    if inst.key in table.columns:
        label = table.columns[inst.key].label
        return f"「{label}」列" if lang == "zh" else f"column 「{label}」"
    if inst.key in table.rows:
        label = table.rows[inst.key].label
        return f"「{label}」行" if lang == "zh" else f"row 「{label}」"
    return inst.key


def linear(inst: RuleInstance, template: Template, observed: float, expected: float) -> tuple[str, str]:
    diff = observed - expected
    where_zh, where_en = place(inst, template, "zh"), place(inst, template, "en")
    if inst.kind.relation == "eq":
        zh = (f"{inst.rule.title_zh}：{where_zh}不成立，左边合计 {fmt(observed)}，右边合计 {fmt(expected)}，"
              f"相差 {fmt(diff)}。")
        en = (f"{inst.rule.title_en}: fails for {where_en}; left side sums to {fmt(observed)}, "
              f"right side to {fmt(expected)} (difference {fmt(diff)}).")
    else:
        zh = f"{inst.rule.title_zh}：{where_zh}不满足，{fmt(observed)} 大于 {fmt(expected)}。"
        en = f"{inst.rule.title_en}: fails for {where_en}; {fmt(observed)} exceeds {fmt(expected)}."
    return zh, en


def unary(inst: RuleInstance, template: Template, value: float) -> tuple[str, str]:
    where_zh = template.cells[inst.key].describe("zh")
    where_en = template.cells[inst.key].describe("en")
    if inst.kind.relation == "non_negative":
        return (f"{where_zh} 为 {fmt(value)}，不能为负数。", f"{where_en} is {fmt(value)}; it cannot be negative.")
    return (f"{where_zh} 为 {fmt(value)}，件数应为整数。", f"{where_en} is {fmt(value)}; a count must be a whole number.")


def not_reported(inst: RuleInstance, template: Template, blank: list[str]) -> tuple[str, str]:
    names_zh = "、".join(template.cells[c].describe("zh") for c in blank[:4]) + ("等" if len(blank) > 4 else "")
    names_en = ", ".join(template.cells[c].describe("en") for c in blank[:4]) + (" …" if len(blank) > 4 else "")
    zh = f"{names_zh}未填报（空白或“/”），无法核对：{inst.rule.title_zh}（{place(inst, template, 'zh')}）。"
    en = (f"{names_en} not reported (blank or '/'), so this cannot be checked: {inst.rule.title_en} "
          f"({place(inst, template, 'en')}).")
    return zh, en
