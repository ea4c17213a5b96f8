"""How much of "within 2× of the lxml floor" any Python reader has left: a lower bound.

    .venv/bin/python benchmarks/bench_budget.py [--dir DIR] [--sample 600] [--repeat 5]

On the folder of HTML reports that ``bench_throughput.py`` builds (built here too if it
is missing), in this one process and in CPU time, best of ``--repeat`` passes over a
sample of the files, each stage interleaved with the floor so that the machine's drift
hits all of them alike:

* **floor**: read the file and parse it with ``lxml.html`` (the target's yardstick);
* **parse + every cell's text**: read, parse with the reader's parser, and fetch the text
  of every table cell with one compiled XPath call per cell — the least that any reader
  which looks at each cell can do in Python, before telling which cell is which;
* **parse + stylesheet**: read, parse and run the reader's XSLT pass (the C pass that
  the reader does instead of per-cell calls; it also yields the text outside tables);
* **read**: ``gov_audit.read()`` — the reader, all of it;
* **after reading**: what a batch does with reports already read, per report: the walk
  of the folder, the audit over the compiled schema (in chunks of 128, as workers do),
  each post-pass and the JSON writer.

The lower bound is the cheaper of the two extraction stages plus the after-reading
stages: what a batch would cost with a reader that located every cell, detected year,
template and agency and built its report for free. Its ratio to the floor is the best
any Python reader on lxml can reach on these files.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from bench_throughput import build

CHUNK = 128  # what a worker audits at once (``_batch.CHUNK_MAX``)


def _best(stages: dict, repeat: int) -> dict[str, float]:
    """Best CPU seconds of each stage over ``repeat`` rounds, the stages interleaved per round."""
    best = dict.fromkeys(stages, float("inf"))
    for _ in range(repeat):
        for name, run in stages.items():
            start = time.process_time()
            run()
            best[name] = min(best[name], time.process_time() - start)
    return best


def extraction_stages(paths: list[Path]) -> dict:
    import lxml.html
    from lxml import etree

    from gov_audit._read import _html, _html_xslt, read

    parser = _html._parser()
    cells, text_of = etree.XPath("//td|//th"), etree.XPath("string()")

    def floor():
        for p in paths:
            lxml.html.document_fromstring(p.read_bytes())

    def cell_texts():
        for p in paths:
            for cell in cells(etree.fromstring(p.read_bytes(), parser)):
                text_of(cell)

    def stylesheet():
        for p in paths:
            _html_xslt._serialise(etree.fromstring(p.read_bytes(), parser))

    def reader():
        for p in paths:
            read(p)

    return {"floor": floor, "parse + every cell's text": cell_texts, "parse + stylesheet": stylesheet,
            "read (all of it)": reader}


def after_reading_stages(folder: Path, paths: list[Path]) -> dict:
    from gov_audit._api import ACROSS_REPORTS, POST_PASSES, AuditResult, audit_reports
    from gov_audit._batch import scan
    from gov_audit._output import format_results
    from gov_audit._read import read

    reports = [read(p) for p in paths]
    audited = [r for k in range(0, len(reports), CHUNK) for r in audit_reports(reports[k:k + CHUNK], post=False)]
    share = len(paths) / len(list(folder.glob("*.html")))  # the walk covers the whole folder
    stages = {"walk (share of the folder)": lambda: scan([folder]),
              "audit (chunks of 128)": lambda: [audit_reports(reports[k:k + CHUNK], post=False)
                                                for k in range(0, len(reports), CHUNK)]}
    def fresh(given):  # passes change results in place: each timed call gets its own copies
        return [AuditResult(r.report, list(r.findings)) for r in given]

    results = audited
    for step in POST_PASSES:
        stages[f"{step.__name__}{' (parent)' if step in ACROSS_REPORTS else ''}"] = \
            lambda step=step, given=results: step(fresh(given))
        results = step(fresh(results))
    stages["JSON writer"] = lambda: format_results(results, "json")
    return stages, share


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dir", type=Path, default=Path("/tmp/gov-audit-bench-2000"),
                   help="folder of rendered reports (built with 2,000 if missing)")
    p.add_argument("--sample", type=int, default=600, help="files timed (every k-th of the folder)")
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    folder_paths = build(args.dir, 2000)
    paths = folder_paths[::max(1, len(folder_paths) // args.sample)][:args.sample]
    n = len(paths)

    extract = _best(extraction_stages(paths), args.repeat)
    after, share = after_reading_stages(args.dir, paths)
    after_best = _best(after, args.repeat)
    after_best["walk (share of the folder)"] *= share
    floor = extract["floor"]

    def line(name: str, seconds: float) -> None:
        print(f"  {name:<34} {1000 * seconds / n:6.3f} ms/report  {seconds / floor:5.2f}× the floor")

    print(f"{n} of the {len(folder_paths)} reports in {args.dir}, best of {args.repeat} passes, CPU time")
    for name, seconds in extract.items():
        line(name, seconds)
    print("after reading:")
    for name, seconds in after_best.items():
        line(name, seconds)
    post = sum(after_best.values())
    line("all after reading", post)
    cheapest = min(extract["parse + every cell's text"], extract["parse + stylesheet"])
    print("lower bound (cheapest extraction + after reading; locating cells, detection and building")
    print("the report counted as free):")
    line("lower bound", cheapest + post)
    line("this reader + after reading", extract["read (all of it)"] + post)
    print("target: 2.00× the floor")


if __name__ == "__main__":
    main()
