"""Limits and options in one place, with defaults; the CLI and the API override them."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * 1024 * 1024  # larger files are refused as too_large before reading
    max_pages: int = 5000  # PDF pages read at most
    timeout_s: float = 60.0  # per file (batch layer and external converters)
    convert_timeout_s: float = 120.0  # LibreOffice conversion of one .doc/.wps
    max_zip_ratio: float = 200.0  # DOCX: uncompressed/compressed size ratio refused above this
    max_unzipped_bytes: int = 500 * 1024 * 1024  # DOCX: total uncompressed size refused above this
    max_memory_mb: int = 4096  # address-space cap of each batch worker process; 0: none


DEFAULT_LIMITS = Limits()
