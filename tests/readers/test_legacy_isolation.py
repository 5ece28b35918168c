"""Legacy Word through LibreOffice: a private profile per conversion (parallel conversions
do not collide), no shell, and a time limit that kills soffice's whole process group."""
from __future__ import annotations

import multiprocessing
import os
import stat
import subprocess
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest

from planparse.config import Limits
from planparse.errors import ErrorCode, PlanparseError
from planparse.readers import legacy, read_bytes, read_file

DUTIES_DOC = "telsa_gonghui_zhuxi_zhize.doc"
WPS_PLAN = "se_gongzuo_jihua.wps"
OLE2_STUB = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 1024


def is_alive(pid: int) -> bool:
    """A process that exists and is no zombie (a zombie is dead, waiting to be reaped)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return fields[0] not in ("Z", "X")


def group_members(pgid: int) -> list[int]:
    """Live processes of a process group (from /proc)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError, PermissionError):
            continue
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            members.append(int(entry.name))
    return members


def wait_until(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


class RecordingPopen(subprocess.Popen):
    """subprocess.Popen that remembers how it was called."""

    calls: list[tuple[list[str], dict]] = []
    processes: list[subprocess.Popen] = []
    lock = threading.Lock()

    def __init__(self, args, **kwargs):
        with RecordingPopen.lock:
            RecordingPopen.calls.append((list(args), dict(kwargs)))
        super().__init__(args, **kwargs)
        with RecordingPopen.lock:
            RecordingPopen.processes.append(self)


@pytest.fixture
def recording(monkeypatch):
    RecordingPopen.calls = []
    RecordingPopen.processes = []
    monkeypatch.setattr(legacy.subprocess, "Popen", RecordingPopen)
    return RecordingPopen


def profile_of(command: list[str]) -> str:
    (option,) = [arg for arg in command if arg.startswith("-env:UserInstallation=")]
    return option.split("=", 1)[1]


def test_parallel_threads_get_private_profiles_and_no_shell(real, soffice, recording):
    names = [DUTIES_DOC, WPS_PLAN]
    with ThreadPoolExecutor(max_workers=2) as pool:
        documents = list(pool.map(lambda name: read_file(real / name), names))
    assert [document.format for document in documents] == ["doc", "wps"]
    assert all(document.blocks for document in documents)
    assert len(recording.calls) == 2
    profiles = {profile_of(command) for command, _ in recording.calls}
    assert len(profiles) == 2, "two conversions shared a LibreOffice profile"
    for command, kwargs in recording.calls:
        assert not kwargs.get("shell"), "soffice must be started without a shell"
        assert Path(command[0]).name in ("soffice", "libreoffice") and command[0] == soffice
        assert kwargs.get("start_new_session") is True  # its own process group, killed as one
        assert profile_of(command).startswith("file:///")
    for profile in profiles:  # each private profile is removed after its conversion
        assert not Path(profile.removeprefix("file://")).exists()


def test_parallel_processes_convert_side_by_side(real, soffice):
    paths = [real / DUTIES_DOC, real / WPS_PLAN, real / DUTIES_DOC]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=3, mp_context=context) as pool:
        documents = list(pool.map(read_file, paths))
    assert [document.format for document in documents] == ["doc", "wps", "doc"]
    # the same file converted twice at the same time gives the same blocks
    assert [b.text for b in documents[0].blocks] == [b.text for b in documents[2].blocks]
    assert any(block.text.startswith("①") for block in documents[1].blocks)


def test_real_soffice_timeout_kills_its_process_group(real, soffice, recording):
    data = (real / DUTIES_DOC).read_bytes()
    started = time.monotonic()
    with pytest.raises(PlanparseError) as caught:
        read_bytes(data, "slow.doc", Limits(convert_timeout_s=0.3))
    assert caught.value.code is ErrorCode.TIMEOUT
    assert "did not convert" in caught.value.message and "0.3 s" in caught.value.message
    assert time.monotonic() - started < 10
    (process,) = recording.processes
    assert process.returncode is not None  # reaped
    assert wait_until(lambda: not group_members(process.pid)), \
        f"soffice processes left running: {group_members(process.pid)}"


def fake_converter(tmp_path: Path, script: str) -> str:
    path = tmp_path / "soffice"
    path.write_text("#!/bin/sh\n" + script + "\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def test_timeout_kills_the_converters_children_too(monkeypatch, tmp_path):
    """soffice starts soffice.bin as a child: the whole group goes, not just the parent."""
    child_pid = tmp_path / "child"
    slow = fake_converter(tmp_path, f"sleep 30 & echo $! > {child_pid}; wait")
    monkeypatch.setattr(legacy, "find_converter", lambda: slow)
    with pytest.raises(PlanparseError) as caught:
        read_bytes(OLE2_STUB, "plan.doc", Limits(convert_timeout_s=0.5))
    assert caught.value.code is ErrorCode.TIMEOUT
    assert wait_until(child_pid.exists, 2)
    pid = int(child_pid.read_text())
    assert wait_until(lambda: not is_alive(pid)), "the converter's child survived the timeout"


def test_fake_parallel_conversions_never_share_a_profile(monkeypatch, tmp_path):
    """Eight conversions at once, each by a converter that fails if its profile directory
    is already taken (as a real LibreOffice profile is, by its lock)."""
    script = """
for arg in "$@"; do
  case "$arg" in -env:UserInstallation=file://*) profile="${arg#-env:UserInstallation=file://}";; esac
  case "$arg" in --outdir) next=out;; *) [ "$next" = out ] && outdir="$arg"; next=;; esac
  source="$arg"
done
mkdir "$profile" || { echo "profile in use: $profile" >&2; exit 1; }
sleep 0.3
mkdir -p "$outdir" && cp "$source" "$outdir/input.docx"
"""
    converter = fake_converter(tmp_path, script)
    monkeypatch.setattr(legacy, "find_converter", lambda: converter)
    monkeypatch.setattr(legacy, "DocxReader", FakeDocxReader)
    with ThreadPoolExecutor(max_workers=8) as pool:
        documents = list(pool.map(lambda n: read_bytes(OLE2_STUB + bytes([n]), f"plan{n}.doc"), range(8)))
    assert [document.blocks[0].text for document in documents] == [f"{len(OLE2_STUB) + 1} bytes"] * 8


class FakeDocxReader:
    """Stands in for the .docx reader behind the fake converter: reports what it got."""

    def read(self, data: bytes, path=None, limits=None):
        from planparse.readers.base import Block, RawDocument

        return RawDocument(blocks=[Block(text=f"{len(data)} bytes")], format="docx")


def test_converter_is_never_given_the_original_file_name(monkeypatch, tmp_path, recording):
    """A file name with spaces, quotes, newlines or Chinese never reaches soffice's command
    line: the bytes are written to a fixed name in the private work directory."""
    failing = fake_converter(tmp_path, "exit 0")
    monkeypatch.setattr(legacy, "find_converter", lambda: failing)
    with pytest.raises(PlanparseError) as caught:
        read_bytes(OLE2_STUB, "工会 \"计划\"\n'; rm -rf ~.doc")
    assert caught.value.code is ErrorCode.CORRUPT
    (command, _), = recording.calls
    assert command[-1].endswith(os.sep + "input.doc")
    assert not any("工会" in arg or "rm -rf" in arg for arg in command)
