"""Bytes to text, and what form a file is in."""
from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_GB = {"gb2312", "gbk", "gb_2312-80", "gb_2312", "x-gbk", "gb18030", "cp936", "ms936", "euc-cn", "x-euc-cn", "chinese"}


def decode(data: bytes, declared: str | None = None) -> str:
    """Decode: UTF-8 if the bytes are valid UTF-8, else the declared charset, else detect.

    UTF-8 comes first because it is self-checking: Chinese text in GBK is virtually never
    valid UTF-8, while UTF-8 bytes decode "successfully" as GBK garbage — and pages
    declaring the wrong charset are common. GB2312/GBK declarations are read as GB18030,
    their superset (pages declared GB2312 routinely use GBK characters).
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = _damaged_utf8(data, exc)
        if text is not None:
            return text
    if declared:
        try:
            return data.decode(_alias(declared))
        except (UnicodeDecodeError, LookupError):
            pass
    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        enc = _alias(best.encoding)
        try:
            return data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            return data.decode(enc, "replace")
    try:  # undetectable: most Chinese pages without a declaration are GBK
        return data.decode("gb18030")
    except UnicodeDecodeError:
        from . import input_error  # late: the package imports this module

        raise input_error("binary") from None


def _damaged_utf8(data: bytes, exc: UnicodeDecodeError) -> str | None:
    """UTF-8 cut off mid-character (a truncated download) or with a few damaged bytes.

    Detection would call such a file binary and lose it whole. GBK text decoded as
    UTF-8 fails on nearly every Chinese character, so "a few" (one bad byte per fifty
    good non-ASCII characters) cannot mistake GBK for damaged UTF-8.
    """
    if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
        return data[:exc.start].decode("utf-8")
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) >= 0x80) - bad
    return text if good >= 50 * bad else None


def _alias(enc: str) -> str:
    enc = enc.lower().strip().replace("_", "-") if enc else enc
    return "gb18030" if enc in _GB or enc.replace("-", "_") in _GB else enc


_HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
_MARKDOWN_SUFFIXES = (".md", ".markdown")
_MARKUP = re.compile(rb"<(html|table|body|div|p)\b", re.I)  # (as searching head.lower(), without the copy)
_PIPE_ROW = re.compile(rb"^\s*\|.*\|\s*$", re.M)
HEAD = 200_000  # how much of a file its form is told from


def sniff_form(data: bytes, suffix: str = "") -> str:
    """The form of a file (pdf, docx, html, markdown, text): its content decides, the suffix breaks ties.

    A PDF begins with ``%PDF-`` and a DOCX is a zip (both whatever they are named); a page
    has markup and markdown has pipe-table rows (at least two: a single "|" line is just
    text), also in UTF-16 with a byte-order mark. The suffix decides only what the content
    leaves open: markup and pipe rows both, or neither (a .md or .html file without them),
    or a file named .pdf or .docx that is not text (a damaged one: its reader says how).
    Anything else with NUL bytes is binary.
    """
    if data[:5] == b"%PDF-":
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        return "docx"
    head = data[:HEAD]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # markup and pipes in UTF-16 text: looked for in its UTF-8 (the readers decode the BOM)
        head = head[:len(head) & ~1].decode("utf-16", "replace").encode("utf-8")
        nul = False
    else:
        nul = b"\x00" in head[:4096]
    # (pipe rows are looked for only where they decide: scanning a whole page for them costs
    # more than the rest of sniffing)
    if _MARKUP.search(head):
        return "markdown" if suffix in _MARKDOWN_SUFFIXES and _pipes(head) else "html"
    if _pipes(head):
        return "markdown"
    if suffix in _MARKDOWN_SUFFIXES:
        return "markdown"
    if suffix in _HTML_SUFFIXES:
        return "html"
    if suffix in (".pdf", ".docx") and (nul or not _looks_like_text(head)):
        return suffix[1:]
    if nul:
        from . import input_error  # late: the package imports this module

        raise input_error("binary")
    return "text"


def _pipes(head: bytes) -> bool:
    return len(_PIPE_ROW.findall(head)) >= 2


def _looks_like_text(head: bytes) -> bool:
    """Text in one of the encodings reports come in (a cut-off last character allowed)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF8)):
        return True
    for enc in ("utf-8", "gb18030"):
        try:
            head[:-4].decode(enc)
        except UnicodeDecodeError:
            continue
        return True
    return False
