"""Readers: every input form becomes pieces, then atoms, then template cells.

``read(source)`` takes a path, raw bytes or text and returns a :class:`Report`;
it raises :class:`InputError` (with a stable ``reason``) only for input that is not
a report at all. Anything less — a missing cell, a run of digits — becomes a finding.
"""
from __future__ import annotations

import errno
import os
import stat
from operator import itemgetter
from pathlib import Path

from .._errors import InputError
from .._finding import Finding
from .._report import Report
from .._template import Template, get_template
from ._atoms import Piece, atomise_indexed
from ._decode import decode, sniff_form
from ._locate import locate
from ._rowplan import table_codes
from ._meta import detect_template, find_agency, find_year

MAX_BYTES = 50 * 1024 * 1024
_HOW = itemgetter(2)  # CellSource.how, read without a Python-level attribute lookup per cell
REASONS = {
    "empty": ("文件为空。", "The file is empty."),
    "binary": ("文件不是文本、网页、Word 或 PDF 文档。", "The file is not text, HTML, Word or PDF."),
    "too_large": ("文件超过 50 MB，未读取。", "The file is larger than 50 MB and was not read."),
    "not_a_report": ("未找到年度报告的表格（表三）。", "No annual-report tables (table 3) found."),
    "no_text_layer": ("PDF 没有文字层（扫描件），需先做文字识别。", "The PDF has no text layer (a scan); run OCR first."),
    "corrupt": ("文件已损坏，无法打开。", "The file is corrupt and cannot be opened."),
    "not_found": ("找不到该文件。", "File not found."),
    "unreadable": ("无法读取该文件。", "The file cannot be read."),
}


def input_error(reason: str, detail: str = "") -> InputError:
    """The error for ``reason`` (a key of ``REASONS``); its message is both languages, then the detail."""
    zh, en = REASONS[reason]
    return InputError(reason, f"{zh} {en}" + (f" ({detail})" if detail else ""), detail=detail)


def _blank(data: bytes) -> bool:
    """Only white space, also a lone byte-order mark or full-width spaces (an "empty" Notepad file)."""
    if data[:64].strip(b" \t\r\n\x0b\x0c")[:1] not in (b"", b"\xef", b"\xe3"):
        return False  # something else comes first (the usual file): no need to look at all of it
    return not data.replace(b"\xef\xbb\xbf", b"").replace("\u3000".encode(), b"").strip()


def _read_path(path: Path) -> bytes:
    """The bytes of a file; a path that cannot be read raises ``not_found`` or ``unreadable``, never OSError."""
    try:
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            raise input_error("unreadable", f"{path} is a folder")
        if st.st_size > MAX_BYTES:
            raise input_error("too_large", f"{st.st_size} bytes")
        return path.read_bytes()
    except OSError as exc:
        raise path_error(path, exc) from None
    except ValueError as exc:  # "embedded null byte": no file can have such a name
        raise input_error("not_found", f"{path!r}: {exc}") from None


# the path names nothing that can be opened (as opposed to: something there cannot be read)
_NOT_THERE = {errno.ENOENT, errno.ENOTDIR, errno.ENAMETOOLONG, errno.ELOOP}


def path_error(path: str | os.PathLike, exc: OSError) -> InputError:
    """The input error for an ``OSError`` on a user's path: a missing file, a broken link, a name too long…"""
    path = os.fspath(path)
    if exc.errno in (errno.ENOENT, errno.ELOOP) and os.path.islink(path):
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        why = "the link loops" if exc.errno == errno.ELOOP else f"nothing at {target}"
        return input_error("not_found", f"{path}: broken link, {why}")
    if exc.errno == errno.ENOENT:
        return input_error("not_found", path)
    return input_error("not_found" if exc.errno in _NOT_THERE else "unreadable",
                       f"{path}: {exc.strerror or type(exc).__name__}")


def pieces_of(data: bytes, form: str) -> tuple[list[Piece], str]:
    """The pieces of a document and its plain text (for narrative checks)."""
    if form == "html":
        from ._html import html_pieces
        return html_pieces(data)
    if form == "docx":
        from ._docx import docx_pieces
        return docx_pieces(data)
    if form == "pdf":
        from ._pdf import pdf_pieces
        return pdf_pieces(data)
    text = decode(data)
    if form == "markdown":
        from ._markdown import markdown_pieces
        return markdown_pieces(text), text
    from ._text import text_pieces
    return text_pieces(text), text


def read(source: str | os.PathLike | bytes, *, name: str | None = None, form: str | None = None,
         template: str | Template | None = None) -> Report:
    """Read one report from a path, bytes or a text string."""
    if isinstance(source, (bytes, bytearray)):
        data, label, suffix = bytes(source), name or "<bytes>", ""
    elif isinstance(source, os.PathLike) or (isinstance(source, str) and "\n" not in source and len(source) < 4096
                                             and Path(source).suffix and not source.lstrip().startswith("<")):
        path = Path(source)
        label, suffix = name or str(path), path.suffix.lower()
        data = _read_path(path)
    else:
        data, label, suffix = str(source).encode("utf-8"), name or "<text>", ""
    if name and not suffix:  # bytes or text with a file name: its suffix breaks ties as a path's would
        suffix = Path(name).suffix.lower()
    if _blank(data):
        raise input_error("empty")
    if len(data) > MAX_BYTES:
        raise input_error("too_large", f"{len(data)} bytes")
    form = form or sniff_form(data, suffix)
    pieces, text = pieces_of(data, form)
    return from_pieces(pieces, text, source=label, form=form, template=template)


def from_pieces(pieces: list[Piece], text: str, *, source: str, form: str,
                template: str | Template | None = None) -> Report:
    atoms, groups, glued_at = atomise_indexed(pieces)
    year = find_year(text)
    if template is None:
        tpl, _ = detect_template(text, year)
    else:
        tpl = template if isinstance(template, Template) else get_template(template)
    located = locate(atoms, tpl, groups=groups, glued_at=glued_at)
    cells, provenance = located.values, located.sources
    if all(provenance[c].how == "missing" for c in table_codes(tpl, "t3")) and \
            all(s.how == "missing" for s in provenance.values()):
        # nothing of the tables at all. (Table 3 unreadable but table 2 read — digits run
        # together past splitting — is a report whose table 3 could not be read: partial.)
        raise input_error("not_a_report")
    hows = list(map(_HOW, provenance.values()))
    # a cell left unread — not found, or digits that could not be split — makes the report partial
    missing = hows.count("missing")
    if "ambiguous" in hows:
        missing += sum(s.how == "ambiguous" and cells[c] is None for c, s in provenance.items())
    findings = [Finding(p.rule or f"read.{p.reason}", p.severity, p.reason, source, p.cells,
                        tuple(tpl.cells[c].describe() for c in p.cells), message_zh=p.zh, message_en=p.en)
                for p in located.problems]
    status = "ok" if missing == 0 else "partial"
    return Report(source, tpl.code, cells, year, find_agency(text), form, status,
                  "" if status == "ok" else f"{missing} cells not found", provenance, findings, text)


__all__ = ["read", "from_pieces", "REASONS", "input_error", "path_error", "Piece"]
