"""``gov-audit``: check reports, list rules, explain a rule.

``main`` parses arguments and exits; ``run`` does the work and returns the exit code,
so tests call ``run`` with their own streams. Exit codes: 0 no error finding,
1 an error finding (or a warning with ``--fail-on warning``), 2 usage error or no
input could be read. User errors are one line on stderr, never a traceback.
"""
from __future__ import annotations

import argparse
import re
import stat
import sys
import zipfile
from pathlib import Path
from typing import TextIO

from ._errors import GovAuditError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
FORMATS = ("text", "json", "csv", "html", "xlsx")
PROGRESS_MIN = 8  # inputs; fewer finish before a bar is worth drawing


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors: exit 2 with a message, never a traceback
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"gov-audit: 用法错误 usage error: {message}\n")


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="gov-audit", description="政府信息公开工作年度报告 一致性检查 / consistency audit")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    c = sub.add_parser("check", help="检查报告 audit report files, folders and zip archives",
                       description="检查报告文件、文件夹和 zip 压缩包 / audit files, folders and zip archives")
    c.add_argument("paths", nargs="+", metavar="PATH", help="报告文件、文件夹或 zip 压缩包")
    c.add_argument("--format", choices=FORMATS, default="text", help="输出格式 output format (default: text)")
    c.add_argument("-o", "--output", metavar="FILE", help="写入文件（xlsx 必须指定） write to FILE (required for xlsx)")
    c.add_argument("--lang", choices=["zh", "en"], default="zh", help="说明文字的语言 language of messages")
    c.add_argument("--fail-on", choices=["error", "warning"], default="error",
                   help="何种问题使退出码为 1 which findings make the exit status 1")
    c.add_argument("--notes", action="store_true",
                   help="文本输出也列出提示（读取说明） list notes (info findings) in the text output too")
    c.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N",
                   help="读取和检查用的进程数（默认：大批量时每核一个） "
                        "worker processes (default: one per core for large batches)")
    r = sub.add_parser("rules", help="列出规则 list the rules")
    r.add_argument("--template", choices=["2019", "2021"])
    r.add_argument("--lang", choices=["zh", "en"], default="zh")
    r.add_argument("--format", choices=["text", "markdown"], default="text",
                   help="markdown: the catalogue in docs/rules.md")
    e = sub.add_parser("explain", help="解释一条规则 explain one rule")
    e.add_argument("rule_id", help="规则编号，如 t3.balance 或 t3.balance[natural]")
    e.add_argument("--lang", choices=["zh", "en"], default="zh")
    return p


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"需要正整数 a positive whole number is needed, not {text!r}")
    return n


def run(argv: list[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    args = parser().parse_args(argv)
    if args.command == "check" and args.format == "xlsx" and not args.output:
        print("gov-audit check: 用法错误 usage error: --format xlsx 需要用 -o 指定输出文件 "
              "(xlsx is binary: give -o FILE.xlsx)", file=stderr)
        return EXIT_USAGE
    try:
        if args.command == "check":
            return _check(args, stdout, stderr)
        if args.command == "rules":
            return _rules(args, stdout)
        return _explain(args, stdout, stderr)
    except GovAuditError as exc:
        print(f"gov-audit: {exc}", file=stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("gov-audit: 已中断 interrupted", file=stderr)
        return EXIT_INTERRUPTED


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _audit(items, args, stderr: TextIO):
    """Read and audit every input, with a progress bar on a terminal."""
    from ._batch import audit_inputs

    if not (_isatty(stderr) and len(items) >= PROGRESS_MIN):
        return audit_inputs(items, jobs=args.jobs)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(file=stderr)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    # No refresh thread: the bar is redrawn as inputs finish, and worker processes may be
    # forked (fast) only while this process has a single thread.
    with Progress(*columns, console=console, transient=True, auto_refresh=False) as bar:
        task = bar.add_task("检查 checking", total=len(items))
        return audit_inputs(items, jobs=args.jobs,
                            progress=lambda done, total: bar.update(task, completed=done, refresh=True))


def _write(document: str | bytes, args, stdout: TextIO, stderr: TextIO) -> bool:
    if not args.output:
        stdout.write(document)
        return True
    try:
        if isinstance(document, bytes):
            with open(args.output, "wb") as fh:
                fh.write(document)
        else:  # (the writers leave nothing that UTF-8 cannot hold; should they, it is escaped, not fatal)
            with open(args.output, "w", encoding="utf-8", errors="backslashreplace", newline="") as fh:
                fh.write(document)
    except OSError as exc:
        print(f"gov-audit: 无法写入 cannot write {args.output}: {exc.strerror or exc}", file=stderr)
        return False
    return True


def _check(args, stdout: TextIO, stderr: TextIO) -> int:
    from ._batch import _resolved, scan  # (_resolved: symlink loops and odd names never raise)
    from ._output import WRITERS
    from ._pool import gc_paused

    if args.output and any(_resolved(Path(p)) == _resolved(Path(args.output)) for p in args.paths):
        # a named input is always read, then the output would overwrite it: the draft is lost
        print(f"gov-audit: 输出文件 {args.output} 也是要检查的输入，写出结果会覆盖它；请换一个 -o 路径。 "
              f"The output file {args.output} is also an input and would be overwritten; choose another -o path.",
              file=stderr)
        return EXIT_USAGE
    folder = _draft_in_the_way(args.output, args.paths) if args.output else None
    if folder is not None:
        # a file among the drafts being checked, and not an earlier output: writing would destroy it
        print(f"gov-audit: 输出文件 {args.output} 已存在，它在要检查的文件夹 {folder} 里，且不是 gov-audit "
              f"的输出，写出结果会覆盖它；请换一个 -o 路径或先删除它。 The output file {args.output} already "
              f"exists in the checked folder {folder} and is not a gov-audit output, so it would be overwritten; "
              f"choose another -o path or delete it first.", file=stderr)
        return EXIT_USAGE
    found = scan(args.paths, exclude=[args.output] if args.output else ())
    if not found.inputs:
        print("gov-audit: 没有找到可读取的报告文件 no report files found"
              + (f" ({len(found.skipped)} other files skipped)" if found.skipped else ""), file=stderr)
        return EXIT_USAGE
    # The results live until the command ends, and building the output is many small
    # objects without cycles: no cyclic collection while checking and writing, none after.
    with gc_paused(freeze=True):
        results = _audit(found.inputs, args, stderr)
        if args.format == "text" and not args.output and _isatty(stdout):
            from rich.console import Console

            from ._output._terminal import print_rich

            print_rich(results, Console(file=stdout), args.lang, found.skipped, notes=args.notes)
        elif not _write(WRITERS[args.format](results, lang=args.lang, skipped=found.skipped, notes=args.notes),
                        args, stdout, stderr):
            return EXIT_USAGE
    if all(r.status == "failed" for r in results):
        return EXIT_USAGE
    fail = {"error"} if args.fail_on == "error" else {"error", "warning"}
    return EXIT_FINDINGS if any(f.severity in fail for r in results for f in r.findings) else EXIT_OK


def _draft_in_the_way(output: str, paths: list[str]) -> str | None:
    """The checked folder holding ``output`` when ``output`` is an existing file there that is
    not gov-audit's own output (one of the drafts, or a file beside them) and not empty; else None.

    An existing file elsewhere is overwritten, as ``-o`` does in any program: it is not
    among what the user asked to check.
    """
    from ._batch import _is, _is_our_output, _resolved

    out = Path(output)
    try:
        if not out.is_file() or out.stat().st_size == 0:  # nothing there to lose
            return None
    except OSError:  # (a name too long, a link loop): writing will say what is wrong
        return None
    target = _resolved(out)
    folder = next((p for p in paths if _is(Path(p), stat.S_ISDIR) and target.is_relative_to(_resolved(Path(p)))), None)
    if folder is None or _is_our_output(out) or _is_our_workbook(out):
        return None
    return folder


def _is_our_workbook(path: Path) -> bool:
    """An XLSX written by gov-audit: its first sheets are the overview and the findings."""
    if path.suffix.lower() != ".xlsx":
        return False
    from ._output._xlsx import SHEET_NAMES

    try:
        with zipfile.ZipFile(path) as zf:
            book = zf.read("xl/workbook.xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return False
    names = re.findall(r'<sheet\b[^>]*\bname="([^"]*)"', book)
    return tuple(names[:2]) in SHEET_NAMES.values()


def _rules(args, stdout: TextIO) -> int:
    from ._output._catalogue import rules_markdown, rules_text

    stdout.write(rules_markdown() if args.format == "markdown" else rules_text(args.template, args.lang))
    return EXIT_OK


def _explain(args, stdout: TextIO, stderr: TextIO) -> int:
    from ._output._catalogue import explain_text

    text = explain_text(args.rule_id, args.lang)
    if text is None:
        print(f"gov-audit: 没有这条规则 no rule {args.rule_id!r}; 见 see `gov-audit rules`", file=stderr)
        return EXIT_USAGE
    stdout.write(text)
    return EXIT_OK


def main(argv: list[str] | None = None) -> None:
    # A console that cannot show a character (a GBK or ASCII one, a file name's stray byte)
    # shows it escaped rather than ending in a traceback.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    sys.exit(run(argv))
