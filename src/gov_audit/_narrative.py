"""The report's own text against its tables (templates.md §5.5, T1–T5).

Only the narrative sections are read: the preamble and 一、总体情况 (up to the heading
二、主动公开…), and 五/六 after the tables; the tables' own text is never parsed as prose.
A *statement* is "KEYWORD … N 件/起" inside one clause, with the keywords, context
words and table cells declared in rules/checks/narrative.yaml (kind ``text_quantity``).
The keyword nearest the number wins; a clause with no keyword is not a statement, so a
number that cannot be tied to one table quantity never becomes a finding.

* 「涉及自然人72件、商业企业3件」: an applicant name after a statement narrows the
  same row to those columns (``applicants:`` in the YAML).
* 「（含上年结转 M 件）」 after a count makes it new + carried in; a count that equals
  new + carried in *without* saying so is a warning that names this explanation.
* 「42件，占51.85%」: the percentage is checked against the count over one of the
  ``percent_of`` denominators (±0.1 point or one unit of the last printed digit).
Format conformance (headings, 统计期限, template by year) lives in ``_conformance``.

The rules in force are the packaged ones, or the narrative rules of the list given to
``audit_reports`` (its ``text_quantity`` rules for statements, its other narrative kinds
for format; the ``applicants:``/``percent_of:`` of their YAML files come along).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ._conformance import _sections_rule, conformance_findings, heading_positions, narrative_regions, squeeze
from ._finding import Finding, Reason
from ._messages import fmt
from ._resources import rules_dir
from ._rules import RULE_KINDS, Rule, _expand_pattern, load_rules
from ._template import Template, get_template

_WIDE = "０１２３４５６７８９％．"
_FOLD = str.maketrans(_WIDE, "0123456789%.")
_COUNT = re.compile(r"(?<![\d.])(\d{1,7})(件|起|宗)")
_CLAUSE_END = re.compile(r"[，,；;：:（()）]")
_CARRIED_INCLUDED = r"(?:含|包含|包括)(?:上一?年度?)?结转"  # (含/包含/包括)(上年度)结转: the count includes carried-in
_INCLUSIVE = re.compile(rf"^[（(]?(?:其中)?{_CARRIED_INCLUDED}")
_PERCENT = re.compile(r"^[，,（(]?(?:占比?|比例为|占比为)?[为约]?(\d{1,3}(?:\.\d+)?)%")
_SENTENCE = re.compile(r"[^。！？!?]+")
_SAYS_CARRIED = re.compile(_CARRIED_INCLUDED)


@dataclass(frozen=True)
class Statement:
    """One number in the text tied to one table quantity."""

    rule: Rule
    sentence: str
    number: int
    at: int                                   # position of the number in the sentence
    cells: tuple[str, ...]
    inclusive: tuple[str, ...] = ()           # cells "含上年结转" would add
    says_inclusive: bool = False
    percent: str | None = None                # as printed, e.g. "51.85"

    @property
    def quote(self) -> str:
        """The sentence up to the number and its unit, from the last 「；」 (at most 40 characters back)."""
        clause = max(self.sentence.rfind("；", 0, self.at), self.sentence.rfind(";", 0, self.at)) + 1
        start = max(clause, self.at - 40)
        end = self.at + len(str(self.number)) + 1
        return ("…" if start > clause else "") + self.sentence[start:end]


@dataclass(frozen=True)
class _Config:
    rules: tuple[Rule, ...]
    applicants: dict[str, tuple[str, ...]] = field(default_factory=dict)
    percent_of: tuple[tuple[str, ...], ...] = ()
    checks: tuple[Rule, ...] = ()             # the template's format rules (``_conformance``)
    sections: Rule | None = None              # the text_sections rule: where the headings are
    # keywords → rule for each set of context words a sentence mentions (memo of ``keywords``)
    _by_context: dict = field(default_factory=dict, compare=False, repr=False)

    @functools.cached_property
    def context_words(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(w for r in self.rules for w in r.spec["context"]))

    def keywords(self, sentence: str) -> dict[str, Rule]:
        """Keyword → rule for the rules whose context the sentence meets (a later rule wins a shared word)."""
        present = tuple(w for w in self.context_words if w in sentence)
        found = self._by_context.get(present)
        if found is None:
            rules = [r for r in self.rules if not r.spec["context"] or any(w in present for w in r.spec["context"])]
            found = self._by_context[present] = {w: r for r in rules for w in r.spec["keywords"]}
        return found


def _config(template_code: str, rules: list[Rule] | None = None) -> _Config:
    """The text rules in force for a template: the packaged ones (cached), or those in ``rules``."""
    if rules is None:
        return _config_in(str(rules_dir()), template_code)
    return _config_of(rules, template_code)


@functools.lru_cache(maxsize=8)
def _config_in(folder: str, template_code: str) -> _Config:
    return _config_of(load_rules(folder), template_code)


def _config_of(rules: list[Rule], template_code: str) -> _Config:
    text = tuple(r for r in rules if r.kind == "text_quantity" and template_code in r.templates)
    applicants, percent_of = {}, ()
    for path in sorted({r.path for r in text}):
        if not Path(path).is_file():  # a rule built in memory: no file of extras
            continue
        extra = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        applicants.update({k: tuple(v) for k, v in (extra.get("applicants") or {}).items()})
        percent_of += tuple(tuple(d) for d in extra.get("percent_of") or ())
    checks = tuple(r for r in rules if RULE_KINDS[r.kind].shape == "narrative"
                   and r.kind != "text_quantity" and template_code in r.templates)
    sections = next((r for r in rules if r.kind == "text_sections"), None)
    return _Config(text, applicants, percent_of, checks, sections)


def _fold(body: str) -> str:
    """Full-width digits, 「％」 and 「．」 as ASCII (``body`` itself when it has none).

    ``str.translate`` with a table looks every character of a Chinese text up in it
    (about 0.2 ms a report); most reports have no full-width digits, and twelve
    substring tests say so in a hundredth of that.
    """
    return body.translate(_FOLD) if any(c in body for c in _WIDE) else body


_CELLS: dict[tuple, tuple[str, ...]] = {}


def _cells(rule: Rule, key: str, template_code: str) -> tuple[str, ...]:
    """The rule's ``cells``/``inclusive`` patterns expanded over a template (memoised)."""
    memo = (rule.path, rule.id, key, template_code)
    if memo not in _CELLS:
        tpl = get_template(template_code)
        _CELLS[memo] = tuple(c for p in rule.spec[key] for c in _expand_pattern(p, {}, tpl, rule))
    return _CELLS[memo]


def _nearest(window: str, words) -> tuple[int, str] | None:
    """The occurrence ending nearest the end of ``window`` (longest on ties)."""
    best = None
    for w in words:
        i = window.rfind(w)
        if i >= 0:
            cand = (i + len(w), len(w), w)
            best = max(best, cand) if best else cand
    return (best[0], best[2]) if best else None


def _with_columns(codes: tuple[str, ...], columns: tuple[str, ...], tpl: Template) -> tuple[str, ...] | None:
    """The same rows as ``codes`` (all in the 总计 column) restricted to ``columns``."""
    if not codes or not all(c.startswith("t3.") and c.endswith(".total") for c in codes):
        return None
    out = tuple(f"{c.rsplit('.', 1)[0]}.{col}" for c in codes for col in columns)
    return out if all(c in tpl.cells for c in out) else None


def statements(text: str, template: Template | str, rules: list[Rule] | None = None) -> list[Statement]:
    """Every number in the narrative sections of ``text`` tied to a table quantity of ``rules`` (None: packaged)."""
    tpl = template if isinstance(template, Template) else get_template(template)
    cfg = _config(tpl.code, rules)
    body = _fold(squeeze(text))  # whitespace goes first: the fold maps no character to or from it
    return _statements(body, tpl, cfg, narrative_regions(body, heading_positions(body, _sections_of(cfg))))


def _statements(body: str, tpl: Template, cfg: _Config, regions: list[tuple[int, int]]) -> list[Statement]:
    out: list[Statement] = []
    for start, end in regions:
        prose = body[start:end]
        # Only sentences with a count can hold a statement, and most have none: find the
        # counts in one scan (a count never spans a sentence end, and the character before
        # a sentence is an end mark, never a digit, so the scan finds exactly the counts
        # each sentence would), then read just the sentences that hold one.
        at = [m.start() for m in _COUNT.finditer(prose)]
        k = 0
        for m in _SENTENCE.finditer(prose):
            if k == len(at):
                break
            if at[k] < m.end():
                out += _sentence_statements(m.group(0), tpl, cfg)
                while k < len(at) and at[k] < m.end():
                    k += 1
    return out


def _sentence_statements(sentence: str, tpl: Template, cfg: _Config) -> list[Statement]:
    counts = list(_COUNT.finditer(sentence))
    by_word = cfg.keywords(sentence)
    out: list[Statement] = []
    last: Statement | None = None
    for k, m in enumerate(counts):
        lo = counts[k - 1].end() if k else 0
        cut = [e.end() for e in _CLAUSE_END.finditer(sentence, lo, m.start())]
        window = sentence[cut[-1] if cut else lo: m.start()]
        after = sentence[m.end(): counts[k + 1].start() if k + 1 < len(counts) else len(sentence)]
        quantity = _nearest(window, by_word)
        applicant = _nearest(window, cfg.applicants)
        rule = cells = inclusive = None
        if applicant and (quantity is None or applicant[0] > quantity[0]):
            base = by_word[quantity[1]] if quantity else (last.rule if last else None)
            if base is not None:
                cols = cfg.applicants[applicant[1]]
                cells = _with_columns(_cells(base, "cells", tpl.code), cols, tpl)
                inclusive = _with_columns(_cells(base, "inclusive", tpl.code), cols, tpl) or ()
                rule = base if cells else None
        elif quantity:
            rule = by_word[quantity[1]]
        else:  # "1件结转下年度继续办理": the keyword right after the number
            ahead = _CLAUSE_END.split(after, 1)[0][:12]
            hits = sorted((ahead.find(w), -len(w), w) for w in by_word if 0 <= ahead.find(w) <= 2)
            rule = by_word[hits[0][2]] if hits else None
        if rule is None:
            continue
        if cells is None:
            cells, inclusive = _cells(rule, "cells", tpl.code), _cells(rule, "inclusive", tpl.code)
        pct = _PERCENT.match(after)
        says = bool(_INCLUSIVE.match(after)) or bool(_SAYS_CARRIED.search(window))
        st = Statement(rule, sentence, int(m.group(1)), m.start(), cells, inclusive, says,
                       pct.group(1) if pct else None)
        out.append(st)
        last = st
    return out


def _sum(report, codes) -> float | None:
    values = [report.cells.get(c) for c in codes]
    return None if not codes or any(v is None for v in values) else float(sum(values))


def _what(codes: tuple[str, ...], tpl: Template, lang: str) -> str:
    specs = [tpl.cells[c] for c in codes]
    groups = {s.row.group for s in specs}
    if len(specs) > 3 and len(groups) == 1 and None not in groups:
        table = "表三" if lang == "zh" else "table 3"
        return f"{table}「{specs[0].row.group}」各项合计" if lang == "zh" else f"{table} 「{specs[0].row.group}」 (all items)"
    return " + ".join(s.describe(lang) for s in specs)


def _finding(st: Statement, report, tpl: Template, severity: str, reason: str, zh: str, en: str,
             observed: float | None, expected: float | None) -> Finding:
    return Finding(st.rule.id, severity, reason, report.source, st.cells,
                   tuple(tpl.cells[c].describe() for c in st.cells), "", observed, expected, zh, en)


def check_statement(st: Statement, report, tpl: Template, cfg: _Config) -> list[Finding]:
    table = _sum(report, st.cells)
    if table is None:  # the table leaves it blank: nothing to compare with
        return []
    extra = _sum(report, st.inclusive) if st.inclusive else None
    n, what_zh, what_en = st.number, _what(st.cells, tpl, "zh"), _what(st.cells, tpl, "en")
    out = []
    target = table + extra if st.says_inclusive and extra is not None else table
    if n != target:
        if not st.says_inclusive and extra and n == table + extra:
            inc_zh, inc_en = _what(st.inclusive, tpl, "zh"), _what(st.inclusive, tpl, "en")
            zh = (f"正文「{st.quote}」称 {n} 件，{what_zh} 为 {fmt(table)}；{n} = {fmt(table)} + {inc_zh} {fmt(extra)}，"
                  f"正文似把上年结转的申请也算了进去，而未说明“含上年结转”。")
            en = (f"The text says {n} (「{st.quote}」) but {what_en} is {fmt(table)}; {n} = {fmt(table)} + {inc_en} "
                  f"{fmt(extra)}: the text seems to count the carried-in applications without saying so.")
            out.append(_finding(st, report, tpl, "warning", Reason.TEXT_MISMATCH.value, zh, en, n, table))
        else:
            plus = f"（含上年结转 {fmt(extra)}）" if st.says_inclusive and extra is not None else ""
            plus_en = f" (with {fmt(extra)} carried in)" if st.says_inclusive and extra is not None else ""
            zh = f"正文「{st.quote}」称 {n} 件，但{what_zh} 为 {fmt(target)}{plus}，两者不一致。"
            en = f"The text says {n} (「{st.quote}」) but {what_en} is {fmt(target)}{plus_en}."
            out.append(_finding(st, report, tpl, st.rule.severity, Reason.TEXT_MISMATCH.value, zh, en, n, target))
    if st.percent is not None:
        out += _check_percent(st, report, tpl, cfg, table)
    return out


def _check_percent(st: Statement, report, tpl: Template, cfg: _Config, table: float) -> list[Finding]:
    p = float(st.percent)
    decimals = len(st.percent.split(".")[1]) if "." in st.percent else 0
    tolerance = max(10.0 ** -decimals, 0.1)
    denominators = [d for d in (_sum(report, codes) for codes in cfg.percent_of) if d]
    if not denominators or any(abs(100 * x / d - p) <= tolerance for d in denominators for x in (st.number, table)):
        return []
    d = denominators[0]
    zh = (f"正文「{st.quote}（{st.percent}%）」的比例与表格不符：{fmt(table)} / {fmt(d)} = "
          f"{100 * table / d:.2f}%，其他常用分母也对不上。")
    en = (f"The percentage in 「{st.quote} ({st.percent}%)」 does not match the tables: {fmt(table)} / {fmt(d)} = "
          f"{100 * table / d:.2f}%, and no other usual denominator fits.")
    return [_finding(st, report, tpl, "warning", Reason.TEXT_PERCENT.value, zh, en, p, round(100 * table / d, 2))]


def _sections_of(cfg: _Config) -> Rule | None:
    # Where the prose is depends on the headings the report has, whether or not their order
    # is one of the rules in force: without a sections rule of their own, the packaged one.
    return cfg.sections or _sections_rule()


def narrative_findings(report, rules: list[Rule] | None = None) -> list[Finding]:
    """Text-vs-table and format findings of ``rules`` (None: packaged) for one report (none if it has no text)."""
    if not report.text or report.status == "failed":
        return []
    return _findings(report, _config(report.template, rules))


def _findings(report, cfg: _Config) -> list[Finding]:
    if not cfg.rules and not cfg.checks:
        return []
    tpl = get_template(report.template)
    body = squeeze(report.text)
    folded = _fold(body)
    # the headings are found once and serve both the narrative regions and the sections check
    sections = _sections_of(cfg)
    positions = heading_positions(body, sections)
    regions = narrative_regions(folded, positions if folded is body else heading_positions(folded, sections))
    out = []
    for st in _statements(folded, tpl, cfg, regions):
        out += check_statement(st, report, tpl, cfg)
    return out + conformance_findings(report, list(cfg.checks), body, positions)


def narrative_pass(results: list, rules: list[Rule] | None = None) -> list:
    """POST_PASSES step: add the text and format findings of ``rules`` (None: packaged) to every result."""
    configs: dict[str, _Config] = {}  # a list's rules, worked out once per template
    for r in results:
        report = r.report
        if not report.text or report.status == "failed":
            continue
        cfg = configs.get(report.template)
        if cfg is None:
            cfg = configs[report.template] = _config(report.template, rules)
        r.findings += _findings(report, cfg)
    return results
