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
