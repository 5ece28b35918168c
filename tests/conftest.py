"""Shared fixtures: the bundled samples and the output schema."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from planparse.output import SUPPORTED_SUFFIXES

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "corpora" / "samples"


def sample_files() -> list[Path]:
    """The sample documents (not their README or generator script), sorted."""
    return sorted(p for p in SAMPLES.iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES)


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def sample_text_lines() -> list[str]:
    """Every line of the plain-text samples, decoded (UTF-8, GB18030 or Big5 as they are)."""
    lines: list[str] = []
    for path in sorted(SAMPLES.glob("*.txt")):
        data = path.read_bytes()
        for codec in ("utf-8", "gb18030", "big5"):
            try:
                lines += data.decode(codec).splitlines()
                break
            except UnicodeDecodeError:
                continue
    return lines


@pytest.fixture
def batch_dir(tmp_path: Path) -> Path:
    """A folder with every sample plus two broken files: a 0-byte .txt and a garbage .pdf."""
    folder = tmp_path / "in"
    folder.mkdir()
    for src in sample_files():
        shutil.copy2(src, folder / src.name)
    (folder / "broken").mkdir()
    (folder / "broken" / "empty.txt").write_bytes(b"")
    (folder / "broken" / "garbage.pdf").write_bytes(b"%PDF-1.7\n\x00\x9c\xff garbage, not a PDF \x01\x02" * 10)
    return folder
