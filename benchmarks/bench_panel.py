"""Panel validation vs naive per-report pandera validation, measured in one process.

    python benchmarks/bench_panel.py [N] [SAMPLE]

Validates a panel of N (default 100,000) synthetic reports through the compiled schema
(``audit_panel``: evaluation frame, one pandera pass, findings), and, in the same run,
the naive way on SAMPLE reports: one ``schema.validate`` call per report. Prints the
per-report cost of both and their ratio, then the cost of one validation alone (the
evaluation frame built beforehand) for panels of 1 to N reports: pandera's fixed cost.
CPU time (``time.process_time``), so that other processes on the machine count less.
"""
from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))

import gov_audit  # noqa: E402
from gov_audit._compile import compiled_for, failure_cases  # noqa: E402
from synthetic import consistent_panel  # noqa: E402


def _best_of(repeats: int, fn) -> float:
    best = float("inf")
    for _ in range(repeats):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    sample = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    for template in ("2021", "2019"):
        panel = consistent_panel(n, template, seed=1)
        compiled = compiled_for(template)  # compile once, outside the timing (cached in real use)
        gov_audit.audit_panel(panel.head(10), template)  # warm-up
        t0 = time.process_time()
        result = gov_audit.audit_panel(panel, template)
        panel_s = time.process_time() - t0
        errors = sum(f.severity == "error" for f in result.findings_list)

        t0 = time.process_time()
        for i in range(sample):
            one = panel.iloc[[i]]
            failure_cases(compiled, compiled.evaluation_frame(one))
        naive_s = time.process_time() - t0

        per_panel = panel_s / n
        per_naive = naive_s / sample
        print(f"template {template}: panel of {n:,} reports in {panel_s:.2f} s "
              f"({per_panel * 1e6:.1f} µs/report, {errors:,} error findings); "
              f"naive per-report pandera on {sample} reports: {per_naive * 1e3:.2f} ms/report; "
              f"ratio {per_naive / per_panel:,.0f}x")

        sizes = sorted({s for s in (1, 16, 128, 2_000, n) if s <= n})
        costs = []
        for size in sizes:
            frame = compiled.evaluation_frame(panel.iloc[:size])
            costs.append(f"{size:,}: {_best_of(5 if size <= 2_000 else 2, lambda: failure_cases(compiled, frame)) * 1e3:.1f} ms")
        print(f"  one validation (frame built beforehand), by panel size — {'; '.join(costs)}")


if __name__ == "__main__":
    main()
