"""The JSON contract: ``{"reports": [...], "summary": {...}}`` (docs/json.md).

Keys are only ever added. Besides the contract keys, each report carries
``reason_message`` (the reason in words) and each finding ``where`` (its cells named by
printed labels, as the terminal shows them); ``skipped`` lists files passed over.
"""
from __future__ import annotations

import json

from .._api import AuditResult
from .._batch import summary
from ._view import view


def to_json(results: list[AuditResult], lang: str = "zh", *, skipped: list[str] | None = None, **_) -> str:
    reports = []
    for rv in view(results, lang):
        doc = rv.result.to_dict(lang)
        doc["reason_message"] = rv.reason
        for fdoc, fv in zip(doc["findings"], rv.findings):
            fdoc["where"] = fv.cells
        reports.append(doc)
    doc = {"reports": reports, "summary": {**summary(results), "skipped": len(skipped or ())}}
    if skipped:
        doc["skipped"] = list(skipped)
    return json.dumps(doc, ensure_ascii=False, indent=2)
