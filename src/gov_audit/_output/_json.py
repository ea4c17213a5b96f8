"""The JSON contract: ``{"reports": [...], "summary": {...}}`` (docs/json.md).

Keys are only ever added. Besides the contract keys, each report carries
``reason_message`` (the reason in words) and each finding ``where`` (its cells named by
printed labels, as the terminal shows them); ``skipped`` lists files passed over.

The document is written as ``json.dumps(doc, ensure_ascii=False, indent=2)`` would write
it, byte for byte. With ``indent`` the standard library falls back to its pure-Python
encoder (one generator step per value; a batch has ~200 cells a report), so orjson writes
it (same layout, same escapes; about a tenth of the time), unless the text holds a float
orjson writes differently (|x| < 1e-4: ``1e-7`` where Python writes ``1e-07``) or orjson
refuses the document (an integer beyond 64 bits, a key that is not a string, a lone
surrogate): then, and when orjson is not installed, ``json.dumps`` itself. Two deliberate
differences from ``json.dumps``: a non-finite float (``NaN``/``Infinity`` there, which is
not JSON) is written as ``null``, as orjson writes it; and a lone surrogate (the bytes of a
file name that is not UTF-8, which no UTF-8 text can hold) is written as the byte, ``\\xff``.

Names (``source``, ``related.report``, ``skipped``) are as every output shows them
(``_view.printable``: control characters and bytes that were not UTF-8 escaped), and so is
the text of the messages (``_view.writable``).
"""
from __future__ import annotations

import json
import math
import re

try:
    import orjson
except ImportError:  # an accelerator only: json.dumps gives the same text
    orjson = None

from .._api import AuditResult
from .._batch import summary
from ._view import printable, printable_all, view, writable


def to_json(results: list[AuditResult], lang: str = "zh", *, skipped: list[str] | None = None, **_) -> str:
    reports = []
    for rv in view(results, lang):
        doc = rv.result.to_dict(lang)
        doc["source"] = rv.source
        doc["reason_message"] = rv.reason
        for fdoc, fv in zip(doc["findings"], rv.findings):
            fdoc["where"] = fv.cells
            if fv.message is not fdoc["message"]:  # the view escaped something (it leaves clean text as it is)
                fdoc["message"] = fv.message
                fdoc["message_zh"], fdoc["message_en"] = writable(fdoc["message_zh"]), writable(fdoc["message_en"])
            if fdoc["related"]:
                fdoc["related"]["report"] = printable(fdoc["related"]["report"])
        reports.append(doc)
    doc = {"reports": reports, "summary": {**summary(results), "skipped": len(skipped or ())}}
    if skipped:
        doc["skipped"] = printable_all(skipped)
    return dumps(doc)


# Where orjson writes a float other than ``float.__repr__`` does (only ever |x| < 1e-4).
_ORJSON_FLOAT = re.compile(rb"e-\d(?!\d)")


def dumps(obj) -> str:
    """``json.dumps(obj, ensure_ascii=False, indent=2)``, fast; non-finite floats as ``null``."""
    if orjson is not None:
        try:
            data = orjson.dumps(obj, option=orjson.OPT_INDENT_2)
        except orjson.JSONEncodeError:
            data = None
        # two plain substring scans first: the regex alone would be several times slower
        if data is not None and b"0.0000" not in data and not (b"e-" in data and _ORJSON_FLOAT.search(data)):
            return data.decode("utf-8")
    try:
        text = json.dumps(obj, ensure_ascii=False, indent=2, allow_nan=False)
    except ValueError:  # a NaN or infinity somewhere: written as null
        text = json.dumps(_finite(obj), ensure_ascii=False, indent=2)
    if _SURROGATE.search(text):  # not UTF-8: no file or pipe could take it (orjson refused it too)
        text = _SURROGATE.sub(_escaped, text)
    return text


# A lone surrogate left in the text (an agency, a label): written as ``printable`` shows it, a
# backslash then ``xff``, which a JSON string spells with its backslash doubled.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escaped(m: re.Match) -> str:
    return printable(m.group()).replace("\\", "\\\\")


def _finite(o):
    """``o`` with every non-finite float replaced by None (tuples become lists, as json writes them)."""
    if isinstance(o, float):
        return o if math.isfinite(o) else None
    if isinstance(o, dict):
        return {k: _finite(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_finite(v) for v in o]
    return o
