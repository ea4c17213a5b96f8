"""Format conformance read from the text (templates.md §5.5 T6, §5.6 F1–F2).

* the six section headings, each matched by its number and a keyword, in order;
* the 统计期限 sentence names the report year;
* the table format matches the report year (2019–2020 → 2019 template, later → 2021;
  a year before every template, 2018 and earlier, is not checked: there was no format).

The report year used here is the one in the title when there is one (read by the
reader's own title patterns, ``_read._meta.title_year``): the reader takes the year from
the 统计期限 sentence first, and that sentence is what is being checked. The words after
统计 in that sentence are the text.period rule's ``wordings``, the reader's too.
The heading positions also mark where the narrative is (``narrative_regions``).
"""
from __future__ import annotations

import functools
import re

from ._finding import Finding, Reason
from ._read._atoms import nfkc
from ._read._meta import title_year
from ._resources import rules_dir
from ._rules import Rule, load_rules, period_words
from ._template import get_template, template_for_year

_TABLE_MARKERS = ("第二十条第", "本年新收政府信息公开申请", "申请人情况")


def squeeze(text: str) -> str:
    """``text`` without any whitespace (what headings and statements are matched in).

    The same as ``re.sub(r"\\s+", "", text)`` — ``str.split`` and the regex's ``\\s`` both
    use Unicode whitespace — at a fifth of the cost.
    """
    return "".join(text.split())


def _headings(rule: Rule) -> tuple[tuple[str, str, re.Pattern], ...]:
    return _compile_headings(tuple(rule.spec["headings"]))


@functools.lru_cache(maxsize=8)
def _compile_headings(entries: tuple[str, ...]) -> tuple[tuple[str, str, re.Pattern], ...]:
    out = []
    for entry in entries:
        number, _, words = entry.partition(" ")
        # number, a separator, then at most 16 non-digit characters up to a keyword
        pattern = re.compile(rf"{number}[、.．，,]\s*[^\d、。，；,;]{{0,16}}?(?:{words})")
        out.append((number, words.split("|")[0], pattern))
    return tuple(out)


def _sections_rule() -> Rule | None:
    return _first_sections_rule(str(rules_dir()))


@functools.lru_cache(maxsize=8)
def _first_sections_rule(folder: str) -> Rule | None:
    # cached per rules folder: asked once per report, and the rule list does not change
    return next((r for r in load_rules(folder) if r.kind == "text_sections"), None)


def heading_positions(body: str, rule: Rule | None = None) -> list[tuple[int | None, int | None]]:
    """For each heading: (position when found in order, position found anywhere)."""
    rule = rule or _sections_rule()
    if rule is None:
        return []
    out, last = [], 0
    for _, _, pattern in _headings(rule):
        m = pattern.search(body, last)
        if m:
            out.append((m.start(), m.start()))
            last = m.end()
        else:
            anywhere = pattern.search(body)
            out.append((None, anywhere.start() if anywhere else None))
    return out


def narrative_regions(body: str, positions: list | None = None) -> list[tuple[int, int]]:
    """Where the prose is: before the table sections, and from section 五 (or 六) on.

    ``positions``: ``heading_positions(body)`` when the caller has them already.
    """
    pos = heading_positions(body) if positions is None else positions
    if not pos:
        return [(0, len(body))]
    markers = [i for i in (body.find(m) for m in _TABLE_MARKERS) if i >= 0]
    head_end = pos[1][0] if pos[1][0] is not None else min(markers, default=len(body))
    regions = [(0, head_end)]
    tail = pos[4][0] if pos[4][0] is not None else pos[5][0]
    if tail is not None and tail > head_end:
        regions.append((tail, len(body)))
    return regions


def _sections(report, rule: Rule, body: str, positions: list | None = None) -> list[Finding]:
    out = []
    if positions is None:
        positions = heading_positions(body, rule)
    for (number, word, _), (in_order, anywhere) in zip(_headings(rule), positions):
        if in_order is not None:
            continue
        if anywhere is None:
            zh = f"未找到第{number}部分的标题（“{number}、…{word}…”）；年度报告应包括六部分内容。"
            en = f"The heading of section {number} (“{number}、…{word}…”) was not found; a report has six sections."
            reason = Reason.SECTION_MISSING.value
        else:
            zh = f"第{number}部分的标题（“{number}、…{word}…”）出现在前一部分之前，顺序不对。"
            en = f"The heading of section {number} (“{number}、…{word}…”) comes before the previous section's."
            reason = Reason.SECTION_ORDER.value
        out.append(Finding(rule.id, rule.severity, reason, report.source, instance=number,
                           message_zh=zh, message_en=en))
    return out


@functools.lru_cache(maxsize=8)
def _period_opening(wordings: tuple[str, ...]) -> re.Pattern:
    # the same wordings as the year reader's (``_read._meta._period_pattern``), but required
    return re.compile(f"统计{period_words(wordings)}")


def _period(report, rule: Rule, body: str, year: int | None) -> list[Finding]:
    if year is None:
        return []
    m = _period_opening(tuple(rule.spec["wordings"])).search(body)
    if not m:
        return []
    segment = body[m.start(): m.end() + 40]
    segment = re.split(r"[。；;]", segment, maxsplit=1)[0]
    # NFKC: full-width digits (２０２２年) name a year as well
    years = [int(y) for y in re.findall(r"(20\d\d)年", nfkc(segment))]
    wrong = sorted({y for y in years if y != year})
    if not wrong:
        return []
    zh = f"统计期限写为「{segment}」，其中的年份 {'、'.join(map(str, wrong))} 与报告年度 {year} 不符。"
    en = f"The statistics period reads 「{segment}」: year {', '.join(map(str, wrong))}, not the report year {year}."
    return [Finding(rule.id, rule.severity, Reason.PERIOD_YEAR.value, report.source,
                    observed=float(wrong[0]), expected=float(year), message_zh=zh, message_en=en)]


def _template_year(report, rule: Rule, year: int | None) -> list[Finding]:
    if year is None:
        return []
    expected = template_for_year(year)
    # a year before every template (2018 and earlier) had no national format to follow:
    # there is nothing to match, and the tables were still read with the closest template
    if expected is None or expected.code == report.template:
        return []
    used = get_template(report.template)
    severity = "warning" if str(year) in rule.spec["lenient_years"] else rule.severity
    zh = (f"报告年度为 {year} 年，应使用 {expected.code} 年格式（{expected.title}），"
          f"但表格是 {used.code} 年格式（{used.title}）。")
    en = (f"A report on {year} should use the {expected.code} format ({expected.title}), "
          f"but its tables are in the {used.code} format.")
    return [Finding(rule.id, severity, Reason.TEMPLATE_MISMATCH.value, report.source,
                    observed=float(used.code), expected=float(expected.code), message_zh=zh, message_en=en)]


def conformance_findings(report, rules: list[Rule], body: str | None = None,
                         positions: list | None = None) -> list[Finding]:
    """Format findings of ``rules`` for one report.

    ``body`` (``squeeze(report.text)``) and ``positions`` (its ``heading_positions`` for
    the sections rule, ``_sections_rule()``) save the narrative pass computing them twice.
    """
    if body is None:
        body = squeeze(report.text)
    year = title_year(report.text) or report.year
    out = []
    for rule in rules:
        if rule.kind == "text_sections":
            out += _sections(report, rule, body, positions if positions and rule is _sections_rule() else None)
        elif rule.kind == "text_period":
            out += _period(report, rule, body, year)
        elif rule.kind == "template_year":
            out += _template_year(report, rule, year)
    return out
