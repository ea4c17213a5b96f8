"""Report-level facts read from the text: year, agency, template.

The report year comes first from the statistics-period sentence (``本报告所列数据统计
期限自2019年1月1日起``), which every report prints, then from the title. The agency
comes from the title, in any of its three word orders, looked for in the first lines
of the text. Titles are often broken over two lines (PDF, Word-pasted headings) and
spaced around the year (``沐阳县人民政府 2025 年 政府信息公开…``), so each line is also
tried joined with the next, and spaces next to digits are dropped.
"""
from __future__ import annotations

import functools
import re
import unicodedata

from .._resources import rules_dir
from .._rules import period_wordings, period_words
from .._template import Template, template_for_year, templates
from ._atoms import _QUOTE_CHARS, nfkc, normalise
from ._memo import per_object

_NAME = r"[\u4e00-\u9fff（）()·、]"
_REPORT = r"政府信息公开(?:工作)?(?:年度)?(?:工作)?报告"
_TITLES = (  # (pattern, agency group, year group)
    (re.compile(rf"({_NAME}{{2,40}}?)[（(]?(20\d\d)[)）]?年(?:度)?{_NAME}{{0,12}}?{_REPORT}"), 1, 2),
    (re.compile(rf"(20\d\d)年(?:度)?({_NAME}{{2,40}}?){_REPORT}"), 2, 1),
    (re.compile(rf"({_NAME}{{2,40}}?)政府信息公开工作(20\d\d)年(?:度)?报告"), 1, 2),
)
_PREFIX = re.compile(r"^\s*(?:#+|标题|title|名称|题目)\s*[:：]?\s*", re.I)
_NOISE = re.compile(r"^.*?(?:标题|当前位置|首页|来源|发布|时间|现将|关于|印发|公布)[:：]?")
_HEAD_LINES = 200
_HEAD_CHARS = 20000


_DIGITS = re.compile(r"\s*(\d+)\s*(年)?\s*")
_TITLE_WORDS = "政府信息公开"  # every title pattern holds it: a line without it is not searched
# The last text, its NFKC form and that without white space: year and template both need them.
_folded_last: tuple[str | None, str, str | None] = (None, "", None)


def _join_digits(m: re.Match) -> str:
    return m.group(1) + (m.group(2) or "")


def _squeeze(line: str) -> str:
    """NFKC, and no spaces next to digits or 年 (``2025 年`` → ``2025年``)."""
    line = nfkc(line).replace("\u3000", " ")
    return _DIGITS.sub(_join_digits, line).strip()


def _folded(text: str) -> str:
    """NFKC of a whole text, kept for the next caller (NFKC of Chinese text is slow)."""
    global _folded_last
    last = _folded_last  # one tuple, read and replaced whole: safe to share between threads
    if last[0] is not text:
        last = _folded_last = (text, _nfkc(text), None)
    return last[1]


def _squeezed(text: str) -> str:
    """NFKC of a whole text without its white space, kept for the next caller."""
    global _folded_last
    folded = _folded(text)
    last = _folded_last
    if last[0] is not text or last[2] is None:
        last = _folded_last = (text, folded, "".join(folded.split()))
    return last[2]


# NFKC of the cells and lines of a report's text, which recur across reports (labels).
_NFKC: dict[str, str] = {}


# Full-width ASCII and the ideographic space: in nearly every report (（），：；), and each is
# compatibility-equivalent to the one ASCII character it folds to.
_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")
_COMMON_WIDE = "（），：；\u3000"
_FULL_WIDTH_FOLDED = {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in [*range(0xFF01, 0xFF5F), 0x3000]}


def _nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, quickly for the usual report.

    First the full-width characters are replaced by what they fold to. Each has the same
    compatibility decomposition as its replacement (checked for all of them), so the
    result has the same NFKC as the text; when the result is already in NFKC (the quick
    check, a few microseconds), it *is* the NFKC of the text.

    Otherwise a line and a cell at a time: a line break or tab never combines with its
    neighbours nor comes out of a normalisation (checked for every code point), so
    normalising the pieces between them gives the same text; the pieces are cached and
    ASCII ones need nothing.
    """
    if text.isascii():
        return text
    quick = text
    for wide in _COMMON_WIDE:  # most reports hold no others: then no search for them is needed
        if wide in quick:
            quick = quick.replace(wide, _FULL_WIDTH_FOLDED[wide])
    if unicodedata.is_normalized("NFKC", quick):
        return quick
    for wide in set(_FULL_WIDTH.findall(quick)):
        quick = quick.replace(wide, _FULL_WIDTH_FOLDED[wide])
    if unicodedata.is_normalized("NFKC", quick):
        return quick
    cache = _NFKC
    lines = []
    for line in text.split("\n"):
        if not line.isascii():
            cells = []
            for cell in line.split("\t"):
                if not cell.isascii():
                    folded = cache.get(cell)
                    if folded is None:
                        folded = nfkc(cell)
                        if len(cell) <= 100:  # short texts recur (labels); lines of narrative seldom do
                            if len(cache) >= 20_000:
                                cache.clear()
                            cache[cell] = folded
                    cell = folded
                cells.append(cell)
            line = "\t".join(cells)
        lines.append(line)
    return "\n".join(lines)


def _title_lines(text: str):
    """The first lines of the text, each alone and joined with the next (titles break over lines).

    Lazily, in order: a title is nearly always in the first few lines, so most lines are
    never squeezed.
    """
    prev = None
    for raw in text[:_HEAD_CHARS].splitlines()[:_HEAD_LINES]:
        line = _PREFIX.sub("", _squeeze(raw))
        if not line:
            continue
        if prev is not None:
            yield prev + line
        yield line
        prev = line


def _titles(text: str):
    """(agency, year) of every title-like line, in order."""
    for line in _title_lines(text):
        if _TITLE_WORDS not in line:
            continue
        for pattern, ga, gy in _TITLES:
            m = pattern.search(line)
            if m:
                yield m.group(ga), int(m.group(gy))
                break


def title_year(text: str) -> int | None:
    """The year in the report's title (the first title-like line), or None."""
    for _, year in _titles(text):
        return year
    return None


@functools.lru_cache(maxsize=8)
def _period_pattern(folder: str) -> re.Pattern:
    """The 统计期限 sentence (``统计期限自2019年1月1日``), its year in group 1.

    The words after 统计 are the text.period rule's ``wordings`` (rules/checks/narrative.yaml),
    the one list of them; compiled once per rules folder.
    """
    words = period_wordings(folder)
    opening = f"统计{period_words(words)}?" if words else "统计"
    return re.compile(rf"{opening}[^0-9。；;]{{0,12}}?(20\d\d)年0?1月0?1日")


def find_year(text: str) -> int | None:
    head = _squeezed(text) if len(text) <= _HEAD_CHARS * 2 else "".join(_folded(text[:_HEAD_CHARS * 2]).split())
    m = _period_pattern(str(rules_dir())).search(head)
    if m:
        return int(m.group(1))
    year = title_year(text)
    if year is not None:
        return year
    m = re.search(r"(20\d\d)年度", head) or re.search(r"(20\d\d)年", head)
    return int(m.group(1)) if m else None


def find_agency(text: str) -> str | None:
    for agency, _ in _titles(text):
        agency = _NOISE.sub("", agency).strip("（）() ·、")
        if len(agency) >= 2:
            return agency
    return None


_MARKERS: dict[int, tuple[Template, tuple[tuple[str, ...], tuple[str, ...]]]] = {}


def _markers(t: Template) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A template's own and foreign markers, normalised once per template."""
    return per_object(_MARKERS, t, id(t), lambda: (tuple(normalise(m) for m in t.own_markers),
                                                  tuple(normalise(m) for m in t.foreign_markers)))


def detect_template(text: str, year: int | None) -> tuple[Template, dict[str, int]]:
    """Pick the template whose own labels appear most; the report year breaks ties."""
    # normalise(text): NFKC (idempotent: the NFKC form is its own), no white space, no quotes
    norm = _squeezed(text)
    for quote in _QUOTE_CHARS:
        if quote in norm:
            norm = norm.replace(quote, "")
    scores = {}
    known = templates()
    for code, t in known.items():
        own, foreign = _markers(t)
        scores[code] = sum(m in norm for m in own) - sum(m in norm for m in foreign)
    best = max(scores.values())
    leaders = [c for c, s in scores.items() if s == best]
    if len(leaders) == 1 and best > 0:
        return known[leaders[0]], scores
    expected = template_for_year(year) if year is not None else None
    if expected is not None:
        return expected, scores
    return known[leaders[-1]], scores
