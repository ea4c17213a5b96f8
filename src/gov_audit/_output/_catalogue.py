"""The rule catalogue: every rule with its id, title, the cells it covers and its formula.

Drives ``gov-audit rules`` (plain text or markdown) and ``gov-audit explain``, and
generates docs/rules.md. Rules checked in-year are shown through their expanded
instances; cross-year and narrative rules (post-passes) through their cell patterns,
where a cell written ``prev:CODE`` is last year's report's.
"""
from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass

from .._errors import RuleError
from .._messages import place
from .._rules import IN_YEAR_SHAPES, RULE_KINDS, Rule, RuleInstance, _bindings, _expand_pattern, expand, load_rules
from .._template import Template, table_name, templates
from ._view import RELATION, SEVERITY, WORDS, cell_names, name_cells

KINDS = {
    "sum_identity": ("求和恒等式", "sum identity"), "at_most": ("不超过", "at most"),
    "non_negative": ("非负数", "non-negative"), "integer": ("整数", "whole number"),
    "year_over_year": ("跨年度恒等式", "year over year"), "text_quantity": ("正文数字与表格一致", "text vs table"),
    "text_sections": ("正文章节", "text sections"), "text_period": ("报告年度", "report period"),
    "template_year": ("模板与年度相符", "template vs year"),
}
PREV = {"zh": "上年", "en": "last year's "}
# Findings of the reader, not of rules/: what they mean and what to do.
READER_FINDINGS = {
    "read.cell_missing": ("warning", "读取时没有找到某些格的数值", "Some cells were not found",
                          "表格里这一行的数值比应有的少（或标签没找到），缺的格按未填报处理，"
                          "相关规则无法核对。请核对原表。",
                          "A row held fewer numbers than cells (or its label was not found); the missing cells "
                          "count as not reported and rules over them are not checked. Check the printed table."),
    "read.split_ambiguous": ("warning", "连在一起的数字有多种拆法",
                             "Digits ran together and could be split several ways",
                             "表格里相邻格的数字连在一起（常见于从 PDF 复制的文本），有多种拆法都满足勾稽关系。"
                             "表三、表四（各行一起按表内勾稽关系拆分）暂取第一种拆法，提示中列出其他拆法；"
                             "单独一行、没有跨行勾稽关系可用时（表二），无法确定，这些格按未填报处理。请核对原表。",
                             "Neighbouring numbers ran together (common in text copied from PDF) and several "
                             "splits satisfy the identities. In tables 3 and 4 (whose rows are split together under "
                             "the table's identities) the first split is used and the finding lists the others; "
                             "a row standing alone with no identities across rows (table 2) cannot be decided, so "
                             "its cells count as not reported. Check the printed table."),
    "read.split_inferred": ("info", "连在一起的数字已按勾稽关系拆开", "Digits that ran together were split",
                            "相邻格的数字连在一起，只有一种拆法满足表内勾稽关系，已按这种拆法读取。一般无需处理。",
                            "Neighbouring numbers ran together and exactly one split satisfies the identities; "
                            "it was used. Usually nothing to do."),
    "read.row_inferred": ("info", "行名缺失或错位，按行序读取", "A row label was lost; values taken by row order",
                          "表格中某一行的行名在转换时丢失或错位，其数值按行的顺序读取，已用勾稽关系核对。一般无需处理。",
                          "A row's label was lost or moved in conversion; its values were taken by row order "
                          "and are checked by the identities as usual. Usually nothing to do."),
    "read.t3_org_subtotal": ("error", "表三「法人或其他组织」小计列与五类组织之和不符",
                             "Table 3 organisation subtotal differs from the five kinds of organisation",
                             "报告在表三额外印了“小计”列；它应等于商业企业、科研机构、社会公益组织、法律服务机构、其他五列之和。",
                             "The report prints an extra 小计 column in table 3; it must equal the sum of the "
                             "five kinds of organisation."),
    "read.t3_group_subtotal": ("error", "表三分组小计行与其各项之和不符",
                               "A table 3 group subtotal row differs from the sum of its items",
                               "报告在（三）不予公开、（四）无法提供、（五）不予处理或（六）其他处理下额外印了小计行；"
                               "它应等于该组各项之和。",
                               "The report prints a subtotal row under a result group of table 3; it must equal "
                               "the sum of that group's items."),
    "read.t4_litigation_total": ("error", "表四行政诉讼合计列与两类诉讼之和不符",
                                 "The table 4 litigation total differs from its two kinds",
                                 "报告在表四额外印了行政诉讼“合计”；它应等于未经复议直接起诉与复议后起诉两组总计之和。",
                                 "The report prints an extra litigation total in table 4; it must equal the totals of "
                                 "direct and after-review litigation."),
    "read.unreadable": ("error", "文件无法作为年度报告读取", "The file cannot be read as an annual report",
                        "文件为空、已损坏、不是支持的格式，或找不到年度报告的表格。原因写在结果的“原因”一栏。",
                        "The file is empty, corrupt, in an unsupported form, or holds no annual-report tables; "
                        "the reason is given with the result."),
}


@dataclass(frozen=True)
class Formula:
    """One place a rule applies: ``lhs op rhs`` (or a test of the listed cells)."""

    where: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    op: str
    key: str = ""  # the instance key (``natural`` in ``t3.balance[natural]``)

    def words(self, tpl: Template, lang: str) -> str:
        side = lambda cells: " + ".join(_name(cells, tpl, lang))  # noqa: E731
        text = f"{side(self.lhs)} {self.op} {side(self.rhs)}" if self.op else "、".join(_name(self.lhs, tpl, lang))
        return f"{self.where}{WORDS[lang]['colon']}{text}" if self.where else text

    def codes(self) -> str:
        return f"{' + '.join(self.lhs)} {self.op} {' + '.join(self.rhs)}" if self.op else ", ".join(self.lhs)


def _name(cells: tuple[str, ...], tpl: Template, lang: str) -> list[str]:
    """Cell names, with last year's cells (``prev:``) marked as such."""
    out, run, prev = [], [], None
    for c in cells + ("",):
        is_prev = c.startswith("prev:")
        if run and (is_prev != prev or not c):
            named = cell_names([x.removeprefix("prev:") for x in run], tpl, lang)
            out += [PREV[lang] + n if prev else n for n in named]
            run = []
        run.append(c)
        prev = is_prev
    return out


def _patterns(rule: Rule, key: str, binding: dict[str, str], tpl: Template) -> tuple[str, ...]:
    out = []
    for pattern in rule.spec.get(key) or ():
        prefix = "prev:" if pattern.startswith("prev:") else ""
        try:
            codes = _expand_pattern(pattern.removeprefix(prefix), binding, tpl, rule)
        except RuleError:
            codes = [c for c in tpl.codes if fnmatch.fnmatchcase(c, pattern.removeprefix(prefix))]
        out += [prefix + c for c in codes]
    return tuple(out)


def formulas(rule: Rule, tpl: Template, lang: str = "zh") -> list[Formula]:
    """Every place ``rule`` applies in ``tpl``."""
    kind = RULE_KINDS[rule.kind]
    if kind.shape in IN_YEAR_SHAPES:
        out = []
        for inst in expand(rule, tpl):
            op = RELATION.get(kind.relation, "") if kind.shape == "linear" else ""
            where = place(inst, tpl, lang) if kind.shape == "linear" else ""
            out.append(Formula(where, inst.lhs, inst.rhs, op, inst.key))
        if kind.shape == "unary":  # one formula naming every cell, not one per cell
            return [Formula("", tuple(c for f in out for c in f.lhs), (), "")]
        return out
    out = []
    for binding in _bindings(rule, tpl):
        lhs = _patterns(rule, "lhs", binding, tpl) or _patterns(rule, "cells", binding, tpl)
        rhs = _patterns(rule, "rhs", binding, tpl)
        if lhs or rhs:
            key = ",".join(binding.values())
            own = tuple(c for c in lhs + rhs if not c.startswith("prev:"))
            where = place(RuleInstance(rule, key, own), tpl, lang) if key and own else ""
            out.append(Formula(where, lhs, rhs, RELATION.get(kind.relation, "") if rhs else "", key))
    return out


def covered(rule: Rule, tpl: Template) -> list[str]:
    """The cells of this report that ``rule`` reads, in printed order."""
    cells = {c.removeprefix("prev:") for f in formulas(rule, tpl) for c in f.lhs + f.rhs}
    return [c for c in tpl.codes if c in cells]


def covered_words(cells: list[str], tpl: Template, lang: str) -> str:
    if not cells:
        return "（正文）" if lang == "zh" else "(text only)"
    by_table = {t: [c for c in tpl.codes if c.startswith(t + ".")] for t in tpl.tables}
    parts, rest = [], list(cells)
    for t, codes in by_table.items():
        if codes and set(codes) <= set(cells):
            name = table_name(t, lang)
            parts.append(f"{name}全部单元格（{len(codes)} 格）" if lang == "zh" else f"all of {name} ({len(codes)} cells)")
            rest = [c for c in rest if c not in codes]
    if rest:
        parts.append(name_cells(rest, tpl, lang))
    return "、".join(parts) if lang == "zh" else "; ".join(parts)


def by_id(template: str | None = None) -> dict[str, list[Rule]]:
    """Rules grouped by id (one id may have one entry per template), in file order."""
    out: dict[str, list[Rule]] = {}
    in_year_first = sorted(load_rules(), key=lambda r: RULE_KINDS[r.kind].shape not in IN_YEAR_SHAPES)
    for rule in in_year_first:
        if template is None or template in rule.templates:
            out.setdefault(rule.id, []).append(rule)
    return out


def _templates_of(rules: list[Rule], only: str | None) -> list[tuple[Rule, Template]]:
    known = templates()
    return [(r, known[t]) for r in rules for t in r.templates if t in known and (only is None or t == only)]


def rules_text(template: str | None = None, lang: str = "zh") -> str:
    lines, w = [], WORDS[lang]
    for rid, rules in by_id(template).items():
        r = rules[0]
        temps = [t.code for _, t in _templates_of(rules, template)]
        kind = KINDS.get(r.kind, (r.kind, r.kind))[lang == "en"]
        lines.append(f"{rid}\t{SEVERITY[lang][r.severity]}\t{kind}\t{'/'.join(temps)}\t{r.title(lang)}")
        for rule, tpl in _templates_of(rules, template):
            which = f"（{tpl.code}）" if lang == "zh" else f" ({tpl.code})"
            lines.append(f"    {w['cells']}{which}{w['colon']}{covered_words(covered(rule, tpl), tpl, lang)}")
    return "\n".join(lines) + "\n"


_RULE_ID = re.compile(r"([^\[\]]+)(?:\[([^\[\]]+)\])?")  # id, or id[key] as findings name an instance


def _has_instance(rules: list[Rule], key: str) -> bool:
    """Whether one of ``rules`` (one id, per template) has the instance ``key``, as findings
    name it: a formula's key or one of its cells; a heading's number for ``text.sections``."""
    for rule, tpl in _templates_of(rules, None):
        if rule.kind == "text_sections":  # one instance per heading, by its number (text.sections[五])
            if key in {entry.partition(" ")[0] for entry in rule.spec.get("headings") or ()}:
                return True
        elif RULE_KINDS[rule.kind].shape == "unary":
            if key in covered(rule, tpl):
                return True
        elif any(f.key == key or key in f.lhs for f in formulas(rule, tpl)):
            return True
    return False


def explain_text(rule_id: str, lang: str = "zh") -> str | None:
    """A rule in words and formulas; ``rule_id`` may name one instance, ``t3.balance[natural]``.

    None when ``rule_id`` names no rule, or an instance the rule does not have.
    """
    m = _RULE_ID.fullmatch(rule_id)
    if m is None:
        return None
    rid, key = m.group(1), m.group(2) or ""
    rules = by_id().get(rid)
    if not rules:
        return _explain_reader(rid, lang) if rid in READER_FINDINGS and not key else None
    if key and not _has_instance(rules, key):
        return None
    r = rules[0]
    zh = lang == "zh"
    kind = KINDS.get(r.kind, (r.kind, r.kind))[not zh]
    temps = [t for rule in rules for t in rule.templates]
    lines = [f"{rid} — {r.title(lang)}",
             (f"  严重程度：{SEVERITY[lang][r.severity]}　类型：{kind}（{r.kind}）　适用模板：{'、'.join(temps)}"
              if zh else f"  severity: {r.severity}   kind: {kind} ({r.kind})   templates: {', '.join(temps)}")]
    colon = WORDS[lang]["colon"]
    if r.why:
        lines.append(f"  {'依据' if zh else 'why'}{colon}{' '.join(r.why.split())}")
    if r.spec.get("keywords"):
        lines.append(f"  {'正文关键词' if zh else 'keywords in the text'}{colon}"
                     f"{'、'.join(r.spec['keywords'])}")
    shown: dict[tuple[str, ...], list[str]] = {}
    for rule, tpl in _templates_of(rules, None):
        if RULE_KINDS[rule.kind].shape == "unary":
            patterns = ", ".join(rule.spec["cells"]) + (f" − {', '.join(rule.spec['except'])}"
                                                        if rule.spec.get("except") else "")
            block = (f"    {covered_words(covered(rule, tpl), tpl, lang)}", f"      {patterns}")
        else:
            fs = [f for f in formulas(rule, tpl, lang) if not key or f.key == key or key in f.lhs]
            block = tuple(line for f in fs for line in (f"    {f.words(tpl, lang)}", f"      {f.codes()}"))
        shown.setdefault(block, []).append(tpl.code)
    for block, codes in shown.items():
        n = len(block) // 2
        lines.append(f"  规则要求（模板 {'、'.join(codes)}，{n} 处）：" if zh else
                     f"  the rule requires (template {', '.join(codes)}, {n} place{'s' if n != 1 else ''}):")
        lines.extend(block or ("    —",))
    return "\n".join(lines) + "\n"


def _failure_reasons(lang: str) -> list[str]:
    from .._batch import BATCH_REASONS
    from .._read import REASONS

    return [f"{code}: {pair[lang == 'en']}" for code, pair in {**REASONS, **BATCH_REASONS}.items()]


def _explain_reader(rid: str, lang: str) -> str:
    severity, title_zh, title_en, text_zh, text_en = READER_FINDINGS[rid]
    zh = lang == "zh"
    lines = [f"{rid} — {title_zh if zh else title_en}",
             f"  {'严重程度' if zh else 'severity'}{WORDS[lang]['colon']}{SEVERITY[lang][severity]}"
             f"{'　（读取说明，不是 rules/ 中的规则）' if zh else '   (a reader finding, not a rule in rules/)'}",
             f"  {text_zh if zh else text_en}"]
    if rid == "read.unreadable":
        lines.append("  原因代码：" if zh else "  reason codes:")
        lines += [f"    {line}" for line in _failure_reasons(lang)]
    return "\n".join(lines) + "\n"


def rules_markdown() -> str:
    """docs/rules.md: the catalogue, generated from rules/checks/*.yaml."""
    out = ["# 规则目录 · Rule catalogue", "",
           "_本文件由 `gov-audit rules --format markdown` 从 `rules/checks/*.yaml` 生成，请勿手工修改。_  ",
           "_Generated from `rules/checks/*.yaml` by `gov-audit rules --format markdown`; do not edit by hand._", "",
           "| id | 标题 title | 严重程度 severity | 类型 kind | 模板 templates |", "|---|---|---|---|---|"]
    groups = by_id()
    for rid, rules in groups.items():
        r = rules[0]
        temps = ", ".join(t for rule in rules for t in rule.templates)
        out.append(f"| [`{rid}`](#{rid.replace('.', '')}) | {r.title_zh} | {r.severity} | {r.kind} | {temps} |")
    for rid, rules in groups.items():
        r = rules[0]
        out += ["", f"## {rid}", "", f"**{r.title_zh}**  ", f"*{r.title_en}*", "",
                f"- 严重程度 severity: `{r.severity}`; 类型 kind: `{r.kind}` "
                f"({KINDS.get(r.kind, (r.kind, r.kind))[0]})"]
        if r.why:
            out.append(f"- 依据 why: {' '.join(r.why.split())}")
        for rule, tpl in _templates_of(rules, None):
            fs = formulas(rule, tpl)
            out.append(f"- 模板 {tpl.code}: {covered_words(covered(rule, tpl), tpl, 'zh')}")
            if RULE_KINDS[rule.kind].shape != "unary":
                out += [f"  - {f.words(tpl, 'zh')}<br>`{f.codes()}`" for f in fs]
    out += ["", "## 读取说明 · Reader findings", "",
            "读取程序给出的结果，不是 `rules/` 中的规则。 Findings of the reader, not rules in `rules/`.", ""]
    for rid, (severity, title_zh, title_en, text_zh, text_en) in READER_FINDINGS.items():
        out += [f"- `{rid}` ({severity}) **{title_zh}** — {text_zh}<br>*{title_en}* — {text_en}"]
    out += ["", "无法读取的原因代码 · reasons an input is unreadable:", ""]
    out += [f"- `{line.split(': ', 1)[0]}`: {line.split(': ', 1)[1]}" for line in _failure_reasons("zh")]
    return "\n".join(out) + "\n"
