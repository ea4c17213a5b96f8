"""Every output format lists the same findings.

A folder of the shared corpus plus broken files (empty, binary junk, an HTML page that
is not a report, a truncated report, a zip holding two reports, a report with
arithmetic errors) is audited once; then the terminal summary, JSON, CSV, HTML and
XLSX are each parsed back — from what they show, not from the results — and the
(report, rule, cells) of their findings compared with the audit's.
"""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import lxml.html
import openpyxl
import pytest
from _corpus import CORPUS, SEED, break_seed
from rich.console import Console

from gov_audit._batch import audit_inputs, scan
from gov_audit._output import WRITERS
from gov_audit._output._terminal import print_rich
from gov_audit._output._view import SEVERITY, WORDS
from gov_audit._template import TABLE_NAMES, templates


def build_batch_folder(folder: Path) -> Path:
    for f in sorted(CORPUS.iterdir()):
        if not f.name.endswith(".truth.json") and f.name != "README.md":
            shutil.copy(f, folder / f.name)
    seed = SEED.read_text(encoding="utf-8")
    (folder / "broken-seed.txt").write_text(break_seed(), encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "junk.docx").write_bytes(bytes(range(256)) * 40)
    (folder / "about.html").write_text("<html><head><meta charset='utf-8'><title>关于我们</title></head><body>"
                                       "<h1>关于我们</h1><p>本站由某某局主办。联系电话 12345。</p></body></html>",
                                       encoding="utf-8")
    text = (CORPUS / "pingtan-2023.txt").read_text(encoding="utf-8")
    (folder / "truncated-2023.txt").write_text(text[: int(len(text) * 0.45)], encoding="utf-8")
    with zipfile.ZipFile(folder / "drafts.zip", "w") as zf:
        zf.writestr("草稿/坡头乡2020.txt", seed)
        zf.writestr("草稿/坡头乡2020-改.txt", break_seed())
    return folder


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    folder = build_batch_folder(tmp_path_factory.mktemp("batch"))
    found = scan([folder])
    return found, audit_inputs(found.inputs)


@pytest.fixture(scope="module")
def expected(batch):
    _, results = batch
    return Counter((r.source, f.rule, frozenset(f.cells)) for r in results for f in r.findings)


def test_every_input_is_reported_with_status_and_reason(batch):
    found, results = batch
    by_name = {Path(r.source.split("!")[0]).name + ("!" + r.source.split("!")[1] if "!" in r.source else ""): r
               for r in results}
    assert len(results) == len(found.inputs) == 17
    assert [r.source for r in results] == [i.name for i in found.inputs]
    for name in ("empty.txt", "junk.docx", "about.html"):
        assert by_name[name].status == "failed" and by_name[name].report.reason, name
    assert by_name["empty.txt"].report.reason == "empty"
    assert by_name["about.html"].report.reason == "not_a_report"
    assert by_name["truncated-2023.txt"].status in ("partial", "failed")
    assert by_name["drafts.zip!草稿/坡头乡2020.txt"].status == "ok"
    assert {f.rule for f in by_name["drafts.zip!草稿/坡头乡2020-改.txt"].errors} >= {"t3.balance", "t3.row_total"}
    assert by_name["broken-seed.txt"].errors


# ---- parsing each output back --------------------------------------------------------------

TO = r"(?:至| to )"
LABEL = re.compile(rf"(表[二三四]|Table [234])「([^」]+)」(?:{TO}「([^」]+)」)?×「([^」]+)」(?:{TO}「([^」]+)」)?")


def cell_index(code: str):
    """(table name, row label, column label) → cell, and printed orders, from CellSpec.describe."""
    tpl = templates()[code]
    index, rows, cols = {}, {}, {}
    for spec in tpl.cells.values():
        m = LABEL.fullmatch(spec.describe("zh"))
        key = (m.group(1), m.group(2), m.group(4))
        index[key] = spec.code
        rows.setdefault((m.group(1), m.group(4)), []).append(m.group(2))
        cols.setdefault((m.group(1), m.group(2)), []).append(m.group(4))
    return index, rows, cols


def parse_cells(text: str, template: str) -> frozenset[str]:
    index, rows, cols = cell_index(template)
    zh = {en: zh for zh, en in TABLE_NAMES.values()}
    out = set()
    for table, row, row_end, col, col_end in LABEL.findall(text):
        table = zh.get(table, table)
        if row_end:
            names = rows[table, col]
            out |= {index[table, r, col] for r in names[names.index(row): names.index(row_end) + 1]}
        elif col_end:
            names = cols[table, row]
            out |= {index[table, row, c] for c in names[names.index(col): names.index(col_end) + 1]}
        else:
            out.add(index[table, row, col])
    return frozenset(out)


def parse_text(text: str) -> Counter:
    lines = text.splitlines()
    reports = []
    for line in lines[1:]:
        if not line:
            break
        cols = line.split("\t")
        reports.append((cols[0], cols[3] if cols[3] != "-" else "2021"))
    found, current, finding = Counter(), None, None

    def flush():
        if finding:
            found[finding[0], finding[1], parse_cells(" ".join(finding[2]), finding[3])] += 1

    for line in lines[len(reports) + 1:]:
        head = re.match(r"^(\d+)\. ", line)
        item = re.match(r"^   (\d+)\. \[[^\]]+\] (\S+)  ", line)
        if head:
            flush()
            current, finding = reports[int(head.group(1)) - 1], None
        elif item:
            flush()
            finding = (current[0], item.group(2), [], current[1])
        elif finding and re.match(r"^\s+(单元格|cells)[：:]", line):
            finding[2].append(line)
    flush()
    return found


def parse_json(text: str) -> Counter:
    doc = json.loads(text)
    return Counter((r["source"], f["rule"], frozenset(f["cells"])) for r in doc["reports"] for f in r["findings"])


def parse_csv(text: str) -> Counter:
    assert text.startswith("\ufeff")
    rows = csv.DictReader(io.StringIO(text[1:]))
    return Counter((row["report"], row["rule"], frozenset(row["cells"].split())) for row in rows)


def parse_html(text: str) -> Counter:
    doc = lxml.html.fromstring(text.encode("utf-8"))
    found = Counter()
    for section in doc.xpath("//section[contains(@class, 'report')]"):
        for li in section.xpath(".//li[contains(@class, 'note')]"):
            found[section.get("data-source"), li.get("data-rule"), frozenset(li.get("data-cells").split())] += 1
    return found


def parse_xlsx(data: bytes) -> Counter:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    rows = list(wb.worksheets[1].iter_rows(values_only=True))
    head = rows[0]
    found = Counter()
    for row in rows[1:]:
        rec = dict(zip(head, row))
        found[rec["report"], rec["rule"], frozenset((rec["cells"] or "").split())] += 1
    return found


def xlsx_commented_cells(data: bytes, results) -> set[tuple[str, str, str]]:
    """(report, rule, cell) from the comments on the per-report sheets, located by their printed labels."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    by_source = {r.source: r for r in results}
    zh = {zh: code for code, (zh, _) in TABLE_NAMES.items()}
    out = set()
    for ws in wb.worksheets[2:]:
        result = by_source[ws["A1"].value]
        tpl = templates()[result.report.template]
        table, header = None, []
        for row in ws.iter_rows():
            first = row[0].value
            if isinstance(first, str) and first.split(" ")[0] in zh:
                table = zh[first.split(" ")[0]]
            elif first in (None, "") and len(row) > 1 and isinstance(row[1].value, str):
                header = [c.value for c in row]
            for c in row[1:]:
                if c.comment is None:
                    continue
                (code,) = [s.code for s in tpl.cells.values() if s.table == table and s.row.label == first
                           and s.column.label == header[c.column - 1]]
                for m in re.finditer(r"^\d+\. \[[^\]]+\] (\S+)$", c.comment.text, re.M):
                    out.add((result.source, m.group(1), code))
    return out


@pytest.mark.parametrize("fmt, parse", [("json", parse_json), ("csv", parse_csv), ("html", parse_html),
                                        ("xlsx", parse_xlsx)])
def test_each_format_lists_the_same_findings(batch, expected, fmt, parse):
    _, results = batch
    document = WRITERS[fmt](results, lang="zh")
    assert parse(document) == expected


def test_text_summary_lists_the_same_findings(batch, expected):
    _, results = batch
    assert parse_text(WRITERS["text"](results, lang="zh", notes=True)) == expected
    assert parse_text(WRITERS["text"](results, lang="en", notes=True)) == expected
    # by default the notes (info) are counted, not listed
    plain = WRITERS["text"](results, lang="zh")
    listed = Counter((r.source, f.rule, frozenset(f.cells)) for r in results for f in r.findings
                     if f.severity != "info")
    assert parse_text(plain) == listed
    hidden = sum(f.severity == "info" for r in results for f in r.findings)
    assert hidden and plain.count("条提示") == sum(any(f.severity == "info" for f in r.findings) for r in results)


def test_rich_terminal_summary_names_every_report_and_finding(batch):
    _, results = batch
    buf = io.StringIO()
    print_rich(results, Console(file=buf, width=240, color_system=None), "zh", notes=True)
    out = buf.getvalue()
    for r in results:
        assert r.source in out
    # Each report's block runs from its heading ("n. source" at the start of a line) to the next
    # report's heading, or to the totals line after the last one, so a finding listed under
    # the wrong report is missed in its own block and counted in the other.
    listed = [(n, r) for n, r in enumerate(results, 1) if r.findings]
    starts = [out.index(f"\n{n}. {r.source}") for n, r in listed]
    assert listed and starts == sorted(starts)
    ends = starts[1:] + [out.index("\n" + WORDS["zh"]["total"].split("{", 1)[0], starts[-1])]
    for (n, r), start, end in zip(listed, starts, ends):
        block = out[start:end]
        assert len(re.findall(r"^ *\d+\. \[", block, re.M)) == len(r.findings), r.source
        for k, f in enumerate(r.findings, 1):
            assert f"{k}. [{SEVERITY['zh'][f.severity]}] {f.rule}" in block, (r.source, k)


def test_xlsx_comments_sit_on_every_cell_a_finding_names(batch):
    _, results = batch
    data = WRITERS["xlsx"](results, lang="zh")
    want = {(r.source, f.rule, c) for r in results if r.status != "failed" for f in r.findings
            for c in f.cells + f.suspects if c in templates()[r.report.template].cells}
    assert want and xlsx_commented_cells(data, results) == want


def test_html_highlights_exactly_the_cells_findings_name(batch):
    _, results = batch
    doc = lxml.html.fromstring(WRITERS["html"](results, lang="zh").encode("utf-8"))
    for r in results:
        (section,) = doc.xpath("//section[@data-source=$s]", s=r.source)
        flagged = {td.get("data-code") for td in section.xpath(".//td[contains(@class, 'flag')]")}
        named = {c for f in r.findings for c in f.cells + f.suspects}
        assert flagged == (named if r.status != "failed" else set()), r.source
        for td in section.xpath(".//td[contains(@class, 'flag')]"):
            numbers = {int(n) for n in td.get("data-findings").split()}
            assert numbers == {k for k, f in enumerate(r.findings, 1) if td.get("data-code") in f.cells + f.suspects}
