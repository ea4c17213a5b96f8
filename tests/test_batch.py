"""Batches: folders and zip archives become inputs; every input comes back as a report."""
from __future__ import annotations

import dataclasses
import json
import os
import zipfile
from pathlib import Path

import pytest
from _corpus import CORPUS, SEED

from gov_audit._batch import Input, audit_inputs, read_all, read_one, scan


def names(found):
    return [i.name for i in found.inputs]


def test_folders_are_walked_in_order_and_non_reports_are_skipped(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a.html").write_text("<p>x</p>", encoding="utf-8")
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("x", encoding="utf-8")
    (tmp_path / "~$draft.docx").write_bytes(b"lock")
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    found = scan([tmp_path])
    assert names(found) == [str(tmp_path / "a.html"), str(tmp_path / "b" / "z.txt"), str(tmp_path / "old.doc")]
    assert sorted(Path(p).name for p in found.skipped) == [".hidden.txt", "notes.json", "~$draft.docx"]
    (doc,) = [i for i in found.inputs if i.name.endswith(".doc")]
    report = read_one(doc)
    assert report.status == "failed" and report.reason == "unsupported_form"
    assert "docx" in report.parse_findings[0].message_zh


def test_files_named_explicitly_are_inputs_even_if_missing(tmp_path):
    found = scan([tmp_path / "missing.txt", tmp_path / "data.json"])
    assert names(found) == [str(tmp_path / "missing.txt"), str(tmp_path / "data.json")]
    assert read_one(found.inputs[0]).reason == "not_found"


def test_our_own_html_report_and_the_output_file_are_not_inputs(tmp_path):
    (tmp_path / "audit.html").write_text('<html><head><meta name="generator" content="gov-audit 0.1.0">',
                                         encoding="utf-8")
    (tmp_path / "out.csv").write_text("", encoding="utf-8")
    (tmp_path / "r.txt").write_text("x", encoding="utf-8")
    found = scan([tmp_path], exclude=[tmp_path / "r.txt"])
    assert found.inputs == []
    assert str(tmp_path / "audit.html") in found.skipped


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _gbk_zip(path: Path, name: str, data: bytes) -> Path:
    """What Chinese Windows writes: the member name in GBK bytes, without the UTF-8 flag."""
    raw = name.encode("gbk")
    placeholder = b"Q" * len(raw)
    _zip(path, {placeholder.decode(): data})
    path.write_bytes(path.read_bytes().replace(placeholder, raw))
    return path


def test_zip_members_are_inputs_named_archive_bang_member(tmp_path):
    seed = SEED.read_bytes()
    archive = _zip(tmp_path / "drafts.zip", {"草稿/坡头乡.txt": seed, "b.txt": seed, "readme.png": b"\x89PNG",
                                             "__MACOSX/._b.txt": b"junk", "empty.txt": b""})
    found = scan([archive])
    assert names(found) == [f"{archive}!b.txt", f"{archive}!empty.txt", f"{archive}!草稿/坡头乡.txt"]
    assert f"{archive}!readme.png" in found.skipped
    results = audit_inputs(found.inputs, jobs=1)
    assert [(r.source, r.status) for r in results] == [
        (f"{archive}!b.txt", "ok"), (f"{archive}!empty.txt", "failed"), (f"{archive}!草稿/坡头乡.txt", "ok")]
    assert results[1].report.reason == "empty"
    assert results[2].report.agency == "坡头乡"


def test_gbk_member_names_from_windows_zips_are_decoded(tmp_path):
    archive = _gbk_zip(tmp_path / "a.zip", "坡头乡2020年报.txt", SEED.read_bytes())
    (item,) = scan([archive]).inputs
    assert item.name == f"{archive}!坡头乡2020年报.txt"
    assert read_one(item).status == "ok"


def test_broken_and_empty_archives_are_failed_inputs(tmp_path):
    good = _zip(tmp_path / "good.zip", {"a.txt": SEED.read_bytes()})
    (tmp_path / "cut.zip").write_bytes(good.read_bytes()[:40])
    _zip(tmp_path / "pictures.zip", {"a.png": b"\x89PNG"})
    found = scan([tmp_path / "cut.zip", tmp_path / "pictures.zip"])
    reports = [read_one(i) for i in found.inputs]
    assert [(r.source, r.status, r.reason) for r in reports] == [
        (str(tmp_path / "cut.zip"), "failed", "corrupt"), (str(tmp_path / "pictures.zip"), "failed", "empty_archive")]


def test_failed_inputs_have_messages_in_both_languages(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "junk.txt").write_bytes(bytes(range(256)) * 8)
    reports = [read_one(i) for i in scan([tmp_path]).inputs]
    assert [r.reason for r in reports] == ["empty", "binary"]
    for r in reports:
        (f,) = r.parse_findings
        assert f.rule == "read.unreadable" and f.severity == "error"
        assert f.message_zh and f.message_en and f.message_zh != f.message_en
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in f.message_en)


def flaky_reader(item: Input):
    """A reader that raises, exits, or kills its process for some inputs (module level: workers import it)."""
    if "kill" in item.name:
        os._exit(3)
    if "exit" in item.name:
        raise SystemExit(4)
    if "bug" in item.name:
        raise KeyError("reader bug")
    return read_one(item)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_crashing_reader_fails_only_its_input_and_order_is_kept(jobs):
    tags = ["ok", "bug", "exit", "ok"]
    if jobs == 2:  # more inputs than are in flight: after the kill, the rest go on in a fresh pool
        tags = ["ok"] * 30
        tags[1], tags[4], tags[12] = "bug", "exit", "kill"
    items = [Input(f"{i}-{tag}", SEED) for i, tag in enumerate(tags)]
    seen = []
    reports = read_all(items, jobs=jobs, reader=flaky_reader, progress=lambda done, total: seen.append((done, total)))
    assert [r.source for r in reports] == [i.name for i in items]
    assert [r.status for r in reports] == ["ok" if t == "ok" else "failed" for t in tags]
    assert {r.reason for r in reports if r.status == "failed"} == {"crashed"}
    assert all("崩溃" in r.parse_findings[0].message_zh for r in reports if r.status == "failed")
    assert seen[-1] == (len(items), len(items))


def test_read_one_turns_a_reader_bug_into_an_unreadable_report(monkeypatch):
    import gov_audit._read as reader

    def broken(*args, **kwargs):
        raise IndexError("boom")

    monkeypatch.setattr(reader, "read", broken)
    report = read_one(Input("x.txt", SEED))
    assert report.status == "failed" and report.reason == "unreadable"
    assert "IndexError" in report.parse_findings[0].message_en


def _as_dicts(results):
    return [r.to_dict() for r in results]


def test_a_pool_gives_the_same_results_as_one_process():
    """Workers audit their chunks (per-report passes included); the parent runs cross-year.

    The corpus holds a 平潭 series (cross-year pairs across chunks) and reports with
    localised and text findings, so every kind of pass is exercised on both paths.
    """
    from gov_audit import read
    from gov_audit.testing import render

    # one agency's two years: last year's carried-forward cell broken, so that this
    # pair gives in-year errors to localise and a cross-year error, in different chunks
    seed = read(SEED)
    last_year = dataclasses.replace(seed, cells={**seed.cells, "t3.carry_out.natural": 3.0})
    pair = [Input("last-year.html", data=render(last_year, "html", seed=1, year=2019, template="2019").encode()),
            Input("this-year.html", data=render(seed, "html", seed=1, year=2020).encode())]
    items = [pair[0], *scan([CORPUS, SEED]).inputs, pair[1]]
    serial = audit_inputs(items, jobs=1)
    pooled = audit_inputs(items, jobs=2)
    assert [r.source for r in pooled] == [i.name for i in items]
    assert _as_dicts(pooled) == _as_dicts(serial)
    found = {f.rule for r in serial for f in r.findings}
    assert {"x.carry_over", "t3.balance", "text.new"} <= found
    assert any(f.suspects for r in serial for f in r.findings)


def test_a_crashing_reader_in_an_auditing_pool_fails_only_its_input():
    tags = ["ok"] * 30
    tags[2], tags[9], tags[20] = "bug", "exit", "kill"
    items = [Input(f"{i}-{tag}", SEED) for i, tag in enumerate(tags)]
    seen = []
    results = audit_inputs(items, jobs=2, reader=flaky_reader, progress=lambda done, total: seen.append(done))
    assert [r.source for r in results] == [i.name for i in items]
    assert [r.status for r in results] == ["ok" if t == "ok" else "failed" for t in tags]
    assert {r.report.reason for r in results if r.status == "failed"} == {"crashed"}
    assert all(r.errors and r.errors[0].rule == "read.unreadable" for r in results if r.status == "failed")
    assert seen[-1] == len(items)


def test_passes_across_reports_come_after_the_per_report_ones():
    """Batches run the per-report passes in workers and the rest afterwards: the list's order must allow it."""
    from gov_audit._api import ACROSS_REPORTS, POST_PASSES

    assert ACROSS_REPORTS and set(ACROSS_REPORTS) <= set(POST_PASSES)
    kinds = [step in ACROSS_REPORTS for step in POST_PASSES]
    assert kinds == sorted(kinds)


# ---- failed inputs keep their message; named files; our own outputs -------------------------

def _bad_crc_zip(path: Path, name: str, data: bytes) -> Path:
    """A zip whose member's bytes were damaged after it was written: zipfile reads it with "Bad CRC-32"."""
    _zip(path, {name: data})
    raw = path.read_bytes()
    at = raw.index(data[:32])
    path.write_bytes(raw[:at] + bytes([raw[at] ^ 0x01]) + raw[at + 1:])
    return path


def test_a_failure_with_a_detail_keeps_the_reason_in_both_languages(tmp_path):
    from gov_audit._read import REASONS

    archive = _bad_crc_zip(tmp_path / "x.zip", "r.txt", SEED.read_bytes())
    (item,) = scan([archive]).inputs
    report = read_one(item)
    assert report.status == "failed" and report.reason == "corrupt"
    (f,) = report.parse_findings
    zh, en = REASONS["corrupt"]
    assert f.message_zh.startswith(zh) and "Bad CRC-32" in f.message_zh
    assert f.message_en.startswith(en) and "Bad CRC-32" in f.message_en


def test_messages_of_a_failed_input_are_the_reason_then_the_detail():
    from gov_audit._batch import BATCH_REASONS, _messages
    from gov_audit._read import REASONS

    zh, en = REASONS["unreadable"]
    # the pool passes its detail already in brackets
    assert _messages("unreadable", "(内部错误 internal error: KeyError: 'x')") == (
        f"{zh} (内部错误 internal error: KeyError: 'x')", f"{en} (内部错误 internal error: KeyError: 'x')")
    assert _messages("too_large", "60 bytes") == (f"{REASONS['too_large'][0]} (60 bytes)",
                                                  f"{REASONS['too_large'][1]} (60 bytes)")
    assert _messages("encrypted") == BATCH_REASONS["encrypted"]
    assert _messages("no_such_reason", "what happened") == (f"{zh} (no_such_reason; what happened)",
                                                             f"{en} (no_such_reason; what happened)")


def test_a_reader_bug_keeps_the_reason_words(monkeypatch):
    import gov_audit._read as reader
    from gov_audit._read import REASONS

    monkeypatch.setattr(reader, "read", lambda *a, **k: (_ for _ in ()).throw(IndexError("boom")))
    (f,) = read_one(Input("x.txt", SEED)).parse_findings
    assert f.message_zh.startswith(REASONS["unreadable"][0]) and "IndexError: boom" in f.message_zh
    assert f.message_en.startswith(REASONS["unreadable"][1]) and "IndexError: boom" in f.message_en


def test_an_input_error_with_words_of_its_own_keeps_them(monkeypatch):
    import gov_audit._read as reader
    from gov_audit import InputError
    from gov_audit._read import REASONS

    def raises(*args, **kwargs):
        raise InputError("corrupt", "page tree loops")

    monkeypatch.setattr(reader, "read", raises)
    (f,) = read_one(Input("x.pdf", SEED)).parse_findings
    assert f.message_zh == f"{REASONS['corrupt'][0]} (page tree loops)"
    assert f.message_en == f"{REASONS['corrupt'][1]} (page tree loops)"


def test_input_error_keeps_reason_and_detail_apart():
    from gov_audit._read import REASONS, input_error

    err = input_error("too_large", "60 bytes")
    assert (err.reason, err.detail) == ("too_large", "60 bytes")
    assert str(err) == f"{REASONS['too_large'][0]} {REASONS['too_large'][1]} (60 bytes)"
    assert input_error("empty").detail == ""


@pytest.mark.parametrize("suffix", [".doc", ".wps", ".rar", ".DOC"])
def test_an_unsupported_form_named_on_the_command_line_gets_the_advice(tmp_path, suffix):
    path = tmp_path / f"draft{suffix}"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 64)
    (item,) = scan([path]).inputs
    report = read_one(item)
    assert report.status == "failed" and report.reason == "unsupported_form"
    assert "docx" in report.parse_findings[0].message_zh and "docx" in report.parse_findings[0].message_en


def cli(*argv):
    """The command line as tests/test_cli.py runs it: (exit status, stdout, stderr)."""
    import io

    from gov_audit._cli import run

    out, err = io.StringIO(), io.StringIO()
    code = run([str(a) for a in argv], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "html"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_our_own_output_in_the_folder_is_not_read_back(tmp_path, fmt, lang):
    """`check d -o d/a.txt`, then `check d -o d/b.txt`: a.txt is our output, not a report that fails."""
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "seed.txt").write_bytes(SEED.read_bytes())
    first = cli("check", folder, "--format", fmt, "--lang", lang, "-o", folder / "a.txt")
    assert first[0] == 0, first
    assert scan([folder]).skipped == [str(folder / "a.txt")]
    code, out, err = cli("check", folder, "--format", "json", "-o", folder / "b.txt")
    assert code == 0, (out, err)
    assert [i.name for i in scan([folder], exclude=[folder / "b.txt"]).inputs] == [str(folder / "seed.txt")]


def test_the_output_file_being_written_is_not_an_input(tmp_path):
    """-o names a file in the scanned folder: an earlier output of ours is replaced and not
    read; any other file there (a draft, a note) is refused, never overwritten."""
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "seed.txt").write_bytes(SEED.read_bytes())
    assert cli("check", folder, "--format", "json", "-o", folder / "out.txt")[0] == 0
    code, out, err = cli("check", folder, "--format", "json", "-o", folder / "out.txt")  # again: ours
    assert code == 0, (out, err)
    doc = json.loads((folder / "out.txt").read_text(encoding="utf-8"))
    assert [r["source"] for r in doc["reports"]] == [str(folder / "seed.txt")]
    assert names(scan([folder], exclude=[folder / "out.txt"])) == [str(folder / "seed.txt")]
    (folder / "note.txt").write_text("一份旧笔记 an old note", encoding="utf-8")
    code, out, err = cli("check", folder, "--format", "json", "-o", folder / "note.txt")
    assert code == 2 and "覆盖" in err and "overwritten" in err
    assert (folder / "note.txt").read_text(encoding="utf-8") == "一份旧笔记 an old note"


def test_a_report_is_not_taken_for_our_output(tmp_path):
    """Only our writers' first lines count: a report's own first line never does."""
    (tmp_path / "a.txt").write_text("report\tagency\n" + SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "b.md").write_text('{"reports" are listed below}\n', encoding="utf-8")
    assert names(scan([tmp_path])) == [str(tmp_path / "a.txt"), str(tmp_path / "b.md")]
