"""The parser version that batch resume and the SQLite store are keyed by.

``planparse.__version__`` alone is not enough: a changed cue-word table or a retrained
model changes the output without a release. So the parser version is the package
version plus a short hash of every data file the parser reads (``planparse/data``,
``planparse/schema``, and the trained model in ``models/``), e.g. ``0.1.0+3f2a9c1d07be``.
Translation tables for output labels (``data/labels_*.json``) and model cards
(``*.md``) do not change what is parsed and are left out.
"""
from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
HASH_LENGTH = 12


def _is_parser_data(path: Path) -> bool:
    name = path.name
    if name.startswith(".") or name.endswith((".md", ".pyc", ".py")) or name.startswith("labels_"):
        return False
    return path.is_file() and "__pycache__" not in path.parts


def data_roots() -> list[Path]:
    """Folders whose files make up the parser's data: the package's data and schema, and
    the model folder (inside the package, or ``models/`` of a source checkout)."""
    roots = [PACKAGE_DIR / "data", PACKAGE_DIR / "schema", PACKAGE_DIR / "models"]
    if PACKAGE_DIR.parent.name == "src":  # an editable install from a source checkout
        roots.append(PACKAGE_DIR.parent.parent / "models")
    return [root for root in roots if root.is_dir()]


def data_files() -> list[tuple[str, Path]]:
    """``(name, path)`` of every parser data file, sorted; ``name`` is ``<root>/<path in root>``."""
    files: list[tuple[str, Path]] = []
    for root in data_roots():
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__pycache__")
            for name in sorted(filenames):
                path = Path(dirpath) / name
                if _is_parser_data(path):
                    files.append((f"{root.name}/{path.relative_to(root).as_posix()}", path))
    return files


@lru_cache(maxsize=1)
def data_hash() -> str:
    """A short hash over the names and bytes of :func:`data_files`."""
    digest = hashlib.sha256()
    for name, path in data_files():
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:HASH_LENGTH]


@lru_cache(maxsize=1)
def parser_version() -> str:
    """``<planparse version>+<data hash>``: what a stored result was parsed with."""
    from . import __version__

    return f"{__version__}+{data_hash()}"
