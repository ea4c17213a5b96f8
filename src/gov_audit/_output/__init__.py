"""Output formats. ``WRITERS[name](results, lang=..., skipped=...)`` returns the document:
text for text, json, csv and html; bytes for xlsx (which therefore needs ``-o FILE``)."""
from __future__ import annotations

from .._api import AuditResult
from ._csv import to_csv
from ._html import to_html
from ._json import to_json
from ._text import to_text


def to_xlsx(results: list[AuditResult], lang: str = "zh", **context) -> bytes:
    from ._xlsx import to_xlsx as write  # openpyxl is imported only when a workbook is asked for

    return write(results, lang, **context)


WRITERS = {"text": to_text, "json": to_json, "csv": to_csv, "html": to_html, "xlsx": to_xlsx}


def format_results(results: list[AuditResult], format: str = "text", *, lang: str = "zh",
                   skipped: list[str] | None = None) -> str | bytes:
    """The results as a document: ``text``, ``json``, ``csv``, ``html`` (str) or ``xlsx`` (bytes)."""
    try:
        writer = WRITERS[format]
    except KeyError:
        raise ValueError(f"unknown format {format!r}; known: {', '.join(WRITERS)}") from None
    return writer(results, lang=lang, skipped=skipped)


__all__ = ["WRITERS", "format_results", "to_json", "to_text", "to_csv", "to_html", "to_xlsx"]
