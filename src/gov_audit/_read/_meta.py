"""Report-level facts read from the text: year, agency, template."""
from __future__ import annotations

import re
import unicodedata

from .._template import Template, template_for_year, templates
from ._atoms import normalise

_TITLE = re.compile(r"([\u4e00-\u9fff（）()·、\w]{2,40}?)[（(]?(20\d\d)[)）]?年(?:度)?(?:[\u4e00-\u9fff]{0,12}?)"
                    r"政府信息公开(?:工作)?(?:年度)?报告")
_TITLE_YEAR_FIRST = re.compile(r"(20\d\d)年(?:度)?([\u4e00-\u9fff（）()·、]{2,40}?)政府信息公开(?:工作)?(?:年度)?报告")
_AGENCY_LAST = re.compile(r"([\u4e00-\u9fff（）()·、]{2,40}?)政府信息公开工作(20\d\d)年(?:度)?报告")
_PERIOD = re.compile(r"统计期限[^0-9]{0,12}(20\d\d)年1月1日")
_NOISE = ("标题", "当前位置", "首页", "来源", "发布", "时间")


def find_year(text: str) -> int | None:
    head = unicodedata.normalize("NFKC", text[:20000])
    for pattern, group in ((_PERIOD, 1), (_TITLE, 2), (_TITLE_YEAR_FIRST, 1), (_AGENCY_LAST, 2)):
        m = pattern.search(head)
        if m:
            return int(m.group(group))
    m = re.search(r"(20\d\d)年", head)
    return int(m.group(1)) if m else None


def find_agency(text: str) -> str | None:
    head = unicodedata.normalize("NFKC", text[:20000])
    for line in head.splitlines():
        line = re.sub(r"^\s*(标题|title)\s*[:：]\s*", "", line.strip())
        for pattern, g in ((_TITLE, 1), (_TITLE_YEAR_FIRST, 2), (_AGENCY_LAST, 1)):
            m = pattern.search(line)
            if m:
                agency = m.group(g).strip("（）() ·、")
                agency = re.sub(r"^.*?(?:" + "|".join(_NOISE) + r")[:：]?", "", agency) or agency
                if len(agency) >= 2 and not agency.startswith("关于"):
                    return agency
    return None


def detect_template(text: str, year: int | None) -> tuple[Template, dict[str, int]]:
    """Pick the template whose own labels appear most; the report year breaks ties."""
    norm = normalise(text)
    scores = {}
    for code, t in templates().items():
        scores[code] = sum(normalise(m) in norm for m in t.own_markers) - sum(normalise(m) in norm for m in t.foreign_markers)
    best = max(scores.values())
    leaders = [c for c, s in scores.items() if s == best]
    if len(leaders) == 1 and best > 0:
        return templates()[leaders[0]], scores
    if year is not None:
        return template_for_year(year), scores
    return templates()[leaders[-1]], scores
