"""Output formats. Each writer takes the results and returns text (or writes a file)."""
from __future__ import annotations

from ._json import to_json
from ._text import to_text

WRITERS = {"json": to_json, "text": to_text}

__all__ = ["WRITERS", "to_json", "to_text"]
