"""Web pages saved as one file (MHTML: ``.mht``/``.mhtml``, what browsers and Word write
for "web page, single file"): a MIME ``multipart/related`` message whose root part is the
page. The root HTML part is decoded from its transfer encoding (quoted-printable or
base64) and read as HTML, with the charset its MIME header declares; images and style
sheets are ignored."""
from __future__ import annotations

from email import policy
from email.message import Message
from email.parser import BytesParser
from pathlib import Path

from ..config import Limits
from ..errors import ErrorCode, PlanparseError
from .base import RawDocument
from .html import HtmlReader
from .text import TextReader

# Parts that can be the page, by preference.
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


def root_part(message: Message) -> Message | None:
    """The page of a saved web page: the part the ``start`` parameter names (RFC 2557)
    when it is a page, else the first part of the most preferred page type; None when no
    part is a page."""
    parts = [part for part in message.walk() if not part.is_multipart()]
    start = message.get_param("start")
    if isinstance(start, str):
        wanted = start.strip().strip("<>")
        for part in parts:
            if (part.get("Content-ID") or "").strip().strip("<>") == wanted and part.get_content_type() in PAGE_TYPES:
                return part
    for page_type in PAGE_TYPES:
        for part in parts:
            if part.get_content_type() == page_type:
                return part
    return None


class MhtmlReader:
    format = "mhtml"

    def read(self, data: bytes, path: Path | None = None, limits: Limits | None = None) -> RawDocument:
        message = BytesParser(policy=policy.compat32).parsebytes(data)
        if not message.is_multipart():
            raise PlanparseError(ErrorCode.CORRUPT, "this MHTML file holds no MIME multipart message "
                                                    "(no parts: is it a saved web page?)")
        page = root_part(message)
        payload = page.get_payload(decode=True) if page is not None else None
        if not payload:
            raise PlanparseError(ErrorCode.NOT_A_DOCUMENT, "this saved web page (MHTML) holds no HTML or text part")
        if page.get_content_type() == "text/plain":
            document = TextReader().read(payload, path, limits)
        else:
            document = HtmlReader().read(payload, path, limits, charset=page.get_content_charset())
        document.format = self.format
        return document
