"""Error codes of CONTRACT §5 and the exception that carries them.

A reader or stage that cannot go on raises :class:`PlanparseError` with one of the
codes below; the batch layer turns it into a row of the ``errors`` table and goes on.
"""
from __future__ import annotations

from enum import Enum


class ErrorCode(str, Enum):
    UNSUPPORTED_FORMAT = "unsupported_format"
    CORRUPT = "corrupt"
    ENCRYPTED = "encrypted"
    EMPTY = "empty"
    NO_TEXT_LAYER = "no_text_layer"
    TOO_LARGE = "too_large"
    TIMEOUT = "timeout"
    CONVERTER_MISSING = "converter_missing"
    NOT_A_DOCUMENT = "not_a_document"
    # Not in the contract's list of reader failures, but a stable code for a bug of ours,
    # so that one crash never takes the batch down and is still counted.
    INTERNAL = "internal_error"


class PlanparseError(Exception):
    """A file could not be turned into text; ``code`` is stable, ``message`` is for people."""

    def __init__(self, code: ErrorCode | str, message: str) -> None:
        self.code = ErrorCode(code)
        self.message = message
        super().__init__(f"{self.code.value}: {message}")

    def to_dict(self) -> dict:
        return {"code": self.code.value, "message": self.message}
