"""A folder of hostile and broken files plus three good plans, through `planparse parse`:
the run fails (exit 1) but loses nothing — the good plans come out exactly as in a clean
run, every bad file is a row with its expected error code, and the counts add up."""
from __future__ import annotations

import ctypes
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import docx
import pytest

from tests.readers.pdf_factory import text_pdf

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "corpora" / "samples"
GOOD = ["school_union_plan_2024.txt", "hospital_union_points_2024_gbk.txt", "kindergarten_union_plan_2024.docx"]


def _docx_bytes(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _bomb() -> bytes:
    """A DOCX whose document.xml inflates far past the size limit."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (600 * 1024 * 1024) + b"</w:document>")
    return buffer.getvalue()


def _xxe() -> bytes:
    """A DOCX whose XML declares an external entity; it must never be resolved."""
    data = _docx_bytes(["某某工会2024年工作计划", "一、主要工作", "1、召开教代会。"])
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "word/document.xml":
                body = body.replace(
                    b"?>", b'?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', 1
                ).replace("召开教代会".encode(), "召开教代会&xxe;".encode())
            archive.writestr(item, body)
    return out.getvalue()


def _nested(levels: int) -> str:
    tokens = ["一、", "(一)", "1、", "(1)", "①", "1.1 ", "一是", "A.", "a)", "i.", "(a)", "第一,"]
    lines = ["某某工会2024年工作计划"]
    for depth in range(levels):
        lines.append(f"{tokens[depth % len(tokens)]}第{depth + 1}层工作内容。")
    return "\n".join(lines)


# (file name, bytes, expected error code or None for a correct parse)
BAD_INPUTS = [
    ("empty.txt", b"", "empty"),
    ("binary garbage.txt", bytes(range(256)) * 40, "not_a_document"),
    ("truncated.pdf", text_pdf(["Union Work Plan 2024", "First, the main work:"])[:300], "corrupt"),
    ("locked.pdf", text_pdf(["Union Work Plan 2024"], user_password="secret"), "encrypted"),
    ("open-empty-password.pdf", text_pdf(["Union Work Plan 2024", "First, the main work:"], user_password=""), None),
    ("really a pdf.docx", text_pdf(["Union Work Plan 2024", "First, the main work:", "1. Hold the staff congress."]), None),
    ("bad zip.docx", b"PK\x03\x04" + b"\x00" * 200, "corrupt"),
    ("bomb.docx", _bomb(), "corrupt"),
    ("entity.docx", _xxe(), None),
    ("one long line.txt", ("召开教代会,审议学校工作报告。" * 70000).encode("utf-8"), None),
    ("nested twelve levels.txt", _nested(12).encode("utf-8"), None),
    ("mixed gbk utf8.txt", "一、主要工作\n".encode("gb18030") + "1、召开教代会。\n".encode("utf-8"), None),
    ("scripts.html", ("<html><body>" + "<script>alert(1)</script>" * 500
                      + "<p>某某工会2024年工作计划</p><p>一、主要工作</p><p>1、召开教代会。</p></body></html>").encode(), None),
    ('名字 with "quotes"\nand newline.txt', "某某工会2024年工作计划\n一、主要工作\n1、召开教代会。".encode(), None),
    ("blank.txt", " \r\n\n\u3000\t\n".encode("utf-8"), "empty"),
    ("zero bytes.docx", b"", "empty"),
    ("no text.docx", _docx_bytes(["", "  "]), "empty"),
    ("really a docx.pdf", _docx_bytes(["某某工会2024年工作计划", "一、主要工作", "1、召开教代会。"]), None),
]
# Named as one format, made as another: read by content, with a warning saying so.
DISGUISED = {"really a pdf.docx": "read as PDF", "really a docx.pdf": "read as Word (.docx)"}
# Made in the folder by the fixture, not from bytes: (name, expected code).
HUGE = ("huge 200 MB.txt", "too_large")  # sparse: 200 MB on paper, no disk used
UNREADABLE = ("unreadable.txt", "corrupt")  # mode 000, and the batch runs without root's override
# not regular files: each is one failed row, and the pipe must not block the batch
PIPE = ("named pipe.txt", "corrupt")
DANGLING = ("dangling.txt", "corrupt")
SPECIAL_INPUTS = [HUGE, UNREADABLE, PIPE, DANGLING]
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2  # linux/capability.h
PR_CAPBSET_DROP = 24  # linux/prctl.h


def _drop_file_override() -> None:
    """In the child, before exec: root loses the capabilities that let it read any file
    (its mode bits then count, as for everyone else); other users have nothing to drop."""
    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
            if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _run(src: Path, out: Path, *extra: str, drop_override: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "planparse", "parse", str(src), "-o", str(out), "--no-progress", *extra],
        capture_output=True, text=True, timeout=600, cwd=REPO, env={**os.environ, "COLUMNS": "400"},
        preexec_fn=_drop_file_override if drop_override else None,
    )


def _make_special_inputs(folder: Path) -> None:
    with (folder / HUGE[0]).open("wb") as huge:
        huge.truncate(200 * 1024 * 1024)
    unreadable = folder / UNREADABLE[0]
    unreadable.write_text("某某工会2024年工作计划\n一、主要工作", encoding="utf-8")
    unreadable.chmod(0)
    try:
        probe = subprocess.run([sys.executable, "-c", f"open({str(unreadable)!r}).read()"], capture_output=True,
                               preexec_fn=_drop_file_override)
    except subprocess.SubprocessError:  # prctl refused
        probe = None
    if probe is None or probe.returncode == 0:  # this machine would let the batch read it anyway
        pytest.fail("cannot make a file unreadable here (root without CAP_SETPCAP to drop CAP_DAC_OVERRIDE)")
    os.mkfifo(folder / PIPE[0])  # no regular file: must not hang the batch
    (folder / DANGLING[0]).symlink_to(folder / "no such file.txt")


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    clean_in = tmp_path_factory.mktemp("clean_in")
    mixed_in = tmp_path_factory.mktemp("mixed_in")
    for name in GOOD:
        for folder in (clean_in, mixed_in):
            (folder / name).write_bytes((SAMPLES / name).read_bytes())
    for name, data, _ in BAD_INPUTS:
        (mixed_in / name).write_bytes(data)
    (mixed_in / "loop").symlink_to(mixed_in, target_is_directory=True)  # a symlink loop
    _make_special_inputs(mixed_in)
    clean_out = tmp_path_factory.mktemp("clean_out")
    mixed_out = tmp_path_factory.mktemp("mixed_out")
    clean = _run(clean_in, clean_out, "-f", "jsonl", "--quiet")
    mixed = _run(mixed_in, mixed_out, "-f", "jsonl", "--workers", "2", drop_override=True)
    return clean, clean_out, mixed, mixed_out


def _expected() -> dict[str, str | None]:
    return {**{name: code for name, _, code in BAD_INPUTS}, **dict(SPECIAL_INPUTS)}


def _row_named(out: Path, name: str) -> dict:
    return next(r for r in _rows(out / "sources.jsonl") if Path(r["source_path"]).name == name)


def test_a_batch_with_bad_files_fails_but_goes_on(runs):
    clean, _, mixed, _ = runs
    assert clean.returncode == 0, clean.stderr
    assert mixed.returncode == 1, mixed.stderr


def test_every_input_is_one_row_of_sources(runs):
    *_, mixed_out = runs
    sources = _rows(mixed_out / "sources.jsonl")
    names = sorted(Path(row["source_path"]).name for row in sources)
    expected = sorted(GOOD + list(_expected()))
    assert names == expected  # the symlink loop is walked once; the pipe and the dangling link are rows
    parsed = [r for r in sources if r["status"] == "parsed"]
    failed = [r for r in sources if r["status"] == "failed"]
    assert len(parsed) + len(failed) == len(sources)
    assert len(_rows(mixed_out / "errors.jsonl")) == len(failed)


@pytest.mark.parametrize("name, expected", list(_expected().items()), ids=list(_expected()))
def test_each_bad_file_gets_its_code(runs, name, expected):
    *_, mixed_out = runs
    row = _row_named(mixed_out, name)
    if expected is None:
        assert row["status"] == "parsed", row
    else:
        assert (row["status"], row["error_code"]) == ("failed", expected), row
        assert row["error_message"]
        errors = [r for r in _rows(mixed_out / "errors.jsonl") if Path(r["source_path"]).name == name]
        assert [(r["code"], r["message"]) for r in errors] == [(expected, row["error_message"])]


def test_messages_explain_the_failures(runs):
    *_, mixed_out = runs
    assert "209,715,200 bytes" in _row_named(mixed_out, HUGE[0])["error_message"]  # size and limit named
    assert "52,428,800" in _row_named(mixed_out, HUGE[0])["error_message"]
    assert "Permission denied" in _row_named(mixed_out, UNREADABLE[0])["error_message"]
    assert "password" in _row_named(mixed_out, "locked.pdf")["error_message"]


@pytest.mark.parametrize("name", list(DISGUISED))
def test_a_disguised_file_is_read_by_content_with_a_warning(runs, name):
    *_, mixed_out = runs
    row = _row_named(mixed_out, name)
    assert row["status"] == "parsed" and row["n_plans"] == 1
    assert any(name in warning and DISGUISED[name] in warning for warning in row["warnings"]), row["warnings"]


def test_summary_counts_add_up_to_the_inputs(runs):
    """The summary the CLI prints: files = parsed + failed = rows of sources, and the count
    of each error code is the number of inputs expected to fail with it."""
    *_, mixed, mixed_out = runs
    sources = _rows(mixed_out / "sources.jsonl")
    found = re.search(r"(\d+) files: (\d+) parsed, (\d+) failed \(([^)]*)\)", " ".join(mixed.stdout.split()))
    assert found, mixed.stdout[-2000:]
    files, parsed, failed = (int(found.group(i)) for i in (1, 2, 3))
    assert files == parsed + failed == len(sources)
    by_code = {code: int(n) for code, n in (item.split() for item in found.group(4).split(", "))}
    expected = Counter(code for code in _expected().values() if code)
    assert by_code == dict(expected)
    assert parsed == sum(1 for row in sources if row["status"] == "parsed")


def test_good_plans_are_parsed_as_in_a_clean_run(runs):
    _, clean_out, _, mixed_out = runs

    def good_plans(out: Path) -> dict[str, list]:
        sources = {r["source_sha256"]: Path(r["source_path"]).name for r in _rows(out / "sources.jsonl")}
        plans: dict[str, list] = {}
        for row in _rows(out / "plans.jsonl"):
            name = sources[row["source_sha256"]]
            if name in GOOD:
                row.pop("source_path")  # the two runs read from different folders
                plans.setdefault(name, []).append(row)
        return plans

    clean, mixed = good_plans(clean_out), good_plans(mixed_out)
    assert sorted(clean) == sorted(GOOD)
    assert mixed == clean


def test_external_entity_is_never_resolved(runs):
    *_, mixed_out = runs
    text = (mixed_out / "tasks.jsonl").read_text(encoding="utf-8") + (mixed_out / "sections.jsonl").read_text(encoding="utf-8")
    assert "root:" not in text


def test_files_that_are_not_regular_say_what_they_are(runs):
    *_, mixed_out = runs
    assert "named pipe" in _row_named(mixed_out, PIPE[0])["error_message"]
    assert "does not exist" in _row_named(mixed_out, DANGLING[0])["error_message"]
