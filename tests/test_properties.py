"""Property tests of the rules, with gov_audit.testing's strategies.

Each property is followed by its table of past failures and hand examples (the
``…_examples`` twin). One audit validates a whole pandera schema, whatever the number
of reports, so properties draw a *batch* of reports per example and audit it in one
pass; ``test_panel_audit_matches_single_audits`` is what makes that legitimate.

The independent evaluator below reads the YAML rule and template files itself — it
shares no code with ``_rules`` or ``_compile`` — and is the second opinion the compiled
schema is checked against.
"""
from __future__ import annotations

import dataclasses
import fnmatch
import itertools
import re
from pathlib import Path

import pandera.pandas as pa
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import gov_audit
from gov_audit._audit import _blank_findings
from gov_audit._compile import compiled_for
from gov_audit._resources import rules_dir
from gov_audit._template import get_template
from gov_audit.testing import CORRUPTION_KINDS, Corruption, blind_spots, corruptions, reports

from _corpus import truth_cells

TEMPLATES = ("2019", "2021")
VALUE_KINDS = ("off_by", "transposed", "dropped_digit", "doubled_digit", "neighbour")


# ---------------------------------------------------------------- independent evaluator

class Evaluator:
    """The rules of one template, expanded and evaluated straight from the YAML files."""

    def __init__(self, template: str, folder: Path | None = None):
        folder = Path(folder or rules_dir())
        raw = next(d for d in (yaml.safe_load(p.read_text(encoding="utf-8"))
                               for p in sorted((folder / "templates").glob("*.yaml"))) if str(d["template"]) == template)
        self.tables = raw["tables"]
        self.codes = [f"{t}.{r}.{c}" for t, spec in self.tables.items() for r, rs in spec["rows"].items()
                      for c in rs.get("columns", list(spec["columns"]))]
        self.linear, self.unary = [], []  # (id, severity, relation, lhs, rhs) / (id, severity, relation, cell)
        for path in sorted((folder / "checks").glob("*.yaml")):
            for rule in yaml.safe_load(path.read_text(encoding="utf-8"))["rules"]:
                if template in rule["templates"]:
                    self._expand(rule)

    def _members(self, table: str, name: str) -> list[str]:
        spec = self.tables[table]
        groups = {**spec.get("row_groups", {}), **spec.get("column_groups", {}),
                  "rows": list(spec["rows"]), "columns": list(spec["columns"])}
        return list(groups[name])

    def _cells(self, pattern: str, binding: dict) -> list[str]:
        text = re.sub(r"\{(\w+)\}", lambda m: binding[m.group(1)], pattern)
        table = text.split(".")[0]
        parts = [self._members(table, p[1:-1]) if p.startswith("<") else [p] for p in text.split(".")]
        return [".".join(x) for x in itertools.product(*parts)]

    def _expand(self, rule: dict) -> None:
        relation = {"sum_identity": "eq", "at_most": "le", "non_negative": "non_negative",
                    "integer": "integer"}.get(rule["kind"])
        if relation is None:  # cross-year and narrative rules are not in-year cell rules
            return
        if "cells" in rule:
            for code in self.codes:
                if any(fnmatch.fnmatchcase(code, p) for p in rule["cells"]) and \
                        not any(fnmatch.fnmatchcase(code, p) for p in rule.get("except", [])):
                    self.unary.append((rule["id"], rule["severity"], relation, code))
            return
        axes = []
        for var, values in (rule.get("for_each") or {}).items():
            if isinstance(values, str):
                table, group = values.split(".")
                values = self._members(table, group)
            axes.append([(var, v) for v in values])
        for combo in itertools.product(*axes):
            binding = dict(combo)
            lhs = [c for p in rule["lhs"] for c in self._cells(p, binding)]
            rhs = [c for p in rule["rhs"] for c in self._cells(p, binding)]
            self.linear.append((rule["id"], rule["severity"], relation, lhs, rhs))

    def violations(self, cells: dict) -> set[tuple[str, frozenset]]:
        """(rule id, cells) of every instance the cells break; blanks are never 0."""
        out = set()
        for rid, _, relation, lhs, rhs in self.linear:
            values = [cells[c] for c in lhs + rhs]
            if any(v is None for v in values):
                continue
            r = sum(cells[c] for c in lhs) - sum(cells[c] for c in rhs)
            if (abs(r) > 1e-6) if relation == "eq" else (r > 1e-6):
                out.add((rid, frozenset(lhs + rhs)))
        for rid, _, relation, code in self.unary:
            v = cells[code]
            if v is not None and ((v < 0) if relation == "non_negative" else abs(v - round(v)) > 1e-6):
                out.add((rid, frozenset([code])))
        return out

    def unreported(self, cells: dict) -> set[tuple[str, frozenset]]:
        """(rule id, blank cells) of every identity with some, but not all, cells blank."""
        out = set()
        for rid, _, _, lhs, rhs in self.linear:
            blank = [c for c in lhs + rhs if cells[c] is None]
            if 0 < len(blank) < len(lhs + rhs):
                out.add((rid, frozenset(blank)))
        return out


EVALUATORS = {t: Evaluator(t) for t in TEMPLATES}


def schema_failures(batch: list, template: str) -> set[tuple[str, str, frozenset]]:
    """(report, rule id, cells) of every failure case of the compiled pandera schema."""
    compiled = compiled_for(template)
    panel = gov_audit.panel_of(batch, template)
    frame = compiled.evaluation_frame(panel)
    try:
        gov_audit.schema_for(template).validate(frame, lazy=True)
        return set()
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases
    out = set()
    for row, check in zip(fc["index"], fc["check"]):  # one failure case per column of a failing row
        inst = compiled.checked[frame.at[row, "instance"]]
        assert check == inst.rule.kind  # the check that failed is the kind of the instance on that row
        out.add((str(panel.index[frame.at[row, "report"]]), inst.rule.id, frozenset(inst.cells)))
    return out


# ---------------------------------------------------------------- helpers

def named(batch: list) -> list:
    return [dataclasses.replace(r, source=f"r{i}") for i, r in enumerate(batch)]


@st.composite
def scribbled(draw, template: str, most: int = 3):
    """A generated report with 0..``most`` corruptions of any cell (money and signed included)."""
    report = draw(reports(template))
    codes = get_template(template).codes
    for _ in range(draw(st.integers(0, most))):
        report, _ = draw(corruptions(report, cells=codes))
    return report


def report_of(template: str, cells: dict, source: str = "hand") -> gov_audit.Report:
    return gov_audit.Report(source, template, cells, year=2020 if template == "2019" else 2022)


def hand(template: str, **changes) -> gov_audit.Report:
    """A real, consistent report (tables 3 and 4 from a truth file, table 2 zeros), then changes.

    Keyword names use ``__`` for ``.``: ``t3__new__natural=5``.
    """
    base = {"2019": "pingtan-2019.txt", "2021": "pingtan-2022.txt"}[template]
    cells = truth_cells(base, get_template(template).codes)
    cells.update({k.replace("__", "."): v for k, v in changes.items()})
    return report_of(template, cells, f"{base} {changes}" if changes else base)


def zeros(template: str, blank: tuple[str, ...] = (), source: str = "zeros") -> gov_audit.Report:
    return report_of(template, {c: None if c.startswith(blank) else 0.0 for c in get_template(template).codes},
                     source)


def detected(result, c: Corruption) -> bool:
    if c.kind == "blank_total":  # the blank policy: a warning naming the blank total
        return any(f.reason == "not_reported" and c.cell in f.cells for f in result.findings)
    return any(f.severity == "error" and c.cell in f.cells for f in result.findings)


# ---------------------------------------------------------------- 1. generated reports audit clean

def batches(template_strategy):
    """A batch of reports of one template (one schema pass audits them all)."""
    return st.sampled_from(TEMPLATES).flatmap(lambda t: st.lists(template_strategy(t), min_size=1, max_size=8))


@given(batches(reports))
def test_generated_reports_audit_clean(batch):
    for result in gov_audit.audit_reports(batch):
        assert result.findings == [], f"{result.report.template}: {result.findings[0]}"


@pytest.mark.parametrize("report", [
    zeros("2019"), zeros("2021"),
    zeros("2021", blank=("t4.",), source="t4 blank"),                # table 4 not reported
    zeros("2021", blank=("t3.", "t4."), source="t3+t4 blank"),
    hand("2019"), hand("2021"),                                       # real reports
    report_of("2021", truth_cells("shanghai-office-2025.md", get_template("2021").codes), source="shanghai"),
    # carry_in takes all there is, so new = 0: the construction's bound, met with equality
    report_of("2021", {**zeros("2021").cells, **dict.fromkeys(
        ["t3.carry_in.natural", "t3.carry_in.total", "t3.granted.natural", "t3.granted.total",
         "t3.total.natural", "t3.total.total"], 2.0)}, source="new=0"),
    report_of("2021", {**zeros("2021").cells, "t2.rules.issued": 3.0, "t2.rules.in_force": 2.0,
                       "t2.rules.repealed": 1.0}, source="issued=in_force+repealed"),
], ids=lambda r: r.source)
def test_generated_reports_audit_clean_examples(report):
    assert gov_audit.audit(report).findings == []


# ---------------------------------------------------------------- 2. corruptions are caught where promised

@given(batches(lambda t: reports(t).flatmap(lambda r: corruptions(r, detectable=True))))
def test_detectable_corruption_is_caught(batch):
    results = gov_audit.audit_reports([broken for broken, _ in batch])
    for (_, change), result in zip(batch, results):
        assert change.new != change.original
        assert detected(result, change), f"not detected: {change}"


@pytest.mark.parametrize("template, base, change", [
    # tables 3 and 4 of the real reports pingtan-2022 (2021 template) and pingtan-2019
    ("2021", {}, Corruption("transposed", "t3.new.natural", 71, 17)),
    ("2021", {}, Corruption("transposed", "t3.unable_not_held.natural", 37, 73)),
    ("2021", {}, Corruption("dropped_digit", "t3.new.total", 74, 7)),
    ("2021", {}, Corruption("doubled_digit", "t3.granted.natural", 21, 221)),
    ("2021", {}, Corruption("off_by", "t3.carry_out.total", 0, 1)),
    ("2021", {}, Corruption("neighbour", "t3.partial.commercial", 1, 8, "t3.partial.natural")),
    ("2021", {}, Corruption("blank_total", "t3.total.total", 75, None)),
    ("2021", {}, Corruption("sign_flip", "t4.review.total", 2, -2)),
    ("2021", {"t2.license.decisions": 3}, Corruption("sign_flip", "t2.license.decisions", 3, -3)),
    ("2019", {}, Corruption("transposed", "t3.new.natural", 23, 32)),
    ("2019", {}, Corruption("off_by", "t3.other.natural", 0, 2)),
    ("2019", {}, Corruption("sign_flip", "t3.reject_repeat.natural", 3, -3)),
], ids=str)
def test_detectable_corruption_is_caught_examples(template, base, change):
    report = hand(template, **{k.replace(".", "__"): v for k, v in base.items()})
    assert report.cells[change.cell] == change.original  # the base is clean: see the examples of 1.
    assert change.cell not in blind_spots(template)[change.kind]
    broken = dataclasses.replace(report, cells={**report.cells, change.cell: change.new})
    assert detected(gov_audit.audit(broken), change)


# ---------------------------------------------------------------- 3. ...and only there

@given(st.data())
def test_blind_spot_corruption_raises_no_error(data):
    template = data.draw(st.sampled_from(TEMPLATES))
    blind = blind_spots(template)["off_by"]   # the same cells for every value-changing kind
    batch = data.draw(st.lists(reports(template).flatmap(
        lambda r: corruptions(r, kinds=VALUE_KINDS, cells=blind)), min_size=1, max_size=8))
    results = gov_audit.audit_reports([broken for broken, _ in batch])
    for (_, change), result in zip(batch, results):
        assert not detected(result, change), f"{change} is caught, so it is no blind spot"


T2_COUNTS = {
    "2019": [f"t2.{r}.{c}" for r in ("rules", "normative") for c in ("new_made", "new_pub", "total_pub")]
    + [f"t2.{r}.{c}" for r in ("license", "other_service", "penalty", "coercion") for c in ("prev_items", "decisions")]
    + ["t2.fee.prev_items", "t2.procurement.items"],
    "2021": [f"t2.{r}.{c}" for r in ("rules", "normative") for c in ("issued", "repealed", "in_force")]
    + [f"t2.{r}.decisions" for r in ("license", "penalty", "coercion")],
}


@pytest.mark.parametrize("template", TEMPLATES)
def test_blind_spots_are_what_the_rules_imply(template):
    # Written out by hand from rules/checks: table 2 has no identity, only warnings and
    # non-negativity; every table-3 and table-4 cell is in an error-severity identity.
    blind = blind_spots(template)
    assert set(blind) == set(CORRUPTION_KINDS)
    assert {k: sorted(v) for k, v in blind.items()} == {
        **{k: sorted(T2_COUNTS[template]) for k in VALUE_KINDS}, "sign_flip": [], "blank_total": []}
    # ...and derived again by the independent evaluator
    ev = EVALUATORS[template]
    counts = [c for c in get_template(template).codes if get_template(template).cells[c].kind == "count"]
    covered = {c for rid, sev, rel, lhs, rhs in ev.linear if sev == "error" and rel == "eq" for c in lhs + rhs}
    assert set(blind["off_by"]) == set(counts) - covered


@pytest.mark.parametrize("template, cell, new", [
    ("2021", "t2.license.decisions", 7.0),      # no rule relates it to anything
    ("2021", "t2.rules.issued", 1.0),           # within issued <= in_force + repealed
    ("2021", "t2.rules.issued", 9.0),           # beyond it: a warning, still no error
    ("2019", "t2.procurement.items", 12.0),
])
def test_blind_spot_corruption_raises_no_error_examples(template, cell, new):
    result = gov_audit.audit(hand(template, **{cell.replace(".", "__"): new}))
    assert result.errors == []


# ---------------------------------------------------------------- 4. compiled schema == independent evaluation

def assert_agreement(batch: list, template: str) -> None:
    ev = EVALUATORS[template]
    expected = {(r.source, rid, cells) for r in batch for rid, cells in ev.violations(r.cells)}
    assert schema_failures(batch, template) == expected
    compiled = compiled_for(template)  # the blank policy's warnings, without a second schema pass
    values = compiled.cell_matrix(gov_audit.panel_of(batch, template))
    unreported = {(f.report, f.rule, frozenset(f.cells))
                  for f in _blank_findings(compiled, values, [r.source for r in batch])}
    assert unreported == {(r.source, rid, cells) for r in batch for rid, cells in ev.unreported(r.cells)}


@given(st.data())
def test_schema_agrees_with_independent_evaluation(data):
    template = data.draw(st.sampled_from(TEMPLATES))
    assert_agreement(named(data.draw(st.lists(scribbled(template), min_size=1, max_size=8))), template)


@pytest.mark.parametrize("report", [
    hand("2021"), zeros("2019", blank=("t3.",)),
    hand("2021", t3__new__natural=-64),                  # negative and off: two rules
    hand("2021", t3__granted__total=None),               # a blank total: not_reported only
    hand("2021", t2__fee__fee_amount=-1.5),              # money: non-negative, not integer-checked
    hand("2019", t2__license__delta=-3),                 # signed: no rule at all
    hand("2021", t4__review__upheld=0.5),                # not a whole number, and off
    hand("2021", t2__rules__issued=4, t2__rules__in_force=1),  # an at_most warning
    hand("2021", t4__review__corrected=1 - 1e-9),        # float noise below a whole number (was: not_integer)
], ids=lambda r: r.source)
def test_schema_agrees_with_independent_evaluation_examples(report):
    assert_agreement([report], report.template)


# ---------------------------------------------------------------- 5. a panel audit == audits one by one

def _key(findings) -> list:
    return sorted((f.rule, f.severity, f.reason, f.instance, f.cells, f.observed, f.expected) for f in findings)


@settings(max_examples=max(1, settings.default.max_examples // 2))  # each example audits up to 4 times
@given(st.data())
def test_panel_audit_matches_single_audits(data):
    template = data.draw(st.sampled_from(TEMPLATES))
    batch = named(data.draw(st.lists(scribbled(template, most=2), min_size=1, max_size=3)))
    together = gov_audit.audit_panel(gov_audit.panel_of(batch, template), template)
    for report in batch:
        assert _key(together.for_report(report.source)) == _key(gov_audit.audit(report).findings)


@pytest.mark.parametrize("batch", [
    [hand("2021"), hand("2021", t3__new__natural=65)],               # a clean and a broken report
    [zeros("2021", blank=("t3.",)), hand("2021", t3__total__total=None)],
    [hand("2019", t4__review__total=9), hand("2019", t4__review__total=9)],  # identical reports
], ids=["clean+broken", "blanks", "twins"])
def test_panel_audit_matches_single_audits_examples(batch):
    batch = named(batch)
    together = gov_audit.audit_panel(gov_audit.panel_of(batch, batch[0].template), batch[0].template)
    assert together.findings_list  # not a comparison of two empty lists
    for report in batch:
        assert _key(together.for_report(report.source)) == _key(gov_audit.audit(report).findings)
