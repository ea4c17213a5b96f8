"""Batches: expand paths to inputs, read each one safely, audit them together.

A batch never aborts because one input is broken: every input becomes a report
(status ok / partial / failed, with a reason) and appears in the output, in the
order the inputs were found. Folders are walked (symlinked folders too, once each);
zip archives of drafts are opened, and zips inside them, and every member that is a
report file becomes an input named ``archive.zip!member`` (``a.zip!inner.zip!member``;
a second member of the same name is ``a.zip!member (2)``).

Large batches run in a process pool (one worker per core). Each worker reads a chunk
of inputs and audits it — one pass of the compiled schema per template over the chunk,
then the post-passes that look at one result at a time (localisation, the text) — so
that the parent only runs the passes that need every report (cross-year pairs) and
writes the output. A worker that raises turns its input into a failed report; a worker
that *dies* (segfault, ``os._exit``, out of memory) breaks the pool, and the unfinished
inputs are then retried one at a time so that only the input that kills a worker fails
(the pool itself is ``_pool``).
"""
from __future__ import annotations

import io
import lzma
import multiprocessing
import os
import re
import stat
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from ._api import AuditResult, audit_reports, run_post_passes
from ._errors import InputError
from ._pool import Progress, available_cores, gc_paused, run_here, run_pool, start_context
from ._read import MAX_BYTES as MAX_MEMBER_BYTES
from ._report import Report, failed_report

INPUT_SUFFIXES = {".txt", ".text", ".html", ".htm", ".shtml", ".xhtml", ".md", ".markdown", ".docx", ".pdf"}
ARCHIVE_SUFFIXES = {".zip"}
# Document forms people send that the readers do not take: an input that fails with advice.
UNSUPPORTED_SUFFIXES = {".doc", ".wps", ".rtf", ".odt", ".ofd", ".rar", ".7z"}
PARALLEL_MIN = 48          # below this many inputs a pool costs more than it saves
READ_CHUNK = 16            # inputs per task when a pool only reads
AUDIT_CHUNK = 128          # when it also audits: the schema pass has a fixed cost per chunk
OUTPUT_MARKER = b'name="generator" content="gov-audit'  # our own HTML reports are not inputs
HEAD_BYTES = 2048          # how much of a walked file is read to tell our own output from a report
MAX_NESTING = 3            # archives inside archives are opened this deep (outer.zip!a.zip!b.zip!r.txt)
NESTED_MAX_BYTES = 4 * MAX_MEMBER_BYTES  # what the archives inside one archive may unpack to, in all

# Reasons an input fails that are found by the batch rather than a reader.
BATCH_REASONS = {
    "unsupported_form": ("不支持这种文件格式：请用 Word/WPS 另存为 .docx 或 PDF，压缩包请用 zip。",
                         "This file format is not supported: save it as .docx or PDF (archives: zip)."),
    "empty_archive": ("压缩包里没有报告文件（.txt、.html、.md、.docx、.pdf）。",
                      "The archive holds no report files (.txt, .html, .md, .docx, .pdf)."),
    "encrypted": ("压缩包中的文件有密码保护，无法读取。", "The archive member is password-protected."),
    "archive_limit": ("压缩包里套的压缩包层数太多或解压后太大，未打开。",
                      "An archive inside the archive is nested too deeply or unpacks too large, and was not opened."),
    "crashed": ("读取这份文件时读取程序崩溃，已跳过；请把文件发给维护者。",
                "The reader crashed on this file and it was skipped; please send the file to the maintainers."),
}


@dataclass(frozen=True)
class Input:
    """One thing to audit: a file, a member of a zip archive, or bytes in memory."""

    name: str                   # what the output calls it
    path: Path | None = None
    member: str | None = None   # the member of the zip archive at ``path`` (its name as stored)
    data: bytes | None = None
    problem: str = ""           # a reason known before reading (see BATCH_REASONS)
    index: tuple[int, ...] = () # where the member is: its position in each archive, outermost first
    detail: str = ""            # what was found, with ``problem``


@dataclass
class Scan:
    """What a list of paths expands to: the inputs, and the files passed over."""

    inputs: list[Input] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def scan(paths: Iterable[str | os.PathLike], exclude: Iterable[str | os.PathLike] = ()) -> Scan:
    """Expand files, folders and zip archives into inputs, in a stable order.

    Files named on the command line are always inputs (an unsupported document form
    fails with the same advice as in a folder; a path that cannot be opened fails as not
    found or unreadable). In folders, report files, zip archives and unsupported document
    forms (.doc, .wps…, which fail with advice) are inputs; other files, hidden files,
    ``exclude`` (the output being written) and gov-audit's own outputs (text, JSON, CSV
    or HTML, whatever they are named) are skipped. Symlinked folders are walked (see
    ``_walk``); a broken link with a report's suffix is an input that fails as not found.
    """
    out = Scan()
    excluded = {_resolved(Path(p)) for p in exclude}
    for p in paths:
        path = Path(p)
        if _is(path, stat.S_ISDIR):
            _walk(path, out, excluded)
        elif path.suffix.lower() in ARCHIVE_SUFFIXES and _is(path, stat.S_ISREG):
            _add_archive(path, out)
        elif path.suffix.lower() in UNSUPPORTED_SUFFIXES:
            out.inputs.append(Input(str(path), path, problem="unsupported_form"))
        else:
            out.inputs.append(Input(str(path), path))  # read_one says what is wrong with it, if anything
    return out


def _is(path: Path, kind: Callable[[int], bool]) -> bool:
    """``kind`` (``stat.S_ISDIR``…) of what ``path`` names; False for a path that cannot be looked at
    (a name too long, a broken link, no permission: reading it then says which)."""
    try:
        return kind(path.stat().st_mode)
    except (OSError, ValueError):
        return False


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python 3.11)
        return Path(os.path.abspath(path))


def _walk(root: Path, out: Scan, excluded: set[Path]) -> None:
    """Every file under ``root``, in the order of their paths (as ``sorted(root.rglob("*"))``).

    A symlinked folder is walked like a real one, unless it leads into a folder that is
    walked anyway (one in ``root``, an ancestor of it — a cycle — or one already walked
    through another link): then it is listed as skipped. A folder that cannot be listed
    is an input that fails as unreadable; a broken link whose name is a report's is an
    input that fails as not found; anything else that is not a file (a broken link of
    another name, a pipe) is skipped.
    """
    walked = [_resolved(root)]
    stack = [_listing(root, out)]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        f = Path(entry.path)
        rel = f.relative_to(root)
        try:
            if entry.is_dir(follow_symlinks=False):
                stack.append(_listing(f, out, hidden=_hidden(rel)))
            elif not entry.is_symlink():
                if entry.is_file(follow_symlinks=False):
                    if not (excluded and _resolved(f) in excluded):
                        _add_walked(f, rel, out)
                else:
                    out.skipped.append(str(f))
            else:
                _add_link(f, rel, out, excluded, walked, stack)
        except OSError as exc:
            from ._read import path_error

            err = path_error(f, exc)
            out.inputs.append(Input(str(f), f, problem=err.reason, detail=err.detail))


def _listing(folder: Path, out: Scan, hidden: bool = False) -> Iterator[os.DirEntry]:
    """The entries of a folder by name; a folder that cannot be listed becomes a failed input
    (a hidden one, whose files would all be skipped anyway — .Trashes on a USB stick — is skipped)."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        if hidden:
            out.skipped.append(str(folder))
        else:
            out.inputs.append(Input(str(folder), folder, problem="unreadable",
                                    detail=f"{folder}: {exc.strerror or type(exc).__name__}"))
        entries = []
    return iter(entries)


def _hidden(rel: Path) -> bool:
    """Hidden files and folders, and Office lock files (~$草稿.docx), are never inputs."""
    return any(part.startswith((".", "~$")) for part in rel.parts)


def _add_link(f: Path, rel: Path, out: Scan, excluded: set[Path], walked: list[Path], stack: list) -> None:
    try:
        st = f.stat()
    except OSError:  # broken (dangling or looping): an input if named like one, so that it is not lost
        suffix = f.suffix.lower()
        if _hidden(rel):
            out.skipped.append(str(f))
        elif suffix in INPUT_SUFFIXES or suffix in ARCHIVE_SUFFIXES or suffix in UNSUPPORTED_SUFFIXES:
            out.inputs.append(Input(str(f), f))  # reading it says "broken link"
        else:
            out.skipped.append(str(f))
        return
    if stat.S_ISDIR(st.st_mode):
        target = _resolved(f)
        if _hidden(rel) or any(
                target.is_relative_to(w) or w.is_relative_to(target) for w in walked):
            out.skipped.append(str(f))
        else:
            walked.append(target)
            stack.append(_listing(f, out))
    elif stat.S_ISREG(st.st_mode):
        if not (excluded and _resolved(f) in excluded):
            _add_walked(f, rel, out)
    else:
        out.skipped.append(str(f))


def _add_walked(f: Path, rel: Path, out: Scan) -> None:
    suffix = f.suffix.lower()
    if _hidden(rel):
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
    """gov-audit's own output (from an earlier ``-o``), told by how it begins, whatever its name."""
    if f.suffix.lower() in (".docx", ".pdf"):
        return False  # no writer makes these
    try:
        with f.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError:
        return False
    return OUTPUT_MARKER in head or head.startswith(_output_heads()) or bool(_JSON_OUTPUT.match(head))


# The JSON output begins with its "reports" list (docs/json.md); no report does.
_JSON_OUTPUT = re.compile(rb'\{\s*"reports"\s*:\s*\[')
_OUTPUT_HEADS: tuple[bytes, ...] = ()


def _output_heads() -> tuple[bytes, ...]:
    """The first lines of the text output (each language) and of the CSV output."""
    global _OUTPUT_HEADS
    if not _OUTPUT_HEADS:
        from ._output._csv import BOM, CSV_COLUMNS  # late: the writers import this module
        from ._output._text import _HEAD
        from ._output._view import WORDS

        lines = ["\t".join(WORDS[lang][h] for h in _HEAD) for lang in WORDS] + [BOM + ",".join(CSV_COLUMNS)]
        _OUTPUT_HEADS = tuple(f"{line}{end}".encode() for line in lines for end in ("\n", "\r\n"))
    return _OUTPUT_HEADS


# ---- zip archives ----------------------------------------------------------------------------

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


# What zipfile and the decompressors raise for damaged bytes (bz2 raises OSError).
_DAMAGED = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, ValueError)


def _open_zip(source: Path | bytes) -> zipfile.ZipFile:
    """An archive, from its path or (nested in another) its bytes; raises ``InputError``, nothing else."""
    from ._read import input_error, path_error

    try:
        return zipfile.ZipFile(source if isinstance(source, Path) else io.BytesIO(source))
    except OSError as exc:
        if isinstance(source, Path) and exc.filename is not None:  # opening the file, not its content
            raise path_error(source, exc) from None
        raise input_error("corrupt", str(exc)) from None
    except (*_DAMAGED, NotImplementedError) as exc:
        raise input_error("corrupt", str(exc)) from None


def _info_bytes(zf: zipfile.ZipFile, info: zipfile.ZipInfo | str) -> bytes:
    """A member's bytes, read by its own entry (names can repeat); damage raises ``corrupt``."""
    from ._read import input_error

    try:
        return zf.read(info)
    except RuntimeError as exc:  # zipfile: "File … is encrypted, password required for extraction"
        raise InputError("encrypted", " ".join(BATCH_REASONS["encrypted"]), detail=str(exc)) from None
    except NotImplementedError as exc:  # a compression method zipfile does not have
        raise input_error("unreadable", str(exc)) from None
    except _DAMAGED as exc:
        raise input_error("corrupt", str(exc) or type(exc).__name__) from None


class _Budget:
    """What the archives inside one archive may unpack to, in all (against zip bombs)."""

    def __init__(self) -> None:
        self.left = NESTED_MAX_BYTES


def _add_archive(path: Path, out: Scan) -> None:
    try:
        zf = _open_zip(path)
    except InputError as exc:
        out.inputs.append(Input(str(path), path, problem=exc.reason, detail=exc.detail))
        return
    with zf:
        found = _add_members(zf, str(path), path, (), out, _Budget())
    if not found:
        out.inputs.append(Input(str(path), path, problem="empty_archive"))


def _add_members(zf: zipfile.ZipFile, label: str, path: Path, at: tuple[int, ...], out: Scan,
                 budget: _Budget) -> int:
    """The members of an open archive (named ``label``) as inputs; how many there are."""
    found = 0
    used: set[str] = set()
    for i, info in sorted(enumerate(zf.infolist()), key=lambda pair: _member_name(pair[1])):
        name = _member_name(info)
        base = name.rsplit("/", 1)[-1]
        if info.is_dir() or name.startswith("__MACOSX/") or base.startswith((".", "~$")):
            continue
        suffix = Path(base).suffix.lower()
        member = _unique(f"{label}!{name}", used)
        where = (*at, i)
        if suffix in INPUT_SUFFIXES:
            problem = ("encrypted" if info.flag_bits & 0x1
                       else "too_large" if info.file_size > MAX_MEMBER_BYTES else "")
            out.inputs.append(Input(member, path, member=info.filename, index=where, problem=problem))
        elif suffix in ARCHIVE_SUFFIXES:
            _add_nested(zf, info, member, path, where, out, budget)
        elif suffix in UNSUPPORTED_SUFFIXES:
            out.inputs.append(Input(member, path, member=info.filename, index=where, problem="unsupported_form"))
        else:
            out.skipped.append(member)
            continue
        found += 1
    return found


def _unique(label: str, used: set[str]) -> str:
    """Members of the same name (zip allows it) are ``a.zip!r.txt``, ``a.zip!r.txt (2)``…"""
    name, n = label, 1
    while name in used:
        n += 1
        name = f"{label} ({n})"
    used.add(name)
    return name


def _add_nested(zf: zipfile.ZipFile, info: zipfile.ZipInfo, label: str, path: Path, where: tuple[int, ...],
                out: Scan, budget: _Budget) -> None:
    """An archive inside an archive: its members are inputs named ``outer.zip!inner.zip!member``."""
    def failed(problem: str, detail: str = "") -> None:
        out.inputs.append(Input(label, path, member=info.filename, index=where, problem=problem, detail=detail))

    if info.flag_bits & 0x1:
        return failed("encrypted")
    if len(where) >= MAX_NESTING:
        return failed("archive_limit", f"more than {MAX_NESTING} archives inside each other")
    if info.file_size > MAX_MEMBER_BYTES:
        return failed("too_large", f"{info.file_size} bytes")
    if info.file_size > budget.left:
        return failed("archive_limit", f"the archives inside unpack to more than {NESTED_MAX_BYTES >> 20} MB")
    budget.left -= info.file_size
    try:
        inner = _open_zip(_info_bytes(zf, info))
    except InputError as exc:
        return failed(exc.reason, exc.detail)
    with inner:
        found = _add_members(inner, label, path, where, out, budget)
    if not found:
        failed("empty_archive")
    return None


# Archives open while inputs are read: (path, position of each archive inside) -> archive.
# Each is opened (its directory parsed: 0.15 s for 10,000 members) once, not once per member.
_OPEN: OrderedDict[tuple[Path, tuple[int, ...]], zipfile.ZipFile] | None = None
OPEN_ARCHIVES = 4  # at most this many at once (a nested one is held in memory)


@contextmanager
def _archives_open(*, keep: bool = False) -> Iterator[None]:
    """Keep the archives that members are read from open until the outermost ``with`` ends.

    ``keep``: leave them open after it, for the next chunk (a worker process, which reads
    chunk after chunk of the same archive and whose files close when it ends).
    """
    global _OPEN
    if _OPEN is not None:
        yield
        return
    _OPEN = OrderedDict()
    try:
        yield
    finally:
        if not keep:
            archives, _OPEN = _OPEN, None
            for zf in archives.values():
                zf.close()


def _archive(path: Path, at: tuple[int, ...]) -> zipfile.ZipFile:
    """The archive at ``path`` or (``at``) nested in it, open (from ``_OPEN`` if it is there)."""
    key = (path, at)
    zf = _OPEN.get(key)
    if zf is not None:
        _OPEN.move_to_end(key)
        return zf
    if at:
        outer = _archive(path, at[:-1])
        zf = _open_zip(_info_bytes(outer, _entry(outer, at[-1])))
    else:
        zf = _open_zip(path)
    _OPEN[key] = zf
    while len(_OPEN) > OPEN_ARCHIVES:
        _OPEN.popitem(last=False)[1].close()
    return zf


def _entry(zf: zipfile.ZipFile, i: int, name: str | None = None) -> zipfile.ZipInfo:
    from ._read import input_error

    infos = zf.infolist()
    if i >= len(infos) or (name is not None and infos[i].filename != name):
        raise input_error("not_found", "the archive changed after it was listed")
    return infos[i]


def _member_bytes(item: Input) -> bytes:
    with _archives_open():
        if not item.index:  # an input made by hand: the member by name
            return _info_bytes(_archive(item.path, ()), item.member)
        zf = _archive(item.path, item.index[:-1])
        return _info_bytes(zf, _entry(zf, item.index[-1], item.member))


# ---- reading one input -------------------------------------------------------------------

def _messages(reason: str, detail: str = "") -> tuple[str, str]:
    """The Chinese and English message of a failed input: the reason's words, then the detail in brackets.

    A reason no table knows (an ``InputError`` raised by other code) is said as "cannot be
    read", with the code kept in the detail.
    """
    from ._read import REASONS

    pair = REASONS.get(reason) or BATCH_REASONS.get(reason)
    if pair is None:
        pair, detail = REASONS["unreadable"], "; ".join(x for x in (reason, detail) if x)
    detail = detail.strip()
    if detail and not (detail.startswith("(") and detail.endswith(")")):  # (_pool passes it bracketed)
        detail = f"({detail})"
    zh, en = pair
    return (f"{zh} {detail}".strip(), f"{en} {detail}".strip())


def _error_detail(exc: InputError) -> str:
    """The detail of an input error; for one raised with words of its own (not by ``input_error``), those words."""
    from ._read import REASONS

    if exc.detail:
        return exc.detail
    message = str(exc).strip()
    zh, en = REASONS.get(exc.reason) or BATCH_REASONS.get(exc.reason) or ("", "")
    return "" if message in ("", zh, en, f"{zh} {en}") else message


def _failed(item: Input, reason: str, detail: str = "") -> Report:
    zh, en = _messages(reason, detail)
    return failed_report(item.name, reason, zh, en)


def read_one(item: Input) -> Report:
    """Read one input; any failure becomes a failed report with a stable reason."""
    from ._read import read
    from ._read._decode import sniff_form

    if item.problem:
        return _failed(item, item.problem, item.detail)
    try:
        if item.member is not None:
            data = _member_bytes(item)
            return read(data, name=item.name, form=sniff_form(data, Path(item.member).suffix.lower()))
        if item.data is not None:
            return read(item.data, name=item.name, form=None)
        return read(item.path, name=item.name)
    except InputError as exc:
        return _failed(item, exc.reason, _error_detail(exc))
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as exc:
        return _failed(item, "corrupt", str(exc))
    except (zlib.error, EOFError) as exc:  # damaged compressed data (a reader's own zip, say)
        return _failed(item, "corrupt", str(exc) or type(exc).__name__)
    except Exception as exc:  # noqa: BLE001 - a reader bug must not take the batch down
        return _failed(item, "unreadable", f"内部错误 internal error: {type(exc).__name__}: {exc}")


Reader = Callable[[Input], Report]


def _read_chunk(items: list[Input], reader: Reader = read_one) -> list[Report]:
    """Worker entry point: read a chunk of inputs; nothing a reader raises escapes."""
    out = []
    with gc_paused(), _archives_open(keep=multiprocessing.parent_process() is not None):
        for item in items:
            try:
                out.append(reader(item))
            except KeyboardInterrupt:
                raise
            except BaseException:  # noqa: BLE001 - SystemExit and friends from a reader
                out.append(_failed(item, "crashed"))
    return out


def _audit_chunk(items: list[Input], reader: Reader = read_one) -> list[AuditResult]:
    """Worker entry point: read a chunk and audit it, with the passes that take one result at a time."""
    with gc_paused():
        return run_post_passes(audit_reports(_read_chunk(items, reader), post=False), across_reports=False)


def _failed_result(item: Input, reason: str, detail: str = "") -> AuditResult:
    return run_post_passes(audit_reports([_failed(item, reason, detail)], post=False), across_reports=False)[0]


# ---- many inputs ---------------------------------------------------------------------------

def _workers(n: int, jobs: int | None) -> int:
    """Worker processes for ``n`` inputs: 0 means work in this process."""
    workers = min(jobs or available_cores(), n)
    return 0 if workers <= 1 or (jobs is None and n < PARALLEL_MIN) else workers


def read_all(items: list[Input], *, jobs: int | None = None, progress: Progress | None = None,
             reader: Reader = read_one) -> list[Report]:
    """Read every input, in input order.

    ``jobs``: worker processes (None: one per core for large batches; 1: read in this
    process). ``reader`` reads one input (a module-level function, so that workers can
    import it); the default is :func:`read_one`.
    """
    workers = _workers(len(items), jobs)
    with gc_paused():
        if not workers:
            with _archives_open():
                return run_here(items, progress, partial(_read_chunk, reader=reader))
        return run_pool(items, workers, progress, partial(_read_chunk, reader=reader), _failed, READ_CHUNK)


def audit_inputs(items: list[Input], *, jobs: int | None = None, progress: Progress | None = None,
                 reader: Reader = read_one) -> list[AuditResult]:
    """Read and audit every input; one result per input, in input order.

    In a pool, each worker reads and audits its chunks (see the module docstring); the
    results are the same as reading everything here and auditing it in one panel.
    """
    workers = _workers(len(items), jobs)
    with gc_paused():
        if not workers:
            with _archives_open():
                reports = run_here(items, progress, partial(_read_chunk, reader=reader))
            return audit_reports(reports)
        _warm_up()
        results = run_pool(items, workers, progress, partial(_audit_chunk, reader=reader), _failed_result,
                            AUDIT_CHUNK)
        return run_post_passes(results, per_report=False)


def _warm_up() -> None:
    """Load the templates, compile the rules and prime the passes' caches before workers fork.

    Forked workers inherit what the parent has loaded; without this each worker would
    compile the rules again on its first chunk. Auditing an empty report of each
    template touches every cache the audit uses.
    """
    if start_context().get_start_method() != "fork":
        return
    from ._template import templates

    blank = [Report(f"<warm-up {code}>", code, {c: None for c in t.codes}, form="data")
             for code, t in templates().items()]
    audit_reports(blank)


def audit_paths(paths: Iterable[str | os.PathLike], *, jobs: int | None = None,
                progress: Progress | None = None) -> list[AuditResult]:
    """Audit report files, folders and zip archives: one result per input, in order.

    Every input found appears, readable or not (status ``failed`` with a reason). Large
    batches are read and audited in one worker process per core; ``jobs=1`` works in this
    process. ``progress(done, total)`` is called as inputs are done.
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
