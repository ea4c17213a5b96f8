"""Turn the text of a report into atoms: labels, numbers, placeholders and blank cells.

Every input form (text, HTML, markdown, DOCX, PDF) is first reduced to *pieces*: the
text of one table cell or one line, in reading order, with where it came from. The
tokenizer below then works the same for all forms. It keeps piece boundaries, so
numbers in separate cells stay separate, while a label broken over two cells or lines
(``商业企`` / ``业``) joins back up. A digit run glued to the next row's ordinal
(``…3252.没有现成`` = ``…325`` + ``2.``) gives its last digit back to the label.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

LABEL, NUM, PLACEHOLDER, BLANK = "label", "num", "placeholder", "blank"

PLACEHOLDERS = {"/", "／", "—", "——", "–", "-", "－", "无", "—/—", "\\", "*", "×", "--", "---"}
_UNITS = "万元|元|件|个|项|条|起|次|家|人次|宗"
_TOKEN = re.compile(
    rf"(?P<num>(?:增加|减少)?[+\-]?\d[\d,，]*(?:\.\d+)?)(?P<unit>{_UNITS})?"
    r"|(?P<ws>\s+)"
    r"|(?P<text>.)", re.S)
_QUOTES = str.maketrans({c: None for c in "“”\"'‘’「」『』"})


@dataclass(frozen=True)
class Piece:
    """The text of one table cell or one line, with its provenance."""

    text: str
    where: str
    cell: bool = False  # a table cell: an empty one is a blank cell, not nothing


@dataclass(frozen=True)
class Atom:
    kind: str
    text: str       # normalised text (label) or the number as written, without unit
    raw: str        # what was printed
    where: str
    unit: str = ""

    def __repr__(self) -> str:
        return f"{self.kind}:{self.text!r}"


def normalise(text: str) -> str:
    """NFKC (full-width digits and brackets to ASCII), no quotes, no white space."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return re.sub(r"\s+", "", text)


def atomise(pieces: list[Piece]) -> list[Atom]:
    atoms: list[Atom] = []
    for piece in pieces:
        text = unicodedata.normalize("NFKC", piece.text.replace("\u00a0", " ").replace("\u3000", " "))
        stripped = text.strip()
        if not stripped:
            if piece.cell:
                atoms.append(Atom(BLANK, "", piece.text, piece.where))
            continue
        atoms.extend(_tokens(text, piece.where))
    return atoms


def _tokens(text: str, where: str) -> list[Atom]:
    out: list[Atom] = []
    label: list[str] = []
    raw_label: list[str] = []

    def flush() -> None:
        if label:
            joined = "".join(label)
            words = joined.split()
            if len(words) == 1 and words[0] in PLACEHOLDERS:
                out.append(Atom(PLACEHOLDER, words[0], "".join(raw_label).strip(), where))
            else:
                norm = normalise(joined)
                if norm:
                    out.append(Atom(LABEL, norm, "".join(raw_label).strip(), where))
            label.clear()
            raw_label.clear()

    matches = list(_TOKEN.finditer(text))
    for k, m in enumerate(matches):
        if m.group("num"):
            nxt = text[m.end():m.end() + 2]
            digits = m.group("num")
            if (not m.group("unit") and re.fullmatch(r"\d+", digits) and len(nxt) == 2
                    and nxt[0] in ".、" and not nxt[1].isdigit() and not nxt[1].isspace()):
                # "…3252.没有现成": the last digit is the next row's ordinal, not a value.
                if len(digits) > 1:
                    flush()
                    out.append(Atom(NUM, digits[:-1], digits[:-1], where))
                label.append(digits[-1])
                raw_label.append(digits[-1])
                continue
            flush()
            out.append(Atom(NUM, digits, m.group(0), where, m.group("unit") or ""))
        elif m.group("ws"):
            # white space separates numbers and placeholders, but not the parts of a label
            if label and label[-1] in PLACEHOLDERS or (label and "".join(label).strip() in PLACEHOLDERS):
                flush()
            else:
                label.append(" ")
                raw_label.append(m.group(0))
        else:
            ch = m.group("text")
            if label and "".join(label).strip() in PLACEHOLDERS and ch not in "/—–-－":
                flush()
            label.append(ch)
            raw_label.append(ch)
    flush()
    return _split_placeholders(out)


def _split_placeholders(atoms: list[Atom]) -> list[Atom]:
    """A label atom like ``/ /`` or ``无`` standing alone is a run of placeholders."""
    out = []
    for a in atoms:
        if a.kind == LABEL:
            words = a.raw.split()
            if words and all(w in PLACEHOLDERS for w in words):
                out.extend(Atom(PLACEHOLDER, w, w, a.where) for w in words)
                continue
        out.append(a)
    return out
