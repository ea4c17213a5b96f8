"""Checks across years: a report against the same agency's report for the year before.

Rules of kind ``year_over_year`` (rules/checks/cross_year.yaml) relate this report's
cells to last year's (``prev:CODE``). In a batch, reports are paired by normalised
agency name and consecutive years (``cross_year_pass``); ``check_series`` takes reports
the caller knows to be one agency's and pairs them by year alone.

A finding belongs to THIS year's report: ``cells`` are this report's canonical codes,
``related_report``/``related_cells`` name last year's report and its cells, and the
message quotes both sides. A blank cell on either side means the relation is not checked.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ._errors import RuleError
from ._finding import Finding, Reason, relevance
from ._messages import fmt
from ._rules import RULE_KINDS, Rule, _bindings, _expand_pattern, load_rules
from ._template import Template, get_template

PREV = "prev:"
# Generic endings that name the same body: 平潭综合实验区管委会 = 平潭综合实验区.
_SUFFIXES = ("管理委员会", "管委会", "人民政府", "政府")


@dataclass(frozen=True)
class _Term:
    code: str
    prev: bool


def agency_key(name: str | None) -> str | None:
    """A name normalised for matching: width folded, brackets, spaces and generic endings dropped."""
    if not name:
        return None
    text = unicodedata.normalize("NFKC", name)
    text = re.sub(r"[(\[（【][^)\]）】]*[)\]）】]", "", text)
    text = re.sub(r"[\s·・,，、.。:：\"'“”‘’]", "", text)
    for suffix in _SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            text = text[: -len(suffix)]
            break
    return text or None


def cross_year_rules(rules: list[Rule] | None = None) -> list[Rule]:
    return [r for r in (rules if rules is not None else load_rules()) if RULE_KINDS[r.kind].shape == "cross_year"]


def _expand(rule: Rule, this: Template, prev: Template) -> list[tuple[str, list[_Term], list[_Term]]]:
    """Instances of ``rule`` for this pair of templates; [] if last year's lacks a cell."""
    if this.code not in rule.templates:
        return []
    out = []
    for binding in _bindings(rule, this):
        sides = []
        for key in ("lhs", "rhs"):
            terms = []
            for pattern in rule.spec[key]:
                is_prev = pattern.startswith(PREV)
                tpl = prev if is_prev else this
                try:
                    codes = _expand_pattern(pattern[len(PREV):] if is_prev else pattern, binding, tpl, rule)
                except RuleError:
                    if is_prev:  # last year's template has no such cell: the rule does not apply
                        return []
                    raise
                terms += [_Term(c, is_prev) for c in codes]
            sides.append(terms)
        out.append((",".join(binding.values()), sides[0], sides[1]))
    return out


def _describe(term: _Term, tpl: Template, lang: str) -> str:
    where = tpl.cells[term.code].describe(lang)
    if lang == "zh":
        return ("上年" if term.prev else "本年") + where
    return ("last year's " if term.prev else "this year's ") + where


def _place(key: str, code: str, tpl: Template) -> tuple[str, str]:
    """「自然人」列 / 「行政规范性文件」行 for an instance key."""
    table = tpl.tables[code.split(".", 1)[0]]
    if key in table.columns:
        label = table.columns[key].label
        return f"「{label}」列", f"column 「{label}」"
    if key in table.rows:
        label = table.rows[key].label
        return f"「{label}」行", f"row 「{label}」"
    return key, key


def _finding(rule: Rule, key: str, lhs: list[_Term], rhs: list[_Term], this, prev) -> Finding | None:
    tpl_this, tpl_prev = get_template(this.template), get_template(prev.template)

    def value(t: _Term):
        return (prev if t.prev else this).cells.get(t.code)

    values = [value(t) for t in lhs + rhs]
    if any(v is None for v in values):
        return None
    left, right = sum(values[: len(lhs)]), sum(values[len(lhs):])
    if abs(left - right) <= 1e-6:
        return None

    def side(terms: list[_Term], total: float, lang: str) -> str:
        parts = [f"{_describe(t, tpl_prev if t.prev else tpl_this, lang)} {fmt(value(t))}" for t in terms]
        joined = " + ".join(parts)
        if len(parts) == 1:
            return joined
        return f"{joined}，合计 {fmt(total)}" if lang == "zh" else f"{joined}, together {fmt(total)}"

    place_zh, place_en = _place(key, lhs[0].code, tpl_this)
    zh = (f"{rule.title_zh}：{place_zh}不成立，{side(lhs, left, 'zh')}；{side(rhs, right, 'zh')}；相差 {fmt(left - right)}。"
          f"上年报告：{prev.source}（{prev.year} 年度）。")
    en = (f"{rule.title_en}: fails for {place_en}; {side(lhs, left, 'en')}; {side(rhs, right, 'en')}; "
          f"difference {fmt(left - right)}. Last year's report: {prev.source} ({prev.year}).")
    mine = tuple(dict.fromkeys(t.code for t in lhs + rhs if not t.prev))
    theirs = tuple(dict.fromkeys(t.code for t in lhs + rhs if t.prev))
    return Finding(rule.id, rule.severity, Reason.IDENTITY_VIOLATED.value, this.source, mine,
                   tuple(tpl_this.cells[c].describe() for c in mine), key, left, right, zh, en,
                   related_report=prev.source, related_cells=theirs)


def check_pair(this, prev, rules: list[Rule] | None = None) -> list[Finding]:
    """Findings for report ``this`` against ``prev`` (the same agency, the year before).

    Both are :class:`Report` objects (or results with a ``report``).
    """
    this, prev = getattr(this, "report", this), getattr(prev, "report", prev)
    if "failed" in (this.status, prev.status):
        return []
    found = []
    tpl_this, tpl_prev = get_template(this.template), get_template(prev.template)
    for rule in cross_year_rules(rules):
        for key, lhs, rhs in _expand(rule, tpl_this, tpl_prev):
            f = _finding(rule, key, lhs, rhs, this, prev)
            if f is not None:
                found.append(f)
    return found


def _report(item):
    return getattr(item, "report", item)


def _best(candidates: list) -> object:
    """Of several reports for one agency-year (e.g. the page's text and its HTML), the fullest."""
    def rank(entry):
        i, r = entry
        filled = sum(v is not None for v in _report(r).cells.values())
        return (_report(r).status != "ok", -filled, i)
    return min(candidates, key=rank)[1]


def _pairs(items: list, key) -> list[tuple[object, object]]:
    """(this, last year's) for every item whose agency has a report for the year before."""
    usable = [(i, r) for i, r in enumerate(items)
              if key(r) is not None and _report(r).year is not None and _report(r).status != "failed"]
    by_year: dict[tuple, list] = {}
    for i, r in usable:
        by_year.setdefault((key(r), _report(r).year), []).append((i, r))
    return [(r, _best(by_year[key(r), _report(r).year - 1])) for _, r in usable
            if (key(r), _report(r).year - 1) in by_year]


def check_series(results: list, rules: list[Rule] | None = None) -> list[Finding]:
    """Cross-year findings for results the caller knows to be ONE agency's, paired by year.

    ``results`` may be :class:`AuditResult` or :class:`Report` objects. Returns the
    findings (each for the later report of a pair); the inputs are not changed.
    """
    return [f for this, prev in _pairs(list(results), key=lambda r: "series") for f in check_pair(this, prev, rules)]


def cross_year_pass(results: list) -> list:
    """POST_PASSES step: pair reports of one agency in consecutive years and add findings."""
    for this, prev in _pairs(results, key=lambda r: agency_key(r.report.agency)):
        new = check_pair(this, prev)
        if new:
            this.findings[:] = sorted([*this.findings, *new], key=relevance)
    return results
