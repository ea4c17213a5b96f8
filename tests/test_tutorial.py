"""docs/rule-authoring.md works as written: its files are extracted and its tests run."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

import gov_audit

DOC = Path(__file__).parents[1] / "docs" / "rule-authoring.md"
FILE_BLOCK = re.compile(r"<!-- file: (?P<name>\S+) -->\n```\w*\n(?P<body>.*?)```", re.S)


def snippets() -> dict[str, str]:
    return {m["name"]: m["body"] for m in FILE_BLOCK.finditer(DOC.read_text(encoding="utf-8"))}


def test_the_tutorial_has_a_rule_and_a_short_test_file():
    files = snippets()
    assert set(files) == {"my_rules/checks/province.yaml", "test_province.py"}
    assert len(files["test_province.py"].splitlines()) < 30


@pytest.fixture(scope="module")
def tutorial(tmp_path_factory):
    """The tutorial's files, written out as a reader would, and its test module loaded."""
    root = tmp_path_factory.mktemp("tutorial")
    for name, body in snippets().items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(body, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("test_province", root / "test_province.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_tutorial_rule_loads(tutorial):
    assert tutorial.MINE in {r.id for r in tutorial.RULES}
    assert len(tutorial.RULES) == len(gov_audit.load_rules()) + 1


TESTS = ["test_reports_that_keep_every_rule_pass_the_audit", "test_my_rule_fires_exactly_when_its_formula_says",
         "test_slips_are_still_caught"]


def test_the_tutorial_lists_these_tests():
    assert re.findall(r"^def (test_\w+)", snippets()["test_province.py"], re.M) == TESTS


@pytest.mark.parametrize("name", TESTS)
def test_the_tutorial_tests_pass(tutorial, name):
    getattr(tutorial, name)()  # each is a Hypothesis test: calling it runs every example


def test_the_tutorial_rule_catches_what_it_promises(tutorial):
    # The tutorial's rule on a report that breaks it and nothing else.
    cells = {c: 0.0 for c in gov_audit.get_template("2021").codes}
    cells.update({"t4.review.upheld": 1.0, "t4.review.total": 1.0})
    found = gov_audit.audit(cells, template="2021", rules=tutorial.RULES).findings
    assert [(f.rule, f.severity) for f in found] == [(tutorial.MINE, "warning")]
