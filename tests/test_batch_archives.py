"""Batches on awkward inputs: paths that cannot be opened, symlinks, awkward zip archives, misnamed files.

Whatever the input, every one appears in the output with a status and a reason, and the
rest of the batch is read: no OSError, no traceback, nothing dropped silently.
"""
from __future__ import annotations

import io
import json
import os
import time
import warnings
import zipfile
import zlib
from pathlib import Path

import pytest
from _corpus import SEED

import gov_audit._batch as batch
from gov_audit import InputError
from gov_audit._batch import BATCH_REASONS, Input, audit_inputs, read_all, read_one, scan
from gov_audit._read import REASONS, read
from gov_audit._read._decode import sniff_form
from gov_audit.testing import render


def names(found):
    return [i.name for i in found.inputs]


def cli(*argv):
    from gov_audit._cli import run

    out, err = io.StringIO(), io.StringIO()
    code = run([str(a) for a in argv], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def _zip_bytes(members: list[tuple[str, bytes]], compression=zipfile.ZIP_STORED) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w", compression) as zf:
        warnings.simplefilter("ignore")  # "Duplicate name": on purpose
        for name, data in members:
            zf.writestr(name, data)
    return buf.getvalue()


def _other_agency() -> bytes:
    return SEED.read_bytes().replace("坡头乡".encode(), "石门镇".encode())


# ---- 1. paths that cannot be opened ---------------------------------------------------------------

def test_a_path_too_long_fails_as_not_found_and_the_rest_is_read(tmp_path):
    long = str(tmp_path / ("a" * 300 + ".txt"))
    with pytest.raises(InputError) as err:
        read(Path(long))
    assert err.value.reason == "not_found"
    found = scan([long, tmp_path / ("b" * 300 + ".zip"), SEED])
    assert names(found) == [long, str(tmp_path / ("b" * 300 + ".zip")), str(SEED)]
    assert [read_one(i).reason for i in found.inputs] == ["not_found", "not_found", ""]
    code, out, err = cli("check", long, SEED, "--format", "json")
    assert code in (0, 1) and "Traceback" not in err
    doc = json.loads(out)
    assert [(r["source"], r["status"]) for r in doc["reports"]] == [(long, "failed"), (str(SEED), "ok")]
    assert "File name too long" in json.dumps(doc["reports"][0], ensure_ascii=False)


def test_a_folder_that_cannot_be_listed_is_a_failed_input(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.txt").write_bytes(SEED.read_bytes())
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = scan([tmp_path])
    assert names(found) == [str(tmp_path / "a.txt"), str(tmp_path / "locked")]
    report = read_one(found.inputs[1])
    assert report.status == "failed" and report.reason == "unreadable"
    assert "Permission denied" in report.parse_findings[0].message_en


def test_a_file_that_cannot_be_opened_is_unreadable_not_a_reader_bug(tmp_path, monkeypatch):
    path = tmp_path / "r.txt"
    path.write_bytes(SEED.read_bytes())

    def denied(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    report = read_one(Input(str(path), path))
    assert report.reason == "unreadable"
    assert "internal error" not in report.parse_findings[0].message_en
    assert "Permission denied" in report.parse_findings[0].message_en


# ---- 2. symlinks --------------------------------------------------------------------------------

@pytest.fixture
def linked(tmp_path):
    """d/ holding a real folder, a link to it, a link to a folder outside, broken links, a link up."""
    d, outside = tmp_path / "d", tmp_path / "outside"
    (d / "real").mkdir(parents=True)
    outside.mkdir()
    (d / "real" / "a.txt").write_bytes(SEED.read_bytes())
    (outside / "e.txt").write_bytes(_other_agency())
    (d / "linkdir").symlink_to(d / "real", target_is_directory=True)
    (d / "outlink").symlink_to(outside, target_is_directory=True)
    (d / "outlink2").symlink_to(outside, target_is_directory=True)
    (d / "up").symlink_to(d, target_is_directory=True)
    (d / "dangling.txt").symlink_to(tmp_path / "nonexistent")
    (d / "loop.txt").symlink_to(d / "loop.txt")
    (d / "notes.json").symlink_to(tmp_path / "nonexistent")
    (d / "file-link.txt").symlink_to(d / "real" / "a.txt")
    return d


def test_broken_links_with_a_report_suffix_fail_as_not_found(linked):
    found = scan([linked])
    by_name = {i.name: i for i in found.inputs}
    for name, why in (("dangling.txt", "nothing at"), ("loop.txt", "loops")):
        report = read_one(by_name[str(linked / name)])
        assert report.status == "failed" and report.reason == "not_found"
        (f,) = report.parse_findings
        assert "broken link" in f.message_en and why in f.message_en and f.message_zh.startswith(REASONS["not_found"][0])
    assert str(linked / "notes.json") in found.skipped


def test_symlinked_folders_are_walked_once_and_cycles_are_not_followed(linked):
    found = scan([linked])
    assert names(found) == [str(linked / n) for n in
                            ("dangling.txt", "file-link.txt", "loop.txt", "outlink/e.txt", "real/a.txt")]
    # linkdir leads into d, up is d itself, outlink2 leads where outlink was walked: mentioned, not walked again
    assert {str(linked / n) for n in ("linkdir", "up", "outlink2")} <= set(found.skipped)
    reports = [read_one(i) for i in found.inputs]
    assert [r.status for r in reports] == ["failed", "ok", "failed", "ok", "ok"]
    assert reports[3].agency == "石门镇"


def test_a_symlinked_folder_named_directly_is_walked(linked, tmp_path):
    assert names(scan([linked / "outlink"])) == [str(linked / "outlink" / "e.txt")]


# ---- 3. zip members of the same name --------------------------------------------------------------

def test_members_of_the_same_name_are_each_read(tmp_path):
    archive = tmp_path / "a.zip"
    archive.write_bytes(_zip_bytes([("报告.txt", SEED.read_bytes()), ("报告.txt", _other_agency())]))
    found = scan([archive])
    assert names(found) == [f"{archive}!报告.txt", f"{archive}!报告.txt (2)"]
    for jobs in (1, 2):
        results = audit_inputs(found.inputs, jobs=jobs)
        assert [(r.source, r.status, r.report.agency) for r in results] == [
            (f"{archive}!报告.txt", "ok", "坡头乡"), (f"{archive}!报告.txt (2)", "ok", "石门镇")]


# ---- 4. zips in zips --------------------------------------------------------------------------------

def test_nested_archives_are_opened(tmp_path):
    inner = _zip_bytes([("r.txt", SEED.read_bytes()), ("pic.png", b"\x89PNG")])
    middle = _zip_bytes([("inner.zip", inner), ("empty.zip", _zip_bytes([])), ("cut.zip", inner[:30])])
    outer = tmp_path / "outer.zip"
    outer.write_bytes(_zip_bytes([("middle.zip", middle), ("s.txt", _other_agency())],
                                 compression=zipfile.ZIP_DEFLATED))
    found = scan([outer])
    m = f"{outer}!middle.zip"
    assert names(found) == [f"{m}!cut.zip", f"{m}!empty.zip", f"{m}!inner.zip!r.txt", f"{outer}!s.txt"]
    assert f"{m}!inner.zip!pic.png" in found.skipped
    reports = read_all(found.inputs, jobs=1)
    assert [(r.status, r.reason) for r in reports] == [("failed", "corrupt"), ("failed", "empty_archive"),
                                                       ("ok", ""), ("ok", "")]
    assert [r.agency for r in reports[2:]] == ["坡头乡", "石门镇"]


def test_an_archive_holding_only_an_archive_is_not_empty(tmp_path):
    outer = tmp_path / "outer.zip"
    outer.write_bytes(_zip_bytes([("inner.zip", _zip_bytes([("r.txt", SEED.read_bytes())]))]))
    (report,) = [read_one(i) for i in scan([outer]).inputs]
    assert (report.source, report.status) == (f"{outer}!inner.zip!r.txt", "ok")


def test_nesting_depth_and_unpacked_size_are_limited(tmp_path, monkeypatch):
    data = _zip_bytes([("r.txt", SEED.read_bytes())])
    for level in range(4):
        data = _zip_bytes([(f"z{level}.zip", data)])
    deep = tmp_path / "deep.zip"
    deep.write_bytes(data)
    (item,) = scan([deep]).inputs
    assert item.name == f"{deep}!z3.zip!z2.zip!z1.zip"
    report = read_one(item)
    assert report.reason == "archive_limit"
    assert report.parse_findings[0].message_en.startswith(BATCH_REASONS["archive_limit"][1])

    inner = _zip_bytes([("r.txt", SEED.read_bytes())])
    wide = tmp_path / "wide.zip"
    wide.write_bytes(_zip_bytes([("a.zip", inner), ("b.zip", inner)]))
    monkeypatch.setattr(batch, "NESTED_MAX_BYTES", len(inner) + 1)
    assert [(i.name, i.problem) for i in scan([wide]).inputs] == [
        (f"{wide}!a.zip!r.txt", ""), (f"{wide}!b.zip", "archive_limit")]


# ---- 5. damaged compressed members ---------------------------------------------------------------------

def _inflate_breaking_zip(tmp_path: Path) -> Path:
    """A deflated member with one byte changed so that inflating it fails (not just its CRC)."""
    data = _zip_bytes([("r.txt", SEED.read_bytes())], compression=zipfile.ZIP_DEFLATED)
    info = zipfile.ZipFile(io.BytesIO(data)).infolist()[0]
    start = info.header_offset + 30 + len(info.filename.encode())
    for at in range(start + 2, start + info.compress_size):
        damaged = bytearray(data)
        damaged[at] ^= 0xFF
        try:
            zipfile.ZipFile(io.BytesIO(bytes(damaged))).read("r.txt")
        except zlib.error:
            path = tmp_path / "damaged.zip"
            path.write_bytes(bytes(damaged))
            return path
        except zipfile.BadZipFile:
            continue
    raise AssertionError("no byte breaks inflating")


def test_a_member_that_does_not_inflate_is_corrupt(tmp_path):
    (item,) = scan([_inflate_breaking_zip(tmp_path)]).inputs
    report = read_one(item)
    assert report.status == "failed" and report.reason == "corrupt"
    (f,) = report.parse_findings
    assert f.message_en.startswith(REASONS["corrupt"][1]) and "decompressing" in f.message_en
    assert "internal error" not in f.message_en


def test_a_truncated_stream_and_eof_are_corrupt(monkeypatch, tmp_path):
    archive = tmp_path / "a.zip"
    archive.write_bytes(_zip_bytes([("r.txt", SEED.read_bytes())]))
    (item,) = scan([archive]).inputs

    def cut(*args, **kwargs):
        raise EOFError("Compressed file ended before the end-of-stream marker was reached")

    monkeypatch.setattr(zipfile.ZipFile, "read", cut)
    assert read_one(item).reason == "corrupt"


# ---- 6. each archive is opened once per chunk ------------------------------------------------------------

def test_an_archive_is_opened_once_per_chunk_not_once_per_member(tmp_path, monkeypatch):
    archive = tmp_path / "many.zip"
    archive.write_bytes(_zip_bytes([(f"r{i:03}.txt", SEED.read_bytes()) for i in range(40)]))
    found = scan([archive])
    opened = []
    real = zipfile.ZipFile._RealGetContents

    def counting(self):
        opened.append(self.filename)
        return real(self)

    monkeypatch.setattr(zipfile.ZipFile, "_RealGetContents", counting)
    reports = read_all(found.inputs, jobs=1)
    assert [r.status for r in reports] == ["ok"] * 40
    assert len(opened) == 1
    assert batch._OPEN is None  # and closed when done
    opened.clear()
    assert batch._read_chunk(found.inputs[:16]) and len(opened) == 1


def test_members_read_in_a_pool_are_the_same_as_read_here(tmp_path):
    archive = tmp_path / "many.zip"
    seed, other = SEED.read_bytes(), _other_agency()
    archive.write_bytes(_zip_bytes([(f"r{i:03}.txt", seed if i % 3 else other) for i in range(60)]
                                   + [("r000.txt", seed)], compression=zipfile.ZIP_DEFLATED))
    items = scan([archive]).inputs
    here = read_all(items, jobs=1)
    pooled = read_all(items, jobs=2)
    assert [(r.source, r.agency) for r in pooled] == [(r.source, r.agency) for r in here]
    assert [(r.source, r.agency) for r in here[:3]] == [
        (f"{archive}!r000.txt", "石门镇"), (f"{archive}!r000.txt (2)", "坡头乡"), (f"{archive}!r001.txt", "坡头乡")]


@pytest.mark.slow
def test_reading_many_members_costs_about_what_the_files_do(tmp_path):
    members = [(f"r{i:04}.txt", f"会议纪要 {i}\n".encode()) for i in range(2000)]
    archive = tmp_path / "many.zip"
    archive.write_bytes(_zip_bytes(members))
    (tmp_path / "many").mkdir()
    for name, data in members:
        (tmp_path / "many" / name).write_bytes(data)

    def timed(path):
        items = scan([path]).inputs
        start = time.perf_counter()
        reports = read_all(items, jobs=1)
        assert len(reports) == 2000 and {r.reason for r in reports} == {"not_a_report"}
        return time.perf_counter() - start

    unpacked = timed(tmp_path / "many")
    assert timed(archive) < 2 * unpacked + 0.5  # was 7 times as long: every member parsed the directory


# ---- 7. the content decides the form, the suffix breaks ties -----------------------------------------------

@pytest.fixture(scope="module")
def rendered():
    from gov_audit import read as read_report

    seed = read_report(SEED)
    out = {form: render(seed, form, seed=1) for form in ("html", "markdown", "text_lines", "docx", "pdf")}
    return {form: data.encode() if isinstance(data, str) else data for form, data in out.items()}


MISNAMED = [  # (rendered as, named, read as)
    ("html", ".md", "html"), ("html", ".docx", "html"), ("html", ".pdf", "html"),
    ("text_lines", ".docx", "text"), ("text_lines", ".pdf", "text"),
    ("docx", ".pdf", "docx"), ("pdf", ".docx", "pdf"), ("markdown", ".html", "markdown"),
    ("utf16_html", ".txt", "html"),
]


@pytest.mark.parametrize("made, suffix, form", MISNAMED)
def test_a_misnamed_file_is_read_as_what_it_is(made, suffix, form, rendered, tmp_path):
    if made == "utf16_html":
        data, right = b"\xff\xfe" + rendered["html"].decode("utf-8").encode("utf-16-le"), "html"
    else:
        data, right = rendered[made], made
    assert sniff_form(data, suffix) == form
    wrong = tmp_path / f"misnamed{suffix}"
    wrong.write_bytes(data)
    good = tmp_path / ("named-right" + {"text_lines": ".txt", "markdown": ".md"}.get(right, f".{right}"))
    good.write_bytes(rendered[right])
    misnamed, named_right = audit_inputs([Input(str(p), p) for p in (wrong, good)], jobs=1)
    assert misnamed.status == named_right.status == "ok"
    assert misnamed.report.form == form
    assert misnamed.report.cells == named_right.report.cells
    assert len(misnamed.errors) == len(named_right.errors)
    with zipfile.ZipFile(tmp_path / "a.zip", "w") as zf:  # the same as an archive member
        zf.writestr(wrong.name, data)
    (member,) = [read_one(i) for i in scan([tmp_path / "a.zip"]).inputs]
    assert member.form == form and member.cells == named_right.report.cells


@pytest.mark.parametrize("data, suffix, form", [
    (b"<html><body><p>x</p></body></html>", ".md", "html"),
    (b"| a | b |\n| 1 | 2 |\n", ".html", "markdown"),
    (b"| a | b |\n| 1 | 2 |\n<p>x</p>", ".md", "markdown"),    # both: the suffix decides
    (b"| a | b |\n| 1 | 2 |\n<p>x</p>", ".html", "html"),
    (b"| a | b |\n| 1 | 2 |\n<p>x</p>", ".txt", "html"),
    (b"just words", ".md", "markdown"),                         # neither: the suffix decides
    (b"just words", ".html", "html"),
    (b"just words", ".txt", "text"),
    ("报告正文".encode("gb18030"), ".pdf", "text"),
    (b"\x00\x01binary junk" * 20, ".pdf", "pdf"),                 # not text: its reader says it is corrupt
    (b"\x00\x01binary junk" * 20, ".docx", "docx"),
    (b"%PDF-1.7\n", ".txt", "pdf"),
    (b"PK\x03\x04junk", "", "docx"),
    ("<html><p>x</p></html>".encode("utf-16"), ".txt", "html"),
])
def test_sniff_form_content_first(data, suffix, form):
    assert sniff_form(data, suffix) == form


def test_binary_is_still_binary():
    with pytest.raises(InputError) as err:
        sniff_form(b"\x00\x01binary junk" * 20, ".txt")
    assert err.value.reason == "binary"


def test_read_of_bytes_takes_the_suffix_of_its_name(rendered, monkeypatch):
    """``read(path)`` and ``read(path.read_bytes(), name=str(path))`` tell the form alike."""
    import gov_audit._read as reader

    seen = []
    monkeypatch.setattr(reader, "sniff_form", lambda data, suffix="": seen.append(suffix) or sniff_form(data, suffix))
    assert read(rendered["html"], name="x.MD").form == "html"
    assert seen == [".md"]


def test_a_hidden_folder_that_cannot_be_listed_is_skipped_not_a_failed_report(tmp_path, monkeypatch):
    # .Trashes / .Spotlight-V100 on a USB stick: its files would be skipped anyway
    (tmp_path / ".Trashes").mkdir()
    (tmp_path / "locked").mkdir()
    real = os.scandir

    def scandir(path="."):
        if Path(path).name in (".Trashes", "locked"):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = scan([tmp_path])
    assert str(tmp_path / ".Trashes") in found.skipped
    assert [(i.name, i.problem) for i in found.inputs] == [(str(tmp_path / "locked"), "unreadable")]
