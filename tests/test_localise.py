"""Error localisation: which cell is wrong and what it should be (Fellegi–Holt)."""
from __future__ import annotations

import io
import json
import shutil

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _corpus import CORPUS, truth_cells
from gov_audit import Report, audit, audit_reports, get_template
from gov_audit import _fh, _localise
from gov_audit._api import POST_PASSES
from gov_audit._cli import run
from gov_audit._explain import lines, neighbour_codes
from gov_audit._fh import _System
from gov_audit._localise import localise
from gov_audit._resources import ENV_VAR, rules_dir
from gov_audit._typos import digit_story, story
from gov_audit.testing import corruptions, reports

T21 = get_template("2021")


def pingtan_2022(**changes) -> Report:
    cells = truth_cells("pingtan-2022.txt", T21.codes)
    cells.update({k.replace("__", "."): v for k, v in changes.items()})
    return Report("pingtan-2022", "2021", cells)


def test_the_pass_is_registered_once():
    assert POST_PASSES.count(_localise.localise_pass) == 1


@pytest.mark.parametrize("printed, value, expected", [
    (135, 153, "transposed"), (73, 37, "transposed"), (2, 21, "dropped_digit"), (15, 125, "dropped_digit"),
    (211, 21, "doubled_digit"), (281, 21, "extra_digit"), (25, 21, "wrong_digit"), (-5, 5, "sign"),
    (21, 21, None), (100, 7, None),
])
def test_digit_stories(printed, value, expected):
    assert digit_story(printed, value) == expected


def test_story_prefers_a_copied_neighbour_to_one_wrong_digit_and_ignores_zeros():
    assert story(5, 3, is_total=False, neighbours=(5, 0)) == "neighbour"
    assert story(0, 3, is_total=False, neighbours=(0,)) == "wrong_digit"
    assert story(0, 75, is_total=True, neighbours=(0,)) == "blank_total"


def test_a_transposed_cell_is_singled_out_with_its_value_and_story():
    [loc] = localise(pingtan_2022(t3__unable_not_held__natural=73))  # printed 73, truly 37
    assert not loc.ambiguous and loc.size == 1
    assert loc.suspects == ("t3.unable_not_held.natural",)
    assert loc.suggestions == {"t3.unable_not_held.natural": 37.0}
    zh, en = loc.message("zh"), loc.message("en")
    assert "印为 73；改为 37 可同时满足 2 条不成立的勾稽关系——疑为数字颠倒" in zh
    assert "is printed 73; 37 would satisfy both failing identities — transposed digits?" in en


def test_findings_carry_suspects_suggestions_and_the_explanation():
    result = audit(pingtan_2022(t3__total__total=0).cells, template="2021")  # a total printed 0
    failing = [f for f in result.errors if f.reason == "identity_violated"]
    assert len(failing) == 3
    for f in failing:
        assert f.suspects == ("t3.total.total",)
        assert dict(f.suggestions) == {"t3.total.total": 75.0}
        assert "可同时满足 3 条" in f.message_zh and "合计栏漏填" in f.message_zh
        assert f.to_dict()["suggestions"] == {"t3.total.total": 75}


def test_cells_in_only_one_identity_cannot_be_singled_out():
    [loc] = localise(pingtan_2022(t4__review__total=3))  # table 4 rows: one identity each
    assert loc.ambiguous and loc.one_identity
    assert set(loc.suspects) == {f"t4.review.{c}" for c in ("upheld", "corrected", "other", "pending", "total")}
    assert loc.suggestions["t4.review.total"] == 2.0  # one value per alternative
    assert "无法唯一确定" in loc.message("zh") and "单凭勾稽关系无法区分" in loc.message("zh")
    assert "cannot single one out" in loc.message("en")


def test_a_telling_slip_is_preferred_over_an_equally_small_change_that_tells_nothing():
    # 予以公开/部分公开 自然人 swapped: the swap and a two-cell change with no story are both minimal
    [loc] = localise(pingtan_2022(t3__granted__natural=8, t3__partial__natural=21))
    assert loc.size == 2 and len(loc.explanations) == 2
    first = loc.explanations[0]
    assert first.pattern == "swapped" and set(first.cells) == {"t3.granted.natural", "t3.partial.natural"}
    assert loc.preferred and not loc.ambiguous
    assert loc.suspects == ("t3.granted.natural", "t3.partial.natural")
    assert loc.suggestions == {"t3.granted.natural": 21.0, "t3.partial.natural": 8.0}
    assert "相邻两格数值互换" in loc.message("zh") and "另有 1 种" in loc.message("zh")
    assert "none looking like a common slip" in loc.message("en")


def test_equally_telling_explanations_are_listed_not_guessed():
    # 予以公开 printed 12 for 21 in 自然人 and 总计 (transposed); the rows printed 1 (e.g. 属于三类
    # 内部事务信息) could as well have lost a 0 (10, a dropped digit, twice): just as telling
    [loc] = localise(pingtan_2022(t3__granted__natural=12, t3__granted__total=12))
    tops = [e for e in loc.explanations if e.score == loc.explanations[0].score]
    assert len(tops) >= 2 and loc.ambiguous and not loc.preferred
    assert "无法唯一确定" in loc.message("zh")
    assert {"t3.granted.natural", "t3.granted.total"} <= set(loc.suspects)


def test_a_shifted_row_is_recognised():
    cells = truth_cells("pingtan-2022.txt", T21.codes)
    row = [f"t3.granted.{c}" for c in T21.tables["t3"].row_columns["granted"]]
    printed = [cells[c] for c in row]
    cells.update(dict(zip(row, [0.0] + printed[:-1])))  # every value one cell to the right
    [loc] = localise(Report("shifted", "2021", cells))
    best = loc.explanations[0]
    assert best.pattern == "shift_row"
    assert {c.code: c.value for c in best.changes} == {c: v for c, v in zip(row, printed) if cells[c] != v}


def test_cell_lines_and_neighbours_follow_the_rules_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert lines("t2.rules.issued", T21) == (("t2.rules.issued", "t2.rules.repealed", "t2.rules.in_force"),
                                              ("t2.rules.issued", "t2.normative.issued"))
    assert neighbour_codes("t2.rules.issued", T21) == ("t2.rules.repealed", "t2.normative.issued")
    folder = tmp_path / "rules"
    shutil.copytree(rules_dir(), folder)
    path = folder / "templates" / "2021.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["tables"]["t2"]["rows"]["rules"]["columns"] = ["repealed", "issued", "in_force"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv(ENV_VAR, str(folder))
    moved = get_template("2021")
    assert lines("t2.rules.issued", moved)[0] == ("t2.rules.repealed", "t2.rules.issued", "t2.rules.in_force")
    assert neighbour_codes("t2.rules.issued", moved) == ("t2.rules.repealed", "t2.rules.in_force",
                                                         "t2.normative.issued")
    assert neighbour_codes("t2.rules.issued", T21) == ("t2.rules.repealed", "t2.normative.issued")


def test_blank_cells_are_never_suspects_nor_zero():
    cells = truth_cells("shuyang-fgj-2023.html", T21.codes)  # five organisation columns blank
    cells["t3.granted.natural"] = 62.0  # printed 62, truly 26
    locs = localise(Report("fgj", "2021", cells))
    blank = {c for c, v in cells.items() if v is None}
    assert locs and all(not (set(l.suspects) & blank) for l in locs)
    [loc] = locs
    # with the row identities unchecked, 自然人 and 总计 of a row share all their identities
    assert loc.suggestions.get("t3.granted.natural") == 26.0


def test_enumeration_and_milp_agree_on_a_small_grid(monkeypatch):
    # a b | a+b ; c d | c+d ; a+c b+d | total — four cells broken, more than EXACT_UP_TO
    A = np.array([[1, 1, -1, 0, 0, 0, 0, 0, 0], [0, 0, 0, 1, 1, -1, 0, 0, 0], [0, 0, 0, 0, 0, 0, 1, 1, -1],
                  [1, 0, 0, 1, 0, 0, -1, 0, 0], [0, 1, 0, 0, 1, 0, 0, -1, 0], [0, 0, 1, 0, 0, 1, 0, 0, -1]], float)
    x0 = np.array([1, 2, 3, 4, 5, 9, 5, 7, 12], float)
    x0[[0, 4]] = [3, 8]  # two errors on the diagonal
    codes = [f"t3.{r}.{c}" for r in ("new", "carry_in", "total") for c in ("natural", "commercial", "total")]
    s = _System(codes, x0, A, np.ones(6, bool), [f"r{i}" for i in range(6)], np.ones(9, bool), np.ones(9, bool))
    exact = _fh._exact(s, 3)
    assert [sorted(v) for v in exact] == [[0, 4]]
    assert exact[0] == {0: 1.0, 4: 5.0}
    assert _fh._milp(s, []) == [0, 4]
    assert _fh._milp(s, [[0, 4]]) != [0, 4]  # the no-good cut excludes it
    monkeypatch.setattr(_fh, "EXACT_UP_TO", 1)  # force the MILP path end to end
    loc = _localise._localise_system(s, T21, dict(zip(codes, x0)))
    assert loc.explanations[0].cells == ("t3.new.natural", "t3.carry_in.commercial") and not loc.ambiguous


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_property_the_corrupted_cell_is_always_a_suspect_and_fixes_hold(data):
    clean = data.draw(reports("2021", blanks=False))
    broken, c = data.draw(corruptions(clean, detectable=True, cells=[x for x in T21.codes if x.startswith("t3.")],
                                      kinds=["off_by", "transposed", "dropped_digit", "doubled_digit", "neighbour"]))
    [loc] = localise(broken)
    assert c.cell in loc.suspects
    # every cell of table 3 lies in one row and one column identity: always identifiable
    assert not loc.ambiguous and loc.suggestions == {c.cell: c.original}
    fixed = dict(broken.cells)
    fixed.update(loc.suggestions)
    assert localise(Report("fixed", "2021", fixed)) == []


def test_localisation_is_deterministic():
    r = pingtan_2022(t3__granted__natural=8, t3__partial__natural=21)
    assert localise(r) == localise(r)


def test_cli_json_shows_suspects_and_suggestions(tmp_path):
    text = (CORPUS / "shanghai-office-2025.md").read_text(encoding="utf-8")
    assert "| （一）予以公开 | 201 |" in text
    broken = tmp_path / "shanghai-broken.md"
    broken.write_text(text.replace("| （一）予以公开 | 201 |", "| （一）予以公开 | 210 |"), encoding="utf-8")
    out = io.StringIO()
    code = run(["check", str(broken), "--format", "json"], stdout=out, stderr=io.StringIO())
    assert code == 1
    [report] = json.loads(out.getvalue())["reports"]
    located = [f for f in report["findings"] if f["suspects"]]
    assert located and all(f["suspects"] == ["t3.granted.natural"] for f in located)
    assert all(f["suggestions"] == {"t3.granted.natural": 201} for f in located)
    assert any("疑为数字颠倒" in f["message_zh"] for f in located)


def test_results_without_failures_are_untouched():
    [result] = audit_reports([pingtan_2022()])
    assert all(not f.suspects for f in result.findings)
