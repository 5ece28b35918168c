"""Plain text: detect the encoding, then one block per line, kept as written."""
from __future__ import annotations

from pathlib import Path

from ..config import Limits
from .base import Block, RawDocument
from .encoding import decode_text


class TextReader:
    format = "txt"

    def read(self, data: bytes, path: Path | None = None, limits: Limits | None = None) -> RawDocument:
        decoded = decode_text(data)
        # splitlines() unifies CRLF/CR/LF the way api.parse_text does, so a text read
        # from a file and the same text passed as a string give the same blocks.
        blocks = [Block(text=line) for line in decoded.text.splitlines()]
        return RawDocument(blocks=blocks, format=self.format, encoding=decoded.encoding,
                           warnings=list(decoded.warnings))
