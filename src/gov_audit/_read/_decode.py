"""Bytes to text, and what form a file is in."""
from __future__ import annotations

import re

from charset_normalizer import from_bytes

from .._errors import InputError


def decode(data: bytes, declared: str | None = None) -> str:
    """Decode with the declared charset, else UTF-8, else detect (GBK/GB18030 pages)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for enc in (declared, "utf-8"):
        if enc:
            try:
                return data.decode(_alias(enc))
            except (UnicodeDecodeError, LookupError):
                pass
    best = from_bytes(data).best()
    if best is None:
        raise InputError("binary", "文件不是可识别的文本。 The file is not readable text.")
    return str(best)


def _alias(enc: str) -> str:
    enc = enc.lower().strip()
    return "gb18030" if enc in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "gb18030") else enc


def sniff_form(data: bytes, suffix: str = "") -> str:
    if data[:5] == b"%PDF-" or suffix == ".pdf":
        return "pdf"
    if data[:4] == b"PK\x03\x04" or suffix == ".docx":
        return "docx"
    head = data[:200000].lower()
    if suffix in (".html", ".htm", ".shtml", ".xhtml") or re.search(rb"<(html|table|body|div|p)\b", head):
        return "html"
    if b"\x00" in data[:4096]:
        raise InputError("binary", "文件不是文本、网页、Word 或 PDF 文档。 The file is not text, HTML, Word or PDF.")
    if suffix in (".md", ".markdown") or re.search(rb"^\s*\|.*\|\s*$", data[:200000], re.M):
        return "markdown"
    return "text"
