"""A folder of hostile and broken files plus three good plans, through `planparse parse`:
the run fails (exit 1) but loses nothing — the good plans come out exactly as in a clean
run, every bad file is a row with its expected error code, and the counts add up."""
from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
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
]


def _run(src: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "planparse", "parse", str(src), "-o", str(out), "--quiet", "--no-progress", *extra],
        capture_output=True, text=True, timeout=600, cwd=REPO,
    )


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
    (mixed_in / "dangling.txt").symlink_to(mixed_in / "no such file.txt")
    clean_out = tmp_path_factory.mktemp("clean_out")
    mixed_out = tmp_path_factory.mktemp("mixed_out")
    clean = _run(clean_in, clean_out, "-f", "jsonl")
    mixed = _run(mixed_in, mixed_out, "-f", "jsonl", "--workers", "2")
    return clean, clean_out, mixed, mixed_out


def test_a_batch_with_bad_files_fails_but_goes_on(runs):
    clean, _, mixed, _ = runs
    assert clean.returncode == 0, clean.stderr
    assert mixed.returncode == 1, mixed.stderr


def test_every_input_is_one_row_of_sources(runs):
    *_, mixed_out = runs
    sources = _rows(mixed_out / "sources.jsonl")
    names = sorted(Path(row["source_path"]).name for row in sources)
    expected = sorted(GOOD + [name for name, _, _ in BAD_INPUTS])
    # the symlink loop is walked once; a dangling link, if listed, is one failed row
    assert [n for n in names if n != "dangling.txt"] == expected
    parsed = [r for r in sources if r["status"] == "parsed"]
    failed = [r for r in sources if r["status"] == "failed"]
    assert len(parsed) + len(failed) == len(sources)
    assert len(_rows(mixed_out / "errors.jsonl")) == len(failed)


@pytest.mark.parametrize("name, expected", [(n, c) for n, _, c in BAD_INPUTS], ids=[n for n, _, _ in BAD_INPUTS])
def test_each_bad_file_gets_its_code(runs, name, expected):
    *_, mixed_out = runs
    row = next(r for r in _rows(mixed_out / "sources.jsonl") if Path(r["source_path"]).name == name)
    if expected is None:
        assert row["status"] == "parsed", row
    else:
        assert (row["status"], row["error_code"]) == ("failed", expected), row
        assert row["error_message"]


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
