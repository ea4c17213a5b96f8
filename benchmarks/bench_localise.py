"""How well error localisation finds the corrupted cell and its original value.

    python benchmarks/bench_localise.py [N] [--seed S] [--json FILE]

Draws N consistent reports per template with ``gov_audit.testing.reports()`` and breaks
each with ``corruptions(report, detectable=True)`` (one cell, the slips people make:
off by n, transposed / dropped / doubled digit, a neighbour's value, a flipped sign, a
total left blank). Then, through the real pipeline (``audit_reports``: one pandera pass
per template, then the post-passes):

* detected — an error naming the cell (a ``not_reported`` warning for a blank total);
* identifiable — the corrupted cell is the only cell of its part of the tables with its
  pattern of checkable identities (otherwise no method can single it out);
* localised — among identifiable: the localisation is unambiguous and names exactly the
  corrupted cell;
* suggestion correct — the suggested value for the cell equals the original;
* story — the slip named in the message matches the corruption kind (digit slips).

It also breaks two cells at once (two independent corruptions) and reports how often the
unique minimal explanation is exactly those two cells. Results go in docs/localisation.md.
"""
from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict

import numpy as np
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from gov_audit import audit_reports
from gov_audit._compile import compiled_for
from gov_audit._localise import _systems, localise
from gov_audit.testing import corruptions, reports

STORY_OF_KIND = {"transposed": {"transposed"}, "dropped_digit": {"dropped_digit"},
                 "doubled_digit": {"doubled_digit", "extra_digit"}, "sign_flip": {"sign"},
                 "neighbour": {"neighbour"}}


def draw(template: str, n: int, s: int, double: bool = False) -> list:
    """``n`` (clean report, broken report, [corruptions]) triples, reproducible by seed."""
    out = []

    @seed(s)
    @settings(max_examples=n, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def collect(data):
        clean = data.draw(reports(template))
        broken, first = data.draw(corruptions(clean, detectable=True,
                                              kinds=[k for k in ("off_by", "transposed", "dropped_digit",
                                                                 "doubled_digit", "neighbour", "sign_flip")]
                                              if double else None))
        done = [first]
        if double:
            others = [c for c in clean.template_obj.codes
                      if c.startswith(("t3.", "t4.")) and c != first.cell and broken.cells.get(c) is not None]
            broken, second = data.draw(corruptions(broken, detectable=True, cells=others,
                                                   kinds=["off_by", "transposed", "dropped_digit", "doubled_digit"]))
            done.append(second)
        out.append((clean, broken, done))

    collect()
    return out


def identifiable(report, cell: str) -> bool:
    """No other cell of the cell's component has the same pattern of checkable identities."""
    c = compiled_for(report.template)
    values = np.array([np.nan if report.cells.get(x) is None else float(report.cells[x]) for x in c.codes])
    for s in _systems(c, values):
        if cell in s.codes:
            j = s.codes.index(cell)
            mine = s.A[:, j] != 0
            return not any(np.array_equal(mine, s.A[:, k] != 0) for k in range(len(s.codes)) if k != j)
    return False


def single(cases: list) -> dict:
    results = audit_reports([b for _, b, _ in cases])
    tally: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (clean, broken, (c,)), res in zip(cases, results):
        t = tally[c.kind]
        t["cases"] += 1
        if c.kind == "blank_total":
            t["detected"] += any(f.reason == "not_reported" and c.cell in f.cells for f in res.findings)
            continue
        named = [f for f in res.errors if c.cell in f.cells]
        t["detected"] += bool(named)
        locs = [l for l in localise(broken) if c.cell in l.suspects]
        t["in_suspects"] += bool(locs)
        if not identifiable(broken, c.cell):
            continue
        t["identifiable"] += 1
        loc = locs[0] if locs else None
        if loc and not loc.ambiguous and loc.explanations[0].cells == (c.cell,):
            t["localised"] += 1
            if loc.suggestions.get(c.cell) == c.original:
                t["suggestion_correct"] += 1
            if c.kind in STORY_OF_KIND:
                t["story_checked"] += 1
                t["story_right"] += loc.explanations[0].changes[0].story in STORY_OF_KIND[c.kind]
        # the finding itself must carry it too (the pass, not just the function)
        t["finding_suggests"] += any(dict(f.suggestions).get(c.cell) == c.original for f in named)
    return {k: dict(v) for k, v in tally.items()}


def double(cases: list) -> dict:
    t: dict[str, int] = defaultdict(int)
    for clean, broken, cs in cases:
        cells = {c.cell for c in cs}
        if len(cells) < 2:
            continue
        t["cases"] += 1
        locs = localise(broken)
        found = {c for l in locs for c in l.suspects}
        t["both_in_suspects"] += cells <= found
        unique = [l for l in locs if not l.ambiguous]
        exact = {c for l in unique for c in l.explanations[0].cells}
        if len(unique) == len(locs) and exact == cells:
            t["exact_unique"] += 1
            t["values_right"] += all(l.suggestions.get(c.cell) == c.original for l in locs for c in cs
                                     if c.cell in l.suggestions)
    return dict(t)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=400)
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--json")
    args = ap.parse_args()
    report = {}
    for template in ("2021", "2019"):
        t0 = time.perf_counter()
        cases = draw(template, args.n, args.seed)
        by_kind = single(cases)
        twos = double(draw(template, max(args.n // 4, 20), args.seed + 1, double=True))
        report[template] = {"single": by_kind, "double": twos, "seconds": round(time.perf_counter() - t0, 1)}
        total = defaultdict(int)
        for counts in by_kind.values():
            for k, v in counts.items():
                total[k] += v
        print(f"template {template}: {args.n} reports, {report[template]['seconds']} s")
        print(f"  {'kind':14} {'cases':>5} {'detect':>7} {'ident':>6} {'local':>7} {'sugg':>7} {'story':>7}")
        for kind, c in sorted(by_kind.items()) + [("ALL", total)]:
            ident = c.get("identifiable", 0)
            pct = lambda a, b: f"{100 * a / b:6.1f}%" if b else "     - "  # noqa: E731
            print(f"  {kind:14} {c.get('cases', 0):5d} {pct(c.get('detected', 0), c.get('cases', 0))} {ident:6d} "
                  f"{pct(c.get('localised', 0), ident)} {pct(c.get('suggestion_correct', 0), ident)} "
                  f"{pct(c.get('story_right', 0), c.get('story_checked', 0))}")
        print(f"  two cells: {twos}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(report, fh, indent=2)


if __name__ == "__main__":
    main()
