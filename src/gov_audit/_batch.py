"""Batches: expand paths to inputs, read each one safely, audit them together.

A batch never aborts because one input is broken: every input becomes a report
(status ok / partial / failed, with a reason) and appears in the output.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ._api import AuditResult, audit_reports
from ._errors import InputError
from ._report import Report, failed_report

INPUT_SUFFIXES = {".txt", ".text", ".html", ".htm", ".shtml", ".md", ".markdown", ".docx", ".pdf"}


@dataclass(frozen=True)
class Input:
    name: str       # what the output calls it
    path: Path | None = None
    data: bytes | None = None


def expand(paths: Iterable[str | os.PathLike]) -> list[Input]:
    """Files as given; folders walked for report files (sorted); missing paths kept as inputs."""
    out: list[Input] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for f in sorted(path.rglob("*")):
                if f.is_file() and f.suffix.lower() in INPUT_SUFFIXES and not f.name.endswith(".truth.json"):
                    out.append(Input(str(f), f))
        else:
            out.append(Input(str(path), path))
    return out


def read_one(item: Input) -> Report:
    """Read one input; any failure becomes a failed report with a stable reason."""
    from ._read import input_error, read

    try:
        if item.data is not None:
            return read(item.data, name=item.name, form=None)
        return read(item.path, name=item.name)
    except InputError as exc:
        zh, _, en = str(exc).partition(" ")
        return failed_report(item.name, exc.reason, str(exc), str(exc))
    except (OSError, ValueError, KeyError, IndexError, TypeError, UnicodeError) as exc:
        # A reader bug must not take the batch down; the input is reported, not lost.
        err = input_error("unreadable", f"{type(exc).__name__}: {exc}")
        return failed_report(item.name, err.reason, str(err), str(err))


def audit_inputs(items: list[Input]) -> list[AuditResult]:
    return audit_reports([read_one(i) for i in items])


def summary(results: list[AuditResult]) -> dict:
    return {
        "reports": len(results),
        "ok": sum(r.status == "ok" for r in results),
        "partial": sum(r.status == "partial" for r in results),
        "failed": sum(r.status == "failed" for r in results),
        "errors": sum(len(r.errors) for r in results),
        "warnings": sum(len(r.warnings) for r in results),
        "reports_with_errors": sum(bool(r.errors) for r in results),
    }
