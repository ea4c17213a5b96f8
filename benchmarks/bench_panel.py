"""Panel validation vs naive per-report pandera validation, measured in one process.

    python benchmarks/bench_panel.py [N] [SAMPLE]

Validates a panel of N (default 100,000) synthetic reports through the compiled schema
(``audit_panel``: evaluation frame, one pandera pass, findings), and, in the same run,
the naive way on SAMPLE reports: one ``schema.validate`` call per report. Prints the
per-report cost of both and their ratio.
"""
from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))

import gov_audit  # noqa: E402
from gov_audit._compile import compiled_for, failure_cases  # noqa: E402
from synthetic import consistent_panel  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    sample = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    for template in ("2021", "2019"):
        panel = consistent_panel(n, template, seed=1)
        compiled = compiled_for(template)  # compile once, outside the timing (cached in real use)
        gov_audit.audit_panel(panel.head(10), template)  # warm-up
        t0 = time.perf_counter()
        result = gov_audit.audit_panel(panel, template)
        panel_s = time.perf_counter() - t0
        errors = sum(f.severity == "error" for f in result.findings_list)

        t0 = time.perf_counter()
        for i in range(sample):
            one = panel.iloc[[i]]
            failure_cases(compiled, compiled.evaluation_frame(one))
        naive_s = time.perf_counter() - t0

        per_panel = panel_s / n
        per_naive = naive_s / sample
        print(f"template {template}: panel of {n:,} reports in {panel_s:.2f} s "
              f"({per_panel * 1e6:.1f} µs/report, {errors:,} error findings); "
              f"naive per-report pandera on {sample} reports: {per_naive * 1e3:.1f} ms/report; "
              f"ratio {per_naive / per_panel:,.0f}x")


if __name__ == "__main__":
    main()
