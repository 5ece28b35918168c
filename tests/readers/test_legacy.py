from __future__ import annotations

import os
import stat
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from planparse.config import Limits
from planparse.errors import ErrorCode, PlanparseError
from planparse.readers import legacy, read_bytes, read_file

DUTIES_DOC = "telsa_gonghui_zhuxi_zhize.doc"
WPS_PLAN = "se_gongzuo_jihua.wps"


@pytest.fixture(scope="module")
def converted(real, soffice) -> dict:
    """Two real conversions run in parallel: each must get its own LibreOffice profile."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        documents = pool.map(lambda name: read_file(real / name), [DUTIES_DOC, WPS_PLAN])
        return dict(zip([DUTIES_DOC, WPS_PLAN], documents))


def test_doc_converts_and_keeps_its_numbered_items(converted):
    document = converted[DUTIES_DOC]
    assert document.format == "doc"
    texts = [block.text for block in document.blocks]
    assert texts[0].replace(" ", "") == "工会主席职责"
    items = [text for text in texts if text[:1].isdigit()]
    assert [text[:2] for text in items] == ["1、", "2、", "3、", "4、", "5、", "6、"]
    assert "管好用好工会经费" in items[-1]


def test_wps_converts(converted):
    document = converted[WPS_PLAN]
    assert document.format == "wps"
    texts = [block.text for block in document.blocks]
    assert texts[0] == "SE开发工作计划"
    assert any(text.startswith("①") for text in texts)


def test_converter_missing(monkeypatch, tmp_path):
    monkeypatch.setattr(legacy.shutil, "which", lambda name: None)
    with pytest.raises(PlanparseError) as caught:
        read_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 1024, "plan.doc")
    assert caught.value.code is ErrorCode.CONVERTER_MISSING
    assert "LibreOffice" in caught.value.message and "apt-get install libreoffice-writer-nogui" in caught.value.message


def fake_converter(tmp_path: Path, script: str) -> str:
    path = tmp_path / "soffice"
    path.write_text("#!/bin/sh\n" + script + "\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def test_conversion_timeout_kills_the_converter(monkeypatch, tmp_path):
    pid_file = tmp_path / "pid"
    slow = fake_converter(tmp_path, f"echo $$ > {pid_file}; sleep 30")
    monkeypatch.setattr(legacy, "find_converter", lambda: slow)
    started = time.monotonic()
    with pytest.raises(PlanparseError) as caught:
        read_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 1024, "plan.doc", Limits(convert_timeout_s=0.5))
    assert caught.value.code is ErrorCode.TIMEOUT
    assert time.monotonic() - started < 10
    pid = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # the whole process group was killed


def test_failed_conversion_is_corrupt(monkeypatch, tmp_path):
    failing = fake_converter(tmp_path, "echo 'Error: source file could not be loaded' >&2; exit 0")
    monkeypatch.setattr(legacy, "find_converter", lambda: failing)
    with pytest.raises(PlanparseError) as caught:
        read_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 1024, "plan.wps")
    assert caught.value.code is ErrorCode.CORRUPT
    assert "could not be loaded" in caught.value.message


def _converter_that_crashes(tmp_path: Path, crashes: int) -> tuple[str, Path]:
    """A converter that dies of SIGABRT on its first ``crashes`` runs, then writes a real
    DOCX where soffice would (``--outdir``/input.docx); every run adds a line to a log."""
    log = tmp_path / "runs.log"
    script = f"""
echo run >> {log}
if [ "$(wc -l < {log})" -le {crashes} ]; then kill -ABRT $$; fi
while [ $# -gt 0 ]; do if [ "$1" = --outdir ]; then out="$2"; fi; shift; done
mkdir -p "$out" && cp {SAMPLE_DOCX} "$out/input.docx"
"""
    return fake_converter(tmp_path, script), log


def test_a_converter_crash_is_tried_once_more(monkeypatch, tmp_path):
    crashing, log = _converter_that_crashes(tmp_path, crashes=1)
    monkeypatch.setattr(legacy, "find_converter", lambda: crashing)
    document = read_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 1024, "plan.doc")
    assert log.read_text().count("run") == 2
    assert document.format == "doc"
    assert any("工会" in block.text for block in document.blocks)  # the sample DOCX, read for real


def test_a_converter_that_keeps_crashing_gives_corrupt(monkeypatch, tmp_path):
    crashing, log = _converter_that_crashes(tmp_path, crashes=5)
    monkeypatch.setattr(legacy, "find_converter", lambda: crashing)
    with pytest.raises(PlanparseError) as caught:
        read_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 1024, "plan.doc")
    assert caught.value.code is ErrorCode.CORRUPT
    assert "after 2 attempts" in caught.value.message
    assert log.read_text().count("run") == legacy.ATTEMPTS_AFTER_A_CRASH


def test_a_plain_failure_is_not_retried(monkeypatch, tmp_path):
    log = tmp_path / "runs.log"
    failing = fake_converter(tmp_path, f"echo run >> {log}; printf 'Warning: x\\nError: source file could not be loaded\\n' >&2; exit 1")
    monkeypatch.setattr(legacy, "find_converter", lambda: failing)
    with pytest.raises(PlanparseError) as caught:
        read_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 1024, "plan.doc")
    assert caught.value.code is ErrorCode.CORRUPT
    assert "attempts" not in caught.value.message
    assert "Warning: x Error: source file could not be loaded" in caught.value.message  # stderr on one line
    assert log.read_text().count("run") == 1


# --- RTF and OpenDocument text: LibreOffice writes them, LibreOffice reads them back -----

SAMPLE_DOCX = Path(__file__).resolve().parents[2] / "corpora" / "samples" / "kindergarten_union_plan_2024.docx"


@pytest.fixture(scope="module")
def exported(soffice, tmp_path_factory) -> dict[str, Path]:
    """The sample DOCX saved by LibreOffice as .rtf and as .odt (real files of real writers)."""
    import subprocess

    out = tmp_path_factory.mktemp("exported")
    profile = (out / "profile").as_uri()
    for target in ("rtf", "odt"):
        subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={profile}", "--convert-to", target,
                        "--outdir", str(out), str(SAMPLE_DOCX)], check=True, capture_output=True, timeout=120)
    return {target: out / f"{SAMPLE_DOCX.stem}.{target}" for target in ("rtf", "odt")}


@pytest.mark.parametrize("target", ["rtf", "odt"])
def test_rtf_and_odt_read_like_the_docx_they_came_from(exported, target):
    from planparse import parse_file
    from planparse.readers.sniff import sniff_format

    path = exported[target]
    data = path.read_bytes()
    assert sniff_format(data, None) == target  # by content: {\rtf, or the ODF mimetype member
    document = read_file(path)
    assert document.format == target
    original = [block.text for block in read_file(SAMPLE_DOCX).blocks if block.text.strip()]
    assert [block.text for block in document.blocks if block.text.strip()][:3] == original[:3]
    ours, theirs = parse_file(path), parse_file(SAMPLE_DOCX)
    assert [p.title for p in ours.plans] == [p.title for p in theirs.plans]
    assert [[t.text for t in p.tasks] for p in ours.plans] == [[t.text for t in p.tasks] for p in theirs.plans]


def test_odt_zip_is_told_from_other_zips():
    import io
    import zipfile

    from planparse.readers.sniff import sniff_format

    def zipped(members: dict[str, bytes]) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, content in members.items():
                archive.writestr(name, content)
        return buffer.getvalue()

    assert sniff_format(zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}), None) == "odt"
    assert sniff_format(zipped({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}), None) is None
    assert sniff_format(zipped({"notes.txt": b"hello"}), None) is None
