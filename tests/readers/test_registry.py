from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

from planparse.config import Limits
from planparse.errors import ErrorCode, PlanparseError
from planparse.readers import READERS, SUFFIX_FORMATS, detect_format, read_bytes, read_file

from .pdf_factory import text_pdf


def error_of(call, *args, **kwargs) -> PlanparseError:
    with pytest.raises(PlanparseError) as caught:
        call(*args, **kwargs)
    return caught.value


def docx_bytes(text: str = "工会工作计划") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_every_suffix_has_a_reader_whose_format_matches():
    assert set(SUFFIX_FORMATS.values()) <= set(READERS)
    for fmt, reader in READERS.items():
        assert reader.format == fmt


def test_a_reader_module_is_imported_only_when_its_format_comes(tmp_path):
    """Parsing a text file in a fresh process loads none of the other readers' libraries;
    a DOCX then loads python-docx, and the registry keeps one reader per format."""
    plan = tmp_path / "plan.txt"
    plan.write_text("工会工作计划\n一、开展职工培训\n", encoding="utf-8")
    heavy = ("bs4", "pypdfium2", "docx", "planparse.readers.pdf", "planparse.readers.html", "planparse.readers.ocr")
    probe = f"""
import sys
from planparse.api import parse_file
from planparse.readers import READERS
result = parse_file({str(plan)!r})
assert result.error is None, result.error
print(sorted(m for m in {heavy!r} if m in sys.modules))
first = READERS["docx"]
print("docx" in sys.modules, READERS["docx"] is first)
"""
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split("\n")[:2] == ["[]", "True True"]


def test_a_reader_set_in_the_registry_replaces_the_made_one():
    registry = type(READERS)({"txt": ("text", "TextReader", ())})
    made = registry["txt"]
    stand_in = type("StandIn", (), {"format": "txt"})()
    registry["txt"] = stand_in
    registry["extra"] = stand_in
    assert registry["txt"] is stand_in and made is not stand_in
    assert list(registry) == ["txt", "extra"] and len(registry) == 2
    del registry["extra"]
    assert list(registry) == ["txt"]


@pytest.mark.parametrize(("data", "name", "expected"), [
    (b"%PDF-1.7\n...", "x.docx", "pdf"),
    (b"junk before %PDF-1.4\n", "x.pdf", "pdf"),
    (bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 100, "x.wps", "wps"),
    (bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 100, "x.docx", "doc"),
    (b"{\\rtf1\\ansi plan}", "x.doc", "doc"),
    (b"<!DOCTYPE html><html></html>", "x.txt", "html"),
    (b"<div>no doctype</div>", "x.htm", "html"),
    ("工会工作计划".encode(), "README", "txt"),
    ("工会工作计划".encode(), "plan.TXT", "txt"),
])
def test_detect_format(data, name, expected):
    assert detect_format(data, name) == expected


def test_detect_docx_by_its_zip_content():
    assert detect_format(docx_bytes(), "download.bin") == "docx"


def test_zip_that_is_no_word_document_is_unsupported():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("content.xml", "<office/>")
    assert error_of(read_bytes, buffer.getvalue(), "plan.odt").code is ErrorCode.UNSUPPORTED_FORMAT


def test_unknown_suffix_without_known_content_is_unsupported():
    err = error_of(read_bytes, b"GIF89a" + b"\0" * 50, "scan.gif")
    assert err.code is ErrorCode.UNSUPPORTED_FORMAT and ".gif" in err.message


def test_empty_file(tmp_path):
    path = tmp_path / "empty.docx"
    path.write_bytes(b"")
    assert error_of(read_file, path).code is ErrorCode.EMPTY
    assert error_of(read_bytes, b"", "empty.txt").code is ErrorCode.EMPTY


def test_too_large_is_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 2000)

    def no_reading(self):
        raise AssertionError("the file was read before its size was checked")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    err = error_of(read_file, path, Limits(max_bytes=1000))
    assert err.code is ErrorCode.TOO_LARGE and "1,000" in err.message
    assert error_of(read_bytes, b"x" * 2000, "big.txt", Limits(max_bytes=1000)).code is ErrorCode.TOO_LARGE


def test_binary_garbage_named_txt_is_not_a_document(tmp_path):
    path = tmp_path / "garbage.txt"
    path.write_bytes(bytes(range(256)) * 8)
    assert error_of(read_file, path).code is ErrorCode.NOT_A_DOCUMENT


def test_mismatch_is_read_by_content_with_a_warning(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(docx_bytes("按内容读取"))
    document = read_file(path)
    assert document.format == "docx" and document.blocks[0].text == "按内容读取"
    assert "plan.txt" in document.warnings[0] and "Word" in document.warnings[0]


def test_pdf_named_docx_read_as_pdf_with_warning():
    document = read_bytes(text_pdf(["Work plan for 2021."]), "plan.docx")
    assert document.format == "pdf" and document.blocks[0].text == "Work plan for 2021."
    assert "PDF" in document.warnings[0]


def test_unexpected_reader_exception_becomes_corrupt(monkeypatch):
    def broken(data, path=None, limits=None):
        raise ValueError("unexpected structure at offset 42\nTraceback lines")

    monkeypatch.setattr(READERS["txt"], "read", broken)
    err = error_of(read_bytes, "正文".encode(), "plan.txt")
    assert err.code is ErrorCode.CORRUPT
    assert err.message == "the text file is damaged or unreadable: unexpected structure at offset 42"


def test_200_mb_text_file_is_too_large_without_being_loaded(tmp_path, monkeypatch):
    """The default limit (50 MB) refuses a 200 MB file from its size on disk: neither the reader
    nor parse_file holds its bytes (the file is sparse: 200 MB on paper, no disk used)."""
    import tracemalloc

    from planparse.api import parse_file
    from planparse.config import DEFAULT_LIMITS

    path = tmp_path / "huge plan.txt"
    with path.open("wb") as huge:
        huge.truncate(200 * 1024 * 1024)
    assert DEFAULT_LIMITS.max_bytes == 50 * 1024 * 1024
    with monkeypatch.context() as patched:
        patched.setattr(Path, "read_bytes", lambda self: pytest.fail("the file was read before its size was checked"))
        err = error_of(read_file, path)
    assert err.code is ErrorCode.TOO_LARGE and "209,715,200 bytes" in err.message and "52,428,800" in err.message
    tracemalloc.start()
    try:
        result = parse_file(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.error.code == "too_large" and result.source.bytes == 200 * 1024 * 1024
    assert peak < 8 * 1024 * 1024  # hashed a megabyte at a time, never loaded
