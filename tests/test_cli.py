"""The command line: exit status for gating, formats, -o, languages, rules and explain."""
from __future__ import annotations

import io
import json
import os
import shutil

import openpyxl
import pytest
from _corpus import SEED, break_seed

from gov_audit._cli import run
from gov_audit._rules import load_rules


def cli(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = run([str(a) for a in argv], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    """The seed with 本年新收 × 自然人 printed as 5 instead of 0: two error findings."""
    path = tmp_path_factory.mktemp("cli") / "坡头乡-broken.txt"
    path.write_text(break_seed(), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def warned(tmp_path_factory):
    """The seed with one 表三 cell left blank: a not_reported warning and no error."""
    text = SEED.read_text(encoding="utf-8")
    start = text.index("\t0\n", text.index("\t0\n", text.index("四、结转下年度继续办理")) + 1)  # 商业企业
    path = tmp_path_factory.mktemp("cli") / "warned.txt"
    path.write_text(text[:start] + "\t/\n" + text[start + 3:], encoding="utf-8")
    return path


def test_exit_0_for_a_clean_report_and_1_for_errors(broken):
    assert cli("check", SEED)[0] == 0
    code, out, _ = cli("check", SEED, broken)
    assert code == 1
    assert "t3.balance" in out and "表三「一、本年新收政府信息公开申请数量」×「自然人」" in out


def test_fail_on_warning_makes_warnings_fail(warned):
    code, out, _ = cli("check", warned)
    assert code == 0 and "[警告]" in out
    assert cli("check", warned, "--fail-on", "warning")[0] == 1
    assert cli("check", SEED, "--fail-on", "warning")[0] == 0


def test_exit_2_when_nothing_is_readable_or_nothing_found(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    code, out, _ = cli("check", tmp_path)
    assert code == 2 and "无法读取" in out
    (tmp_path / "empty.txt").unlink()
    (tmp_path / "data.json").write_text("{}", encoding="utf-8")
    code, out, err = cli("check", tmp_path)
    assert code == 2 and out == "" and "no report files found" in err and "1 other files skipped" in err


def test_text_summary_has_one_line_per_report_and_findings_by_report(broken, tmp_path):
    code, out, _ = cli("check", SEED, broken, tmp_path / "missing.txt")
    lines = out.splitlines()
    assert lines[0].split("\t") == ["报告", "机关", "年度", "模板", "状态", "错误", "警告", "原因"]
    assert lines[1].split("\t") == [str(SEED), "坡头乡", "2020", "2019", "已读取", "0", "0"]
    assert lines[2].split("\t")[:7] == [str(broken), "坡头乡", "2020", "2019", "已读取", "2", "0"]
    assert lines[3].split("\t") == [str(tmp_path / "missing.txt"), "-", "-", "-", "无法读取", "1", "0",
                                    f"找不到该文件。 ({tmp_path / 'missing.txt'})"]
    block = out[out.index(f"2. {broken}"):]
    assert "1. [错误] t3.balance" in block and "2. [错误] t3.row_total" in block
    assert ("单元格：表三「一、本年新收政府信息公开申请数量」×「总计」 ＝ "
            "表三「一、本年新收政府信息公开申请数量」×「自然人」至「其他」（6 格）") in block
    assert out.rstrip().endswith("合计：3 份报告，3 个错误，0 个警告，1 份无法读取。")


def test_english_messages_with_lang_en(broken):
    code, out, _ = cli("check", broken, "--lang", "en")
    assert code == 1
    assert out.splitlines()[0].split("\t")[:3] == ["report", "agency", "year"]
    assert "[error] t3.balance" in out and "cells: Table 3「" in out
    assert "Total: 1 reports, 2 errors" in out


def test_output_file_and_formats(broken, tmp_path):
    for fmt in ("json", "csv", "html", "text"):
        target = tmp_path / f"out.{fmt}"
        code, out, _ = cli("check", broken, "--format", fmt, "-o", target)
        assert code == 1 and out == "" and target.stat().st_size > 0
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["summary"]["errors"] == 2
    assert (tmp_path / "out.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    code, _, _ = cli("check", broken, "--format", "xlsx", "-o", tmp_path / "out.xlsx")
    assert code == 1 and openpyxl.load_workbook(tmp_path / "out.xlsx").sheetnames[:2] == ["总览", "问题清单"]


def test_xlsx_needs_an_output_file(broken):
    code, out, err = cli("check", broken, "--format", "xlsx")
    assert code == 2 and out == ""
    assert "-o" in err and "xlsx" in err and "Traceback" not in err


def test_unwritable_output_is_a_usage_error(broken, tmp_path):
    code, _, err = cli("check", broken, "-o", tmp_path / "no-such-dir" / "x.txt")
    assert code == 2 and "无法写入" in err and "Traceback" not in err


def test_output_that_is_a_named_input_is_refused_and_the_input_kept(broken, tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_bytes(broken.read_bytes())
    for output in (draft, tmp_path / "." / "draft.txt"):  # the same file, however it is spelt
        code, out, err = cli("check", draft, "-o", output)
        assert code == 2 and out == "" and "覆盖" in err and "overwritten" in err and "Traceback" not in err
        assert draft.read_bytes() == broken.read_bytes()


def test_an_existing_file_in_a_checked_folder_is_not_overwritten_unless_it_is_our_output(broken, tmp_path):
    """-o naming a draft in a folder being checked: the scan leaves it out, and writing would destroy it."""
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    shutil.copy(SEED, drafts / "a.txt")
    shutil.copy(broken, drafts / "b.txt")
    (drafts / "notes.xlsx").write_bytes(b"PK not ours")
    for output in (drafts / "b.txt", tmp_path / "drafts" / "." / "b.txt", drafts / "notes.xlsx"):
        before = output.read_bytes()
        code, out, err = cli("check", drafts, "-o", output)
        assert code == 2 and out == "" and "Traceback" not in err
        assert "不是 gov-audit 的输出" in err and "覆盖" in err and "not a gov-audit output" in err
        assert output.read_bytes() == before
    # gov-audit's own earlier output there is written over, run after run, in every format
    for fmt in ("text", "json", "csv", "html", "xlsx"):
        for _ in range(2):
            code, _, err = cli("check", drafts, "--format", fmt, "-o", drafts / f"result.{fmt}")
            assert code == 1, (fmt, err)
    (drafts / "empty.json").write_bytes(b"")  # nothing there to lose
    assert cli("check", drafts, "--format", "json", "-o", drafts / "empty.json")[0] == 1
    # an existing file outside the checked folders is overwritten, as -o does anywhere
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("old", encoding="utf-8")
    assert cli("check", drafts, "-o", elsewhere)[0] == 1 and elsewhere.read_text(encoding="utf-8") != "old"


def _odd_names(folder, draft):
    """``draft`` under a name that is not UTF-8 and under one with a bell in it (None: the file
    system refuses such names)."""
    folder.mkdir()
    try:
        with open(os.path.join(os.fsencode(folder), b"bad\xff\xfe.txt"), "wb") as fh:
            fh.write(draft.read_bytes())
        shutil.copy(draft, folder / "ctl\x07name.txt")
    except (OSError, UnicodeError):
        return None
    return folder


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "html", "xlsx"])
def test_odd_file_names_are_shown_escaped_in_every_format(fmt, broken, tmp_path):
    folder = _odd_names(tmp_path / "odd", broken)
    if folder is None:
        pytest.skip("the file system takes only UTF-8 names")
    target = tmp_path / f"out.{fmt}"
    code, out, err = cli("check", folder, "--format", fmt, "-o", target)
    assert code == 1 and out == "" and "Traceback" not in err
    if fmt == "xlsx":
        sources = [c.value for c in openpyxl.load_workbook(target)["总览"]["B"]][1:3]
        assert [s.replace(str(folder), "") for s in sources] == ["/bad\\xff\\xfe.txt", "/ctl\\x07name.txt"]
        return
    text = target.read_bytes().decode("utf-8")  # UTF-8 throughout
    if fmt == "json":
        assert [r["source"].replace(str(folder), "") for r in json.loads(text)["reports"]] == [
            "/bad\\xff\\xfe.txt", "/ctl\\x07name.txt"]
    else:
        assert "bad\\xff\\xfe.txt" in text and "ctl\\x07name.txt" in text and "\x07" not in text
    # on stdout too: text that any UTF-8 stream takes
    code, out, err = cli("check", folder, "--format", fmt)
    assert code == 1 and "Traceback" not in err and "xff" in out.encode("utf-8").decode()


@pytest.mark.parametrize("argv", [["check"], ["check", "x", "--jobs", "0"], ["check", "x", "--format", "pdf"],
                                  ["frobnicate"]])
def test_usage_errors_exit_2_without_traceback(argv, capsys):
    with pytest.raises(SystemExit) as info:
        run(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "usage" in err and "Traceback" not in err


def test_rules_lists_every_rule_with_title_and_cells():
    code, out, _ = cli("rules")
    assert code == 0
    ids = {line.split("\t")[0] for line in out.splitlines() if not line.startswith(" ")}
    assert ids == {r.id for r in load_rules()}
    balance = out[out.index("t3.balance\t"):].splitlines()
    assert "表三每列" in balance[0]
    assert balance[1].startswith("    单元格（2019）：表三「一、本年新收政府信息公开申请数量」×「自然人」至「总计」"
                                 "（7 格）")


def test_rules_for_one_template():
    _, out, _ = cli("rules", "--template", "2019")
    assert "t2.published_within_total" in out and "t2.issued_within_stock" not in out
    assert "（2021）" not in out


def test_explain_shows_words_and_formula():
    code, out, _ = cli("explain", "t3.balance")
    assert code == 0
    assert out.startswith("t3.balance — 表三每列")
    assert "「自然人」列：表三「一、本年新收政府信息公开申请数量」×「自然人」 + " in out
    assert "t3.new.natural + t3.carry_in.natural ＝ t3.total.natural + t3.carry_out.natural" in out
    code, out, _ = cli("explain", "t3.results_total[natural]", "--lang", "en")
    assert code == 0 and "(21 cells)" in out and "(19 cells)" in out and "[commercial]" not in out
    assert out.count("t3.total.natural ＝") == 2 and "t3.total.commercial" not in out


def test_explain_unknown_rule_is_a_usage_error():
    code, out, err = cli("explain", "t9.nothing")
    assert code == 2 and out == "" and "gov-audit rules" in err


@pytest.mark.parametrize("rule_id", ["t3.balance[nonexistent]", "t3.balance[", "t3.balance[]", "t3.balance]",
                                     "t3.balance[natural]x", "read.unreadable[x]", "t3.non_negative[t3.nothing]"])
def test_explain_an_instance_the_rule_does_not_have_is_a_usage_error(rule_id):
    code, out, err = cli("explain", rule_id)
    assert code == 2 and out == "" and "没有这条规则" in err and "no rule" in err and "Traceback" not in err


@pytest.mark.parametrize("rule_id", ["t3.balance[natural]", "t3.non_negative[t3.new.natural]", "text.sections[五]",
                                     "x.carry_over[natural]", "read.unreadable"])
def test_explain_takes_every_instance_a_finding_names(rule_id):
    code, out, _ = cli("explain", rule_id)
    assert code == 0 and out.startswith(rule_id.split("[")[0] + " — ")


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self):
        return True


def test_on_a_terminal_the_summary_is_a_rich_table_and_a_progress_bar_is_drawn(broken, tmp_path):
    for i in range(8):
        (tmp_path / f"r{i}.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "r9.txt").write_text(broken.read_text(encoding="utf-8"), encoding="utf-8")
    out, err = Terminal(), Terminal()
    assert run(["check", str(tmp_path), "-j", "1"], stdout=out, stderr=err) == 1
    text = out.getvalue()
    assert "━" in text and "序号" in text and "\t" not in text  # a rich table, not the tab-separated lines
    assert "t3.balance" in text and "建议改为" in text
    assert "检查" in err.getvalue()  # the progress bar, on stderr


def test_a_looping_link_among_the_paths_with_an_output_file_is_no_crash(tmp_path):
    loop = tmp_path / "loop"
    loop.symlink_to(loop)  # a link to itself: resolving it raises in Python 3.11
    draft = tmp_path / "a.txt"
    draft.write_bytes(SEED.read_bytes())
    code, out, err = cli("check", loop, draft, "--format", "json", "-o", tmp_path / "out.json")
    assert code in (0, 1) and "Traceback" not in err
    doc = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert [r["status"] for r in doc["reports"]] == ["failed", "ok"]  # the link is reported, not lost
