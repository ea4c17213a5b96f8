"""The JSON contract: ``{"reports": [...], "summary": {...}}`` (docs/json.md).

Keys are only ever added. Besides the contract keys, each report carries
``reason_message`` (the reason in words) and each finding ``where`` (its cells named by
printed labels, as the terminal shows them); ``skipped`` lists files passed over.

The document is written as ``json.dumps(doc, ensure_ascii=False, indent=2)`` would write
it, byte for byte, but much faster: with ``indent`` the standard library falls back to
its pure-Python encoder, one generator step per value, and a batch has ~200 cells a
report. ``dumps`` asks orjson first (same layout, same escapes; with the checks below
and decoding, about a tenth of ``json.dumps``'s time) and keeps its text unless it holds a float that orjson writes differently
(|x| < 1e-4: ``0.00001`` or ``1e-7`` where Python writes ``1e-05``, ``1e-07``) or
orjson refuses the document (an integer beyond 64 bits, a key that is not a string).
Then — or when orjson is not installed — a stdlib writer walks the nesting in Python and
hands each flat container to the C encoder, whose item separator carries the line break
and indentation (about 2.5 times faster than ``json.dumps``). One deliberate
difference from ``json.dumps``: a non-finite float (``NaN``/``Infinity`` there, which is
not JSON) is written as ``null``, as orjson writes it.
"""
from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from json.encoder import c_make_encoder

try:
    import orjson
except ImportError:  # an accelerator only: the stdlib writer gives the same text
    orjson = None

from .._api import AuditResult
from .._batch import summary
from ._view import view

INDENT = "  "
_CONTAINERS = (dict, list, tuple)
_encode_str = json.encoder.encode_basestring  # the C function when available (no ASCII escaping)


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
    return stdlib_dumps(obj)


def stdlib_dumps(obj) -> str:
    """``dumps`` without orjson: the same text."""
    out: list[str] = []
    _write(obj, 0, out)
    return "".join(out)  # one copy of the whole text: joining at every level would copy it per level


@lru_cache(maxsize=64)
def _flat_encoder(level: int):
    """Writes a container of scalars at nesting ``level``, one item a line: ``enc(o) -> chunks``.

    The C encoder is made once per level and called directly; ``JSONEncoder.encode``
    would build it afresh for every container (a few microseconds, and there are ~10 a
    report). ``allow_nan=False``: a NaN or infinity raises ValueError, and ``_flat`` then
    writes that container item by item.
    """
    item_sep = ",\n" + INDENT * (level + 1)
    if c_make_encoder is None:  # no C accelerator: the standard encoder, same output
        encoder = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(item_sep, ": "))
        return lambda o: list(encoder.iterencode(o))
    encode = c_make_encoder(None, _not_serializable, _encode_str, None, ": ", item_sep, False, False, False)
    return lambda o: encode(o, 0)


def _not_serializable(o):
    return json.JSONEncoder.default(None, o)  # the standard TypeError


def _write(o, level: int, out: list[str]) -> None:
    if isinstance(o, dict):
        if not o:
            out.append("{}")
        elif not (_is_flat(o.values()) and _flat(o, level, out)):
            _write_dict(o, level, out)
    elif isinstance(o, (list, tuple)):
        if not o:
            out.append("[]")
        elif not (_is_flat(o) and _flat(o, level, out)):
            _write_list(o, level, out)
    else:
        out.append(_scalar(o))


def _scalar(o) -> str:
    t = type(o)
    if t is str:
        return _encode_str(o)
    if o is None:
        return "null"
    if t is int:
        return int.__repr__(o)
    if t is float:
        return float.__repr__(o) if math.isfinite(o) else "null"
    if t is bool:
        return "true" if o else "false"
    if isinstance(o, float) and not math.isfinite(o):
        return "null"
    return "".join(_flat_encoder(0)(o))  # subclasses, and the standard TypeError for others


def _is_flat(values) -> bool:
    return not any(issubclass(t, _CONTAINERS) for t in set(map(type, values)))


def _flat(o, level: int, out: list[str]) -> bool:
    """Write a flat container in one C call; False (nothing written) if it holds a non-finite float."""
    try:
        chunks = _flat_encoder(level)(o)  # the C encoder converts non-string keys as json.dumps does
    except ValueError:
        return False
    text = chunks[0] if len(chunks) == 1 else "".join(chunks)
    # the brackets on lines of their own, as json.dumps(indent=...) writes them
    out.append(f"{text[0]}\n{INDENT * (level + 1)}{text[1:-1]}\n{INDENT * level}{text[-1]}")
    return True


def _key(k) -> str:
    if type(k) is str:
        return _encode_str(k)
    return json.dumps({k: 0}, ensure_ascii=False)[1:-4]  # 1 → "1", True → "true", as json.dumps does


def _write_dict(o: dict, level: int, out: list[str]) -> None:
    inner = "\n" + INDENT * (level + 1)
    sep = "{" + inner
    for k, v in o.items():
        if isinstance(v, _CONTAINERS):
            out.append(f"{sep}{_key(k)}: ")
            _write(v, level + 1, out)
        else:
            out.append(f"{sep}{_key(k)}: {_scalar(v)}")
        sep = "," + inner
    out.append("\n" + INDENT * level + "}")


def _write_list(o, level: int, out: list[str]) -> None:
    inner = "\n" + INDENT * (level + 1)
    sep = "[" + inner
    for v in o:
        if isinstance(v, _CONTAINERS):
            out.append(sep)
            _write(v, level + 1, out)
        else:
            out.append(sep + _scalar(v))
        sep = "," + inner
    out.append("\n" + INDENT * level + "]")
