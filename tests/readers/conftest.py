"""Fixtures of the reader tests: the shared corpora (skipped when absent) and LibreOffice."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"

try:  # the package may not be installed in the venv yet
    import planparse  # noqa: F401
except ImportError:
    sys.path.insert(0, str(REPO / "src"))


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "corpora").is_dir():
        pytest.skip(f"shared corpora not found at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def real(shared: Path) -> Path:
    return shared / "corpora" / "real"


@pytest.fixture(scope="session")
def made(shared: Path) -> Path:
    return shared / "corpora" / "made"


@pytest.fixture(scope="session")
def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        pytest.skip("LibreOffice (soffice) is not installed")
    return found
