"""A broken rule file raises RuleError naming the file and the rule; it never becomes findings."""
from __future__ import annotations

import textwrap

import pytest

from gov_audit import RuleError, load_rules
from gov_audit._rules import RULE_KINDS, expand, instances_for, load_rule_file
from gov_audit._template import get_template

GOOD = """
  - id: my.rule
    title: {zh: 标题, en: Title}
    severity: error
    kind: sum_identity
    templates: ["2021"]
    for_each: {col: t3.columns}
    lhs: ["t3.new.{col}"]
    rhs: ["t3.total.{col}"]
"""


def write(tmp_path, body: str, name="r.yaml"):
    path = tmp_path / name
    path.write_text("rules:\n" + textwrap.dedent(body), encoding="utf-8")
    return path


def test_a_good_rule_expands_per_column(tmp_path):
    (rule,) = load_rule_file(write(tmp_path, GOOD))
    inst = expand(rule, get_template("2021"))
    assert [i.key for i in inst] == list(get_template("2021").tables["t3"].columns)
    assert inst[0].lhs == ("t3.new.natural",) and inst[0].rhs == ("t3.total.natural",)


@pytest.mark.parametrize(("change", "message"), [
    (("kind: sum_identity", "kind: sum_of_squares"), "unknown kind 'sum_of_squares'"),
    (("severity: error", "severity: fatal"), "severity must be one of"),
    (("title: {zh: 标题, en: Title}", "title: {zh: 标题}"), "title needs both 'zh' and 'en'"),
    (('lhs: ["t3.new.{col}"]', 'lhs: "t3.new.{col}"'), "'lhs' must be a list"),
    (('rhs: ["t3.total.{col}"]', 'rhs: ["t3.totl.{col}"]'), "names cells that template 2021 does not have"),
    (('rhs: ["t3.total.{col}"]', 'rhs: ["t3.total.{row}"]'), "placeholder {row}"),
    (('rhs: ["t3.total.{col}"]', 'rhs: ["t3.<nosuch>.{col}"]'), "has no group <nosuch>"),
    (("for_each: {col: t3.columns}", "for_each: {col: t9.columns}"), "for_each col"),
    (('templates: ["2021"]', "templates: []"), "'templates' must list"),
    (("    severity: error", "    severity: error\n    colour: red"), "unknown keys ['colour']"),
    # ``optional`` was accepted and never read: a rule marked optional still ran
    (("    severity: error", "    severity: error\n    optional: true"), "unknown keys ['optional']"),
    (('rhs: ["t3.total.{col}"]', 'rhs: ["t3.new.{col}"]'), "cells on both sides"),
])
def test_malformed_rules_raise_with_file_and_rule(tmp_path, change, message):
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(RuleError) as info:
        for rule in load_rule_file(path):
            expand(rule, get_template("2021"))
    text = str(info.value)
    assert message in text
    assert str(path) in text and "my.rule" in text
    assert info.value.path == str(path) and info.value.rule == "my.rule"


def test_invalid_yaml_names_the_file(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("rules: [\n  - id: x\n", encoding="utf-8")
    with pytest.raises(RuleError, match="not valid YAML") as info:
        load_rule_file(path)
    assert str(path) in str(info.value)


def test_a_file_without_a_rules_list_is_refused(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_text("something: 1\n", encoding="utf-8")
    with pytest.raises(RuleError, match="top-level 'rules:' list"):
        load_rule_file(path)


def test_duplicate_ids_across_files_are_refused(tmp_path):
    (tmp_path / "checks").mkdir()
    write(tmp_path / "checks", GOOD, "a.yaml")
    write(tmp_path / "checks", GOOD, "b.yaml")
    with pytest.raises(RuleError, match="duplicate rule id"):
        load_rules(tmp_path)


def test_every_kind_is_in_the_one_registry_and_every_packaged_rule_uses_it():
    rules = load_rules()
    assert rules, "the packaged rules must load"
    assert {r.kind for r in rules} <= set(RULE_KINDS)
    for code in ("2019", "2021"):
        assert instances_for(code), code


PERIOD = """
  - id: my.period
    title: {zh: 统计期限, en: Period}
    kind: text_period
    templates: ["2021"]
    wordings: [期限, 时限]
"""


def test_the_period_rule_takes_its_wordings_as_a_list_of_words(tmp_path):
    (rule,) = load_rule_file(write(tmp_path, PERIOD))
    assert rule.spec["wordings"] == ["期限", "时限"]
    # the old single-regex key is refused rather than silently ignored
    path = write(tmp_path, PERIOD.replace("wordings: [期限, 时限]", 'patterns: ["统计(?:期限|时限)"]'), "old.yaml")
    with pytest.raises(RuleError, match="needs wordings"):
        load_rule_file(path)


@pytest.mark.parametrize("code", ["2019", "2021"])
def test_unary_rules_agree_with_the_value_kind_of_every_cell(code):
    # The table-2 rules name their exceptions (deltas, amounts) as cells; a cell added to the
    # templates later must not fall under a rule its value kind contradicts.
    from gov_audit._rules import instances_for
    from gov_audit._template import get_template

    template = get_template(code)
    allowed = {"integer": {"count", "signed_count"}, "non_negative": {"count", "money"}}
    checked = {name: 0 for name in allowed}
    for inst in instances_for(template):
        if inst.kind.name in allowed:
            assert template.cells[inst.key].kind in allowed[inst.kind.name], (inst.rule.id, inst.key)
            checked[inst.kind.name] += 1
    assert all(n > 100 for n in checked.values())  # every table's counts are covered


# --- Broken rule files that used to be accepted silently (or raised a raw TypeError /
# UnicodeDecodeError): each must raise RuleError naming the file, the rule and the key.

UNARY = """
  - id: my.rule
    title: {zh: 标题, en: Title}
    kind: non_negative
    templates: ["2019", "2021"]
    cells: ["t4.*.*"]
"""

YOY = """
  - id: my.rule
    title: {zh: 标题, en: Title}
    kind: year_over_year
    templates: ["2019", "2021"]
    for_each: {col: t3.columns}
    lhs: ["t3.carry_in.{col}"]
    rhs: ["prev:t3.carry_out.{col}"]
"""

BROKEN = [
    # (id, rule-file text, the key the message must name)
    ("unknown template", GOOD.replace('templates: ["2021"]', 'templates: ["2022"]'), "templates"),
    ("template not a code", GOOD.replace('templates: ["2021"]', 'templates: [["2021"]]'), "templates"),
    ("template twice", GOOD.replace('templates: ["2021"]', 'templates: ["2021", "2021"]'), "templates"),
    ("one pattern of several matches nothing",
     UNARY.replace('cells: ["t4.*.*"]', 'cells: ["t4.*.*", "t4.reveiw.total"]'), "cells"),
    ("no cell pattern", UNARY.replace('cells: ["t4.*.*"]', "cells: []"), "cells"),
    ("except is a string", UNARY + '    except: "t4.review.total"\n', "except"),
    ("except entry matches nothing", UNARY + '    except: ["t4.reveiw.total"]\n', "except"),
    ("except on a linear kind", GOOD + '    except: ["t3.new.total"]\n', "except"),
    ("for_each on a unary kind", UNARY + "    for_each: {col: t4.columns}\n", "for_each"),
    ("for_each value a number", GOOD.replace("{col: t3.columns}", "{col: 5}"), "for_each"),
    ("for_each value null", GOOD.replace("{col: t3.columns}", "{col: null}"), "for_each"),
    ("for_each value empty", GOOD.replace("{col: t3.columns}", "{col: []}"), "for_each"),
    ("for_each value not a column", GOOD.replace("{col: t3.columns}", "{col: [natural, naturel]}"), "for_each"),
    ("for_each a list", GOOD.replace("{col: t3.columns}", "[col]"), "for_each"),
    ("for_each empty", GOOD.replace("for_each: {col: t3.columns}", "for_each:"), "for_each"),
    ("for_each binds an unused name", GOOD.replace("{col: t3.columns}", "{col: t3.columns, row: t3.rows}"),
     "for_each"),
    ("prev cell of no template", YOY.replace("prev:t3.carry_out", "prev:t3.carry_ot"), "rhs"),
    ("this year's cell of no template", YOY.replace("t3.carry_in.{col}", "t3.carry_inn.{col}"), "lhs"),
    ("kind a list", GOOD.replace("kind: sum_identity", "kind: [sum_identity]"), "kind"),
    ("a key that is a number", GOOD + "    2021: true\n    colour: red\n", "2021"),
    ("why a list", GOOD + "    why: [a, b]\n", "why"),
]


@pytest.mark.parametrize(("body", "key"), [c[1:] for c in BROKEN], ids=[c[0] for c in BROKEN])
def test_broken_rule_files_raise_naming_the_file_the_rule_and_the_key(tmp_path, body, key):
    (tmp_path / "checks").mkdir()
    path = write(tmp_path / "checks", body)
    with pytest.raises(RuleError) as info:
        load_rules(tmp_path)
    text = str(info.value)
    assert str(path) in text and "my.rule" in text and key in text, text
    assert info.value.path == str(path) and info.value.rule == "my.rule"


@pytest.mark.parametrize(("data", "message"), [
    (("rules:\n" + textwrap.dedent(GOOD)).encode("gb18030"), "not UTF-8"),      # saved in the local code page
    (("rules:\n" + textwrap.dedent(GOOD) + "  severity: warning\n").encode(), "key 'severity' twice"),
    (b"rules:\n  - \xff\xfe\n", "not UTF-8"),
], ids=["gb18030", "duplicate key", "binary"])
def test_unreadable_rule_files_raise_naming_the_file(tmp_path, data, message):
    (tmp_path / "checks").mkdir()
    path = tmp_path / "checks" / "r.yaml"
    path.write_bytes(data)
    with pytest.raises(RuleError, match=message) as info:
        load_rules(tmp_path)
    assert info.value.path == str(path) and str(path) in str(info.value)


def test_a_missing_or_empty_rules_folder_is_refused_saying_what_was_looked_for(tmp_path):
    with pytest.raises(RuleError, match="does not exist") as info:
        load_rules(tmp_path / "nowhere")
    assert str(tmp_path / "nowhere") in str(info.value)
    with pytest.raises(RuleError, match=r"looked for checks/\*\.yaml"):
        load_rules(tmp_path)  # no checks/ at all
    (tmp_path / "checks").mkdir()
    with pytest.raises(RuleError, match=r"looked for checks/\*\.yaml"):
        load_rules(tmp_path)  # an empty checks/
    write(tmp_path / "checks", GOOD)
    with pytest.raises(RuleError, match=r"not checks/ itself") as info:
        load_rules(tmp_path / "checks")  # the checks folder itself
    assert info.value.path == str(tmp_path / "checks")
    assert [r.id for r in load_rules(tmp_path)] == ["my.rule"]


def test_yml_files_are_rule_files_too(tmp_path):
    (tmp_path / "checks").mkdir()
    write(tmp_path / "checks", GOOD, "a.yml")
    write(tmp_path / "checks", GOOD.replace("my.rule", "my.other"), "b.yaml")
    assert [r.id for r in load_rules(tmp_path)] == ["my.rule", "my.other"]


def test_an_edited_added_or_removed_rule_file_is_read_again(tmp_path):
    (tmp_path / "checks").mkdir()
    path = write(tmp_path / "checks", GOOD)
    first = load_rules(tmp_path)
    assert load_rules(tmp_path)[0] is first[0]  # unchanged files: the same cached rules
    write(tmp_path / "checks", GOOD.replace("severity: error", "severity: warning"))
    assert [r.severity for r in load_rules(tmp_path)] == ["warning"]  # no waiting for the clock
    write(tmp_path / "checks", GOOD.replace("my.rule", "my.other"), "s.yaml")
    assert [r.id for r in load_rules(tmp_path)] == ["my.rule", "my.other"]
    path.unlink()
    assert [r.id for r in load_rules(tmp_path)] == ["my.other"]
    write(tmp_path / "checks", GOOD.replace("my.rule", "my.other").replace("2021", "2022"), "s.yaml")
    with pytest.raises(RuleError, match="'templates'"):
        load_rules(tmp_path)


def test_the_packaged_rules_are_read_once_and_reused():
    # (speed is measured in benchmarks/, not asserted here: reuse is what keeps it cheap)
    first, again = load_rules(), load_rules()
    assert first and all(a is b for a, b in zip(first, again))