"""Batches: expand paths to inputs, read each one safely, audit them together.

A batch never aborts because one input is broken: every input becomes a report
(status ok / partial / failed, with a reason) and appears in the output, in the
order the inputs were found. Folders are walked; zip archives of drafts are opened
and every member that is a report file becomes an input named ``archive.zip!member``.

Reading is the expensive part, so large batches read in a process pool (one worker
per core). The audit itself runs once per template over all reports in the parent.
A worker that raises turns its input into a failed report; a worker that *dies*
(segfault, ``os._exit``, out of memory) breaks the pool, and the unfinished inputs
are then retried one at a time so that only the input that kills a worker fails.
"""
from __future__ import annotations

import multiprocessing
import os
import re
import sys
import threading
import zipfile
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from ._api import AuditResult, audit_reports
from ._errors import InputError
from ._report import Report, failed_report

INPUT_SUFFIXES = {".txt", ".text", ".html", ".htm", ".shtml", ".xhtml", ".md", ".markdown", ".docx", ".pdf"}
ARCHIVE_SUFFIXES = {".zip"}
# Document forms people send that the readers do not take: an input that fails with advice.
UNSUPPORTED_SUFFIXES = {".doc", ".wps", ".rtf", ".odt", ".ofd", ".rar", ".7z"}
MAX_MEMBER_BYTES = 50 * 1024 * 1024
PARALLEL_MIN = 48          # below this many inputs a pool costs more than it saves
OUTPUT_MARKER = b'name="generator" content="gov-audit'  # our own HTML reports are not inputs

# Reasons an input fails that are found by the batch rather than a reader.
BATCH_REASONS = {
    "unsupported_form": ("不支持这种文件格式：请用 Word/WPS 另存为 .docx 或 PDF，压缩包请用 zip。",
                         "This file format is not supported: save it as .docx or PDF (archives: zip)."),
    "empty_archive": ("压缩包里没有报告文件（.txt、.html、.md、.docx、.pdf）。",
                      "The archive holds no report files (.txt, .html, .md, .docx, .pdf)."),
    "encrypted": ("压缩包中的文件有密码保护，无法读取。", "The archive member is password-protected."),
    "crashed": ("读取这份文件时读取程序崩溃，已跳过；请把文件发给维护者。",
                "The reader crashed on this file and it was skipped; please send the file to the maintainers."),
}


@dataclass(frozen=True)
class Input:
    """One thing to audit: a file, a member of a zip archive, or bytes in memory."""

    name: str                   # what the output calls it
    path: Path | None = None
    member: str | None = None   # the member of the zip archive at ``path``
    data: bytes | None = None
    problem: str = ""           # a reason known before reading (see BATCH_REASONS)


@dataclass
class Scan:
    """What a list of paths expands to: the inputs, and the files passed over."""

    inputs: list[Input] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def scan(paths: Iterable[str | os.PathLike], exclude: Iterable[str | os.PathLike] = ()) -> Scan:
    """Expand files, folders and zip archives into inputs, in a stable order.

    Files named on the command line are always inputs. In folders, report files,
    zip archives and unsupported document forms (.doc, .wps…, which fail with advice)
    are inputs; other files, hidden files and gov-audit's own HTML reports are skipped.
    """
    out = Scan()
    excluded = {Path(p).resolve() for p in exclude}
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for f in sorted(path.rglob("*")):
                if f.is_file() and f.resolve() not in excluded:
                    _add_walked(f, f.relative_to(path), out)
        elif path.suffix.lower() in ARCHIVE_SUFFIXES and path.is_file():
            _add_archive(path, out)
        else:
            out.inputs.append(Input(str(path), path))
    return out


def _add_walked(f: Path, rel: Path, out: Scan) -> None:
    suffix = f.suffix.lower()
    if any(part.startswith((".", "~$")) for part in rel.parts):
        out.skipped.append(str(f))
    elif suffix in ARCHIVE_SUFFIXES:
        _add_archive(f, out)
    elif suffix in UNSUPPORTED_SUFFIXES:
        out.inputs.append(Input(str(f), f, problem="unsupported_form"))
    elif suffix in INPUT_SUFFIXES and not _is_our_output(f):
        out.inputs.append(Input(str(f), f))
    else:
        out.skipped.append(str(f))


def _is_our_output(f: Path) -> bool:
    if f.suffix.lower() not in (".html", ".htm"):
        return False
    try:
        with f.open("rb") as fh:
            return OUTPUT_MARKER in fh.read(2048)
    except OSError:
        return False


def _member_name(info: zipfile.ZipInfo) -> str:
    """Member names from Chinese Windows zips are GBK without the UTF-8 flag; zipfile reads cp437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            pass
    return info.filename


def _add_archive(path: Path, out: Scan) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        out.inputs.append(Input(str(path), path, problem="corrupt"))
        return
    found = 0
    for info in sorted(infos, key=_member_name):
        name = _member_name(info)
        base = name.rsplit("/", 1)[-1]
        if info.is_dir() or name.startswith("__MACOSX/") or base.startswith((".", "~$")):
            continue
        suffix = Path(base).suffix.lower()
        label = f"{path}!{name}"
        if suffix in INPUT_SUFFIXES:
            problem = ("encrypted" if info.flag_bits & 0x1
                       else "too_large" if info.file_size > MAX_MEMBER_BYTES else "")
            out.inputs.append(Input(label, path, member=info.filename, problem=problem))
            found += 1
        elif suffix in UNSUPPORTED_SUFFIXES:
            out.inputs.append(Input(label, path, member=info.filename, problem="unsupported_form"))
            found += 1
        else:
            out.skipped.append(label)
    if not found:
        out.inputs.append(Input(str(path), path, problem="empty_archive"))


# ---- reading one input -------------------------------------------------------------------

def _messages(reason: str, message: str = "") -> tuple[str, str]:
    """The Chinese and English message of a failed input, with any detail kept."""
    from ._read import REASONS

    zh, en = REASONS.get(reason) or BATCH_REASONS.get(reason) or (message, message)
    canonical = f"{zh} {en}"
    if message.startswith(canonical):
        detail = message[len(canonical):].strip()
    elif message and message not in (zh, en, canonical):
        split = re.match(r"^(.*?[。）)])\s+([A-Za-z].*)$", message)
        return (split.group(1), split.group(2)) if split else (message, message)
    else:
        detail = ""
    return (f"{zh} {detail}".strip(), f"{en} {detail}".strip())


def _failed(item: Input, reason: str, message: str = "") -> Report:
    zh, en = _messages(reason, message)
    return failed_report(item.name, reason, zh, en)


def _member_bytes(item: Input) -> bytes:
    with zipfile.ZipFile(item.path) as zf:
        return zf.read(item.member)


def read_one(item: Input) -> Report:
    """Read one input; any failure becomes a failed report with a stable reason."""
    from ._read import read
    from ._read._decode import sniff_form

    if item.problem:
        return _failed(item, item.problem)
    try:
        if item.member is not None:
            data = _member_bytes(item)
            return read(data, name=item.name, form=sniff_form(data, Path(item.member).suffix.lower()))
        if item.data is not None:
            return read(item.data, name=item.name, form=None)
        return read(item.path, name=item.name)
    except InputError as exc:
        return _failed(item, exc.reason, str(exc))
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as exc:
        return _failed(item, "corrupt", f"({exc})")
    except Exception as exc:  # noqa: BLE001 - a reader bug must not take the batch down
        return _failed(item, "unreadable", f"(内部错误 internal error: {type(exc).__name__}: {exc})")


Reader = Callable[[Input], Report]


def _read_chunk(items: list[Input], reader: Reader = read_one) -> list[Report]:
    """Worker entry point: read a chunk of inputs; nothing a reader raises escapes."""
    out = []
    for item in items:
        try:
            out.append(reader(item))
        except KeyboardInterrupt:
            raise
        except BaseException:  # noqa: BLE001 - SystemExit and friends from a reader
            out.append(_failed(item, "crashed"))
    return out


# ---- reading many inputs -----------------------------------------------------------------

Progress = Callable[[int, int], None]  # (inputs done, inputs in all)


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def read_all(items: list[Input], *, jobs: int | None = None, progress: Progress | None = None,
             reader: Reader = read_one) -> list[Report]:
    """Read every input, in input order.

    ``jobs``: worker processes (None: one per core for large batches; 1: read in this
    process). ``reader`` reads one input (a module-level function, so that workers can
    import it); the default is :func:`read_one`.
    """
    n = len(items)
    workers = min(jobs or available_cores(), n)
    if workers <= 1 or (jobs is None and n < PARALLEL_MIN):
        out = []
        for i, item in enumerate(items):
            out.extend(_read_chunk([item], reader))
            if progress:
                progress(i + 1, n)
        return out
    return _read_pool(items, workers, progress, reader)


def _context():
    """``fork`` where it is safe (Linux, no other Python thread): workers start at once,
    with everything imported. Otherwise ``forkserver``/``spawn``: a clean process that
    imports gov_audit first (a second or two), never a fork of a threaded parent."""
    if sys.platform == "linux" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["gov_audit._batch", "gov_audit._read"])
        return ctx
    return multiprocessing.get_context("spawn")


def _pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=_context())


def _read_pool(items: list[Input], workers: int, progress: Progress | None, reader: Reader) -> list[Report]:
    """Read in worker processes, a few chunks in flight per worker.

    Keeping only a few chunks in flight bounds what a dying worker takes down with it:
    when the pool breaks, the chunks in flight are set aside for reading one by one and
    the rest continue in a fresh pool.
    """
    n = len(items)
    size = max(1, min(16, n // (workers * 8)))
    chunks = deque(list(range(i, min(i + size, n))) for i in range(0, n, size))
    results: list[Report | None] = [None] * n
    suspects: list[int] = []
    done = 0
    while chunks:
        with _pool(workers) as pool:
            pending: dict[Future, list[int]] = {}
            broken = False
            while (chunks and not broken) or pending:
                while chunks and not broken and len(pending) < 2 * workers:
                    idx = chunks.popleft()
                    pending[pool.submit(_read_chunk, [items[i] for i in idx], reader)] = idx
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in finished:
                    idx = pending.pop(fut)
                    try:
                        for i, rep in zip(idx, fut.result()):
                            results[i] = rep
                        done += len(idx)
                    except BrokenProcessPool:  # a worker died: every chunk in flight is suspect
                        broken = True
                        suspects.extend(idx)
                    except Exception:  # noqa: BLE001 - e.g. a result that cannot be pickled
                        suspects.extend(idx)
                if progress:
                    progress(done, n)
    for i in sorted(suspects):
        results[i] = _read_isolated(items[i], reader)
        done += 1
        if progress:
            progress(done, n)
    return [r for r in results if r is not None]


def _read_isolated(item: Input, reader: Reader) -> Report:
    """Read one input in a worker of its own, so that a crash blames only this input."""
    try:
        with _pool(1) as pool:
            return pool.submit(_read_chunk, [item], reader).result()[0]
    except BrokenProcessPool:
        return _failed(item, "crashed")
    except Exception as exc:  # noqa: BLE001
        return _failed(item, "unreadable", f"(内部错误 internal error: {type(exc).__name__}: {exc})")


def audit_inputs(items: list[Input], *, jobs: int | None = None, progress: Progress | None = None) -> list[AuditResult]:
    """Read and audit every input; one result per input, in input order."""
    return audit_reports(read_all(items, jobs=jobs, progress=progress))


def audit_paths(paths: Iterable[str | os.PathLike], *, jobs: int | None = None,
                progress: Progress | None = None) -> list[AuditResult]:
    """Audit report files, folders and zip archives: one result per input, in order.

    Every input found appears, readable or not (status ``failed`` with a reason). Large
    batches are read in one worker process per core; ``jobs=1`` reads in this process.
    ``progress(done, total)`` is called as inputs are read.
    """
    return audit_inputs(scan(paths).inputs, jobs=jobs, progress=progress)


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
