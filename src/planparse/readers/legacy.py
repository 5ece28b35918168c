"""Legacy Word (.doc), WPS (.wps), RTF and OpenDocument text (.odt): converted to .docx
by LibreOffice, then read as .docx.

Each conversion gets its own LibreOffice profile directory: two soffice processes
sharing a profile block each other, so parallel conversions would hang or fail. The
process runs in its own process group, so a timeout kills soffice and its helpers.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..config import DEFAULT_LIMITS, Limits
from ..errors import ErrorCode, PlanparseError
from .base import RawDocument
from .docx import DocxReader

CONVERTER_NAMES = ("soffice", "libreoffice")
INSTALL_HINT = (
    "install it with `apt-get install libreoffice-writer-nogui` (Debian/Ubuntu; "
    "`libreoffice-writer` on older releases) or from https://www.libreoffice.org, "
    "and make sure `soffice` is on PATH"
)
STDERR_IN_MESSAGE = 300  # characters of soffice's complaint shown to the user
# The name LibreOffice is handed each format under. Kingsoft .wps files are Word-binary
# compatible, and ".wps" would make LibreOffice try its Microsoft Works filter instead.
CONVERT_AS = {"doc": "input.doc", "wps": "input.doc", "rtf": "input.rtf", "odt": "input.odt"}
FORMAT_WORDS = {"rtf": "valid RTF", "odt": "valid OpenDocument text"}  # "… or not a ___ document"


def find_converter() -> str | None:
    for name in CONVERTER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def convert_to_docx(data: bytes, suffix: str, timeout_s: float) -> bytes:
    """The .docx LibreOffice makes of ``data`` (a .doc, .wps, .rtf or .odt, as ``suffix``
    says); raises converter_missing, timeout or corrupt."""
    converter = find_converter()
    if converter is None:
        raise PlanparseError(ErrorCode.CONVERTER_MISSING,
                             f"reading .{suffix} files needs LibreOffice to convert them to .docx: {INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="planparse-lo-") as work:
        work_dir = Path(work)
        source = work_dir / CONVERT_AS.get(suffix, "input.doc")
        source.write_bytes(data)
        out_dir = work_dir / "out"
        command = [
            converter, "--headless", "--norestore", "--nolockcheck", "--nodefault", "--nologo",
            f"-env:UserInstallation={(work_dir / 'profile').as_uri()}",
            "--convert-to", "docx", "--outdir", str(out_dir), str(source),
        ]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            _, stderr = process.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            kill_group(process)
            raise PlanparseError(ErrorCode.TIMEOUT,
                                 f"LibreOffice did not convert the .{suffix} file within {timeout_s:g} s") from None
        converted = out_dir / (source.stem + ".docx")
        if not converted.is_file() or converted.stat().st_size == 0:
            complaint = stderr.decode("utf-8", "replace").strip()[:STDERR_IN_MESSAGE]
            raise PlanparseError(ErrorCode.CORRUPT,
                                 f"LibreOffice could not convert this .{suffix} file; it is damaged or not a "
                                 f"{FORMAT_WORDS.get(suffix, 'Word/WPS')} document (exit code {process.returncode}"
                                 f"{': ' + complaint if complaint else ''})")
        return converted.read_bytes()


def kill_group(process: subprocess.Popen) -> None:
    """Kill soffice and everything it started (its own process group), reap it, and close
    its pipes (not drained: a helper that escaped the group could hold them open)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()


class LegacyWordReader:
    def __init__(self, fmt: str) -> None:
        self.format = fmt

    def read(self, data: bytes, path: Path | None = None, limits: Limits | None = None) -> RawDocument:
        limits = limits or DEFAULT_LIMITS
        docx_bytes = convert_to_docx(data, self.format, limits.convert_timeout_s)
        document = DocxReader().read(docx_bytes, None, limits)
        document.format = self.format
        return document
