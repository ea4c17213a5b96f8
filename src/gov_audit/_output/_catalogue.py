"""The rule catalogue: every rule with its id, title, the cells it covers and its formula.

Drives ``gov-audit rules`` (plain text or markdown) and ``gov-audit explain``, and
generates docs/rules.md. Rules checked in-year are shown through their expanded
instances; cross-year and narrative rules (post-passes) through their cell patterns,
where a cell written ``prev:CODE`` is last year's report's.
"""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass

from .._errors import RuleError
from .._messages import place
from .._rules import IN_YEAR_SHAPES, RULE_KINDS, Rule, RuleInstance, _bindings, _expand_pattern, expand, load_rules
from .._template import Template, templates
from ._view import RELATION, SEVERITY, name_cells

KINDS = {
    "sum_identity": ("求和恒等式", "sum identity"), "at_most": ("不超过", "at most"),
    "non_negative": ("非负数", "non-negative"), "integer": ("整数", "whole number"),
    "year_over_year": ("跨年度恒等式", "year over year"), "text_quantity": ("正文数字与表格一致", "text vs table"),
    "text_sections": ("正文章节", "text sections"), "text_period": ("报告年度", "report period"),
    "template_year": ("模板与年度相符", "template vs year"),
}
PREV = {"zh": "上年", "en": "last year's "}


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
        return f"{self.where}{'：' if lang == 'zh' else ': '}{text}" if self.where else text

    def codes(self) -> str:
        return f"{' + '.join(self.lhs)} {self.op} {' + '.join(self.rhs)}" if self.op else ", ".join(self.lhs)


def _name(cells: tuple[str, ...], tpl: Template, lang: str) -> list[str]:
    """Cell names, with last year's cells (``prev:``) marked as such."""
    out, run, prev = [], [], None
    for c in cells + ("",):
        is_prev = c.startswith("prev:")
        if run and (is_prev != prev or not c):
            named = name_cells(tuple(x.removeprefix("prev:") for x in run), tpl, lang, joiner="\x00").split("\x00")
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
            parts.append(f"{t}.*（全部 {len(codes)} 格）" if lang == "zh" else f"{t}.* (all {len(codes)} cells)")
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
    lines = []
    for rid, rules in by_id(template).items():
        r = rules[0]
        temps = [t.code for _, t in _templates_of(rules, template)]
        kind = KINDS.get(r.kind, (r.kind, r.kind))[lang == "en"]
        lines.append(f"{rid}\t{SEVERITY[lang][r.severity]}\t{kind}\t{'/'.join(temps)}\t{r.title(lang)}")
        for rule, tpl in _templates_of(rules, template):
            cells = covered(rule, tpl)
            label = "单元格" if lang == "zh" else "cells"
            lines.append(f"    {label}（{tpl.code}）：{covered_words(cells, tpl, lang)}" if lang == "zh" else
                         f"    {label} ({tpl.code}): {covered_words(cells, tpl, lang)}")
    return "\n".join(lines) + "\n"


def explain_text(rule_id: str, lang: str = "zh") -> str | None:
    """A rule in words and formulas; ``rule_id`` may name one instance, ``t3.balance[natural]``."""
    rid, _, key = rule_id.partition("[")
    key = key.rstrip("]")
    rules = by_id().get(rid)
    if not rules:
        return None
    r = rules[0]
    zh = lang == "zh"
    kind = KINDS.get(r.kind, (r.kind, r.kind))[not zh]
    temps = [t for rule in rules for t in rule.templates]
    lines = [f"{rid} — {r.title(lang)}",
             (f"  严重程度：{SEVERITY[lang][r.severity]}　类型：{kind}（{r.kind}）　适用模板：{'、'.join(temps)}" if zh else
              f"  severity: {r.severity}   kind: {kind} ({r.kind})   templates: {', '.join(temps)}")]
    if r.why:
        lines.append(f"  {'依据' if zh else 'why'}{'：' if zh else ': '}{' '.join(r.why.split())}")
    if r.spec.get("keywords"):
        lines.append(f"  {'正文关键词' if zh else 'keywords in the text'}{'：' if zh else ': '}"
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
    return "\n".join(out) + "\n"
