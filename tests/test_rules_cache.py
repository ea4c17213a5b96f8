"""Caches built from the rules folder follow GOV_AUDIT_RULES when it changes."""
from __future__ import annotations

import shutil

import pytest
import yaml

from gov_audit import audit, load_rules
from gov_audit._compile import compiled_for
from gov_audit._finding import _places
from gov_audit._resources import ENV_VAR, rules_dir


@pytest.fixture
def rules_copy(tmp_path, monkeypatch):
    """A copy of the packaged rules folder (GOV_AUDIT_RULES unset while it is made)."""
    monkeypatch.delenv(ENV_VAR, raising=False)
    folder = tmp_path / "rules"
    shutil.copytree(rules_dir(), folder)
    return folder


def test_compiled_rules_follow_the_rules_folder(rules_copy, monkeypatch):
    cells = {"t3.new.natural": -1}
    packaged = {f.rule for f in audit(cells).findings}  # compiles and caches the packaged rules
    assert {"t3.non_negative", "t3.balance"} <= packaged
    n_packaged = len(load_rules())
    (rules_copy / "checks" / "t3.yaml").unlink()
    monkeypatch.setenv(ENV_VAR, str(rules_copy))
    assert len(load_rules()) < n_packaged
    assert not any(i.rule.path.endswith("t3.yaml") for i in compiled_for("2021").instances)
    assert not {f.rule for f in audit(cells).findings} & {"t3.non_negative", "t3.balance"}
    monkeypatch.delenv(ENV_VAR)
    assert {f.rule for f in audit(cells).findings} == packaged


def test_cell_order_follows_the_rules_folder(rules_copy, monkeypatch):
    first, last = ("t3.new.natural",), ("t3.total.natural",)
    assert _places(first) < _places(last)  # caches the packaged order
    for path in (rules_copy / "templates").glob("*.yaml"):  # table 3's rows printed the other way up
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        rows = data["tables"]["t3"]["rows"]
        data["tables"]["t3"]["rows"] = dict(reversed(list(rows.items())))
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    monkeypatch.setenv(ENV_VAR, str(rules_copy))
    assert _places(last) < _places(first)
    monkeypatch.delenv(ENV_VAR)
    assert _places(first) < _places(last)
