"""Turn the text of a report into atoms: labels, numbers, placeholders and blank cells.

Every input form (text, HTML, markdown, DOCX, PDF) is first reduced to *pieces*: the
text of one table cell or one line, in reading order, with where it came from. The
tokenizer below then works the same for all forms. It keeps piece boundaries, so
numbers in separate cells stay separate, while a label broken over two cells or lines
(``商业企`` / ``业``) joins back up. A digit run glued to the next row's ordinal
(``…3252.没有现成`` = ``…325`` + ``2.``) gives its last digit back to the label, and a
row's own ordinal (``1. 属于国家秘密``) is part of its label, never a value.

Numbers are read as printed: full-width digits (NFKC), thousands separators
(``1,234``), signs (``+4``, ``-2``, ``增加4``, ``减少2``) and a unit (``12件``,
``251000元``, ``3.5万元``). ``/``, ``—``, ``无`` and the like are placeholders: a
cell that is not reported, never a zero.
"""
from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from ._memo import per_object

LABEL, NUM, PLACEHOLDER, BLANK = "label", "num", "placeholder", "blank"
TEXT = "text"  # words in a table cell where the row's values are: a value position, not a label

PLACEHOLDERS = frozenset({"/", "／", "//", "—", "——", "—/—", "–", "-", "－", "--", "---", "无", "暂无", "\\", "*",
                          "×", "N/A", "n/a", "NA", "…", "……", "-/-", "/-", "-/"})
UNITS = ("万元", "亿元", "人次", "元", "件", "个", "项", "条", "起", "次", "家", "宗", "%")
# A sign only where it cannot be a range dash ("2019-2020") or a placeholder before a
# value ("- 2" is "-" then 2); a unit after a space only for money ("251000 元").
_SIGN = r"(?:(?:增加|减少)\s?|增|减|(?<![\d.])[+\-−])"
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?"
_UNIT = rf"(?:\s?(?:万元|亿元|元)|{'|'.join(u for u in UNITS if not u.endswith('元'))})"
# Label text is taken a run at a time: a run holds no digit, no white space and no
# character a number can start with (增 减 + - −), so no number can begin inside it and
# the run is exactly what a character-at-a-time scan would have put in the label.
_TOKEN = re.compile(
    rf"(?P<num>{_SIGN}?{_NUMBER})(?P<unit>{_UNIT})?"
    r"|(?P<ws>\s+)"
    r"|(?P<text>[^\d\s增减+\-−]+|.)", re.S)
_LABEL_RUN = re.compile(r"[^\d\s增减+\-−]+")  # one run of label text, as in _TOKEN
# after a number: "2.没有现成", "1. 属于国家秘密" — the number is (or ends with) the next label's ordinal
_ORDINAL_AFTER = re.compile(r"[.、]\s*(?=[^\d\s.,、/\\|*×—–\-])")
_QUOTE_CHARS = "“”\"'‘’「」『』"
_SPACES = str.maketrans({"\u00a0": " ", "\u3000": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ",
                         "\u200b": "", "\ufeff": ""})
# Every character any placeholder is written with: a label holding another one cannot be a placeholder.
_PH_CHARS = frozenset("".join(PLACEHOLDERS))
_DASHES = "/—–-－"  # these continue a placeholder ("—/—") rather than end it
# The ``unit`` of a ``-`` placeholder printed between two digits with no space ("5-233"):
# in a row whose cells ran together it may as well be the sign of the next number (5|-2|33).
GLUED = "glued"


class Piece(NamedTuple):
    """The text of one table cell or one line, with its provenance.

    ``cell``: a table cell — an empty one is a blank cell, not nothing.
    ``label_only``: header text that is a label even where it holds digits (``数据1``).
    ``row``: the printed row the piece belongs to (one table row or one line), so
    the locator can tell rows apart where a row lost its label.

    A named tuple (immutable, like the frozen dataclass it was) because a report makes
    hundreds of pieces and atoms and a tuple is built several times faster.
    """

    text: str
    where: str
    cell: bool = False
    label_only: bool = False
    row: str = ""


class Atom(NamedTuple):
    kind: str
    text: str       # normalised text (label) or the number as written, without unit
    raw: str        # what was printed
    where: str
    unit: str = ""
    row: str = ""
    cell: bool = False  # from a table cell (cells are never run together with their neighbours)

    def __repr__(self) -> str:
        return f"{self.kind}:{self.text!r}"


# Runs of CJK unified ideographs: each is its own NFKC form, takes part in no canonical
# composition and has combining class 0 (checked for the whole block), so NFKC never
# changes them nor acts across them. NFKC of Chinese text is slow (about 150 ns a
# character once any character needs it), so only the text between such runs is normalised.
_CJK_RUNS = re.compile("([\u4e00-\u9fff]+)")


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, faster on Chinese text."""
    if text.isascii() or unicodedata.is_normalized("NFKC", text):
        return text
    parts = _CJK_RUNS.split(text)  # other text at even places, ideograph runs at odd ones
    for i in range(0, len(parts), 2):
        part = parts[i]
        if part and not part.isascii():
            parts[i] = unicodedata.normalize("NFKC", part)
    return "".join(parts)


def normalise(text: str) -> str:
    """NFKC (full-width digits and brackets to ASCII), no quotes, no white space."""
    text = nfkc(text)
    for quote in _QUOTE_CHARS:  # str.replace is many times faster than translate on Chinese text
        if quote in text:
            text = text.replace(quote, "")
    return "".join(text.split())  # str.split() splits on exactly what \s matches


# The template's own strings (row labels and their variants, detection markers) would be
# normalised on every read; each is worked out once.
_SPELLINGS: dict[int, tuple[object, tuple[str, ...]]] = {}


def spellings_of(label) -> tuple[str, ...]:
    """The normalised spellings of a template label (``label.spellings``: printed label first)."""
    return per_object(_SPELLINGS, label, id(label), lambda: tuple(normalise(s) for s in label.spellings))


def prepare(text: str) -> str:
    """Printed text as the tokenizer sees it: NFKC, odd spaces made plain spaces."""
    if text.isascii():  # the translation and NFKC leave ASCII as it is
        return text
    return nfkc(text.translate(_SPACES))


class Group(NamedTuple):  # a tuple: built for every run of labels in a report, so cheap to make
    """A maximal run of label atoms (the text a row label is searched in); see ``_regions``."""

    start: int  # first atom index
    end: int    # one past the last atom
    text: str   # the labels' normalised texts, joined


class _Lexed(NamedTuple):
    """What ``atomise`` needs of one piece's text, worked out once per distinct text."""

    blank: bool
    prepared: str              # the whole text as the tokenizer sees it (``prepare``)
    stripped: str              # the whole text as printed, trimmed
    tokens: tuple              # (kind, text, raw, unit) of each atom
    has_label: bool
    all_values: bool           # every atom a number or placeholder (also when there is none)
    single: tuple | None = None  # the one token, when there is exactly one
    value: tuple | None = None  # ``single`` when a number or placeholder, not glued: a plain value cell
    label: tuple | None = None  # ``single`` when a label


# Cell texts repeat (0, 1, /, the template's labels) within and across reports, so each
# distinct text is tokenized once. Only short texts are kept (a narrative line seldom
# recurs), and the cache is cleared when full, so a long batch cannot grow it.
_CACHE: dict[str, _Lexed] = {}
_CACHE_MAX = 20_000
_CACHED_LEN = 100


def _lexed(raw: str) -> _Lexed:
    found = _CACHE.get(raw)
    if found is not None:
        return found
    if raw.isascii() and raw.isdigit():  # a plain count, the commonest cell: one number
        found = _Lexed(False, raw, raw, ((NUM, raw, raw, ""),), False, True)
    else:
        text = prepare(raw)
        stripped = text.strip()
        if not stripped:
            found = _Lexed(True, text, "", (), False, True)
        elif text[0] not in _PH_CHARS and _LABEL_RUN.fullmatch(text):
            # words only (a row or column label): one label, as ``_lex`` would find
            norm = normalise(text)
            found = _Lexed(False, text, text, ((LABEL, norm, text, ""),) if norm else (), bool(norm), not norm)
        else:
            tokens = _lex(text)
            found = _Lexed(False, text, stripped, tokens, any(t[0] == LABEL for t in tokens),
                           all(t[0] == NUM or t[0] == PLACEHOLDER for t in tokens))
    if len(found.tokens) == 1:
        single = found.tokens[0]
        plain = ((single[0] == NUM or single[0] == PLACEHOLDER) and single[3] != GLUED
                 and not found.has_label and found.all_values)
        found = found._replace(single=single, value=single if plain else None,
                               label=single if single[0] == LABEL else None)
    if len(raw) <= _CACHED_LEN:
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        _CACHE[raw] = found
    return found


def atomise(pieces: list[Piece]) -> list[Atom]:
    """The atoms of every piece, in order.

    In a table row, once a value cell has been seen, a later cell holding words
    (``见附件``, ``12（含5件）``) is one ``TEXT`` atom: it keeps its column, and is
    reported as "not a number" rather than silently shifting the cells after it.
    """
    return atomise_indexed(pieces)[0]


def atomise_indexed(pieces: list[Piece]) -> tuple[list[Atom], list[Group], list[int]]:
    """The atoms (as ``atomise``), with what the locator indexes them by, found on the way.

    Also each maximal run of label atoms as a ``Group`` — the locator's label groups,
    as ``_regions.label_groups`` finds them — and the index of
    every ``-`` glued between digits. Both are gathered here because the loop below
    knows each atom's kind anyway; a second pass over the atoms costs as much again.
    """
    atoms: list[Atom] = []
    add = atoms.append
    new = tuple.__new__  # builds the named tuple without the Python-level __new__: many atoms per report
    valued: set[str] = set()  # table rows that have shown a value cell (not in their first column)
    started: set[str] = set()  # table rows that have shown a cell
    last = None  # the row of the last cell: a row's cells nearly always come together
    last_valued = None  # the row last added to ``valued``
    cache = _CACHE
    runs: list[Group] = []  # each run of labels
    run_start, run_texts = -1, []  # the run of labels still open (-1: none)
    glued: list[int] = []
    for text, where, cell, label_only, row in pieces:
        lexed = cache.get(text) or _lexed(text)
        row = row or where
        if cell:
            if row == last:
                first = False
            else:
                first = row not in started
                if first:
                    started.add(row)
                last = row
            single = lexed.value
            if single is not None and not label_only:  # the commonest piece: a cell holding one value
                if not first and row != last_valued:
                    valued.add(row)
                    last_valued = row
                if run_start >= 0:
                    runs.append(new(Group, (run_start, len(atoms), "".join(run_texts))))
                    run_start = -1
                add(new(Atom, (single[0], single[1], single[2], where, single[3], row, True)))
                continue
            single = lexed.label
            if single is not None and not label_only and row not in valued:  # a cell holding one label
                if run_start < 0:
                    run_start, run_texts = len(atoms), [single[1]]
                else:
                    run_texts.append(single[1])
                add(new(Atom, (LABEL, single[1], single[2], where, single[3], row, True)))
                continue
        if lexed.blank:
            if cell and not label_only:
                if run_start >= 0:
                    runs.append(new(Group, (run_start, len(atoms), "".join(run_texts))))
                    run_start = -1
                add(new(Atom, (BLANK, "", text, where, "", row, True)))
            continue
        if label_only:
            norm = normalise(lexed.prepared)
            if run_start < 0:
                run_start, run_texts = len(atoms), [norm]
            else:
                run_texts.append(norm)
            add(new(Atom, (LABEL, norm, lexed.stripped, where, "", row, False)))
            continue
        if cell:
            if lexed.has_label and row in valued:
                if run_start >= 0:
                    runs.append(new(Group, (run_start, len(atoms), "".join(run_texts))))
                    run_start = -1
                add(new(Atom, (TEXT, normalise(lexed.prepared), lexed.stripped, where, "", row, True)))
                continue
            if not first and lexed.all_values and row != last_valued:
                # not the row's first cell (a first-column number is an ordinal); the row just
                # added need not be added again
                valued.add(row)
                last_valued = row
            single = lexed.single
            if single is not None:  # one atom, as most cells are
                kind = single[0]
                if kind == LABEL:
                    if run_start < 0:
                        run_start, run_texts = len(atoms), [single[1]]
                    else:
                        run_texts.append(single[1])
                elif run_start >= 0:
                    runs.append(new(Group, (run_start, len(atoms), "".join(run_texts))))
                    run_start = -1
                if single[3] == GLUED:
                    glued.append(len(atoms))
                add(new(Atom, (kind, single[1], single[2], where, single[3], row, True)))
                continue
        for kind, t, raw, unit in lexed.tokens:
            if kind == LABEL:
                if run_start < 0:
                    run_start, run_texts = len(atoms), [t]
                else:
                    run_texts.append(t)
            elif run_start >= 0:
                runs.append(new(Group, (run_start, len(atoms), "".join(run_texts))))
                run_start = -1
            if unit == GLUED:
                glued.append(len(atoms))
            add(new(Atom, (kind, t, raw, where, unit, row, True if cell else False)))
    if run_start >= 0:
        runs.append(new(Group, (run_start, len(atoms), "".join(run_texts))))
    return atoms, runs, glued


def tokenize(text: str, where: str = "", row: str = "") -> list[Atom]:
    """The atoms of one piece of prepared text (see ``prepare``)."""
    return [Atom(kind, t, raw, where, unit, row) for kind, t, raw, unit in _lex(text)]


def _lex(text: str) -> tuple:
    """``(kind, text, raw, unit)`` of each atom of prepared text.

    A label is gathered in ``label`` (white space as one space) and ``raw`` (as printed);
    ``size`` is its length. While it holds only placeholder characters it may be a
    placeholder (``/``, ``—/—``), which a following character or space ends; once it holds
    any other character it cannot be one, so runs are appended whole.
    """
    out: list[tuple[str, str, str, str]] = []
    label: list[str] = []
    raw: list[str] = []
    size = 0
    maybe = True  # the label so far holds only placeholder characters and spaces
    num_end = -1  # where the last number ended

    def flush() -> None:
        joined = "".join(label)
        words = joined.split()
        if len(words) == 1 and words[0] in PLACEHOLDERS:
            out.append((PLACEHOLDER, words[0], "".join(raw).strip(), ""))
        elif len(words) > 1 and words[-1] in PLACEHOLDERS:
            # "属于四类过程性信息 — — —": placeholders set off by white space after a label
            # are the row's (blank) values, not part of its label
            k = 1
            while k < len(words) and words[-k - 1] in PLACEHOLDERS:
                k += 1
            head = "".join(raw).strip().rsplit(None, k)[0] if k < len(words) else ""
            norm = normalise(head)
            if norm:
                out.append((LABEL, norm, head, ""))
            out.extend((PLACEHOLDER, w, w, "") for w in words[-k:])
        else:
            norm = normalise(joined)
            if norm:
                out.append((LABEL, norm, "".join(raw).strip(), ""))
        label.clear()
        raw.clear()

    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "text":
            run = m.group()
            if not maybe:
                label.append(run)
                raw.append(run)
                size += len(run)
                continue
            for i, ch in enumerate(run):
                # a placeholder is short: checking only short labels keeps long lines linear
                if 0 < size <= 8 and ch not in _DASHES and "".join(label).strip() in PLACEHOLDERS:
                    flush()
                    size = 0
                label.append(ch)
                raw.append(ch)
                size += 1
                if ch not in _PH_CHARS:
                    maybe = False
                    rest = run[i + 1:]
                    if rest:
                        label.append(rest)
                        raw.append(rest)
                        size += len(rest)
                    break
        elif kind == "ws":
            # white space separates numbers and placeholders, but not the parts of a label
            if maybe and 0 < size <= 8 and "".join(label).strip() in PLACEHOLDERS:
                flush()
                size = 0
            else:
                label.append(" ")
                raw.append(m.group())
                size += 1
        else:
            digits = m.group("num")
            unit = m.group("unit")
            if not unit and digits.isdigit() and _ORDINAL_AFTER.match(text, m.end()):
                # "…3252.没有现成": the last digit is the next row's ordinal, not a value;
                # "1. 属于国家秘密": the whole number is the ordinal.
                if len(digits) > 1:
                    if label:
                        flush()
                        size, maybe = 0, True
                    out.append((NUM, digits[:-1], digits[:-1], ""))
                label.append(digits[-1])
                raw.append(digits[-1])
                size += 1
                maybe = False
                continue
            if label:
                # "5-233": a dash between two digits, glued to both
                glued = (len(raw) == 1 and raw[0] in "-−" and num_end == m.start() - 1
                         and digits[0].isdigit() and out and out[-1][0] == NUM)
                flush()
                size, maybe = 0, True
                if glued and out[-1][0] == PLACEHOLDER:
                    out[-1] = (PLACEHOLDER, "-", raw[0] if raw else "-", GLUED)
            number = "".join(digits.split()).replace("−", "-")
            num_end = m.end()
            out.append((NUM, number, m.group(), unit.strip() if unit else ""))
    if label:
        flush()
    return _split_placeholders(out)


def _split_placeholders(tokens: list[tuple[str, str, str, str]]) -> tuple:
    """A label like ``/ /`` or ``无 无`` standing alone is a run of placeholders."""
    out = []
    for t in tokens:
        if t[0] == LABEL:
            words = t[2].split()
            if words and all(w in PLACEHOLDERS for w in words):
                out.extend((PLACEHOLDER, w, w, "") for w in words)
                continue
        out.append(t)
    return tuple(out)
