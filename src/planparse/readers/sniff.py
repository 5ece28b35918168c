"""Tell a file's format from its first bytes, so a PDF named ``.docx`` is still read as a PDF.

Only containers with an unambiguous signature are sniffed; plain text and HTML are told
apart by a look at the start of the bytes. ``None`` means "no signature recognised".
"""
from __future__ import annotations

import io
import re
import zipfile

OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_MAGIC = b"PK\x03\x04"
PDF_MAGIC = b"%PDF"
RTF_MAGIC = b"{\\rtf"
ODF_TEXT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
IMAGE_MAGICS: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
)
# An OOXML file saved with a password is an OLE2 compound file holding this stream
# (directory entry names are UTF-16LE).
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
# PDF writers may put a little junk before the header; readers accept it within 1 KiB.
PDF_HEADER_WINDOW = 1024
HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S)
# A saved web page in one file (MHTML) opens with MIME headers, one of them saying
# multipart/related; within the first few KiB, before the first part.
MHTML_HEADER = re.compile(rb"^content-type:[ \t]*multipart/related", re.I | re.M)
MIME_FIRST_LINE = re.compile(rb"^[!-9;-~]+:[ \t]")
MHTML_HEADER_WINDOW = 4096


def is_encrypted_ooxml(data: bytes) -> bool:
    return data.startswith(OLE2_MAGIC) and ENCRYPTED_PACKAGE in data


def zip_document_kind(data: bytes) -> str | None:
    """What a ZIP holds, its central directory read once: ``"docx"`` (a Word body),
    ``"odt"`` (an OpenDocument text, by its ``mimetype`` member), ``""`` (neither), or None
    when it is no readable ZIP at all."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "word/document.xml" in names:
                return "docx"
            if "mimetype" in names:
                with archive.open("mimetype") as member:  # only its head: a hostile ZIP may inflate it
                    if member.read(64).strip() == ODF_TEXT_MIMETYPE:
                        return "odt"
            return ""
    except (zipfile.BadZipFile, ValueError, OSError, RuntimeError):
        return None


def sniff_format(data: bytes, claimed: str | None) -> str | None:
    """The format the bytes themselves say, or None when they carry no signature.

    ``claimed`` (the format the file name gives) settles what a signature cannot:
    an OLE2 file is a ``.doc`` or a ``.wps``; a ZIP that is no Word document stays
    ``None`` so the caller can say what it is not.
    """
    for magic, image_format in IMAGE_MAGICS:
        if data.startswith(magic):
            return image_format
    head = data[:PDF_HEADER_WINDOW]
    if PDF_MAGIC in head:
        return "pdf"
    if data.startswith(ZIP_MAGIC):
        kind = zip_document_kind(data)
        if kind is None and claimed == "docx":
            return "docx"  # a damaged .docx: the docx reader says why it cannot be opened
        return kind or None
    if data.startswith(OLE2_MAGIC):
        if is_encrypted_ooxml(data):
            return "docx"  # the docx reader reports it as encrypted
        return claimed if claimed in ("doc", "wps") else "doc"
    if data.startswith(RTF_MAGIC):
        # Many ".doc" files on the web are RTF; LibreOffice converts them like a .doc.
        return claimed if claimed in ("doc", "wps") else "rtf"
    if HTML_START.match(data[: PDF_HEADER_WINDOW + 64].lstrip(b"\xef\xbb\xbf")[:PDF_HEADER_WINDOW]):  # no copy of the whole file
        return "html"
    if is_mhtml(data):
        return "mhtml"
    return None


def is_mhtml(data: bytes) -> bool:
    """MIME headers first (``MIME-Version: 1.0``, ``From: <Saved by Blink>``), one of them
    ``Content-Type: multipart/related``: a web page saved as one file."""
    head = data[: MHTML_HEADER_WINDOW + 64].lstrip(b"\xef\xbb\xbf\r\n")[:MHTML_HEADER_WINDOW]
    return bool(MIME_FIRST_LINE.match(head)) and MHTML_HEADER.search(head) is not None
