"""Checks across years: a report against the same agency's report for the year before.

Rules of kind ``year_over_year`` (rules/checks/cross_year.yaml) relate this report's
cells to last year's (``prev:CODE``). In a batch, reports are paired by normalised
agency name and consecutive years (``cross_year_pass``); ``check_series`` takes reports
the caller knows to be one agency's and pairs them by year alone.

A finding belongs to THIS year's report: ``cells`` are this report's canonical codes,
``related_report``/``related_cells`` name last year's report and its cells, and the
message quotes both sides. A blank cell on either side means the relation is not checked.

A batch holds many pairs but only a few pairs of templates, so everything that depends on
the rules and templates alone — the expanded instances, the words for each cell and place
— is worked out once per pair of templates (``_plan``, kept by ``_packaged_plan``); a pair
of reports then costs a few dictionary look-ups per instance, and a message only when the
relation fails.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from ._errors import RuleError
from ._finding import Finding, Reason
from ._messages import fmt, place
from ._resources import rules_dir
from ._rules import RULE_KINDS, Rule, RuleInstance, _bindings, _expand_pattern, _known_somewhere, load_rules
from ._template import Template, get_template

PREV = "prev:"
# Generic endings that name the same body: 平潭综合实验区管委会 = 平潭综合实验区.
_SUFFIXES = ("管理委员会", "管委会", "人民政府", "政府")


@dataclass(frozen=True)
class _Term:
    code: str
    prev: bool


@functools.lru_cache(maxsize=65536)  # a batch names each agency many times
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


def _expand(rule: Rule, this: Template, prev: Template) -> list[tuple[dict[str, str], list[_Term], list[_Term]]]:
    """Instances of ``rule`` for this pair of templates, as (binding, lhs, rhs).

    [] if last year's template lacks a ``prev:`` cell that some other template has (a
    2021-format cell against a 2019-format report); RuleError if no template has it.
    """
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
                code = pattern[len(PREV):] if is_prev else pattern
                try:
                    codes = _expand_pattern(code, binding, tpl, rule, key)
                except RuleError:
                    # Last year's template lacks a cell that another template has: the rule
                    # does not apply to this pair. A cell of no template is the rule's mistake.
                    if is_prev and _known_somewhere(code, binding, rule):
                        return []
                    if is_prev:
                        raise RuleError(f"{key!r}: {pattern!r} names cells that no template has",
                                        path=rule.path, rule=rule.id) from None
                    raise
                terms += [_Term(c, is_prev) for c in codes]
            sides.append(terms)
        out.append((binding, sides[0], sides[1]))
    return out


def _describe(term: _Term, tpl: Template, lang: str) -> str:
    where = tpl.cells[term.code].describe(lang)
    if lang == "zh":
        return ("上年" if term.prev else "本年") + where
    return ("last year's " if term.prev else "this year's ") + where


@dataclass(frozen=True)
class _Instance:
    """One instance of a rule for a pair of templates, with its words worked out."""

    rule: Rule
    key: str
    terms: tuple[tuple[bool, str], ...]     # (last year's?, code): lhs terms, then rhs
    n_lhs: int
    words_zh: tuple[str, ...]                # each term described, e.g. 上年表三「…」×「自然人」
    words_en: tuple[str, ...]
    place_zh: str
    place_en: str
    mine: tuple[str, ...]                    # this report's cells in the relation
    labels: tuple[str, ...]
    theirs: tuple[str, ...]                  # last year's cells


def _instance(rule: Rule, binding: dict[str, str], lhs: list[_Term], rhs: list[_Term], tpl_this: Template,
              tpl_prev: Template) -> _Instance:
    terms = lhs + rhs
    mine = tuple(dict.fromkeys(t.code for t in terms if not t.prev))
    key = ",".join(binding.values())
    # worded like the in-year findings: 「自然人」列 / 「行政规范性文件」行
    where = RuleInstance(rule, key, (lhs[0].code,), binding=tuple(binding.items()))
    place_zh, place_en = place(where, tpl_this, "zh"), place(where, tpl_this, "en")
    return _Instance(
        rule, key, tuple((t.prev, t.code) for t in terms), len(lhs),
        tuple(_describe(t, tpl_prev if t.prev else tpl_this, "zh") for t in terms),
        tuple(_describe(t, tpl_prev if t.prev else tpl_this, "en") for t in terms),
        place_zh, place_en, mine, tuple(tpl_this.cells[c].describe() for c in mine),
        tuple(dict.fromkeys(t.code for t in terms if t.prev)))


def _plan(rules: list[Rule], tpl_this: Template, tpl_prev: Template) -> tuple[_Instance, ...]:
    """Every instance of ``rules`` for reports in ``tpl_this`` against last year's in ``tpl_prev``."""
    return tuple(_instance(rule, binding, lhs, rhs, tpl_this, tpl_prev)
                 for rule in rules for binding, lhs, rhs in _expand(rule, tpl_this, tpl_prev))


@functools.lru_cache(maxsize=16)
def _packaged_plan(folder: str, this_code: str, prev_code: str) -> tuple[_Instance, ...]:
    # the rules and templates of one rules folder never change within a process
    return _plan(cross_year_rules(load_rules(folder)), get_template(this_code), get_template(prev_code))


def _side(words: tuple[str, ...], shown: list[str], total: float, lang: str) -> str:
    if len(words) == 1:
        return f"{words[0]} {shown[0]}"
    joined = " + ".join([f"{w} {v}" for w, v in zip(words, shown)])
    return f"{joined}，合计 {fmt(total)}" if lang == "zh" else f"{joined}, together {fmt(total)}"


def _finding(inst: _Instance, this, prev) -> Finding | None:
    this_cell, prev_cell = this.cells.get, prev.cells.get
    values = [prev_cell(code) if is_prev else this_cell(code) for is_prev, code in inst.terms]
    if None in values:  # a blank on either side: not checked
        return None
    n = inst.n_lhs
    left, right = sum(values[:n]), sum(values[n:])
    if abs(left - right) <= 1e-6:
        return None
    rule, shown, diff = inst.rule, [fmt(v) for v in values], fmt(left - right)
    lhs_zh = _side(inst.words_zh[:n], shown[:n], left, "zh")
    rhs_zh = _side(inst.words_zh[n:], shown[n:], right, "zh")
    lhs_en = _side(inst.words_en[:n], shown[:n], left, "en")
    rhs_en = _side(inst.words_en[n:], shown[n:], right, "en")
    zh = (f"{rule.title_zh}：{inst.place_zh}不成立，{lhs_zh}；{rhs_zh}；相差 {diff}。"
          f"上年报告：{prev.source}（{prev.year} 年度）。")
    en = (f"{rule.title_en}: fails for {inst.place_en}; {lhs_en}; {rhs_en}; "
          f"difference {diff}. Last year's report: {prev.source} ({prev.year}).")
    return Finding(rule.id, rule.severity, Reason.IDENTITY_VIOLATED.value, this.source, inst.mine,
                   inst.labels, inst.key, left, right, zh, en,
                   related_report=prev.source, related_cells=inst.theirs)


def check_pair(this, prev, rules: list[Rule] | None = None, *,
               plans: dict[tuple[str, str], tuple[_Instance, ...]] | None = None) -> list[Finding]:
    """Findings for report ``this`` against ``prev`` (the same agency, the year before).

    Both are :class:`Report` objects (or results with a ``report``). ``rules``: None for
    the packaged rules, else the ``year_over_year`` rules of the list. ``plans``: a dict
    kept by a caller checking many pairs with one list of ``rules``, so that the list is
    expanded once per pair of templates (the packaged rules' plans are cached anyway).
    """
    this, prev = _report(this), _report(prev)
    if "failed" in (this.status, prev.status):
        return []
    codes = (str(this.template), str(prev.template))
    if rules is None:
        plan = _packaged_plan(str(rules_dir()), *codes)
    else:
        plans = {} if plans is None else plans
        plan = plans.get(codes)
        if plan is None:
            plan = plans[codes] = _plan(cross_year_rules(rules), get_template(codes[0]), get_template(codes[1]))
    return _check(plan, this, prev)


def _check(plan: tuple[_Instance, ...], this, prev) -> list[Finding]:
    found = []
    for inst in plan:
        f = _finding(inst, this, prev)
        if f is not None:
            found.append(f)
    return found


def _report(item):
    return getattr(item, "report", item)


def _best(candidates: list) -> object:
    """Of several reports for one agency-year (e.g. the page's text and its HTML), the fullest."""
    def rank(entry):
        i, r = entry
        values = list(_report(r).cells.values())
        filled = len(values) - values.count(None)  # the cells filled in
        return (_report(r).status != "ok", -filled, i)
    return min(candidates, key=rank)[1]


def _pairs(items: list, key) -> list[tuple[object, object]]:
    """(this, last year's) for every item whose agency has a report for the year before."""
    usable, by_year = [], {}
    for i, r in enumerate(items):
        report, k = _report(r), key(r)
        if k is None or report.year is None or report.status == "failed":
            continue
        usable.append((k, report.year, r))
        by_year.setdefault((k, report.year), []).append((i, r))
    best: dict[tuple, object] = {}  # the fullest report of each agency-year, chosen once
    out = []
    for k, year, r in usable:
        last = (k, year - 1)
        if last in by_year:
            if last not in best:
                best[last] = _best(by_year[last])
            out.append((r, best[last]))
    return out


def check_series(results: list, rules: list[Rule] | None = None) -> list[Finding]:
    """Cross-year findings for results the caller knows to be ONE agency's, paired by year.

    ``results`` may be :class:`AuditResult` or :class:`Report` objects. Returns the
    findings (each for the later report of a pair); the inputs are not changed.
    """
    plans: dict = {}
    return [f for this, prev in _pairs(list(results), key=lambda r: "series")
            for f in check_pair(this, prev, rules, plans=plans)]


def cross_year_pass(results: list, rules: list[Rule] | None = None) -> list:
    """POST_PASSES step: pair reports of one agency in consecutive years and add the
    findings of ``rules`` (None: packaged; a list: its ``year_over_year`` rules)."""
    plans: dict = {}
    for this, prev in _pairs(results, key=lambda r: agency_key(r.report.agency)):
        this.findings += check_pair(this, prev, rules, plans=plans)
    return results
