"""Readers: one module per format, all returning :class:`RawDocument`.

``read_file`` / ``read_bytes`` pick the reader by what the bytes are (PDF, ZIP, OLE2,
PNG/JPEG/TIFF signatures) before what the name says, so a PDF named ``.docx`` is still
read, with a warning. Images and PDFs without a text layer go through OCR (:mod:`.ocr`). Every failure comes out as :class:`PlanparseError` with a stable code. A new
format is one line in ``READER_SPECS`` and its suffixes in ``SUFFIX_FORMATS``; a reader's
module is imported only when a file of its format comes.
"""
from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from importlib import import_module
from pathlib import Path

from ..config import DEFAULT_LIMITS, Limits
from ..errors import ErrorCode, PlanparseError
from .base import Block, RawDocument, Reader
from .sniff import sniff_format

__all__ = ["Block", "RawDocument", "Reader", "READERS", "SUFFIX_FORMATS", "read_file", "read_bytes", "detect_format"]

# format -> (module of this package, reader class, its arguments). A reader's module is
# imported when a file of its format first comes: a batch of text files never pays for
# bs4, PDFium or python-docx (a fifth of a second per process).
READER_SPECS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "txt": ("text", "TextReader", ()),
    "docx": ("docx", "DocxReader", ()),
    "pdf": ("pdf", "PdfReader", ()),
    "html": ("html", "HtmlReader", ()),
    "mhtml": ("mhtml", "MhtmlReader", ()),
    "doc": ("legacy", "LegacyWordReader", ("doc",)),
    "wps": ("legacy", "LegacyWordReader", ("wps",)),
    "rtf": ("legacy", "LegacyWordReader", ("rtf",)),
    "odt": ("legacy", "LegacyWordReader", ("odt",)),
    "png": ("ocr", "ImageReader", ("png",)),
    "jpeg": ("ocr", "ImageReader", ("jpeg",)),
    "tiff": ("ocr", "ImageReader", ("tiff",)),
}


class ReaderRegistry(MutableMapping[str, Reader]):
    """The reader of each format, made on first use from ``READER_SPECS`` and kept; a
    reader set here (a new format, a wrapped reader) is used as it is."""

    def __init__(self, specs: dict[str, tuple[str, str, tuple[str, ...]]]) -> None:
        self._specs = dict(specs)
        self._made: dict[str, Reader] = {}

    def __getitem__(self, fmt: str) -> Reader:
        reader = self._made.get(fmt)
        if reader is None:
            module, name, args = self._specs[fmt]
            reader = self._made[fmt] = getattr(import_module(f".{module}", __name__), name)(*args)
        return reader

    def __setitem__(self, fmt: str, reader: Reader) -> None:
        self._made[fmt] = reader

    def __delitem__(self, fmt: str) -> None:
        if fmt not in self:
            raise KeyError(fmt)
        self._specs.pop(fmt, None)
        self._made.pop(fmt, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs | dict.fromkeys(self._made))

    def __len__(self) -> int:
        return len(self._specs.keys() | self._made.keys())


READERS = ReaderRegistry(READER_SPECS)
SUFFIX_FORMATS: dict[str, str] = {
    ".txt": "txt", ".text": "txt",
    ".docx": "docx",
    ".pdf": "pdf",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".mht": "mhtml", ".mhtml": "mhtml",
    ".doc": "doc",
    ".wps": "wps",
    ".rtf": "rtf",
    ".odt": "odt",
    ".png": "png",
    ".jpg": "jpeg", ".jpeg": "jpeg",
    ".tif": "tiff", ".tiff": "tiff",
}
FORMAT_NAMES = {"txt": "text", "docx": "Word (.docx)", "pdf": "PDF", "html": "HTML", "mhtml": "saved web page (.mht)",
                "doc": "Word 97-2003 (.doc)", "wps": "WPS (.wps)", "rtf": "RTF (.rtf)", "odt": "OpenDocument text (.odt)",
                "png": "PNG image", "jpeg": "JPEG image", "tiff": "TIFF image"}


def suffix_of(name: str) -> str:
    """The lower-case suffix, without the spaces or line breaks a file name may end in
    ("plan.docx " saved by a careless script is still a .docx)."""
    return Path(name).suffix.lower().strip()


def detect_format(data: bytes, name: str) -> str:
    """The format to read ``data`` as: its signature if it has one, else its suffix.

    A file without a suffix is taken as text; an unknown suffix with no recognised
    signature is ``unsupported_format``."""
    suffix = suffix_of(name)
    claimed = SUFFIX_FORMATS.get(suffix)
    sniffed = sniff_format(data, claimed)
    if sniffed:
        return sniffed
    if data.startswith(b"PK\x03\x04"):
        raise PlanparseError(ErrorCode.UNSUPPORTED_FORMAT,
                             f"{name} is a ZIP archive but not a Word .docx document (no word/document.xml); "
                             "supported: .txt .docx .pdf .html .doc .wps .png .jpg .tif")
    if claimed:
        return claimed
    if not suffix:
        return "txt"
    raise PlanparseError(ErrorCode.UNSUPPORTED_FORMAT,
                         f"{name}: files ending in {suffix} are not supported and the content is no known "
                         "document format; supported: .txt .docx .pdf .html/.htm .doc .wps .png/.jpg/.tif (OCR)")


def read_bytes(data: bytes, name: str = "input.txt", limits: Limits | None = None) -> RawDocument:
    """Read one document given as bytes; ``name`` gives the suffix (and shows in messages)."""
    limits = limits or DEFAULT_LIMITS
    check_size(len(data), limits)
    return read_data(data, name, limits)


def read_file(path: Path | str, limits: Limits | None = None) -> RawDocument:
    """Read one document from disk; its size is checked before any byte is read."""
    path = Path(path)
    limits = limits or DEFAULT_LIMITS
    check_size(path.stat().st_size, limits)
    return read_data(path.read_bytes(), path.name, limits, path)


def check_size(size: int, limits: Limits) -> None:
    if size > limits.max_bytes:
        raise PlanparseError(ErrorCode.TOO_LARGE,
                             f"the file has {size:,} bytes, more than the limit of {limits.max_bytes:,} bytes")
    if size == 0:
        raise PlanparseError(ErrorCode.EMPTY, "the file is empty (0 bytes)")


def read_data(data: bytes, name: str, limits: Limits, path: Path | None = None) -> RawDocument:
    fmt = detect_format(data, name)
    claimed = SUFFIX_FORMATS.get(suffix_of(name))
    try:
        document = READERS[fmt].read(data, path, limits)
    except PlanparseError:
        raise
    except RecursionError:
        raise PlanparseError(ErrorCode.CORRUPT, f"the {FORMAT_NAMES[fmt]} file is nested too deeply to read") from None
    except Exception as err:  # a damaged file must not surface as a traceback
        detail = str(err).strip().splitlines()[0][:200] if str(err).strip() else type(err).__name__
        raise PlanparseError(ErrorCode.CORRUPT, f"the {FORMAT_NAMES[fmt]} file is damaged or unreadable: {detail}") from None
    if not document.ocr and not any(block.text.strip() for block in document.blocks):
        # blank lines, spaces, an empty Word body, a page of scripts: there is nothing to parse
        # (OCR that found nothing is kept, with its warning: the scan may hold text it missed)
        raise PlanparseError(ErrorCode.EMPTY, f"the {FORMAT_NAMES[fmt]} file has no text (only blank space)")
    if claimed and claimed != fmt:
        document.warnings.insert(0, f"{name} is named as {FORMAT_NAMES[claimed]} but its content is "
                                    f"{FORMAT_NAMES[fmt]}; it was read as {FORMAT_NAMES[fmt]}")
    return document
