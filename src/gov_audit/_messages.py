"""Messages for people, Chinese first, English alongside.

Rule kinds and readers never format text themselves; they call these helpers so that
wording stays consistent across the terminal, JSON, CSV, HTML and XLSX outputs.
"""
from __future__ import annotations

import math
from decimal import Decimal

from ._rules import RuleInstance
from ._template import Template, table_name


def fmt(x: float | None) -> str:
    """A number as people read it, exactly: ``12``, ``75394432.52``, ``0.0000001``; ``空`` for blank.

    Every output shows numbers through this one function so that a value reads the same in a
    finding's message, a suggestion and a table cell. Whole numbers print without ``.0``;
    other values print the shortest decimal that reads back as the same float (``repr``), but
    always positional, since an amount in exponent notation (``-1.23457e+06``) is neither
    exact nor what the report printed.
    """
    if x is None:
        return "空"
    if float(x).is_integer():
        return str(int(x))
    if not math.isfinite(x):
        return str(float(x))  # inf, -inf, nan
    return format(Decimal(repr(float(x))), "f")


def _difference(a: float, b: float) -> float:
    # Subtract the decimals as shown, not the binary floats: 75394432.52 - 75394432 is 0.52,
    # whereas the float subtraction gives 0.5199999958..., which fmt would print in full.
    if float(a).is_integer() and float(b).is_integer() or not (math.isfinite(a) and math.isfinite(b)):
        return a - b  # whole numbers (every count) exactly as before
    return float(Decimal(repr(float(a))) - Decimal(repr(float(b))))


def place(inst: RuleInstance, template: Template, lang: str) -> str:
    """Where an instance applies: the row or column its ``for_each`` bound."""
    table = template.tables.get(inst.cells[0].split(".", 1)[0])
    if not inst.key or table is None:
        return ""
    if inst.key in template.cells:
        return template.cells[inst.key].describe(lang)
    parts = []
    for var, value in inst.binding or (("", inst.key),):
        # the placeholder name says whether a value is a row or a column ("total" is both in t3)
        is_row = var == "row" or (var != "col" and value in table.rows and value not in table.columns)
        if is_row and value in table.rows:
            label = table.rows[value].label
            parts.append(f"「{label}」行" if lang == "zh" else f"row 「{label}」")
        elif value in table.columns:
            label = table.columns[value].label
            parts.append(f"「{label}」列" if lang == "zh" else f"column 「{label}」")
        else:
            parts.append(value)
    return "、".join(parts) if lang == "zh" else ", ".join(parts)


def cells_in_words(codes: list[str], template: Template, lang: str) -> str:
    """Several cells, compactly: 表三「一、本年新收…」×「商业企业」「科研机构」 (grouped by row)."""
    by_row: dict[tuple[str, str], list[str]] = {}
    for code in codes:
        spec = template.cells[code]
        # the row as the cells' labels name it (表四「行政诉讼 复议后起诉」), so a message and the
        # finding's labels agree
        by_row.setdefault((spec.table, spec.row_text()), []).append(spec.column.label)
    parts = []
    for (table, row), cols in by_row.items():
        parts.append(f"{table_name(table, lang)}「{row}」×" + "".join(f"「{c}」" for c in cols))
    return ("；" if lang == "zh" else "; ").join(parts)


def linear(inst: RuleInstance, template: Template, observed: float, expected: float,
           where: tuple[str, str] | None = None) -> tuple[str, str]:
    """A failing identity's message in both languages; ``where``: its ``place`` in Chinese
    and English, when the caller has it already (a panel's findings share their instances)."""
    diff = _difference(observed, expected)
    where_zh, where_en = where or (place(inst, template, "zh"), place(inst, template, "en"))
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
    zh = (f"{cells_in_words(blank, template, 'zh')} 未填报（空白或“/”），"
          f"无法核对：{inst.rule.title_zh}（{place(inst, template, 'zh')}）。")
    en = (f"{cells_in_words(blank, template, 'en')} not reported (blank or '/'), so this cannot be checked: "
          f"{inst.rule.title_en} ({place(inst, template, 'en')}).")
    return zh, en
