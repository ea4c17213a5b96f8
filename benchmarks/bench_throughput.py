"""Batch throughput: ``gov-audit check DIR`` end to end on 1 and 2 cores, against lxml.

    .venv/bin/python benchmarks/bench_throughput.py [--reports 2000] [--dir DIR] [--cores 1 2]

Builds a folder of HTML reports drawn with ``gov_audit.testing.reports()`` and rendered
by the testing module's HTML writers (plain CMS pages, pages with split tables, Word
exports), then, in the same run and with the process pinned to the cores measured:

* the floor: read every file and parse it with ``lxml.html`` — nothing else — on 1 core,
  and the same split over N processes on N cores (what the machine gives parallel work);
* end to end: ``gov_audit._cli.run(["check", DIR, "--format", "json", "-o", ..., "-j", N])``
  — walk; read, audit and run the per-report passes in N worker processes (in this
  process for N = 1); the cross-year pass and writing the JSON in this process.

It prints reports per second and the ratios: end-to-end time over the lxml floor per
core (target ≤ 2) and the speed-up from 1 to 2 cores (target: near 2).
"""
from __future__ import annotations

import argparse
import io
import os
import random
import tempfile
import time
import warnings
from pathlib import Path

HTML_FORMS = ("html", "html_split", "word_html")
PER_REPORT = 10  # renderings (form × seed) of each drawn report


def _renderer():
    """The testing module's HTML renderer, wherever it is exported."""
    import gov_audit.testing as testing

    for name in ("render_html", "render"):
        if hasattr(testing, name):
            return getattr(testing, name)
    from gov_audit.testing._render import render  # not yet exported from gov_audit.testing

    return render


def build(folder: Path, n: int, seed: int = 20240501) -> list[Path]:
    """Write ``n`` HTML reports into ``folder`` (reused if it already holds them)."""
    existing = sorted(folder.glob("*.html"))
    if len(existing) >= n:
        return existing[:n]
    from hypothesis.errors import NonInteractiveExampleWarning

    from gov_audit.testing import reports

    render = _renderer()
    warnings.simplefilter("ignore", NonInteractiveExampleWarning)
    strategy = reports(None)
    rng = random.Random(seed)
    drawn = [strategy.example() for _ in range(-(-n // PER_REPORT))]
    paths = []
    for i in range(n):
        report, form = drawn[i // PER_REPORT], rng.choice(HTML_FORMS)
        path = folder / f"{i:05d}-{form}.html"
        text = render(report, form, seed=i) if render.__name__ == "render" else render(report, seed=i)
        path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
        paths.append(path)
    return paths


def pin(cores: int) -> None:
    available = sorted(os.sched_getaffinity(0) | set(range(os.cpu_count() or 1)))
    os.sched_setaffinity(0, set(available[:cores]))


def lxml_floor(paths: list[Path]) -> float:
    import lxml.html

    start = time.perf_counter()
    for p in paths:
        lxml.html.document_fromstring(p.read_bytes())
    return time.perf_counter() - start


def _parse_slice(paths: list[Path]) -> None:
    import lxml.html

    for p in paths:
        lxml.html.document_fromstring(p.read_bytes())


def lxml_floor_parallel(paths: list[Path], cores: int) -> float:
    """Wall seconds for ``cores`` processes parsing a share of the files each: what this
    machine gives any perfectly parallel work on that many cores (shared caches, memory)."""
    import multiprocessing

    shares = [paths[i::cores] for i in range(cores)]
    procs = [multiprocessing.get_context("fork").Process(target=_parse_slice, args=(share,)) for share in shares]
    start = time.perf_counter()
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join()
    return time.perf_counter() - start


def cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def end_to_end(folder: Path, jobs: int, out: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (this process and its workers) and the exit status."""
    from gov_audit._cli import run

    start, start_cpu = time.perf_counter(), cpu()
    code = run(["check", str(folder), "--format", "json", "-o", str(out), "-j", str(jobs)],
               stdout=io.StringIO(), stderr=io.StringIO())
    return time.perf_counter() - start, cpu() - start_cpu, code


def phases(folder: Path) -> None:
    """Where the CPU time goes, stage by stage, in one process (what each worker does per chunk)."""
    from gov_audit._api import ACROSS_REPORTS, POST_PASSES, audit_reports
    from gov_audit._batch import read_all, scan
    from gov_audit._output import format_results

    steps = []

    def timed(name, fn, *args, **kw):
        start, start_cpu = time.perf_counter(), cpu()
        value = fn(*args, **kw)
        steps.append((name, time.perf_counter() - start, cpu() - start_cpu))
        return value

    found = timed("walk", scan, [folder])
    reports = timed("read", read_all, found.inputs, jobs=1)
    results = timed("audit (compiled schema)", audit_reports, reports, post=False)
    for step in POST_PASSES:
        where = "parent" if step in ACROSS_REPORTS else "workers"
        results = timed(f"post-pass {step.__name__} ({where})", step, results)
    timed("write JSON (parent)", format_results, results, "json")
    n = len(found.inputs)
    for name, wall, used in steps:
        print(f"  {name:<42} {wall:7.2f} s wall {used:7.2f} s CPU  {1000 * used / n:6.2f} ms CPU/report")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--reports", type=int, default=2000)
    p.add_argument("--dir", type=Path, help="folder for the reports (kept; reused when full)")
    p.add_argument("--cores", type=int, nargs="+", default=[1, 2])
    p.add_argument("--phases", action="store_true", help="also time each stage once, in one process on 1 core")
    args = p.parse_args()
    tmp = None
    if args.dir is None:
        tmp = tempfile.TemporaryDirectory(prefix="gov-audit-bench-")
        args.dir = Path(tmp.name)
    args.dir.mkdir(parents=True, exist_ok=True)
    import gov_audit  # noqa: F401 - import time is not what is measured

    t = time.perf_counter()
    paths = build(args.dir, args.reports)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} HTML reports, {size / 1e6:.1f} MB, in {args.dir} (built in {time.perf_counter() - t:.1f} s)")
    out = Path(tempfile.mkdtemp(prefix="gov-audit-bench-out-")) / "out.json"
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores "
          "(other work on the machine inflates wall times; CPU seconds are not)")
    pin(1)
    lxml_floor(paths[:50])  # warm the page cache
    start_cpu = cpu()
    floor = lxml_floor(paths)
    floor_cpu = cpu() - start_cpu
    print(f"lxml parse only, 1 core: {floor:.2f} s wall, {floor_cpu:.2f} s CPU  ({len(paths) / floor:,.0f} reports/s)")
    for cores in args.cores:
        if cores > 1:
            pin(cores)
            wall = lxml_floor_parallel(paths, cores)
            print(f"lxml parse only, {cores} processes on {cores} cores: {wall:.2f} s wall "
                  f"(speed-up {floor / wall:.2f}×: the most this machine gives perfectly parallel work)")
    rates = {}
    for cores in args.cores:
        pin(cores)
        seconds, used, code = end_to_end(args.dir, cores, out)
        rates[cores] = len(paths) / seconds
        print(f"end to end, {cores} core{'s' if cores > 1 else ''}: {seconds:.2f} s wall, {used:.2f} s CPU  "
              f"({rates[cores]:,.1f} reports/s, exit {code})  "
              f"ratio to the lxml floor per core: {seconds / (floor / cores):.1f}× wall, {used / floor_cpu:.1f}× CPU")
    if 1 in rates and len(rates) > 1:
        for cores, rate in rates.items():
            if cores > 1:
                print(f"speed-up 1 → {cores} cores: {rate / rates[1]:.2f}× (linear: {cores}×)")
    if args.phases:
        print("stages, in one process on 1 core:")
        pin(1)
        phases(args.dir)
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
