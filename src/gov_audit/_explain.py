"""Words for localisation results (Chinese first, English alongside), and cell geometry.

Kept apart from ``_localise`` so that the solver stays about numbers. A suggestion is
always phrased as what *would* satisfy the identities, with the slip as a question;
ties are listed as ties.
"""
from __future__ import annotations

from . import _typos
from ._messages import fmt
from ._read._memo import per_object
from ._template import Template, get_template

MAX_LISTED = 5
Line = tuple[str, ...]
_GEOMETRY: dict = {}  # id(template) -> (template, code -> (row line, column line, neighbours))


def _geometry(template: Template) -> dict[str, tuple[Line, Line, Line]]:
    # Per Template object, not per code: a changed GOV_AUDIT_RULES loads new templates.
    return per_object(_GEOMETRY, template, id(template), lambda: _build_geometry(template))


def _build_geometry(template: Template) -> dict[str, tuple[Line, Line, Line]]:
    out = {}
    for code in template.codes:
        t, row, col = code.split(".")
        table = template.tables[t]
        cols = table.row_columns[row]
        rows = [r for r in table.rows if col in table.row_columns[r]]
        row_line = tuple(f"{t}.{row}.{c}" for c in cols)
        col_line = tuple(f"{t}.{r}.{col}" for r in rows)
        i, j = cols.index(col), rows.index(row)
        near = tuple([row_line[k] for k in (i - 1, i + 1) if 0 <= k < len(row_line)]
                     + [col_line[k] for k in (j - 1, j + 1) if 0 <= k < len(col_line)])
        out[code] = (row_line, col_line, near)
    return out


def lines(code: str, template: Template) -> tuple[Line, Line]:
    """The cells of ``code``'s printed row and of its printed column, in printed order."""
    row_line, col_line, _ = _geometry(template)[code]
    return row_line, col_line


def neighbour_codes(code: str, template: Template) -> Line:
    """The cells printed next to ``code``: left, right, above, below."""
    return _geometry(template)[code][2]


def _where(code: str, template: Template, lang: str) -> str:
    return template.cells[code].describe(lang)


def _change(ch, template: Template, lang: str, *, verb: bool = True) -> str:
    where = _where(ch.code, template, lang)
    slip = _typos.label(ch.story, lang)
    if lang == "zh":
        if ch.value is None:
            return f"{where}（印为 {fmt(ch.printed)}，应改为多少无法由勾稽关系唯一确定）"
        return f"{where} 由 {fmt(ch.printed)} 改为 {fmt(ch.value)}" + (f"（{slip}）" if slip else "")
    if ch.value is None:
        return f"{where} (printed {fmt(ch.printed)}; the identities do not fix its value)"
    return f"{where} {fmt(ch.printed)} → {fmt(ch.value)}" + (f" ({slip})" if slip else "")


def _alternative(e, template: Template, lang: str) -> str:
    sep = "，同时" if lang == "zh" else ", together with "
    text = sep.join(_change(c, template, lang) for c in e.changes)
    if e.pattern:
        slip = _typos.label(e.pattern, lang)
        text += f"（{slip}）" if lang == "zh" else f" ({slip})"
    return text


def _count(loc) -> int:
    return sum(not n.startswith("bad[") for n in loc.failing)


def message(loc, lang: str = "zh") -> str:
    """One paragraph: what would fix the failures, and how sure that is."""
    if not loc.explanations:
        return ""
    template = get_template(loc.template)
    n = _count(loc)
    if not loc.ambiguous:
        e = loc.explanations[0]
        text = (_single(e, n, template, lang) if len(e.changes) == 1 and e.changes[0].value is not None
                else _several(e, n, loc.size, template, lang, only=not loc.preferred))
        return text + _others(loc, lang) if loc.preferred else text
    listed = loc.explanations[:MAX_LISTED]
    more = len(loc.explanations) - len(listed)
    alts = ("；" if lang == "zh" else "; ").join(_alternative(e, template, lang) for e in listed)
    if lang == "zh":
        head = f"无法唯一确定哪一格有误：以下任一种改动{_outcome(n, 'zh', 'any')}——"
        tail = f"；另有 {more} 种" if more else ""
        tail += "；可能还有更多同样少改动的解释" if not loc.complete else ""
        text = f"{head}{alts}{tail}。"
        if loc.one_identity:
            text += "这些格只出现在同一组勾稽关系中，单凭勾稽关系无法区分是哪一格。"
        return text
    head = f"Cannot tell which cell is wrong: any one of these changes {_outcome(n, 'en', 'any')} — "
    tail = f"; {more} more" if more else ""
    tail += "; there may be further equally small explanations" if not loc.complete else ""
    text = _end(f"{head}{alts}{tail}")
    if loc.one_identity:
        text += " These cells appear only in the same identities, so the identities cannot single one out."
    return text


def _others(loc, lang: str) -> str:
    """For a preferred explanation: the equally small alternatives exist, but look like no slip."""
    k = len(loc.explanations) - 1
    if lang == "zh":
        return f"（另有 {k} 种同样少改动的改法，但都不像常见的笔误，可能性较低。）"
    return f" ({k} other equally small change{'s' if k > 1 else ''} exist, none looking like a common slip.)"


def _single(e, n: int, template: Template, lang: str) -> str:
    ch = e.changes[0]
    where, slip = _where(ch.code, template, lang), _typos.label(ch.story, lang)
    what = _outcome(n, lang, "one")
    if lang == "zh":
        return f"{where} 印为 {fmt(ch.printed)}；改为 {fmt(ch.value)} {what}" + (f"——{slip}" if slip else "") + "。"
    return _end(f"{where} is printed {fmt(ch.printed)}; {fmt(ch.value)} {what}" + (f" — {slip}" if slip else ""))


# What the changes achieve, in each sentence that says it: (language, sentence) → the words
# when several identities fail, when one does, and when none does (only a negative or
# fractional cell fails). ``{n}`` is the number of failing identities, ``{all}`` "both"/"all n".
_OUTCOMES: dict[tuple[str, str], tuple[str, str, str]] = {
    ("zh", "one"): ("可同时满足 {n} 条不成立的勾稽关系", "可使这条勾稽关系成立", "即可通过检查"),
    ("zh", "any"): ("都能使全部 {n} 条不成立的勾稽关系成立", "都能使这条勾稽关系成立", "都能通过检查"),
    ("zh", "least"): ("才能使全部 {n} 条不成立的勾稽关系成立", "才能使这条勾稽关系成立", "才能通过检查"),
    ("zh", "slip"): ("可解释全部 {n} 条不成立的勾稽关系", "可解释这条不成立的勾稽关系", "可解释这些不通过的检查"),
    ("en", "one"): ("would satisfy {all} failing identities", "would make the identity hold", "would pass the checks"),
    ("en", "any"): ("satisfies {all} failing identities", "makes the identity hold", "passes the checks"),
    ("en", "least"): ("for {all} failing identities to hold", "for the failing identity to hold",
                      "to pass the checks"),
    ("en", "slip"): ("explains {all} failing identities", "explains the failing identity",
                     "explains the failed checks"),
}


def _outcome(n: int, lang: str, sentence: str) -> str:
    """What the changes achieve, for ``n`` failing identities (see ``_OUTCOMES``)."""
    words = _OUTCOMES[lang, sentence][0 if n > 1 else 1 if n == 1 else 2]
    return words.format(n=n, all="both" if n == 2 else f"all {n}")


def _end(text: str) -> str:
    """A full stop, unless the sentence ends in a question already."""
    return text if text.endswith(("?", ".")) else text + "."


def _several(e, n: int, size: int, template: Template, lang: str, only: bool = True) -> str:
    body = ("；" if lang == "zh" else "; ").join(_change(c, template, lang) for c in e.changes)
    slip = _typos.label(e.pattern, lang)
    if lang == "zh":
        which = "唯一的这种改法是" if only else "最像笔误的改法是"
        head = f"至少要改动 {size} 格{_outcome(n, lang, 'least')}，{which}：" if not e.pattern else \
            f"{slip[2:] if slip.startswith('疑为') else slip}{_outcome(n, lang, 'slip')}："
        return f"{head}{body}" + (f"——{slip}" if e.pattern else "") + "。"
    which = "the only such change is" if only else "the one that looks like a slip is"
    head = (f"At least {size} cells must change {_outcome(n, lang, 'least')}; {which}: "
            if not e.pattern else f"One slip {_outcome(n, lang, 'slip')}: ")
    return _end(f"{head}{body}" + (f" — {slip}" if e.pattern else ""))
