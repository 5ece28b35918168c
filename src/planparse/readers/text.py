"""Plain text: detect the encoding, then one block per line, kept as written, except the
rows of a table spelt with bars (``text_tables``) and the lines of a hard-wrapped text,
joined back into paragraphs (``text_wrap``)."""
from __future__ import annotations

from pathlib import Path

from ..config import Limits
from .base import Block, RawDocument
from .encoding import decode_text
from .text_tables import table_blocks
from .text_wrap import unwrap


def text_blocks(text: str) -> list[Block]:
    """The blocks of a decoded text. splitlines() unifies CRLF/CR/LF, so a text read from
    a file and the same text passed as a string (``api.parse_text``) give the same blocks."""
    return table_blocks(unwrap(text.splitlines()))


class TextReader:
    format = "txt"

    def read(self, data: bytes, path: Path | None = None, limits: Limits | None = None) -> RawDocument:
        decoded = decode_text(data)
        return RawDocument(blocks=text_blocks(decoded.text), format=self.format, encoding=decoded.encoding,
                           warnings=list(decoded.warnings))
