"""Plain text: detect the encoding, then one block per line, kept as written, except the
rows of a table spelt with bars (``text_tables``)."""
from __future__ import annotations

from pathlib import Path

from ..config import Limits
from .base import RawDocument
from .encoding import decode_text
from .text_tables import table_blocks


class TextReader:
    format = "txt"

    def read(self, data: bytes, path: Path | None = None, limits: Limits | None = None) -> RawDocument:
        decoded = decode_text(data)
        # splitlines() unifies CRLF/CR/LF the way api.parse_text does, so a text read
        # from a file and the same text passed as a string give the same blocks.
        blocks = table_blocks(decoded.text.splitlines())
        return RawDocument(blocks=blocks, format=self.format, encoding=decoded.encoding,
                           warnings=list(decoded.warnings))
