"""Output formats. ``WRITERS[name](results, lang=..., skipped=...)`` returns the document:
text for text, json, csv and html; bytes for xlsx (which therefore needs a file)."""
from __future__ import annotations

from ._csv import to_csv
from ._html import to_html
from ._json import to_json
from ._text import to_text

WRITERS = {"text": to_text, "json": to_json, "csv": to_csv, "html": to_html}
BINARY = set()

__all__ = ["WRITERS", "BINARY", "to_json", "to_text", "to_csv", "to_html"]
