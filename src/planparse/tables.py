"""Data tables (numbering schemes, cue words, boilerplate markers) live as JSON files in
``planparse/data``; code reads them through here, once per process."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=None)
def load_table(name: str) -> Any:
    """The parsed JSON table ``data/<name>.json`` (cached: treat it as read-only)."""
    with resources.files("planparse.data").joinpath(f"{name}.json").open(encoding="utf-8") as handle:
        return json.load(handle)
