"""Legacy Word (.doc), WPS (.wps), RTF and OpenDocument text (.odt): converted to .docx
by LibreOffice, then read as .docx.

Each conversion gets its own LibreOffice profile directory: two soffice processes
sharing a profile block each other, so parallel conversions would hang or fail. The
process runs in its own process group, so a timeout kills soffice and its helpers.
soffice sometimes aborts on a file it converts the next time (seen in a batch of two
workers on a fresh install); a conversion whose converter died of a signal is tried once
more before the file is called corrupt.
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
ATTEMPTS_AFTER_A_CRASH = 2  # tries in all when soffice dies of a signal with nothing written
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
    for attempt in range(1, ATTEMPTS_AFTER_A_CRASH + 1):
        converted, returncode, complaint = _convert_once(converter, data, suffix, timeout_s)
        if converted is not None:
            return converted
        if not _died_of_a_signal(returncode):
            break
    raise PlanparseError(ErrorCode.CORRUPT,
                         f"LibreOffice could not convert this .{suffix} file; it is damaged or not a "
                         f"{FORMAT_WORDS.get(suffix, 'Word/WPS')} document (exit code {returncode}"
                         f"{', after ' + str(attempt) + ' attempts' if attempt > 1 else ''}"
                         f"{': ' + complaint if complaint else ''})")


def _convert_once(converter: str, data: bytes, suffix: str, timeout_s: float) -> tuple[bytes | None, int, str]:
    """One soffice run in a fresh work and profile directory: (the .docx or None, exit
    code, the start of its stderr); raises timeout."""
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
        if converted.is_file() and converted.stat().st_size > 0:
            return converted.read_bytes(), process.returncode, ""
        # on one line: the message is a row of the errors table and a line of the summary
        complaint = " ".join(stderr.decode("utf-8", "replace").split())
        return None, process.returncode, complaint[:STDERR_IN_MESSAGE]


def _died_of_a_signal(returncode: int) -> bool:
    """Killed by a signal: negative from Popen itself, 128 + the signal through a shell
    (soffice is a shell script that runs soffice.bin)."""
    return returncode < 0 or 128 < returncode < 128 + 65


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
