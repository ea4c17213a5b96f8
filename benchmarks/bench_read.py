"""Reading speed: ``gov_audit._read.read()`` per report and form, against parsing with lxml.

    .venv/bin/python benchmarks/bench_read.py [--reports 30] [--repeat 5] [--forms html markdown ...]

Draws the same reports on every run (``gov_audit.testing.reports()`` under a fixed
Hypothesis seed), renders each in every form asked for
(``gov_audit.testing._render.render``), then, in this one process, times in CPU time
(comparable on a shared, busy machine):

* ``read()`` on each rendering (bytes in, ``Report`` out): the first read of each
  report (what a batch sees: the reader's caches of cell texts are warm only for text
  seen before) and the best of ``--repeat`` further passes;
* the floor: ``lxml.html.document_fromstring`` on the same bytes for HTML forms, and on
  the plain ``html`` rendering of the same report for the other forms (the work a batch
  is measured against: "within 2x of merely parsing the files with lxml");

and prints ms/report and the ratio read/lxml per form, then the same for the files of
``tests/fixtures/corpus``. Run it before and after a change to the readers.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
DEFAULT_FORMS = ("html", "html_split", "word_html", "text_lines", "text_spaced", "text_run", "markdown")


def draw(n: int, seed: int) -> list:
    """``n`` reports, the same ones on every run (``strategy.example()`` is not seedable)."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hseed

    from gov_audit.testing import reports

    out: list = []

    @hseed(seed)
    @settings(max_examples=n, database=None, phases=[Phase.generate], deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(reports(None))
    def collect(report) -> None:
        if len(out) < n:
            out.append(report)

    collect()
    return out


def best(fn, items: list, repeat: int) -> float:
    """Best total CPU seconds over ``repeat`` passes of ``fn`` over ``items``.

    CPU time of this process, not wall time: the numbers stay comparable on a shared, busy machine.
    """
    times = []
    for _ in range(repeat):
        start = time.process_time()
        for item in items:
            fn(item)
        times.append(time.process_time() - start)
    return min(times)


def as_bytes(doc) -> bytes:
    return doc.encode("utf-8") if isinstance(doc, str) else doc


def row(name: str, n: int, kb: float, first_s: float, read_s: float, lxml_s: float) -> None:
    f, r, x = 1000 * first_s / n, 1000 * read_s / n, 1000 * lxml_s / n
    ratio = f"{r / x:8.1f}x" if x == x else f"{'-':>9}"
    print(f"{name:<28} {n:>4} {kb:7.1f} {f:9.2f} {r:9.2f} {x:9.3f} {ratio}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--reports", type=int, default=30)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--seed", type=int, default=20240501)
    p.add_argument("--forms", nargs="+", default=list(DEFAULT_FORMS))
    p.add_argument("--no-corpus", action="store_true")
    args = p.parse_args()

    import lxml.html

    from gov_audit._errors import InputError
    from gov_audit._read import read
    from gov_audit.testing._render import render

    def parse(data: bytes) -> None:
        lxml.html.document_fromstring(data)

    def read_one(data) -> None:
        try:
            read(data)
        except InputError:  # a rendering the reader gives up on still costs its time
            pass

    drawn = draw(args.reports, args.seed)
    floor_docs = [as_bytes(render(r, "html", seed=i)) for i, r in enumerate(drawn)]
    read_one(floor_docs[0])  # load the templates and rules outside the timing
    print("first: the first read of each report (what a batch sees); read: best of --repeat passes;")
    print("lxml: lxml.html.document_fromstring on the same bytes (on the html rendering for non-HTML forms)\n")
    print(f"{'form':<28} {'n':>4} {'KB/doc':>7} {'first ms':>9} {'read ms':>9} {'lxml ms':>9} {'ratio':>9}")
    for form in args.forms:
        docs = [as_bytes(render(r, form, seed=i)) for i, r in enumerate(drawn)]
        first_s = best(read_one, docs, 1)
        read_s = best(read_one, docs, args.repeat)
        lxml_s = best(parse, docs if "html" in form else floor_docs, args.repeat)
        row(form, len(docs), sum(map(len, docs)) / len(docs) / 1024, first_s, read_s, lxml_s)
    if args.no_corpus or not CORPUS.is_dir():
        return
    print()
    for path in sorted(CORPUS.iterdir()):
        if path.suffix not in (".html", ".txt", ".md") or path.name == "README.md":
            continue
        data = path.read_bytes()
        first_s = best(read_one, [str(path)], 1)
        read_s = best(read_one, [str(path)], args.repeat * 3)
        lxml_s = best(parse, [data], args.repeat * 3) if path.suffix == ".html" else float("nan")
        row(path.name, 1, len(data) / 1024, first_s, read_s, lxml_s)


if __name__ == "__main__":
    main()
