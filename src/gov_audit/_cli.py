"""``gov-audit``: check reports, list rules, explain a rule.

``main`` parses arguments and exits; ``run`` does the work and returns the exit code,
so tests call ``run`` with their own streams. Exit codes: 0 no error finding,
1 an error finding (or a warning with ``--fail-on warning``), 2 usage error or no
input could be read.
"""
from __future__ import annotations

import argparse
import sys
from typing import TextIO

from ._errors import GovAuditError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors: exit 2 with a message, never a traceback
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"gov-audit: 用法错误 usage error: {message}\n")


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="gov-audit", description="政府信息公开工作年度报告 一致性检查 / consistency audit")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    c = sub.add_parser("check", help="检查报告 audit report files or folders")
    c.add_argument("paths", nargs="+", metavar="PATH")
    c.add_argument("--format", choices=["text", "json"], default="text")
    c.add_argument("-o", "--output", metavar="FILE")
    c.add_argument("--lang", choices=["zh", "en"], default="zh")
    c.add_argument("--fail-on", choices=["error", "warning"], default="error")
    r = sub.add_parser("rules", help="列出规则 list the rules")
    r.add_argument("--template", choices=["2019", "2021"])
    r.add_argument("--lang", choices=["zh", "en"], default="zh")
    e = sub.add_parser("explain", help="解释一条规则 explain one rule")
    e.add_argument("rule_id")
    e.add_argument("--lang", choices=["zh", "en"], default="zh")
    return p


def run(argv: list[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    args = parser().parse_args(argv)
    try:
        if args.command == "check":
            return _check(args, stdout, stderr)
        if args.command == "rules":
            return _rules(args, stdout)
        return _explain(args, stdout, stderr)
    except GovAuditError as exc:
        print(f"gov-audit: {exc}", file=stderr)
        return EXIT_USAGE


def _check(args, stdout: TextIO, stderr: TextIO) -> int:
    from ._batch import audit_inputs, expand
    from ._output import WRITERS

    items = expand(args.paths)
    if not items:
        print("gov-audit: 没有找到可读取的报告文件 no report files found", file=stderr)
        return EXIT_USAGE
    results = audit_inputs(items)
    text = WRITERS[args.format](results, lang=args.lang)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        stdout.write(text)
    if all(r.status == "failed" for r in results):
        return EXIT_USAGE
    fail = {"error"} if args.fail_on == "error" else {"error", "warning"}
    return EXIT_FINDINGS if any(f.severity in fail for r in results for f in r.findings) else EXIT_OK


def _rules(args, stdout: TextIO) -> int:
    from ._rules import expand, load_rules
    from ._template import templates

    for rule in load_rules():
        temps = [t for t in rule.templates if not args.template or t == args.template]
        if not temps:
            continue
        cells = sorted({c for t in temps for i in expand(rule, templates()[t]) for c in i.cells})
        print(f"{rule.id}\t{rule.severity}\t{'/'.join(temps)}\t{rule.title(args.lang)}\t"
              f"{len(cells)} cells: {', '.join(cells[:6])}{' …' if len(cells) > 6 else ''}", file=stdout)
    return EXIT_OK


def _explain(args, stdout: TextIO, stderr: TextIO) -> int:
    from ._rules import expand, load_rules
    from ._template import templates

    rules = [r for r in load_rules() if r.id == args.rule_id]
    if not rules:
        print(f"gov-audit: 没有这条规则 no rule {args.rule_id!r}; see `gov-audit rules`", file=stderr)
        return EXIT_USAGE
    for rule in rules:
        print(f"{rule.id} — {rule.title(args.lang)}", file=stdout)
        print(f"  kind: {rule.kind}   severity: {rule.severity}   templates: {', '.join(rule.templates)}", file=stdout)
        if rule.why:
            print(f"  {rule.why}", file=stdout)
        for t in rule.templates:
            for inst in expand(rule, templates()[t])[:40]:
                op = {"eq": "=", "le": "≤"}.get(inst.kind.relation, inst.kind.relation)
                formula = (f"{' + '.join(inst.lhs)} {op} {' + '.join(inst.rhs)}" if inst.rhs
                           else f"{inst.kind.relation}({inst.lhs[0]})")
                print(f"  [{t}] {formula}", file=stdout)
    return EXIT_OK


def main(argv: list[str] | None = None) -> None:
    sys.exit(run(argv))
