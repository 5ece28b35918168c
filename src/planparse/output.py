"""Where input files come from and where their JSON goes: walking folders, naming
output files, writing them atomically, and checking them against the bundled schema.

The CLI is a thin layer over this module and :func:`planparse.api.parse_file`."""
from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

from .readers import SUFFIX_FORMATS

# A folder walk takes every format a reader is registered for; a file named on the
# command line is always tried (and gets ``unsupported_format`` if it is none of them).
SUPPORTED_SUFFIXES = frozenset(SUFFIX_FORMATS)

SCHEMA_RESOURCE = "plan.schema.json"


class InputFile(NamedTuple):
    """A file to parse and the folder its output name is taken relative to."""

    path: Path
    root: Path


def is_skipped_name(name: str) -> bool:
    """Hidden files and folders, and the lock files Office leaves beside open documents."""
    return name.startswith(".") or name.startswith("~$")


def iter_input_files(
    paths: Iterable[str | os.PathLike[str]],
    exclude: Iterable[str | os.PathLike[str]] = (),
    on_skip: Callable[[Path], None] | None = None,
) -> Iterator[InputFile]:
    """Yield the files to parse, in a stable order.

    A file path is yielded as it is (its root is its own folder). A folder is walked
    recursively; its files are yielded sorted by their path inside it, skipping hidden
    files and folders, Office lock files (``~$*``), anything under a path in ``exclude``
    (the output folder, say) and files whose suffix is not a supported format (reported
    through ``on_skip``). A file reached twice is yielded once. A path that does not
    exist raises :class:`FileNotFoundError`.
    """
    excluded = [Path(p).resolve() for p in exclude]
    seen: set[Path] = set()

    def under_excluded(path: Path) -> bool:
        resolved = path.resolve()
        return any(resolved == ex or ex in resolved.parents for ex in excluded)

    def fresh(path: Path) -> bool:
        key = path.resolve()
        if key in seen:
            return False
        seen.add(key)
        return True

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            root = path
            found: list[Path] = []
            for dirpath, dirnames, filenames in os.walk(root):
                current = Path(dirpath)
                dirnames[:] = [d for d in dirnames if not is_skipped_name(d) and not under_excluded(current / d)]
                for name in filenames:
                    if is_skipped_name(name):
                        continue
                    file = current / name
                    # A named pipe or a dangling link with a document suffix is still an
                    # input: it becomes a failed row, never a silent omission.
                    if file.suffix.lower() not in SUPPORTED_SUFFIXES:
                        if on_skip is not None:
                            on_skip(file)
                        continue
                    found.append(file)
            for file in sorted(found, key=lambda f: f.relative_to(root).parts):
                if fresh(file):
                    yield InputFile(file, root)
        elif path.exists() or path.is_symlink():
            if fresh(path):
                yield InputFile(path, path.parent)
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")


def output_path_for(src: str | os.PathLike[str], root: str | os.PathLike[str] | None, outdir: str | os.PathLike[str]) -> Path:
    """``OUTDIR/<path of src inside root>.json``: the full file name plus ``.json``
    (``plan.docx`` → ``plan.docx.json``), keeping the sub-folders below ``root``."""
    src = Path(src)
    if root is None:
        rel = Path(src.name)
    else:
        try:
            rel = Path(os.path.relpath(os.path.abspath(src), os.path.abspath(root)))
        except ValueError:  # another drive on Windows
            rel = Path(src.name)
        if rel.parts and rel.parts[0] == os.pardir:
            rel = Path(src.name)
    return Path(outdir) / rel.parent / (rel.name + ".json")


def plan_outputs(inputs: list[InputFile], outdir: str | os.PathLike[str]) -> list[Path]:
    """Output paths for a batch, one per input, all distinct.

    Each input is named relative to its own root; if two inputs would then get the same
    output (``a/plan.docx`` and ``b/plan.docx`` named on the command line), every input is
    named relative to the common folder of all inputs instead, which keeps them apart."""
    outs = [output_path_for(item.path, item.root, outdir) for item in inputs]
    keys = [os.path.normcase(str(p)).lower() for p in outs]
    if len(set(keys)) == len(keys):
        return outs
    common = os.path.commonpath([os.path.abspath(item.path.parent) for item in inputs])
    return [output_path_for(item.path, common, outdir) for item in inputs]


try:  # orjson writes the same text as json.dumps(ensure_ascii=False, indent=2), ~100x faster
    import orjson as _orjson
except ImportError:  # pragma: no cover - orjson is a dependency; json is the fallback
    _orjson = None


def dumps(obj: Any) -> str:
    """The JSON text planparse writes: UTF-8 characters as they are, indented by 2."""
    if _orjson is not None:
        try:
            return _orjson.dumps(obj, option=_orjson.OPT_INDENT_2).decode("utf-8") + "\n"
        except TypeError:  # a type orjson does not take: json decides (and raises the same errors)
            pass
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"


def dumps_compact(obj: Any) -> str:
    """Compact JSON on one line (``separators=(",", ":")``, UTF-8 characters as they are)."""
    if _orjson is not None:
        try:
            return _orjson.dumps(obj).decode("utf-8")
        except TypeError:
            pass
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def loads(text: str | bytes) -> Any:
    """Parse JSON text (orjson when installed)."""
    if _orjson is not None:
        return _orjson.loads(text)
    return json.loads(text)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode() -> int:
    """The permissions a new file gets here (0o666 less the umask)."""
    return 0o666 & ~_umask()


def write_text_atomic(path: str | os.PathLike[str], text: str, mode: int | None = None) -> Path:
    """Write ``text`` (UTF-8) to ``path`` so that readers see the old file or the whole
    new one, never a part: a temporary file in the same folder, then ``os.replace``.
    ``mode``: the file's permissions, default :func:`file_mode` (give it when writing from
    a thread: reading the umask briefly changes it for the whole process)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, file_mode() if mode is None else mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path


def write_json_atomic(path: str | os.PathLike[str], obj: Any) -> Path:
    """Write ``obj`` as JSON (UTF-8, ``ensure_ascii=False``, indent 2) atomically."""
    return write_text_atomic(path, dumps(obj))


@lru_cache(maxsize=1)
def _schema_text() -> str:
    return resources.files("planparse").joinpath("schema", SCHEMA_RESOURCE).read_text(encoding="utf-8")


def load_schema() -> dict[str, Any]:
    """The bundled JSON Schema (draft 2020-12) of one output document."""
    return json.loads(_schema_text())


@lru_cache(maxsize=1)
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@lru_cache(maxsize=1)
def _fast_validator() -> Any:
    """jsonschema-rs (compiled, a few hundred times faster) when installed, else None.
    Only its yes/no is used: the messages always come from ``jsonschema``."""
    try:
        import jsonschema_rs
    except ImportError:
        return None
    try:
        return jsonschema_rs.Draft202012Validator(load_schema(), validate_formats=True)
    except Exception:  # noqa: BLE001 - an incompatible version: fall back to jsonschema
        return None


def is_valid(obj: Any) -> bool:
    """Whether ``obj`` is a valid output document (fast path of :func:`validation_errors`)."""
    fast = _fast_validator()
    if fast is not None:
        try:
            if fast.is_valid(obj):
                return True
        except Exception:  # noqa: BLE001 - e.g. a value it cannot convert: ask jsonschema
            pass
    return _validator().is_valid(obj)


def validation_errors(obj: Any) -> list[str]:
    """Every way ``obj`` breaks the schema, as ``path: message`` lines (empty if valid)."""
    if is_valid(obj):
        return []
    errors = sorted(_validator().iter_errors(obj), key=lambda e: list(map(str, e.absolute_path)))
    return [f"{e.json_path}: {e.message}" for e in errors]


def validate(obj: Any) -> None:
    """Raise :class:`jsonschema.ValidationError` if ``obj`` is not a valid output document."""
    from jsonschema.exceptions import best_match

    if is_valid(obj):
        return
    error = best_match(_validator().iter_errors(obj))
    if error is not None:
        raise error
