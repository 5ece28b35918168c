"""The Python API: ``parse_file`` and ``parse_text``.

``parse_file`` never raises for a bad input file: the result carries an ``error``
record with a stable code instead, so a batch can always go on."""
from __future__ import annotations

import hashlib
from pathlib import Path

from .config import DEFAULT_LIMITS, Limits
from .doc import Doc
from .errors import ErrorCode, PlanparseError
from .pipeline import Pipeline
from .readers import read_bytes, read_file
from .readers.base import RawDocument
from .records import ErrorRecord, ParseResult, SourceInfo

_PIPELINE: Pipeline | None = None


def default_pipeline() -> Pipeline:
    """One pipeline per process: components load their data tables once."""
    global _PIPELINE
    if _PIPELINE is None:
        _PIPELINE = Pipeline()
    return _PIPELINE


def _sha256_of_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _run(raw: RawDocument, source: SourceInfo, pipeline: Pipeline | None) -> ParseResult:
    source.format = raw.format
    source.encoding = raw.encoding
    source.pages = raw.pages
    source.ocr = raw.ocr
    doc = (pipeline or default_pipeline())(Doc(source=source, raw=raw, warnings=list(raw.warnings)))
    warnings = list(doc.warnings)
    if not doc.plans:
        warnings.append("no plan found in this file")
    return ParseResult(source=source, plans=doc.plans, removed=doc.removed, warnings=warnings, text=doc.text)


def _failure(source: SourceInfo, err: PlanparseError) -> ParseResult:
    return ParseResult(source=source, error=ErrorRecord(path=source.path, code=err.code.value, message=err.message))


def parse_file(path: str | Path, limits: Limits | None = None, pipeline: Pipeline | None = None) -> ParseResult:
    """Read and parse one file. Errors come back as ``result.error``, never raised."""
    path = Path(path)
    limits = limits or DEFAULT_LIMITS
    source = SourceInfo(path=str(path), format=path.suffix.lower().lstrip(".") or None, sha256="", bytes=0)
    try:
        if not path.is_file():
            what = ("a link to a file that does not exist" if path.is_symlink() and not path.exists()
                    else "not a regular file (a named pipe, socket or device)" if path.exists() else "not found")
            raise PlanparseError(ErrorCode.CORRUPT, f"{path} is {what}: there is nothing to read")
        source.sha256, source.bytes = _sha256_of_file(path)  # streamed: a file over the limit is hashed, never loaded
        raw = read_file(path, limits)
        return _run(raw, source, pipeline)
    except PlanparseError as err:
        return _failure(source, err)
    except OSError as err:
        return _failure(source, PlanparseError(ErrorCode.CORRUPT, f"could not read the file: {err.strerror or err}"))
    except Exception as err:  # a bug of ours must not sink the batch; it is still reported
        return _failure(source, PlanparseError(ErrorCode.INTERNAL, f"planparse failed on this file: {type(err).__name__}: {err}"))


def parse_bytes(data: bytes, name: str = "input.txt", limits: Limits | None = None, pipeline: Pipeline | None = None) -> ParseResult:
    """Parse the bytes of one file; ``name`` gives the format by its suffix."""
    source = SourceInfo(path=name, format=Path(name).suffix.lower().lstrip(".") or None,
                        sha256=hashlib.sha256(data).hexdigest(), bytes=len(data))
    try:
        return _run(read_bytes(data, name, limits or DEFAULT_LIMITS), source, pipeline)
    except PlanparseError as err:
        return _failure(source, err)
    except Exception as err:
        return _failure(source, PlanparseError(ErrorCode.INTERNAL, f"planparse failed on this input: {type(err).__name__}: {err}"))


def parse_text(text: str, name: str = "text.txt", pipeline: Pipeline | None = None) -> ParseResult:
    """Parse a plan given as a string (already decoded)."""
    from .readers.text import text_blocks

    data = text.encode("utf-8")
    source = SourceInfo(path=name, format="txt", sha256=hashlib.sha256(data).hexdigest(), bytes=len(data), encoding="utf-8")
    raw = RawDocument(blocks=text_blocks(text), format="txt", encoding="utf-8")
    return _run(raw, source, pipeline)
