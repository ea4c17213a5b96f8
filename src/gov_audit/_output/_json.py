"""The JSON contract: ``{"reports": [...], "summary": {...}}`` (docs/json.md)."""
from __future__ import annotations

import json

from .._api import AuditResult
from .._batch import summary


def to_json(results: list[AuditResult], lang: str = "zh") -> str:
    doc = {"reports": [r.to_dict(lang) for r in results], "summary": summary(results)}
    return json.dumps(doc, ensure_ascii=False, indent=2)
