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


def sniff_form(data: bytes, suffix: str = "") -> str:
    if data[:5] == b"%PDF-" or suffix == ".pdf":
        return "pdf"
    if data[:4] == b"PK\x03\x04" or suffix == ".docx":
        return "docx"
    if suffix in (".html", ".htm", ".shtml", ".xhtml"):
        return "html"
    if suffix in (".md", ".markdown"):
        return "markdown"
    head = data[:200000]
    if re.search(rb"<(html|table|body|div|p)\b", head.lower()):
        return "html"
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        from . import input_error  # late: the package imports this module

        raise input_error("binary")
    # markdown: at least two pipe-table rows (a single "|" line is just text)
    if len(re.findall(rb"^\s*\|.*\|\s*$", head, re.M)) >= 2:
        return "markdown"
    return "text"
