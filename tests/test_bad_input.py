"""Bad input end to end: every broken file gives a stable reason in Chinese and English, never a traceback.

Through ``gov_audit._read.read`` a file that is not a report raises ``InputError``; through
the batch (``read_one``) it becomes a failed report that still shows in the output. A
report that is merely cut short is read as far as it goes: status partial, with
findings naming the cells that are missing.
"""
from __future__ import annotations

import io
import random
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gov_audit._read as read_module
from gov_audit import InputError, get_template
from gov_audit._batch import Input, read_one
from gov_audit._read import REASONS, read
from gov_audit.testing._render import render


def _zeros(template: str = "2021") -> dict[str, float]:
    cells = {c: 0.0 for c in get_template(template).codes}
    for code in ("t3.new", "t3.granted", "t3.total"):  # a few non-zero cells, consistent
        cells[f"{code}.natural"] = cells[f"{code}.total"] = 2.0
    return cells


def _docx_without_body() -> bytes:
    good = render(_zeros(), "docx", seed=0)
    src = zipfile.ZipFile(io.BytesIO(good))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                out.writestr(info, src.read(info))
    return buf.getvalue()


NOT_A_REPORT_HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>通知公告</title></head>
<body><div class="nav">首页 &gt; 通知公告</div><h1>关于做好2021年春节期间值班工作的通知</h1>
<p>各科室：现将春节期间值班安排通知如下。</p>
<table><tr><td>日期</td><td>值班人员</td><td>电话</td></tr><tr><td>2月11日</td><td>张三</td><td>12345678</td></tr></table>
</body></html>""".encode()

CASES = {  # name: (file name, bytes, reason)
    "empty file": ("empty.txt", b"", "empty"),
    "white space only": ("blank.txt", b" \r\n\t\n\xe3\x80\x80\n", "empty"),
    "binary junk": ("junk.txt", random.Random(0).randbytes(4096), "binary"),
    "executable": ("tool.txt", b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8, "binary"),
    "old Word .doc": ("old.txt", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048, "binary"),
    # no NUL byte, not UTF-8, no charset detected and not even GB18030: decode() gives up
    "undecodable high bytes": ("high.txt", bytes(range(0x80, 0x100)) * 10, "binary"),
    "HTML page that is not a report": ("notice.html", NOT_A_REPORT_HTML, "not_a_report"),
    "text that is not a report": ("memo.txt", "会议纪要\n一、会议内容\n讨论了春节值班安排，共3人参加。\n".encode(), "not_a_report"),
    "corrupt DOCX (bad zip)": ("bad.docx", b"PK\x03\x04" + random.Random(1).randbytes(900), "corrupt"),
    "DOCX without document.xml": ("hollow.docx", None, "corrupt"),
    "DOCX cut in half": ("half.docx", None, "corrupt"),
    "PDF that is junk": ("junk.pdf", b"%PDF-1.7\n" + random.Random(2).randbytes(2000), "corrupt"),
}


def _data(name: str) -> bytes:
    if name == "DOCX without document.xml":
        return _docx_without_body()
    if name == "DOCX cut in half":
        good = render(_zeros(), "docx", seed=0)
        return good[: len(good) // 2]
    return CASES[name][1]


def _assert_bilingual(message: str, reason: str) -> None:
    zh, en = REASONS[reason]
    assert zh in message and en in message, message
    assert "Traceback" not in message


@pytest.mark.parametrize("case", list(CASES))
def test_read_raises_a_clear_input_error(case):
    filename, _, reason = CASES[case]
    with pytest.raises(InputError) as err:
        read(_data(case), name=filename)
    assert err.value.reason == reason
    _assert_bilingual(str(err.value), reason)


@pytest.mark.parametrize("case", list(CASES))
def test_batch_turns_bad_input_into_a_failed_report(case, tmp_path):
    filename, _, reason = CASES[case]
    path = tmp_path / filename
    path.write_bytes(_data(case))
    report = read_one(Input(str(path), path))
    assert report.status == "failed" and report.reason == reason
    assert all(v is None for v in report.cells.values())
    (finding,) = report.parse_findings
    zh, en = REASONS[reason]
    assert finding.message_zh.startswith(zh) and finding.message_en.startswith(en)
    assert "Traceback" not in finding.message_zh + finding.message_en


def test_missing_file_and_folder(tmp_path):
    assert read_one(Input("gone.txt", tmp_path / "gone.txt")).reason == "not_found"
    assert read_one(Input("dir", tmp_path)).reason == "unreadable"


@pytest.mark.parametrize("form", ["text_lines", "html", "markdown"])
def test_oversized_file_is_not_read(form, tmp_path, monkeypatch):
    # the limit is 50 MB; lower it rather than write 50 MB
    data = render(_zeros(), form, seed=0).encode()
    monkeypatch.setattr(read_module, "MAX_BYTES", len(data) - 1)
    path = tmp_path / "big.txt"
    path.write_bytes(data)
    for source in (path, data):
        with pytest.raises(InputError) as err:
            read(source)
        assert err.value.reason == "too_large"
        _assert_bilingual(str(err.value), "too_large")
    report = read_one(Input(str(path), path))
    assert report.status == "failed" and report.reason == "too_large"


# -- cut short: read as far as it goes ---------------------------------------------------------------

def _cut_in_table3(full: str, rows: int) -> str:
    """The text up to table 3's ``rows``-th printed row (counting its three header rows)."""
    start = full.index("三、收到和处理政府信息公开申请情况")
    if "<tr" in full:
        at = start
        for _ in range(rows + 1):
            at = full.index("<tr", at + 1)
        return full[:at]
    label = list(get_template("2021").tables["t3"].rows.values())[rows - 3].label
    return full[: full.index(label, start)]


@pytest.mark.parametrize("form", ["html", "word_html", "text_lines", "text_spaced", "markdown"])
@pytest.mark.parametrize("rows", [9, 27])
def test_file_cut_mid_table_is_partial_not_a_crash(form, rows):
    truth = _zeros()
    cut = _cut_in_table3(render(truth, form, seed=3), rows).encode()
    cut = cut[:-1]  # and mid-character: a download that stopped inside a UTF-8 sequence
    report = read(cut, name=f"cut.{form}")
    assert report.status == "partial"
    missing = [c for c, src in report.provenance.items() if src.how == "missing"]
    assert "t3.carry_out.total" in missing and "t4.review.upheld" in missing
    flagged = {c for f in report.parse_findings if f.reason == "cell_missing" for c in f.cells}
    assert set(missing) <= flagged, "every missing cell is named by a finding"
    assert report.cells["t3.new.natural"] == truth["t3.new.natural"]  # what came before the cut is read


def test_batch_reads_a_cut_file_as_partial(tmp_path):
    full = render(_zeros(), "html", seed=1)
    path = tmp_path / "cut.html"
    path.write_text(full[: full.index("（四）无法提供")], encoding="utf-8")
    report = read_one(Input(str(path), path))
    assert report.status == "partial"
    assert any(f.reason == "cell_missing" for f in report.parse_findings)


# -- nothing escapes ---------------------------------------------------------------------------------

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(max_size=3000), st.sampled_from(["", ".txt", ".html", ".md", ".docx", ".pdf"]))
def test_arbitrary_bytes_never_crash(data, suffix):
    from gov_audit._read._decode import sniff_form

    try:
        report = read(data, name="fuzz" + suffix, form=sniff_form(data, suffix) if data.strip() else None)
    except InputError as exc:
        assert exc.reason in REASONS
    else:
        assert report.status in ("ok", "partial")


_FULL = {form: render(_zeros(), form, seed=4) for form in ("html", "word_html", "text_lines", "text_run",
                                                          "markdown", "docx")}


@FUZZ
@given(st.sampled_from(sorted(_FULL)), st.floats(0, 1), st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)),
                                                                max_size=4))
def test_damaged_reports_never_crash(form, keep, flips):
    """A rendered report cut at any point, with a few bytes changed: a report or an InputError."""
    full = _FULL[form]
    data = bytearray(full if isinstance(full, bytes) else full.encode())
    for where, byte in flips:
        data[int(where * (len(data) - 1))] = byte
    data = bytes(data[: int(keep * len(data))])
    try:
        report = read(data, name=f"damaged.{form}")
    except InputError as exc:
        assert exc.reason in REASONS
    else:
        assert report.status in ("ok", "partial")


def test_blank_detection_looks_at_a_prefix_first_but_agrees_with_the_whole_file():
    """``_blank`` decides from the first bytes when it can; every short mix of the bytes that matter agrees."""
    import itertools

    from gov_audit._read import _blank

    def whole(data: bytes) -> bool:
        return not data.replace(b"\xef\xbb\xbf", b"").replace("\u3000".encode(), b"").strip()

    alphabet = [b" ", b"\n", b"\xef\xbb\xbf", "\u3000".encode(), b"a", b"\xef", b"\xe3", b" " * 70]
    for n in range(6):
        for parts in itertools.product(alphabet, repeat=n):
            data = b"".join(parts)
            assert _blank(data) == whole(data), data
