"""The JSON output is a contract other tools read (docs/json.md)."""
from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path

import pytest

from gov_audit._cli import run
from gov_audit._template import get_template

from _corpus import SEED, break_seed

FINDING_KEYS = {"rule", "severity", "cells", "suspects", "message"}


def check_json(*paths, extra=()):
    out, err = io.StringIO(), io.StringIO()
    code = run(["check", *map(str, paths), "--format", "json", *extra], stdout=out, stderr=err)
    return code, json.loads(out.getvalue()), err.getvalue()


def test_json_shape_for_a_clean_report():
    code, doc, _ = check_json(SEED)
    assert code == 0
    assert set(doc) == {"reports", "summary"}
    (rep,) = doc["reports"]
    assert {"source", "status", "template", "year", "agency", "cells", "findings"} <= set(rep)
    assert rep["status"] == "ok" and rep["template"] == "2019" and rep["year"] == 2020
    assert list(rep["cells"]) == get_template("2019").codes  # every cell, in template order
    assert rep["cells"]["t2.normative.new_made"] == 153 and isinstance(rep["cells"]["t2.normative.new_made"], int)
    assert doc["summary"]["reports"] == 1 and doc["summary"]["errors"] == 0


def test_json_findings_carry_rule_cells_and_messages(tmp_path):
    broken_path = tmp_path / "seed-broken.txt"
    broken_path.write_text(break_seed(), encoding="utf-8")  # 自然人 of 本年新收: 0 → 5
    code, doc, _ = check_json(broken_path)
    assert code == 1
    (rep,) = doc["reports"]
    assert rep["cells"]["t3.new.natural"] == 5
    errors = [f for f in rep["findings"] if f["severity"] == "error"]
    assert {f["rule"] for f in errors} == {"t3.balance", "t3.row_total"}
    assert all(FINDING_KEYS <= set(f) for f in rep["findings"])
    assert all("t3.new.natural" in f["cells"] for f in errors)
    assert all(isinstance(f["message"], str) and "表三" in f["message"] for f in errors)
    _, doc_en, _ = check_json(broken_path, extra=["--lang", "en"])
    assert all("Table 3" in f["message"] for f in doc_en["reports"][0]["findings"])


def test_unreadable_inputs_still_appear_with_status_and_reason(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    code, doc, _ = check_json(SEED, empty, tmp_path / "missing.html")
    assert code == 1  # the unreadable inputs are error findings; the seed is fine
    statuses = {r["source"]: (r["status"], r.get("reason")) for r in doc["reports"]}
    assert statuses[str(empty)] == ("failed", "empty")
    assert statuses[str(tmp_path / "missing.html")] == ("failed", "not_found")
    assert doc["summary"]["failed"] == 2


def test_exit_2_when_nothing_could_be_read(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    code, doc, _ = check_json(empty)
    assert code == 2 and doc["summary"]["failed"] == 1


def test_usage_error_exits_2_without_traceback(capsys):
    with pytest.raises(SystemExit) as info:
        run(["check", str(SEED), "--format", "yaml"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "usage" in err and "Traceback" not in err


EXE = shutil.which("gov-audit", path=str(Path(sys.executable).parent)) or shutil.which("gov-audit")


@pytest.mark.skipif(EXE is None, reason="console script not installed")
def test_console_script_runs(tmp_path):
    import subprocess

    proc = subprocess.run([EXE, "check", str(SEED), "--format", "json"], capture_output=True, text=True)
    assert proc.returncode == 0 and json.loads(proc.stdout)["reports"][0]["template"] == "2019"
