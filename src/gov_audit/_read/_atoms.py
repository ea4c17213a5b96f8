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
from dataclasses import dataclass, replace

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
_TOKEN = re.compile(
    rf"(?P<num>{_SIGN}?{_NUMBER})(?P<unit>{_UNIT})?"
    r"|(?P<ws>\s+)"
    r"|(?P<text>.)", re.S)
# after a number: "2.没有现成", "1. 属于国家秘密" — the number is (or ends with) the next label's ordinal
_ORDINAL_AFTER = re.compile(r"[.、]\s*(?=[^\d\s.,、/\\|*×—–\-])")
_QUOTES = str.maketrans({c: None for c in "“”\"'‘’「」『』"})
_SPACES = str.maketrans({"\u00a0": " ", "\u3000": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ",
                         "\u200b": "", "\ufeff": ""})


@dataclass(frozen=True)
class Piece:
    """The text of one table cell or one line, with its provenance.

    ``cell``: a table cell — an empty one is a blank cell, not nothing.
    ``label_only``: header text that is a label even where it holds digits (``数据1``).
    ``row``: the printed row the piece belongs to (one table row or one line), so
    the locator can tell rows apart where a row lost its label.
    """

    text: str
    where: str
    cell: bool = False
    label_only: bool = False
    row: str = ""


@dataclass(frozen=True)
class Atom:
    kind: str
    text: str       # normalised text (label) or the number as written, without unit
    raw: str        # what was printed
    where: str
    unit: str = ""
    row: str = ""
    cell: bool = False  # from a table cell (cells are never run together with their neighbours)

    def __repr__(self) -> str:
        return f"{self.kind}:{self.text!r}"


def normalise(text: str) -> str:
    """NFKC (full-width digits and brackets to ASCII), no quotes, no white space."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return re.sub(r"\s+", "", text)


def prepare(text: str) -> str:
    """Printed text as the tokenizer sees it: NFKC, odd spaces made plain spaces."""
    return unicodedata.normalize("NFKC", text.translate(_SPACES))


def atomise(pieces: list[Piece]) -> list[Atom]:
    """The atoms of every piece, in order.

    In a table row, once a value cell has been seen, a later cell holding words
    (``见附件``, ``12（含5件）``) is one ``TEXT`` atom: it keeps its column, and is
    reported as "not a number" rather than silently shifting the cells after it.
    """
    atoms: list[Atom] = []
    valued: set[str] = set()  # table rows that have shown a value cell (not in their first column)
    seen: dict[str, int] = {}  # cells seen per table row
    for piece in pieces:
        text = prepare(piece.text)
        row = piece.row or piece.where
        first = piece.cell and seen.setdefault(row, 0) == 0
        if piece.cell:
            seen[row] += 1
        if not text.strip():
            if piece.cell and not piece.label_only:
                atoms.append(Atom(BLANK, "", piece.text, piece.where, row=row, cell=True))
            continue
        if piece.label_only:
            atoms.append(Atom(LABEL, normalise(text), text.strip(), piece.where, row=row))
            continue
        found = tokenize(text, piece.where, row)
        if not piece.cell:
            atoms.extend(found)
            continue
        if row in valued and any(a.kind == LABEL for a in found):
            atoms.append(Atom(TEXT, normalise(text), text.strip(), piece.where, row=row, cell=True))
            continue
        if not first and all(a.kind in (NUM, PLACEHOLDER) for a in found):  # a first-column number is an ordinal
            valued.add(row)
        atoms.extend(replace(a, cell=True) for a in found)
    return atoms


def tokenize(text: str, where: str = "", row: str = "") -> list[Atom]:
    """The atoms of one piece of prepared text (see ``prepare``)."""
    out: list[Atom] = []
    label: list[str] = []
    raw_label: list[str] = []

    def flush() -> None:
        if label:
            joined = "".join(label)
            words = joined.split()
            if len(words) == 1 and words[0] in PLACEHOLDERS:
                out.append(Atom(PLACEHOLDER, words[0], "".join(raw_label).strip(), where, row=row))
            else:
                norm = normalise(joined)
                if norm:
                    out.append(Atom(LABEL, norm, "".join(raw_label).strip(), where, row=row))
            label.clear()
            raw_label.clear()

    for m in _TOKEN.finditer(text):
        if m.group("num"):
            digits = m.group("num")
            plain = not m.group("unit") and digits.isdigit()
            if plain and _ORDINAL_AFTER.match(text, m.end()):
                # "…3252.没有现成": the last digit is the next row's ordinal, not a value;
                # "1. 属于国家秘密": the whole number is the ordinal.
                if len(digits) > 1:
                    flush()
                    out.append(Atom(NUM, digits[:-1], digits[:-1], where, row=row))
                label.append(digits[-1])
                raw_label.append(digits[-1])
                continue
            flush()
            number = "".join(digits.split()).replace("−", "-")
            out.append(Atom(NUM, number, m.group(0), where, (m.group("unit") or "").strip(), row=row))
        elif m.group("ws"):
            # white space separates numbers and placeholders, but not the parts of a label
            if _is_placeholder(label):
                flush()
            else:
                label.append(" ")
                raw_label.append(m.group(0))
        else:
            ch = m.group("text")
            if _is_placeholder(label) and ch not in "/—–-－":
                flush()
            label.append(ch)
            raw_label.append(ch)
    flush()
    return _split_placeholders(out)


def _is_placeholder(label: list[str]) -> bool:
    # placeholders are short: checking only short labels keeps long lines linear
    return 0 < len(label) <= 8 and "".join(label).strip() in PLACEHOLDERS


def _split_placeholders(atoms: list[Atom]) -> list[Atom]:
    """A label atom like ``/ /`` or ``无 无`` standing alone is a run of placeholders."""
    out = []
    for a in atoms:
        if a.kind == LABEL:
            words = a.raw.split()
            if words and all(w in PLACEHOLDERS for w in words):
                out.extend(Atom(PLACEHOLDER, w, w, a.where, row=a.row) for w in words)
                continue
        out.append(a)
    return out
